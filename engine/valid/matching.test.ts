// The reference type system: type codes, canonical ids of defined types (iso-recursive
// equivalence for singleton groups) and subtyping (https://webassembly.github.io/spec/core/valid/matching.html).
import { describe, expect, it } from 'vitest';
import { parseWat } from '../text/index.ts';
import { canonicalIds, funcTypeCanonicalId } from './canon.ts';
import { heapMatches, matches } from './matching.ts';
import {
  BOT_REF, EXTERNREF, FUNCREF, H_DEF, H_EXN, H_EXTERN, H_FUNC, H_NOEXN, H_NOEXTERN, H_NOFUNC, I32, I64, UNKNOWN,
  isDefaultable, refCode, typeCode, typeName,
} from './types.ts';

const ref = (heap: number) => refCode(heap, false);
const refNull = (heap: number) => refCode(heap, true);

describe('type codes', () => {
  it('spell 2.0 types and the 3.0 shorthands as (ref null? ht)', () => {
    expect(typeCode('funcref')).toBe(FUNCREF);
    expect(typeCode('(ref null func)')).toBe(FUNCREF);
    expect(typeCode('externref')).toBe(EXTERNREF);
    expect(typeCode('nullfuncref')).toBe(refNull(H_NOFUNC));
    expect(typeCode('(ref extern)')).toBe(ref(H_EXTERN));
    expect(typeCode('exnref')).toBe(refNull(H_EXN));
    expect(typeCode('(ref 1)', Int32Array.of(7, 9))).toBe(ref(H_DEF + 9));
    expect(typeName(typeCode('(ref null noextern)'))).toBe('(ref null noextern)');
    expect(typeName(FUNCREF)).toBe('funcref');
  });

  it('know which types have a default value', () => {
    expect(isDefaultable(I32)).toBe(true);
    expect(isDefaultable(FUNCREF)).toBe(true);
    expect(isDefaultable(ref(H_FUNC))).toBe(false);
    expect(isDefaultable(ref(H_DEF + 3))).toBe(false);
  });
});

describe('subtyping', () => {
  const t = ref(H_DEF + 0);
  it('(ref $t) <: (ref func) <: funcref, and non-null <: nullable', () => {
    expect(matches(t, ref(H_FUNC))).toBe(true);
    expect(matches(ref(H_FUNC), FUNCREF)).toBe(true);
    expect(matches(t, FUNCREF)).toBe(true);
    expect(matches(refNull(H_DEF + 0), FUNCREF)).toBe(true);
    expect(matches(FUNCREF, ref(H_FUNC))).toBe(false);
    expect(matches(refNull(H_DEF + 0), t)).toBe(false);
    expect(matches(FUNCREF, t)).toBe(false);
  });

  it('nofunc, noextern, noexn are the bottoms of their hierarchies, which do not mix', () => {
    expect(matches(ref(H_NOFUNC), t)).toBe(true);
    expect(matches(refNull(H_NOFUNC), refNull(H_DEF + 5))).toBe(true);
    expect(matches(refNull(H_NOFUNC), EXTERNREF)).toBe(false);
    expect(matches(refNull(H_NOEXTERN), EXTERNREF)).toBe(true);
    expect(matches(refNull(H_NOEXN), refNull(H_EXN))).toBe(true);
    expect(matches(EXTERNREF, FUNCREF)).toBe(false);
    expect(heapMatches(H_EXN, H_FUNC)).toBe(false);
    expect(heapMatches(H_NOEXTERN, H_FUNC)).toBe(false);
  });

  it('distinct defined types do not match; Unknown and (ref bot) match every reference', () => {
    expect(matches(ref(H_DEF + 1), ref(H_DEF + 2))).toBe(false);
    expect(matches(UNKNOWN, t)).toBe(true);
    expect(matches(UNKNOWN, I64)).toBe(true);
    expect(matches(BOT_REF, t)).toBe(true);
    expect(matches(BOT_REF, EXTERNREF)).toBe(true);
    expect(matches(BOT_REF, I32)).toBe(false);
    expect(matches(I32, I64)).toBe(false);
    expect(matches(I32, FUNCREF)).toBe(false);
  });
});

describe('canonical ids', () => {
  it('are equal for structurally equal types, in one module and across modules', () => {
    const a = canonicalIds(parseWat(`(module
      (type $a (func (param i32) (result i64)))
      (type $b (func (param i32) (result i64)))
      (type $c (func (param (ref $a))))
      (type $d (func (param (ref $b))))
      (type $e (func (param (ref null $a)))))`));
    expect(a[0]).toBe(a[1]);
    expect(a[2]).toBe(a[3]);
    expect(a[4]).not.toBe(a[2]);
    const b = canonicalIds(parseWat(`(module
      (type (func))
      (type $x (func (param i32) (result i64)))
      (type $y (func (param (ref $x)))))`));
    expect(b[1]).toBe(a[0]);
    expect(b[2]).toBe(a[2]);
    expect(funcTypeCanonicalId(['i32'], ['i64'])).toBe(a[0]);
  });

  it('tell a self-reference from a reference to an equal earlier type', () => {
    const ids = canonicalIds(parseWat(`(module
      (type $r (func (param (ref $r))))
      (type $s (func (param (ref $s))))
      (type $t (func (param (ref $r)))))`));
    expect(ids[0]).toBe(ids[1]);
    // $t refers to $r, which is a different type from $t itself.
    expect(ids[2]).not.toBe(ids[0]);
  });
});
