// Number literals of the text format: their shape and their exact values
// (https://webassembly.github.io/spec/core/text/values.html#integers and #floating-point).
//
// Floats are returned as raw IEEE-754 bits (f32: u32 number, f64: u64 bigint) so that
// NaN payloads and -0 survive. Rounding is to nearest, ties to even, done once: a decimal
// f32 literal must not be rounded to f64 first and then to f32, because that double
// rounding is wrong whenever the f64 lands exactly between two f32 values. We take the
// fast, correctly rounded paths the platform offers (V8's Number() is a correct strtod)
// and fall back to exact BigInt arithmetic only where they could be wrong.
// A literal whose rounded value is infinite is malformed ("constant out of range").

/** Shape flags returned by numberShape. */
export const NUM_SIGN = 1; // starts with + or -
export const NUM_HEX = 2; // 0x… form
export const NUM_FLOAT = 4; // only a float literal can have this shape (., exponent, inf, nan)

const C_0 = 48;
const C_9 = 57;
const C_UNDERSCORE = 95;
const C_DOT = 46;
const C_PLUS = 43;
const C_MINUS = 45;

function isDigit(c: number): boolean {
  return c >= C_0 && c <= C_9;
}

function hexValue(c: number): number {
  if (c >= C_0 && c <= C_9) return c - C_0;
  if (c >= 97 && c <= 102) return c - 87; // a-f
  if (c >= 65 && c <= 70) return c - 55; // A-F
  return -1;
}

/**
 * Scans `digit ('_'? digit)*` (or hexdigits) from pos; returns the end, or -1 when there
 * is no digit at pos or an underscore is not between two digits.
 */
function scanDigits(s: string, pos: number, end: number, hex: boolean): number {
  let p = pos;
  let needDigit = true;
  while (p < end) {
    const c = s.charCodeAt(p);
    if (hex ? hexValue(c) >= 0 : isDigit(c)) {
      needDigit = false;
    } else if (c === C_UNDERSCORE) {
      if (needDigit) return -1;
      needDigit = true;
    } else {
      break;
    }
    p++;
  }
  return needDigit ? -1 : p;
}

function startsWith(s: string, pos: number, end: number, word: string): boolean {
  if (end - pos < word.length) return false;
  for (let i = 0; i < word.length; i++) if (s.charCodeAt(pos + i) !== word.charCodeAt(i)) return false;
  return true;
}

/**
 * The shape of the literal s[start, end): a combination of NUM_* flags, or -1 when the
 * characters are not a well-formed uN, sN or fN token (then the lexer calls it reserved).
 */
export function numberShape(s: string, start: number, end: number): number {
  let p = start;
  let flags = 0;
  if (p >= end) return -1;
  let c = s.charCodeAt(p);
  if (c === C_PLUS || c === C_MINUS) {
    flags |= NUM_SIGN;
    p++;
    if (p >= end) return -1;
    c = s.charCodeAt(p);
  }
  if (c === 105 /* i */) return end - p === 3 && startsWith(s, p, end, 'inf') ? flags | NUM_FLOAT : -1;
  if (c === 110 /* n */) {
    if (end - p === 3 && startsWith(s, p, end, 'nan')) return flags | NUM_FLOAT;
    if (!startsWith(s, p, end, 'nan:0x')) return -1;
    return scanDigits(s, p + 6, end, true) === end ? flags | NUM_FLOAT | NUM_HEX : -1;
  }
  const hex = c === C_0 && p + 1 < end && s.charCodeAt(p + 1) === 120; /* x */
  if (hex) {
    flags |= NUM_HEX;
    p += 2;
  }
  p = scanDigits(s, p, end, hex);
  if (p < 0) return -1;
  if (p === end) return flags;
  flags |= NUM_FLOAT;
  if (s.charCodeAt(p) === C_DOT) {
    p++;
    if (p === end) return flags;
    const q = scanDigits(s, p, end, hex);
    if (q >= 0) p = q;
    if (p === end) return flags;
  }
  c = s.charCodeAt(p);
  const isExp = hex ? c === 112 || c === 80 /* p P */ : c === 101 || c === 69; /* e E */
  if (!isExp) return -1;
  p++;
  if (p < end) {
    c = s.charCodeAt(p);
    if (c === C_PLUS || c === C_MINUS) p++;
  }
  // The exponent is always decimal, even in hex floats.
  p = scanDigits(s, p, end, false);
  return p === end ? flags : -1;
}

// ---------------------------------------------------------------------------------------
// Integers

/**
 * The magnitude of an integer literal (sign excluded) as a double, exact below 2^53;
 * larger values only need to compare as "too big", which a double still does.
 */
