// Tests for engine/exec/simd.ts: hand-checked values per instruction family, an i64-lane
// differential against BigInt, interface invariants (arity table vs the opcode table,
// aliasing, no leftovers between calls), and the official spec tests
// (/work/shared/wasm-testsuite/wasm-2.0/simd_*.wast): every assert_return whose function is
// straight-line SIMD code over its parameters and constants is evaluated with simdOp.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Func, type Instr, type Module, opByName, OPS, type ValType } from '../syntax/index.ts';
import { parseWast, type WastExpected, type WastValue } from '../text/index.ts';
import { simdArity, simdOp } from './simd.ts';
import { testsuiteRoot } from '../../tests/support/testsuite.ts';
import path from 'node:path';

type Shape = 'i8x16' | 'i16x8' | 'i32x4' | 'i64x2' | 'f32x4' | 'f64x2';
type Lane = number | bigint;

const LANES: Record<Shape, number> = { i8x16: 16, i16x8: 8, i32x4: 4, i64x2: 2, f32x4: 4, f64x2: 2 };

/** A v128 from lanes: integers wrap to the lane width; f32x4/f64x2 lanes are float values. */
function v(shape: Shape, ...lanes: Lane[]): Uint8Array {
  const n = LANES[shape];
  if (lanes.length === 1) lanes = new Array<Lane>(n).fill(lanes[0]!);
  if (lanes.length !== n) throw new Error(`${shape} needs ${n} lanes`);
  const bytes = new Uint8Array(16);
  const d = new DataView(bytes.buffer);
  lanes.forEach((x, i) => {
    switch (shape) {
      case 'i8x16': d.setUint8(i, Number(x) & 0xff); break;
      case 'i16x8': d.setUint16(2 * i, Number(x) & 0xffff, true); break;
      case 'i32x4': d.setUint32(4 * i, Number(x) >>> 0, true); break;
      case 'i64x2': d.setBigUint64(8 * i, BigInt.asUintN(64, BigInt(x)), true); break;
      case 'f32x4': d.setFloat32(4 * i, Number(x), true); break;
      case 'f64x2': d.setFloat64(8 * i, Number(x), true); break;
    }
  });
  return bytes;
}

/** Lanes of a v128: signed integers (i64 as bigint), float values for f32x4/f64x2. */
function lanes(shape: Shape, bytes: Uint8Array): Lane[] {
  const d = new DataView(bytes.buffer, bytes.byteOffset, 16);
  const out: Lane[] = [];
  for (let i = 0; i < LANES[shape]; i++) {
    switch (shape) {
      case 'i8x16': out.push(d.getInt8(i)); break;
      case 'i16x8': out.push(d.getInt16(2 * i, true)); break;
      case 'i32x4': out.push(d.getInt32(4 * i, true)); break;
      case 'i64x2': out.push(d.getBigInt64(8 * i, true)); break;
      case 'f32x4': out.push(d.getFloat32(4 * i, true)); break;
      case 'f64x2': out.push(d.getFloat64(8 * i, true)); break;
    }
  }
  return out;
}

/** Unsigned lane bits (i64/f64 as bigint). */
function bits(shape: Shape, bytes: Uint8Array): Lane[] {
  const d = new DataView(bytes.buffer, bytes.byteOffset, 16);
  const out: Lane[] = [];
  for (let i = 0; i < LANES[shape]; i++) {
    switch (shape) {
      case 'i8x16': out.push(d.getUint8(i)); break;
      case 'i16x8': out.push(d.getUint16(2 * i, true)); break;
      case 'i32x4':
      case 'f32x4': out.push(d.getUint32(4 * i, true)); break;
      case 'i64x2':
      case 'f64x2': out.push(d.getBigUint64(8 * i, true)); break;
    }
  }
  return out;
}

function code(name: string): number {
  const info = opByName(name);
  if (info === undefined) throw new Error(`no such op ${name}`);
  return info.code;
}

interface Extra {
  lane?: number;
  bytes?: Uint8Array;
  scalar?: number | bigint;
}

/** Runs a v128-producing op and returns the result bytes. */
function vop(name: string, operands: Uint8Array[], extra: Extra = {}): Uint8Array {
  const out = new Uint8Array(16);
  const r = simdOp(code(name), operands[0], operands[1], operands[2], { lane: extra.lane, bytes: extra.bytes }, extra.scalar, out);
  expect(r).toBeUndefined();
  return out;
}

/** Runs a scalar-producing op and returns the scalar. */
function sop(name: string, a: Uint8Array, extra: Extra = {}): number | bigint {
  const out = new Uint8Array(16).fill(0xaa);
  const r = simdOp(code(name), a, undefined, undefined, { lane: extra.lane }, extra.scalar, out);
  expect(r).toBeDefined();
  expect(out.every((x) => x === 0xaa)).toBe(true); // scalar ops leave `out` alone
  return r!;
}

/** Shorthand: lanes of `name` applied to operands given in one shape, read in `outShape`. */
function lanesOf(name: string, shape: Shape, operands: Lane[][], outShape: Shape = shape, extra: Extra = {}): Lane[] {
  return lanes(outShape, vop(name, operands.map((l) => v(shape, ...l)), extra));
}

const f32bits = (x: number): number => {
  const d = new DataView(new ArrayBuffer(4));
  d.setFloat32(0, x);
  return d.getUint32(0);
};
const f64bits = (x: number): bigint => {
  const d = new DataView(new ArrayBuffer(8));
  d.setFloat64(0, x);
  return d.getBigUint64(0);
};
const CANON32 = 0x7fc00000;
const CANON64 = 0x7ff8000000000000n;

