// The WebAssembly instruction table: every opcode the engine knows — WebAssembly 2.0, the
// instructions 3.0 adds, and the legacy exception instructions toolchains still emit
// (emscripten's -fexceptions) — with each fact about it listed once:
//
// - `op`, `code`: the text mnemonic and the opcode (engine/syntax/ast.ts: one byte, or
//   prefix << 16 | sub-opcode for the 0xFB, 0xFC and 0xFD prefixes);
// - `imm`: the kind of immediate that follows the opcode in the binary format;
// - `align`: the natural alignment (log2 bytes) of a memory access, which is also its width;
// - `proposal`: the 3.0 proposal it comes from, undefined for 2.0;
// - `sig`: the stack signature when the opcode alone fixes it (./typing-rules.ts);
// - `narration`: the kind of sentence engine/trace/narrate.ts says about it (2.0, and the
//   3.0 instructions the engine runs).
//
// Binary: https://webassembly.github.io/spec/core/binary/instructions.html
// Text:   https://webassembly.github.io/spec/core/text/instructions.html
// Typing: https://webassembly.github.io/spec/core/valid/instructions.html
// Legacy exceptions: https://github.com/WebAssembly/exception-handling/blob/main/proposals/exception-handling/legacy/Exceptions.md
//
// Everything else is a view of this table: opcodes.ts (2.0, the language the text
// parser, validator and interpreter implement: OPS, opByCode, opByName), opcodes3.ts
// (the 3.0 additions the decoder and disassembler also read: OPS_3, opByCodeAny), the
// validator's signature arrays (engine/valid/signatures.ts), the interpreter's
// (engine/exec/optypes.ts), and the trace layer's narration and bookkeeping.

import { fixedSig, type StackSig } from './typing-rules.ts';

export type { StackSig } from './typing-rules.ts';

export type ImmKind =
  | 'none'
  | 'block'
  | 'label'
  | 'br_table'
  | 'local'
  | 'global'
  | 'func'
  | 'call_indirect'
  | 'memarg'
  /** memory.size/grow: one memory index byte */
  | 'memory'
  | 'i32'
  | 'i64'
  | 'f32'
  | 'f64'
  | 'v128'
  | 'shuffle'
  | 'lane'
  | 'memarg_lane'
  | 'select_t'
  | 'ref_null'
  | 'table'
  | 'table_copy'
  | 'table_init'
  | 'elem'
  | 'data'
  | 'memory_init'
  | 'memory_copy'
  | 'memory_fill';

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

/**
 * How narration words a step of the instruction (engine/trace/narrate.ts): control,
 * variable, table, memory and reference instructions each have a sentence of their own and
 * are their own kind; the numeric and vector ones share six.
 */
export type NarrationKind =
  | 'unreachable' | 'nop' | 'block' | 'loop' | 'if' | 'else' | 'end' | 'br' | 'br_if' | 'br_table' | 'return'
  | 'call' | 'call_indirect' | 'drop' | 'select'
  | 'return_call' | 'return_call_indirect' | 'return_call_ref'
  | 'local.get' | 'local.set' | 'local.tee' | 'global.get' | 'global.set'
  | 'table.get' | 'table.set' | 'table.size' | 'table.grow' | 'table.fill' | 'table.copy' | 'table.init' | 'elem.drop'
  | 'memory.size' | 'memory.grow' | 'memory.init' | 'data.drop' | 'memory.copy' | 'memory.fill'
  | 'ref.null' | 'ref.is_null' | 'ref.func'
  | 'const' | 'load' | 'store' | 'compare' | 'test' | 'numeric'
  // Exception handling (3.0 and legacy), which the interpreter runs too.
  | 'throw' | 'throw_ref' | 'try_table' | 'try' | 'catch' | 'catch_all' | 'delegate' | 'rethrow'
  // Typed function references (WebAssembly 3.0).
  | 'call_ref' | 'ref.as_non_null' | 'br_on_null' | 'br_on_non_null';

