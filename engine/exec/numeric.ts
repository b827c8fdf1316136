// Scalar numerics the interpreter does not inline
// (https://webassembly.github.io/spec/core/exec/numerics.html): rounding to nearest-even,
// float→int truncation (trapping and saturating), i64→f32 conversion with one rounding,
// and the 64-bit integer operations done on 32-bit halves to avoid BigInt allocation.
//
// NaN rule (deterministic): every float arithmetic result that is NaN is the canonical NaN
// with a positive sign (f32 0x7fc00000, f64 0x7ff8000000000000). The interpreter applies it
// where it stores results; neg/abs/copysign/reinterpret and moves are bit operations and
// keep payloads.

import { Trap, TrapMessage } from './trap.ts';

export const CANONICAL_NAN_F32 = 0x7fc0_0000;
/** High word of the canonical f64 NaN (the low word is 0). */
export const CANONICAL_NAN_F64_HI = 0x7ff8_0000;

/** fnearest: round half to even; keeps the sign of zero (-0.5 → -0). */
export function nearest(x: number): number {
  if (x !== x || x === 0 || x === Infinity || x === -Infinity) return x;
  const f = Math.floor(x);
  const d = x - f; // exact: the fraction of a double is a double
  const r = d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
  return r === 0 ? (x < 0 ? -0 : 0) : r;
}

function invalidConversion(): never {
  throw new Trap(TrapMessage.invalidConversion);
}

function overflow(): never {
  throw new Trap(TrapMessage.overflow);
}

/** i32.trunc_fN_s: traps on NaN and when the truncated value is outside i32. */
export function truncI32S(x: number): number {
  if (x !== x) invalidConversion();
  if (!(x > -2147483649 && x < 2147483648)) overflow();
  return Math.trunc(x) | 0;
}

/** i32.trunc_fN_u, result in signed form. */
export function truncI32U(x: number): number {
  if (x !== x) invalidConversion();
  if (!(x > -1 && x < 4294967296)) overflow();
  return Math.trunc(x) | 0;
}

const TWO63 = 9223372036854775808;
const TWO64 = 18446744073709551616;

/** i64.trunc_fN_s. */
export function truncI64S(x: number): bigint {
  if (x !== x) invalidConversion();
  if (!(x >= -TWO63 && x < TWO63)) overflow();
  return BigInt(Math.trunc(x));
}

/** i64.trunc_fN_u (as an unsigned bigint; a BigInt64Array store wraps it). */
export function truncI64U(x: number): bigint {
  if (x !== x) invalidConversion();
  if (!(x > -1 && x < TWO64)) overflow();
  return BigInt(Math.trunc(x));
}

export function truncSatI32S(x: number): number {
  if (x !== x) return 0;
  if (x <= -2147483648) return -2147483648;
  if (x >= 2147483647) return 2147483647;
  return Math.trunc(x) | 0;
}

export function truncSatI32U(x: number): number {
  if (x !== x || x <= 0) return 0;
  if (x >= 4294967295) return -1;
  return Math.trunc(x) | 0;
}

export function truncSatI64S(x: number): bigint {
  if (x !== x) return 0n;
  if (x <= -TWO63) return -0x8000_0000_0000_0000n;
  if (x >= TWO63) return 0x7fff_ffff_ffff_ffffn;
  return BigInt(Math.trunc(x));
}

export function truncSatI64U(x: number): bigint {
  if (x !== x || x <= 0) return 0n;
  if (x >= TWO64) return 0xffff_ffff_ffff_ffffn;
  return BigInt(Math.trunc(x));
}

/**
 * An integer (given as its exact bigint value, |v| < 2^64) rounded once to f32. Converting
 * through a double would round twice and can be off by one ulp, so large values are first
 * shortened to 53 significant bits with a sticky bit, which a double holds exactly.
 */
export function bigintToF32(v: bigint): number {
  const neg = v < 0n;
  let m = neg ? -v : v;
  if (m < 0x20_0000_0000_0000n) return Math.fround(neg ? -Number(m) : Number(m));
  let shift = 0n;
  let sticky = 0n;
  while (m >= 0x20_0000_0000_0000n) {
    sticky |= m & 1n;
    m >>= 1n;
    shift++;
  }
  const d = Number(m | sticky) * 2 ** Number(shift);
  return Math.fround(neg ? -d : d);
}

