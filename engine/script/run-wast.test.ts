// The .wast runner must tell passing from failing commands: each assertion kind is run
// once where it holds and once where it must fail, so a runner that passed everything
// would be caught.
import { describe, expect, it } from 'vitest';
import { runWast } from './run-wast.ts';

function outcomes(script: string): (string | true)[] {
  return runWast(script).results.map((r) => (r.passed ? true : `${r.type}: ${r.reason}`));
}

describe('runWast', () => {
  it('checks assert_return values bit for bit, NaN patterns and v128 lanes', () => {
    const r = outcomes(`
      (module
        (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
        (func (export "nan") (result f32) (f32.div (f32.const 0) (f32.const 0)))
        (func (export "negnan") (result f64) (f64.neg (f64.const nan:0x4)))
        (func (export "v") (result v128) (v128.const i32x4 1 2 3 -1))
        (func (export "two") (result i64 f64) (i64.const -1) (f64.const -0)))
      (assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
      (assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 4))
      (assert_return (invoke "nan") (f32.const nan:canonical))
      (assert_return (invoke "nan") (f32.const nan:arithmetic))
      (assert_return (invoke "negnan") (f64.const -nan:0x4))
      (assert_return (invoke "negnan") (f64.const nan:arithmetic))
      (assert_return (invoke "v") (v128.const i32x4 1 2 3 -1))
      (assert_return (invoke "v") (v128.const i16x8 1 0 2 0 3 0 -1 -1))
      (assert_return (invoke "v") (v128.const i32x4 1 2 3 4))
      (assert_return (invoke "two") (i64.const -1) (f64.const -0))
      (assert_return (invoke "two") (i64.const -1) (f64.const 0))
      (assert_return (invoke "two") (i64.const -1))
    `);
    expect(r[0]).toBe(true);
    expect(r[1]).toBe(true);
    expect(r[2]).toMatch(/expected i32 4, got i32 3/);
    expect(r.slice(3, 6)).toEqual([true, true, true]);
    expect(r[6]).toMatch(/expected f64 nan:arithmetic/); // nan:0x4 is not quiet
    expect(r.slice(7, 9)).toEqual([true, true]);
    expect(r[9]).toMatch(/result 0/);
    expect(r[10]).toBe(true);
    expect(r[11]).toMatch(/result 1/);
    expect(r[12]).toMatch(/expected 1 results, got 2/);
  });

  it('checks trap messages by prefix, and that a trap happens at all', () => {
    const r = outcomes(`
      (module (func (export "div") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0))))
      (assert_trap (invoke "div" (i32.const 0)) "integer divide by zero")
      (assert_trap (invoke "div" (i32.const 0)) "integer divide")
      (assert_trap (invoke "div" (i32.const 0)) "integer overflow")
      (assert_trap (invoke "div" (i32.const 1)) "integer divide by zero")
    `);
    expect(r.slice(0, 3)).toEqual([true, true, true]);
    expect(r[3]).toMatch(/expected trap "integer overflow", got "integer divide by zero"/);
    expect(r[4]).toMatch(/got results i32 1/);
  });

  it('instantiates module definitions anew for each module instance', () => {
    const r = outcomes(`
      (module definition $M
        (global $g (mut i32) (i32.const 0))
        (func (export "bump") (result i32) (global.set $g (i32.add (global.get $g) (i32.const 1))) (global.get $g)))
      (assert_return (invoke "bump") (i32.const 1))
      (module instance $I1 $M)
      (module instance $I2 $M)
      (assert_return (invoke $I1 "bump") (i32.const 1))
      (assert_return (invoke $I1 "bump") (i32.const 2))
      (assert_return (invoke $I2 "bump") (i32.const 1))
      (assert_return (invoke "bump") (i32.const 2))
      (module instance)
      (assert_return (invoke "bump") (i32.const 1))
      (module instance $J $nope)
      (module definition (table 0xffff_ffff funcref))
    `);
    expect(r[0]).toBe(true);
    expect(r[1]).toMatch(/no module to act on/);
    expect(r.slice(2, 10)).toEqual([true, true, true, true, true, true, true, true]);
    expect(r[10]).toMatch(/unknown module definition \$nope/);
    expect(r[11]).toBe(true);
  });

  it('registers modules, links by name, and checks link errors and exhaustion', () => {
    const r = outcomes(`
      (module $A (func (export "f") (result i32) (i32.const 7)) (global (export "g") i32 (i32.const 9)))
      (register "A" $A)
      (module $B (import "A" "f" (func $f (result i32))) (func (export "g") (result i32) (call $f)))
      (assert_return (invoke $B "g") (i32.const 7))
      (assert_return (get $A "g") (i32.const 9))
      (assert_unlinkable (module (import "A" "f" (func (result i64)))) "incompatible import type")
      (assert_unlinkable (module (import "A" "nope" (func))) "unknown import")
      (assert_unlinkable (module (import "A" "f" (func (result i32)))) "unknown import")
      (module (func $r (export "r") (call $r)))
      (assert_exhaustion (invoke "r") "call stack exhausted")
      (module (import "spectest" "print_i32" (func (param i32))) (import "spectest" "global_f64" (global f64)))
    `);
    expect(r.slice(0, 7)).toEqual([true, true, true, true, true, true, true]);
    expect(r[7]).toMatch(/expected link error/);
    expect(r.slice(8)).toEqual([true, true, true]);
  });

  it('checks assert_exception, and registers modules exporting tags', () => {
    const r = outcomes(`
      (module $T (tag (export "e") (param i32)) (func (export "throw") (param i32) (throw 0 (local.get 0))))
      (register "T" $T)
      (module (import "T" "e" (tag $e (param i32))) (import "T" "throw" (func $throw (param i32)))
        (func (export "caught") (result i32) (block $h (result i32) (try_table (catch $e $h) (call $throw (i32.const 4))) (i32.const 0))))
      (assert_return (invoke "caught") (i32.const 4))
      (assert_exception (invoke $T "throw" (i32.const 1)))
      (assert_exception (invoke "caught"))
      (assert_unlinkable (module (import "T" "e" (tag (param f32)))) "incompatible import type")
    `);
    expect(r.slice(0, 5)).toEqual([true, true, true, true, true]);
    expect(r[5]).toMatch(/expected an uncaught exception, got results i32 4/);
    expect(r[6]).toBe(true);
  });

  it('tells malformed from invalid modules, and checks instantiation traps', () => {
    const r = outcomes(`
      (assert_malformed (module quote "(func (i32.const))") "unexpected token")
      (assert_malformed (module binary "\\00asm\\02\\00\\00\\00") "unknown binary version")
      (assert_invalid (module (func (result i32) (i64.const 0))) "type mismatch")
      (assert_invalid (module (func (result i32) (i32.const 0))) "type mismatch")
      (assert_malformed (module (func (result i32) (i64.const 0))) "type mismatch")
      (assert_trap (module (memory 0) (data (i32.const 1) "x")) "out of bounds memory access")
      (assert_trap (module (memory 1) (data (i32.const 1) "x")) "out of bounds memory access")
    `);
    expect(r.slice(0, 3)).toEqual([true, true, true]);
    expect(r[3]).toMatch(/but it validated/);
    expect(r[4]).toMatch(/got invalid/);
    expect(r[5]).toBe(true);
    expect(r[6]).toMatch(/expected instantiation to trap/);
  });
});