/** One instruction of the table (2.0 or 3.0). */
export interface OpInfo3 {
  readonly op: string;
  readonly code: number;
  readonly imm: ImmKind | ImmKind3;
  /** Natural alignment, log2 bytes, for memory accesses. */
  readonly align?: number;
  /** The proposal the instruction comes from; undefined for 2.0 instructions. */
  readonly proposal?: ProposalId;
  /** ref.test/ref.cast: whether the target type is nullable (told apart by opcode). */
  readonly nullable?: boolean;
  /** The stack signature when the opcode alone fixes it; undefined when it depends on the context. */
  readonly sig?: StackSig;
  /** How narration words it; undefined for the 3.0 instructions nothing runs yet. */
  readonly narration?: NarrationKind;
}

/** A WebAssembly 2.0 instruction. */
export interface OpInfo extends OpInfo3 {
  readonly imm: ImmKind;
  readonly proposal?: undefined;
  readonly nullable?: undefined;
  readonly narration: NarrationKind;
}

const FB = 0xfb << 16;
const FC = 0xfc << 16;
const FD = 0xfd << 16;

const table: OpInfo3[] = [];

const VALUE_PREFIX = /^(i32|i64|f32|f64|v128|i8x16|i16x8|i32x4|i64x2|f32x4|f64x2)\./;
const SCALAR_COMPARE = /^(i32|i64|f32|f64)\.(eq|ne|lt|gt|le|ge)(_[su])?$/;

/** The narration kind of a 2.0 mnemonic: numeric and vector instructions by what they do, the rest by name. */
function narrationOf(op: string): NarrationKind {
  if (!VALUE_PREFIX.test(op)) return op as NarrationKind;
  const name = op.slice(op.indexOf('.') + 1);
  if (name === 'const') return 'const';
  if (name.startsWith('load')) return 'load';
  if (name.startsWith('store')) return 'store';
  if (SCALAR_COMPARE.test(op)) return 'compare';
  if (/^(i32|i64)\.eqz$/.test(op)) return 'test';
  return 'numeric';
}

/** The 3.0 instructions the engine runs, with their narration kinds (the others have none). */
const NARRATION_3: Readonly<Record<string, NarrationKind>> = {
  // Relaxed SIMD: lane arithmetic like 2.0's vector instructions.
  'i8x16.relaxed_swizzle': 'numeric',
  'i32x4.relaxed_trunc_f32x4_s': 'numeric', 'i32x4.relaxed_trunc_f32x4_u': 'numeric',
  'i32x4.relaxed_trunc_f64x2_s_zero': 'numeric', 'i32x4.relaxed_trunc_f64x2_u_zero': 'numeric',
  'f32x4.relaxed_madd': 'numeric', 'f32x4.relaxed_nmadd': 'numeric', 'f64x2.relaxed_madd': 'numeric', 'f64x2.relaxed_nmadd': 'numeric',
  'i8x16.relaxed_laneselect': 'numeric', 'i16x8.relaxed_laneselect': 'numeric', 'i32x4.relaxed_laneselect': 'numeric', 'i64x2.relaxed_laneselect': 'numeric',
  'f32x4.relaxed_min': 'numeric', 'f32x4.relaxed_max': 'numeric', 'f64x2.relaxed_min': 'numeric', 'f64x2.relaxed_max': 'numeric',
  'i16x8.relaxed_q15mulr_s': 'numeric', 'i16x8.relaxed_dot_i8x16_i7x16_s': 'numeric', 'i32x4.relaxed_dot_i8x16_i7x16_add_s': 'numeric',
  return_call: 'return_call',
  return_call_indirect: 'return_call_indirect',
  return_call_ref: 'return_call_ref',
  call_ref: 'call_ref', 'ref.as_non_null': 'ref.as_non_null', br_on_null: 'br_on_null', br_on_non_null: 'br_on_non_null',
};

// Every entry has every field (some undefined), so all share one object shape: the
// decoder reads them once per instruction.
function entry(
  code: number, op: string, imm: ImmKind | ImmKind3, align: number | undefined,
  proposal: ProposalId | undefined, nullable: boolean | undefined,
): void {
  const sig = fixedSig(op, imm);
  const narration = proposal === undefined ? narrationOf(op)
    : proposal === 'exceptions' || proposal === 'legacy-exceptions' ? (op as NarrationKind) : NARRATION_3[op];
  table.push({ op, code, imm, align, proposal, nullable, sig, narration });
}

/** Adds a WebAssembly 2.0 instruction; `align` is the natural alignment of a memory access. */
function add(code: number, op: string, imm: ImmKind = 'none', align?: number): void {
  entry(code, op, imm, align, undefined, undefined);
}

