// What each internal opcode of the interpreter (engine/exec/compile.ts) does to the value
// stack and the store, in the terms the session's per-step bookkeeping needs:
//
// - RES: which value-stack slots hold values the step pushed, so each value can carry a
//   stable id (the step that pushed it + its position). Most instructions push their
//   results on top; local.tee keeps its operand (same value, same id); a branch that
//   moves carried values down gives them new positions; calls and returns change frames.
// - WRITE: where the step may write, so the copy-on-write checkpoints (engine/trace/pages.ts)
//   and changedSince() learn about it without any hook in the interpreter's hot loop.
//
// Tables are indexed by internal opcode (< 0x300), filled from the instruction table
// (engine/syntax/instructions.ts: narration kinds, natural alignments) and the fixed
// signatures of engine/exec/optypes.ts so no opcode is listed twice.

import { internalOp, OPC, stackTypes, TABLE64, TABLE64_BASE } from '../exec/index.ts';
import { type NarrationKind, OPS, OPS_3 } from '../syntax/index.ts';

export const RES_NONE = 0;
/** The result takes the top slot. */
export const RES_TOP1 = 1;
/** The result is a v128: the top two slots. */
export const RES_TOP2 = 2;
/** Everything above the old stack pointer is new (constants, local.get, global.get, …). */
export const RES_PUSH = 3;
/** br / br_if / br_table with a stack adjustment: carried values may move down. */
export const RES_BRANCH = 4;
export const RES_CALL = 5;
export const RES_RETURN = 6;

export const W_NONE = 0;
/** A scalar store: the address is two slots down; WSIZE bytes. */
export const W_STORE = 1;
/** v128.store and the lane stores: the address is below a v128 operand. */
export const W_VSTORE = 2;
/** memory.init / memory.copy / memory.fill: [dest, _, n]. */
export const W_BULK = 3;
export const W_GROW = 4;
/** A table change (engine/exec/layout.ts `tableIndex` says which table). */
export const W_TABLE = 5;
/** table.init: a table change from an element segment. */
export const W_TABLE2 = 6;
/**
 * A MEM_* instruction (another memory, or i64 addresses; engine/exec/memories.ts): the
 * memory it names (layout's `memIndex`) is marked whole, or grown. For MEM_ACCESS the
 * tables are read at the load or store it performs (`memAccessOp`).
 */
export const W_MEMORY = 7;

// Sized for every internal opcode (engine/exec/layout.ts OP_LENGTH); the exception-handling
// ones (0x2D0…) push nothing themselves: a throw's payload is marked from Machine.lastThrow.
export const RES = new Uint8Array(0x300);
export const WRITE = new Uint8Array(0x300);
export const WSIZE = new Uint8Array(0x300);

/** The internal opcodes of the 2.0 instructions of these narration kinds. */
function ofKind(...kinds: NarrationKind[]): number[] {
  return OPS.filter((info) => kinds.includes(info.narration)).map((info) => internalOp(info.code));
}

// Relaxed SIMD (3.0) has fixed signatures like 2.0's vector instructions.
for (const info of [...OPS, ...OPS_3.filter((i) => i.proposal === 'relaxed-simd')]) {
  const sig = stackTypes(info.code);
  if (sig === undefined) continue;
  const slots = sig.results.reduce((n, t) => n + (t === 'v128' ? 2 : 1), 0);
  RES[internalOp(info.code)] = slots === 0 ? RES_NONE : slots === 1 ? RES_TOP1 : RES_TOP2;
}
for (const op of [OPC.LOCAL_GET32, OPC.LOCAL_GET64, OPC.LOCAL_GET128, OPC.LOCAL_GET_REF, OPC.GLOBAL_GET32, OPC.GLOBAL_GET64, OPC.GLOBAL_GET128, OPC.GLOBAL_GET_REF]) {
  RES[op] = RES_PUSH;
}
for (const op of ofKind('const', 'memory.size', 'ref.null', 'ref.func', 'table.size')) RES[op] = RES_PUSH;
for (const op of [OPC.SELECT32, OPC.SELECT64, OPC.SELECT_REF, ...ofKind('memory.grow', 'table.get', 'ref.is_null', 'table.grow')]) {
  RES[op] = RES_TOP1;
}
RES[OPC.SELECT128] = RES_TOP2;
RES[OPC.BR_ADJ] = RES_BRANCH;
RES[OPC.BR_IF_ADJ] = RES_BRANCH;
for (const op of ofKind('br_table')) RES[op] = RES_BRANCH;
for (const op of ofKind('call', 'call_indirect')) RES[op] = RES_CALL;
// Typed function references: call_ref calls; br_on_null / br_on_non_null branch as BR_ADJ
// does when taken (the tracker tells whether from the reference); ref.as_non_null's result
// is the checked reference.
RES[OPC.CALL_REF] = RES_CALL;
RES[OPC.REF_AS_NON_NULL] = RES_TOP1;
RES[OPC.BR_ON_NULL] = RES_BRANCH;
RES[OPC.BR_ON_NON_NULL] = RES_BRANCH;
for (const op of ofKind('return')) RES[op] = RES_RETURN;

// A store writes as many bytes as its natural alignment says (1 << align); v128.store and
// the lane stores have a v128 operand above the address.
for (const info of OPS) {
  if (info.narration !== 'store') continue;
  const op = internalOp(info.code);
  WRITE[op] = info.sig!.params.includes('v128') ? W_VSTORE : W_STORE;
  WSIZE[op] = 1 << info.align!;
}
for (const op of ofKind('memory.init', 'memory.copy', 'memory.fill')) WRITE[op] = W_BULK;
for (const op of ofKind('memory.grow')) WRITE[op] = W_GROW;
for (const op of ofKind('table.set', 'table.copy', 'table.grow', 'table.fill')) WRITE[op] = W_TABLE;
for (const op of ofKind('table.init')) WRITE[op] = W_TABLE2;
// table64: the same effects as the 2.0 forms.
TABLE64_BASE.forEach((base, k) => {
  RES[TABLE64.GET + k] = RES[base]!;
  WRITE[TABLE64.GET + k] = WRITE[base]!;
});
RES[OPC.MEM_SIZE] = RES_PUSH;
RES[OPC.MEM_GROW] = RES_TOP1;
for (const op of [OPC.MEM_GROW, OPC.MEM_INIT, OPC.MEM_COPY, OPC.MEM_FILL]) WRITE[op] = W_MEMORY;
