// Breakpoints of a session: by function and instruction index, or by source line.
// Each is resolved to code offsets of the interpreter's pre-decoded functions
// (engine/exec/compile.ts), and the set checks a flag array per function before each
// instruction, so a breakpoint costs one array read per step.
//
// A line breakpoint stops on *entering* the line: at an instruction on that line when the
// instruction executed just before was on another line or in another frame. Folded
// expressions put several instructions on one line; stopping at each would make
// `continue` crawl through the line.

import { type CompiledFunc, type Instance, type Machine, positionOf, WasmFunction } from '../exec/index.ts';
import { namesOf, type Names } from './names.ts';

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

/** The breakpoints of one session, over the functions of its instance. */
export class BreakpointSet {
  private readonly instance: Instance;
  private readonly list: Breakpoint[] = [];
  private seq = 0;
  private flags = new Map<CompiledFunc, Uint8Array>();
  // The flags of the function checked last (most checks are in the same one).
  private flagsCode: CompiledFunc | undefined;
  private flagsCur: Uint8Array | undefined;
  /** The breakpoint `stopsAt` stopped at last. */
  hit: number | null = null;
  // The instruction executed last (for line breakpoints), as `passing` noted it.
  private prevFn: WasmFunction | undefined;
  private prevPc = -1;
  private prevFrame = -1;

  constructor(instance: Instance) {
    this.instance = instance;
  }

  get size(): number {
    return this.list.length;
  }

  /** The instance's own wasm functions, where breakpoints apply. */
  private funcs(): WasmFunction[] {
    return this.instance.funcs.filter((f): f is WasmFunction => f instanceof WasmFunction && f.instance === this.instance);
  }

  /** Adds a breakpoint; its locations say where it applies (none: it never stops). */
  add(spec: BreakpointSpec): Breakpoint {
    const where = resolve(spec, this.funcs(), (f) => namesOf(f.instance.module));
    const bp: Breakpoint = { id: ++this.seq, spec, locations: where.map((w) => ({ funcIndex: w.func.index, instrIndex: w.pos })) };
    this.list.push(bp);
    this.rebuildFlags();
    return bp;
  }

  remove(id: number): boolean {
    const i = this.list.findIndex((b) => b.id === id);
    if (i < 0) return false;
    this.list.splice(i, 1);
    this.rebuildFlags();
    return true;
  }

  clear(): void {
    this.list.length = 0;
    this.rebuildFlags();
  }

  all(): readonly Breakpoint[] {
    return [...this.list];
  }

  private rebuildFlags(): void {
    const funcs = new Map<number, WasmFunction>();
    for (const f of this.funcs()) funcs.set(f.index, f);
    const resolved: { func: WasmFunction; pos: number; flag: number }[] = [];
    for (const bp of this.list) {
      for (const l of bp.locations) resolved.push({ func: funcs.get(l.funcIndex)!, pos: l.instrIndex, flag: 'line' in bp.spec ? FLAG_LINE : FLAG_INSTR });
    }
    this.flags = flagsFor(resolved);
    this.flagsCode = undefined;
    this.flagsCur = undefined;
  }

  /** Notes the instruction about to execute (in the frame with id `frameId`): what a line breakpoint compares the next one with. */
  passing(m: Machine, frameId: number): void {
    this.prevFn = m.fn;
    this.prevPc = m.pc;
    this.prevFrame = frameId;
  }

  /** Whether a breakpoint stops execution before the machine's current instruction (in the frame with id `frameId`); sets `hit`. */
  stopsAt(m: Machine, frameId: number): boolean {
    const fn = m.fn!;
    if (fn.code !== this.flagsCode) {
      this.flagsCode = fn.code;
      this.flagsCur = this.flags.get(fn.code);
    }
    const flags = this.flagsCur;
    if (flags === undefined) return false;
    const f = flags[m.pc]!;
    if (f === 0) return false;
    const pos = positionOf(fn.code.offsets, m.pc);
    const here = this.list.filter((b) => b.locations.some((l) => l.funcIndex === fn.index && l.instrIndex === pos));
    const instr = here.find((b) => !('line' in b.spec));
    if (instr !== undefined) {
      this.hit = instr.id;
      return true;
    }
    // A line breakpoint: only on entering the line.
    const sameFrame = this.prevFn === fn && this.prevFrame === frameId;
    if (sameFrame && lineOf(fn, positionOf(fn.code.offsets, this.prevPc)) === lineOf(fn, pos)) return false;
    this.hit = here[0]?.id ?? null;
    return true;
  }
}
