// Relaxed SIMD (engine/exec/relaxed-simd.ts): for inputs at the edges where the spec lets
// implementations differ (NaN, ±0, out-of-range truncations, swizzle indices ≥ 16, mixed
// laneselect masks, Q15 overflow, dot products of negative bytes), every result lane must
// be one of the spec's allowed outcomes
// (https://webassembly.github.io/spec/core/exec/numerics.html#relaxed-operations), and it
// must be the deterministic profile's. V8 (which runs relaxed SIMD natively) computes the
// same inputs: its lanes must be allowed too, which checks the allowed sets themselves.
import { describe, expect, it } from 'vitest';
import { OPS_3 } from '../syntax/index.ts';
import { simdOp } from './simd.ts';

const RELAXED = OPS_3.filter((o) => o.proposal === 'relaxed-simd');

/** A module whose "f" reads 1–3 v128 operands from memory at 0, 16, 32 and stores the op's result at 48. */
function v8Module(sub: number, operands: number): WebAssembly.Instance {
  const leb = (n: number): number[] => {
    const out: number[] = [];
    do {
      let b = n & 0x7f;
      n >>>= 7;
      if (n !== 0) b |= 0x80;
      out.push(b);
    } while (n !== 0);
    return out;
  };
  const body: number[] = [0x00, 0x41, 48]; // no locals; i32.const 48
  for (let k = 0; k < operands; k++) body.push(0x41, 16 * k, 0xfd, 0x00, 4, 0); // i32.const; v128.load
  body.push(0xfd, ...leb(sub), 0xfd, 0x0b, 4, 0, 0x0b); // op; v128.store; end
  const section = (id: number, content: number[]): number[] => [id, ...leb(content.length), ...content];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, [1, 0x60, 0, 0]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0, 1]),
    ...section(7, [2, 1, 0x6d, 2, 0, 1, 0x66, 0, 0]),
    ...section(10, [1, ...leb(body.length), ...body]),
  ];
  return new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(bytes)));
}

function v8Run(sub: number, inputs: readonly Uint8Array[]): Uint8Array {
  const inst = v8Module(sub, inputs.length);
  const mem = new Uint8Array((inst.exports.m as WebAssembly.Memory).buffer);
  inputs.forEach((x, k) => mem.set(x, 16 * k));
  (inst.exports.f as () => void)();
  return mem.slice(48, 64);
}

function oursRun(sub: number, inputs: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(16);
  simdOp(0xfd0000 | sub, inputs[0], inputs[1], inputs[2], {}, undefined, out);
  return out;
}

const f32 = (...xs: number[]): Uint8Array => new Uint8Array(Float32Array.from(xs).buffer);
const f64 = (...xs: number[]): Uint8Array => new Uint8Array(Float64Array.from(xs).buffer);
const i8 = (...xs: number[]): Uint8Array => new Uint8Array(Int8Array.from(xs).buffer);
const i16 = (...xs: number[]): Uint8Array => new Uint8Array(Int16Array.from(xs).buffer);
const i32 = (...xs: number[]): Uint8Array => new Uint8Array(Int32Array.from(xs).buffer);
const u32bits = (b: Uint8Array) => new Uint32Array(b.slice().buffer);

const NAN = Number.NaN;
const inputsF32 = [f32(NAN, 1, -0, 0), f32(2, NAN, 0, -0), f32(1.5, -2.5, 3e9, -3e9), f32(5e9, -1, NAN, 4.75)];
const inputsF64 = [f64(NAN, -0), f64(3, 0), f64(1e10, -1e10), f64(-5, NAN)];

/** One lane's allowed outcomes, or true for "any NaN". */
type Allowed = (lane: number, ins: readonly Uint8Array[]) => readonly number[] | 'nan';

