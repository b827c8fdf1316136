// Tests for number literals (https://webassembly.github.io/spec/core/text/values.html):
// shapes, integer ranges, and exact IEEE rounding checked against BigInt arithmetic.
import { describe, expect, it } from 'vitest';
import {
  NUM_FLOAT,
  NUM_HEX,
  NUM_SIGN,
  numberShape,
  parseF32,
  parseF64,
  parseFloatExact,
  parseI32,
  parseI64,
  parseIntN,
  parseU32,
} from './numbers.ts';

const shape = (s: string) => numberShape(s, 0, s.length);
const hex32 = (s: string) => parseF32(s)?.toString(16);
const hex64 = (s: string) => parseF64(s)?.toString(16);

describe('number shapes (spec lexical grammar)', () => {
  it('accepts every form of integer and float', () => {
    expect(shape('0')).toBe(0);
    expect(shape('1_000')).toBe(0);
    expect(shape('+0x1_F')).toBe(NUM_SIGN | NUM_HEX);
    expect(shape('1.')).toBe(NUM_FLOAT);
    expect(shape('1.e5')).toBe(NUM_FLOAT);
    expect(shape('1.5E-0_3')).toBe(NUM_FLOAT);
    expect(shape('0x1.P+1')).toBe(NUM_HEX | NUM_FLOAT);
    expect(shape('0xa_b.c_dp1_0')).toBe(NUM_HEX | NUM_FLOAT);
    expect(shape('-inf')).toBe(NUM_SIGN | NUM_FLOAT);
    expect(shape('nan:0x7f_ffff')).toBe(NUM_HEX | NUM_FLOAT);
  });

  it('rejects misplaced underscores and incomplete forms (the suite’s malformed literals)', () => {
    for (const s of [
      '_100', '+_100', '99_', '1__000', '0_x100', '0x_100', '0x00_', '0xff__ffff', '1_.0', '1._0',
      '1.0_', '1_e1', '1e_1', '1e1_', '1.0e_+1', '1.0e+_1', '0x1_p1', '0x1p_1', '0x1.0p1_', '.0', '.0e0',
      '0e', '0e+', '0.0e-', '0x', '0x.', '0x0p', '0x0p+', '0x0.g', '0x0pA', '1x', 'nan:1', 'nan:0x', '-', '+', 'infinity',
    ]) {
      expect(shape(s), s).toBe(-1);
    }
  });
});

describe('integers', () => {
  it('reads i32 in signed and unsigned form, wrapping the unsigned half', () => {
    expect(parseI32('0xffffffff')).toBe(-1);
    expect(parseI32('4294967295')).toBe(-1);
    expect(parseI32('-0x80000000')).toBe(-2147483648);
    expect(parseI32('2147483648')).toBe(-2147483648);
    expect(parseI32('-0')).toBe(0);
    expect(Object.is(parseI32('-0'), -0)).toBe(false);
    expect(parseI32('+0x7fff_ffff')).toBe(2147483647);
  });

  it('rejects i32 values out of range', () => {
    for (const s of ['4294967296', '0x100000000', '-2147483649', '-0x80000001', '1.0', '1e3']) {
      expect(parseI32(s), s).toBeUndefined();
    }
  });

  it('reads i64 at the edges', () => {
    expect(parseI64('0xffffffffffffffff')).toBe(-1n);
    expect(parseI64('18446744073709551615')).toBe(-1n);
    expect(parseI64('-9223372036854775808')).toBe(-(2n ** 63n));
    expect(parseI64('9223372036854775807')).toBe(2n ** 63n - 1n);
    expect(parseI64('-0x8000_0000_0000_0000')).toBe(-(2n ** 63n));
    expect(parseI64('18446744073709551616')).toBeUndefined();
    expect(parseI64('-9223372036854775809')).toBeUndefined();
    expect(parseI64('0x10000000000000000')).toBeUndefined();
  });

  it('reads narrow lanes and u32 indices', () => {
    expect(parseIntN('255', 8)).toBe(-1);
    expect(parseIntN('-128', 8)).toBe(-128);
    expect(parseIntN('256', 8)).toBeUndefined();
    expect(parseIntN('-129', 8)).toBeUndefined();
    expect(parseIntN('0xffff', 16)).toBe(-1);
    expect(parseU32('4294967295')).toBe(4294967295);
    expect(parseU32('4294967296')).toBeUndefined();
    expect(parseU32('+1')).toBeUndefined();
  });
});

