// Values as text-format tokens, for the disassembler (engine/text/print.ts): floats,
// strings and identifiers, each printed so that the lexer and parser read back exactly
// the same value (https://webassembly.github.io/spec/core/text/values.html).
//
// Floats are printed as the shortest decimal that reads back to the identical bits, which
// is what a reader expects to see (`f32.const 0.1`, not `0x1.99999ap-4`). NaNs keep their
// sign and payload (`-nan:0x200000`) and -0 keeps its sign, since the AST stores raw bits.

import { parseF32 } from './numbers.ts';

const f32Buffer = new Float32Array(1);
const u32View = new Uint32Array(f32Buffer.buffer);
const f64Buffer = new Float64Array(1);
const u64View = new BigUint64Array(f64Buffer.buffer);

const F32_CANONICAL_NAN = 0x40_0000;
const F64_CANONICAL_NAN = 0x8_0000_0000_0000n;

/** An f32 constant, given its bits (u32), as a float literal. */
export function formatF32(bits: number): string {
  const b = bits >>> 0;
  const sign = b >>> 31 ? '-' : '';
  const exponent = (b >>> 23) & 0xff;
  const mantissa = b & 0x7f_ffff;
  if (exponent === 0xff) {
    if (mantissa === 0) return `${sign}inf`;
    return mantissa === F32_CANONICAL_NAN ? `${sign}nan` : `${sign}nan:0x${mantissa.toString(16)}`;
  }
  if (exponent === 0 && mantissa === 0) return `${sign}0`;
  u32View[0] = b;
  const x = f32Buffer[0] as number;
  // The shortest decimal whose nearest f32 is x. A parser that rounds the decimal straight
  // to f32 (as the spec requires) agrees with Math.fround(Number(s)), which rounds twice,
  // unless the double Number(s) sits exactly on the midpoint between two f32 values; only
  // then is the candidate checked with the exact parser. Nine significant digits always
  // identify an f32.
  for (let precision = 1; precision <= 9; precision++) {
    const d = Number(x.toPrecision(precision));
    if (Math.fround(d) !== x) continue;
    const s = String(d);
    if (!isF32Midpoint(d, x) || parseF32(s) === b) return s;
  }
  return hexF32(b);
}

/** Whether d lies exactly halfway between x = fround(d) and the f32 next to it. */
function isF32Midpoint(d: number, x: number): boolean {
  if (d === x) return false;
  const other = 2 * d - x; // exact: d and x are within one f32 ulp of each other
  return Math.fround(other) === other;
}

/** An f64 constant, given its bits (u64), as a float literal. */
export function formatF64(bits: bigint): string {
  const b = BigInt.asUintN(64, bits);
  const sign = b >> 63n ? '-' : '';
  const exponent = Number((b >> 52n) & 0x7ffn);
  const mantissa = b & 0xf_ffff_ffff_ffffn;
  if (exponent === 0x7ff) {
    if (mantissa === 0n) return `${sign}inf`;
    return mantissa === F64_CANONICAL_NAN ? `${sign}nan` : `${sign}nan:0x${mantissa.toString(16)}`;
  }
  if (exponent === 0 && mantissa === 0n) return `${sign}0`;
  u64View[0] = b;
  // Number→String is the shortest decimal that reads back to the same double, and its
  // forms (`1.5`, `1e+21`, `5e-324`) are all float literals of the text format.
  return String(f64Buffer[0]);
}

/** An f32 as a hexadecimal float literal: exact by construction. */
export function hexF32(bits: number): string {
  const b = bits >>> 0;
  const sign = b >>> 31 ? '-' : '';
  const exponent = (b >>> 23) & 0xff;
  const mantissa = b & 0x7f_ffff;
  if (exponent === 0xff) return formatF32(b);
  // 23 fraction bits, shifted to fill six hex digits.
  const fraction = (mantissa << 1).toString(16).padStart(6, '0').replace(/0+$/, '');
  const lead = exponent === 0 ? '0' : '1';
  const e = exponent === 0 ? (mantissa === 0 ? 0 : -126) : exponent - 127;
  return `${sign}0x${lead}${fraction ? `.${fraction}` : ''}p${e < 0 ? '' : '+'}${e}`;
}

/** An f64 as a hexadecimal float literal: exact by construction. */
export function hexF64(bits: bigint): string {
  const b = BigInt.asUintN(64, bits);
  const sign = b >> 63n ? '-' : '';
  const exponent = Number((b >> 52n) & 0x7ffn);
  const mantissa = b & 0xf_ffff_ffff_ffffn;
  if (exponent === 0x7ff) return formatF64(b);
  const fraction = mantissa.toString(16).padStart(13, '0').replace(/0+$/, '');
  const lead = exponent === 0 ? '0' : '1';
  const e = exponent === 0 ? (mantissa === 0n ? 0 : -1022) : exponent - 1023;
  return `${sign}0x${lead}${fraction ? `.${fraction}` : ''}p${e < 0 ? '' : '+'}${e}`;
}

// How each byte appears inside a string literal: printable ASCII as itself, the usual
// escapes for tab/newline/return/quote/backslash, anything else as \hh.
const BYTE_TEXT: string[] = [];
for (let b = 0; b < 256; b++) {
  if (b === 0x09) BYTE_TEXT.push('\\t');
  else if (b === 0x0a) BYTE_TEXT.push('\\n');
  else if (b === 0x0d) BYTE_TEXT.push('\\r');
  else if (b === 0x22) BYTE_TEXT.push('\\"');
  else if (b === 0x5c) BYTE_TEXT.push('\\\\');
  else if (b >= 0x20 && b < 0x7f) BYTE_TEXT.push(String.fromCharCode(b));
  else BYTE_TEXT.push(`\\${b.toString(16).padStart(2, '0')}`);
}

/** Bytes [start, end) as a quoted string literal (data segments hold arbitrary bytes). */
export function quoteBytes(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const parts: string[] = new Array(end - start + 2);
  parts[0] = '"';
  for (let i = start; i < end; i++) parts[i - start + 1] = BYTE_TEXT[bytes[i] as number] as string;
  parts[end - start + 1] = '"';
  return parts.join('');
}

// Characters a name may show as-is: not a control character, quote or backslash.
// Lone surrogates cannot be UTF-8 encoded, so they are not printable either.
const PLAIN_NAME = /^[^\x00-\x1f\x7f"\\\uD800-\uDFFF]*$/;

/** A name (import, export) as a quoted string literal; non-ASCII characters are kept as they are. */
export function quoteName(name: string): string {
  if (PLAIN_NAME.test(name)) return `"${name}"`;
  const parts: string[] = ['"'];
  for (const ch of name) {
    const c = ch.codePointAt(0) as number;
    if (c < 0x80) parts.push(BYTE_TEXT[c] as string);
    else if (c >= 0xd800 && c < 0xe000) parts.push('\\ef\\bf\\bd'); // U+FFFD for a lone surrogate
    else parts.push(ch);
  }
  parts.push('"');
  return parts.join('');
}

// idchar (https://webassembly.github.io/spec/core/text/values.html#text-idchar).
const NOT_IDCHAR = /[^0-9A-Za-z!#$%&'*+\-./:<=>?@\\^_`|~]/gu;

/**
 * A name (without its `$`) made into an identifier's characters: whatever is not an
 * idchar becomes `_`. Returns '' for ''.
 */
export function sanitizeId(name: string): string {
  return name.replace(NOT_IDCHAR, '_');
}
