// The WebAssembly 2.0 instruction table: every opcode with its text mnemonic and the kind
// of immediate that follows it in the binary format.
// Binary: https://webassembly.github.io/spec/core/binary/instructions.html
// Text:   https://webassembly.github.io/spec/core/text/instructions.html
// The decoder, encoder, text parser and disassembler all read this one table, so an
// opcode's name and immediates are defined exactly once.
//
// `code` follows engine/syntax/ast.ts: one byte, or (prefix << 16 | sub-opcode) for the
// 0xFC (saturating truncation, bulk memory, tables) and 0xFD (SIMD) prefixes.

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

export interface OpInfo {
  readonly op: string;
  readonly code: number;
  readonly imm: ImmKind;
  /** natural alignment, log2 bytes, for memory ops */
  readonly align?: number;
}

const FC = 0xfc << 16;
const FD = 0xfd << 16;

const table: OpInfo[] = [];

function add(code: number, op: string, imm: ImmKind = 'none', align?: number): void {
  table.push(align === undefined ? { op, code, imm } : { op, code, imm, align });
}

/** Adds a run of immediate-free instructions with consecutive opcodes. */
function run(first: number, names: readonly string[]): void {
  names.forEach((name, i) => add(first + i, name));
}

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

table.sort((a, b) => a.code - b.code);

/** Every WebAssembly 2.0 instruction, ordered by opcode. */
export const OPS: readonly OpInfo[] = Object.freeze(table.map((info) => Object.freeze(info)));

// Dense arrays per opcode space: the decoder looks up every instruction, so this is the
// hottest table in the engine.
const single: (OpInfo | undefined)[] = new Array(256).fill(undefined);
const prefixFC: (OpInfo | undefined)[] = new Array(32).fill(undefined);
const prefixFD: (OpInfo | undefined)[] = new Array(256).fill(undefined);
const byName = new Map<string, OpInfo>();
for (const info of OPS) {
  const prefix = info.code >>> 16;
  const sub = info.code & 0xffff;
  if (prefix === 0) single[sub] = info;
  else if (prefix === 0xfc) prefixFC[sub] = info;
  else prefixFD[sub] = info;
  // The untyped `select` (0x1b) comes first and keeps the name.
  if (!byName.has(info.op)) byName.set(info.op, info);
}

/** The instruction with this text mnemonic (for `select`, the untyped 0x1B form). */
export function opByName(name: string): OpInfo | undefined {
  return byName.get(name);
}

/** The instruction with this opcode: a byte, or (prefix << 16 | sub-opcode). */
export function opByCode(code: number): OpInfo | undefined {
  if (code < 0x100) return code >= 0 ? single[code] : undefined;
  const prefix = code >>> 16;
  const sub = code & 0xffff;
  if (code - prefix * 0x10000 !== sub) return undefined;
  if (prefix === 0xfc) return prefixFC[sub];
  if (prefix === 0xfd) return prefixFD[sub];
  return undefined;
}

// Opcodes that later proposals assign, so a decoder can say "not supported: tail calls"
// rather than "illegal opcode" for a module built by a newer toolchain.
const laterSingle = new Map<number, string>([
  [0x06, 'exception handling'], // try (legacy)
  [0x07, 'exception handling'], // catch (legacy)
  [0x08, 'exception handling'], // throw
  [0x09, 'exception handling'], // rethrow (legacy)
  [0x0a, 'exception handling'], // throw_ref
  [0x18, 'exception handling'], // delegate (legacy)
  [0x19, 'exception handling'], // catch_all (legacy)
  [0x1f, 'exception handling'], // try_table
  [0x12, 'tail calls'], // return_call
  [0x13, 'tail calls'], // return_call_indirect
  [0x14, 'typed function references'], // call_ref
  [0x15, 'typed function references'], // return_call_ref
  [0xd3, 'garbage collection'], // ref.eq
  [0xd4, 'typed function references'], // ref.as_non_null
  [0xd5, 'typed function references'], // br_on_null
  [0xd6, 'typed function references'], // br_on_non_null
  [0xe0, 'stack switching'], // cont.new
  [0xe1, 'stack switching'], // cont.bind
  [0xe2, 'stack switching'], // suspend
  [0xe3, 'stack switching'], // resume
  [0xe4, 'stack switching'], // resume_throw
  [0xe5, 'stack switching'], // switch
]);

/** Opcodes from later proposals: returns e.g. 'tail calls', 'exception handling', 'typed function references', 'garbage collection', 'threads', 'relaxed SIMD', 'memory64'… or undefined. */
export function laterProposal(code: number): string | undefined {
  if (opByCode(code) !== undefined) return undefined;
  if (code < 0x100) {
    if (code === 0xfb) return 'garbage collection';
    if (code === 0xfe) return 'threads';
    return laterSingle.get(code);
  }
  const prefix = Math.floor(code / 0x10000);
  const sub = code - prefix * 0x10000;
  if (prefix === 0xfb) return 'garbage collection';
  if (prefix === 0xfe) return 'threads';
  if (prefix === 0xfd && sub >= 0x100 && sub <= 0x113) return 'relaxed SIMD';
  if (prefix === 0xfc && sub >= 0x13 && sub <= 0x16) return 'wide arithmetic';
  return undefined;
}
