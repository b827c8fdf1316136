// Arithmetic edge cases of the interpreter, end to end through a module
// (https://webassembly.github.io/spec/core/exec/numerics.html): integer traps and
// wrap-around, float min/max/nearest/-0, the canonical-NaN rule, bit-exact neg/abs/
// copysign/reinterpret/loads/stores, conversions including saturating and i64→f32 rounding.
import { describe, expect, it } from 'vitest';
import { parseWat } from '../text/index.ts';
import { instantiate } from './instantiate.ts';
import { callFunctionTyped, exportedFunction, invoke } from './invoke.ts';
import type { Instance } from './runtime.ts';
import { Trap } from './trap.ts';
import type { TypedValue } from './values.ts';

/** A module exporting one function per `name: (param…) (result…) body` entry. */
function ops(funcs: Record<string, string>): Instance {
  const body = Object.entries(funcs)
    .map(([name, f]) => `(func (export "${name}") ${f})`)
    .join('\n');
  return instantiate(parseWat(`(module (memory 1) ${body})`));
}

const f32 = (bits: number): TypedValue => ({ type: 'f32', value: 0, bits: bits >>> 0 });
const f64 = (bits: bigint): TypedValue => ({ type: 'f64', value: 0, bits });

function bits(inst: Instance, name: string, args: TypedValue[]): number | bigint {
  const [r] = callFunctionTyped(exportedFunction(inst, name), args);
  if (r?.type === 'f32' || r?.type === 'f64') return r.bits;
  throw new Error(`not a float result: ${r?.type}`);
}

function trapOf(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    if (e instanceof Trap) return e.specMessage;
    throw e;
  }
  return 'no trap';
}

