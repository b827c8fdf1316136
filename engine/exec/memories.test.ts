// Execution of multiple memories and memory64 (engine/exec/memories.ts and its hooks in
// compile.ts, machine.ts and instantiate.ts): each instruction reaches the memory it
// names, i64 addresses are exact (no wrap-around, no rounding above 2^53), memory 0 with
// i32 addresses keeps its own opcodes, and instantiation places data and links by type.
import { describe, expect, it } from 'vitest';
import { parseWat } from '../text/index.ts';
import { compileFunc, moduleTypes } from './compile.ts';
import { hostMemory, instantiate } from './instantiate.ts';
import { invoke } from './invoke.ts';
import { OPC } from './layout.ts';
import { MemoryInstance } from './memory.ts';
import { LinkError, Trap } from './trap.ts';

function run(wat: string, imports = {}) {
  const inst = instantiate(parseWat(wat), imports);
  return (name: string, ...args: (number | bigint)[]) => invoke(inst, name, args);
}

function trap(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof Trap) return e.specMessage;
    throw e;
  }
  return 'no trap';
}

describe('several memories', () => {
  const m = run(`(module
    (memory $a 1) (memory $b 2)
    (data (memory $b) (i32.const 8) "\\2a")
    (func (export "load_b") (param i32) (result i32) (i32.load8_u $b (local.get 0)))
    (func (export "load_a") (param i32) (result i32) (i32.load8_u (local.get 0)))
    (func (export "store_b") (param i32 i32) (i32.store $b offset=4 (local.get 0) (local.get 1)))
    (func (export "sizes") (result i32 i32) (memory.size $a) (memory.size $b))
    (func (export "grow_b") (param i32) (result i32) (memory.grow $b (local.get 0)))
    (func (export "copy_b_to_a") (param i32 i32 i32) (memory.copy $a $b (local.get 0) (local.get 1) (local.get 2)))
    (func (export "fill_b") (param i32 i32 i32) (memory.fill $b (local.get 0) (local.get 1) (local.get 2)))
    (func (export "v128_b") (param i32) (result i32) (i32x4.extract_lane 0 (v128.load $b (local.get 0)))))`);

  it('reads, writes and sizes the memory each instruction names', () => {
    expect(m('load_b', 8)).toEqual([42]);
    expect(m('load_a', 8)).toEqual([0]);
    m('store_b', 100, 0x01020304);
    expect(m('load_b', 104)).toEqual([4]);
    expect(m('load_a', 104)).toEqual([0]);
    expect(m('v128_b', 104)).toEqual([0x01020304]);
    expect(m('sizes')).toEqual([1, 2]);
    expect(m('grow_b', 1)).toEqual([2]);
    expect(m('sizes')).toEqual([1, 3]);
  });

  it('copies between memories and fills the one named, with bounds of each', () => {
    m('fill_b', 200, 7, 3);
    m('copy_b_to_a', 10, 199, 5);
    expect([9, 10, 11, 12, 13, 14, 15].map((a) => m('load_a', a)[0])).toEqual([0, 0, 7, 7, 7, 0, 0]);
    // The source is in bounds of $b (3 pages) but not of $a (1 page).
    expect(trap(() => m('copy_b_to_a', 0, 65536, 1))).toBe('no trap');
    expect(trap(() => m('copy_b_to_a', 65536, 0, 1))).toBe('out of bounds memory access');
    expect(trap(() => m('load_b', 3 * 65536))).toBe('out of bounds memory access');
  });
});

describe('i64 memories', () => {
  const m = run(`(module
    (memory i64 1 3)
    (data (i64.const 65535) "\\ff")
    (func (export "load") (param i64) (result i32) (i32.load8_u (local.get 0)))
    (func (export "load_off") (param i64) (result i64) (i64.load offset=0xffff_ffff_ffff_fff0 (local.get 0)))
    (func (export "store") (param i64 i32) (i32.store16 (local.get 0) (local.get 1)))
    (func (export "size") (result i64) (memory.size))
    (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
    (func (export "fill") (param i64 i32 i64) (memory.fill (local.get 0) (local.get 1) (local.get 2))))`);

  it('run with i64 addresses, sizes and results', () => {
    expect(m('load', 65535n)).toEqual([255]);
    m('store', 2n, 0x1234);
    expect(m('load', 3n)).toEqual([0x12]);
    expect(m('size')).toEqual([1n]);
    expect(m('grow', 1n)).toEqual([1n]);
    expect(m('grow', 5n)).toEqual([-1n]);
    expect(m('grow', -1n)).toEqual([-1n]);
    expect(m('size')).toEqual([2n]);
  });

  it('trap exactly at the bound, without wrapping or rounding', () => {
    expect(trap(() => m('load', 2n * 65536n - 1n))).toBe('no trap');
    expect(trap(() => m('load', 2n * 65536n))).toBe('out of bounds memory access');
    expect(trap(() => m('load', 1n << 32n))).toBe('out of bounds memory access');
    // 2^53 + 1 is not a double: rounding it down to 2^53 - ... must not matter.
    expect(trap(() => m('load', (1n << 53n) + 1n))).toBe('out of bounds memory access');
    expect(trap(() => m('load', -1n))).toBe('out of bounds memory access');
    // address + offset wraps to 0x10 modulo 2^64: in bounds if it wrapped, so it must trap.
    expect(trap(() => m('load_off', 0x20n))).toBe('out of bounds memory access');
    expect(trap(() => m('fill', 65536n, 0, 1n << 63n))).toBe('out of bounds memory access');
    expect(trap(() => m('fill', 0n, 0, 2n * 65536n))).toBe('no trap');
  });

  it('places data by i64 offsets and traps on one beyond the memory', () => {
    expect(() => instantiate(parseWat('(module (memory i64 1) (data (i64.const 0x1_0000_0000) "x"))'))).toThrow(Trap);
  });
});

describe('compiled code', () => {
  it('keeps memory 0 i32 loads on their own opcodes and gives the others MEM_*', () => {
    const m = parseWat(`(module (memory 1) (memory i64 1)
      (func (drop (i32.load (i32.const 0))) (drop (i32.load 1 (i64.const 0))) (drop (memory.size)) (drop (memory.size 1))))`);
    const f = compileFunc(m, moduleTypes(m), 0);
    const ops = Array.from(f.offsets.subarray(0, m.funcs[0]!.body.length), (at) => f.code[at]);
    expect(ops).toEqual([0x41, 0x28, 0x1a, 0x42, OPC.MEM_ACCESS, 0x1a, 0x3f, 0x1a, OPC.MEM_SIZE, 0x1a]);
  });
});

describe('linking', () => {
  it('requires the imported memory to have the declared address type', () => {
    const link = (wat: string, mem: MemoryInstance) => {
      try {
        instantiate(parseWat(wat), { m: { mem } });
      } catch (e) {
        if (e instanceof LinkError) return e.specMessage;
        throw e;
      }
      return 'linked';
    };
    const mem64 = new MemoryInstance({ limits: { min: 1, index64: true } });
    expect(link('(module (import "m" "mem" (memory i64 1)))', mem64)).toBe('linked');
    expect(link('(module (import "m" "mem" (memory 1)))', mem64)).toBe('incompatible import type');
    expect(link('(module (import "m" "mem" (memory i64 1)))', hostMemory(1))).toBe('incompatible import type');
  });
});
