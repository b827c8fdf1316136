// The instructions WebAssembly 3.0 adds to 2.0 (engine/syntax/opcodes.ts), plus the legacy
// exception-handling instructions that toolchains still emit (emscripten's -fexceptions):
// tail calls, exception handling, typed function references, garbage collection and
// relaxed SIMD. Binary: https://webassembly.github.io/spec/core/binary/instructions.html
// Legacy exceptions: https://github.com/WebAssembly/exception-handling/blob/main/proposals/exception-handling/legacy/Exceptions.md
//
// They live apart from the 2.0 table on purpose: OPS and opByName stay the 2.0 language
// that the text parser, validator and interpreter implement, while the decoder and the
// disassembler read these too (opByCodeAny). Each entry names its proposal, which is how
// features.ts reports them and how the validator words its refusal.

import { opByCode, type ImmKind, type OpInfo } from './opcodes.ts';

/** The WebAssembly 3.0 proposals (and legacy exceptions) an instruction or type can come from. */
export type ProposalId =
  | 'tail-call'
  | 'exceptions'
  | 'legacy-exceptions'
  | 'function-references'
  | 'gc'
  | 'relaxed-simd'
  | 'memory64'
  | 'multi-memory'
  | 'extended-const';

/** Immediate kinds of the 3.0 instructions, beyond 2.0's ImmKind. */
export type ImmKind3 =
  /** a tag index (throw, legacy catch) */
  | 'tag'
  /** block type, then a vector of catch clauses (try_table) */
  | 'try_table'
  /** a type index (call_ref, struct.new, array.new, array.get, …) */
  | 'type'
  /** type index and field index (struct.get/set) */
  | 'struct_field'
  /** type index and element count (array.new_fixed) */
  | 'array_fixed'
  /** type index and data segment (array.new_data, array.init_data) */
  | 'array_data'
  /** type index and element segment (array.new_elem, array.init_elem) */
  | 'array_elem'
  /** destination and source type indices (array.copy) */
  | 'array_copy'
  /** a heap type (ref.test, ref.cast) */
  | 'heap'
  /** cast flags, label, source and target heap types (br_on_cast, br_on_cast_fail) */
  | 'br_on_cast';

export interface OpInfo3 {
  readonly op: string;
  readonly code: number;
  readonly imm: ImmKind | ImmKind3;
  readonly align?: number;
  /** The proposal the instruction comes from; undefined for 2.0 instructions. */
  readonly proposal?: ProposalId;
  /** ref.test/ref.cast: whether the target type is nullable (told apart by opcode). */
  readonly nullable?: boolean;
}

const FB = 0xfb << 16;
const FD = 0xfd << 16;

const table: OpInfo3[] = [];

function add(code: number, op: string, imm: ImmKind | ImmKind3, proposal: ProposalId, nullable?: boolean): void {
  table.push(nullable === undefined ? { op, code, imm, proposal } : { op, code, imm, proposal, nullable });
}

// --- Tail calls
add(0x12, 'return_call', 'func', 'tail-call');
add(0x13, 'return_call_indirect', 'call_indirect', 'tail-call');

// --- Exception handling (exnref): throw, throw_ref, try_table
add(0x08, 'throw', 'tag', 'exceptions');
add(0x0a, 'throw_ref', 'none', 'exceptions');
add(0x1f, 'try_table', 'try_table', 'exceptions');

// --- Legacy exception handling: try … catch … catch_all … end / delegate, rethrow
add(0x06, 'try', 'block', 'legacy-exceptions');
add(0x07, 'catch', 'tag', 'legacy-exceptions');
add(0x09, 'rethrow', 'label', 'legacy-exceptions');
add(0x18, 'delegate', 'label', 'legacy-exceptions');
add(0x19, 'catch_all', 'none', 'legacy-exceptions');

// --- Typed function references
add(0x14, 'call_ref', 'type', 'function-references');
add(0x15, 'return_call_ref', 'type', 'function-references');
add(0xd4, 'ref.as_non_null', 'none', 'function-references');
add(0xd5, 'br_on_null', 'label', 'function-references');
add(0xd6, 'br_on_non_null', 'label', 'function-references');