describe('integer arithmetic', () => {
  const m = ops({
    div_s: '(param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1))',
    div_u: '(param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1))',
    rem_s: '(param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1))',
    rem_u: '(param i32 i32) (result i32) (i32.rem_u (local.get 0) (local.get 1))',
    rotl: '(param i32 i32) (result i32) (i32.rotl (local.get 0) (local.get 1))',
    rotr: '(param i32 i32) (result i32) (i32.rotr (local.get 0) (local.get 1))',
    clz: '(param i32) (result i32) (i32.clz (local.get 0))',
    ctz: '(param i32) (result i32) (i32.ctz (local.get 0))',
    popcnt: '(param i32) (result i32) (i32.popcnt (local.get 0))',
    mul: '(param i32 i32) (result i32) (i32.mul (local.get 0) (local.get 1))',
    add64: '(param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1))',
    sub64: '(param i64 i64) (result i64) (i64.sub (local.get 0) (local.get 1))',
    mul64: '(param i64 i64) (result i64) (i64.mul (local.get 0) (local.get 1))',
    div_s64: '(param i64 i64) (result i64) (i64.div_s (local.get 0) (local.get 1))',
    rem_s64: '(param i64 i64) (result i64) (i64.rem_s (local.get 0) (local.get 1))',
    div_u64: '(param i64 i64) (result i64) (i64.div_u (local.get 0) (local.get 1))',
    shl64: '(param i64 i64) (result i64) (i64.shl (local.get 0) (local.get 1))',
    shr_s64: '(param i64 i64) (result i64) (i64.shr_s (local.get 0) (local.get 1))',
    shr_u64: '(param i64 i64) (result i64) (i64.shr_u (local.get 0) (local.get 1))',
    rotl64: '(param i64 i64) (result i64) (i64.rotl (local.get 0) (local.get 1))',
    rotr64: '(param i64 i64) (result i64) (i64.rotr (local.get 0) (local.get 1))',
    clz64: '(param i64) (result i64) (i64.clz (local.get 0))',
    ctz64: '(param i64) (result i64) (i64.ctz (local.get 0))',
    popcnt64: '(param i64) (result i64) (i64.popcnt (local.get 0))',
    lt_s64: '(param i64 i64) (result i32) (i64.lt_s (local.get 0) (local.get 1))',
    lt_u64: '(param i64 i64) (result i32) (i64.lt_u (local.get 0) (local.get 1))',
    ge_s64: '(param i64 i64) (result i32) (i64.ge_s (local.get 0) (local.get 1))',
    ext8: '(param i32) (result i32) (i32.extend8_s (local.get 0))',
    ext16_64: '(param i64) (result i64) (i64.extend16_s (local.get 0))',
    ext32_64: '(param i64) (result i64) (i64.extend32_s (local.get 0))',
    extend_u: '(param i32) (result i64) (i64.extend_i32_u (local.get 0))',
    extend_s: '(param i32) (result i64) (i64.extend_i32_s (local.get 0))',
    wrap: '(param i64) (result i32) (i32.wrap_i64 (local.get 0))',
  });

  it('traps on division by zero and signed overflow, with the spec messages', () => {
    expect(trapOf(() => invoke(m, 'div_s', [1, 0]))).toBe('integer divide by zero');
    expect(trapOf(() => invoke(m, 'div_u', [1, 0]))).toBe('integer divide by zero');
    expect(trapOf(() => invoke(m, 'rem_s', [1, 0]))).toBe('integer divide by zero');
    expect(trapOf(() => invoke(m, 'rem_u', [1, 0]))).toBe('integer divide by zero');
    expect(trapOf(() => invoke(m, 'div_s', [-0x8000_0000, -1]))).toBe('integer overflow');
    expect(trapOf(() => invoke(m, 'div_s64', [-(2n ** 63n), -1n]))).toBe('integer overflow');
    expect(trapOf(() => invoke(m, 'div_s64', [5n, 0n]))).toBe('integer divide by zero');
  });

  it('rem_s of INT_MIN by -1 is 0, and results wrap', () => {
    expect(invoke(m, 'rem_s', [-0x8000_0000, -1])).toEqual([0]);
    expect(invoke(m, 'rem_s64', [-(2n ** 63n), -1n])).toEqual([0n]);
    expect(invoke(m, 'div_u', [-1, 2])).toEqual([0x7fff_ffff]);
    expect(invoke(m, 'rem_s', [-7, 2])).toEqual([-1]);
    expect(invoke(m, 'mul', [0x1234_5678, 0x1234_5678])).toEqual([Math.imul(0x1234_5678, 0x1234_5678)]);
  });

  it('bit counts and rotations', () => {
    expect(invoke(m, 'clz', [0])).toEqual([32]);
    expect(invoke(m, 'ctz', [0])).toEqual([32]);
    expect(invoke(m, 'ctz', [0x80])).toEqual([7]);
    expect(invoke(m, 'popcnt', [-1])).toEqual([32]);
    expect(invoke(m, 'rotl', [0x8000_0001 | 0, 1])).toEqual([3]);
    expect(invoke(m, 'rotr', [1, 33])).toEqual([-0x8000_0000]);
    expect(invoke(m, 'clz64', [1n])).toEqual([63n]);
    expect(invoke(m, 'ctz64', [0n])).toEqual([64n]);
    expect(invoke(m, 'ctz64', [1n << 40n])).toEqual([40n]);
    expect(invoke(m, 'popcnt64', [-1n])).toEqual([64n]);
  });

  it('64-bit arithmetic on 32-bit halves agrees with BigInt', () => {
    const samples = [0n, 1n, -1n, 0xffff_ffffn, 0x1_0000_0000n, -(2n ** 63n), 2n ** 63n - 1n, 0x1234_5678_9abc_def0n, -0x0fed_cba9_8765_4321n];
    const w = (x: bigint) => BigInt.asIntN(64, x);
    for (const a of samples) {
      for (const b of samples) {
        expect(invoke(m, 'add64', [a, b])).toEqual([w(a + b)]);
        expect(invoke(m, 'sub64', [a, b])).toEqual([w(a - b)]);
        expect(invoke(m, 'mul64', [a, b])).toEqual([w(a * b)]);
        expect(invoke(m, 'lt_s64', [a, b])).toEqual([a < b ? 1 : 0]);
        expect(invoke(m, 'ge_s64', [a, b])).toEqual([a >= b ? 1 : 0]);
        expect(invoke(m, 'lt_u64', [a, b])).toEqual([BigInt.asUintN(64, a) < BigInt.asUintN(64, b) ? 1 : 0]);
        if (b !== 0n) expect(invoke(m, 'div_u64', [a, b])).toEqual([w(BigInt.asUintN(64, a) / BigInt.asUintN(64, b))]);
      }
      for (const k of [0n, 1n, 31n, 32n, 33n, 63n, 64n, 65n]) {
        const s = k & 63n;
        const u = BigInt.asUintN(64, a);
        expect(invoke(m, 'shl64', [a, k])).toEqual([w(a << s)]);
        expect(invoke(m, 'shr_s64', [a, k])).toEqual([w(a >> s)]);
        expect(invoke(m, 'shr_u64', [a, k])).toEqual([w(u >> s)]);
        expect(invoke(m, 'rotl64', [a, k])).toEqual([w((u << s) | (u >> ((64n - s) & 63n)))]);
        expect(invoke(m, 'rotr64', [a, k])).toEqual([w((u >> s) | (u << ((64n - s) & 63n)))]);
      }
    }
  });

  it('sign extension, wrap and extend', () => {
    expect(invoke(m, 'ext8', [0x80])).toEqual([-128]);
    expect(invoke(m, 'ext8', [0x17f])).toEqual([127]);
    expect(invoke(m, 'ext16_64', [0x8000n])).toEqual([-32768n]);
    expect(invoke(m, 'ext32_64', [0x8000_0000n])).toEqual([-(2n ** 31n)]);
    expect(invoke(m, 'extend_u', [-1])).toEqual([0xffff_ffffn]);
    expect(invoke(m, 'extend_s', [-1])).toEqual([-1n]);
    expect(invoke(m, 'wrap', [0x1_2345_6789n])).toEqual([0x2345_6789]);
  });
});