/** Adds a run of immediate-free 2.0 instructions with consecutive opcodes. */
function run(first: number, names: readonly string[]): void {
  names.forEach((name, i) => add(first + i, name));
}

/** Adds an instruction of a 3.0 proposal (or legacy exceptions). */
function add3(code: number, op: string, imm: ImmKind | ImmKind3, proposal: ProposalId, nullable?: boolean): void {
  entry(code, op, imm, undefined, proposal, nullable);
}

// ============================================================ WebAssembly 2.0

// --- Control (https://webassembly.github.io/spec/core/binary/instructions.html#control-instructions)
add(0x00, 'unreachable');
add(0x01, 'nop');
add(0x02, 'block', 'block');
add(0x03, 'loop', 'block');
add(0x04, 'if', 'block');
add(0x05, 'else');
add(0x0b, 'end');
add(0x0c, 'br', 'label');
add(0x0d, 'br_if', 'label');
add(0x0e, 'br_table', 'br_table');
add(0x0f, 'return');
add(0x10, 'call', 'func');
add(0x11, 'call_indirect', 'call_indirect');

// --- Reference (#reference-instructions)
add(0xd0, 'ref.null', 'ref_null');
add(0xd1, 'ref.is_null');
add(0xd2, 'ref.func', 'func');

// --- Parametric (#parametric-instructions). Both selects share the text name; the typed
// one is told apart by its result types (Instr.types).
add(0x1a, 'drop');
add(0x1b, 'select');
add(0x1c, 'select', 'select_t');

// --- Variable (#variable-instructions)
add(0x20, 'local.get', 'local');
add(0x21, 'local.set', 'local');
add(0x22, 'local.tee', 'local');
add(0x23, 'global.get', 'global');
add(0x24, 'global.set', 'global');

// --- Table (#table-instructions)
add(0x25, 'table.get', 'table');
add(0x26, 'table.set', 'table');
add(FC | 12, 'table.init', 'table_init');
add(FC | 13, 'elem.drop', 'elem');
add(FC | 14, 'table.copy', 'table_copy');
add(FC | 15, 'table.grow', 'table');
add(FC | 16, 'table.size', 'table');
add(FC | 17, 'table.fill', 'table');

// --- Memory (#memory-instructions); the last argument is the natural alignment.
add(0x28, 'i32.load', 'memarg', 2);
add(0x29, 'i64.load', 'memarg', 3);
add(0x2a, 'f32.load', 'memarg', 2);
add(0x2b, 'f64.load', 'memarg', 3);
add(0x2c, 'i32.load8_s', 'memarg', 0);
add(0x2d, 'i32.load8_u', 'memarg', 0);
add(0x2e, 'i32.load16_s', 'memarg', 1);
add(0x2f, 'i32.load16_u', 'memarg', 1);
add(0x30, 'i64.load8_s', 'memarg', 0);
add(0x31, 'i64.load8_u', 'memarg', 0);
add(0x32, 'i64.load16_s', 'memarg', 1);
add(0x33, 'i64.load16_u', 'memarg', 1);
add(0x34, 'i64.load32_s', 'memarg', 2);
add(0x35, 'i64.load32_u', 'memarg', 2);
add(0x36, 'i32.store', 'memarg', 2);
add(0x37, 'i64.store', 'memarg', 3);
add(0x38, 'f32.store', 'memarg', 2);
add(0x39, 'f64.store', 'memarg', 3);
add(0x3a, 'i32.store8', 'memarg', 0);
add(0x3b, 'i32.store16', 'memarg', 1);
add(0x3c, 'i64.store8', 'memarg', 0);
add(0x3d, 'i64.store16', 'memarg', 1);
add(0x3e, 'i64.store32', 'memarg', 2);
add(0x3f, 'memory.size', 'memory');
add(0x40, 'memory.grow', 'memory');
add(FC | 8, 'memory.init', 'memory_init');
add(FC | 9, 'data.drop', 'data');
add(FC | 10, 'memory.copy', 'memory_copy');
add(FC | 11, 'memory.fill', 'memory_fill');

// --- Numeric (#numeric-instructions)
add(0x41, 'i32.const', 'i32');
add(0x42, 'i64.const', 'i64');
add(0x43, 'f32.const', 'f32');
add(0x44, 'f64.const', 'f64');

