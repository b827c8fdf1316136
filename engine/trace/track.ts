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
// Tables are indexed by internal opcode (< 0x200), filled from the instruction table and
// the fixed signatures of engine/exec/optypes.ts so no opcode is listed twice.

import { internalOp, OPC } from '../exec/layout.ts';
import { opSig } from '../exec/optypes.ts';
import { OPS } from '../syntax/opcodes.ts';

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

export const RES = new Uint8Array(0x200);
export const WRITE = new Uint8Array(0x200);
export const WSIZE = new Uint8Array(0x200);

const FC = OPC.FC;
const FD = OPC.FD;

for (const info of OPS) {
  const sig = opSig(info.code);
  if (sig === undefined) continue;
  const slots = sig.results.reduce((n, t) => n + (t === 'v128' ? 2 : 1), 0);
  RES[internalOp(info.code)] = slots === 0 ? RES_NONE : slots === 1 ? RES_TOP1 : RES_TOP2;
}
for (const op of [0x20, OPC.LOCAL_GET64, OPC.LOCAL_GET128, OPC.LOCAL_GET_REF, 0x23, OPC.GLOBAL_GET64, OPC.GLOBAL_GET128, OPC.GLOBAL_GET_REF]) {
  RES[op] = RES_PUSH;
}
for (const op of [0x41, 0x42, 0x43, 0x44, 0x3f, 0xd0, 0xd2, FC + 16, FD + 12]) RES[op] = RES_PUSH;
for (const op of [0x1b, OPC.SELECT64, OPC.SELECT_REF, 0x40, 0x25, 0xd1, FC + 15]) RES[op] = RES_TOP1;
RES[OPC.SELECT128] = RES_TOP2;
RES[OPC.BR_ADJ] = RES_BRANCH;
RES[OPC.BR_IF_ADJ] = RES_BRANCH;
RES[OPC.BR_TABLE] = RES_BRANCH;
RES[OPC.CALL] = RES_CALL;
RES[OPC.CALL_INDIRECT] = RES_CALL;
RES[OPC.RETURN] = RES_RETURN;

const storeSizes: [number, number][] = [
  [0x36, 4], [0x37, 8], [0x38, 4], [0x39, 8], [0x3a, 1], [0x3b, 2], [0x3c, 1], [0x3d, 2], [0x3e, 4],
];
for (const [op, n] of storeSizes) {
  WRITE[op] = W_STORE;
  WSIZE[op] = n;
}
const vstoreSizes: [number, number][] = [[FD + 0x0b, 16], [FD + 0x58, 1], [FD + 0x59, 2], [FD + 0x5a, 4], [FD + 0x5b, 8]];
for (const [op, n] of vstoreSizes) {
  WRITE[op] = W_VSTORE;
  WSIZE[op] = n;
}
for (const op of [FC + 8, FC + 10, FC + 11]) WRITE[op] = W_BULK;
WRITE[0x40] = W_GROW;
for (const op of [0x26, FC + 14, FC + 15, FC + 17]) WRITE[op] = W_TABLE;
WRITE[FC + 12] = W_TABLE2;
