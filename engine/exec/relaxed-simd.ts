// Relaxed SIMD (WebAssembly 3.0), in the spec's deterministic profile:
// https://webassembly.github.io/spec/core/exec/numerics.html#relaxed-operations
//
// Each relaxed operator lists its allowed outcomes as relaxed(R)[A_0, …, A_n], where R is a
// global parameter an implementation fixes; the deterministic profile fixes every R to 0.
// wasmstep always takes A_0, so a relaxed instruction gives the same bits on every host:
//
// - i8x16.relaxed_swizzle            = i8x16.swizzle (an index ≥ 16 selects 0)
// - i32x4.relaxed_trunc_f32x4_s/u    = i32x4.trunc_sat_f32x4_s/u
// - i32x4.relaxed_trunc_f64x2_s/u_zero = i32x4.trunc_sat_f64x2_s/u_zero
// - f32x4/f64x2.relaxed_madd         = fadd(fmul(a, b), c): unfused, two roundings
// - f32x4/f64x2.relaxed_nmadd        = relaxed_madd(-a, b, c)
// - iNxM.relaxed_laneselect          = v128.bitselect(a, b, c): every mask bit counts
// - f32x4/f64x2.relaxed_min/max      = f32x4/f64x2.min/max
// - i16x8.relaxed_q15mulr_s          = i16x8.q15mulr_sat_s
// - i16x8.relaxed_dot_i8x16_i7x16_s  = signed × signed products, pairs summed with signed
//   saturation (idot_sat)
// - i32x4.relaxed_dot_i8x16_i7x16_add_s = that i16x8 dot, extadd_pairwise_s, plus c
//
// NaN results are canonical, as for every float instruction (engine/exec/simd.ts).
// Most of them are a 2.0 instruction under another opcode (RELAXED_AS); the rest are here.

import { A, B, C, R, canon32, canon64 } from './simd-lanes.ts';

/** The first relaxed sub-opcode (0xFD 0x100 i8x16.relaxed_swizzle) and one past the last. */
export const RELAXED_FIRST = 0x100;
export const RELAXED_END = 0x114;

/**
 * Per relaxed sub-opcode (minus RELAXED_FIRST): the 2.0 sub-opcode that computes its
 * deterministic result, or -1 when relaxedLanes computes it.
 */
export const RELAXED_AS: readonly number[] = [
  0x0e, // i8x16.relaxed_swizzle → i8x16.swizzle
  0xf8, 0xf9, // i32x4.relaxed_trunc_f32x4_s/u → i32x4.trunc_sat_f32x4_s/u
  0xfc, 0xfd, // i32x4.relaxed_trunc_f64x2_s/u_zero → i32x4.trunc_sat_f64x2_s/u_zero
  -1, -1, -1, -1, // f32x4/f64x2 relaxed_madd, relaxed_nmadd
  0x52, 0x52, 0x52, 0x52, // i8x16/i16x8/i32x4/i64x2.relaxed_laneselect → v128.bitselect
  0xe8, 0xe9, 0xf4, 0xf5, // f32x4/f64x2.relaxed_min/max → f32x4/f64x2.min/max
  0x82, // i16x8.relaxed_q15mulr_s → i16x8.q15mulr_sat_s
  -1, -1, // relaxed dot products
];

/** Saturates to a signed 16-bit lane. */
function sat16(v: number): number {
  return v > 0x7fff ? 0x7fff : v < -0x8000 ? -0x8000 : v;
}

/** The i16x8 relaxed dot product of A and B (as signed bytes), into R.i16. */
function dot16(): void {
  for (let i = 0; i < 8; i++) {
    R.i16[i] = sat16(A.i8[2 * i]! * B.i8[2 * i]! + A.i8[2 * i + 1]! * B.i8[2 * i + 1]!);
  }
}

/**
 * The relaxed instructions with no 2.0 twin, on the scratch registers A, B, C into R
 * (engine/exec/simd-lanes.ts).
 */
export function relaxedLanes(sub: number): void {
  switch (sub) {
    case 0x105: // f32x4.relaxed_madd: the Float32Array stores round each step to f32
    case 0x106: { // f32x4.relaxed_nmadd
      const sign = sub === 0x105 ? 1 : -1;
      for (let i = 0; i < 4; i++) R.f32[i] = Math.fround(sign * A.f32[i]! * B.f32[i]!) + C.f32[i]!;
      canon32(R);
      return;
    }
    case 0x107: // f64x2.relaxed_madd
    case 0x108: { // f64x2.relaxed_nmadd
      const sign = sub === 0x107 ? 1 : -1;
      for (let i = 0; i < 2; i++) R.f64[i] = sign * A.f64[i]! * B.f64[i]! + C.f64[i]!;
      canon64(R);
      return;
    }
    case 0x112: // i16x8.relaxed_dot_i8x16_i7x16_s
      dot16();
      return;
    case 0x113: { // i32x4.relaxed_dot_i8x16_i7x16_add_s
      dot16();
      for (let i = 0; i < 4; i++) R.i32[i] = (R.i16[2 * i]! + R.i16[2 * i + 1]! + C.i32[i]!) | 0;
      return;
    }
    default:
      throw new RangeError(`not a relaxed SIMD instruction: 0x${sub.toString(16)}`);
  }
}
