// Tail calls (return_call, return_call_indirect; engine/exec/tail-call.ts): the callee's
// frame replaces the caller's, so tail recursion runs in constant frame depth under any
// call-depth limit; a tail call to a host function is a call and then a return.
import { describe, expect, it } from 'vitest';
import { parseWat } from '../text/index.ts';
import { instantiate, type Imports } from './instantiate.ts';
import { frames } from './inspect.ts';
import { exportedFunction, invoke } from './invoke.ts';
import { limitsWith } from './limits.ts';
import { Machine } from './machine.ts';

const SMALL = limitsWith({ maxCallDepth: 100 });
const load = (wat: string, imports: Imports = {}) => instantiate(parseWat(wat), imports, { limits: SMALL });

const LOOPS = `(module
  (type $i64_to_i64 (func (param i64 i64) (result i64)))
  (table funcref (elem $sum_indirect))
  ;; sum(n, acc) = acc + n + (n-1) + … + 1, by tail recursion
  (func $sum (export "sum") (param $n i64) (param $acc i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (local.get $acc))
      (else (return_call $sum (i64.sub (local.get $n) (i64.const 1)) (i64.add (local.get $acc) (local.get $n))))))
  ;; the same through the table
  (func $sum_indirect (export "sum_indirect") (param $n i64) (param $acc i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (local.get $acc))
      (else (return_call_indirect (type $i64_to_i64)
        (i64.sub (local.get $n) (i64.const 1)) (i64.add (local.get $acc) (local.get $n)) (i32.const 0)))))
  ;; the same with a plain call: needs a frame per iteration
  (func $sum_call (export "sum_call") (param $n i64) (param $acc i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (local.get $acc))
      (else (call $sum_call (i64.sub (local.get $n) (i64.const 1)) (i64.add (local.get $acc) (local.get $n))))))
  (func $even (export "even") (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0))
      (then (i32.const 1))
      (else (return_call $odd (i64.sub (local.get 0) (i64.const 1))))))
  (func $odd (export "odd") (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0))
      (then (i32.const 0))
      (else (return_call $even (i64.sub (local.get 0) (i64.const 1))))))
  ;; a tail call from a frame with more locals than the callee's parameters
  (func (export "from_locals") (param i64) (result i64) (local f64 v128 i32)
    (local.set 3 (i32.const 7))
    (return_call $sum (local.get 0) (i64.extend_i32_u (local.get 3))))
)`;

describe('return_call and return_call_indirect', () => {
  const inst = load(LOOPS);
  const n = 1_000_000n;
  const total = (n * (n + 1n)) / 2n;

  it('runs a 1,000,000-iteration tail-recursive loop under a call-depth limit of 100', () => {
    expect(invoke(inst, 'sum', [n, 0n])).toEqual([total]);
    expect(invoke(inst, 'sum_indirect', [n, 0n])).toEqual([total]);
  });

  it('keeps the frame depth constant while it runs', () => {
    const m = new Machine(SMALL);
    m.start(exportedFunction(inst, 'sum'), [1000n, 0n]);
    let deepest = 0;
    while (m.step() === 'paused') deepest = Math.max(deepest, m.depth);
    expect(m.status).toBe('done');
    expect(deepest).toBe(1);
    expect(m.results()).toEqual([500500n]);
  });

  it('the same loop with a plain call exhausts the call stack (the limit is real)', () => {
    expect(() => invoke(inst, 'sum_call', [n, 0n])).toThrow(/call stack exhausted/);
    expect(invoke(inst, 'sum_call', [50n, 0n])).toEqual([1275n]);
  });

  it('runs even/odd mutual recursion a million deep', () => {
    expect(invoke(inst, 'even', [1_000_000n])).toEqual([1]);
    expect(invoke(inst, 'odd', [1_000_001n])).toEqual([1]);
    expect(invoke(inst, 'even', [999_999n])).toEqual([0]);
  });

  it('moves the arguments down over the caller’s locals, and zeroes the callee’s', () => {
    expect(invoke(inst, 'from_locals', [3n])).toEqual([13n]);
  });

  it('traps like call_indirect, in the caller, on a bad table element or type', () => {
    const t = load(`(module (type $v (func)) (type $i (func (result i32)))
      (table funcref (elem $f))
      (func $f (result i32) (i32.const 1))
      (func (export "oob") (result i32) (return_call_indirect (type $i) (i32.const 5)))
      (func (export "wrong") (return_call_indirect (type $v) (i32.const 0))))`);
    expect(() => invoke(t, 'oob')).toThrow(/undefined element/);
    expect(() => invoke(t, 'wrong')).toThrow(/indirect call type mismatch/);
  });
});

describe('inspecting a machine after a tail call', () => {
  it('reads the caller’s waiting operands from its own call, not from the replaced callee’s type', () => {
    const inst = load(`(module
      (func $wide (param i64 i64) (result i32) (i32.wrap_i64 (i64.add (local.get 0) (local.get 1))))
      (func $narrow (param i32) (result i32) (return_call $wide (i64.const 1) (i64.extend_i32_u (local.get 0))))
      (func (export "main") (result i32) (i32.const 7) (i32.const 40) (call $narrow) (i32.add)))`);
    const m = new Machine(SMALL);
    m.start(exportedFunction(inst, 'main'), []);
    while (m.step() === 'paused' && !(m.depth === 2 && m.fn!.index === 0));
    const [main, wide] = frames(m);
    expect(main!.stack.map((v) => v.value)).toEqual([7]);
    expect(wide!.funcIndex).toBe(0);
    expect(m.run()).toBe('done');
    expect(m.results()).toEqual([48]);
  });
});

describe('return_call_ref', () => {
  const inst = load(`(module
    (type $step (func (param i64 i64) (result i64)))
    (elem declare func $sum)
    (func $sum (export "sum") (type $step) (param $n i64) (param $acc i64) (result i64)
      (if (result i64) (i64.eqz (local.get $n))
        (then (local.get $acc))
        (else (return_call_ref $step (i64.sub (local.get $n) (i64.const 1)) (i64.add (local.get $acc) (local.get $n)) (ref.func $sum)))))
    (func (export "null") (result i64)
      (return_call_ref $step (i64.const 1) (i64.const 2) (ref.null $step))))`);

  it('runs a 1,000,000-iteration loop through a function reference under a call-depth limit of 100', () => {
    expect(invoke(inst, 'sum', [1_000_000n, 0n])).toEqual([500000500000n]);
  });

  it('traps on a null reference', () => {
    expect(() => invoke(inst, 'null')).toThrow(/null function reference/);
  });
});

describe('a tail call to a host function', () => {
  const seen: number[] = [];
  const inst = load(`(module
    (import "env" "twice" (func $twice (param i32) (result i32)))
    (func $outer (export "outer") (param i32) (result i32) (i32.add (call $inner (local.get 0)) (i32.const 1)))
    (func $inner (export "inner") (param i32) (result i32) (return_call $twice (local.get 0))))`, {
    env: { twice: (x: unknown) => { seen.push(x as number); return 2 * (x as number); } },
  });

  it('calls it and returns its results from the outermost frame: the call is done', () => {
    const m = new Machine(SMALL);
    m.start(exportedFunction(inst, 'inner'), [21]);
    expect(m.step()).toBe('paused'); // local.get
    expect(m.step()).toBe('done'); // return_call $twice
    expect(m.results()).toEqual([42]);
  });

  it('returns its results to the caller of the frame that made it', () => {
    expect(invoke(inst, 'outer', [5])).toEqual([11]);
    expect(seen).toEqual([21, 5]);
  });
});