// --- 64-bit integers on 32-bit halves. `w` is the value stack's Int32Array; a value sits at
// w[a] (low word) and w[a + 1] (high word). Results overwrite the first operand at `a`.

/** u32 × u32 → high 32 bits of the 64-bit product (as a non-negative number). */
function mulHighU32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const t = a0 * b0;
  const m1 = a1 * b0 + (t >>> 16);
  const m2 = a0 * b1 + (m1 & 0xffff);
  return a1 * b1 + (m1 >>> 16) + (m2 >>> 16);
}

/** i64.mul: the low 64 bits of the product, from three 32-bit products. */
export function mul64(w: Int32Array, a: number, b: number): void {
  const alo = w[a]!;
  const ahi = w[a + 1]!;
  const blo = w[b]!;
  const bhi = w[b + 1]!;
  const hi = (Math.imul(alo, bhi) + Math.imul(ahi, blo) + mulHighU32(alo >>> 0, blo >>> 0)) | 0;
  w[a] = Math.imul(alo, blo);
  w[a + 1] = hi;
}

export function shl64(w: Int32Array, a: number, k: number): void {
  k &= 63;
  if (k === 0) return;
  const lo = w[a]!;
  if (k < 32) {
    w[a + 1] = (w[a + 1]! << k) | (lo >>> (32 - k));
    w[a] = lo << k;
  } else {
    w[a + 1] = lo << (k - 32);
    w[a] = 0;
  }
}

export function shrU64(w: Int32Array, a: number, k: number): void {
  k &= 63;
  if (k === 0) return;
  const hi = w[a + 1]!;
  if (k < 32) {
    w[a] = (w[a]! >>> k) | (hi << (32 - k));
    w[a + 1] = hi >>> k;
  } else {
    w[a] = hi >>> (k - 32);
    w[a + 1] = 0;
  }
}

export function shrS64(w: Int32Array, a: number, k: number): void {
  k &= 63;
  if (k === 0) return;
  const hi = w[a + 1]!;
  if (k < 32) {
    w[a] = (w[a]! >>> k) | (hi << (32 - k));
    w[a + 1] = hi >> k;
  } else {
    w[a] = hi >> (k - 32);
    w[a + 1] = hi >> 31;
  }
}

export function rotl64(w: Int32Array, a: number, k: number): void {
  k &= 63;
  let lo = w[a]!;
  let hi = w[a + 1]!;
  if (k >= 32) {
    const t = lo;
    lo = hi;
    hi = t;
    k -= 32;
  }
  if (k !== 0) {
    const nlo = (lo << k) | (hi >>> (32 - k));
    hi = (hi << k) | (lo >>> (32 - k));
    lo = nlo;
  }
  w[a] = lo;
  w[a + 1] = hi;
}

export function rotr64(w: Int32Array, a: number, k: number): void {
  rotl64(w, a, (64 - (k & 63)) & 63);
}

export function ctz32(x: number): number {
  return x === 0 ? 32 : 31 - Math.clz32(x & -x);
}

export function popcnt32(x: number): number {
  x -= (x >>> 1) & 0x5555_5555;
  x = (x & 0x3333_3333) + ((x >>> 2) & 0x3333_3333);
  x = (x + (x >>> 4)) & 0x0f0f_0f0f;
  return Math.imul(x, 0x0101_0101) >>> 24;
}

/** i64.div_s / rem_s / div_u / rem_u on bigint operands, with the spec's traps. */
export function divS64(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new Trap(TrapMessage.divideByZero);
  if (b === -1n && a === -0x8000_0000_0000_0000n) overflow();
  return a / b;
}

export function remS64(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new Trap(TrapMessage.divideByZero);
  return b === -1n ? 0n : a % b;
}

export function divU64(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new Trap(TrapMessage.divideByZero);
  return BigInt.asUintN(64, a) / BigInt.asUintN(64, b);
}

export function remU64(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new Trap(TrapMessage.divideByZero);
  return BigInt.asUintN(64, a) % BigInt.asUintN(64, b);
}
