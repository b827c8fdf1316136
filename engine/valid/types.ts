// Value types as small integers, for the validator's typed-array operand stack
// (https://webassembly.github.io/spec/core/appendix/algorithm.html#data-structures).
// `UNKNOWN` is the algorithm's "Unknown" (the bottom type): what a pop from the
// polymorphic stack of unreachable code yields, compatible with every type.

import type { ValType, ValType2 } from '../syntax/index.ts';

export const UNKNOWN = 0;
export const I32 = 1;
export const I64 = 2;
export const F32 = 3;
export const F64 = 4;
export const V128 = 5;
export const FUNCREF = 6;
export const EXTERNREF = 7;
/** Exception handling's references (https://webassembly.github.io/spec/core/syntax/types.html#reference-types). */
export const EXNREF = 8;
export const NULLEXNREF = 9;

/** Number of type codes, UNKNOWN included (the size of per-type caches). */
export const TYPE_CODES = 10;

const CODE: Readonly<Record<ValType2, number>> = {
  i32: I32,
  i64: I64,
  f32: F32,
  f64: F64,
  v128: V128,
  funcref: FUNCREF,
  externref: EXTERNREF,
  ...{ exnref: EXNREF, nullexnref: NULLEXNREF },
};

const NAMES = ['any', 'i32', 'i64', 'f32', 'f64', 'v128', 'funcref', 'externref', 'exnref', 'nullexnref'] as const;

export function typeCode(t: ValType): number {
  const code = CODE[t as ValType2];
  // Modules using WebAssembly 3.0 types are turned away before any code is checked
  // (engine/valid/unsupported.ts); meeting one here is a bug, not a user error.
  if (code === undefined) throw new Error(`internal error: no validator type code for ${t}`);
  return code;
}

export function typeName(code: number): string {
  return NAMES[code] ?? `type#${code}`;
}

/** Encodes a result or parameter type list. */
export function typeCodes(types: readonly ValType[]): Uint8Array {
  const out = new Uint8Array(types.length);
  for (let i = 0; i < types.length; i++) out[i] = typeCode(types[i]!);
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
  return t === FUNCREF || t === EXTERNREF || t === UNKNOWN || t === EXNREF || t === NULLEXNREF;
}

/** Shared immutable type lists, so block types and signatures cost no allocation. */
export const NO_TYPES = new Uint8Array(0);
/** ONE[t] is [t]. */
export const ONE: readonly Uint8Array[] = Array.from({ length: TYPE_CODES }, (_, t) => Uint8Array.of(t));

export function sameTypes(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