describe('lane moves', () => {
  it('i8x16.shuffle picks from both operands by immediate index', () => {
    const a = v('i8x16', ...Array.from({ length: 16 }, (_, i) => i));
    const b = v('i8x16', ...Array.from({ length: 16 }, (_, i) => 100 + i));
    const idx = Uint8Array.from([31, 0, 16, 15, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22]);
    expect(lanes('i8x16', vop('i8x16.shuffle', [a, b], { bytes: idx }))).toEqual(
      [115, 0, 100, 15, 1, 101, 2, 102, 3, 103, 4, 104, 5, 105, 6, 106],
    );
    expect(() => vop('i8x16.shuffle', [a, b], { bytes: new Uint8Array(16).fill(32) })).toThrow(RangeError);
    expect(() => vop('i8x16.shuffle', [a, b])).toThrow(RangeError);
  });

  it('i8x16.swizzle selects 0 for indices ≥ 16', () => {
    const a = v('i8x16', ...Array.from({ length: 16 }, (_, i) => 0x10 + i));
    const s = v('i8x16', 15, 0, 16, 255, 1, 128, 2, 17, 3, 3, 3, 3, 0, 0, 0, 14);
    expect(bits('i8x16', vop('i8x16.swizzle', [a, s]))).toEqual(
      [0x1f, 0x10, 0, 0, 0x11, 0, 0x12, 0, 0x13, 0x13, 0x13, 0x13, 0x10, 0x10, 0x10, 0x1e],
    );
  });

  it('splats wrap integers to the lane and keep float bits (incl. NaN payloads)', () => {
    expect(lanes('i8x16', vop('i8x16.splat', [], { scalar: 0x1ff }))).toEqual(new Array(16).fill(-1));
    expect(lanes('i16x8', vop('i16x8.splat', [], { scalar: 0x18000 }))).toEqual(new Array(8).fill(-32768));
    expect(lanes('i32x4', vop('i32x4.splat', [], { scalar: -5 }))).toEqual([-5, -5, -5, -5]);
    expect(lanes('i64x2', vop('i64x2.splat', [], { scalar: -2n }))).toEqual([-2n, -2n]);
    expect(bits('f32x4', vop('f32x4.splat', [], { scalar: 0x7fa00001 }))).toEqual(new Array(4).fill(0x7fa00001));
    expect(bits('f64x2', vop('f64x2.splat', [], { scalar: 0xfff0000000000001n }))).toEqual([
      0xfff0000000000001n, 0xfff0000000000001n,
    ]);
  });

  it('extract_lane: sign/zero extension, i64 as signed bigint, floats as raw bits', () => {
    const x = v('i8x16', 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0x80);
    expect(sop('i8x16.extract_lane_s', x, { lane: 15 })).toBe(-128);
    expect(sop('i8x16.extract_lane_u', x, { lane: 15 })).toBe(128);
    expect(sop('i8x16.extract_lane_s', x, { lane: 0 })).toBe(1);
    const h = v('i16x8', 0, 0, 0, 0, 0, 0, 0xfffe, 7);
    expect(sop('i16x8.extract_lane_s', h, { lane: 6 })).toBe(-2);
    expect(sop('i16x8.extract_lane_u', h, { lane: 6 })).toBe(0xfffe);
    expect(sop('i32x4.extract_lane', v('i32x4', 0, 0, 0xffffffff, 0), { lane: 2 })).toBe(-1);
    expect(sop('i64x2.extract_lane', v('i64x2', 5n, -1n), { lane: 1 })).toBe(-1n);
    expect(sop('f32x4.extract_lane', v('i32x4', 0, 0xff800001, 0, 0), { lane: 1 })).toBe(0xff800001);
    expect(sop('f64x2.extract_lane', v('i64x2', 0, 0x7ff0000000000abcn), { lane: 1 })).toBe(0x7ff0000000000abcn);
  });

  it('replace_lane changes one lane only', () => {
    expect(lanesOf('i8x16.replace_lane', 'i8x16', [[7]], 'i8x16', { lane: 3, scalar: 0x180 })).toEqual(
      [7, 7, 7, -128, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7],
    );
    expect(lanesOf('i16x8.replace_lane', 'i16x8', [[7]], 'i16x8', { lane: 7, scalar: -1 })).toEqual(
      [7, 7, 7, 7, 7, 7, 7, -1],
    );
    expect(lanesOf('i32x4.replace_lane', 'i32x4', [[7]], 'i32x4', { lane: 0, scalar: 0x7fffffff })).toEqual(
      [0x7fffffff, 7, 7, 7],
    );
    expect(lanesOf('i64x2.replace_lane', 'i64x2', [[7]], 'i64x2', { lane: 1, scalar: 0xffffffffffffffffn })).toEqual(
      [7n, -1n],
    );
    expect(bits('f32x4', vop('f32x4.replace_lane', [v('f32x4', 1)], { lane: 2, scalar: 0xffc12345 }))).toEqual([
      0x3f800000, 0x3f800000, 0xffc12345, 0x3f800000,
    ]);
    expect(bits('f64x2', vop('f64x2.replace_lane', [v('f64x2', 1)], { lane: 0, scalar: 0x7ff4000000000001n }))).toEqual([
      0x7ff4000000000001n, 0x3ff0000000000000n,
    ]);
  });

  it('rejects a missing or out-of-range lane index', () => {
    expect(() => sop('i8x16.extract_lane_s', v('i8x16', 0), { lane: 16 })).toThrow(RangeError);
    expect(() => sop('i64x2.extract_lane', v('i8x16', 0), {})).toThrow(RangeError);
    expect(() => vop('f64x2.replace_lane', [v('i8x16', 0)], { lane: 2, scalar: 0n })).toThrow(RangeError);
  });
});

describe('comparisons', () => {
  it('integer: signed and unsigned orderings differ on the sign bit', () => {
    const a = [0x80, 1, 5, 5];
    const b = [1, 0x80, 5, 6];
    const pad = (l: number[]) => [...l, ...l, ...l, ...l];
    expect(lanesOf('i8x16.lt_s', 'i8x16', [pad(a), pad(b)]).slice(0, 4)).toEqual([-1, 0, 0, -1]);
    expect(lanesOf('i8x16.lt_u', 'i8x16', [pad(a), pad(b)]).slice(0, 4)).toEqual([0, -1, 0, -1]);
    expect(lanesOf('i8x16.ge_u', 'i8x16', [pad(a), pad(b)]).slice(0, 4)).toEqual([-1, 0, -1, 0]);
    expect(lanesOf('i8x16.le_s', 'i8x16', [pad(a), pad(b)]).slice(0, 4)).toEqual([-1, 0, -1, -1]);
    expect(lanesOf('i8x16.ne', 'i8x16', [pad(a), pad(b)]).slice(0, 4)).toEqual([-1, -1, 0, -1]);
    const w = [0x8000, 1, 0xffff, 3, 0, 0, 0, 0];
    const z = [1, 0x8000, 0xffff, 4, 0, 0, 0, 0];
    expect(lanesOf('i16x8.gt_s', 'i16x8', [w, z]).slice(0, 4)).toEqual([0, -1, 0, 0]);
    expect(lanesOf('i16x8.gt_u', 'i16x8', [w, z]).slice(0, 4)).toEqual([-1, 0, 0, 0]);
    expect(lanesOf('i16x8.eq', 'i16x8', [w, z])).toEqual([0, 0, -1, 0, -1, -1, -1, -1]);
    expect(lanesOf('i32x4.lt_s', 'i32x4', [[0x80000000, 1, -1, 2], [1, 0x80000000, 0, 2]])).toEqual([-1, 0, -1, 0]);
    expect(lanesOf('i32x4.lt_u', 'i32x4', [[0x80000000, 1, -1, 2], [1, 0x80000000, 0, 2]])).toEqual([0, -1, 0, 0]);
    expect(lanesOf('i32x4.ge_s', 'i32x4', [[0x80000000, 1, -1, 2], [1, 0x80000000, 0, 2]])).toEqual([0, -1, 0, -1]);
  });

  it('i64x2: signed order uses the high word first, then the unsigned low word', () => {
    const a = [0x80000000n, -1n];
    const b = [1n, 0n];
    expect(lanesOf('i64x2.gt_s', 'i64x2', [a, b])).toEqual([-1n, 0n]);
    expect(lanesOf('i64x2.lt_s', 'i64x2', [a, b])).toEqual([0n, -1n]);
    expect(lanesOf('i64x2.le_s', 'i64x2', [[5n, -(2n ** 63n)], [5n, 2n ** 63n - 1n]])).toEqual([-1n, -1n]);
    expect(lanesOf('i64x2.ge_s', 'i64x2', [[5n, -(2n ** 63n)], [5n, 2n ** 63n - 1n]])).toEqual([-1n, 0n]);
    expect(lanesOf('i64x2.eq', 'i64x2', [[1n, 1n << 32n], [1n, 1n]])).toEqual([-1n, 0n]);
    expect(lanesOf('i64x2.ne', 'i64x2', [[1n, 1n << 32n], [1n, 1n]])).toEqual([0n, -1n]);
  });

  it('float: NaN is unordered, -0 equals +0', () => {
    const a = [NaN, -0, 1, -Infinity];
    const b = [NaN, 0, 2, -Infinity];
    expect(lanesOf('f32x4.eq', 'f32x4', [a, b], 'i32x4')).toEqual([0, -1, 0, -1]);
    expect(lanesOf('f32x4.ne', 'f32x4', [a, b], 'i32x4')).toEqual([-1, 0, -1, 0]);
    expect(lanesOf('f32x4.lt', 'f32x4', [a, b], 'i32x4')).toEqual([0, 0, -1, 0]);
    expect(lanesOf('f32x4.ge', 'f32x4', [a, b], 'i32x4')).toEqual([0, -1, 0, -1]);
    expect(lanesOf('f64x2.le', 'f64x2', [[NaN, -0], [1, 0]], 'i64x2')).toEqual([0n, -1n]);
    expect(lanesOf('f64x2.gt', 'f64x2', [[2, -0], [1, 0]], 'i64x2')).toEqual([-1n, 0n]);
  });
});

describe('bitwise', () => {
  const a = v('i32x4', 0xff00ff00, 0x12345678, 0, 0xffffffff);
  const b = v('i32x4', 0x0ff00ff0, 0xffffffff, 0, 0x0f0f0f0f);
  const u = (x: Uint8Array) => bits('i32x4', x);
  it('not, and, andnot, or, xor', () => {
    expect(u(vop('v128.not', [a]))).toEqual([0x00ff00ff, 0xedcba987, 0xffffffff, 0]);
    expect(u(vop('v128.and', [a, b]))).toEqual([0x0f000f00, 0x12345678, 0, 0x0f0f0f0f]);
    expect(u(vop('v128.andnot', [a, b]))).toEqual([0xf000f000, 0, 0, 0xf0f0f0f0]);
    expect(u(vop('v128.or', [a, b]))).toEqual([0xfff0fff0, 0xffffffff, 0, 0xffffffff]);
    expect(u(vop('v128.xor', [a, b]))).toEqual([0xf0f0f0f0, 0xedcba987, 0, 0xf0f0f0f0]);
  });
  it('bitselect takes the first operand where the mask is 1', () => {
    const mask = v('i32x4', 0xffff0000, 0, 0xffffffff, 0x0000ffff);
    expect(u(vop('v128.bitselect', [a, b, mask]))).toEqual([0xff000ff0, 0xffffffff, 0, 0x0f0fffff]);
  });
  it('any_true looks at every bit', () => {
    expect(sop('v128.any_true', v('i8x16', 0))).toBe(0);
    expect(sop('v128.any_true', v('i64x2', 0n, 1n << 63n))).toBe(1);
  });
});

