// WebAssembly 2.0 fixed-width SIMD: every v128 instruction that does not touch memory,
// as pure functions over 16-byte little-endian values, for the interpreter to call.
// Instructions: https://webassembly.github.io/spec/core/syntax/instructions.html#vector-instructions
// Semantics:    https://webassembly.github.io/spec/core/exec/instructions.html#vector-instructions
// Lane numerics: https://webassembly.github.io/spec/core/exec/numerics.html
//
// Not here: v128.const (the interpreter pushes its bytes) and the loads/stores, which
// need a memory. Opcodes follow engine/syntax/opcodes.ts: code = 0xfd << 16 | sub-opcode,
// and the dispatch below switches on the sub-opcode.
//
// Determinism: the spec lets a NaN result of float arithmetic carry any (arithmetic)
// payload; we always produce the canonical NaN (f32 0x7fc00000, f64 0x7ff8000000000000)
// so a run never depends on the host. abs, neg, pmin, pmax, lane moves and splats are bit
// operations or selections and keep payloads. Float scalars cross the interface as raw
// bits for the same reason.
//
// The lane loops and the scratch registers live in ./simd-lanes.ts.

import { OPS, OPS_3 } from '../syntax/index.ts';
import { RELAXED_AS, RELAXED_FIRST, relaxedLanes } from './relaxed-simd.ts';
import {
  A, ADD, B, C, CEIL, DIV, EQ, FLOOR, GE, GT, LE, LT, MAX, MIN, MUL, NE, NEAREST, R, SQRT, SUB, TRUNC,
  abs64, add64, allTrue, allTrue64, bitmask, bitmask64, canon32, canon64, cmp64, extaddPairwise, extend,
  extend64, extmul, extmul64, farith, fcmp, funary, iabs, iadd, iaddSat, iavgr, icmp, imax, imin, imul, ineg,
  ishl, ishr, ishrU, isub, isubSat, mul64, narrow, neg64, pminmax32, pminmax64, popcnt8, shl64, shr64, sub64,
  truncSat,
} from './simd-lanes.ts';

type Scalar = 'i32' | 'i64' | 'f32' | 'f64';
export interface SimdArity {
  readonly vectors: 0 | 1 | 2 | 3;
  readonly scalarIn?: Scalar;
  readonly scalarOut?: Scalar;
}

const FD = 0xfd << 16;

// Derived from the instruction table's fixed signatures (engine/syntax/instructions.ts),
// with one shared frozen object per shape of signature, so simdArity never allocates.
// Relaxed SIMD (0xFD 0x100…0x113) is in the same array, past the 2.0 sub-opcodes.
const ARITY: (SimdArity | undefined)[] = new Array(0x114).fill(undefined);
const shapes = new Map<string, SimdArity>();
for (const info of [...OPS, ...OPS_3.filter((i) => i.proposal === 'relaxed-simd')]) {
  if (info.code >>> 16 !== 0xfd || info.sig === undefined) continue;
  if (info.imm === 'memarg' || info.imm === 'memarg_lane' || info.imm === 'v128') continue; // not executed here
  const vectors = info.sig.params.filter((t) => t === 'v128').length as SimdArity['vectors'];
  const scalarIn = info.sig.params.find((t) => t !== 'v128') as Scalar | undefined;
  const scalarOut = info.sig.results.find((t) => t !== 'v128') as Scalar | undefined;
  const key = `${vectors} ${scalarIn} ${scalarOut}`;
  let arity = shapes.get(key);
  if (arity === undefined) {
    arity = Object.freeze({ vectors, ...(scalarIn && { scalarIn }), ...(scalarOut && { scalarOut }) });
    shapes.set(key, arity);
  }
  ARITY[info.code & 0xffff] = arity;
}

/**
 * How many v128 operands an op pops, and any scalar operand/result. The scalar operand is
 * on top of the stack (above the vectors). Undefined for every code simdOp does not
 * execute: non-SIMD opcodes, unassigned ones, v128.const and the memory instructions.
 */
export function simdArity(code: number): SimdArity | undefined {
  const sub = code - FD;
  return sub >= 0 && sub < ARITY.length ? ARITY[sub] : undefined;
}

function lane(imm: { lane?: number }, lanes: number): number {
  const l = imm.lane;
  // The validator rejects these; a bad index here would silently read `undefined`.
  if (l === undefined || !(l >= 0 && l < lanes)) throw new RangeError(`invalid lane index ${l}`);
  return l;
}

