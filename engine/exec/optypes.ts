// The interpreter's view of the instruction table's fixed signatures
// (engine/syntax/instructions.ts, typed by engine/syntax/typing-rules.ts after
// https://webassembly.github.io/spec/core/valid/instructions.html): the operand and result
// types of every numeric, conversion, memory-access and vector instruction. The
// pre-decoder (compile.ts) needs them to track the operand stack's types — a v128 takes
// two value slots, a reference lives beside the slots — and the inspector to tell a paused
// stack's types.
//
// Instructions whose immediates name a memory, table, segment or function (memory.size,
// memory.grow, the bulk memory and table instructions, ref.func) are compiled one by one
// in compile.ts, so they have no entry here.

import { type ImmKind, OPS, OPS_3, type StackSig } from '../syntax/index.ts';

/** Immediates whose instructions compile.ts compiles by hand. */
const COMPILED_BY_HAND: ReadonlySet<ImmKind> = new Set<ImmKind>([
  'memory', 'memory_copy', 'memory_fill', 'memory_init', 'data', 'table', 'table_copy', 'table_init', 'elem', 'func',
]);

const sigs = new Map<number, StackSig>();
for (const info of OPS) {
  if (info.sig !== undefined && !COMPILED_BY_HAND.has(info.imm)) sigs.set(info.code, info.sig);
}
// Relaxed SIMD (3.0): plain vector instructions with fixed signatures.
for (const info of OPS_3) if (info.proposal === 'relaxed-simd' && info.sig !== undefined) sigs.set(info.code, info.sig);

/** The fixed signature of the instruction with this opcode, or undefined when it depends on immediates or context. */
export function stackTypes(code: number): StackSig | undefined {
  return sigs.get(code);
}