describe('integer arithmetic', () => {
  it('add/sub/mul wrap; neg/abs wrap at the minimum', () => {
    expect(lanesOf('i8x16.add', 'i8x16', [[0x7f], [1]])[0]).toBe(-128);
    expect(lanesOf('i8x16.sub', 'i8x16', [[0], [1]])[0]).toBe(-1);
    expect(lanesOf('i16x8.add', 'i16x8', [[0xffff], [2]])[0]).toBe(1);
    expect(lanesOf('i16x8.sub', 'i16x8', [[-32768], [1]])[0]).toBe(32767);
    expect(lanesOf('i16x8.mul', 'i16x8', [[0x100], [0x101]])[0]).toBe(0x100);
    expect(lanesOf('i32x4.add', 'i32x4', [[0xffffffff], [2]])[0]).toBe(1);
    expect(lanesOf('i32x4.sub', 'i32x4', [[0x80000000], [1]])[0]).toBe(0x7fffffff);
    expect(lanesOf('i32x4.mul', 'i32x4', [[0x10001], [0x10001]])[0]).toBe(0x20001);
    expect(lanesOf('i8x16.neg', 'i8x16', [[-128, 1, 0, -5, ...new Array(12).fill(0)]]).slice(0, 4)).toEqual([-128, -1, 0, 5]);
    expect(lanesOf('i8x16.abs', 'i8x16', [[-128, 1, 0, -5, ...new Array(12).fill(0)]]).slice(0, 4)).toEqual([-128, 1, 0, 5]);
    expect(lanesOf('i16x8.abs', 'i16x8', [[-32768, -3, 3, 0, 0, 0, 0, 0]]).slice(0, 3)).toEqual([-32768, 3, 3]);
    expect(lanesOf('i16x8.neg', 'i16x8', [[-32768, -3, 3, 0, 0, 0, 0, 0]]).slice(0, 3)).toEqual([-32768, 3, -3]);
    expect(lanesOf('i32x4.abs', 'i32x4', [[0x80000000, -7, 7, 0]])).toEqual([-0x80000000, 7, 7, 0]);
    expect(lanesOf('i32x4.neg', 'i32x4', [[0x80000000, -7, 7, 0]])).toEqual([-0x80000000, 7, -7, 0]);
  });

  it('i64x2 add/sub carry across the 32-bit halves; mul/neg/abs', () => {
    expect(lanesOf('i64x2.add', 'i64x2', [[0xffffffffn, -1n], [1n, 1n]])).toEqual([0x100000000n, 0n]);
    expect(lanesOf('i64x2.sub', 'i64x2', [[0x100000000n, 0n], [1n, 1n]])).toEqual([0xffffffffn, -1n]);
    expect(lanesOf('i64x2.mul', 'i64x2', [[0x123456789n, -1n], [0x987654321n, -(2n ** 63n)]])).toEqual([
      BigInt.asIntN(64, 0x123456789n * 0x987654321n), -(2n ** 63n),
    ]);
    expect(lanesOf('i64x2.neg', 'i64x2', [[0x100000000n, -(2n ** 63n)]])).toEqual([-0x100000000n, -(2n ** 63n)]);
    expect(lanesOf('i64x2.abs', 'i64x2', [[-0x100000000n, -(2n ** 63n)]])).toEqual([0x100000000n, -(2n ** 63n)]);
  });

  it('saturating add/sub clamp to the lane range', () => {
    expect(lanesOf('i8x16.add_sat_s', 'i8x16', [[100], [100]])[0]).toBe(127);
    expect(lanesOf('i8x16.add_sat_s', 'i8x16', [[-100], [-100]])[0]).toBe(-128);
    expect(lanesOf('i8x16.add_sat_u', 'i8x16', [[200], [100]])[0]).toBe(-1); // 0xff
    expect(lanesOf('i8x16.sub_sat_u', 'i8x16', [[1], [2]])[0]).toBe(0);
    expect(lanesOf('i8x16.sub_sat_s', 'i8x16', [[-128], [1]])[0]).toBe(-128);
    expect(lanesOf('i16x8.add_sat_s', 'i16x8', [[32000], [1000]])[0]).toBe(32767);
    expect(lanesOf('i16x8.add_sat_u', 'i16x8', [[65000], [1000]])[0]).toBe(-1);
    expect(lanesOf('i16x8.sub_sat_s', 'i16x8', [[-32000], [1000]])[0]).toBe(-32768);
    expect(lanesOf('i16x8.sub_sat_u', 'i16x8', [[1000], [1001]])[0]).toBe(0);
    expect(lanesOf('i16x8.sub_sat_u', 'i16x8', [[0xffff], [1]])[0]).toBe(-2); // 0xfffe
  });

  it('min/max signed vs unsigned; avgr_u rounds up', () => {
    expect(lanesOf('i8x16.min_s', 'i8x16', [[0x80], [1]])[0]).toBe(-128);
    expect(lanesOf('i8x16.min_u', 'i8x16', [[0x80], [1]])[0]).toBe(1);
    expect(lanesOf('i8x16.max_u', 'i8x16', [[0x80], [1]])[0]).toBe(-128);
    expect(lanesOf('i8x16.max_s', 'i8x16', [[0x80], [1]])[0]).toBe(1);
    expect(lanesOf('i16x8.min_u', 'i16x8', [[0xffff], [2]])[0]).toBe(2);
    expect(lanesOf('i16x8.max_s', 'i16x8', [[0xffff], [2]])[0]).toBe(2);
    expect(lanesOf('i32x4.min_s', 'i32x4', [[-1], [2]])[0]).toBe(-1);
    expect(lanesOf('i32x4.min_u', 'i32x4', [[-1], [2]])[0]).toBe(2);
    expect(lanesOf('i32x4.max_u', 'i32x4', [[-1], [2]])[0]).toBe(-1);
    expect(lanesOf('i32x4.max_s', 'i32x4', [[-1], [2]])[0]).toBe(2);
    expect(lanesOf('i8x16.avgr_u', 'i8x16', [[255], [255]])[0]).toBe(-1);
    expect(lanesOf('i8x16.avgr_u', 'i8x16', [[0], [1]])[0]).toBe(1);
    expect(lanesOf('i16x8.avgr_u', 'i16x8', [[0xffff], [0]])[0]).toBe(-32768); // 0x8000
  });

  it('shifts take the count modulo the lane width', () => {
    expect(lanesOf('i8x16.shl', 'i8x16', [[0x81]], 'i8x16', { scalar: 9 })[0]).toBe(2);
    expect(lanesOf('i8x16.shr_s', 'i8x16', [[0x80]], 'i8x16', { scalar: 7 })[0]).toBe(-1);
    expect(lanesOf('i8x16.shr_u', 'i8x16', [[0x80]], 'i8x16', { scalar: 7 })[0]).toBe(1);
    expect(lanesOf('i8x16.shr_u', 'i8x16', [[0x80]], 'i8x16', { scalar: 8 })[0]).toBe(-128);
    expect(lanesOf('i16x8.shl', 'i16x8', [[1]], 'i16x8', { scalar: 15 })[0]).toBe(-32768);
    expect(lanesOf('i16x8.shr_s', 'i16x8', [[-32768]], 'i16x8', { scalar: -1 })[0]).toBe(-1);
    expect(lanesOf('i16x8.shr_u', 'i16x8', [[-32768]], 'i16x8', { scalar: 31 })[0]).toBe(1);
    expect(lanesOf('i32x4.shl', 'i32x4', [[3]], 'i32x4', { scalar: 32 })[0]).toBe(3);
    expect(lanesOf('i32x4.shr_s', 'i32x4', [[0x80000000]], 'i32x4', { scalar: 31 })[0]).toBe(-1);
    expect(lanesOf('i32x4.shr_u', 'i32x4', [[0x80000000]], 'i32x4', { scalar: 31 })[0]).toBe(1);
    const x = [0x8000000180000001n, 1n];
    expect(lanesOf('i64x2.shl', 'i64x2', [x], 'i64x2', { scalar: 0 })).toEqual([BigInt.asIntN(64, x[0]!), 1n]);
    expect(lanesOf('i64x2.shl', 'i64x2', [x], 'i64x2', { scalar: 1 })).toEqual([0x300000002n, 2n]);
    expect(lanesOf('i64x2.shl', 'i64x2', [x], 'i64x2', { scalar: 33 })).toEqual([2n << 32n, 2n << 32n]);
    expect(lanesOf('i64x2.shl', 'i64x2', [x], 'i64x2', { scalar: 127 })).toEqual([-(2n ** 63n), -(2n ** 63n)]);
    expect(lanesOf('i64x2.shr_s', 'i64x2', [x], 'i64x2', { scalar: 32 })).toEqual([-0x7fffffffn, 0n]);
    expect(lanesOf('i64x2.shr_s', 'i64x2', [x], 'i64x2', { scalar: 63 })).toEqual([-1n, 0n]);
    expect(lanesOf('i64x2.shr_u', 'i64x2', [x], 'i64x2', { scalar: 4 })).toEqual([0x0800000018000000n, 0n]);
    expect(lanesOf('i64x2.shr_u', 'i64x2', [x], 'i64x2', { scalar: 63 })).toEqual([1n, 0n]);
  });

  it('popcnt, all_true, bitmask', () => {
    expect(lanesOf('i8x16.popcnt', 'i8x16', [[0, 1, 0xff, 0x80, 0x55, 0x0f, 3, 7, 0, 0, 0, 0, 0, 0, 0, 0]]).slice(0, 8)).toEqual(
      [0, 1, 8, 1, 4, 4, 2, 3],
    );
    expect(sop('i8x16.all_true', v('i8x16', 1))).toBe(1);
    expect(sop('i8x16.all_true', v('i8x16', 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0))).toBe(0);
    expect(sop('i16x8.all_true', v('i8x16', 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 1))).toBe(1);
    expect(sop('i16x8.all_true', v('i8x16', 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0))).toBe(0);
    expect(sop('i32x4.all_true', v('i32x4', 1, 2, 3, 0x80000000))).toBe(1);
    expect(sop('i32x4.all_true', v('i32x4', 1, 2, 0, 4))).toBe(0);
    expect(sop('i64x2.all_true', v('i64x2', 1n << 32n, 1n))).toBe(1);
    expect(sop('i64x2.all_true', v('i64x2', 1n << 32n, 0n))).toBe(0);
    expect(sop('i8x16.bitmask', v('i8x16', 0x80, 0, 0xff, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80))).toBe(0x8005);
    expect(sop('i16x8.bitmask', v('i16x8', 0, -1, 0, 0, 0, 0, 0, -32768))).toBe(0x82);
    expect(sop('i32x4.bitmask', v('i32x4', -1, 0, -1, 0x7fffffff))).toBe(5);
    expect(sop('i64x2.bitmask', v('i64x2', 1n, -1n))).toBe(2);
  });

  it('narrow saturates signed input into signed or unsigned lanes', () => {
    const a = [300, -300, 127, -128, 0x7fff, -1, 255, 256];
    const b = [0, 1, 2, 3, 4, 5, 6, 7];
    expect(lanesOf('i8x16.narrow_i16x8_s', 'i16x8', [a, b], 'i8x16')).toEqual([127, -128, 127, -128, 127, -1, 127, 127, ...b]);
    expect(bits('i8x16', vop('i8x16.narrow_i16x8_u', [v('i16x8', ...a), v('i16x8', ...b)]))).toEqual([
      255, 0, 127, 0, 255, 0, 255, 255, ...b,
    ]);
    expect(lanesOf('i16x8.narrow_i32x4_s', 'i32x4', [[70000, -70000, 5, -5], [0x7fffffff, 0x80000000, 0, 1]], 'i16x8')).toEqual(
      [32767, -32768, 5, -5, 32767, -32768, 0, 1],
    );
    expect(bits('i16x8', vop('i16x8.narrow_i32x4_u', [v('i32x4', 70000, -70000, 5, -5), v('i32x4', 65535, 65536, 0, 1)]))).toEqual(
      [65535, 0, 5, 0, 65535, 65535, 0, 1],
    );
  });

  it('extend low/high, signed/unsigned', () => {
    const x = v('i8x16', 1, -1, 2, -2, 3, -3, 4, -4, 0x80, 0x7f, 0, 0, 0, 0, 0, 0xff);
    expect(lanes('i16x8', vop('i16x8.extend_low_i8x16_s', [x]))).toEqual([1, -1, 2, -2, 3, -3, 4, -4]);
    expect(lanes('i16x8', vop('i16x8.extend_low_i8x16_u', [x]))).toEqual([1, 255, 2, 254, 3, 253, 4, 252]);
    expect(lanes('i16x8', vop('i16x8.extend_high_i8x16_s', [x]))).toEqual([-128, 127, 0, 0, 0, 0, 0, -1]);
    expect(lanes('i16x8', vop('i16x8.extend_high_i8x16_u', [x]))).toEqual([128, 127, 0, 0, 0, 0, 0, 255]);
    const h = v('i16x8', -1, 2, -3, 4, 0x8000, 0, 0, 0xffff);
    expect(lanes('i32x4', vop('i32x4.extend_low_i16x8_s', [h]))).toEqual([-1, 2, -3, 4]);
    expect(lanes('i32x4', vop('i32x4.extend_high_i16x8_u', [h]))).toEqual([0x8000, 0, 0, 0xffff]);
    expect(lanes('i32x4', vop('i32x4.extend_high_i16x8_s', [h]))).toEqual([-32768, 0, 0, -1]);
    expect(lanes('i32x4', vop('i32x4.extend_low_i16x8_u', [h]))).toEqual([0xffff, 2, 0xfffd, 4]);
    const w = v('i32x4', -1, 5, 0x80000000, 7);
    expect(lanes('i64x2', vop('i64x2.extend_low_i32x4_s', [w]))).toEqual([-1n, 5n]);
    expect(lanes('i64x2', vop('i64x2.extend_low_i32x4_u', [w]))).toEqual([0xffffffffn, 5n]);
    expect(lanes('i64x2', vop('i64x2.extend_high_i32x4_s', [w]))).toEqual([-0x80000000n, 7n]);
    expect(lanes('i64x2', vop('i64x2.extend_high_i32x4_u', [w]))).toEqual([0x80000000n, 7n]);
  });

  it('extmul gives the full-width product', () => {
    const a8 = [-128, 255, 3, 0, 0, 0, 0, 0, 2, -2, 0, 0, 0, 0, 0, 0];
    const b8 = [-128, 255, -3, 0, 0, 0, 0, 0, 100, 100, 0, 0, 0, 0, 0, 0];
    expect(lanesOf('i16x8.extmul_low_i8x16_s', 'i8x16', [a8, b8], 'i16x8').slice(0, 3)).toEqual([16384, 1, -9]);
    expect(bits('i16x8', vop('i16x8.extmul_low_i8x16_u', [v('i8x16', ...a8), v('i8x16', ...b8)])).slice(0, 3)).toEqual([
      16384, 65025, 3 * 253,
    ]);
    expect(lanesOf('i16x8.extmul_high_i8x16_s', 'i8x16', [a8, b8], 'i16x8').slice(0, 2)).toEqual([200, -200]);
    expect(lanesOf('i16x8.extmul_high_i8x16_u', 'i8x16', [a8, b8], 'i16x8').slice(0, 2)).toEqual([200, 254 * 100]);
    const a16 = [-32768, 65535, 0, 0, 7, -7, 0, 0];
    const b16 = [-32768, 65535, 0, 0, 3, 3, 0, 0];
    expect(lanesOf('i32x4.extmul_low_i16x8_s', 'i16x8', [a16, b16], 'i32x4').slice(0, 2)).toEqual([2 ** 30, 1]);
    expect(bits('i32x4', vop('i32x4.extmul_low_i16x8_u', [v('i16x8', ...a16), v('i16x8', ...b16)])).slice(0, 2)).toEqual([
      2 ** 30, 65535 * 65535,
    ]);
    expect(lanesOf('i32x4.extmul_high_i16x8_s', 'i16x8', [a16, b16], 'i32x4').slice(0, 2)).toEqual([21, -21]);
    expect(lanesOf('i32x4.extmul_high_i16x8_u', 'i16x8', [a16, b16], 'i32x4').slice(0, 2)).toEqual([21, 65529 * 3]);
    const a32 = [0x80000000, 0xffffffff, -1, 5];
    const b32 = [0x80000000, 0xffffffff, 5, 0x7fffffff];
    expect(lanesOf('i64x2.extmul_low_i32x4_s', 'i32x4', [a32, b32], 'i64x2')).toEqual([2n ** 62n, 1n]);
    expect(bits('i64x2', vop('i64x2.extmul_low_i32x4_u', [v('i32x4', ...a32), v('i32x4', ...b32)]))).toEqual([
      2n ** 62n, 0xfffffffe00000001n,
    ]);
    expect(lanesOf('i64x2.extmul_high_i32x4_s', 'i32x4', [a32, b32], 'i64x2')).toEqual([-5n, 5n * 0x7fffffffn]);
    expect(lanesOf('i64x2.extmul_high_i32x4_u', 'i32x4', [a32, b32], 'i64x2')).toEqual([0xffffffffn * 5n, 5n * 0x7fffffffn]);
  });

  it('extadd_pairwise, dot, q15mulr_sat_s', () => {
    const x = [-128, -128, 127, 127, 255, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    expect(lanesOf('i16x8.extadd_pairwise_i8x16_s', 'i8x16', [x], 'i16x8').slice(0, 3)).toEqual([-256, 254, 0]);
    expect(lanesOf('i16x8.extadd_pairwise_i8x16_u', 'i8x16', [x], 'i16x8').slice(0, 3)).toEqual([256, 254, 256]);
    const y = [-32768, -32768, 0xffff, 0xffff, 0, 0, 0, 0];
    expect(lanesOf('i32x4.extadd_pairwise_i16x8_s', 'i16x8', [y], 'i32x4').slice(0, 2)).toEqual([-65536, -2]);
    expect(lanesOf('i32x4.extadd_pairwise_i16x8_u', 'i16x8', [y], 'i32x4').slice(0, 2)).toEqual([65536, 131070]);
    const p = [-32768, -32768, 1000, 2000, 3, -3, 0, 0];
    const q = [-32768, -32768, 3, 4, 5, 5, 0, 0];
    // 2·2^30 = 2^31 wraps to -2^31: the only overflow of i32x4.dot_i16x8_s
    expect(lanesOf('i32x4.dot_i16x8_s', 'i16x8', [p, q], 'i32x4')).toEqual([-(2 ** 31), 11000, 0, 0]);
    expect(lanesOf('i16x8.q15mulr_sat_s', 'i16x8', [[-32768, 16384, -16384, 1, 0x4000, -1, 3, 0], [-32768, 16384, 16384, 0x4000, 1, 0x4000, -3, 0]])).toEqual(
      [32767, 8192, -8192, 1, 1, 0, 0, 0],
    );
  });

  it('i64x2 add/sub/mul/shifts/compares/extmul agree with BigInt on random lanes', () => {
    let seed = 12345;
    const rnd32 = (): bigint => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return BigInt(seed);
    };
    const special = [0n, 1n, -1n, 2n ** 63n, 2n ** 63n - 1n, 2n ** 32n, 2n ** 32n - 1n, 0x80000000n];
    const rnd64 = (): bigint => {
      const r = rnd32() % 4n;
      if (r === 0n) return BigInt.asIntN(64, special[Number(rnd32() % BigInt(special.length))]!);
      return BigInt.asIntN(64, (rnd32() << 32n) | rnd32());
    };
    const s64 = (x: bigint) => BigInt.asIntN(64, x);
    let mismatches = 0;
    for (let n = 0; n < 2000; n++) {
      const a = [rnd64(), rnd64()];
      const b = [rnd64(), rnd64()];
      const sh = Number(rnd32() % 200n);
      const check = (name: string, want: bigint[], extra: Extra = {}) => {
        const got = lanesOf(name, 'i64x2', [a, b], 'i64x2', extra);
        if (got[0] !== want[0] || got[1] !== want[1]) mismatches++;
        expect(got, `${name} ${a} ${b} ${sh}`).toEqual(want);
      };
      check('i64x2.add', a.map((x, i) => s64(x + b[i]!)));
      check('i64x2.sub', a.map((x, i) => s64(x - b[i]!)));
      check('i64x2.mul', a.map((x, i) => s64(x * b[i]!)));
      check('i64x2.shl', a.map((x) => s64(x << BigInt(sh % 64))), { scalar: sh });
      check('i64x2.shr_s', a.map((x) => x >> BigInt(sh % 64)), { scalar: sh });
      check('i64x2.shr_u', a.map((x) => s64(BigInt.asUintN(64, x) >> BigInt(sh % 64))), { scalar: sh });
      check('i64x2.lt_s', a.map((x, i) => (x < b[i]! ? -1n : 0n)));
      check('i64x2.ge_s', a.map((x, i) => (x >= b[i]! ? -1n : 0n)));
      check('i64x2.neg', a.map((x) => s64(-x)));
      check('i64x2.abs', a.map((x) => s64(x < 0n ? -x : x)));
      const lo = (x: bigint) => BigInt.asIntN(32, x);
      const hi = (x: bigint) => BigInt.asIntN(32, x >> 32n);
      check('i64x2.extmul_low_i32x4_s', [lo(a[0]!) * lo(b[0]!), hi(a[0]!) * hi(b[0]!)]);
      const ulo = (x: bigint) => BigInt.asUintN(32, x);
      const uhi = (x: bigint) => BigInt.asUintN(32, x >> 32n);
      check('i64x2.extmul_high_i32x4_u', [s64(ulo(a[1]!) * ulo(b[1]!)), s64(uhi(a[1]!) * uhi(b[1]!))]);
    }
    expect(mismatches).toBe(0);
  });
});

