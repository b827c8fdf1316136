// Breakpoints of a session: by function and instruction index, or by source line.
// Each is resolved to code offsets of the interpreter's pre-decoded functions
// (engine/exec/compile.ts), and the session checks a flag array per function before each
// instruction, so a breakpoint costs one array read per step.
//
// A line breakpoint stops on *entering* the line: at an instruction on that line when the
// instruction executed just before was on another line or in another frame. Folded
// expressions put several instructions on one line; stopping at each would make
// `continue` crawl through the line.

import type { CompiledFunc } from '../exec/compile.ts';
import type { WasmFunction } from '../exec/runtime.ts';
import type { Names } from './names.ts';

export type BreakpointSpec =
  /** A function by index or name ($id, name-section name or export name) and a body position (body length = the final end). */
  | { readonly func: number | string; readonly instr: number }
  | { readonly line: number };

export interface Breakpoint {
  readonly id: number;
  readonly spec: BreakpointSpec;
  /** Where it applies; empty when nothing is there (e.g. a blank line). */
  readonly locations: readonly { readonly funcIndex: number; readonly instrIndex: number }[];
}

export const FLAG_INSTR = 1;
export const FLAG_LINE = 2;

/** The text line of body position `pos` of a function (its final end's line at body.length). */
export function lineOf(f: WasmFunction, pos: number): number {
  const fn = f.code.func;
  const span = pos < fn.body.length ? fn.body[pos]!.span : fn.endSpan;
  return span?.text?.line ?? -1;
}

function matchesName(f: WasmFunction, names: Names, name: string): boolean {
  const n = names.func(f.index);
  if (n === null) return false;
  const bare = n.replace(/^\$/, '').replace(/^"(.*)"$/, '$1');
  return n === name || bare === name || bare === name.replace(/^\$/, '');
}

/** Body positions of `funcs` that a spec applies to. */
export function resolve(spec: BreakpointSpec, funcs: readonly WasmFunction[], names: (f: WasmFunction) => Names): { func: WasmFunction; pos: number }[] {
  const out: { func: WasmFunction; pos: number }[] = [];
  if ('line' in spec) {
    for (const f of funcs) {
      const n = f.code.func.body.length;
      for (let pos = 0; pos <= n; pos++) if (lineOf(f, pos) === spec.line) out.push({ func: f, pos });
    }
    return out;
  }
  const f = funcs.find((g) => (typeof spec.func === 'number' ? g.index === spec.func : matchesName(g, names(g), spec.func)));
  if (f === undefined) return out;
  if (Number.isInteger(spec.instr) && spec.instr >= 0 && spec.instr <= f.code.func.body.length) out.push({ func: f, pos: spec.instr });
  return out;
}

/** Flag arrays per compiled function (indexed by code offset) for a set of breakpoints. */
export function flagsFor(resolved: readonly { func: WasmFunction; pos: number; flag: number }[]): Map<CompiledFunc, Uint8Array> {
  const map = new Map<CompiledFunc, Uint8Array>();
  for (const r of resolved) {
    const code = r.func.code;
    let flags = map.get(code);
    if (flags === undefined) {
      flags = new Uint8Array(code.code.length + 1);
      map.set(code, flags);
    }
    const at = code.offsets[r.pos]!;
    flags[at] = flags[at]! | r.flag;
  }
  return map;
}
