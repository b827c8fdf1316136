// What the Stepper gives a module for its imports. `env.log` (any numeric parameters)
// prints its arguments to the Stepper's console; a function import whose name starts with
// `throw` is JS code that throws a JS Error (which enters wasm as an exception with the JS
// tag, HOST_ERRORS below); every other function import is a visible
// stub that prints its call and returns zeros; imported memories, tables and globals are
// created at their declared minimum (globals zero); a tag import named `js_tag` or `JSTag`
// of type (param externref) is the JS tag (WebAssembly.JSTag), any other a new tag of its
// type. Console lines carry the step after
// which they appeared, so the console shows what had been printed by the step on screen
// (the session calls each host function only once and replays it after that).

import {
  ExceptionInstance, hostFunction, hostGlobal, hostMemory, hostTable, type HostValue, type Imports, type ImportValue, JS_TAG, type Module,
  type RefType, TagInstance, type ValType,
} from '../../../engine/index.ts';
import { STEPPER_LIMITS } from './limits.ts';

export interface ConsoleLine {
  /** The step after which the line exists. */
  readonly step: number;
  readonly text: string;
  readonly kind: 'log' | 'stub' | 'throw';
}

export interface HostConsole {
  readonly lines: ConsoleLine[];
  /** Steps executed so far when a host function runs (set by the island once the session exists). */
  stepIndex: () => number;
  /** Called after each new line. */
  onLine: () => void;
}

function show(t: ValType, v: HostValue): string {
  if (typeof v === 'bigint' || typeof v === 'number') return String(v);
  if (v === null || v === undefined) return 'null';
  return t;
}

function zero(t: ValType): HostValue {
  if (t === 'i64') return 0n;
  if (t === 'funcref' || t === 'externref') return null;
  if (t === 'v128') return new Uint8Array(16);
  return 0;
}

/** Whether an import is the console printer. */
export function isLogImport(module: string, name: string): boolean {
  return module === 'env' && (name === 'log' || name.startsWith('log_') || name.startsWith('print'));
}

/** Whether a function import is JS code that throws (see the header). */
export function isThrowImport(name: string): boolean {
  return name.startsWith('throw');
}

/** Whether a tag import stands for the JS tag (see the header). */
export function isJsTagImport(name: string, params: readonly ValType[]): boolean {
  return (name === 'js_tag' || name === 'JSTag') && params.length === 1 && params[0] === 'externref';
}

/**
 * instantiate's onHostError for the stepper: what a host function throws enters wasm as an
 * exception with the JS tag, carrying the thrown value, as the JS API does for JS imports.
 */
export const HOST_ERRORS = { onHostError: (error: unknown): ExceptionInstance => new ExceptionInstance(JS_TAG, [error]) } as const;

/** The import object for `module`, printing to `out`. */
export function makeImports(module: Module, out: HostConsole): Imports {
  const imports: Record<string, Record<string, ImportValue>> = {};
  const put = (m: string, n: string, v: ImportValue): void => {
    (imports[m] ??= {})[n] = v;
  };
  for (const imp of module.imports) {
    const d = imp.desc;
    if (d.kind === 'func') {
      const type = module.types[d.type]?.type;
      if (type === undefined) continue;
      const log = isLogImport(imp.module, imp.name);
      const label = `${imp.module}.${imp.name}`;
      const fn = (...args: HostValue[]): unknown => {
        const shown = args.map((a, i) => show(type.params[i] ?? 'i32', a));
        if (!log && isThrowImport(imp.name)) {
          const error = new Error(`thrown by ${label}(${shown.join(', ')})`);
          out.lines.push({ step: out.stepIndex() + 1, text: `${label}(${shown.join(', ')}) throws a JS Error`, kind: 'throw' });
          out.onLine();
          throw error;
        }
        const results = type.results.map(zero);
        const text = log
          ? shown.join(' ')
          : `stub ${label}(${shown.join(', ')})${results.length ? ` → ${results.map((r, i) => show(type.results[i]!, r)).join(', ')}` : ''}`;
        out.lines.push({ step: out.stepIndex() + 1, text, kind: log ? 'log' : 'stub' });
        out.onLine();
        return results.length === 0 ? undefined : results.length === 1 ? results[0] : results;
      };
      put(imp.module, imp.name, hostFunction(type.params, type.results, fn, label));
    } else if (d.kind === 'memory') {
      put(imp.module, imp.name, hostMemory(d.type.limits.min, d.type.limits.max, STEPPER_LIMITS));
    } else if (d.kind === 'table') {
      // Only validated modules reach the stepper, and their tables hold 2.0 references.
      put(imp.module, imp.name, hostTable(d.type.elem as RefType, d.type.limits.min, d.type.limits.max, STEPPER_LIMITS));
    } else if (d.kind === 'global') {
      put(imp.module, imp.name, hostGlobal(d.type.type, d.type.mutable, zero(d.type.type)));
    } else if (d.kind === 'tag') {
      const type = module.types[d.type]?.type;
      if (type === undefined) continue;
      put(imp.module, imp.name, isJsTagImport(imp.name, type.params) ? JS_TAG : new TagInstance(type, `${imp.module}.${imp.name}`));
    }
  }
  return imports;
}
