// Running typed function references (https://webassembly.github.io/spec/core/exec/instructions.html):
// call_ref (and its null trap), ref.as_non_null, br_on_null, br_on_non_null, and type
// equivalence at run time and link time: call_indirect across modules, function, global
// and table imports matched with canonical types and subtyping.
import { describe, expect, it } from 'vitest';
import { parseWat } from '../text/index.ts';
import { instantiate } from './instantiate.ts';
import { invoke } from './invoke.ts';
import { LinkError, Trap } from './trap.ts';

function trapOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof Trap) return e.specMessage;
    throw e;
  }
  return 'no trap';
}

function linkError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof LinkError) return e.specMessage;
    throw e;
  }
  return 'linked';
}

describe('typed function references run', () => {
  const inst = instantiate(parseWat(`(module
    (type $ii (func (param i32) (result i32)))
    (func $double (type $ii) (i32.mul (local.get 0) (i32.const 2)))
    (elem declare func $double)
    (func (export "call") (param i32) (result i32) (call_ref $ii (local.get 0) (ref.func $double)))
    (func (export "call-null") (result i32) (call_ref $ii (i32.const 1) (ref.null $ii)))
    (func (export "as-non-null") (param i32) (result i32)
      (ref.is_null (ref.as_non_null (select (result funcref) (ref.func $double) (ref.null func) (local.get 0)))))
    (func (export "on-null") (param i32) (result i32)
      (block $null
        (return (call_ref $ii (i32.const 21)
          (br_on_null $null (select (result (ref null $ii)) (ref.func $double) (ref.null $ii) (local.get 0))))))
      (i32.const -1))
    (func (export "on-non-null") (param i32) (result i32)
      (call_ref $ii (i32.const 5)
        (block $f (result (ref $ii))
          (br_on_non_null $f (select (result (ref null $ii)) (ref.func $double) (ref.null $ii) (local.get 0)))
          (return (i32.const -2))))))`));

  it('call_ref calls the referenced function; a null reference traps', () => {
    expect(invoke(inst, 'call', [7])).toEqual([14]);
    expect(trapOf(() => invoke(inst, 'call-null'))).toBe('null function reference');
  });

  it('ref.as_non_null passes a reference and traps on null', () => {
    expect(invoke(inst, 'as-non-null', [1])).toEqual([0]);
    expect(trapOf(() => invoke(inst, 'as-non-null', [0]))).toBe('null reference');
  });

  it('br_on_null branches on null and keeps a non-null reference', () => {
    expect(invoke(inst, 'on-null', [1])).toEqual([42]);
    expect(invoke(inst, 'on-null', [0])).toEqual([-1]);
  });

  it('br_on_non_null branches with the reference and drops a null', () => {
    expect(invoke(inst, 'on-non-null', [1])).toEqual([10]);
    expect(invoke(inst, 'on-non-null', [0])).toEqual([-2]);
  });
});

describe('equivalent types across modules', () => {
  const a = instantiate(parseWat(`(module
    (type $t (func (result i32)))
    (type $u (func (param (ref $t)) (result i32)))
    (func $one (type $t) (i32.const 1))
    (func $apply (export "apply") (type $u) (call_ref $t (local.get 0)))
    (table (export "tab") 2 funcref)
    (global (export "g") (ref $t) (ref.func $one))
    (elem (i32.const 0) func $apply $one))`));

  it('call_indirect checks a function from another module by canonical type', () => {
    const b = instantiate(parseWat(`(module
      (type $t0 (func (result i32)))
      (type $u0 (func (param (ref $t0)) (result i32)))
      (import "a" "tab" (table 2 funcref))
      (import "a" "g" (global (ref $t0)))
      (func (export "f") (result i32) (call_indirect (type $u0) (global.get 0) (i32.const 0)))
      (func (export "bad") (result i32) (call_indirect (type $t0) (i32.const 0))))`), { a: Object.fromEntries(a.exports) });
    expect(invoke(b, 'f')).toEqual([1]);
    expect(trapOf(() => invoke(b, 'bad'))).toBe('indirect call type mismatch');
  });

  it('imports match by equivalence (functions, tables, mutable globals) and subtyping (immutable globals)', () => {
    const imports = { a: Object.fromEntries(a.exports) };
    expect(linkError(() => instantiate(parseWat(`(module (type $t (func (result i32)))
      (import "a" "apply" (func (param (ref $t)) (result i32))))`), imports))).toBe('linked');
    expect(linkError(() => instantiate(parseWat(`(module (type $t (func (result i64)))
      (import "a" "apply" (func (param (ref $t)) (result i32))))`), imports))).toBe('incompatible import type');
    expect(linkError(() => instantiate(parseWat(`(module (import "a" "g" (global funcref)))`), imports))).toBe('linked');
    expect(linkError(() => instantiate(parseWat(`(module (import "a" "g" (global (ref func))))`), imports))).toBe('linked');
    expect(linkError(() => instantiate(parseWat(`(module (type $v (func)) (import "a" "g" (global (ref $v))))`), imports))).toBe('incompatible import type');
    expect(linkError(() => instantiate(parseWat(`(module (import "a" "tab" (table 2 (ref null func))))`), imports))).toBe('linked');
    expect(linkError(() => instantiate(parseWat(`(module (import "a" "tab" (table 2 externref)))`), imports))).toBe('incompatible import type');
  });
});