describe('float arithmetic', () => {
  it('f32 lanes round once to single precision', () => {
    expect(lanesOf('f32x4.add', 'f32x4', [[1, 16777216, 0.1, 3], [2 ** -24, 1, 0.2, 4]])).toEqual([
      1, 16777216, Math.fround(Math.fround(0.1) + Math.fround(0.2)), 7,
    ]);
    expect(lanesOf('f32x4.sub', 'f32x4', [[1, 0, 0, 0], [2 ** -25, 0, 0, 0]])[0]).toBe(1);
    expect(lanesOf('f32x4.mul', 'f32x4', [[3.4e38, 1e-30, 0, 0], [10, 1e-30, 0, 0]]).slice(0, 2)).toEqual([Infinity, Math.fround(Math.fround(1e-30) ** 2)]);
    expect(lanesOf('f32x4.div', 'f32x4', [[1, -1, 1, 0], [3, 0, -0, 1]])).toEqual([Math.fround(1 / 3), -Infinity, -Infinity, 0]);
    expect(bits('f32x4', vop('f32x4.sqrt', [v('f32x4', 2, -0, 0.25, Infinity)]))).toEqual([0x3fb504f3, 0x80000000, 0x3f000000, 0x7f800000]);
    expect(lanesOf('f64x2.add', 'f64x2', [[0.1, 1e308], [0.2, 1e308]])).toEqual([0.1 + 0.2, Infinity]);
    expect(lanesOf('f64x2.sub', 'f64x2', [[1, -0], [2 ** -53, 0]])).toEqual([1 - 2 ** -53, -0]);
    expect(lanesOf('f64x2.mul', 'f64x2', [[-0, 3], [5, 1 / 3]])).toEqual([-0, 1]);
    expect(lanesOf('f64x2.div', 'f64x2', [[1, 5], [3, -Infinity]])).toEqual([1 / 3, -0]);
    expect(lanesOf('f64x2.sqrt', 'f64x2', [[2, 1e-320]])).toEqual([Math.SQRT2, Math.sqrt(1e-320)]);
  });

  it('NaN results are the positive canonical NaN, whatever the inputs', () => {
    const nan32 = v('i32x4', 0xffa00001, 0x7f800001, 0x7f800000, 0xff800000);
    const other = v('f32x4', 1, 1, -Infinity, Infinity);
    for (const op of ['f32x4.add', 'f32x4.sub', 'f32x4.mul', 'f32x4.div', 'f32x4.min', 'f32x4.max']) {
      const r = bits('f32x4', vop(op, [nan32, other]));
      expect(r.slice(0, 2), op).toEqual([CANON32, CANON32]);
    }
    // inf + -inf, inf - inf: the host's default NaN is negative on x86.
    expect(bits('f32x4', vop('f32x4.add', [nan32, other])).slice(2)).toEqual([CANON32, CANON32]);
    expect(bits('f32x4', vop('f32x4.sqrt', [v('f32x4', -1, NaN, -Infinity, -0)]))).toEqual([CANON32, CANON32, CANON32, 0x80000000]);
    const nan64 = v('i64x2', 0xfff0000000000001n, 0x7ff4000000000000n);
    for (const op of ['f64x2.add', 'f64x2.sub', 'f64x2.mul', 'f64x2.div', 'f64x2.min', 'f64x2.max', 'f64x2.nearest', 'f64x2.ceil']) {
      expect(bits('f64x2', vop(op, [nan64, v('f64x2', 1, 1)])), op).toEqual([CANON64, CANON64]);
    }
    expect(bits('f64x2', vop('f64x2.mul', [v('f64x2', 0, Infinity), v('f64x2', Infinity, 0)]))).toEqual([CANON64, CANON64]);
    expect(bits('f64x2', vop('f64x2.sqrt', [v('f64x2', -2, -Infinity)]))).toEqual([CANON64, CANON64]);
  });

  it('abs and neg are sign-bit operations that keep NaN payloads', () => {
    const x = v('i32x4', 0xffa00001, 0x7fc00000, 0x80000000, 0x3f800000);
    expect(bits('f32x4', vop('f32x4.abs', [x]))).toEqual([0x7fa00001, 0x7fc00000, 0, 0x3f800000]);
    expect(bits('f32x4', vop('f32x4.neg', [x]))).toEqual([0x7fa00001, 0xffc00000, 0, 0xbf800000]);
    const y = v('i64x2', 0xfff0000000000001n, 0n);
    expect(bits('f64x2', vop('f64x2.abs', [y]))).toEqual([0x7ff0000000000001n, 0n]);
    expect(bits('f64x2', vop('f64x2.neg', [y]))).toEqual([0x7ff0000000000001n, 0x8000000000000000n]);
  });

  it('min/max: -0 < +0 and NaN wins; pmin/pmax are selections that keep operand bits', () => {
    expect(bits('f32x4', vop('f32x4.min', [v('f32x4', 0, -0, 1, -Infinity), v('f32x4', -0, 0, 2, 5)]))).toEqual([
      0x80000000, 0x80000000, 0x3f800000, 0xff800000,
    ]);
    expect(bits('f32x4', vop('f32x4.max', [v('f32x4', 0, -0, 1, -Infinity), v('f32x4', -0, 0, 2, 5)]))).toEqual([
      0, 0, 0x40000000, 0x40a00000,
    ]);
    expect(bits('f64x2', vop('f64x2.min', [v('f64x2', 0, 3), v('f64x2', -0, NaN)]))).toEqual([0x8000000000000000n, CANON64]);
    expect(bits('f64x2', vop('f64x2.max', [v('f64x2', -0, 3), v('f64x2', 0, 2)]))).toEqual([0n, f64bits(3)]);
    const a = v('i32x4', 0x7fa00001, f32bits(1), 0x80000000, 0);
    const b = v('i32x4', f32bits(1), 0xffc00005, 0, 0x80000000);
    // pmin(a, b) = b < a ? b : a; NaN compares false, so the first operand comes back.
    expect(bits('f32x4', vop('f32x4.pmin', [a, b]))).toEqual([0x7fa00001, f32bits(1), 0x80000000, 0]);
    expect(bits('f32x4', vop('f32x4.pmax', [a, b]))).toEqual([0x7fa00001, f32bits(1), 0x80000000, 0]);
    expect(lanesOf('f32x4.pmin', 'f32x4', [[1, 5, -1, 0], [2, 4, -2, 0]])).toEqual([1, 4, -2, 0]);
    expect(lanesOf('f32x4.pmax', 'f32x4', [[1, 5, -1, 0], [2, 4, -2, 0]])).toEqual([2, 5, -1, 0]);
    const c = v('i64x2', 0x7ff0000000000009n, f64bits(-0));
    const d = v('f64x2', 1, 0);
    expect(bits('f64x2', vop('f64x2.pmin', [c, d]))).toEqual([0x7ff0000000000009n, f64bits(-0)]);
    expect(bits('f64x2', vop('f64x2.pmax', [d, c]))).toEqual([f64bits(1), 0n]);
    expect(lanesOf('f64x2.pmax', 'f64x2', [[1, 7], [2, -7]])).toEqual([2, 7]);
    expect(lanesOf('f64x2.pmin', 'f64x2', [[1, 7], [2, -7]])).toEqual([1, -7]);
  });

  it('ceil/floor/trunc/nearest; nearest rounds half to even and keeps the zero sign', () => {
    const x = [0.5, 1.5, 2.5, -0.5];
    expect(lanesOf('f32x4.nearest', 'f32x4', [x])).toEqual([0, 2, 2, -0]);
    expect(lanesOf('f32x4.nearest', 'f32x4', [[-2.5, -3.5, 8388609, -0.4]])).toEqual([-2, -4, 8388609, -0]);
    expect(lanesOf('f64x2.nearest', 'f64x2', [[4503599627370497, -1.5]])).toEqual([4503599627370497, -2]);
    expect(lanesOf('f64x2.nearest', 'f64x2', [[0.49999999999999994, -Infinity]])).toEqual([0, -Infinity]);
    expect(lanesOf('f32x4.ceil', 'f32x4', [[-0.5, 0.1, -1.5, Infinity]])).toEqual([-0, 1, -1, Infinity]);
    expect(lanesOf('f32x4.floor', 'f32x4', [[-0.5, 0.1, -1.5, -0]])).toEqual([-1, 0, -2, -0]);
    expect(lanesOf('f32x4.trunc', 'f32x4', [[-0.5, 0.9, -1.5, 1e30]])).toEqual([-0, 0, -1, Math.fround(1e30)]);
    expect(lanesOf('f64x2.ceil', 'f64x2', [[-0.5, 1.0000000000000002]])).toEqual([-0, 2]);
    expect(lanesOf('f64x2.floor', 'f64x2', [[-0.5, 1.9999999999999998]])).toEqual([-1, 1]);
    expect(lanesOf('f64x2.trunc', 'f64x2', [[-0.5, -1.9999999999999998]])).toEqual([-0, -1]);
    expect(bits('f32x4', vop('f32x4.floor', [v('i32x4', 0xffa00000, 0, 0, 0)]))[0]).toBe(CANON32);
  });
});

