// Tail calls: return_call, return_call_indirect and return_call_ref (WebAssembly 3.0,
// https://webassembly.github.io/spec/core/exec/instructions.html#xref-syntax-instructions-syntax-instr-control-mathsf-return-call-x).
// The callee's frame replaces the caller's instead of being pushed on it: the arguments
// move down to the frame pointer, where the caller's locals were, and the frame keeps its
// place in the machine's frame arrays (the caller's own return address, in the frame
// below, stays). So a tail-recursive loop runs in constant frame depth, however long it
// runs, and never meets the call-depth limit. A host callee cannot take over a frame: a
// tail call to it is a call followed at once by a return of its results.
//
// The dispatch loop (engine/exec/machine.ts) hands the instruction here with its registers
// written back to the Machine and reads them again afterwards: tail calls are rare next to
// plain calls, so they stay out of the loop's hot cases. Everything that can trap is
// checked before anything changes, so a trap leaves the caller's frame as it was.

import { OPC } from './layout.ts';
import type { Machine } from './machine.ts';
import type { FuncInstance } from './runtime.ts';
import { Trap, TrapMessage } from './trap.ts';

/**
 * Runs the tail call at `pc` of `code` (the current function's), on a machine whose
 * registers (fn, pc, fp, sp, depth) are current. Returns true when it returned from the
 * outermost frame (a host callee's results end the call), false when the machine goes on.
 */
export function tailCall(m: Machine, op: number, code: Int32Array, pc: number): boolean {
  const inst = m.fn!.instance;
  let top = m.sp;
  let callee: FuncInstance;
  if (op === OPC.RETURN_CALL) callee = inst.funcs[code[pc + 1]!]!;
  else if (op === OPC.RETURN_CALL_REF) {
    // return_call_ref [type]: the reference on top; validation fixed its type.
    top--;
    const f = m.refs[top];
    if (f === null || f === undefined) throw new Trap(TrapMessage.nullFunctionReference);
    callee = f as FuncInstance;
  } else {
    // return_call_indirect [type table]: the same checks as call_indirect.
    const table = inst.tables[code[pc + 2]!]!;
    top--;
    const i = m.i32[2 * top]! >>> 0;
    if (i >= table.elements.length) throw new Trap(`${TrapMessage.undefinedElement} ${i}`);
    const f = table.elements[i];
    if (f === null || f === undefined) throw new Trap(`${TrapMessage.uninitializedElement} ${i}`);
    callee = f as FuncInstance;
    if (callee.typeId !== inst.typeIds[code[pc + 1]!]) throw new Trap(TrapMessage.indirectCallTypeMismatch);
  }
  const fp = m.fp;
  if (callee.kind === 'host') {
    const end = m.callHost(callee, top);
    return returnFrom(m, end - slots(callee.type.results), end);
  }
  const c = callee.code;
  const from = top - c.paramSlots;
  if (fp + c.maxSlots > m.capacity) m.growStack(fp + c.maxSlots);
  // The arguments replace the caller's locals; they only ever move down (fp <= from).
  const i32 = m.i32;
  const refs = m.refs;
  if (from !== fp) {
    for (let k = 2 * fp, j = 2 * from, e = 2 * top; j < e; k++, j++) i32[k] = i32[j]!;
    for (let k = 0; k < c.paramSlots; k++) refs[fp + k] = refs[from + k];
  }
  // Declared locals start at zero (and null).
  i32.fill(0, 2 * (fp + c.paramSlots), 2 * (fp + c.localSlots));
  for (let k = 0; k < c.refLocals.length; k++) refs[fp + c.refLocals[k]!] = null;
  m.frameFn[m.depth - 1] = callee;
  m.fn = callee;
  m.pc = 0;
  m.sp = fp + c.localSlots;
  return false;
}

/** Returns the values in slots [from, to) from the current frame, as `return` does. */
function returnFrom(m: Machine, from: number, to: number): boolean {
  const fp = m.fp;
  if (from !== fp) {
    const i32 = m.i32;
    const refs = m.refs;
    for (let k = 2 * fp, j = 2 * from, e = 2 * to; j < e; k++, j++) i32[k] = i32[j]!;
    for (let k = 0; k < to - from; k++) refs[fp + k] = refs[from + k];
  }
  m.sp = fp + (to - from);
  const depth = --m.depth;
  m.frameFn[depth] = undefined;
  if (depth === 0) return true;
  const fn = m.frameFn[depth - 1]!;
  m.fn = fn as typeof m.fn;
  m.pc = m.framePc[depth - 1]!;
  m.fp = m.frameFp[depth - 1]!;
  return false;
}

function slots(types: readonly string[]): number {
  let n = 0;
  for (const t of types) n += t === 'v128' ? 2 : 1;
  return n;
}