const sat = (x: number, lo: number, hi: number): number => (x !== x ? 0 : x < lo ? lo : x > hi ? hi : Math.trunc(x));
const wrap16 = (x: number): number => ((x << 16) >> 16);
const sat16 = (x: number): number => (x > 0x7fff ? 0x7fff : x < -0x8000 ? -0x8000 : x);
const fminmax = (x: number, y: number, max: boolean): number | 'nan' => (x !== x || y !== y ? 'nan' : max ? Math.max(x, y) : Math.min(x, y));

/** The spec's allowed result lanes, by sub-opcode: [lane view, lane count, allowed]. */
function allowedOf(sub: number): { view: 'u8' | 'i16' | 'i32' | 'u32' | 'f32' | 'f64' | 'i64'; allowed: Allowed } {
  const F32 = (b: Uint8Array) => new Float32Array(b.slice().buffer);
  const F64 = (b: Uint8Array) => new Float64Array(b.slice().buffer);
  const I8 = (b: Uint8Array) => new Int8Array(b.slice().buffer);
  const I16 = (b: Uint8Array) => new Int16Array(b.slice().buffer);
  const I32 = (b: Uint8Array) => new Int32Array(b.slice().buffer);
  switch (sub) {
    case 0x100: return { view: 'u8', allowed: (k, [a, j]) => {
      const x = j![k]!;
      return x < 16 ? [a![x]!] : x >= 128 ? [0] : [0, a![x % 16]!];
    } };
    case 0x101: return { view: 'i32', allowed: (k, [a]) => {
      const x = F32(a!)[k]!;
      const t = Math.trunc(x);
      return x === x && t >= -(2 ** 31) && t < 2 ** 31 ? [t] : [sat(x, -(2 ** 31), 2 ** 31 - 1), -(2 ** 31)];
    } };
    case 0x102: return { view: 'u32', allowed: (k, [a]) => {
      const x = F32(a!)[k]!;
      const t = Math.trunc(x);
      return x === x && t >= 0 && t < 2 ** 32 ? [t] : [sat(x, 0, 2 ** 32 - 1), 2 ** 32 - 1, 2 ** 32 - 2, 2 ** 31];
    } };
    case 0x103: case 0x104: return { view: 'u32', allowed: (k, [a]) => {
      if (k >= 2) return [0];
      const x = F64(a!)[k]!;
      const t = Math.trunc(x);
      if (sub === 0x103) return x === x && t >= -(2 ** 31) && t < 2 ** 31 ? [t >>> 0] : [sat(x, -(2 ** 31), 2 ** 31 - 1) >>> 0, 2 ** 31];
      return x === x && t >= 0 && t < 2 ** 32 ? [t] : [sat(x, 0, 2 ** 32 - 1), 2 ** 32 - 1, 2 ** 32 - 2, 2 ** 31];
    } };
    case 0x105: case 0x106: return { view: 'f32', allowed: (k, [a, b, c]) => {
      const x = (sub === 0x106 ? -1 : 1) * F32(a!)[k]!;
      const y = F32(b!)[k]!;
      const z = F32(c!)[k]!;
      const unfused = Math.fround(Math.fround(x * y) + z);
      // x·y is exact in a double, and for these inputs so is the sum: one rounding is fused.
      return unfused !== unfused ? 'nan' : [unfused, Math.fround(x * y + z)];
    } };
    case 0x107: case 0x108: return { view: 'f64', allowed: (k, [a, b, c]) => {
      const r = (sub === 0x108 ? -1 : 1) * F64(a!)[k]! * F64(b!)[k]! + F64(c!)[k]!; // inputs with exact products
      return r !== r ? 'nan' : [r];
    } };
    case 0x109: case 0x10a: case 0x10b: case 0x10c: return { view: 'u8', allowed: (k, [a, b, m]) => {
      // Byte k of the result: from the mask's byte, or from the lane's top bit spread.
      const width = [1, 2, 4, 8][sub - 0x109]!;
      const top = m![k - (k % width) + width - 1]! & 0x80 ? 0xff : 0;
      const pick = (mask: number) => (a![k]! & mask) | (b![k]! & ~mask & 0xff);
      return [pick(m![k]!), pick(top)];
    } };
    case 0x10d: case 0x10e: return { view: 'f32', allowed: (k, [a, b]) => {
      const x = F32(a!)[k]!;
      const y = F32(b!)[k]!;
      if (x !== x) return [NAN, y];
      if (y !== y) return [NAN, x];
      if (x === 0 && y === 0) return [fminmax(x, y, sub === 0x10e) as number, x, y];
      return [fminmax(x, y, sub === 0x10e) as number];
    } };
    case 0x10f: case 0x110: return { view: 'f64', allowed: (k, [a, b]) => {
      const x = F64(a!)[k]!;
      const y = F64(b!)[k]!;
      if (x !== x) return [NAN, y];
      if (y !== y) return [NAN, x];
      if (x === 0 && y === 0) return [fminmax(x, y, sub === 0x110) as number, x, y];
      return [fminmax(x, y, sub === 0x110) as number];
    } };
    case 0x111: return { view: 'i16', allowed: (k, [a, b]) => {
      const x = I16(a!)[k]!;
      const y = I16(b!)[k]!;
      if (x === -0x8000 && y === -0x8000) return [0x7fff, -0x8000];
      return [sat16((x * y + 0x4000) >> 15)];
    } };
    case 0x112: case 0x113: {
      // Products signed or unsigned per operand; the i16 pair sums saturate, wrap, or neither.
      const pairs = (a: Uint8Array, b: Uint8Array, j: number): number[] => {
        const out: number[] = [];
        const sa = I8(a), sb = I8(b);
        for (const [ua, ub] of [[false, false], [false, true], [true, false], [true, true]]) {
          const p = (i: number) => (ua ? a[i]! : sa[i]!) * (ub ? b[i]! : sb[i]!);
          const s = p(2 * j) + p(2 * j + 1);
          out.push(sat16(s), wrap16(s), s);
        }
        return out;
      };
      if (sub === 0x112) return { view: 'i16', allowed: (k, [a, b]) => pairs(a!, b!, k) };
      return { view: 'i32', allowed: (k, [a, b, c]) => {
        const out = new Set<number>();
        for (const p of pairs(a!, b!, 2 * k)) for (const q of pairs(a!, b!, 2 * k + 1)) out.add((p + q + I32(c!)[k]!) | 0);
        return [...out];
      } };
    }
  }
  throw new Error(`no allowed set for 0x${sub.toString(16)}`);
}

