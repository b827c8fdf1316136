// The plain numeric and vector instructions the text generator (tests/support/wat-gen.ts)
// writes, with their operand and result types: every 2.0 numeric instruction (unary,
// binary, tests, comparisons, conversions, saturating truncations, sign extensions) and
// a sample of SIMD ones. Memory instructions with their natural alignment are listed too.

export type OpType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128';

export interface OpSig {
  readonly op: string;
  readonly params: readonly OpType[];
  readonly result: OpType;
}

const sig = (op: string, params: readonly OpType[], result: OpType): OpSig => ({ op, params, result });

function numeric(): OpSig[] {
  const out: OpSig[] = [];
  for (const t of ['i32', 'i64'] as const) {
    for (const u of ['clz', 'ctz', 'popcnt', 'extend8_s', 'extend16_s', ...(t === 'i64' ? ['extend32_s'] : [])]) out.push(sig(`${t}.${u}`, [t], t));
    for (const b of ['add', 'sub', 'mul', 'div_s', 'div_u', 'rem_s', 'rem_u', 'and', 'or', 'xor', 'shl', 'shr_s', 'shr_u', 'rotl', 'rotr']) out.push(sig(`${t}.${b}`, [t, t], t));
    out.push(sig(`${t}.eqz`, [t], 'i32'));
    for (const c of ['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u']) out.push(sig(`${t}.${c}`, [t, t], 'i32'));
  }
  for (const t of ['f32', 'f64'] as const) {
    for (const u of ['abs', 'neg', 'ceil', 'floor', 'trunc', 'nearest', 'sqrt']) out.push(sig(`${t}.${u}`, [t], t));
    for (const b of ['add', 'sub', 'mul', 'div', 'min', 'max', 'copysign']) out.push(sig(`${t}.${b}`, [t, t], t));
    for (const c of ['eq', 'ne', 'lt', 'gt', 'le', 'ge']) out.push(sig(`${t}.${c}`, [t, t], 'i32'));
  }
  out.push(sig('i32.wrap_i64', ['i64'], 'i32'), sig('i64.extend_i32_s', ['i32'], 'i64'), sig('i64.extend_i32_u', ['i32'], 'i64'));
  for (const i of ['i32', 'i64'] as const) {
    for (const f of ['f32', 'f64'] as const) {
      for (const s of ['s', 'u']) {
        out.push(sig(`${i}.trunc_${f}_${s}`, [f], i), sig(`${i}.trunc_sat_${f}_${s}`, [f], i), sig(`${f}.convert_${i}_${s}`, [i], f));
      }
    }
  }
  out.push(sig('f32.demote_f64', ['f64'], 'f32'), sig('f64.promote_f32', ['f32'], 'f64'));
  out.push(sig('i32.reinterpret_f32', ['f32'], 'i32'), sig('i64.reinterpret_f64', ['f64'], 'i64'), sig('f32.reinterpret_i32', ['i32'], 'f32'), sig('f64.reinterpret_i64', ['i64'], 'f64'));
  return out;
}

function vector(): OpSig[] {
  const v: OpType[] = ['v128', 'v128'];
  return [
    ...['i8x16.add', 'i16x8.sub', 'i32x4.mul', 'i64x2.add', 'f32x4.div', 'f64x2.max', 'v128.and', 'v128.andnot', 'i8x16.swizzle', 'i16x8.q15mulr_sat_s', 'i32x4.dot_i16x8_s', 'i8x16.narrow_i16x8_u', 'i16x8.extmul_high_i8x16_u', 'f32x4.pmax', 'i8x16.avgr_u', 'i64x2.eq', 'f64x2.le'].map((op) => sig(op, v, 'v128')),
    ...['v128.not', 'i8x16.abs', 'i16x8.neg', 'f32x4.sqrt', 'f64x2.nearest', 'i32x4.trunc_sat_f32x4_s', 'f32x4.convert_i32x4_u', 'f64x2.promote_low_f32x4', 'i16x8.extend_low_i8x16_s', 'i8x16.popcnt', 'i32x4.extadd_pairwise_i16x8_u'].map((op) => sig(op, ['v128'], 'v128')),
    ...['i8x16.shl', 'i64x2.shr_s'].map((op) => sig(op, ['v128', 'i32'], 'v128')),
    sig('v128.bitselect', ['v128', 'v128', 'v128'], 'v128'),
    sig('i32x4.splat', ['i32'], 'v128'), sig('i64x2.splat', ['i64'], 'v128'), sig('f32x4.splat', ['f32'], 'v128'), sig('f64x2.splat', ['f64'], 'v128'),
    ...['v128.any_true', 'i8x16.all_true', 'i32x4.bitmask', 'i64x2.all_true'].map((op) => sig(op, ['v128'], 'i32')),
  ];
}

/** Instructions by result type. */
export const OPS: ReadonlyMap<OpType, readonly OpSig[]> = (() => {
  const m = new Map<OpType, OpSig[]>();
  for (const s of [...numeric(), ...vector()]) m.set(s.result, [...(m.get(s.result) ?? []), s]);
  return m;
})();

/** Loads: name, natural alignment (log2 bytes) and result type. */
export const LOADS: readonly (readonly [string, number, OpType])[] = [
  ['i32.load', 2, 'i32'], ['i64.load', 3, 'i64'], ['f32.load', 2, 'f32'], ['f64.load', 3, 'f64'],
  ['i32.load8_s', 0, 'i32'], ['i32.load8_u', 0, 'i32'], ['i32.load16_s', 1, 'i32'], ['i32.load16_u', 1, 'i32'],
  ['i64.load8_s', 0, 'i64'], ['i64.load8_u', 0, 'i64'], ['i64.load16_s', 1, 'i64'], ['i64.load16_u', 1, 'i64'], ['i64.load32_s', 2, 'i64'], ['i64.load32_u', 2, 'i64'],
  ['v128.load', 4, 'v128'], ['v128.load8x8_s', 3, 'v128'], ['v128.load32_zero', 2, 'v128'], ['v128.load64_splat', 3, 'v128'],
];

/** Stores: name, natural alignment and the stored value's type. */
export const STORES: readonly (readonly [string, number, OpType])[] = [
  ['i32.store', 2, 'i32'], ['i64.store', 3, 'i64'], ['f32.store', 2, 'f32'], ['f64.store', 3, 'f64'],
  ['i32.store8', 0, 'i32'], ['i32.store16', 1, 'i32'], ['i64.store8', 0, 'i64'], ['i64.store16', 1, 'i64'], ['i64.store32', 2, 'i64'], ['v128.store', 4, 'v128'],
];