describe('custom sections and annotations (3.0)', () => {
  it('passes assert_malformed_custom and assert_invalid_custom when the module is well-formed without them', () => {
    expect(outcomes(`(assert_malformed_custom (module quote "(module (@name \\"M1\\") (@name \\"M2\\"))") "@name annotation: multiple module")
      (assert_invalid_custom (module quote "(func (@metadata.code.branch_hint \\"\\\\01\\"))") "invalid")
      (assert_malformed_custom (module quote "(module (func (bogus)))") "whatever")`)).toEqual([true, true, expect.stringMatching(/malformed beyond/)]);
  });
});

describe('module definitions and instances (3.0 scripts)', () => {
  it('checks a module definition without instantiating it, and instantiates it on demand, each time anew', () => {
    expect(outcomes(`(module definition (table i64 0xffff_ffff_ffff_ffff funcref))
      (module definition $M (global (export "g") (mut i32) (i32.const 0)) (func (export "inc") (result i32) (global.set 0 (i32.add (global.get 0) (i32.const 1))) (global.get 0)))
      (module instance $I1 $M)
      (module instance $I2 $M)
      (assert_return (invoke $I1 "inc") (i32.const 1))
      (assert_return (invoke $I1 "inc") (i32.const 2))
      (assert_return (invoke $I2 "inc") (i32.const 1))
      (module instance $I3 $nope)`)).toEqual([true, true, true, true, true, true, true, expect.stringMatching(/unknown module definition \$nope/)]);
  });
});
