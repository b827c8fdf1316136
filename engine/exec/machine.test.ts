// The interpreter as a pausable machine: traps with their messages and locations,
// pause/resume equivalence, resource limits (call depth, value stack, step budget,
// memory.grow cap), and programs that exercise calls and memory.
import { describe, expect, it } from 'vitest';
import { parseWat } from '../text/index.ts';
import { instantiate } from './instantiate.ts';
import { callFunction, exportedFunction, invoke } from './invoke.ts';
import { limitsWith } from './limits.ts';
import { Machine } from './machine.ts';
import type { Instance } from './runtime.ts';
import { Trap } from './trap.ts';

function load(wat: string, imports = {}, limits = limitsWith()): Instance {
  return instantiate(parseWat(wat), imports, { limits });
}

function trap(run: () => unknown): Trap {
  try {
    run();
  } catch (e) {
    if (e instanceof Trap) return e;
    throw e;
  }
  throw new Error('expected a trap');
}

const FIB = `(module
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_s (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add
        (call $fib (i32.sub (local.get $n) (i32.const 1)))
        (call $fib (i32.sub (local.get $n) (i32.const 2))))))))`;

// Fills memory with a pattern, then sums it back as i64 with a mix of loads and stores.
const MEMORY_LOOP = `(module
  (memory 2)
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $sum i64)
    (loop $fill
      (i32.store (i32.shl (local.get $i) (i32.const 2)) (i32.mul (local.get $i) (i32.const 2654435761)))
      (i32.store8 offset=100000 (local.get $i) (local.get $i))
      (br_if $fill (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.set $i (i32.const 0))
    (block $done (loop $sum
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $sum (i64.add (local.get $sum)
        (i64.add (i64.load32_u (i32.shl (local.get $i) (i32.const 2)))
                 (i64.load8_s offset=100000 (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $sum)))
    (local.get $sum)))`;

function memoryLoopExpected(n: number): bigint {
  let sum = 0n;
  for (let i = 0; i < n; i++) sum += BigInt(Math.imul(i, 2654435761) >>> 0) + BigInt((i << 24) >> 24);
  return sum;
}

