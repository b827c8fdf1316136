// Exception handling in the interpreter: throw and catch across frames, payloads (NaN
// bits included), exnref, the legacy try/catch/delegate/rethrow, traps that are never
// caught, host functions that throw (WasmThrow and the onHostError hook), tag linking,
// and pausing between any two instructions around a throw.

import { describe, expect, it } from 'vitest';
import { parseWat } from '../text/index.ts';
import { ExceptionInstance, JS_TAG, TagInstance, WasmThrow } from './exceptions.ts';
import { hostFunction, instantiate } from './instantiate.ts';
import { callFunction, callFunctionTyped, exportedFunction, invoke } from './invoke.ts';
import { Machine } from './machine.ts';
import { LinkError, Trap } from './trap.ts';

const run = (wat: string, name: string, args: unknown[] = [], imports = {}) => invoke(instantiate(parseWat(wat), imports), name, args);

describe('throw and try_table', () => {
  // A C++-like program: the throw is two calls below the handler.
  const CPP = `(module
    (tag $overflow (param i32))
    (func $inner (param i32) (result i32)
      (if (i32.gt_s (local.get 0) (i32.const 5)) (then (throw $overflow (local.get 0))))
      (local.get 0))
    (func $middle (param i32) (result i32) (i32.add (call $inner (local.get 0)) (i32.const 1)))
    (func (export "outer") (param i32) (result i32)
      (block $h (result i32)
        (try_table (result i32) (catch $overflow $h) (call $middle (local.get 0)))
        (return))
      (i32.const 1000)
      (i32.add)))`;

  it('catches an exception thrown two frames down, with its payload', () => {
    expect(run(CPP, 'outer', [3])).toEqual([4]);
    expect(run(CPP, 'outer', [7])).toEqual([1007]);
  });

  it('pauses between any two instructions: the throw and its unwinding are one step', () => {
    const inst = instantiate(parseWat(CPP));
    const m = new Machine();
    m.start(exportedFunction(inst, 'outer'), [9]);
    const depths: number[] = [];
    while (m.status === 'paused') {
      depths.push(m.depth);
      m.step();
    }
    expect(m.results()).toEqual([1009]);
    // Three frames at the throw, one right after it.
    const at = depths.lastIndexOf(3);
    expect(depths[at + 1]).toBe(1);
    expect(m.lastThrow?.frames.map((f) => f.depth)).toEqual([2, 1, 0]);
    expect(m.lastThrow?.caught?.clause.kind).toBe('catch');
    expect(m.steps).toBe(depths.length);
  });

  it('leaves an uncaught exception as a WasmThrow, not a Trap, with its tag and payload', () => {
    const wat = `(module (tag $e (export "e") (param i32 i64)) (func (export "f") (throw $e (i32.const 1) (i64.const -2))))`;
    const inst = instantiate(parseWat(wat));
    let thrown: unknown;
    try {
      invoke(inst, 'f');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(WasmThrow);
    expect(thrown).not.toBeInstanceOf(Trap);
    const exn = (thrown as WasmThrow).exception;
    expect(exn.tag).toBe(inst.exports.get('e'));
    expect(exn.values).toEqual([1, -2n]);
  });

  it('never catches a trap, even with catch_all', () => {
    const wat = `(module (func (export "f")
      (block $h (try_table (catch_all $h) (unreachable)))))`;
    expect(() => run(wat, 'f')).toThrow(Trap);
  });

  it('keeps a NaN payload bit for bit', () => {
    const wat = `(module (tag $e (param f32 f64))
      (func (export "f") (result f32 f64)
        (block $h (result f32 f64)
          (try_table (catch $e $h) (throw $e (f32.const nan:0x200001) (f64.const -nan:0x4000000000001)))
          (unreachable))))`;
    const r = callFunctionTyped(exportedFunction(instantiate(parseWat(wat)), 'f'), []);
    expect(r).toMatchObject([{ type: 'f32', bits: 0x7fa00001 }, { type: 'f64', bits: 0xfff4000000000001n }]);
  });

  it('passes exnref around: catch_ref, catch_all_ref, throw_ref keep the same exception', () => {
    const wat = `(module (tag $e (param i32))
      (func $get (result exnref)
        (block $h (result exnref) (try_table (catch_all_ref $h) (throw $e (i32.const 42))) (unreachable)))
      (func (export "same") (result i32)
        (local $x exnref)
        (local.set $x (call $get))
        (block $h (result i32 exnref)
          (try_table (catch_ref $e $h) (throw_ref (local.get $x))) (unreachable))
        (drop))
      (func (export "null") (local $none exnref) (throw_ref (local.get $none))))`;
    expect(run(wat, 'same')).toEqual([42]);
    expect(() => run(wat, 'null')).toThrow(/null exception reference/);
  });

  it('takes the first matching clause, in order, and a loop label', () => {
    const wat = `(module (tag $a (param i32)) (tag $b (param i32))
      (func (export "f") (param i32) (result i32)
        (local $n i32)
        (local.get 0)
        (loop $again (param i32)
          (drop)
          (local.set $n (i32.add (local.get $n) (i32.const 1)))
          (if (i32.lt_s (local.get $n) (i32.const 3)) (then
            (try_table (catch $b $again) (catch $a $again) (throw $a (local.get $n))))))
        (local.get $n)))`;
    expect(run(wat, 'f', [0])).toEqual([3]);
  });
});

describe('legacy try', () => {
  it('catches with catch and catch_all, and rethrow throws the caught exception again', () => {
    const wat = `(module (tag $e (param i32)) (tag $f)
      (func (export "f") (param i32) (result i32)
        (try (result i32)
          (do (try (result i32)
                (do (if (local.get 0) (then (throw $e (i32.const 5)) ) (else (throw $f))) (i32.const 0))
                (catch $e (drop) (rethrow 0))
                (catch_all (i32.const 8))))
          (catch $e (i32.const 100) (i32.add)))))`;
    expect(run(wat, 'f', [1])).toEqual([105]);
    expect(run(wat, 'f', [0])).toEqual([8]);
  });

  it('delegates to an outer label, skipping the handlers in between, or to the caller', () => {
    const wat = `(module (tag $e)
      (func $thrower (throw $e))
      (func (export "outer") (result i32)
        (try $t (result i32)
          (do (try (result i32)
                (do (try (result i32) (do (call $thrower) (i32.const 0)) (delegate $t)))
                (catch_all (i32.const 1))))
          (catch_all (i32.const 2))))
      (func $to-caller (try (do (call $thrower)) (delegate 0)))
      (func (export "caller") (result i32)
        (try (result i32) (do (call $to-caller) (i32.const 0)) (catch $e (i32.const 3)))))`;
    expect(run(wat, 'outer')).toEqual([2]);
    expect(run(wat, 'caller')).toEqual([3]);
  });
});

describe('host functions and tags', () => {
  const wat = `(module
    (import "env" "tag" (tag $t (param i32)))
    (import "env" "host" (func $host))
    (func (export "f") (result i32)
      (block $h (result i32) (try_table (catch $t $h) (call $host)) (i32.const -1))))`;

  it("throws a host function's WasmThrow into wasm at the call", () => {
    const tag = new TagInstance({ params: ['i32'], results: [] }, 'env.tag');
    const host = () => {
      throw new WasmThrow(new ExceptionInstance(tag, [77]));
    };
    expect(run(wat, 'f', [], { env: { tag, host } })).toEqual([77]);
  });

  it('turns other host errors into exceptions through onHostError, or lets them through', () => {
    const tag = new TagInstance({ params: ['i32'], results: [] });
    const boom = new Error('boom');
    const imports = { env: { tag, host: () => { throw boom; } } };
    const inst = instantiate(parseWat(wat), imports, { onHostError: (e) => (e === boom ? new ExceptionInstance(tag, [5]) : undefined) });
    expect(invoke(inst, 'f')).toEqual([5]);
    expect(() => run(wat, 'f', [], imports)).toThrow(boom);
  });

  it('links tags by identity and exact type', () => {
    const tag = new TagInstance({ params: ['i32'], results: [] });
    const other = new TagInstance({ params: ['f32'], results: [] });
    const host = hostFunction([], [], () => {});
    expect(() => instantiate(parseWat(wat), { env: { tag: other, host } })).toThrow(LinkError);
    expect(() => instantiate(parseWat(wat), { env: { tag: host, host } })).toThrow(/incompatible import type/);
    const exporter = instantiate(parseWat(`(module (tag (export "t") (param i32)))`));
    const again = instantiate(parseWat(`(module (tag (export "t") (param i32)))`));
    expect(exporter.exports.get('t')).toBeInstanceOf(TagInstance);
    expect(exporter.exports.get('t')).not.toBe(again.exports.get('t'));
    // A tag of the same type from another instance is another tag: not caught by $t.
    const thrower = instantiate(parseWat(`(module (tag $x (export "x") (param i32)) (func (export "h") (throw $x (i32.const 1))))`));
    expect(() => run(wat, 'f', [], { env: { tag, host: exportedFunction(thrower, 'h') } })).toThrow(WasmThrow);
    expect(run(wat, 'f', [], { env: { tag: thrower.exports.get('x'), host: exportedFunction(thrower, 'h') } })).toEqual([1]);
  });

  it('has one JSTag of type [externref] -> []', () => {
    expect(JS_TAG.type).toEqual({ params: ['externref'], results: [] });
    expect(callFunction(hostFunction([], [], () => {}), [])).toEqual([]);
  });
});
