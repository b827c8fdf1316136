// Value types as small integers ("type codes"), for the validator's typed-array operand
// stack (https://webassembly.github.io/spec/core/appendix/algorithm.html#data-structures)
// and for matching types across modules at link time.
//
// A code is a non-negative int32:
// - 0: `UNKNOWN`, the algorithm's "Unknown" (the bottom value type): what a pop from the
//   polymorphic stack of unreachable code yields, matching every type;
// - 1…5: i32, i64, f32, f64, v128;
// - 8 and up: a reference type (https://webassembly.github.io/spec/core/syntax/types.html#reference-types),
//   `heap << 1 | nullable`, where `heap` is an abstract heap type (H_FUNC … H_BOT, below
//   32) or `H_DEF + id` for a defined type, `id` being its engine-wide canonical id
//   (engine/valid/canon.ts). Two defined types that are equivalent get the same id,
//   whatever module they come from, so type equality is `===` on codes, and an
//   instruction typed exactly (all of 2.0 code) never reaches the subtyping check
//   (engine/valid/matching.ts).
// The GC heap types (any, eq, i31, struct, array, none) have their codes reserved so the
// layout does not change when they come; modules using them are refused before any code
// is checked (engine/valid/unsupported.ts).

import type { HeapType, ValType } from '../syntax/index.ts';
import { refTypeParts } from '../syntax/index.ts';

export const UNKNOWN = 0;
export const I32 = 1;
export const I64 = 2;
export const F32 = 3;
export const F64 = 4;
export const V128 = 5;

// Heap types.
export const H_FUNC = 4;
export const H_EXTERN = 5;
export const H_NOFUNC = 6;
export const H_NOEXTERN = 7;
export const H_EXN = 8;
export const H_NOEXN = 9;
export const H_ANY = 10;
export const H_EQ = 11;
export const H_I31 = 12;
export const H_STRUCT = 13;
export const H_ARRAY = 14;
export const H_NONE = 15;
/** The bottom heap type of the validation algorithm: ref.as_non_null of Unknown is (ref bot). */
export const H_BOT = 16;
/** Defined types: H_DEF + canonical id. */
export const H_DEF = 32;

/** The smallest reference type code. */
export const REF_MIN = 8;

/** (ref null? heap) */
export function refCode(heap: number, nullable: boolean): number {
  return (heap << 1) | (nullable ? 1 : 0);
}

export const FUNCREF = refCode(H_FUNC, true);
export const EXTERNREF = refCode(H_EXTERN, true);
export const EXNREF = refCode(H_EXN, true);
/** (ref null noexn), the null exception reference's type. */
export const NULLEXNREF = refCode(H_NOEXN, true);
/** (ref bot), non-null. */
export const BOT_REF = refCode(H_BOT, false);

/** Number of abstract type codes (everything below the first defined type's). */
export const TYPE_CODES = H_DEF << 1;

const ABSTRACT_HEAP: Readonly<Record<string, number>> = {
  func: H_FUNC, extern: H_EXTERN, nofunc: H_NOFUNC, noextern: H_NOEXTERN, exn: H_EXN, noexn: H_NOEXN,
  any: H_ANY, eq: H_EQ, i31: H_I31, struct: H_STRUCT, array: H_ARRAY, none: H_NONE,
};
const HEAP_NAMES: readonly string[] = Object.entries(ABSTRACT_HEAP).reduce<string[]>((a, [k, v]) => {
  a[v] = k;
  return a;
}, []);

const NUM: Readonly<Record<string, number>> = { i32: I32, i64: I64, f32: F32, f64: F64, v128: V128 };
const NUM_NAMES = ['any', 'i32', 'i64', 'f32', 'f64', 'v128'];

/** Per-module: the canonical id of each type index (engine/valid/canon.ts). */
export type CanonicalIds = ArrayLike<number>;

/**
 * The code of a value type. `canon` maps the module's type indices to canonical ids; a
 * type index outside it is the caller's to reject first (validate.ts checks every type).
 */
