// Values as a learner sees them, in JSON-safe form (no bigint, no typed arrays): each
// value carries its type, a display text, and the other readings a view may offer —
// signed and unsigned decimal and hex for integers, the exact float text and its bits
// for floats, and every lane shape for a v128
// (https://webassembly.github.io/spec/core/exec/runtime.html#values).
//
// Float text follows the text format's spelling (https://webassembly.github.io/spec/core/text/values.html#floating-point):
// the shortest decimal that reads back to the same bits, `-0`, `inf`, `nan` for the
// canonical NaN and `nan:0x…` with its payload otherwise.

import { ExceptionInstance, HostFunction, type TypedValue, WasmFunction } from '../exec/index.ts';
import type { RefType, ValType } from '../syntax/index.ts';

/** A reference: null, a function (its index in its own module, and name), or a host value. */
export type RefView =
  | null
  | { readonly kind: 'func'; readonly index: number | null; readonly name: string | null }
  | { readonly kind: 'extern'; readonly text: string }
  /** An exnref: the caught exception's tag (its name, or "tag n"). */
  | { readonly kind: 'exn'; readonly tag: string };

export type V128Shape = 'i8x16' | 'i16x8' | 'i32x4' | 'i64x2' | 'f32x4' | 'f64x2';

/** A v128 read in every shape; i64 lanes as decimal strings, float lanes as float text. */
export interface V128Lanes {
  readonly i8x16: readonly number[];
  readonly i16x8: readonly number[];
  readonly i32x4: readonly number[];
  readonly i64x2: readonly string[];
  readonly f32x4: readonly string[];
  readonly f64x2: readonly string[];
}

export type ValueView =
  | { readonly type: 'i32'; readonly text: string; readonly signed: number; readonly unsigned: number; readonly hex: string }
  | { readonly type: 'i64'; readonly text: string; readonly signed: string; readonly unsigned: string; readonly hex: string }
  /** `number` is the value when finite (for charts; -0 reads 0), else null; `hex` is the bit pattern. */
  | { readonly type: 'f32' | 'f64'; readonly text: string; readonly number: number | null; readonly hex: string }
  /** `hex` lists the 16 bytes in memory order; `text` reads the lanes as i32x4. */
  | { readonly type: 'v128'; readonly text: string; readonly hex: string; readonly bytes: readonly number[]; readonly lanes: V128Lanes }
  | { readonly type: 'funcref' | 'externref' | 'exnref' | 'nullexnref'; readonly text: string; readonly ref: RefView };

/** Names for function references: a function's name in its module, when it has one. */
export type FuncNamer = (f: WasmFunction) => string | null;

const scratch = new ArrayBuffer(16);
const u8 = new Uint8Array(scratch);
const i8 = new Int8Array(scratch);
const i16 = new Int16Array(scratch);
const i32 = new Int32Array(scratch);
const u32 = new Uint32Array(scratch);
const f32 = new Float32Array(scratch);
const f64 = new Float64Array(scratch);
const i64 = new BigInt64Array(scratch);
const u64 = new BigUint64Array(scratch);
// Separate scratch for float text, which runs while the lanes above are being read.
const fbuf = new ArrayBuffer(8);
const fu32 = new Uint32Array(fbuf);
const ff32 = new Float32Array(fbuf);
const fu64 = new BigUint64Array(fbuf);
const ff64 = new Float64Array(fbuf);

function hex(n: bigint | number, digits: number): string {
  return `0x${n.toString(16).padStart(digits, '0')}`;
}

/** The text of an f32 given its bits (a u32). */
export function f32Text(bits: number): string {
  const b = bits >>> 0;
  const sign = b >>> 31 === 1 ? '-' : '';
  const exp = (b >>> 23) & 0xff;
  const frac = b & 0x7f_ffff;
  if (exp === 0xff) {
    if (frac === 0) return `${sign}inf`;
    return frac === 0x40_0000 ? `${sign}nan` : `${sign}nan:0x${frac.toString(16)}`;
  }
  fu32[0] = b;
  const v = ff32[0]!;
  if (v === 0) return `${sign}0`;
  for (let p = 1; p < 10; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return String(Number(s));
  }
  return String(v);
}

/** The text of an f64 given its bits (a u64 bigint). */
export function f64Text(bits: bigint): string {
  const b = BigInt.asUintN(64, bits);
  const sign = b >> 63n === 1n ? '-' : '';
  const exp = Number((b >> 52n) & 0x7ffn);
  const frac = b & 0xf_ffff_ffff_ffffn;
  if (exp === 0x7ff) {
    if (frac === 0n) return `${sign}inf`;
    return frac === 0x8_0000_0000_0000n ? `${sign}nan` : `${sign}nan:0x${frac.toString(16)}`;
  }
  fu64[0] = b;
  const v = ff64[0]!;
  if (v === 0) return `${sign}0`;
  return String(v);
}

