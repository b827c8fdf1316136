// Subtyping of value types on type codes (engine/valid/types.ts), after
// https://webassembly.github.io/spec/core/valid/matching.html without GC:
//   (ref $t) <: (ref func) <: (ref null func) = funcref, (ref nofunc) <: (ref $t),
//   noextern <: extern, noexn <: exn, non-null <: nullable, and the bottom types (the
//   value type Unknown, the heap type bot) below everything of their kind.
// Defined function types are matched by equivalence only: without `sub` declarations
// (GC) a function type has no declared supertype, and equivalent types already share a
// code (engine/valid/canon.ts), so no structural walk happens here.
//
// Callers test `a === b` first (exact types, the common case); these run only when the
// codes differ.

import { H_BOT, H_DEF, H_EXN, H_EXTERN, H_FUNC, H_NOEXN, H_NOEXTERN, H_NOFUNC, REF_MIN, UNKNOWN } from './types.ts';

/** Heap type a <: heap type b. */
export function heapMatches(a: number, b: number): boolean {
  if (a === b || a === H_BOT) return true;
  if (b >= H_DEF) return a === H_NOFUNC;
  switch (b) {
    case H_FUNC:
      return a === H_NOFUNC || a >= H_DEF;
    case H_EXTERN:
      return a === H_NOEXTERN;
    case H_EXN:
      return a === H_NOEXN;
    default:
      return false;
  }
}

/** Value type a <: value type b (codes). */
export function matches(a: number, b: number): boolean {
  if (a === b || a === UNKNOWN) return true;
  if (a < REF_MIN || b < REF_MIN) return false;
  // A nullable reference is no non-null one.
  if ((a & 1) > (b & 1)) return false;
  return heapMatches(a >> 1, b >> 1);
}

/** Every a[i] <: b[i], same lengths. */
export function allMatch(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !matches(a[i]!, b[i]!)) return false;
  return true;
}

/** The top heap type of a's hierarchy (func, extern, exn), for messages and ref.null. */
export function topHeap(heap: number): number {
  if (heap >= H_DEF || heap === H_NOFUNC) return H_FUNC;
  if (heap === H_NOEXTERN) return H_EXTERN;
  if (heap === H_NOEXN) return H_EXN;
  return heap;
}