describe('programs', () => {
  it('computes fib recursively', () => {
    const inst = load(FIB);
    expect(invoke(inst, 'fib', [0])).toEqual([0]);
    expect(invoke(inst, 'fib', [1])).toEqual([1]);
    expect(invoke(inst, 'fib', [20])).toEqual([6765]);
  });

  it('runs a memory-heavy loop', () => {
    const inst = load(MEMORY_LOOP);
    expect(invoke(inst, 'run', [20000])).toEqual([memoryLoopExpected(20000)]);
  });

  it('branches carry values out of blocks, loops with params and br_table', () => {
    const inst = load(`(module
      (func (export "classify") (param i32) (result i32)
        (block $c (result i32)
          (block $b (result i32)
            (block $a (result i32)
              (br_table $a $b $c (i32.const 100) (local.get 0)))
            (return (i32.add (i32.const 10))))
          (i32.add (i32.const 20))))
      (func (export "sum") (param $n i32) (result i32)
        (i32.const 0) (local.get $n)
        (loop $l (param i32 i32) (result i32)
          (local.set $n)
          (if (param i32) (result i32) (i32.eqz (local.get $n))
            (then)
            (else
              (local.get $n) (i32.add)
              (local.get $n) (i32.const 1) (i32.sub)
              (br $l)))))
      (func (export "deep") (result i64)
        (block $out (result i64)
          (i64.const 7)
          (block (result i32) (i32.const 1) (i32.const 2) (i32.const 3) (br_if $out (i64.const 42) (i32.const 1)) (drop) (drop) (drop))
          (drop))))`);
    expect(invoke(inst, 'classify', [0])).toEqual([110]);
    expect(invoke(inst, 'classify', [1])).toEqual([120]);
    expect(invoke(inst, 'classify', [2])).toEqual([100]);
    expect(invoke(inst, 'classify', [99])).toEqual([100]);
    expect(invoke(inst, 'sum', [10])).toEqual([55]);
    expect(invoke(inst, 'deep', [])).toEqual([42n]);
  });

  it('calls host functions and functions of other instances, through tables too', () => {
    const seen: unknown[] = [];
    const a = load(`(module
      (import "host" "log" (func $log (param i32 f64)))
      (import "host" "pair" (func $pair (param i32) (result i32 i64)))
      (table (export "t") 2 funcref)
      (elem (i32.const 0) $double)
      (func $double (export "double") (param i32) (result i32) (call $log (local.get 0) (f64.const 0.5)) (i32.mul (local.get 0) (i32.const 2)))
      (func (export "pair") (param i32) (result i64) (local $t i64)
        (call $pair (local.get 0)) (local.set $t) (i64.extend_i32_s) (local.get $t) (i64.add)))`, {
      host: {
        log: (x: unknown, y: unknown) => void seen.push(x, y),
        pair: (x: unknown) => [Number(x) + 1, 100n],
      },
    });
    expect(invoke(a, 'double', [21])).toEqual([42]);
    expect(seen).toEqual([21, 0.5]);
    expect(invoke(a, 'pair', [1])).toEqual([102n]);
    const b = load(`(module
      (import "a" "double" (func $d (param i32) (result i32)))
      (import "a" "t" (table 2 funcref))
      (type $t (func (param i32) (result i32)))
      (func (export "quad") (param i32) (result i32) (call $d (call $d (local.get 0))))
      (func (export "via_table") (param i32) (result i32) (call_indirect (type $t) (local.get 0) (i32.const 0))))`,
      { a: { double: a.exports.get('double')!, t: a.exports.get('t')! } });
    expect(invoke(b, 'quad', [3])).toEqual([12]);
    expect(invoke(b, 'via_table', [5])).toEqual([10]);
  });

  it('keeps operands across value-stack growth in deep recursion', () => {
    const inst = load(`(module (func $sum (export "sum") (param i64) (result i64)
      (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 0))
        (else (i64.add (local.get 0) (call $sum (i64.sub (local.get 0) (i64.const 1))))))))`);
    expect(invoke(inst, 'sum', [9000n])).toEqual([40504500n]);
  });

  it('sees memory grown by a callee or by a host function', () => {
    let mem: unknown;
    const inst = load(`(module
      (import "h" "grow" (func $hgrow))
      (memory (export "m") 1)
      (func $grow (drop (memory.grow (i32.const 1))) (i32.store (i32.const 70000) (i32.const 5)))
      (func (export "f") (result i32) (call $grow) (i32.load (i32.const 70000)))
      (func (export "g") (result i32) (call $hgrow) (i32.store (i32.const 140000) (i32.const 6)) (i32.load (i32.const 140000))))`,
    { h: { grow: () => void (mem as { grow(n: number): number }).grow(1) } });
    mem = inst.exports.get('m');
    expect(invoke(inst, 'f')).toEqual([5]);
    expect(invoke(inst, 'g')).toEqual([6]);
  });

  it('passes host exceptions through unchanged', () => {
    const boom = new Error('boom');
    const inst = load(`(module (import "h" "f" (func $f)) (func (export "go") (call $f)))`, {
      h: { f: () => { throw boom; } },
    });
    expect(() => invoke(inst, 'go')).toThrow(boom);
  });

  it('calls an exported host function directly with its arguments', () => {
    const inst = load(`(module (import "h" "f" (func $f (param i32 i64) (result i64))) (export "f" (func $f)))`, {
      h: { f: (a: unknown, b: unknown) => BigInt(a as number) * (b as bigint) },
    });
    expect(invoke(inst, 'f', [6, 7n])).toEqual([42n]);
  });
});