describe('f32', () => {
  it('reads special values', () => {
    expect(hex32('inf')).toBe('7f800000');
    expect(hex32('-inf')).toBe('ff800000');
    expect(hex32('nan')).toBe('7fc00000');
    expect(hex32('-nan')).toBe('ffc00000');
    expect(hex32('nan:0x1')).toBe('7f800001');
    expect(hex32('-nan:0x7fffff')).toBe('ffffffff');
    expect(hex32('-0.0')).toBe('80000000');
    expect(hex32('0')).toBe('0');
  });

  it('rejects NaN payloads of zero or beyond the significand', () => {
    expect(parseF32('nan:0x0')).toBeUndefined();
    expect(parseF32('nan:0x80_0000')).toBeUndefined();
  });

  it('rounds hex literals to nearest even, subnormals included', () => {
    expect(hex32('0x1p-149')).toBe('1');
    expect(hex32('0x1p-150')).toBe('0'); // a tie, to even
    expect(hex32('0x1.000001p-150')).toBe('1');
    expect(hex32('0x1.fffffep127')).toBe('7f7fffff');
    expect(hex32('0x1.fffffefffffffffffp127')).toBe('7f7fffff');
    expect(hex32('0x1.000001p0')).toBe('3f800000'); // tie
    expect(hex32('0x1.000003p0')).toBe('3f800002'); // tie, up to even
    expect(hex32('0x1.0000010000000000000000001p0')).toBe('3f800001');
  });

  it('rejects values that round to infinity', () => {
    expect(parseF32('0x1p128')).toBeUndefined();
    expect(parseF32('0x1.ffffffp127')).toBeUndefined();
    expect(parseF32('1e39')).toBeUndefined();
    expect(parseF32('340282356779733661637539395458142568448')).toBeUndefined(); // the midpoint to 2^128
    expect(hex32('340282356779733661637539395458142568447')).toBe('7f7fffff');
  });

  it('rounds decimal literals once, not through f64 (double rounding)', () => {
    // 1 + 2^-24 + 2^-70: f64 rounding gives exactly 1 + 2^-24, a tie that f32 would round down.
    expect(hex32('1.00000005960464477550')).toBe('3f800001');
    expect(hex32('1.000000059604644775390625')).toBe('3f800000'); // the exact tie
    expect(hex32('16777217')).toBe('4b800000');
    expect(hex32('16777217.000000001')).toBe('4b800001');
  });

  it('agrees with exact rational arithmetic on 2,000 f32 midpoints', () => {
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let i = 0; i < 2000; i++) {
      const bits = next() % 0x7f7fffff;
      const e = (bits >>> 23) & 255;
      const m = BigInt(e === 0 ? bits & 0x7fffff : (bits & 0x7fffff) | 0x800000);
      // Midpoint between bits and bits+1 as an exact decimal: (2m+1) * 2^(exp-1).
      const exp = (e === 0 ? -149 : e - 150) - 1;
      const num = 2n * m + 1n;
      let mid: string;
      if (exp >= 0) {
        mid = `${num << BigInt(exp)}.0`;
      } else {
        const den = 1n << BigInt(-exp);
        let frac = '';
        let rem = num % den;
        while (rem !== 0n) {
          rem *= 10n;
          frac += (rem / den).toString();
          rem %= den;
        }
        mid = `${num / den}.${frac}`;
      }
      for (const s of [mid, mid + '1', mid.slice(0, -1)]) {
        expect(BigInt(parseF32(s)!), s).toBe(parseFloatExact(s, 32));
      }
    }
  });
});

describe('f64', () => {
  it('reads special values and payloads', () => {
    expect(hex64('inf')).toBe('7ff0000000000000');
    expect(hex64('nan')).toBe('7ff8000000000000');
    expect(hex64('-nan:0xf_ffff_ffff_ffff')).toBe('ffffffffffffffff');
    expect(hex64('nan:0x4000000000000')).toBe('7ff4000000000000');
    expect(parseF64('nan:0x10_0000_0000_0000')).toBeUndefined();
    expect(hex64('-0')).toBe('8000000000000000');
  });

  it('rounds decimal and hex at the edges of the range', () => {
    expect(hex64('0x1p-1074')).toBe('1');
    expect(hex64('0x1p-1075')).toBe('0');
    expect(hex64('0x1.8p-1074')).toBe('2');
    expect(hex64('4.9406564584124654e-324')).toBe('1');
    expect(hex64('2.4703282292062327e-324')).toBe('0'); // below half the smallest subnormal
    expect(hex64('1.7976931348623157e308')).toBe('7fefffffffffffff');
    expect(hex64('0x1.fffffffffffff7ffffffp1023')).toBe('7fefffffffffffff');
    expect(parseF64('0x1.fffffffffffff8p1023')).toBeUndefined();
    expect(parseF64('1e309')).toBeUndefined();
    expect(parseF64('0x1p1024')).toBeUndefined();
  });

  it('reads huge exponents without building huge numbers', () => {
    expect(parseF64('0x1p-99999999')).toBe(0n);
    expect(parseF64('1e-99999999')).toBe(0n);
    expect(parseF64('0x1p99999999')).toBeUndefined();
    expect(parseFloatExact('1e99999999', 64)).toBeUndefined();
    expect(parseFloatExact('1e-99999999', 32)).toBe(0n);
  });

  it('agrees with exact rational arithmetic on random decimal and hex literals', () => {
    let seed = 99;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let i = 0; i < 3000; i++) {
      const digits = Array.from({ length: 1 + Math.floor(rnd() * 24) }, () => Math.floor(rnd() * 10)).join('');
      const exp = Math.floor(rnd() * 700) - 350;
      const dec = `${digits[0]}.${digits.slice(1)}e${exp}`;
      const hex = `0x${digits[0]}.${digits.slice(1)}p${Math.floor(exp * 3.3)}`;
      expect(parseF64(dec), dec).toBe(parseFloatExact(dec, 64));
      expect(parseF64(hex), hex).toBe(parseFloatExact(hex, 64));
      const f = parseF32(dec);
      expect(f === undefined ? undefined : BigInt(f), dec).toBe(parseFloatExact(dec, 32));
    }
  });
});
