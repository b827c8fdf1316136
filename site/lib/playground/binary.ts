// Opening a .wasm file in the Playground: decode and validate it with the engine, print
// it as text (with the names from its name section) for the editor, and say how its
// imports will be met — the stepper's visible stubs (site/lib/stepper/imports.ts) — so
// the reader sees exactly what stands in for the host. Everything is checked up front;
// the result is data, never a throw.
//
// Files above MAX_PLAYGROUND_BYTES are turned away with a message, and files above
// MAX_STEP_BYTES would be shown but not stepped. The stepper draws only the lines and rows
// in view and maps instructions' bytes lazily, so a module as large as the Playground
// opens steps (sql.js's 672 KiB module is ready in a few seconds and steps in tens of
// milliseconds): the two limits are the same. `OpenRefusal.large` and
// `OpenedBinary.tooBigToStep` mark those cases, so a page for exploring big modules can be
// offered there.

import {
  decodeModule, type FuncType, type Import, type Module, printModule, validateModule,
} from '../../../engine/index.ts';
import { isJsTagImport, isLogImport, isThrowImport } from '../stepper/imports.ts';
import { problemOf, problemWhere } from '../stepper/load.ts';

/** The largest file the Playground disassembles into its editor. */
export const MAX_PLAYGROUND_BYTES = 1024 * 1024;
/** The largest file the Playground hands to the stepper. */
export const MAX_STEP_BYTES = MAX_PLAYGROUND_BYTES;

export interface StubImport {
  /** "env.log". */
  readonly label: string;
  readonly kind: Import['desc']['kind'];
  /** What stands in for it, in words. */
  readonly stub: string;
}

export interface OpenedBinary {
  readonly fileName: string;
  readonly bytes: Uint8Array;
  /** The disassembly. */
  readonly source: string;
  readonly module: Module;
  readonly stubs: readonly StubImport[];
  /** Why the stepper cannot run it, or null when it can. */
  readonly unsteppable: string | null;
  /** True when the only reason is its size. */
  readonly tooBigToStep: boolean;
}

export interface OpenRefusal {
  readonly message: string;
  /** True when the file is a module too large for the Playground (not a broken one). */
  readonly large: boolean;
}

export type OpenResult = { readonly ok: true; readonly opened: OpenedBinary } | { readonly ok: false; readonly refusal: OpenRefusal };

const sizeText = (n: number): string => (n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} bytes`);

function signature(t: FuncType | undefined): string {
  if (t === undefined) return '(unknown type)';
  const params = t.params.length ? `(${t.params.join(', ')})` : '()';
  return t.results.length ? `${params} → ${t.results.join(', ')}` : params;
}

function limitsText(min: number, max: number | undefined, unit: string): string {
  return `${min} ${unit}${min === 1 ? '' : 's'}${max === undefined ? '' : ` (max ${max})`}`;
}

/** How the stepper meets one import (mirrors makeImports in site/lib/stepper/imports.ts). */
export function describeImport(module: Module, imp: Import): StubImport {
  const label = `${imp.module}.${imp.name}`;
  const d = imp.desc;
  switch (d.kind) {
    case 'func': {
      const t = module.types[d.type]?.type;
      const sig = signature(t);
      if (isLogImport(imp.module, imp.name)) return { label, kind: d.kind, stub: `function ${sig}: prints its arguments in the Console` };
      if (isThrowImport(imp.name)) return { label, kind: d.kind, stub: `function ${sig}: JS code that throws a JS Error, which enters wasm with the JS tag` };
      const zeros = t !== undefined && t.results.length > 0 ? `returns ${t.results.map(() => '0').join(', ')}` : 'returns nothing';
      return { label, kind: d.kind, stub: `function ${sig}: a stub that ${zeros} and logs each call in the Console` };
    }
    case 'memory':
      return { label, kind: d.kind, stub: `a new memory of ${limitsText(d.type.limits.min, d.type.limits.max, 'page')}, all zeros` };
    case 'table':
      return { label, kind: d.kind, stub: `a new ${d.type.elem} table of ${limitsText(d.type.limits.min, d.type.limits.max, 'element')}, all null` };
    case 'global':
      return { label, kind: d.kind, stub: `a new ${d.type.mutable ? 'mutable ' : ''}${d.type.type} global holding 0` };
    case 'tag': {
      const t = module.types[d.type]?.type;
      if (t !== undefined && isJsTagImport(imp.name, t.params)) return { label, kind: d.kind, stub: 'the JS tag (WebAssembly.JSTag): catches JS exceptions, their value as an externref' };
      return { label, kind: d.kind, stub: `a new exception tag ${signature(t)}` };
    }
  }
}

/** Why the stepper cannot run this module, or null. */
function unsteppableReason(module: Module, size: number): string | null {
  if (size > MAX_STEP_BYTES) return `it is ${sizeText(size)}, and the stepper takes modules up to ${sizeText(MAX_STEP_BYTES)}`;
  if (!module.exports.some((e) => e.kind === 'func')) return 'it exports no function to call';
  return null;
}

/** Decodes, validates and disassembles a .wasm file. */
export function openBinary(bytes: Uint8Array, fileName: string): OpenResult {
  if (bytes.length > MAX_PLAYGROUND_BYTES) {
    return {
      ok: false,
      refusal: { large: true, message: `${fileName} is ${sizeText(bytes.length)}; the Playground opens modules up to ${sizeText(MAX_PLAYGROUND_BYTES)}.` },
    };
  }
  let module: Module;
  try {
    module = decodeModule(bytes);
    validateModule(module);
  } catch (e) {
    const p = problemOf(e);
    const where = problemWhere(p);
    return { ok: false, refusal: { large: false, message: `${fileName} is not a valid WebAssembly module: ${p.kind}${where ? ` at ${where}` : ''}: ${p.message}` } };
  }
  return {
    ok: true,
    opened: {
      fileName,
      bytes,
      source: printModule(module),
      module,
      stubs: module.imports.map((imp) => describeImport(module, imp)),
      unsteppable: unsteppableReason(module, bytes.length),
      tooBigToStep: bytes.length > MAX_STEP_BYTES,
    },
  };
}

/** "add.wasm" → "add"; for naming downloads. */
export function baseName(fileName: string): string {
  const n = fileName.replace(/^.*[\\/]/, '').replace(/\.(wasm|wat|wast)$/i, '');
  return n === '' ? 'program' : n;
}
