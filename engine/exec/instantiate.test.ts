// Instantiation: import matching and link errors, segment initialisation in the 2.0 order
// (with its traps and the writes that stay), the start function, exports, and the bulk
// memory / table instructions on passive segments.
import { describe, expect, it } from 'vitest';
import { parseWat } from '../text/index.ts';
import { hostFunction, hostGlobal, hostMemory, hostTable, instantiate, startFunction } from './instantiate.ts';
import { invoke } from './invoke.ts';
import { Machine } from './machine.ts';
import { MemoryInstance } from './memory.ts';
import { WasmFunction } from './runtime.ts';
import { LinkError, Trap } from './trap.ts';
import { GlobalInstance } from './values.ts';

function linkError(wat: string, imports: Parameters<typeof instantiate>[1]): string {
  try {
    instantiate(parseWat(wat), imports);
  } catch (e) {
    if (e instanceof LinkError) return e.specMessage;
    throw e;
  }
  return 'linked';
}

describe('imports', () => {
  it('an unknown import is a link error', () => {
    expect(linkError(`(module (import "m" "f" (func)))`, {})).toBe('unknown import');
    expect(linkError(`(module (import "m" "f" (func)))`, { m: {} })).toBe('unknown import');
  });

  it('types must match', () => {
    const f = hostFunction(['i32'], [], () => {});
    expect(linkError(`(module (import "m" "f" (func (param i32))))`, { m: { f } })).toBe('linked');
    expect(linkError(`(module (import "m" "f" (func (param i64))))`, { m: { f } })).toBe('incompatible import type');
    expect(linkError(`(module (import "m" "f" (global i32)))`, { m: { f } })).toBe('incompatible import type');
    const g = hostGlobal('i32', false, 1);
    expect(linkError(`(module (import "m" "g" (global i32)))`, { m: { g } })).toBe('linked');
    expect(linkError(`(module (import "m" "g" (global (mut i32))))`, { m: { g } })).toBe('incompatible import type');
    expect(linkError(`(module (import "m" "g" (global f32)))`, { m: { g } })).toBe('incompatible import type');
  });

  it('tables and memories match by element type and limits', () => {
    const t = hostTable('funcref', 10, 20);
    expect(linkError(`(module (import "m" "t" (table 10 funcref)))`, { m: { t } })).toBe('linked');
    expect(linkError(`(module (import "m" "t" (table 5 30 funcref)))`, { m: { t } })).toBe('linked');
    expect(linkError(`(module (import "m" "t" (table 11 funcref)))`, { m: { t } })).toBe('incompatible import type');
    expect(linkError(`(module (import "m" "t" (table 10 15 funcref)))`, { m: { t } })).toBe('incompatible import type');
    expect(linkError(`(module (import "m" "t" (table 10 externref)))`, { m: { t } })).toBe('incompatible import type');
    const mem = hostMemory(1);
    expect(linkError(`(module (import "m" "mem" (memory 1)))`, { m: { mem } })).toBe('linked');
    expect(linkError(`(module (import "m" "mem" (memory 1 2)))`, { m: { mem } })).toBe('incompatible import type');
    expect(linkError(`(module (import "m" "mem" (memory 2)))`, { m: { mem } })).toBe('incompatible import type');
    mem.grow(1);
    expect(linkError(`(module (import "m" "mem" (memory 2)))`, { m: { mem } })).toBe('linked');
  });

  it('a JS function takes the declared type; a resolver function can supply imports', () => {
    const inst = instantiate(parseWat(`(module (import "m" "add" (func $a (param i32 i32) (result i32)))
      (func (export "f") (result i32) (call $a (i32.const 2) (i32.const 3))))`),
    (module, name) => (module === 'm' && name === 'add' ? (a: unknown, b: unknown) => Number(a) + Number(b) : undefined));
    expect(invoke(inst, 'f')).toEqual([5]);
  });
});