describe('conversions', () => {
  it('trunc_sat: NaN → 0, saturation at both ends', () => {
    expect(lanesOf('i32x4.trunc_sat_f32x4_s', 'f32x4', [[NaN, Infinity, -3e9, -1.9]], 'i32x4')).toEqual([0, 0x7fffffff, -0x80000000, -1]);
    expect(bits('i32x4', vop('i32x4.trunc_sat_f32x4_u', [v('f32x4', -0.9, 4294967296, 4294967040, -Infinity)]))).toEqual([
      0, 0xffffffff, 4294967040, 0,
    ]);
    expect(lanesOf('i32x4.trunc_sat_f64x2_s_zero', 'f64x2', [[2147483647.9, -2147483648.9]], 'i32x4')).toEqual([
      0x7fffffff, -0x80000000, 0, 0,
    ]);
    expect(bits('i32x4', vop('i32x4.trunc_sat_f64x2_u_zero', [v('f64x2', 4294967295.5, NaN)]))).toEqual([0xffffffff, 0, 0, 0]);
  });

  it('int → float rounds to nearest even', () => {
    expect(lanesOf('f32x4.convert_i32x4_s', 'i32x4', [[16777217, 16777219, -1, 0x80000000]], 'f32x4')).toEqual([
      16777216, 16777220, -1, -2147483648,
    ]);
    expect(lanesOf('f32x4.convert_i32x4_u', 'i32x4', [[0xffffffff, 16777217, 1, 0x80000000]], 'f32x4')).toEqual([
      4294967296, 16777216, 1, 2147483648,
    ]);
    expect(lanesOf('f64x2.convert_low_i32x4_s', 'i32x4', [[-1, 0x80000000, 9, 9]], 'f64x2')).toEqual([-1, -2147483648]);
    expect(lanesOf('f64x2.convert_low_i32x4_u', 'i32x4', [[-1, 0x80000000, 9, 9]], 'f64x2')).toEqual([4294967295, 2147483648]);
  });

  it('demote rounds to nearest even and zeroes the upper lanes; promote is exact', () => {
    expect(lanesOf('f32x4.demote_f64x2_zero', 'f64x2', [[1 + 2 ** -24, 1 + 2 ** -24 + 2 ** -50]], 'f32x4')).toEqual([1, 1 + 2 ** -23, 0, 0]);
    expect(bits('f32x4', vop('f32x4.demote_f64x2_zero', [v('i64x2', 0x7ff4000000000001n, f64bits(-1e300))]))).toEqual([
      CANON32, 0xff800000, 0, 0,
    ]);
    expect(lanesOf('f64x2.promote_low_f32x4', 'f32x4', [[0.1, -1e-45, 7, 7]], 'f64x2')).toEqual([Math.fround(0.1), Math.fround(-1e-45)]);
    expect(bits('f64x2', vop('f64x2.promote_low_f32x4', [v('i32x4', 0xff800001, 0x80000000, 0, 0)]))).toEqual([
      CANON64, 0x8000000000000000n,
    ]);
  });
});

