// Validation of return_call and return_call_indirect (engine/valid/tail-call.ts): the
// callee's results must match the caller's, the code after them is unreachable, and the
// in-place checker (code-bytes.ts) decides the same without falling back. WebAssembly 2.0
// has no tail calls and keeps refusing them.
import { describe, expect, it } from 'vitest';
import { decodeModule, encodeModule } from '../binary/index.ts';
import { parseWat, printModule } from '../text/index.ts';
import { ValidationError, validateBinary, validateModule } from './index.ts';

const OK = `(module
  (type $t (func (param i32) (result i32)))
  (table 1 funcref)
  (func $f (param i32) (result i32) (local.get 0))
  (func (param i32) (result i32) (return_call $f (local.get 0)) (i64.const 1) (drop))
  (func (param i32) (result i32) (return_call_indirect (type $t) (local.get 0) (i32.const 0)) (f32.const 0) (drop)))`;

function validationError(wat: string): ValidationError {
  try {
    validateModule(parseWat(wat));
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('valid');
}

describe('tail call validation', () => {
  it('accepts tail calls whose callee returns what the caller does, with unreachable code after', () => {
    expect(() => validateModule(parseWat(OK))).not.toThrow();
  });

  it('refuses a callee whose results differ from the caller’s', () => {
    const e = validationError(`(module (func $f (result i64) (i64.const 1)) (func (result i32) (return_call $f)))`);
    expect(e.message).toMatch(/type mismatch: return_call returns the callee's results \[i64\] from a function that returns \[i32\]/);
    const e2 = validationError(`(module (type $t (func)) (table 1 funcref) (func (result i32) (return_call_indirect (type $t) (i32.const 0))))`);
    expect(e2.message).toMatch(/type mismatch: return_call_indirect returns the callee's results \[\] from a function that returns \[i32\]/);
  });

  it('checks the arguments, the table index operand, the function, type and table', () => {
    expect(validationError(`(module (func $f (param i32)) (func (return_call $f (i64.const 0))))`).message).toMatch(/type mismatch/);
    expect(validationError(`(module (type $t (func)) (table 1 funcref) (func (return_call_indirect (type $t))))`).message).toMatch(/type mismatch/);
    expect(validationError(`(module (func (return_call 5)))`).message).toMatch(/unknown function 5/);
    expect(validationError(`(module (table 1 funcref) (func (return_call_indirect (type 3) (i32.const 0))))`).message).toMatch(/unknown type 3/);
    expect(validationError(`(module (type $t (func)) (func (return_call_indirect (type $t) (i32.const 0))))`).message).toMatch(/unknown table 0/);
    expect(validationError(`(module (type $t (func)) (table 1 externref) (func (return_call_indirect (type $t) (i32.const 0))))`).message).toMatch(/type mismatch/);
  });

  it('checks return_call_ref: a reference of the type, and the results', () => {
    expect(() => validateModule(parseWat(`(module (type $t (func (result i32))) (func $f (type $t) (i32.const 1)) (elem declare func $f)
      (func (result i32) (return_call_ref $t (ref.func $f))))`))).not.toThrow();
    expect(validationError(`(module (type $t (func (result i64))) (func (result i32) (return_call_ref $t (ref.null $t))))`).message)
      .toMatch(/type mismatch: return_call_ref returns the callee's results \[i64\] from a function that returns \[i32\]/);
    expect(validationError(`(module (type $t (func)) (func (return_call_ref $t (i32.const 0))))`).message).toMatch(/type mismatch/);
    expect(validationError(`(module (func (return_call_ref 4 (ref.null func))))`).message).toMatch(/unknown type 4/);
  });

  it('is decided in place from the bytes, with the same verdict', () => {
    const bytes = encodeModule(parseWat(OK));
    expect(validateBinary(bytes).decidedBy).toBe('bytes');
    const bad = encodeModule(parseWat(`(module (func $f (result i64) (i64.const 1)) (func (result i32) (return_call $f)))`, { version: '3.0' }));
    expect(() => validateBinary(bad)).toThrow(/type mismatch: return_call returns/);
  });

  it('prints as text that reads back to the same bytes', () => {
    const m = parseWat(OK);
    const text = printModule(m);
    expect(text).toMatch(/return_call \$f/);
    expect(text).toMatch(/return_call_indirect \(type \$t\)/);
    expect(encodeModule(parseWat(text))).toEqual(encodeModule(m));
  });

  it('stays refused in WebAssembly 2.0', () => {
    const m = decodeModule(encodeModule(parseWat(OK)));
    expect(() => validateModule(m, { version: '2.0' })).toThrow(/wasmstep does not execute tail calls yet/);
    expect(() => validateBinary(encodeModule(parseWat(OK)), { version: '2.0' })).toThrow(/tail calls/);
    expect(() => parseWat(OK, { version: '2.0' })).toThrow(/unknown operator return_call/);
  });
});