const intCompare = ['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u'];
const floatCompare = ['eq', 'ne', 'lt', 'gt', 'le', 'ge'];
const intArith = [
  'clz', 'ctz', 'popcnt', 'add', 'sub', 'mul', 'div_s', 'div_u', 'rem_s', 'rem_u',
  'and', 'or', 'xor', 'shl', 'shr_s', 'shr_u', 'rotl', 'rotr',
];
const floatArith = [
  'abs', 'neg', 'ceil', 'floor', 'trunc', 'nearest', 'sqrt',
  'add', 'sub', 'mul', 'div', 'min', 'max', 'copysign',
];
const prefixed = (type: string, names: readonly string[]) => names.map((n) => `${type}.${n}`);

add(0x45, 'i32.eqz');
run(0x46, prefixed('i32', intCompare));
add(0x50, 'i64.eqz');
run(0x51, prefixed('i64', intCompare));
run(0x5b, prefixed('f32', floatCompare));
run(0x61, prefixed('f64', floatCompare));
run(0x67, prefixed('i32', intArith));
run(0x79, prefixed('i64', intArith));
run(0x8b, prefixed('f32', floatArith));
run(0x99, prefixed('f64', floatArith));
run(0xa7, [
  'i32.wrap_i64',
  'i32.trunc_f32_s', 'i32.trunc_f32_u', 'i32.trunc_f64_s', 'i32.trunc_f64_u',
  'i64.extend_i32_s', 'i64.extend_i32_u',
  'i64.trunc_f32_s', 'i64.trunc_f32_u', 'i64.trunc_f64_s', 'i64.trunc_f64_u',
  'f32.convert_i32_s', 'f32.convert_i32_u', 'f32.convert_i64_s', 'f32.convert_i64_u',
  'f32.demote_f64',
  'f64.convert_i32_s', 'f64.convert_i32_u', 'f64.convert_i64_s', 'f64.convert_i64_u',
  'f64.promote_f32',
  'i32.reinterpret_f32', 'i64.reinterpret_f64', 'f32.reinterpret_i32', 'f64.reinterpret_i64',
]);
// Sign extension (2.0)
run(0xc0, ['i32.extend8_s', 'i32.extend16_s', 'i64.extend8_s', 'i64.extend16_s', 'i64.extend32_s']);
// Saturating truncation (2.0)
run(FC | 0, [
  'i32.trunc_sat_f32_s', 'i32.trunc_sat_f32_u', 'i32.trunc_sat_f64_s', 'i32.trunc_sat_f64_u',
  'i64.trunc_sat_f32_s', 'i64.trunc_sat_f32_u', 'i64.trunc_sat_f64_s', 'i64.trunc_sat_f64_u',
]);