// --- Garbage collection
add(0xd3, 'ref.eq', 'none', 'gc');
add(FB | 0, 'struct.new', 'type', 'gc');
add(FB | 1, 'struct.new_default', 'type', 'gc');
add(FB | 2, 'struct.get', 'struct_field', 'gc');
add(FB | 3, 'struct.get_s', 'struct_field', 'gc');
add(FB | 4, 'struct.get_u', 'struct_field', 'gc');
add(FB | 5, 'struct.set', 'struct_field', 'gc');
add(FB | 6, 'array.new', 'type', 'gc');
add(FB | 7, 'array.new_default', 'type', 'gc');
add(FB | 8, 'array.new_fixed', 'array_fixed', 'gc');
add(FB | 9, 'array.new_data', 'array_data', 'gc');
add(FB | 10, 'array.new_elem', 'array_elem', 'gc');
add(FB | 11, 'array.get', 'type', 'gc');
add(FB | 12, 'array.get_s', 'type', 'gc');
add(FB | 13, 'array.get_u', 'type', 'gc');
add(FB | 14, 'array.set', 'type', 'gc');
add(FB | 15, 'array.len', 'none', 'gc');
add(FB | 16, 'array.fill', 'type', 'gc');
add(FB | 17, 'array.copy', 'array_copy', 'gc');
add(FB | 18, 'array.init_data', 'array_data', 'gc');
add(FB | 19, 'array.init_elem', 'array_elem', 'gc');
add(FB | 20, 'ref.test', 'heap', 'gc', false);
add(FB | 21, 'ref.test', 'heap', 'gc', true);
add(FB | 22, 'ref.cast', 'heap', 'gc', false);
add(FB | 23, 'ref.cast', 'heap', 'gc', true);
add(FB | 24, 'br_on_cast', 'br_on_cast', 'gc');
add(FB | 25, 'br_on_cast_fail', 'br_on_cast', 'gc');
add(FB | 26, 'any.convert_extern', 'none', 'gc');
add(FB | 27, 'extern.convert_any', 'none', 'gc');
add(FB | 28, 'ref.i31', 'none', 'gc');
add(FB | 29, 'i31.get_s', 'none', 'gc');
add(FB | 30, 'i31.get_u', 'none', 'gc');

// --- Relaxed SIMD (0xFD 0x100–0x113)
[
  'i8x16.relaxed_swizzle',
  'i32x4.relaxed_trunc_f32x4_s', 'i32x4.relaxed_trunc_f32x4_u',
  'i32x4.relaxed_trunc_f64x2_s_zero', 'i32x4.relaxed_trunc_f64x2_u_zero',
  'f32x4.relaxed_madd', 'f32x4.relaxed_nmadd', 'f64x2.relaxed_madd', 'f64x2.relaxed_nmadd',
  'i8x16.relaxed_laneselect', 'i16x8.relaxed_laneselect', 'i32x4.relaxed_laneselect', 'i64x2.relaxed_laneselect',
  'f32x4.relaxed_min', 'f32x4.relaxed_max', 'f64x2.relaxed_min', 'f64x2.relaxed_max',
  'i16x8.relaxed_q15mulr_s', 'i16x8.relaxed_dot_i8x16_i7x16_s', 'i32x4.relaxed_dot_i8x16_i7x16_add_s',
].forEach((op, i) => add(FD | (0x100 + i), op, 'none', 'relaxed-simd'));

table.sort((a, b) => a.code - b.code);

/** The instructions WebAssembly 3.0 (and legacy exceptions) add, ordered by opcode. */
export const OPS_3: readonly OpInfo3[] = Object.freeze(table.map((info) => Object.freeze(info)));

const byCode = new Map<number, OpInfo3>(OPS_3.map((info) => [info.code, info]));

/** A 2.0 or 3.0 instruction by opcode (a byte, or prefix << 16 | sub-opcode), for readers of binaries. */
export function opByCodeAny(code: number): OpInfo3 | OpInfo | undefined {
  return opByCode(code) ?? byCode.get(code);
}

/** The proposal a 3.0 instruction comes from, by opcode; undefined for 2.0 and unknown opcodes. */
export function proposalOfCode(code: number): ProposalId | undefined {
  return byCode.get(code)?.proposal;
}

/** Human-readable proposal names, as in the spec's change log for release 3.0. */
export const PROPOSAL_NAMES: Readonly<Record<ProposalId, string>> = {
  'tail-call': 'tail calls',
  exceptions: 'exception handling',
  'legacy-exceptions': 'legacy exception handling',
  'function-references': 'typed function references',
  gc: 'garbage collection',
  'relaxed-simd': 'relaxed vector instructions',
  memory64: '64-bit memories and tables',
  'multi-memory': 'multiple memories',
  'extended-const': 'extended constant expressions',
};
