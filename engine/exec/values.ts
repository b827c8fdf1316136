// Values (https://webassembly.github.io/spec/core/exec/runtime.html#values) as the
// interpreter stores them, and their conversion to and from JS values at the host boundary.
//
// Inside the engine a number or vector value is its raw bits in 32-bit little-endian words
// (i32/f32: one word; i64/f64: two, low first; v128: four), so float bits — NaN payloads,
// -0 — survive every move, load and store untouched. A reference is a JS value: null, a
// function instance (funcref), or any other host value (externref).
//
// At the host boundary: i32 is a number (signed), i64 a bigint (signed), f32/f64 a number,
// v128 a 16-byte Uint8Array, a reference the JS value itself (null for ref.null).

import type { RefType, ValType } from '../syntax/index.ts';

/** A JS value crossing the host boundary (see the header for the mapping). */
export type HostValue = number | bigint | Uint8Array | unknown;

/** A value with its type, as the inspection API shows it. Floats also give their bits. */
export type TypedValue =
  | { readonly type: 'i32'; readonly value: number }
  | { readonly type: 'i64'; readonly value: bigint }
  | { readonly type: 'f32'; readonly value: number; readonly bits: number }
  | { readonly type: 'f64'; readonly value: number; readonly bits: bigint }
  | { readonly type: 'v128'; readonly value: Uint8Array }
  | { readonly type: 'funcref' | 'externref'; readonly value: unknown };

/** Number of 8-byte value-stack slots a value of this type takes. */
export function slotsOf(t: ValType): number {
  return t === 'v128' ? 2 : 1;
}

export function isRef(t: ValType): boolean {
  return t === 'funcref' || t === 'externref' || t === 'exnref' || t === 'nullexnref';
}

// Scratch views for converting between bits and JS numbers.
const scratch = new ArrayBuffer(16);
const s32 = new Int32Array(scratch);
const sf32 = new Float32Array(scratch);
const sf64 = new Float64Array(scratch);
const s64 = new BigInt64Array(scratch);
const su8 = new Uint8Array(scratch);

/** Reads words[at…] as a JS value of type t (not for reference types). */
export function wordsToHost(t: ValType, words: Int32Array, at: number): HostValue {
  switch (t) {
    case 'i32':
      return words[at]!;
    case 'f32':
      s32[0] = words[at]!;
      return sf32[0]!;
    case 'i64':
      s32[0] = words[at]!;
      s32[1] = words[at + 1]!;
      return s64[0]!;
    case 'f64':
      s32[0] = words[at]!;
      s32[1] = words[at + 1]!;
      return sf64[0]!;
    case 'v128':
      for (let i = 0; i < 4; i++) s32[i] = words[at + i]!;
      return su8.slice();
    default:
      throw new TypeError(`not a number or vector type: ${t}`);
  }
}

/**
 * Writes a JS value of type t into words[at…]. Throws TypeError when the JS value does not
 * fit the type (e.g. a number for i64), so hosts get a clear error rather than garbage.
 */
export function hostToWords(t: ValType, v: HostValue, words: Int32Array, at: number): void {
  switch (t) {
    case 'i32':
      if (typeof v !== 'number') throw new TypeError(`expected a number for i32, got ${typeof v}`);
      words[at] = v | 0;
      return;
    case 'f32':
      if (typeof v !== 'number') throw new TypeError(`expected a number for f32, got ${typeof v}`);
      sf32[0] = v;
      words[at] = s32[0]!;
      return;
    case 'i64':
      if (typeof v !== 'bigint') throw new TypeError(`expected a bigint for i64, got ${typeof v}`);
      s64[0] = BigInt.asIntN(64, v);
      words[at] = s32[0]!;
      words[at + 1] = s32[1]!;
      return;
    case 'f64':
      if (typeof v !== 'number') throw new TypeError(`expected a number for f64, got ${typeof v}`);
      sf64[0] = v;
      words[at] = s32[0]!;
      words[at + 1] = s32[1]!;
      return;
    case 'v128':
      if (!(v instanceof Uint8Array) || v.length !== 16) throw new TypeError('expected a 16-byte Uint8Array for v128');
      su8.set(v);
      for (let i = 0; i < 4; i++) words[at + i] = s32[i]!;
      return;
    default:
      throw new TypeError(`not a number or vector type: ${t}`);
  }
}

/** The typed view of a value held as words (numbers, vectors) or as a reference. */
export function typedValue(t: ValType, words: Int32Array, at: number, ref: unknown): TypedValue {
  switch (t) {
    case 'i32':
      return { type: t, value: words[at]! };
    case 'i64':
      s32[0] = words[at]!;
      s32[1] = words[at + 1]!;
      return { type: t, value: s64[0]! };
    case 'f32':
      s32[0] = words[at]!;
      return { type: t, value: sf32[0]!, bits: words[at]! >>> 0 };
    case 'f64':
      s32[0] = words[at]!;
      s32[1] = words[at + 1]!;
      return { type: t, value: sf64[0]!, bits: BigInt.asUintN(64, s64[0]!) };
    case 'v128': {
      for (let i = 0; i < 4; i++) s32[i] = words[at + i]!;
      return { type: t, value: su8.slice() };
    }
    default:
      // Past validation every reference type is a 2.0 one.
      return { type: t as RefType, value: ref };
  }
}

/** Global instances (https://webassembly.github.io/spec/core/exec/runtime.html#global-instances). */
export class GlobalInstance {
  readonly type: ValType;
  readonly mutable: boolean;
  /** The value's bits (numbers and vectors). */
  readonly words = new Int32Array(4);
  /** The value when it is a reference. */
  ref: unknown = null;

  constructor(type: ValType, mutable: boolean, value?: HostValue) {
    this.type = type;
    this.mutable = mutable;
    if (value !== undefined) this.value = value;
  }

  /** The value as a JS value (see the header for the mapping). */
  get value(): HostValue {
    return isRef(this.type) ? this.ref : wordsToHost(this.type, this.words, 0);
  }

  set value(v: HostValue) {
    if (isRef(this.type)) this.ref = v === undefined ? null : v;
    else hostToWords(this.type, v, this.words, 0);
  }

  get typed(): TypedValue {
    return typedValue(this.type, this.words, 0, this.ref);
  }
}