/** Inputs per sub-opcode: the edge cases above. */
function inputsOf(sub: number): Uint8Array[][] {
  if (sub === 0x100) return [[i8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15).map((x) => x * 3), i8(0, 15, 16, 17, 31, 32, 100, 127, -128, -1, -16, 5, 20, 48, 64, 1)]];
  if (sub >= 0x101 && sub <= 0x102) return [[inputsF32[0]!], [inputsF32[2]!], [inputsF32[3]!]];
  if (sub >= 0x103 && sub <= 0x104) return [[inputsF64[0]!], [inputsF64[2]!], [inputsF64[3]!]];
  if (sub >= 0x105 && sub <= 0x106) return [[f32(1.5, 3, NAN, 1e30), f32(2, -0.25, 1, 1e30), f32(0.5, 1, 2, -1e30)], [f32(0.1, 1 + 2 ** -23, 3, 4), f32(10, 1 - 2 ** -23, 5, 6), f32(-1, -1, 0, -0)]];
  if (sub >= 0x107 && sub <= 0x108) return [[f64(1.5, NAN), f64(-4, 2), f64(0.25, 1)]];
  if (sub >= 0x109 && sub <= 0x10c) return [[i32(0x12345678, -1, 0, 0x0f0f0f0f), i32(-0x789abcdf, 0, -1, 0x70707070), i32(0x80000000, 0x7fffffff, 0x00ff00ff, -0x7f7f7f80)]];
  if (sub >= 0x10d && sub <= 0x10e) return [[inputsF32[0]!, inputsF32[1]!], [inputsF32[2]!, inputsF32[3]!]];
  if (sub >= 0x10f && sub <= 0x110) return [[inputsF64[0]!, inputsF64[1]!], [inputsF64[2]!, inputsF64[3]!]];
  if (sub === 0x111) return [[i16(-0x8000, -0x8000, 0x7fff, 1000, -1, 0x4000, -0x4000, 3), i16(-0x8000, 0x7fff, 0x7fff, -1000, -1, 0x4000, 0x4000, 5)]];
  const a = i8(-128, -128, 127, 127, -128, -128, -128, -128, 1, 2, 3, 4, -5, 6, -7, 8);
  const b = i8(-127, -127, 127, 127, -128, -128, -128, -128, 9, -10, 11, 12, 13, -14, 15, 16);
  if (sub === 0x112) return [[a, b]];
  return [[a, b, i32(1, 2, 3, -4)]];
}