// --- Interface invariants ---

const SIMD_OPS = OPS.filter((o) => o.code >>> 16 === 0xfd);
const EXECUTABLE = SIMD_OPS.filter((o) => o.imm !== 'memarg' && o.imm !== 'memarg_lane' && o.imm !== 'v128');

describe('simdArity', () => {
  it('is defined exactly for the non-memory SIMD instructions other than v128.const', () => {
    expect(EXECUTABLE.length).toBe(SIMD_OPS.length - 23); // 22 loads/stores and v128.const
    for (const o of SIMD_OPS) expect(simdArity(o.code) !== undefined, o.op).toBe(EXECUTABLE.includes(o));
    for (const c of [0xfd009a, 0xfd00a2, 0xfd0114, 0x6a, 0xfc0000, 0xfe00ff, -1]) expect(simdArity(c)).toBeUndefined();
    // Relaxed SIMD (3.0): 0xFD 0x100…0x113, one to three vectors in, one out.
    expect(simdArity(0xfd0100)).toEqual({ vectors: 2 });
    expect(simdArity(0xfd0101)).toEqual({ vectors: 1 });
    expect(simdArity(0xfd0105)).toEqual({ vectors: 3 });
    expect(simdArity(0xfd0113)).toEqual({ vectors: 3 });
  });

  it('matches each instruction’s stack signature', () => {
    const shapeScalar = (op: string) =>
      op.startsWith('i64') ? 'i64' : op.startsWith('f32') ? 'f32' : op.startsWith('f64') ? 'f64' : 'i32';
    for (const o of EXECUTABLE) {
      const n = o.op;
      let want: ReturnType<typeof simdArity>;
      if (n.endsWith('.splat')) want = { vectors: 0, scalarIn: shapeScalar(n) };
      else if (n.includes('extract_lane')) want = { vectors: 1, scalarOut: shapeScalar(n) };
      else if (n.endsWith('replace_lane')) want = { vectors: 1, scalarIn: shapeScalar(n) };
      else if (/\.(shl|shr_s|shr_u)$/.test(n)) want = { vectors: 1, scalarIn: 'i32' };
      else if (/(any_true|all_true|bitmask)$/.test(n)) want = { vectors: 1, scalarOut: 'i32' };
      else if (n === 'v128.bitselect') want = { vectors: 3 };
      else if (/\.(abs|neg|not|popcnt|sqrt|ceil|floor|trunc|nearest)$|extend_|extadd|convert|trunc_sat|demote|promote/.test(n)) want = { vectors: 1 };
      else want = { vectors: 2 };
      expect(simdArity(o.code), n).toEqual(want);
    }
  });
});

