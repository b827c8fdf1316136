// Read-only views of a stopped Machine for debuggers and steppers: the frames with their
// function, position, locals, typed operand stack and labels — the spec's stack of
// frames, labels and values (https://webassembly.github.io/spec/core/exec/runtime.html#stack)
// reconstructed from the interpreter's compact state.
//
// The interpreter keeps raw slots and no label stack (engine/exec/compile.ts), so types and
// labels are recomputed here from the code position by re-running the pre-decoder's type
// tracking up to it. That costs time only when a view asks, never while running. Nothing
// here writes to the machine; returned values are copies.

import type { Instr, Span, ValType } from '../syntax/index.ts';
import { analyze, moduleTypes, positionOf, type LabelInfo, type ModuleTypes } from './compile.ts';
import { callSite } from './layout.ts';
import type { Machine } from './machine.ts';
import type { Instance, WasmFunction } from './runtime.ts';
import { slotsOf, typedValue, type TypedValue } from './values.ts';

export type { LabelInfo } from './compile.ts';

export interface MachineFrameView {
  /** 0 is the outermost frame (the function that was started). */
  readonly depth: number;
  readonly func: WasmFunction;
  /** Index in the module's function index space. */
  readonly funcIndex: number;
  readonly instance: Instance;
  /**
   * Body position of the instruction about to run (for a caller: of its call); the
   * implicit final `end` is body.length.
   */
  readonly position: number;
  /** The instruction at `position` (undefined at the implicit final `end`). */
  readonly instr: Instr | undefined;
  /** Where that instruction is in the source (the function's endSpan at its final `end`). */
  readonly span: Span | undefined;
  /** Parameters, then declared locals. */
  readonly locals: readonly TypedValue[];
  /** This frame's operand stack, bottom first. */
  readonly stack: readonly TypedValue[];
  /** Labels in scope, outermost (the function's own) first. */
  readonly labels: readonly LabelInfo[];
}

const typesCache = new WeakMap<object, ModuleTypes>();

function typesOf(inst: Instance): ModuleTypes {
  let mt = typesCache.get(inst.module);
  if (mt === undefined) {
    mt = moduleTypes(inst.module);
    typesCache.set(inst.module, mt);
  }
  return mt;
}

function read(m: Machine, type: ValType | 'unknown', slot: number): TypedValue {
  return typedValue(type === 'unknown' ? 'i64' : type, m.i32, 2 * slot, m.refs[slot]);
}

/** Number of frames of a stopped machine (0 when it is done or idle). */
export function frameCount(m: Machine): number {
  return m.status === 'done' || m.status === 'idle' ? 0 : m.depth;
}

/** One frame of a stopped machine; depth 0 is the outermost, frameCount(m) - 1 the current. */
export function frameAt(m: Machine, depth: number): MachineFrameView {
  const count = frameCount(m);
  if (depth < 0 || depth >= count) throw new RangeError(`no frame ${depth} (the machine has ${count})`);
  const func = m.frameFn[depth]!;
  const code = func.code;
  const top = depth === count - 1;
  const pc = top ? m.pc : callSite(m.framePc[depth]!);
  const position = positionOf(code.offsets, pc);
  const fp = m.frameFp[depth]!;
  const locals = code.localTypes.map((t, i) => read(m, t, fp + code.localOffsets[i]!));

  const snap = analyze(func.instance.module, typesOf(func.instance), func.index, position);
  let types = snap.stack;
  if (snap.unreachable) {
    // The type tracking followed the textual order, which ended the other branch of an if
    // in dead code (e.g. `(else (br 1))`). Execution can only stand here at that if's
    // `end`, jumped to from the branch it ran: what is on the stack is the if's results.
    const inner = snap.labels[snap.labels.length - 1]!;
    types = [...snap.stack.slice(0, inner.height), ...inner.results];
  }
  let end = m.sp;
  if (!top) {
    // The callee's arguments (and call_indirect's table index) were taken off this
    // frame's stack when the call began.
    const callee = m.frameFn[depth + 1]!;
    const ins = func.code.func.body[position];
    const taken = callee.type.params.length + (ins?.code === 0x11 || ins?.code === 0x14 ? 1 : 0); // call_ref's reference too
    types = types.slice(0, types.length - taken);
    end = m.frameFp[depth + 1]!;
  }
  const stack: TypedValue[] = [];
  let slot = fp + code.localSlots;
  for (const t of types) {
    stack.push(read(m, t, slot));
    slot += t === 'unknown' ? 1 : slotsOf(t);
  }
  if (slot !== end) throw new Error(`internal error: frame ${depth} has ${end - fp - code.localSlots} operand slots, types say ${slot - fp - code.localSlots}`);
  const instr = code.func.body[position];
  return {
    depth,
    func,
    funcIndex: func.index,
    instance: func.instance,
    position,
    instr,
    span: instr?.span ?? code.func.endSpan,
    locals,
    stack,
    labels: snap.labels,
  };
}

/** All frames of a stopped machine, outermost first. */
export function frames(m: Machine): MachineFrameView[] {
  const out: MachineFrameView[] = [];
  for (let d = 0; d < frameCount(m); d++) out.push(frameAt(m, d));
  return out;
}

/** The current (innermost) frame, or undefined when nothing is running. */
export function currentFrame(m: Machine): MachineFrameView | undefined {
  const n = frameCount(m);
  return n === 0 ? undefined : frameAt(m, n - 1);
}

/** An instance's globals as typed values (imported ones first). */
export function globalValues(inst: Instance): TypedValue[] {
  return inst.globals.map((g) => g.typed);
}