function magnitude(s: string, pos: number, end: number): number {
  let v = 0;
  if (s.charCodeAt(pos) === C_0 && pos + 1 < end && s.charCodeAt(pos + 1) === 120) {
    for (let p = pos + 2; p < end; p++) {
      const h = hexValue(s.charCodeAt(p));
      if (h >= 0) v = v * 16 + h;
    }
  } else {
    for (let p = pos; p < end; p++) {
      const c = s.charCodeAt(p);
      if (c !== C_UNDERSCORE) v = v * 10 + (c - C_0);
    }
  }
  return v;
}

function integerShape(s: string): number {
  const shape = numberShape(s, 0, s.length);
  return shape < 0 || (shape & NUM_FLOAT) !== 0 ? -1 : shape;
}

/** A u32 literal (index, limit, offset=, align=): only the unsigned form; undefined if out of range or not one. */
export function parseU32(s: string): number | undefined {
  const shape = integerShape(s);
  if (shape < 0 || (shape & NUM_SIGN) !== 0) return undefined;
  const v = magnitude(s, 0, s.length);
  return v <= 0xffff_ffff ? v : undefined;
}

/**
 * An iN literal for N ≤ 32 in signed form: the unsigned form may go up to 2^N-1 (and
 * wraps), a negative one down to -2^(N-1). Like the reference interpreter and wabt, a
 * leading '+' is treated as the unsigned form.
 */
export function parseIntN(s: string, bits: number): number | undefined {
  const shape = integerShape(s);
  if (shape < 0) return undefined;
  const negative = s.charCodeAt(0) === C_MINUS;
  const m = magnitude(s, (shape & NUM_SIGN) !== 0 ? 1 : 0, s.length);
  const full = 2 ** bits;
  if (negative) return m <= full / 2 ? (m === 0 ? 0 : -m) : undefined;
  if (m >= full) return undefined;
  return m >= full / 2 ? m - full : m;
}

/** An i32 literal as a signed number (-2^31 … 2^31-1). */
export function parseI32(s: string): number | undefined {
  return parseIntN(s, 32);
}

/** An i64 literal as a signed bigint. */
export function parseI64(s: string): bigint | undefined {
  const shape = integerShape(s);
  if (shape < 0) return undefined;
  const negative = s.charCodeAt(0) === C_MINUS;
  const body = (shape & NUM_SIGN) !== 0 ? s.slice(1) : s;
  const m = BigInt(body.includes('_') ? body.replaceAll('_', '') : body);
  if (negative) return m <= 1n << 63n ? -m : undefined;
  if (m >= 1n << 64n) return undefined;
  return m >= 1n << 63n ? m - (1n << 64n) : m;
}

// ---------------------------------------------------------------------------------------
// Floats

interface FloatFormat {
  /** Precision in bits, including the implicit leading bit. */
  readonly p: number;
  readonly emin: number;
  readonly emax: number;
}

const F32: FloatFormat = { p: 24, emin: -126, emax: 127 };
const F64: FloatFormat = { p: 53, emin: -1022, emax: 1023 };

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/**
 * Rounds the positive rational num/den to the nearest value of fmt (ties to even) and
 * returns its bits without the sign, or undefined when it rounds to infinity.
 */
function roundRational(num: bigint, den: bigint, fmt: FloatFormat): bigint | undefined {
  if (num === 0n) return 0n;
  // Find e with 2^e <= num/den < 2^(e+1).
  let e = bitLength(num) - bitLength(den);
  if (e >= 0 ? num < den << BigInt(e) : num << BigInt(-e) < den) e--;
  if (e > fmt.emax) return undefined;
  // Weight of the last significand bit; below emin the precision shrinks (subnormals).
  let lsb = Math.max(e, fmt.emin) - (fmt.p - 1);
  let n = num;
  let d = den;
  if (lsb >= 0) d <<= BigInt(lsb);
  else n <<= BigInt(-lsb);
  let q = n / d;
  const twice = (n - q * d) * 2n;
  if (twice > d || (twice === d && (q & 1n) === 1n)) q++;
  const hidden = 1n << BigInt(fmt.p - 1);
  if (q === hidden << 1n) {
    q >>= 1n;
    lsb++;
  }
  if (q < hidden) return q; // subnormal or zero: biased exponent 0
  const top = lsb + fmt.p - 1;
  if (top > fmt.emax) return undefined;
  const biased = BigInt(top + fmt.emax); // bias = emax
  return (biased << BigInt(fmt.p - 1)) | (q - hidden);
}