function laneTexts(): V128Lanes {
  return {
    i8x16: Array.from(i8),
    i16x8: Array.from(i16),
    i32x4: Array.from(i32),
    i64x2: Array.from(i64, (x) => x.toString()),
    f32x4: Array.from(u32, (b) => f32Text(b)),
    f64x2: Array.from(u64, (b) => f64Text(b)),
  };
}

/** A v128 given its 16 bytes. */
export function v128View(bytes: Uint8Array): ValueView {
  u8.set(bytes.subarray(0, 16));
  const lanes = laneTexts();
  return {
    type: 'v128',
    text: `i32x4 ${lanes.i32x4.join(' ')}`,
    hex: Array.from(u8, (b) => b.toString(16).padStart(2, '0')).join(' '),
    bytes: Array.from(u8),
    lanes,
  };
}

/** The text of a v128 value read in a given shape, e.g. "i8x16 1 2 3 …". */
export function v128Text(v: ValueView & { type: 'v128' }, shape: V128Shape): string {
  return `${shape} ${v.lanes[shape].join(' ')}`;
}

function hostText(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || v === undefined) return String(v);
  if (typeof v === 'symbol') return v.toString();
  if (typeof v === 'function') return `function ${v.name || '(anonymous)'}`;
  return 'object';
}

/** A reference as a view shows it. */
export function refView(v: unknown, namer?: FuncNamer): RefView {
  if (v === null || v === undefined) return null;
  if (v instanceof WasmFunction) return { kind: 'func', index: v.index, name: namer?.(v) ?? null };
  if (v instanceof HostFunction) return { kind: 'func', index: null, name: v.name };
  if (v instanceof ExceptionInstance) return { kind: 'exn', tag: v.tag.name };
  return { kind: 'extern', text: hostText(v) };
}

function refText(r: RefView): string {
  if (r === null) return 'null';
  if (r.kind === 'extern') return `extern ${r.text}`;
  if (r.kind === 'exn') return `exn ${r.tag}`;
  if (r.index === null) return `func ${r.name ?? '(host)'}`;
  return r.name === null ? `func ${r.index}` : `func ${r.index} (${r.name})`;
}

/** A float as JSON keeps it: null for NaN and infinities, and -0 as 0 (the text keeps the sign). */
function jsonNumber(x: number): number | null {
  if (!Number.isFinite(x)) return null;
  return x === 0 ? 0 : x;
}

/** The view of a typed value (engine/exec/values.ts). */
export function valueView(v: TypedValue, namer?: FuncNamer): ValueView {
  switch (v.type) {
    case 'i32':
      return { type: 'i32', text: String(v.value), signed: v.value, unsigned: v.value >>> 0, hex: hex(v.value >>> 0, 8) };
    case 'i64': {
      const u = BigInt.asUintN(64, v.value);
      return { type: 'i64', text: v.value.toString(), signed: v.value.toString(), unsigned: u.toString(), hex: hex(u, 16) };
    }
    case 'f32':
      return { type: 'f32', text: f32Text(v.bits), number: jsonNumber(v.value), hex: hex(v.bits >>> 0, 8) };
    case 'f64':
      return { type: 'f64', text: f64Text(v.bits), number: jsonNumber(v.value), hex: hex(BigInt.asUintN(64, v.bits), 16) };
    case 'v128':
      return v128View(v.value);
    default: {
      const ref = refView(v.value, namer);
      return { type: v.type, text: refText(ref), ref };
    }
  }
}

/** The view of a value of type t held as words at `at` (and a reference), as the machine stores it. */
export function wordsView(t: ValType, words: Int32Array, at: number, ref: unknown, namer?: FuncNamer): ValueView {
  switch (t) {
    case 'i32':
      return valueView({ type: t, value: words[at]! }, namer);
    case 'f32':
      i32[0] = words[at]!;
      return valueView({ type: t, value: f32[0]!, bits: u32[0]! }, namer);
    case 'i64':
    case 'f64': {
      i32[0] = words[at]!;
      i32[1] = words[at + 1]!;
      return t === 'i64' ? valueView({ type: t, value: i64[0]! }, namer) : valueView({ type: t, value: f64[0]!, bits: u64[0]! }, namer);
    }
    case 'v128': {
      const b = new Uint8Array(16);
      new Int32Array(b.buffer).set(words.subarray(at, at + 4));
      return v128View(b);
    }
    default:
      // Past validation every reference type is a 2.0 one.
      return valueView({ type: t as RefType, value: ref }, namer);
  }
}

/** A byte list as hex pairs, "2a 00 00 00". */
export function hexBytes(bytes: readonly number[]): string {
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ');
}