export function typeCode(t: ValType, canon?: CanonicalIds): number {
  const num = NUM[t];
  if (num !== undefined) return num;
  if (t === 'funcref') return FUNCREF;
  if (t === 'externref') return EXTERNREF;
  const parts = refTypeParts(t);
  if (parts === undefined) throw new Error(`internal error: no validator type code for ${t}`);
  return refCode(heapCode(parts.heap, canon), parts.nullable);
}

/** The code of a heap type: an abstract one, or a type index of the module. */
export function heapCode(h: HeapType, canon?: CanonicalIds): number {
  if (typeof h === 'number') {
    const id = canon?.[h];
    if (id === undefined) throw new Error(`internal error: type ${h} has no canonical id`);
    return H_DEF + id;
  }
  return ABSTRACT_HEAP[h]!;
}

export function isRefCode(t: number): boolean {
  return t >= REF_MIN;
}
export function isNullable(t: number): boolean {
  return (t & 1) === 1;
}
export function heapOf(t: number): number {
  return t >> 1;
}

/** Readable, as in error messages: 'i32', 'funcref', '(ref null func)', '(ref type#3)'. */
export function typeName(code: number): string {
  if (code < REF_MIN) return NUM_NAMES[code] ?? `type#${code}`;
  if (code === FUNCREF) return 'funcref';
  if (code === EXTERNREF) return 'externref';
  if (code === EXNREF) return 'exnref';
  const heap = code >> 1;
  const h = heap >= H_DEF ? `type#${heap - H_DEF}` : heap === H_BOT ? 'bot' : (HEAP_NAMES[heap] ?? `heap#${heap}`);
  return `(ref ${isNullable(code) ? 'null ' : ''}${h})`;
}

/** A result or parameter type list, as codes. */
export type Types = Int32Array;

/** Encodes a result or parameter type list. */
export function typeCodes(types: readonly ValType[], canon?: CanonicalIds): Types {
  const out = new Int32Array(types.length);
  for (let i = 0; i < types.length; i++) out[i] = typeCode(types[i]!, canon);
  return out;
}

/** "[i32 f64]" */
export function formatTypes(codes: ArrayLike<number>, from = 0, to = codes.length): string {
  const parts: string[] = [];
  for (let i = from; i < to; i++) parts.push(typeName(codes[i]!));
  return `[${parts.join(' ')}]`;
}

// Numeric and vector types may go through the untyped `select`; references may not
// (https://webassembly.github.io/spec/core/valid/instructions.html#valid-select).
// UNKNOWN counts as both, as in the appendix algorithm's is_num / is_vec.
export function isNum(t: number): boolean {
  return t <= F64;
}
export function isVec(t: number): boolean {
  return t === V128 || t === UNKNOWN;
}
export function isRef(t: number): boolean {
  return t >= REF_MIN || t === UNKNOWN;
}

/**
 * Whether a local of this type has a default value (numbers, vectors, nullable
 * references); a non-null reference local must be set before it is read
 * (https://webassembly.github.io/spec/core/valid/instructions.html#local-instructions).
 */
export function isDefaultable(t: number): boolean {
  return t < REF_MIN || (t & 1) === 1;
}

/** Shared immutable type lists, so block types and signatures cost no allocation. */
export const NO_TYPES: Types = new Int32Array(0);

const ones: Types[] = Array.from({ length: TYPE_CODES }, (_, t) => Int32Array.of(t));
/** ONE[t] is [t], for the abstract codes; one(t) for any code. */
export const ONE: readonly Types[] = ones;
export function one(t: number): Types {
  return (ones[t] ??= Int32Array.of(t));
}

/** Memoizes a list built from one type code (select's operands, table.set's…). */
export function perType(make: (t: number) => number[]): (t: number) => Types {
  const made: Types[] = [];
  return (t) => (made[t] ??= Int32Array.from(make(t)));
}

export function sameTypes(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