describe('floating point', () => {
  const m = ops({
    min32: '(param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1))',
    max32: '(param f32 f32) (result f32) (f32.max (local.get 0) (local.get 1))',
    min64: '(param f64 f64) (result f64) (f64.min (local.get 0) (local.get 1))',
    max64: '(param f64 f64) (result f64) (f64.max (local.get 0) (local.get 1))',
    add32: '(param f32 f32) (result f32) (f32.add (local.get 0) (local.get 1))',
    add64: '(param f64 f64) (result f64) (f64.add (local.get 0) (local.get 1))',
    div64: '(param f64 f64) (result f64) (f64.div (local.get 0) (local.get 1))',
    sqrt32: '(param f32) (result f32) (f32.sqrt (local.get 0))',
    nearest32: '(param f32) (result f32) (f32.nearest (local.get 0))',
    nearest64: '(param f64) (result f64) (f64.nearest (local.get 0))',
    ceil64: '(param f64) (result f64) (f64.ceil (local.get 0))',
    neg32: '(param f32) (result f32) (f32.neg (local.get 0))',
    abs64: '(param f64) (result f64) (f64.abs (local.get 0))',
    copysign32: '(param f32 f32) (result f32) (f32.copysign (local.get 0) (local.get 1))',
    copysign64: '(param f64 f64) (result f64) (f64.copysign (local.get 0) (local.get 1))',
    demote: '(param f64) (result f32) (f32.demote_f64 (local.get 0))',
    promote: '(param f32) (result f64) (f64.promote_f32 (local.get 0))',
    reinterpret32: '(param f32) (result i32) (i32.reinterpret_f32 (local.get 0))',
    reinterpret64: '(param i64) (result f64) (f64.reinterpret_i64 (local.get 0))',
    roundtrip32: '(param f32) (result f32) (f32.store (i32.const 8) (local.get 0)) (f32.load (i32.const 8))',
    roundtrip64: '(param f64) (result f64) (f64.store (i32.const 8) (local.get 0)) (f64.load (i32.const 8))',
    select64: '(param f64 f64 i32) (result f64) (select (local.get 0) (local.get 1) (local.get 2))',
  });
  const NAN32_PAYLOAD = 0x7fa0_0001; // a signalling NaN with a payload
  const NAN64_PAYLOAD = 0x7ff4_0000_0000_0001n;

  it('min and max propagate NaN (canonical) and order -0 below +0', () => {
    expect(bits(m, 'min32', [f32(0x8000_0000), f32(0)])).toBe(0x8000_0000);
    expect(bits(m, 'max32', [f32(0x8000_0000), f32(0)])).toBe(0);
    expect(bits(m, 'min64', [f64(0n), f64(0x8000_0000_0000_0000n)])).toBe(0x8000_0000_0000_0000n);
    expect(bits(m, 'max64', [f64(0x8000_0000_0000_0000n), f64(0n)])).toBe(0n);
    expect(bits(m, 'min32', [f32(NAN32_PAYLOAD), f32(0x3f80_0000)])).toBe(0x7fc0_0000);
    expect(bits(m, 'max64', [f64(0x3ff0_0000_0000_0000n), f64(NAN64_PAYLOAD)])).toBe(0x7ff8_0000_0000_0000n);
  });

  it('arithmetic NaN results are the positive canonical NaN', () => {
    expect(bits(m, 'add32', [f32(0xffc0_1234), f32(0)])).toBe(0x7fc0_0000);
    expect(bits(m, 'add64', [f64(0x7ff0_0000_0000_0000n), f64(0xfff0_0000_0000_0000n)])).toBe(0x7ff8_0000_0000_0000n);
    expect(bits(m, 'div64', [f64(0n), f64(0n)])).toBe(0x7ff8_0000_0000_0000n);
    expect(bits(m, 'sqrt32', [f32(0xbf80_0000)])).toBe(0x7fc0_0000); // sqrt(-1)
    expect(bits(m, 'demote', [f64(NAN64_PAYLOAD)])).toBe(0x7fc0_0000);
    expect(bits(m, 'promote', [f32(NAN32_PAYLOAD)])).toBe(0x7ff8_0000_0000_0000n);
  });

  it('neg, abs, copysign, reinterpret, select and memory keep NaN payloads bit for bit', () => {
    expect(bits(m, 'neg32', [f32(NAN32_PAYLOAD)])).toBe((NAN32_PAYLOAD | 0x8000_0000) >>> 0);
    expect(bits(m, 'abs64', [f64(NAN64_PAYLOAD | 0x8000_0000_0000_0000n)])).toBe(NAN64_PAYLOAD);
    expect(bits(m, 'copysign32', [f32(NAN32_PAYLOAD), f32(0x8000_0000)])).toBe((NAN32_PAYLOAD | 0x8000_0000) >>> 0);
    expect(bits(m, 'copysign64', [f64(NAN64_PAYLOAD), f64(0x8000_0000_0000_0000n)])).toBe(NAN64_PAYLOAD | 0x8000_0000_0000_0000n);
    expect(callFunctionTyped(exportedFunction(m, 'reinterpret32'), [f32(NAN32_PAYLOAD)])).toEqual([{ type: 'i32', value: NAN32_PAYLOAD }]);
    expect(bits(m, 'reinterpret64', [{ type: 'i64', value: NAN64_PAYLOAD }])).toBe(NAN64_PAYLOAD);
    expect(bits(m, 'roundtrip32', [f32(NAN32_PAYLOAD)])).toBe(NAN32_PAYLOAD);
    expect(bits(m, 'roundtrip64', [f64(NAN64_PAYLOAD)])).toBe(NAN64_PAYLOAD);
    expect(bits(m, 'select64', [f64(1n), f64(NAN64_PAYLOAD), { type: 'i32', value: 0 }])).toBe(NAN64_PAYLOAD);
  });

  it('nearest rounds half to even and keeps the sign of zero', () => {
    const n64 = (x: number) => invoke(m, 'nearest64', [x])[0];
    expect(n64(0.5)).toBe(0);
    expect(n64(1.5)).toBe(2);
    expect(n64(2.5)).toBe(2);
    expect(n64(-2.5)).toBe(-2);
    expect(Object.is(n64(-0.5), -0)).toBe(true);
    expect(n64(4503599627370497)).toBe(4503599627370497);
    expect(invoke(m, 'nearest32', [3.5])).toEqual([4]);
    expect(Object.is(invoke(m, 'ceil64', [-0.5])[0], -0)).toBe(true);
  });
});

