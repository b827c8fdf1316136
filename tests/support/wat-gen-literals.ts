// Literals for the generated text modules (tests/support/wat-gen.ts): integers in every
// written form (decimal, signed, hexadecimal, with `_` separators), floats (decimal and
// hexadecimal mantissas with exponents, rounding cases, subnormals, inf, nan and nan
// payloads) and strings with every escape
// (https://webassembly.github.io/spec/core/text/values.html). All stay in range, so the
// module remains valid; their values are checked by comparing bytes with wat2wasm.
import type { Rng } from '../fuzz/rng.ts';

const digits = (r: Rng, n: number, alphabet: string): string => Array.from({ length: n }, () => alphabet[r.int(alphabet.length)]!).join('');

/** `_` between some digits (never first, last, or doubled). */
function separate(r: Rng, ds: string): string {
  if (ds.length < 2 || !r.chance(0.2)) return ds;
  let out = ds[0]!;
  for (let i = 1; i < ds.length; i++) out += (r.chance(0.25) ? '_' : '') + ds[i];
  return out;
}

/** An integer literal of `bits` bits: any value, written signed or unsigned, decimal or hex. */
export function intLiteral(r: Rng, bits: 32 | 64): string {
  const small = r.chance(0.3);
  let v = small ? BigInt(r.int(300)) : 0n;
  if (!small) for (let i = 0; i < bits / 16; i++) v = (v << 16n) | BigInt(r.int(65536));
  if (r.chance(0.1)) v = r.pick([0n, 1n, (1n << BigInt(bits - 1)) - 1n, 1n << BigInt(bits - 1), (1n << BigInt(bits)) - 1n]);
  const negative = v >= 1n << BigInt(bits - 1) && r.chance(0.5);
  const mag = negative ? (1n << BigInt(bits)) - v : v;
  const hex = r.chance(0.4);
  const body = hex ? '0x' + separate(r, mag.toString(16)) : separate(r, mag.toString());
  return (negative ? '-' : r.chance(0.05) ? '+' : '') + body;
}

/** A float literal for f32 or f64, always finite or an explicit inf/nan. */
export function floatLiteral(r: Rng, bits: 32 | 64): string {
  const sign = r.pick(['', '', '-', '+']);
  switch (r.int(8)) {
    case 0:
      return sign + r.pick(['inf', 'nan', 'nan', '0', '0.0', '1', '0.5']);
    case 1: {
      // A nan with a payload: non-zero, within the significand.
      const max = bits === 32 ? 0x7fffff : 0xfffffffffffff;
      const payload = 1 + Math.floor(r.next() * max);
      return `${sign}nan:0x${separate(r, payload.toString(16))}`;
    }
    case 2:
    case 3: {
      // Decimal: up to 20 significant digits (rounding), exponents into the subnormals.
      const int = separate(r, digits(r, 1 + r.int(bits === 32 ? 6 : 12), '0123456789'));
      const frac = r.chance(0.7) ? '.' + (r.chance(0.1) ? '' : separate(r, digits(r, 1 + r.int(12), '0123456789'))) : '';
      const e = bits === 32 ? r.int(80) - 50 : r.int(600) - 330;
      const exp = r.chance(0.6) ? `${r.pick(['e', 'E'])}${e < 0 ? '-' : r.pick(['', '+'])}${Math.abs(e)}` : '';
      return sign + int + frac + exp;
    }
    case 4:
    case 5: {
      // Hexadecimal, exact: at most 6 (f32) or 13 (f64) hex digits, whose 24 or 52 bits
      // the significand holds, and exponents that keep the value normal and finite. wabt
      // rounds some longer hex mantissas one unit too low (e.g. f32 0x4.439856, whose
      // dropped bits 110 round up to 0x4088730b, which wabt writes as 0x4088730a), so they
      // are not compared with it; engine/text/hex-float-rounding.test.ts checks ours
      // against exact arithmetic instead.
      const total = bits === 32 ? 6 : 13;
      const n = 1 + r.int(total);
      const split = r.int(n + 1);
      const all = digits(r, n, '0123456789abcdefABCDEF');
      const int = separate(r, split === 0 ? '0' : all.slice(0, split));
      const frac = split < n ? '.' + separate(r, all.slice(split)) : r.chance(0.2) ? '.' : '';
      const e = bits === 32 ? r.int(180) - 80 : r.int(1800) - 900;
      const exp = r.chance(0.8) ? `${r.pick(['p', 'P'])}${e < 0 ? '-' : r.pick(['', '+'])}${Math.abs(e)}` : '';
      return `${sign}0x${int}${frac}${exp}`;
    }
    case 6:
      // Boundaries: the largest finite, the smallest normal and subnormal, halfway cases.
      return sign + (bits === 32
        ? r.pick(['0x1.fffffep+127', '3.4028234e38', '1.17549435e-38', '0x1p-126', '0x1p-149', '1.4e-45', '0x1.000001p+0', '0x1.0000018p+0', '16777217', '0x1.fffffefp127', '7e-46', '3.4028235677973366e38'])
        : r.pick(['0x1.fffffffffffffp+1023', '1.7976931348623157e308', '2.2250738585072014e-308', '0x1p-1022', '0x1p-1074', '5e-324', '9007199254740993', '0x1.00000000000008p+0', '2.4703282292062328e-324', '1.7976931348623158e308']));
    default:
      return sign + String(r.int(1000));
  }
}

/**
 * The characters of a string literal: plain, escaped, hex bytes and non-ASCII text. A
 * `name` (import and export names) must be valid UTF-8: no hex byte escapes then.
 */
export function stringLiteral(r: Rng, max = 6, name = false): string {
  let s = '';
  for (let i = 0, n = r.int(max + 1); i < n; i++) {
    s += r.pick([
      String.fromCharCode(97 + r.int(26)),
      name ? String.fromCharCode(65 + r.int(26)) : `\\${r.int(256).toString(16).padStart(2, '0')}`,
      r.pick(['\\t', '\\n', '\\r', '\\"', "\\'", '\\\\']),
      `\\u{${r.pick([0x41, 0xe9, 0x20ac, 0x1f600, r.int(0xd800)]).toString(16)}}`,
      r.pick(['é', '日本', '😀', ' ']),
    ]);
  }
  return s;
}
