// The WebAssembly 3.0 view of the instruction table (engine/syntax/instructions.ts): the
// instructions 3.0 adds to 2.0 (engine/syntax/opcodes.ts), plus the legacy
// exception-handling instructions — tail calls, exception handling, typed function
// references, garbage collection and relaxed SIMD.
// Binary: https://webassembly.github.io/spec/core/binary/instructions.html
//
// They stay out of the 2.0 view on purpose: OPS and opByName are the 2.0 language that the
// text parser, validator and interpreter implement, while the decoder and the
// disassembler read these too (opByCodeAny). Each entry names its proposal, which is how
// features.ts reports them and how the validator words its refusal.

import { INSTRUCTIONS, type OpInfo, type OpInfo3, type ProposalId } from './instructions.ts';
import { opByCode } from './opcodes.ts';

export { PROPOSAL_NAMES } from './instructions.ts';
export type { ImmKind3, OpInfo3, ProposalId } from './instructions.ts';

/** The instructions WebAssembly 3.0 (and legacy exceptions) add, ordered by opcode. */
export const OPS_3: readonly OpInfo3[] = Object.freeze(INSTRUCTIONS.filter((info) => info.proposal !== undefined));

const byCode = new Map<number, OpInfo3>(OPS_3.map((info) => [info.code, info]));

/** A 2.0 or 3.0 instruction by opcode (a byte, or prefix << 16 | sub-opcode), for readers of binaries. */
export function opByCodeAny(code: number): OpInfo3 | OpInfo | undefined {
  return opByCode(code) ?? byCode.get(code);
}

const byName3 = new Map<string, OpInfo3>();
for (const info of OPS_3) if (!byName3.has(info.op)) byName3.set(info.op, info);

/** A 3.0 instruction by mnemonic (ref.test and ref.cast: the first of their two opcodes). */
export function opByName3(name: string): OpInfo3 | undefined {
  return byName3.get(name);
}

/** The proposal a 3.0 instruction comes from, by opcode; undefined for 2.0 and unknown opcodes. */
export function proposalOfCode(code: number): ProposalId | undefined {
  return byCode.get(code)?.proposal;
}