/** Exact decimal conversion: digits "123.45" with exponent, no sign, no underscores. */
function roundDecimal(digits: string, exp10: number, fmt: FloatFormat): bigint | undefined {
  const dot = digits.indexOf('.');
  const intPart = dot < 0 ? digits : digits.slice(0, dot);
  const fracPart = dot < 0 ? '' : digits.slice(dot + 1);
  const m = BigInt(intPart + fracPart);
  if (m === 0n) return 0n;
  const e = exp10 - fracPart.length;
  const sig = m.toString().length;
  // Far outside any float range: avoid building 10^huge.
  if (sig - 1 + e > 400) return undefined;
  if (sig + e < -400) return 0n;
  return e >= 0 ? roundRational(m * 10n ** BigInt(e), 1n, fmt) : roundRational(m, 10n ** BigInt(-e), fmt);
}

/** Splits a cleaned decimal float "1.5e-3" into its digits and exponent. */
function splitDecimal(s: string): [string, number] {
  let i = s.indexOf('e');
  if (i < 0) i = s.indexOf('E');
  if (i < 0) return [s, 0];
  return [s.slice(0, i), Number(s.slice(i + 1))];
}

/** Exact hex conversion of "1a.8" with binary exponent, no sign, no "0x", no underscores. */
function roundHex(digits: string, exp2: number, fmt: FloatFormat): bigint | undefined {
  const dot = digits.indexOf('.');
  const frac = dot < 0 ? 0 : digits.length - dot - 1;
  const all = dot < 0 ? digits : digits.slice(0, dot) + digits.slice(dot + 1);
  const m = all === '' ? 0n : BigInt('0x' + all);
  if (m === 0n) return 0n;
  const e = exp2 - 4 * frac;
  const top = bitLength(m) - 1 + e;
  if (top > fmt.emax + 1) return undefined;
  if (top < fmt.emin - fmt.p - 1) return 0n; // below half the smallest subnormal
  return e >= 0 ? roundRational(m << BigInt(e), 1n, fmt) : roundRational(m, 1n << BigInt(-e), fmt);
}

/** Splits a cleaned hex float "1a.8p-3" (after "0x") into digits and binary exponent. */
function splitHex(s: string): [string, number] {
  let i = s.indexOf('p');
  if (i < 0) i = s.indexOf('P');
  if (i < 0) return [s, 0];
  return [s.slice(0, i), Number(s.slice(i + 1))];
}

const f64Buffer = new ArrayBuffer(8);
const f64View = new Float64Array(f64Buffer);
const f64Bits = new BigUint64Array(f64Buffer);
const f32Buffer = new ArrayBuffer(4);
const f32View = new Float32Array(f32Buffer);
const f32Bits = new Uint32Array(f32Buffer);

function bitsOfF64(x: number): bigint {
  f64View[0] = x;
  return f64Bits[0]!;
}

function bitsOfF32(x: number): number {
  f32View[0] = x;
  return f32Bits[0]!;
}

function f32OfBits(bits: number): number {
  f32Bits[0] = bits;
  return f32View[0]!;
}

/** Value of a hex float literal when a double computes it exactly (≤ 53 significant bits, normal range). */
function exactHexAsDouble(digits: string, exp2: number): number | undefined {
  let m = 0;
  let frac = 0;
  let seenDot = false;
  let significant = 0;
  for (let i = 0; i < digits.length; i++) {
    const c = digits.charCodeAt(i);
    if (c === C_DOT) {
      seenDot = true;
      continue;
    }
    const h = hexValue(c);
    if (m !== 0 || h !== 0) significant++;
    m = m * 16 + h;
    if (seenDot) frac++;
  }
  if (significant > 13 || m >= 2 ** 53) return undefined;
  if (m === 0) return 0;
  const e = exp2 - 4 * frac;
  const top = Math.floor(Math.log2(m)) + e;
  if (e < -1074 || top < -1021 || top > 1022) return undefined;
  return m * 2 ** e; // exact: both factors are doubles and the product is a normal double
}

type Magnitude =
  | { readonly kind: 'inf' }
  | { readonly kind: 'nan'; readonly payload: bigint | undefined }
  | { readonly kind: 'hex'; readonly digits: string; readonly exp: number }
  | { readonly kind: 'dec'; readonly text: string };

/** Decomposes a valid literal (already without its sign) into what it denotes. */
function decompose(body: string): Magnitude {
  if (body === 'inf') return { kind: 'inf' };
  if (body === 'nan') return { kind: 'nan', payload: undefined };
  const clean = body.includes('_') ? body.replaceAll('_', '') : body;
  if (clean.startsWith('nan:0x')) return { kind: 'nan', payload: BigInt(clean.slice(4)) };
  if (clean.startsWith('0x')) {
    const [digits, exp] = splitHex(clean.slice(2));
    return { kind: 'hex', digits, exp };
  }
  return { kind: 'dec', text: clean };
}