describe('simdOp calling conventions', () => {
  const rand = (seed: number) => Uint8Array.from({ length: 16 }, (_, i) => (seed * 131 + i * 37 + ((i * i) ^ seed)) & 0xff);
  const call = (o: (typeof EXECUTABLE)[number], ins: Uint8Array[], out: Uint8Array) => {
    const ar = simdArity(o.code)!;
    const imm = { lane: 1, bytes: Uint8Array.from({ length: 16 }, (_, i) => (i * 7) % 32) };
    const scalar = ar.scalarIn === 'i64' || ar.scalarIn === 'f64' ? 0x1234_5678_9abc_def0n : ar.scalarIn ? 0x7fa5_5a03 : undefined;
    return simdOp(o.code, ins[0], ins[1], ins[2], imm, scalar, out);
  };

  it('returns a scalar of the declared type or writes all of out, the same when out aliases an input', () => {
    for (const o of EXECUTABLE) {
      const ar = simdArity(o.code)!;
      const ins = [rand(1), rand(2), rand(3)].slice(0, ar.vectors);
      const out = new Uint8Array(16);
      const r = call(o, ins, out);
      if (ar.scalarOut === undefined) {
        expect(r, o.op).toBeUndefined();
        for (let k = 0; k < ar.vectors; k++) {
          const alias = ins.map((x) => x.slice());
          expect(call(o, alias, alias[k]!), o.op).toBeUndefined();
          expect(alias[k], `${o.op} aliasing operand ${k}`).toEqual(out);
        }
      } else {
        expect(typeof r, o.op).toBe(ar.scalarOut === 'i64' || ar.scalarOut === 'f64' ? 'bigint' : 'number');
        if (ar.scalarOut === 'i32') expect(r, o.op).toBe((r as number) | 0);
        if (ar.scalarOut === 'f32') expect(r, o.op).toBe((r as number) >>> 0);
        if (ar.scalarOut === 'f64') expect(BigInt.asUintN(64, r as bigint), o.op).toBe(r);
        if (ar.scalarOut === 'i64') expect(BigInt.asIntN(64, r as bigint), o.op).toBe(r);
      }
    }
  });

  it('leaves nothing over from the previous call (every result byte is written)', () => {
    const ones = new Uint8Array(16);
    for (const o of EXECUTABLE) {
      if (simdArity(o.code)!.scalarOut !== undefined) continue;
      const ar = simdArity(o.code)!;
      const ins = [rand(4), rand(5), rand(6)].slice(0, ar.vectors);
      simdOp(code('v128.not'), new Uint8Array(16), undefined, undefined, {}, undefined, ones);
      const first = new Uint8Array(16);
      call(o, ins, first);
      simdOp(code('v128.xor'), ones, ones, undefined, {}, undefined, new Uint8Array(16));
      const second = new Uint8Array(16);
      call(o, ins, second);
      expect(second, o.op).toEqual(first);
    }
  });

  it('accepts operand views at any byte offset', () => {
    const big = new Uint8Array(40);
    const a = big.subarray(1, 17);
    const b = big.subarray(19, 35);
    a.set(v('i16x8', 1, 2, 3, 4, 5, 6, 7, 8));
    b.set(v('i16x8', 10, 20, 30, 40, 50, 60, 70, 80));
    simdOp(code('i16x8.add'), a, b, undefined, {}, undefined, a);
    expect(lanes('i16x8', a)).toEqual([11, 22, 33, 44, 55, 66, 77, 88]);
    expect(lanes('i16x8', b)).toEqual([10, 20, 30, 40, 50, 60, 70, 80]);
  });

  it('rejects opcodes it does not execute', () => {
    const out = new Uint8Array(16);
    for (const name of ['v128.const', 'v128.load', 'v128.store', 'v128.load8_lane', 'i32.add']) {
      expect(() => simdOp(code(name), out, out, undefined, {}, undefined, out), name).toThrow(RangeError);
    }
  });
});

// --- The official spec tests ---

const SUITE = path.join(testsuiteRoot, 'wasm-2.0');
const suiteFiles = existsSync(SUITE) ? readdirSync(SUITE).filter((f) => /^simd_.*\.wast$/.test(f)).sort() : [];