describe('traps', () => {
  const inst = load(`(module
    (import "env" "h" (func $h))
    (memory 1)
    (table 2 funcref)
    (type $v (func))
    (func $ok)
    (elem (i32.const 0) $ok)
    (func (export "unreachable") (nop) (unreachable))
    (func (export "oob") (result i32) (i32.load offset=65533 (i32.const 0)))
    (func (export "oob-store") (i64.store (i32.const 65529) (i64.const 0)))
    (func (export "oob-wrap") (result i32) (i32.load offset=4294967295 (i32.const 1)))
    (func (export "undefined") (call_indirect (type $v) (i32.const 7)))
    (func (export "uninitialized") (call_indirect (type $v) (i32.const 1)))
    (func (export "mismatch") (call_indirect (param i32) (i32.const 1) (i32.const 0)))
    (func (export "nested") (call 2))
    (func (export "host") (call $h)))`,
  { env: { h: () => { throw new Trap('unreachable'); } } });

  it('have the spec messages', () => {
    expect(trap(() => invoke(inst, 'unreachable')).specMessage).toBe('unreachable');
    expect(trap(() => invoke(inst, 'oob')).specMessage).toBe('out of bounds memory access');
    expect(trap(() => invoke(inst, 'oob-store')).specMessage).toBe('out of bounds memory access');
    expect(trap(() => invoke(inst, 'oob-wrap')).specMessage).toBe('out of bounds memory access');
    expect(trap(() => invoke(inst, 'undefined')).specMessage).toBe('undefined element 7');
    expect(trap(() => invoke(inst, 'uninitialized')).specMessage).toBe('uninitialized element 1');
    expect(trap(() => invoke(inst, 'mismatch')).specMessage).toBe('indirect call type mismatch');
    expect(trap(() => invoke(inst, 'host')).specMessage).toBe('unreachable');
  });

  it('say where they happened: function index and body position', () => {
    const t = trap(() => invoke(inst, 'unreachable'));
    // the host import is function 0, $ok is 1, "unreachable" is 2; position 1 is `unreachable`
    expect(t.funcIndex).toBe(2);
    expect(t.position).toBe(1);
    const n = trap(() => invoke(inst, 'nested'));
    expect(n.specMessage).toBe('unreachable');
    expect([n.funcIndex, n.position]).toEqual([2, 1]);
    const m = trap(() => invoke(inst, 'oob'));
    expect([m.funcIndex, m.position]).toEqual([3, 1]);
    expect(m.message).toContain('in function 3, instruction 1');
  });

  it('leave the machine inspectable at the trapping instruction', () => {
    const mc = new Machine();
    mc.start(exportedFunction(inst, 'oob'), []);
    expect(mc.run()).toBe('trapped');
    expect(mc.trap?.specMessage).toBe('out of bounds memory access');
    expect(mc.position).toBe(1);
    expect(mc.fn?.code.func.body[mc.position]?.op).toBe('i32.load');
    expect(mc.run()).toBe('trapped'); // stays trapped
  });
});

describe('pause and resume', () => {
  it('running with budget 1 repeatedly matches one run: results, steps, memory', () => {
    const inst1 = load(MEMORY_LOOP);
    const inst2 = load(MEMORY_LOOP);
    const whole = new Machine();
    whole.start(exportedFunction(inst1, 'run'), [300]);
    expect(whole.run()).toBe('done');
    const stepped = new Machine();
    stepped.start(exportedFunction(inst2, 'run'), [300]);
    let n = 0;
    while (stepped.step() === 'paused') n++;
    expect(stepped.status).toBe('done');
    expect(stepped.results()).toEqual(whole.results());
    expect(stepped.steps).toBe(whole.steps);
    expect(n + 1).toBe(whole.steps);
    expect(inst2.mems[0]!.bytes).toEqual(inst1.mems[0]!.bytes);
  });

  it('any split of the budget gives the same run', () => {
    const inst = load(FIB);
    const whole = new Machine();
    whole.start(exportedFunction(inst, 'fib'), [12]);
    whole.run();
    for (const chunk of [1, 2, 3, 7, 64, 1000]) {
      const m = new Machine();
      m.start(exportedFunction(inst, 'fib'), [12]);
      let calls = 0;
      while (m.run(chunk) === 'paused') calls++;
      expect(m.results()).toEqual([144]);
      expect(m.steps).toBe(whole.steps);
      expect(calls).toBe(Math.ceil(whole.steps / chunk) - 1);
    }
  });

  it('step runs exactly one instruction, block and end included', () => {
    const inst = load(`(module (func (export "f") (result i32) (block (result i32) (i32.const 1))))`);
    const m = new Machine();
    m.start(exportedFunction(inst, 'f'), []);
    const positions: number[] = [];
    while (m.status === 'paused') {
      positions.push(m.position);
      m.step();
    }
    // block, i32.const, end, then the function's implicit end (position 3)
    expect(positions).toEqual([0, 1, 2, 3]);
    expect(m.steps).toBe(4);
    expect(m.results()).toEqual([1]);
  });
});