function splitSign(s: string): [boolean, string] | undefined {
  if (numberShape(s, 0, s.length) < 0) return undefined;
  const c = s.charCodeAt(0);
  if (c === C_MINUS) return [true, s.slice(1)];
  if (c === C_PLUS) return [false, s.slice(1)];
  return [false, s];
}

/** The f32 bits of a literal (any of uN, sN, fN), or undefined if malformed or out of range. */
export function parseF32(s: string): number | undefined {
  const split = splitSign(s);
  if (!split) return undefined;
  const [negative, body] = split;
  const sign = negative ? 0x8000_0000 : 0;
  const mag = decompose(body);
  let bits: number;
  switch (mag.kind) {
    case 'inf':
      bits = 0x7f80_0000;
      break;
    case 'nan': {
      const payload = mag.payload ?? 0x40_0000n;
      if (payload === 0n || payload >= 1n << 23n) return undefined;
      bits = 0x7f80_0000 | Number(payload);
      break;
    }
    case 'hex': {
      const exact = exactHexAsDouble(mag.digits, mag.exp);
      if (exact !== undefined) {
        const f = Math.fround(exact); // one rounding, from the exact value
        if (!Number.isFinite(f)) return undefined;
        bits = bitsOfF32(f);
      } else {
        const b = roundHex(mag.digits, mag.exp, F32);
        if (b === undefined) return undefined;
        bits = Number(b);
      }
      break;
    }
    case 'dec': {
      const d = Number(mag.text); // correctly rounded to f64
      if (!Number.isFinite(d)) return undefined;
      const f = Math.fround(d);
      // Rounding d to f32 agrees with rounding the exact value to f32 unless d is exactly
      // the midpoint between two f32 neighbours; only then do the exact arithmetic.
      if (f !== d && d === f32Midpoint(d, f)) {
        const [digits, exp] = splitDecimal(mag.text);
        const b = roundDecimal(digits, exp, F32);
        if (b === undefined) return undefined;
        bits = Number(b);
      } else {
        if (!Number.isFinite(f)) return undefined;
        bits = bitsOfF32(f);
      }
      break;
    }
  }
  return (bits | sign) >>> 0;
}

/** The midpoint between f = fround(d) and its f32 neighbour on d's side (d ≥ 0). */
function f32Midpoint(d: number, f: number): number {
  if (f === Infinity) return 2 ** 128 - 2 ** 103; // between the largest f32 and 2^128
  const neighbour = f32OfBits(bitsOfF32(f) + (d > f ? 1 : -1));
  return (f + neighbour) / 2; // exact: two f32 values one ulp apart
}

/** The f64 bits of a literal (any of uN, sN, fN), or undefined if malformed or out of range. */
export function parseF64(s: string): bigint | undefined {
  const split = splitSign(s);
  if (!split) return undefined;
  const [negative, body] = split;
  const sign = negative ? 1n << 63n : 0n;
  const mag = decompose(body);
  let bits: bigint;
  switch (mag.kind) {
    case 'inf':
      bits = 0x7ff0_0000_0000_0000n;
      break;
    case 'nan': {
      const payload = mag.payload ?? 0x8_0000_0000_0000n;
      if (payload === 0n || payload >= 1n << 52n) return undefined;
      bits = 0x7ff0_0000_0000_0000n | payload;
      break;
    }
    case 'hex': {
      const exact = exactHexAsDouble(mag.digits, mag.exp);
      if (exact !== undefined) {
        bits = bitsOfF64(exact);
      } else {
        const b = roundHex(mag.digits, mag.exp, F64);
        if (b === undefined) return undefined;
        bits = b;
      }
      break;
    }
    case 'dec': {
      const d = Number(mag.text); // V8's string-to-double is correctly rounded
      if (!Number.isFinite(d)) return undefined;
      bits = bitsOfF64(d);
      break;
    }
  }
  return bits | sign;
}

/**
 * Exact conversions without any fast path, for tests that cross-check the fast paths.
 * Same contract as parseF32/parseF64.
 */
export function parseFloatExact(s: string, bits: 32 | 64): bigint | undefined {
  const split = splitSign(s);
  if (!split) return undefined;
  const [negative, body] = split;
  const fmt = bits === 32 ? F32 : F64;
  const mag = decompose(body);
  let b: bigint | undefined;
  if (mag.kind === 'hex') b = roundHex(mag.digits, mag.exp, fmt);
  else if (mag.kind === 'dec') b = roundDecimal(...splitDecimal(mag.text), fmt);
  else if (bits === 64) return parseF64(s);
  else {
    const f = parseF32(s);
    return f === undefined ? undefined : BigInt(f);
  }
  if (b === undefined) return undefined;
  return negative ? b | (1n << BigInt(bits - 1)) : b;
}