/**
 * Executes one SIMD instruction that has no memory access, on v128 values given as 16-byte
 * little-endian views. Returns a scalar for lane extracts / any_true / all_true / bitmask
 * (i32 as signed number, i64 as bigint, f32/f64 as raw bits: f32 u32 number, f64 bigint),
 * otherwise writes the result into `out` (which may alias an input) and returns undefined.
 * `scalar` is the scalar operand of splat / replace_lane / shifts (same representation).
 */
export function simdOp(
  code: number,
  a: Uint8Array | undefined,
  b: Uint8Array | undefined,
  c: Uint8Array | undefined,
  imm: { lane?: number; bytes?: Uint8Array },
  scalar: number | bigint | undefined,
  out: Uint8Array,
): number | bigint | undefined {
  let sub = code - FD;
  if (a !== undefined) A.u8.set(a);
  if (b !== undefined) B.u8.set(b);
  if (c !== undefined) C.u8.set(c);
  if (sub >= RELAXED_FIRST) {
    // Relaxed SIMD in the deterministic profile (./relaxed-simd.ts): a 2.0 twin, or its own lanes.
    const twin = RELAXED_AS[sub - RELAXED_FIRST] ?? -1;
    if (twin >= 0) sub = twin;
    else {
      relaxedLanes(sub);
      out.set(R.u8);
      return undefined;
    }
  }
  const s = scalar as number; // shifts, i32 splat/replace; bigint cases cast again below
  switch (sub) {
    // --- Lane moves (#vector-instructions: shuffle, swizzle, splat, extract/replace) ---
    case 0x0d: { // i8x16.shuffle
      const idx = imm.bytes;
      if (idx === undefined || idx.length !== 16) throw new RangeError('i8x16.shuffle needs 16 lane indices');
      for (let i = 0; i < 16; i++) {
        const j = idx[i]!;
        if (j >= 32) throw new RangeError(`invalid lane index ${j}`);
        R.u8[i] = j < 16 ? A.u8[j]! : B.u8[j - 16]!;
      }
      break;
    }
    case 0x0e: // i8x16.swizzle: out-of-range indices select 0 (unlike shuffle, they are runtime data)
      for (let i = 0; i < 16; i++) {
        const j = B.u8[i]!;
        R.u8[i] = j < 16 ? A.u8[j]! : 0;
      }
      break;
    case 0x0f: R.i8.fill(s); break; // i8x16.splat (the store wraps to the lane width)
    case 0x10: R.i16.fill(s); break;
    case 0x11: R.i32.fill(s); break;
    case 0x12: R.i64.fill(scalar as bigint); break;
    case 0x13: R.u32.fill(s); break; // f32 bits
    case 0x14: R.u64.fill(scalar as bigint); break; // f64 bits
    case 0x15: return A.i8[lane(imm, 16)]!;
    case 0x16: return A.u8[lane(imm, 16)]!;
    case 0x17: R.u8.set(A.u8); R.i8[lane(imm, 16)] = s; break;
    case 0x18: return A.i16[lane(imm, 8)]!;
    case 0x19: return A.u16[lane(imm, 8)]!;
    case 0x1a: R.u8.set(A.u8); R.i16[lane(imm, 8)] = s; break;
    case 0x1b: return A.i32[lane(imm, 4)]!;
    case 0x1c: R.u8.set(A.u8); R.i32[lane(imm, 4)] = s; break;
    case 0x1d: return A.i64[lane(imm, 2)]!;
    case 0x1e: R.u8.set(A.u8); R.i64[lane(imm, 2)] = scalar as bigint; break;
    case 0x1f: return A.u32[lane(imm, 4)]!;
    case 0x20: R.u8.set(A.u8); R.u32[lane(imm, 4)] = s; break;
    case 0x21: return A.u64[lane(imm, 2)]!;
    case 0x22: R.u8.set(A.u8); R.u64[lane(imm, 2)] = scalar as bigint; break;

    // --- Integer comparisons: eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u ---
    case 0x23: icmp(A.i8, B.i8, R.i8, EQ); break;
    case 0x24: icmp(A.i8, B.i8, R.i8, NE); break;
    case 0x25: icmp(A.i8, B.i8, R.i8, LT); break;
    case 0x26: icmp(A.u8, B.u8, R.i8, LT); break;
    case 0x27: icmp(A.i8, B.i8, R.i8, GT); break;
    case 0x28: icmp(A.u8, B.u8, R.i8, GT); break;
    case 0x29: icmp(A.i8, B.i8, R.i8, LE); break;
    case 0x2a: icmp(A.u8, B.u8, R.i8, LE); break;
    case 0x2b: icmp(A.i8, B.i8, R.i8, GE); break;
    case 0x2c: icmp(A.u8, B.u8, R.i8, GE); break;
    case 0x2d: icmp(A.i16, B.i16, R.i16, EQ); break;
    case 0x2e: icmp(A.i16, B.i16, R.i16, NE); break;
    case 0x2f: icmp(A.i16, B.i16, R.i16, LT); break;
    case 0x30: icmp(A.u16, B.u16, R.i16, LT); break;
    case 0x31: icmp(A.i16, B.i16, R.i16, GT); break;
    case 0x32: icmp(A.u16, B.u16, R.i16, GT); break;
    case 0x33: icmp(A.i16, B.i16, R.i16, LE); break;
    case 0x34: icmp(A.u16, B.u16, R.i16, LE); break;
    case 0x35: icmp(A.i16, B.i16, R.i16, GE); break;
    case 0x36: icmp(A.u16, B.u16, R.i16, GE); break;
    case 0x37: icmp(A.i32, B.i32, R.i32, EQ); break;
    case 0x38: icmp(A.i32, B.i32, R.i32, NE); break;
    case 0x39: icmp(A.i32, B.i32, R.i32, LT); break;
    case 0x3a: icmp(A.u32, B.u32, R.i32, LT); break;
    case 0x3b: icmp(A.i32, B.i32, R.i32, GT); break;
    case 0x3c: icmp(A.u32, B.u32, R.i32, GT); break;
    case 0x3d: icmp(A.i32, B.i32, R.i32, LE); break;
    case 0x3e: icmp(A.u32, B.u32, R.i32, LE); break;
    case 0x3f: icmp(A.i32, B.i32, R.i32, GE); break;
    case 0x40: icmp(A.u32, B.u32, R.i32, GE); break;

    // --- Float comparisons: eq ne lt gt le ge (false for NaN except ne) ---
    case 0x41: fcmp(A.f32, B.f32, R, EQ); break;
    case 0x42: fcmp(A.f32, B.f32, R, NE); break;
    case 0x43: fcmp(A.f32, B.f32, R, LT); break;
    case 0x44: fcmp(A.f32, B.f32, R, GT); break;
    case 0x45: fcmp(A.f32, B.f32, R, LE); break;
    case 0x46: fcmp(A.f32, B.f32, R, GE); break;
    case 0x47: fcmp(A.f64, B.f64, R, EQ); break;
    case 0x48: fcmp(A.f64, B.f64, R, NE); break;
    case 0x49: fcmp(A.f64, B.f64, R, LT); break;
    case 0x4a: fcmp(A.f64, B.f64, R, GT); break;
    case 0x4b: fcmp(A.f64, B.f64, R, LE); break;
    case 0x4c: fcmp(A.f64, B.f64, R, GE); break;

    // --- Bitwise (#vector-instructions: vvunop, vvbinop, vvternop, vvtestop) ---
    case 0x4d: for (let i = 0; i < 4; i++) R.i32[i] = ~A.i32[i]!; break; // v128.not
    case 0x4e: for (let i = 0; i < 4; i++) R.i32[i] = A.i32[i]! & B.i32[i]!; break;
    case 0x4f: for (let i = 0; i < 4; i++) R.i32[i] = A.i32[i]! & ~B.i32[i]!; break; // andnot
    case 0x50: for (let i = 0; i < 4; i++) R.i32[i] = A.i32[i]! | B.i32[i]!; break;
    case 0x51: for (let i = 0; i < 4; i++) R.i32[i] = A.i32[i]! ^ B.i32[i]!; break;
    case 0x52: // v128.bitselect: bits of a where the mask c is 1, of b where it is 0
      for (let i = 0; i < 4; i++) R.i32[i] = (A.i32[i]! & C.i32[i]!) | (B.i32[i]! & ~C.i32[i]!);
      break;
    case 0x53: return (A.i32[0]! | A.i32[1]! | A.i32[2]! | A.i32[3]!) !== 0 ? 1 : 0; // any_true

    // --- f32x4 ↔ f64x2 ---
    case 0x5e: // f32x4.demote_f64x2_zero: the store into f32 lanes rounds to nearest-even
      R.f32[0] = A.f64[0]!;
      R.f32[1] = A.f64[1]!;
      R.u32[2] = 0;
      R.u32[3] = 0;
      canon32(R);
      break;
    case 0x5f: // f64x2.promote_low_f32x4 (exact)
      R.f64[0] = A.f32[0]!;
      R.f64[1] = A.f32[1]!;
      canon64(R);
      break;

    // --- i8x16 ---
    case 0x60: iabs(A.i8, R.i8); break;
    case 0x61: ineg(A.i8, R.i8); break;
    case 0x62: popcnt8(A, R); break;
    case 0x63: return allTrue(A.u8);
    case 0x64: return bitmask(A.i8);
    case 0x65: narrow(A.i16, B.i16, R.i8, -0x80, 0x7f); break;
    case 0x66: narrow(A.i16, B.i16, R.u8, 0, 0xff); break;
    case 0x6b: ishl(A.i8, R.i8, s & 7); break;
    case 0x6c: ishr(A.i8, R.i8, s & 7); break;
    case 0x6d: ishrU(A.u8, R.u8, s & 7); break;
    case 0x6e: iadd(A.u8, B.u8, R.u8); break;
    case 0x6f: iaddSat(A.i8, B.i8, R.i8, -0x80, 0x7f); break;
    case 0x70: iaddSat(A.u8, B.u8, R.u8, 0, 0xff); break;
    case 0x71: isub(A.u8, B.u8, R.u8); break;
    case 0x72: isubSat(A.i8, B.i8, R.i8, -0x80, 0x7f); break;
    case 0x73: isubSat(A.u8, B.u8, R.u8, 0, 0xff); break;
    case 0x76: imin(A.i8, B.i8, R.i8); break;
    case 0x77: imin(A.u8, B.u8, R.u8); break;
    case 0x78: imax(A.i8, B.i8, R.i8); break;
    case 0x79: imax(A.u8, B.u8, R.u8); break;
    case 0x7b: iavgr(A.u8, B.u8, R.u8); break;

    // --- extadd_pairwise ---
    case 0x7c: extaddPairwise(A.i8, R.i16); break;
    case 0x7d: extaddPairwise(A.u8, R.u16); break;
    case 0x7e: extaddPairwise(A.i16, R.i32); break;
    case 0x7f: extaddPairwise(A.u16, R.u32); break;

    // --- i16x8 ---
    case 0x80: iabs(A.i16, R.i16); break;
    case 0x81: ineg(A.i16, R.i16); break;
    case 0x82: // i16x8.q15mulr_sat_s: (a·b + 2^14) >> 15, saturated (only -2^15 · -2^15 overflows)
      for (let i = 0; i < 8; i++) {
        const v = (A.i16[i]! * B.i16[i]! + 0x4000) >> 15;
        R.i16[i] = v > 0x7fff ? 0x7fff : v;
      }
      break;
    case 0x83: return allTrue(A.u16);
    case 0x84: return bitmask(A.i16);
    case 0x85: narrow(A.i32, B.i32, R.i16, -0x8000, 0x7fff); break;
    case 0x86: narrow(A.i32, B.i32, R.u16, 0, 0xffff); break;
    case 0x87: extend(A.i8, R.i16, 0); break;
    case 0x88: extend(A.i8, R.i16, 8); break;
    case 0x89: extend(A.u8, R.i16, 0); break;
    case 0x8a: extend(A.u8, R.i16, 8); break;
    case 0x8b: ishl(A.i16, R.i16, s & 15); break;
    case 0x8c: ishr(A.i16, R.i16, s & 15); break;
    case 0x8d: ishrU(A.u16, R.u16, s & 15); break;
    case 0x8e: iadd(A.u16, B.u16, R.u16); break;
    case 0x8f: iaddSat(A.i16, B.i16, R.i16, -0x8000, 0x7fff); break;
    case 0x90: iaddSat(A.u16, B.u16, R.u16, 0, 0xffff); break;
    case 0x91: isub(A.u16, B.u16, R.u16); break;
    case 0x92: isubSat(A.i16, B.i16, R.i16, -0x8000, 0x7fff); break;
    case 0x93: isubSat(A.u16, B.u16, R.u16, 0, 0xffff); break;
    case 0x95: imul(A.i16, B.i16, R.i16); break;
    case 0x96: imin(A.i16, B.i16, R.i16); break;
    case 0x97: imin(A.u16, B.u16, R.u16); break;
    case 0x98: imax(A.i16, B.i16, R.i16); break;
    case 0x99: imax(A.u16, B.u16, R.u16); break;
    case 0x9b: iavgr(A.u16, B.u16, R.u16); break;
    case 0x9c: extmul(A.i8, B.i8, R.i16, 0); break;
    case 0x9d: extmul(A.i8, B.i8, R.i16, 8); break;
    case 0x9e: extmul(A.u8, B.u8, R.i16, 0); break;
    case 0x9f: extmul(A.u8, B.u8, R.i16, 8); break;

    // --- i32x4 ---
    case 0xa0: iabs(A.i32, R.i32); break;
    case 0xa1: ineg(A.i32, R.i32); break;
    case 0xa3: return allTrue(A.u32);
    case 0xa4: return bitmask(A.i32);
    case 0xa7: extend(A.i16, R.i32, 0); break;
    case 0xa8: extend(A.i16, R.i32, 4); break;
    case 0xa9: extend(A.u16, R.i32, 0); break;
    case 0xaa: extend(A.u16, R.i32, 4); break;
    case 0xab: ishl(A.i32, R.i32, s & 31); break;
    case 0xac: ishr(A.i32, R.i32, s & 31); break;
    case 0xad: ishrU(A.u32, R.u32, s & 31); break;
    case 0xae: iadd(A.u32, B.u32, R.u32); break;
    case 0xb1: isub(A.u32, B.u32, R.u32); break;
    case 0xb5: imul(A.i32, B.i32, R.i32); break;
    case 0xb6: imin(A.i32, B.i32, R.i32); break;
    case 0xb7: imin(A.u32, B.u32, R.u32); break;
    case 0xb8: imax(A.i32, B.i32, R.i32); break;
    case 0xb9: imax(A.u32, B.u32, R.u32); break;
    case 0xba: // i32x4.dot_i16x8_s: the sum is exact in a double and wraps on the store
      for (let i = 0; i < 4; i++) {
        R.i32[i] = A.i16[2 * i]! * B.i16[2 * i]! + A.i16[2 * i + 1]! * B.i16[2 * i + 1]!;
      }
      break;
    case 0xbc: extmul(A.i16, B.i16, R.i32, 0); break;
    case 0xbd: extmul(A.i16, B.i16, R.i32, 4); break;
    case 0xbe: extmul(A.u16, B.u16, R.u32, 0); break;
    case 0xbf: extmul(A.u16, B.u16, R.u32, 4); break;

    // --- i64x2 ---
    case 0xc0: abs64(A, R); break;
    case 0xc1: neg64(A, R); break;
    case 0xc3: return allTrue64(A);
    case 0xc4: return bitmask64(A);
    case 0xc7: extend64(A, R, 0, true); break;
    case 0xc8: extend64(A, R, 2, true); break;
    case 0xc9: extend64(A, R, 0, false); break;
    case 0xca: extend64(A, R, 2, false); break;
    case 0xcb: shl64(A, R, s & 63); break;
    case 0xcc: shr64(A, R, s & 63, true); break;
    case 0xcd: shr64(A, R, s & 63, false); break;
    case 0xce: add64(A, B, R); break;
    case 0xd1: sub64(A, B, R); break;
    case 0xd5: mul64(A, B, R); break;
    case 0xd6: cmp64(A, B, R, EQ); break;
    case 0xd7: cmp64(A, B, R, NE); break;
    case 0xd8: cmp64(A, B, R, LT); break;
    case 0xd9: cmp64(A, B, R, GT); break;
    case 0xda: cmp64(A, B, R, LE); break;
    case 0xdb: cmp64(A, B, R, GE); break;
    case 0xdc: extmul64(A, B, R, 0, true); break;
    case 0xdd: extmul64(A, B, R, 2, true); break;
    case 0xde: extmul64(A, B, R, 0, false); break;
    case 0xdf: extmul64(A, B, R, 2, false); break;

    // --- f32x4 (abs/neg flip the sign bit only, so NaN payloads survive) ---
    case 0xe0: for (let i = 0; i < 4; i++) R.u32[i] = A.u32[i]! & 0x7fffffff; break;
    case 0xe1: for (let i = 0; i < 4; i++) R.u32[i] = A.u32[i]! ^ 0x80000000; break;
    case 0xe3: funary(A.f32, R.f32, SQRT); canon32(R); break;
    case 0xe4: farith(A.f32, B.f32, R.f32, ADD); canon32(R); break;
    case 0xe5: farith(A.f32, B.f32, R.f32, SUB); canon32(R); break;
    case 0xe6: farith(A.f32, B.f32, R.f32, MUL); canon32(R); break;
    case 0xe7: farith(A.f32, B.f32, R.f32, DIV); canon32(R); break;
    case 0xe8: farith(A.f32, B.f32, R.f32, MIN); canon32(R); break;
    case 0xe9: farith(A.f32, B.f32, R.f32, MAX); canon32(R); break;
    case 0xea: pminmax32(A, B, R, false); break;
    case 0xeb: pminmax32(A, B, R, true); break;
    case 0x67: funary(A.f32, R.f32, CEIL); canon32(R); break;
    case 0x68: funary(A.f32, R.f32, FLOOR); canon32(R); break;
    case 0x69: funary(A.f32, R.f32, TRUNC); canon32(R); break;
    case 0x6a: funary(A.f32, R.f32, NEAREST); canon32(R); break;

    // --- f64x2 ---
    case 0xec:
      R.u32[0] = A.u32[0]!;
      R.u32[1] = A.u32[1]! & 0x7fffffff;
      R.u32[2] = A.u32[2]!;
      R.u32[3] = A.u32[3]! & 0x7fffffff;
      break;
    case 0xed:
      R.u32[0] = A.u32[0]!;
      R.u32[1] = A.u32[1]! ^ 0x80000000;
      R.u32[2] = A.u32[2]!;
      R.u32[3] = A.u32[3]! ^ 0x80000000;
      break;
    case 0xef: funary(A.f64, R.f64, SQRT); canon64(R); break;
    case 0xf0: farith(A.f64, B.f64, R.f64, ADD); canon64(R); break;
    case 0xf1: farith(A.f64, B.f64, R.f64, SUB); canon64(R); break;
    case 0xf2: farith(A.f64, B.f64, R.f64, MUL); canon64(R); break;
    case 0xf3: farith(A.f64, B.f64, R.f64, DIV); canon64(R); break;
    case 0xf4: farith(A.f64, B.f64, R.f64, MIN); canon64(R); break;
    case 0xf5: farith(A.f64, B.f64, R.f64, MAX); canon64(R); break;
    case 0xf6: pminmax64(A, B, R, false); break;
    case 0xf7: pminmax64(A, B, R, true); break;
    case 0x74: funary(A.f64, R.f64, CEIL); canon64(R); break;
    case 0x75: funary(A.f64, R.f64, FLOOR); canon64(R); break;
    case 0x7a: funary(A.f64, R.f64, TRUNC); canon64(R); break;
    case 0x94: funary(A.f64, R.f64, NEAREST); canon64(R); break;

    // --- Conversions ---
    case 0xf8: for (let i = 0; i < 4; i++) R.i32[i] = truncSat(A.f32[i]!, -0x80000000, 0x7fffffff); break;
    case 0xf9: for (let i = 0; i < 4; i++) R.u32[i] = truncSat(A.f32[i]!, 0, 0xffffffff); break;
    // The int is exact in a double, so the f32 store rounds only once.
    case 0xfa: for (let i = 0; i < 4; i++) R.f32[i] = A.i32[i]!; break;
    case 0xfb: for (let i = 0; i < 4; i++) R.f32[i] = A.u32[i]!; break;
    case 0xfc:
    case 0xfd: {
      // i32x4.trunc_sat_f64x2_{s,u}_zero: two results, upper lanes zero
      const lo = sub === 0xfc ? -0x80000000 : 0;
      const hi = sub === 0xfc ? 0x7fffffff : 0xffffffff;
      R.u32[0] = truncSat(A.f64[0]!, lo, hi);
      R.u32[1] = truncSat(A.f64[1]!, lo, hi);
      R.u32[2] = 0;
      R.u32[3] = 0;
      break;
    }
    case 0xfe: R.f64[0] = A.i32[0]!; R.f64[1] = A.i32[1]!; break; // f64x2.convert_low_i32x4_s
    case 0xff: R.f64[0] = A.u32[0]!; R.f64[1] = A.u32[1]!; break;

    default:
      throw new RangeError(`not a SIMD instruction without memory access: 0x${code.toString(16)}`);
  }
  out.set(R.u8);
  return undefined;
}
