// Validation of typed function references (https://webassembly.github.io/spec/core/valid/instructions.html):
// call_ref, ref.as_non_null, br_on_null, br_on_non_null, ref.func's precise type,
// subtyping at block ends, calls and segments, non-defaultable locals, type indices.
import { describe, expect, it } from 'vitest';
import { encodeModule } from '../binary/index.ts';
import { parseWat } from '../text/index.ts';
import { validateBinary } from './binary.ts';
import { ValidationError } from './error.ts';
import { validateModule } from './validate.ts';

function verdict(source: string): string {
  try {
    validateModule(parseWat(source));
    return 'valid';
  } catch (e) {
    if (e instanceof ValidationError) return e.specMessage;
    throw e;
  }
}

const T = '(type $t (func (param i32) (result i32)))';

describe('typed function references', () => {
  it('call_ref takes a (ref null $t) and the parameters of $t', () => {
    expect(verdict(`(module ${T} (func (param (ref null $t)) (result i32) (call_ref $t (i32.const 1) (local.get 0))))`)).toBe('valid');
    expect(verdict(`(module ${T} (func (param funcref) (result i32) (call_ref $t (i32.const 1) (local.get 0))))`)).toMatch(/^type mismatch/);
    expect(verdict(`(module ${T} (func (param (ref $t)) (result i64) (call_ref $t (i32.const 1) (local.get 0))))`)).toMatch(/^type mismatch/);
  });

  it('ref.func has the precise type (ref $t), a subtype of funcref and (ref func)', () => {
    const f = `(func $f (type $t) (local.get 0)) (elem declare func $f)`;
    expect(verdict(`(module ${T} ${f} (func (result (ref $t)) (ref.func $f)))`)).toBe('valid');
    expect(verdict(`(module ${T} ${f} (func (result (ref func)) (ref.func $f)))`)).toBe('valid');
    expect(verdict(`(module ${T} ${f} (func (result funcref) (ref.func $f)))`)).toBe('valid');
    expect(verdict(`(module ${T} ${f} (func (result (ref $t)) (ref.null $t)))`)).toMatch(/^type mismatch/);
    expect(verdict(`(module ${T} ${f} (func (result externref) (ref.func $f)))`)).toMatch(/^type mismatch/);
  });

  it('ref.as_non_null and br_on_null make a reference non-null', () => {
    expect(verdict(`(module (func (param funcref) (result (ref func)) (ref.as_non_null (local.get 0))))`)).toBe('valid');
    expect(verdict(`(module (func (param funcref) (result (ref func)) (block (br_on_null 0 (local.get 0)) (return)) (unreachable)))`)).toBe('valid');
    expect(verdict(`(module (func (param funcref) (result (ref func)) (local.get 0)))`)).toMatch(/^type mismatch/);
    expect(verdict(`(module (func (param i32) (drop (ref.as_non_null (local.get 0)))))`)).toMatch(/^type mismatch/);
  });

  it("br_on_non_null's label must take the reference last", () => {
    expect(verdict(`(module (func (param externref) (result (ref extern)) (block (result (ref extern)) (br_on_non_null 0 (local.get 0)) (unreachable))))`)).toBe('valid');
    expect(verdict(`(module (func (param externref) (block (br_on_non_null 0 (local.get 0)))))`)).toMatch(/^type mismatch/);
    expect(verdict(`(module (func (param externref) (result funcref) (block (result funcref) (br_on_non_null 0 (local.get 0)) (unreachable))))`)).toMatch(/^type mismatch/);
  });

  it('non-null locals must be set before use, for the rest of the block that sets them', () => {
    expect(verdict(`(module (func (param (ref extern)) (local (ref extern)) (local.set 1 (local.get 0)) (drop (local.get 1))))`)).toBe('valid');
    expect(verdict(`(module (func (local (ref extern)) (drop (local.get 0))))`)).toMatch(/^uninitialized local/);
    expect(verdict(`(module (func (param (ref extern)) (local (ref extern)) (block (local.set 1 (local.get 0))) (drop (local.get 1))))`)).toMatch(/^uninitialized local/);
    expect(verdict(`(module (func (param (ref extern)) (local (ref extern)) (local.tee 1 (local.get 0)) (block (drop (local.get 1))) (drop)))`)).toBe('valid');
    // Nullable locals have a default (null).
    expect(verdict(`(module (func (local externref) (drop (local.get 0))))`)).toBe('valid');
  });

  it('types refer to earlier types and themselves; other indices are unknown', () => {
    expect(verdict(`(module (type $r (func (param (ref $r)))))`)).toBe('valid');
    expect(verdict(`(module (type $a (func (param (ref $b)))) (type $b (func)))`)).toMatch(/^unknown type/);
    expect(verdict(`(module (func (local (ref 3))))`)).toMatch(/^unknown type/);
    expect(verdict(`(module (func (drop (ref.null 7))))`)).toMatch(/^unknown type/);
  });

  it('segments, tables and globals use subtyping', () => {
    expect(verdict(`(module (func $f) (table 1 funcref) (elem (table 0) (i32.const 0) (ref func) (ref.func $f)))`)).toBe('valid');
    expect(verdict(`(module (table 1 (ref func)))`)).toMatch(/^type mismatch/);
    expect(verdict(`(module (func $f) (global (ref func) (ref.func $f)))`)).toBe('valid');
    expect(verdict(`(module (global (ref func) (ref.null func)))`)).toMatch(/^type mismatch/);
    expect(verdict(`(module (global nullfuncref (ref.null nofunc)) (global funcref (ref.null nofunc)))`)).toBe('valid');
  });

  it('GC types stay refused by name; exception references are run', () => {
    expect(verdict(`(module (func (local anyref)))`)).toMatch(/garbage collection/);
    expect(verdict(`(module (func (local (ref null eq))))`)).toMatch(/garbage collection/);
    expect(verdict(`(module (func (local exnref)))`)).toBe('valid');
    expect(verdict(`(module (func (local (ref exn))))`)).toBe('valid');
    expect(verdict(`(module (func (local (ref exn)) (drop (local.get 0))))`)).toMatch(/uninitialized/);
  });

  it('validateBinary leaves typed references to the reference validator, with its verdict', () => {
    const good = encodeModule(parseWat(`(module ${T} (func (param (ref null $t)) (result i32) (call_ref $t (i32.const 1) (local.get 0))))`));
    expect(validateBinary(good).decidedBy).toBe('reference');
    const bad = encodeModule(parseWat(`(module ${T} (func (param funcref) (result i32) (call_ref $t (i32.const 1) (local.get 0))))`));
    expect(() => validateBinary(bad)).toThrow(/type mismatch/);
    const uninit = encodeModule(parseWat(`(module (func (local (ref extern)) (drop (local.get 0))))`));
    expect(() => validateBinary(uninit)).toThrow(/uninitialized local/);
  });
});