describe('segments and start', () => {
  it('applies element then data segments in order; a failure keeps earlier writes', () => {
    const table = hostTable('funcref', 4);
    const memory = hostMemory(1);
    let error: unknown;
    try {
      instantiate(parseWat(`(module
        (import "m" "t" (table 4 funcref))
        (import "m" "mem" (memory 1))
        (func $f)
        (elem (i32.const 1) $f)
        (data (i32.const 10) "hi")
        (data (i32.const 65535) "xy"))`), { m: { t: table, mem: memory } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Trap);
    expect((error as Trap).specMessage).toBe('out of bounds memory access');
    expect(table.elements[1]).toBeInstanceOf(WasmFunction);
    expect([...memory.bytes.subarray(10, 12)]).toEqual([104, 105]);
    expect(memory.bytes[65535]).toBe(0); // the failing segment wrote nothing
  });

  it('an element segment out of bounds traps during instantiation', () => {
    expect(() => instantiate(parseWat(`(module (table 1 funcref) (func $f) (elem (i32.const 1) $f $f))`))).toThrow('out of bounds table access');
  });

  it('evaluates extended constant expressions over earlier defined globals (3.0)', () => {
    const inst = instantiate(parseWat(`(module
      (global $a i32 (i32.const 7))
      (global $b (export "b") i32 (i32.sub (i32.mul (global.get $a) (i32.const 3)) (i32.const 1)))
      (global $c (export "c") i64 (i64.mul (i64.const 0x100000000) (i64.const 0x100000001)))
      (memory (export "m") 1)
      (data (i32.add (global.get $b) (i32.const 2)) "*"))`));
    expect((inst.exports.get('b') as GlobalInstance).value).toBe(20);
    expect((inst.exports.get('c') as GlobalInstance).value).toBe(0x100000000n);
    expect((inst.exports.get('m') as MemoryInstance).bytes[22]).toBe(0x2a);
  });

  it('runs the start function, or leaves it to the caller', () => {
    const wat = `(module (global $g (export "g") (mut i32) (i32.const 0))
      (func $s (global.set $g (i32.const 42))) (start $s))`;
    const ran = instantiate(parseWat(wat));
    expect((ran.exports.get('g') as GlobalInstance).value).toBe(42);
    const later = instantiate(parseWat(wat), {}, { runStart: false });
    expect((later.exports.get('g') as GlobalInstance).value).toBe(0);
    const m = new Machine();
    m.start(startFunction(later)!, []);
    expect(m.run()).toBe('done');
    expect((later.exports.get('g') as GlobalInstance).value).toBe(42);
    expect(() => instantiate(parseWat(`(module (func $s (unreachable)) (start $s))`))).toThrow(Trap);
    expect(() => instantiate(parseWat(`(module (func $s (loop (br 0))) (start $s))`), {}, { startBudget: 1000 })).toThrow('step budget exhausted');
  });

  it('globals are initialised from imported globals and function references', () => {
    const inst = instantiate(parseWat(`(module
      (import "m" "base" (global $base i64))
      (global (export "copy") i64 (global.get $base))
      (global (export "f") funcref (ref.func $f))
      (func $f (export "fn")))`), { m: { base: hostGlobal('i64', false, 123n) } });
    expect((inst.exports.get('copy') as GlobalInstance).value).toBe(123n);
    expect((inst.exports.get('f') as GlobalInstance).value).toBe(inst.exports.get('fn'));
  });
});

describe('bulk memory and tables', () => {
  const inst = instantiate(parseWat(`(module
    (memory (export "mem") 1)
    (table $t 2 10 funcref)
    (func $one (result i32) (i32.const 1))
    (func $two (result i32) (i32.const 2))
    (elem $e func $one $two)
    (data $d "abcdef")
    (type $r (func (result i32)))
    (func (export "init") (param i32 i32 i32) (memory.init $d (local.get 0) (local.get 1) (local.get 2)))
    (func (export "drop") (data.drop $d))
    (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
    (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
    (func (export "tinit") (param i32 i32 i32) (table.init $t $e (local.get 0) (local.get 1) (local.get 2)))
    (func (export "edrop") (elem.drop $e))
    (func (export "call") (param i32) (result i32) (call_indirect (type $r) (local.get 0)))
    (func (export "grow") (param i32) (result i32) (table.grow $t (ref.func $two) (local.get 0)))
    (func (export "size") (result i32) (table.size $t))
    (func (export "tfill") (param i32 i32) (table.fill $t (local.get 0) (ref.null func) (local.get 1)))
    (func (export "isnull") (param i32) (result i32) (ref.is_null (table.get $t (local.get 0)))))`));
  const bytes = (from: number, n: number) => [...inst.mems[0]!.bytes.subarray(from, from + n)];
  const trapOf = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return (e as Trap).specMessage;
    }
    return 'none';
  };

  it('memory.init, copy (overlapping), fill, and data.drop', () => {
    invoke(inst, 'init', [100, 1, 4]);
    expect(bytes(100, 4)).toEqual([98, 99, 100, 101]);
    invoke(inst, 'copy', [101, 100, 4]);
    expect(bytes(100, 5)).toEqual([98, 98, 99, 100, 101]);
    invoke(inst, 'fill', [200, 0x1ff, 3]);
    expect(bytes(200, 3)).toEqual([0xff, 0xff, 0xff]);
    expect(trapOf(() => invoke(inst, 'init', [0, 4, 3]))).toBe('out of bounds memory access');
    expect(trapOf(() => invoke(inst, 'fill', [65535, 0, 2]))).toBe('out of bounds memory access');
    expect(trapOf(() => invoke(inst, 'copy', [0, 65535, 2]))).toBe('out of bounds memory access');
    invoke(inst, 'init', [0, 6, 0]);
    invoke(inst, 'drop');
    expect(trapOf(() => invoke(inst, 'init', [0, 0, 1]))).toBe('out of bounds memory access');
    invoke(inst, 'init', [0, 0, 0]);
  });

  it('table.init, grow, size, fill, get and elem.drop', () => {
    expect(trapOf(() => invoke(inst, 'call', [0]))).toBe('uninitialized element 0');
    invoke(inst, 'tinit', [0, 0, 2]);
    expect(invoke(inst, 'call', [0])).toEqual([1]);
    expect(invoke(inst, 'call', [1])).toEqual([2]);
    expect(invoke(inst, 'grow', [3])).toEqual([2]);
    expect(invoke(inst, 'size')).toEqual([5]);
    expect(invoke(inst, 'call', [4])).toEqual([2]);
    expect(invoke(inst, 'grow', [6])).toEqual([-1]);
    invoke(inst, 'tfill', [1, 2]);
    expect(invoke(inst, 'isnull', [1])).toEqual([1]);
    expect(invoke(inst, 'isnull', [0])).toEqual([0]);
    expect(trapOf(() => invoke(inst, 'isnull', [5]))).toBe('out of bounds table access');
    expect(trapOf(() => invoke(inst, 'tfill', [4, 2]))).toBe('out of bounds table access');
    invoke(inst, 'edrop');
    expect(trapOf(() => invoke(inst, 'tinit', [0, 0, 1]))).toBe('out of bounds table access');
  });
});