describe('limits', () => {
  it('a step budget stops an infinite loop, and the run can go on', () => {
    const inst = load(`(module (func (export "spin") (loop $l (br $l))))`);
    const m = new Machine();
    m.start(exportedFunction(inst, 'spin'), []);
    expect(m.run(1_000_000)).toBe('paused');
    expect(m.steps).toBe(1_000_000);
    expect(m.run(5)).toBe('paused');
    expect(m.steps).toBe(1_000_005);
    expect(trap(() => invoke(inst, 'spin', [], { budget: 10_000 })).specMessage).toBe('step budget exhausted');
  });

  it('unbounded recursion traps "call stack exhausted" at the configured depth', () => {
    const inst = load(`(module (func $f (export "f") (param i32) (result i32) (i32.add (i32.const 1) (call $f (local.get 0)))))`);
    const m = new Machine(limitsWith({ maxCallDepth: 500 }));
    m.start(exportedFunction(inst, 'f'), [0]);
    expect(m.run()).toBe('trapped');
    expect(m.trap?.specMessage).toBe('call stack exhausted');
    expect(m.depth).toBe(500);
    const d = new Machine();
    d.start(exportedFunction(inst, 'f'), [0]);
    expect(d.run()).toBe('trapped');
    expect(d.depth).toBe(10_000);
  });

  it('the value stack cap also ends deep recursion with a trap', () => {
    const inst = load(`(module (func $f (export "f") (param v128) (local v128 v128 v128) (call $f (local.get 0))))`);
    const m = new Machine(limitsWith({ maxStackSlots: 4096, maxCallDepth: 1_000_000 }));
    m.start(exportedFunction(inst, 'f'), [new Uint8Array(16)]);
    expect(m.run()).toBe('trapped');
    expect(m.trap?.specMessage).toBe('call stack exhausted');
    expect(m.capacity).toBeLessThanOrEqual(4096);
    // even the first frame can be too big: the start traps instead of throwing
    const big = load(`(module (func (export "f") (local ${'v128 '.repeat(3000)})))`);
    const b = new Machine(limitsWith({ maxStackSlots: 4096 }));
    b.start(exportedFunction(big, 'f'), []);
    expect(b.status).toBe('trapped');
    expect(b.run()).toBe('trapped');
    expect(b.trap?.specMessage).toBe('call stack exhausted');
  });

  it('a bad host argument leaves the machine idle', () => {
    const inst = load(FIB);
    const m = new Machine();
    expect(() => m.start(exportedFunction(inst, 'fib'), [1n])).toThrow(TypeError);
    expect(m.status).toBe('idle');
    expect(m.run()).toBe('idle');
  });

  it('memory.grow beyond the page cap returns -1 and leaves the memory as it was', () => {
    const wat = `(module (memory (export "m") 1)
      (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
      (func (export "size") (result i32) (memory.size)))`;
    const inst = load(wat, {}, limitsWith({ maxMemoryPages: 4 }));
    expect(invoke(inst, 'grow', [2])).toEqual([1]);
    expect(invoke(inst, 'grow', [2])).toEqual([-1]);
    expect(invoke(inst, 'grow', [1])).toEqual([3]);
    expect(invoke(inst, 'grow', [0])).toEqual([4]);
    expect(invoke(inst, 'size', [])).toEqual([4]);
    expect(inst.mems[0]!.byteLength).toBe(4 * 65536);
    expect(invoke(inst, 'grow', [-1])).toEqual([-1]);
  });

  it('a memory larger than the cap fails instantiation with a trap, not a crash', () => {
    expect(() => load(`(module (memory 10))`, {}, limitsWith({ maxMemoryPages: 4 }))).toThrow(Trap);
  });

  it('host re-entry is bounded', () => {
    let inst: Instance | undefined;
    inst = load(`(module (import "h" "f" (func $f)) (func (export "go") (call $f)))`, {
      h: { f: () => { callFunction(exportedFunction(inst!, 'go'), []); } },
    });
    expect(trap(() => invoke(inst!, 'go')).specMessage).toBe('call stack exhausted');
  });
});