// --- Vector (#vector-instructions). Sub-opcodes are listed by number because the SIMD
// numbering has gaps (retired proposal opcodes) that must stay unassigned.
add(FD | 0, 'v128.load', 'memarg', 4);
add(FD | 1, 'v128.load8x8_s', 'memarg', 3);
add(FD | 2, 'v128.load8x8_u', 'memarg', 3);
add(FD | 3, 'v128.load16x4_s', 'memarg', 3);
add(FD | 4, 'v128.load16x4_u', 'memarg', 3);
add(FD | 5, 'v128.load32x2_s', 'memarg', 3);
add(FD | 6, 'v128.load32x2_u', 'memarg', 3);
add(FD | 7, 'v128.load8_splat', 'memarg', 0);
add(FD | 8, 'v128.load16_splat', 'memarg', 1);
add(FD | 9, 'v128.load32_splat', 'memarg', 2);
add(FD | 10, 'v128.load64_splat', 'memarg', 3);
add(FD | 11, 'v128.store', 'memarg', 4);
add(FD | 12, 'v128.const', 'v128');
add(FD | 13, 'i8x16.shuffle', 'shuffle');
run(FD | 14, ['i8x16.swizzle', 'i8x16.splat', 'i16x8.splat', 'i32x4.splat', 'i64x2.splat', 'f32x4.splat', 'f64x2.splat']);
add(FD | 21, 'i8x16.extract_lane_s', 'lane');
add(FD | 22, 'i8x16.extract_lane_u', 'lane');
add(FD | 23, 'i8x16.replace_lane', 'lane');
add(FD | 24, 'i16x8.extract_lane_s', 'lane');
add(FD | 25, 'i16x8.extract_lane_u', 'lane');
add(FD | 26, 'i16x8.replace_lane', 'lane');
add(FD | 27, 'i32x4.extract_lane', 'lane');
add(FD | 28, 'i32x4.replace_lane', 'lane');
add(FD | 29, 'i64x2.extract_lane', 'lane');
add(FD | 30, 'i64x2.replace_lane', 'lane');
add(FD | 31, 'f32x4.extract_lane', 'lane');
add(FD | 32, 'f32x4.replace_lane', 'lane');
add(FD | 33, 'f64x2.extract_lane', 'lane');
add(FD | 34, 'f64x2.replace_lane', 'lane');
run(FD | 35, prefixed('i8x16', intCompare));
run(FD | 45, prefixed('i16x8', intCompare));
run(FD | 55, prefixed('i32x4', intCompare));
run(FD | 65, prefixed('f32x4', floatCompare));
run(FD | 71, prefixed('f64x2', floatCompare));
run(FD | 77, ['v128.not', 'v128.and', 'v128.andnot', 'v128.or', 'v128.xor', 'v128.bitselect', 'v128.any_true']);
add(FD | 84, 'v128.load8_lane', 'memarg_lane', 0);
add(FD | 85, 'v128.load16_lane', 'memarg_lane', 1);
add(FD | 86, 'v128.load32_lane', 'memarg_lane', 2);
add(FD | 87, 'v128.load64_lane', 'memarg_lane', 3);
add(FD | 88, 'v128.store8_lane', 'memarg_lane', 0);
add(FD | 89, 'v128.store16_lane', 'memarg_lane', 1);
add(FD | 90, 'v128.store32_lane', 'memarg_lane', 2);
add(FD | 91, 'v128.store64_lane', 'memarg_lane', 3);
add(FD | 92, 'v128.load32_zero', 'memarg', 2);
add(FD | 93, 'v128.load64_zero', 'memarg', 3);
run(FD | 94, [
  'f32x4.demote_f64x2_zero', 'f64x2.promote_low_f32x4',
  'i8x16.abs', 'i8x16.neg', 'i8x16.popcnt', 'i8x16.all_true', 'i8x16.bitmask',
  'i8x16.narrow_i16x8_s', 'i8x16.narrow_i16x8_u',
  'f32x4.ceil', 'f32x4.floor', 'f32x4.trunc', 'f32x4.nearest',
  'i8x16.shl', 'i8x16.shr_s', 'i8x16.shr_u',
  'i8x16.add', 'i8x16.add_sat_s', 'i8x16.add_sat_u',
  'i8x16.sub', 'i8x16.sub_sat_s', 'i8x16.sub_sat_u',
  'f64x2.ceil', 'f64x2.floor',
  'i8x16.min_s', 'i8x16.min_u', 'i8x16.max_s', 'i8x16.max_u',
  'f64x2.trunc', 'i8x16.avgr_u',
  'i16x8.extadd_pairwise_i8x16_s', 'i16x8.extadd_pairwise_i8x16_u',
  'i32x4.extadd_pairwise_i16x8_s', 'i32x4.extadd_pairwise_i16x8_u',
  // 0x80
  'i16x8.abs', 'i16x8.neg', 'i16x8.q15mulr_sat_s', 'i16x8.all_true', 'i16x8.bitmask',
  'i16x8.narrow_i32x4_s', 'i16x8.narrow_i32x4_u',
  'i16x8.extend_low_i8x16_s', 'i16x8.extend_high_i8x16_s',
  'i16x8.extend_low_i8x16_u', 'i16x8.extend_high_i8x16_u',
  'i16x8.shl', 'i16x8.shr_s', 'i16x8.shr_u',
  'i16x8.add', 'i16x8.add_sat_s', 'i16x8.add_sat_u',
  'i16x8.sub', 'i16x8.sub_sat_s', 'i16x8.sub_sat_u',
  'f64x2.nearest', 'i16x8.mul',
  'i16x8.min_s', 'i16x8.min_u', 'i16x8.max_s', 'i16x8.max_u',
]);
// 0x9a is unassigned.
run(FD | 0x9b, [
  'i16x8.avgr_u',
  'i16x8.extmul_low_i8x16_s', 'i16x8.extmul_high_i8x16_s',
  'i16x8.extmul_low_i8x16_u', 'i16x8.extmul_high_i8x16_u',
  'i32x4.abs', 'i32x4.neg',
]);
// 0xa2 is unassigned.
run(FD | 0xa3, ['i32x4.all_true', 'i32x4.bitmask']);
// 0xa5, 0xa6 are unassigned.
run(FD | 0xa7, [
  'i32x4.extend_low_i16x8_s', 'i32x4.extend_high_i16x8_s',
  'i32x4.extend_low_i16x8_u', 'i32x4.extend_high_i16x8_u',
  'i32x4.shl', 'i32x4.shr_s', 'i32x4.shr_u', 'i32x4.add',
]);
add(FD | 0xb1, 'i32x4.sub');
run(FD | 0xb5, [
  'i32x4.mul', 'i32x4.min_s', 'i32x4.min_u', 'i32x4.max_s', 'i32x4.max_u',
  'i32x4.dot_i16x8_s',
]);
run(FD | 0xbc, [
  'i32x4.extmul_low_i16x8_s', 'i32x4.extmul_high_i16x8_s',
  'i32x4.extmul_low_i16x8_u', 'i32x4.extmul_high_i16x8_u',
  'i64x2.abs', 'i64x2.neg',
]);
run(FD | 0xc3, ['i64x2.all_true', 'i64x2.bitmask']);
run(FD | 0xc7, [
  'i64x2.extend_low_i32x4_s', 'i64x2.extend_high_i32x4_s',
  'i64x2.extend_low_i32x4_u', 'i64x2.extend_high_i32x4_u',
  'i64x2.shl', 'i64x2.shr_s', 'i64x2.shr_u', 'i64x2.add',
]);
add(FD | 0xd1, 'i64x2.sub');
run(FD | 0xd5, [
  'i64x2.mul',
  'i64x2.eq', 'i64x2.ne', 'i64x2.lt_s', 'i64x2.gt_s', 'i64x2.le_s', 'i64x2.ge_s',
  'i64x2.extmul_low_i32x4_s', 'i64x2.extmul_high_i32x4_s',
  'i64x2.extmul_low_i32x4_u', 'i64x2.extmul_high_i32x4_u',
  'f32x4.abs', 'f32x4.neg',
]);
run(FD | 0xe3, [
  'f32x4.sqrt', 'f32x4.add', 'f32x4.sub', 'f32x4.mul', 'f32x4.div',
  'f32x4.min', 'f32x4.max', 'f32x4.pmin', 'f32x4.pmax',
  'f64x2.abs', 'f64x2.neg',
]);
run(FD | 0xef, [
  'f64x2.sqrt', 'f64x2.add', 'f64x2.sub', 'f64x2.mul', 'f64x2.div',
  'f64x2.min', 'f64x2.max', 'f64x2.pmin', 'f64x2.pmax',
  'i32x4.trunc_sat_f32x4_s', 'i32x4.trunc_sat_f32x4_u',
  'f32x4.convert_i32x4_s', 'f32x4.convert_i32x4_u',
  'i32x4.trunc_sat_f64x2_s_zero', 'i32x4.trunc_sat_f64x2_u_zero',
  'f64x2.convert_low_i32x4_s', 'f64x2.convert_low_i32x4_u',
]);