describe('table64 and tables with an initial value (3.0)', () => {
  const wat = `(module
    (type $v (func (result i32)))
    (func $seven (type $v) (i32.const 7))
    (table $t (export "t") i64 2 10 funcref (ref.func $seven))
    (table $u i64 1 funcref)
    (elem (table $u) (i64.const 0) func $seven)
    (func (export "size") (result i64) (table.size $t))
    (func (export "grow") (param i64) (result i64) (table.grow $t (ref.null func) (local.get 0)))
    (func (export "get-null") (param i64) (result i32) (ref.is_null (table.get $t (local.get 0))))
    (func (export "call") (param i64) (result i32) (call_indirect $t (type $v) (local.get 0)))
    (func (export "fill") (param i64 i64) (table.fill $t (local.get 0) (ref.null func) (local.get 1)))
    (func (export "copy") (param i64 i64 i64) (table.copy $t $u (local.get 0) (local.get 1) (local.get 2))))`;
  const run = (inst: ReturnType<typeof instantiate>, name: string, ...args: bigint[]) => invoke(inst, name, args);

  it('fills a table with its initial value and indexes it by i64', () => {
    const inst = instantiate(parseWat(wat));
    expect(run(inst, 'size')).toEqual([2n]);
    expect(run(inst, 'call', 1n)).toEqual([7]);
    expect(run(inst, 'get-null', 0n)).toEqual([0]);
    expect(run(inst, 'grow', 3n)).toEqual([2n]);
    expect(run(inst, 'grow', 1n << 32n)).toEqual([-1n]);
    expect(run(inst, 'size')).toEqual([5n]);
    expect(run(inst, 'get-null', 4n)).toEqual([1]);
    run(inst, 'copy', 4n, 0n, 1n);
    expect(run(inst, 'call', 4n)).toEqual([7]);
    run(inst, 'fill', 0n, 2n);
    expect(run(inst, 'get-null', 1n)).toEqual([1]);
  });

  it('traps on an index of 2^32 or more, not on its low 32 bits', () => {
    const inst = instantiate(parseWat(wat));
    expect(() => run(inst, 'get-null', (1n << 32n) + 1n)).toThrow('out of bounds table access');
    expect(() => run(inst, 'call', 1n << 32n)).toThrow('undefined element');
    expect(() => run(inst, 'fill', 1n, 1n << 32n)).toThrow('out of bounds table access');
    expect(() => run(inst, 'copy', 0n, 0n, (1n << 32n) + 1n)).toThrow('out of bounds table access');
  });

  it('matches an imported table by its index type', () => {
    const t64 = instantiate(parseWat(wat)).exports.get('t');
    expect(linkError('(module (import "m" "t" (table 1 funcref)))', { m: { t: t64 } } as never)).toMatch(/incompatible import type/);
  });
});