function lanesOf(view: string, bytes: Uint8Array): number[] {
  const buf = bytes.slice().buffer;
  switch (view) {
    case 'u8': return [...new Uint8Array(buf)];
    case 'i16': return [...new Int16Array(buf)];
    case 'i32': return [...new Int32Array(buf)];
    case 'u32': return [...new Uint32Array(buf)];
    case 'f32': return [...new Float32Array(buf)];
    default: return [...new Float64Array(buf)];
  }
}

/** Floats compare by Object.is (±0 differ, NaN matches NaN); integers by value. */
function isAllowed(x: number, allowed: readonly number[] | 'nan', float: boolean): boolean {
  if (allowed === 'nan') return x !== x;
  return allowed.some((y) => (float ? Object.is(x, y) || (x !== x && y !== y) : x === y));
}

/** The deterministic profile's lane: the first allowed outcome (canonical NaN for any NaN). */
function deterministic(allowed: readonly number[] | 'nan'): number {
  return allowed === 'nan' ? NAN : allowed[0]!;
}

describe('relaxed SIMD', () => {
  it('covers the 20 instructions', () => {
    expect(RELAXED.map((o) => o.code & 0xffff)).toEqual(Array.from({ length: 20 }, (_, i) => 0x100 + i));
  });

  it.each(RELAXED.map((o) => [o.op, o.code & 0xffff] as const))('%s: wasmstep gives the deterministic profile, V8 an allowed outcome', (_, sub) => {
    const { view, allowed } = allowedOf(sub);
    for (const ins of inputsOf(sub)) {
      const ours = lanesOf(view, oursRun(sub, ins));
      const v8 = lanesOf(view, v8Run(sub, ins));
      ours.forEach((x, k) => {
        const a = allowed(k, ins);
        const float = view === 'f32' || view === 'f64';
        expect(isAllowed(v8[k]!, a, float), `V8 lane ${k}: ${v8[k]} not in ${JSON.stringify(a)}`).toBe(true);
        expect(isAllowed(x, [deterministic(a)], float), `lane ${k}: ${x}, expected ${deterministic(a)}`).toBe(true);
      });
      // NaN results are canonical, whatever V8 gives.
      if (view === 'f32') for (const w of u32bits(oursRun(sub, ins))) if ((w & 0x7f800000) === 0x7f800000 && (w & 0x7fffff) !== 0) expect(w).toBe(0x7fc00000);
    }
  });

  it('relaxed_madd rounds twice where a fused multiply-add would round once', () => {
    // (1 + 2^-23)(1 - 2^-23) = 1 - 2^-46: rounds to 1 before subtracting 1 (unfused: 0), fused: -2^-46.
    const r = new Float32Array(oursRun(0x105, [f32(1 + 2 ** -23, 0, 0, 0), f32(1 - 2 ** -23, 0, 0, 0), f32(-1, 0, 0, 0)]).buffer);
    expect(r[0]).toBe(0);
  });
});
