// Reading the frames of a stopped Machine with what a view needs: each frame's position,
// the slot and type of each operand value, and its labels
// (https://webassembly.github.io/spec/core/exec/runtime.html#stack). Like
// engine/exec/inspect.ts, types and labels come from re-running the pre-decoder's type
// tracking up to the position (engine/exec/compile.ts `analyze`); here the results are
// cached per function and position, because a session asks again and again for the same
// positions of a loop. Also where each block ends, so a label can tell where `br` goes.

import {
  analyze, callSite, type LabelInfo, type Machine, moduleTypes, type ModuleTypes, type PositionAnalysis, positionOf, type WasmFunction,
} from '../exec/index.ts';
import type { Func, Module, ValType } from '../syntax/index.ts';

export interface FrameRead {
  /** 0 is the outermost frame. */
  readonly depth: number;
  readonly func: WasmFunction;
  /** Body position about to run (for a caller: of its call); body.length is the final `end`. */
  readonly position: number;
  readonly fp: number;
  /** Each operand value's first slot and type, bottom first. */
  readonly slots: readonly number[];
  readonly types: readonly ValType[];
  /** Outermost (the function's own) first. */
  readonly labels: readonly LabelInfo[];
}

const typesCache = new WeakMap<Module, ModuleTypes>();
const analysisCache = new WeakMap<Func, Map<number, PositionAnalysis>>();
/** Bound on cached positions per function; a long function just re-analyzes. */
const MAX_CACHED = 4096;

function typesOf(module: Module): ModuleTypes {
  let mt = typesCache.get(module);
  if (mt === undefined) {
    mt = moduleTypes(module);
    typesCache.set(module, mt);
  }
  return mt;
}

/** Operand types and labels before body position `position` of a function (cached). */
export function analysisAt(func: WasmFunction, position: number): PositionAnalysis {
  const f = func.code.func;
  let byPos = analysisCache.get(f);
  if (byPos === undefined) {
    byPos = new Map();
    analysisCache.set(f, byPos);
  }
  let a = byPos.get(position);
  if (a === undefined) {
    a = analyze(func.instance.module, typesOf(func.instance.module), func.index, position);
    if (byPos.size < MAX_CACHED) byPos.set(position, a);
  }
  return a;
}

/** Body position of frame `depth`: the current instruction, or a caller's call. */
export function framePosition(m: Machine, depth: number): number {
  const func = m.frameFn[depth]!;
  const top = depth === m.depth - 1;
  return positionOf(func.code.offsets, top ? m.pc : callSite(m.framePc[depth]!));
}

/** Frame `depth` of a stopped machine. */
export function readFrame(m: Machine, depth: number): FrameRead {
  const func = m.frameFn[depth]!;
  const code = func.code;
  const top = depth === m.depth - 1;
  const position = framePosition(m, depth);
  const fp = m.frameFp[depth]!;
  const a = analysisAt(func, position);
  let types = a.stack;
  if (a.unreachable) {
    // The type tracking followed the textual order, which ended the other branch of an
    // if in dead code (e.g. `(else (br 1))`). Execution can only stand here at that if's
    // `end`, jumped to from the branch it ran: what is on the stack is the if's results.
    const inner = a.labels[a.labels.length - 1]!;
    types = [...a.stack.slice(0, inner.height), ...inner.results];
  }
  let end = m.sp;
  if (!top) {
    // The callee's arguments (and call_indirect's table index) left this frame's stack
    // when the call began.
    const callee = m.frameFn[depth + 1]!;
    const op = code.func.body[position]?.code;
    const taken = callee.type.params.length + (op === 0x11 || op === 0x14 ? 1 : 0); // call_ref's reference too
    types = types.slice(0, types.length - taken);
    end = m.frameFp[depth + 1]!;
  }
  const slots: number[] = [];
  const out: ValType[] = [];
  let slot = fp + code.localSlots;
  for (const t of types) {
    // 'unknown' only occurs in unreachable code, which never runs.
    const vt: ValType = t === 'unknown' ? 'i64' : t;
    slots.push(slot);
    out.push(vt);
    slot += vt === 'v128' ? 2 : 1;
  }
  if (slot !== end) throw new Error(`internal error: frame ${depth} has ${end - fp - code.localSlots} operand slots, types say ${slot - fp - code.localSlots}`);
  return { depth, func, position, fp, slots, types: out, labels: a.labels };
}

/** For each body position of a block/loop/if, the position of its `end` (else -1); also of each `else`. */
export interface Blocks {
  readonly end: Int32Array;
  readonly elseAt: Int32Array;
}

const blocksCache = new WeakMap<Func, Blocks>();

export function blocksOf(f: Func): Blocks {
  let b = blocksCache.get(f);
  if (b !== undefined) return b;
  const n = f.body.length;
  const end = new Int32Array(n).fill(-1);
  const elseAt = new Int32Array(n).fill(-1);
  const open: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = f.body[i]!.code;
    if (c === 0x02 || c === 0x03 || c === 0x04) open.push(i);
    else if (c === 0x05) {
      const s = open[open.length - 1];
      if (s !== undefined) elseAt[s] = i;
    } else if (c === 0x0b) {
      const s = open.pop();
      if (s !== undefined) end[s] = i;
    }
  }
  b = { end, elseAt };
  blocksCache.set(f, b);
  return b;
}

/**
 * Where a branch to a label continues: the body position after the block's `end`, the
 * first instruction of a loop's body, or the function's return (null).
 */
export function branchTargetOf(f: Func, label: LabelInfo): number | null {
  if (label.kind === 'func') return null;
  if (label.kind === 'loop') return label.start + 1;
  const e = blocksOf(f).end[label.start]!;
  return e < 0 ? null : e + 1;
}