describe('conversions', () => {
  const m = ops({
    trunc_s: '(param f64) (result i32) (i32.trunc_f64_s (local.get 0))',
    trunc_u: '(param f32) (result i32) (i32.trunc_f32_u (local.get 0))',
    trunc_s64: '(param f64) (result i64) (i64.trunc_f64_s (local.get 0))',
    trunc_u64: '(param f64) (result i64) (i64.trunc_f64_u (local.get 0))',
    sat_s: '(param f64) (result i32) (i32.trunc_sat_f64_s (local.get 0))',
    sat_u: '(param f32) (result i32) (i32.trunc_sat_f32_u (local.get 0))',
    sat_s64: '(param f64) (result i64) (i64.trunc_sat_f64_s (local.get 0))',
    sat_u64: '(param f64) (result i64) (i64.trunc_sat_f64_u (local.get 0))',
    f32_i64: '(param i64) (result f32) (f32.convert_i64_s (local.get 0))',
    f32_u64: '(param i64) (result f32) (f32.convert_i64_u (local.get 0))',
    f64_i64: '(param i64) (result f64) (f64.convert_i64_s (local.get 0))',
    f64_u64: '(param i64) (result f64) (f64.convert_i64_u (local.get 0))',
    f32_u32: '(param i32) (result f32) (f32.convert_i32_u (local.get 0))',
  });

  it('trapping truncation: NaN is an invalid conversion, out of range an overflow', () => {
    expect(trapOf(() => invoke(m, 'trunc_s', [NaN]))).toBe('invalid conversion to integer');
    expect(trapOf(() => invoke(m, 'trunc_s', [2147483648]))).toBe('integer overflow');
    expect(trapOf(() => invoke(m, 'trunc_s', [-2147483649]))).toBe('integer overflow');
    expect(invoke(m, 'trunc_s', [-2147483648.9])).toEqual([-2147483648]);
    expect(invoke(m, 'trunc_u', [-0.9])).toEqual([0]);
    expect(trapOf(() => invoke(m, 'trunc_u', [-1]))).toBe('integer overflow');
    expect(invoke(m, 'trunc_u', [4294967040])).toEqual([-256]);
    expect(trapOf(() => invoke(m, 'trunc_s64', [9223372036854775808]))).toBe('integer overflow');
    expect(invoke(m, 'trunc_s64', [-9223372036854775808])).toEqual([-(2n ** 63n)]);
    expect(invoke(m, 'trunc_u64', [18446744073709549568])).toEqual([-2048n]);
    expect(trapOf(() => invoke(m, 'trunc_u64', [Infinity]))).toBe('integer overflow');
  });

  it('saturating truncation clamps and maps NaN to 0', () => {
    expect(invoke(m, 'sat_s', [NaN])).toEqual([0]);
    expect(invoke(m, 'sat_s', [1e10])).toEqual([2147483647]);
    expect(invoke(m, 'sat_s', [-1e10])).toEqual([-2147483648]);
    expect(invoke(m, 'sat_u', [-5])).toEqual([0]);
    expect(invoke(m, 'sat_u', [Infinity])).toEqual([-1]);
    expect(invoke(m, 'sat_s64', [-Infinity])).toEqual([-(2n ** 63n)]);
    expect(invoke(m, 'sat_u64', [1e30])).toEqual([-1n]);
    expect(invoke(m, 'sat_u64', [NaN])).toEqual([0n]);
  });

  it('i64 to f32 rounds once (no double rounding through f64)', () => {
    // 2^53 + 2^29 + 1 lies just above the f32 midpoint 2^53 + 2^29; via f64 it would first
    // round to the midpoint and then to even (down), but the correct result rounds up.
    const v = 2n ** 53n + 2n ** 29n + 1n;
    expect(invoke(m, 'f32_i64', [v])).toEqual([Math.fround(2 ** 53 + 2 ** 30)]);
    expect(invoke(m, 'f32_i64', [-v])).toEqual([-Math.fround(2 ** 53 + 2 ** 30)]);
    expect(invoke(m, 'f32_u64', [-1n])).toEqual([2 ** 64]);
    expect(invoke(m, 'f64_i64', [-(2n ** 63n)])).toEqual([-(2 ** 63)]);
    expect(invoke(m, 'f64_u64', [-1n])).toEqual([2 ** 64]);
    // 2^53 + 1 is a tie in f64: round to even (2^53)
    expect(invoke(m, 'f64_i64', [2n ** 53n + 1n])).toEqual([2 ** 53]);
    expect(invoke(m, 'f64_u64', [2n ** 53n + 3n])).toEqual([2 ** 53 + 4]);
    expect(invoke(m, 'f32_u32', [-1])).toEqual([4294967296]);
  });
});