// ============================================================ WebAssembly 3.0 and legacy exceptions

// --- Tail calls
add3(0x12, 'return_call', 'func', 'tail-call');
add3(0x13, 'return_call_indirect', 'call_indirect', 'tail-call');

// --- Exception handling (exnref): throw, throw_ref, try_table
add3(0x08, 'throw', 'tag', 'exceptions');
add3(0x0a, 'throw_ref', 'none', 'exceptions');
add3(0x1f, 'try_table', 'try_table', 'exceptions');

// --- Legacy exception handling: try … catch … catch_all … end / delegate, rethrow
add3(0x06, 'try', 'block', 'legacy-exceptions');
add3(0x07, 'catch', 'tag', 'legacy-exceptions');
add3(0x09, 'rethrow', 'label', 'legacy-exceptions');
add3(0x18, 'delegate', 'label', 'legacy-exceptions');
add3(0x19, 'catch_all', 'none', 'legacy-exceptions');

// --- Typed function references
add3(0x14, 'call_ref', 'type', 'function-references');
add3(0x15, 'return_call_ref', 'type', 'function-references');
add3(0xd4, 'ref.as_non_null', 'none', 'function-references');
add3(0xd5, 'br_on_null', 'label', 'function-references');
add3(0xd6, 'br_on_non_null', 'label', 'function-references');