type Val = { t: 'v128'; v: Uint8Array } | { t: 'i32' | 'f32'; v: number } | { t: 'i64' | 'f64'; v: bigint };

function fromWast(x: WastValue): Val | undefined {
  switch (x.type) {
    case 'i32': return { t: 'i32', v: x.value };
    case 'i64': return { t: 'i64', v: x.value };
    case 'f32': return { t: 'f32', v: x.value };
    case 'f64': return { t: 'f64', v: x.value };
    case 'v128': return { t: 'v128', v: x.value };
    default: return undefined;
  }
}

function zero(t: ValType): Val | undefined {
  switch (t) {
    case 'i32': case 'f32': return { t, v: 0 };
    case 'i64': case 'f64': return { t, v: 0n };
    case 'v128': return { t, v: new Uint8Array(16) };
    default: return undefined;
  }
}

/** Is the body `local.get 0 … local.get n-1; <one SIMD op>` over all n parameters? */
function isSingleOp(body: readonly Instr[], params: number): boolean {
  if (body.length !== params + 1) return false;
  for (let i = 0; i < params; i++) if (body[i]!.op !== 'local.get' || body[i]!.index !== i) return false;
  return simdArity(body[params]!.code) !== undefined;
}

/**
 * Runs a straight-line body of local.get, constants and non-memory SIMD instructions;
 * undefined when the body uses anything else (that needs the real interpreter).
 */
function evaluate(func: Func, params: readonly ValType[], args: readonly Val[]): Val[] | undefined {
  const locals: Val[] = [...args];
  for (const t of func.locals) {
    const z = zero(t);
    if (z === undefined) return undefined;
    locals.push(z);
  }
  if (args.length !== params.length) return undefined;
  const stack: Val[] = [];
  for (const ins of func.body) {
    switch (ins.op) {
      case 'local.get': stack.push(locals[ins.index!]!); continue;
      case 'i32.const': stack.push({ t: 'i32', v: ins.value as number }); continue;
      case 'i64.const': stack.push({ t: 'i64', v: ins.value as bigint }); continue;
      case 'f32.const': stack.push({ t: 'f32', v: ins.value as number }); continue;
      case 'f64.const': stack.push({ t: 'f64', v: ins.value as bigint }); continue;
      case 'v128.const': stack.push({ t: 'v128', v: ins.bytes! }); continue;
    }
    const ar = simdArity(ins.code);
    if (ar === undefined) return undefined;
    let scalar: number | bigint | undefined;
    if (ar.scalarIn !== undefined) {
      const top = stack.pop()!;
      expect(top.t, ins.op).toBe(ar.scalarIn);
      scalar = top.v as number | bigint;
    }
    const vs = stack.splice(stack.length - ar.vectors, ar.vectors).map((x) => {
      expect(x.t, ins.op).toBe('v128');
      return x.v as Uint8Array;
    });
    const out = new Uint8Array(16);
    const r = simdOp(ins.code, vs[0], vs[1], vs[2], { lane: ins.index, bytes: ins.bytes }, scalar, out);
    if (ar.scalarOut === undefined) stack.push({ t: 'v128', v: out });
    else stack.push({ t: ar.scalarOut, v: r } as Val);
  }
  return stack;
}

const CANON32_MASK = 0x7fffffff;
function f32Matches(got: number, want: number | 'nan:canonical' | 'nan:arithmetic'): boolean {
  if (want === 'nan:canonical') return (got & CANON32_MASK) === 0x7fc00000;
  if (want === 'nan:arithmetic') return (got & 0x7fc00000) === 0x7fc00000;
  return got >>> 0 === want >>> 0;
}
function f64Matches(got: bigint, want: bigint | 'nan:canonical' | 'nan:arithmetic'): boolean {
  if (want === 'nan:canonical') return (got & 0x7fffffffffffffffn) === 0x7ff8000000000000n;
  if (want === 'nan:arithmetic') return (got & 0x7ff8000000000000n) === 0x7ff8000000000000n;
  return BigInt.asUintN(64, got) === BigInt.asUintN(64, want);
}

function matches(got: Val, want: WastExpected): boolean {
  if (want.type === 'either') return want.options.some((o) => matches(got, o));
  if (got.t !== want.type) return false;
  switch (want.type) {
    case 'i32': return ((got.v as number) | 0) === (want.value | 0);
    case 'i64': return BigInt.asUintN(64, got.v as bigint) === BigInt.asUintN(64, want.value);
    case 'f32': return f32Matches(got.v as number, 'nan' in want ? want.nan : want.value);
    case 'f64': return f64Matches(got.v as bigint, 'nan' in want ? want.nan : want.value);
    case 'v128': {
      const shape = want.shape;
      const gotLanes = bits(shape, got.v as Uint8Array);
      return want.lanes.every((w, i) => {
        const g = gotLanes[i]!;
        if (shape === 'f32x4') return f32Matches(g as number, w as number);
        if (shape === 'f64x2') return f64Matches(g as bigint, w as bigint);
        return g === w;
      });
    }
    default: return false;
  }
}

interface FileResult {
  assertReturns: number;
  singleOp: number;
  straightLine: number;
  passed: number;
  failures: string[];
}

function runSpecFile(file: string): FileResult {
  const res: FileResult = { assertReturns: 0, singleOp: 0, straightLine: 0, passed: 0, failures: [] };
  const commands = parseWast(readFileSync(`${SUITE}/${file}`, 'utf8'));
  let current: Module | undefined;
  const named = new Map<string, Module>();
  for (const cmd of commands) {
    if (cmd.type === 'module') {
      current = cmd.module.kind === 'text' ? cmd.module.module : undefined;
      if (current !== undefined && cmd.module.id !== undefined) named.set(cmd.module.id, current);
      continue;
    }
    if (cmd.type !== 'assert_return') continue;
    res.assertReturns++;
    const action = cmd.action;
    if (action.type !== 'invoke') continue;
    const mod = action.module !== undefined ? named.get(action.module) : current;
    if (mod === undefined) continue;
    const exp = mod.exports.find((e) => e.kind === 'func' && e.name === action.name);
    if (exp === undefined) continue;
    const imported = mod.imports.filter((i) => i.desc.kind === 'func').length;
    const func = mod.funcs[exp.index - imported];
    if (func === undefined) continue;
    const type = mod.types[func.type]!.type;
    const args = action.args.map(fromWast);
    if (args.some((a) => a === undefined)) continue;
    const got = evaluate(func, type.params, args as Val[]);
    if (got === undefined) continue;
    res.straightLine++;
    if (isSingleOp(func.body, type.params.length)) res.singleOp++;
    const ok = got.length === cmd.expected.length && got.every((g, i) => matches(g, cmd.expected[i]!));
    if (ok) res.passed++;
    else if (res.failures.length < 20) {
      const show = got.map((g) => (g.t === 'v128' ? Array.from(g.v, (x) => x.toString(16).padStart(2, '0')).join(' ') : String(g.v)));
      res.failures.push(`${file}:${cmd.line}: ${action.name} → ${show.join(', ')}`);
    }
  }
  return res;
}

describe.skipIf(suiteFiles.length === 0)('spec tests (simd_*.wast)', () => {
  const totals = { assertReturns: 0, singleOp: 0, straightLine: 0, passed: 0 };
  // Files whose functions all need memory, control flow or other non-SIMD instructions.
  const needsInterpreter = new Set(['simd_linking.wast']);

  for (const file of suiteFiles) {
    it(file, () => {
      const r = runSpecFile(file);
      totals.assertReturns += r.assertReturns;
      totals.singleOp += r.singleOp;
      totals.straightLine += r.straightLine;
      totals.passed += r.passed;
      expect(r.failures).toEqual([]);
      expect(r.passed).toBe(r.straightLine);
      if (!needsInterpreter.has(file) && !/load|store|address|align/.test(file)) expect(r.straightLine).toBeGreaterThan(0);
    });
  }

  it('covers the bulk of the suite', () => {
    console.log(
      `simd spec assert_return: ${totals.assertReturns} in ${suiteFiles.length} files; checked ${totals.straightLine} ` +
        `(${totals.singleOp} single-op over parameters), passed ${totals.passed}`,
    );
    expect(totals.passed).toBe(totals.straightLine);
    expect(totals.singleOp).toBeGreaterThan(20000);
  });
});
