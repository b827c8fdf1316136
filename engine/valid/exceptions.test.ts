// Validation of exception handling: tag types, throw's operands, try_table's catch clauses
// against their labels, the legacy try/catch/delegate/rethrow rules.

import { describe, expect, it } from 'vitest';
import { parseWat } from '../text/index.ts';
import { validateModule } from './index.ts';

const check = (wat: string) => () => validateModule(parseWat(wat));

describe('exception handling validation', () => {
  it('accepts well-typed throws, catches and exnrefs', () => {
    expect(check(`(module (tag $e (param i32))
      (func (param i32) (result i32)
        (block $h (result i32 exnref)
          (try_table (result i32) (catch_ref $e $h) (throw $e (local.get 0)))
          (unreachable))
        (drop))
      (func (result exnref) (block $h (result exnref) (try_table (catch_all_ref $h) (unreachable)) (unreachable)))
      (func (try (do (nop)) (catch $e (drop)) (catch_all (rethrow 0)))))`)).not.toThrow();
  });

  it('lets catch_ref and catch_all_ref deliver a non-null (ref exn)', () => {
    expect(check(`(module (tag $e)
      (func (result (ref exn)) (block $h (result (ref exn)) (try_table (catch_ref $e $h) (unreachable)) (unreachable)))
      (func (result (ref exn)) (block $h (result (ref exn)) (try_table (catch_all_ref $h) (unreachable)) (unreachable))))`)).not.toThrow();
  });

  it('checks tag types: known, with no results', () => {
    expect(check('(module (type (func (result i32))) (tag (type 0)))')).toThrow(/non-empty tag result type/);
    expect(check('(module (type (func (result i32))) (import "" "" (tag (type 0))))')).toThrow(/non-empty tag result type/);
  });

  it('checks throw operands and tag indices', () => {
    expect(check('(module (tag (param i32)) (func (throw 0)))')).toThrow(/type mismatch/);
    expect(check('(module (tag (param i32)) (func (i64.const 1) (throw 0)))')).toThrow(/type mismatch/);
    expect(check('(module (func (i32.const 0) (throw_ref)))')).toThrow(/type mismatch/);
    expect(() => validateModule({ ...parseWat('(module (tag) (func (throw 0)))'), tags: [] })).toThrow(/unknown tag 0/);
  });

  it('checks each catch clause against its label, outside the try_table', () => {
    expect(check('(module (tag) (func (result exnref) (try_table (catch 0 0)) (unreachable)))')).toThrow(/type mismatch/);
    expect(check('(module (func (try_table (catch_all_ref 0))))')).toThrow(/type mismatch/);
    expect(check('(module (tag (param i64)) (func (result i32 exnref) (try_table (result i32) (catch_ref 0 0) (i32.const 42))))')).toThrow(/type mismatch/);
    expect(check('(module (func (block (try_table (catch_all 1)))))')).not.toThrow();
    expect(check('(module (func (block (try_table (catch_all 2)))))')).toThrow(/unknown label/);
  });

  it('checks rethrow labels and the try body types', () => {
    expect(check('(module (func (rethrow 0)))')).toThrow(/invalid rethrow label/);
    expect(check('(module (func (block (rethrow 0))))')).toThrow(/invalid rethrow label/);
    expect(check('(module (func (try (do (rethrow 0)) (delegate 0))))')).toThrow(/invalid rethrow label/);
    expect(check('(module (func (result i32) (try (result i32) (do))))')).toThrow(/type mismatch/);
    expect(check('(module (tag) (func (try (do) (catch 0 (i32.const 42)))))')).toThrow(/type mismatch/);
  });
});