// --- Garbage collection
add3(0xd3, 'ref.eq', 'none', 'gc');
add3(FB | 0, 'struct.new', 'type', 'gc');
add3(FB | 1, 'struct.new_default', 'type', 'gc');
add3(FB | 2, 'struct.get', 'struct_field', 'gc');
add3(FB | 3, 'struct.get_s', 'struct_field', 'gc');
add3(FB | 4, 'struct.get_u', 'struct_field', 'gc');
add3(FB | 5, 'struct.set', 'struct_field', 'gc');
add3(FB | 6, 'array.new', 'type', 'gc');
add3(FB | 7, 'array.new_default', 'type', 'gc');
add3(FB | 8, 'array.new_fixed', 'array_fixed', 'gc');
add3(FB | 9, 'array.new_data', 'array_data', 'gc');
add3(FB | 10, 'array.new_elem', 'array_elem', 'gc');
add3(FB | 11, 'array.get', 'type', 'gc');
add3(FB | 12, 'array.get_s', 'type', 'gc');
add3(FB | 13, 'array.get_u', 'type', 'gc');
add3(FB | 14, 'array.set', 'type', 'gc');
add3(FB | 15, 'array.len', 'none', 'gc');
add3(FB | 16, 'array.fill', 'type', 'gc');
add3(FB | 17, 'array.copy', 'array_copy', 'gc');
add3(FB | 18, 'array.init_data', 'array_data', 'gc');
add3(FB | 19, 'array.init_elem', 'array_elem', 'gc');
add3(FB | 20, 'ref.test', 'heap', 'gc', false);
add3(FB | 21, 'ref.test', 'heap', 'gc', true);
add3(FB | 22, 'ref.cast', 'heap', 'gc', false);
add3(FB | 23, 'ref.cast', 'heap', 'gc', true);
add3(FB | 24, 'br_on_cast', 'br_on_cast', 'gc');
add3(FB | 25, 'br_on_cast_fail', 'br_on_cast', 'gc');
add3(FB | 26, 'any.convert_extern', 'none', 'gc');
add3(FB | 27, 'extern.convert_any', 'none', 'gc');
add3(FB | 28, 'ref.i31', 'none', 'gc');
add3(FB | 29, 'i31.get_s', 'none', 'gc');
add3(FB | 30, 'i31.get_u', 'none', 'gc');

// --- Relaxed SIMD (0xFD 0x100–0x113)
[
  'i8x16.relaxed_swizzle',
  'i32x4.relaxed_trunc_f32x4_s', 'i32x4.relaxed_trunc_f32x4_u',
  'i32x4.relaxed_trunc_f64x2_s_zero', 'i32x4.relaxed_trunc_f64x2_u_zero',
  'f32x4.relaxed_madd', 'f32x4.relaxed_nmadd', 'f64x2.relaxed_madd', 'f64x2.relaxed_nmadd',
  'i8x16.relaxed_laneselect', 'i16x8.relaxed_laneselect', 'i32x4.relaxed_laneselect', 'i64x2.relaxed_laneselect',
  'f32x4.relaxed_min', 'f32x4.relaxed_max', 'f64x2.relaxed_min', 'f64x2.relaxed_max',
  'i16x8.relaxed_q15mulr_s', 'i16x8.relaxed_dot_i8x16_i7x16_s', 'i32x4.relaxed_dot_i8x16_i7x16_add_s',
].forEach((op, i) => add3(FD | (0x100 + i), op, 'none', 'relaxed-simd'));


table.sort((a, b) => a.code - b.code);

/** Every instruction, 2.0 and 3.0, ordered by opcode. */
export const INSTRUCTIONS: readonly OpInfo3[] = Object.freeze(table.map((info) => Object.freeze(info)));

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
