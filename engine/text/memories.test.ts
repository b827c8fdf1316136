// The text format of multiple memories and memory64 (engine/text/parser.ts with
// engine/text/memories.ts): memory indices on memory instructions, i64 memory types and
// their abbreviations, u64 offsets and alignments, and 2.0's syntax under version '2.0'.
import { describe, expect, it } from 'vitest';
import type { Instr } from '../syntax/index.ts';
import { ParseError } from './error.ts';
import { parseWat } from './parser.ts';
import { printModule } from './print.ts';

const body = (src: string): Instr[] => parseWat(src).funcs[0]!.body;
const strip = (i: Instr) => {
  const { span: _span, ...rest } = i;
  return rest;
};

describe('memory indices', () => {
  const mems = '(memory $a 1) (memory $b 1)';

  it('name the memory of loads, stores and lane accesses, by id or number', () => {
    const b = body(`${mems} (func i32.const 0 i32.load $b offset=4 align=2 drop i32.const 0 i64.load 1 drop i32.const 0 i32.load drop
      i32.const 0 v128.const i64x2 0 0 v128.load8_lane 1 3 drop i32.const 0 v128.const i64x2 0 0 v128.load8_lane 3 drop
      i32.const 0 v128.const i64x2 0 0 v128.load8_lane $b offset=1 2 drop)`);
    const loads = b.filter((i) => i.memarg !== undefined);
    expect(loads.map((i) => i.memarg)).toEqual([
      { align: 1, offset: 4, memory: 1 }, { align: 3, offset: 0, memory: 1 }, { align: 2, offset: 0 },
      { align: 0, offset: 0, memory: 1 }, { align: 0, offset: 0 }, { align: 0, offset: 1, memory: 1 },
    ]);
    expect(loads.slice(3).map((i) => i.index)).toEqual([3, 3, 2]);
  });

  it('name the memories of memory.size, grow, fill, copy and init', () => {
    const b = body(`${mems} (data $d "") (func (drop (memory.size $b)) (drop (memory.grow 1 (i32.const 0))) (drop (memory.size))
      (memory.fill $b (i32.const 0) (i32.const 0) (i32.const 0)) (memory.copy $a $b (i32.const 0) (i32.const 0) (i32.const 0))
      (memory.copy $b $a (i32.const 0) (i32.const 0) (i32.const 0)) (memory.init $b $d (i32.const 0) (i32.const 0) (i32.const 0))
      (memory.init $d (i32.const 0) (i32.const 0) (i32.const 0)))`).map(strip).filter((i) => i.op.startsWith('memory.'));
    expect(b.map((i) => [i.op, i.index, i.index2, i.index3])).toEqual([
      ['memory.size', 1, undefined, undefined], ['memory.grow', 1, undefined, undefined], ['memory.size', undefined, undefined, undefined],
      ['memory.fill', undefined, 1, undefined], ['memory.copy', undefined, 0, 1], ['memory.copy', undefined, 1, undefined],
      ['memory.init', 0, 1, undefined], ['memory.init', 0, 0, undefined],
    ]);
  });

  it('resolve data segments, imports and exports of several memories', () => {
    const m = parseWat('(module (import "m" "x" (memory $x 1)) (memory $y (export "y") 1) (data (memory $y) (i32.const 0) "a") (data $x (i32.const 0) "b"))');
    expect(m.datas.map((d) => (d.mode.kind === 'active' ? d.mode.memory : -1))).toEqual([1, 0]);
    expect(m.exports).toMatchObject([{ name: 'y', kind: 'memory', index: 1 }]);
  });

  it('are not 2.0 syntax', () => {
    expect(() => parseWat(`${mems} (func i32.const 0 i32.load 1 drop)`, { version: '2.0' })).toThrow(ParseError);
  });
});

describe('i64 memories', () => {
  it('read the address type and u64 limits', () => {
    const m = parseWat('(module (import "m" "x" (memory i64 1 0x1_0000_0000_0000)) (memory i64 2) (memory i32 3))');
    expect(m.imports[0]!.desc).toEqual({ kind: 'memory', type: { limits: { min: 1, max: 2 ** 48, index64: true } } });
    expect(m.mems.map((x) => x.type.limits)).toEqual([{ min: 2, index64: true }, { min: 3 }]);
    expect(parseWat('(memory i64 0xffff_ffff_ffff_ffff)').mems[0]!.type.limits).toEqual({ min: 2 ** 64, index64: true, min64: 2n ** 64n - 1n });
  });

  it('expand (memory i64 (data …)) with an i64 offset and a data count of whole pages', () => {
    const m = parseWat('(module (memory $m i64 (data "ab" "c")))');
    expect(m.mems[0]!.type.limits).toEqual({ min: 1, max: 1, index64: true });
    const d = m.datas[0]!;
    expect(d.mode.kind === 'active' && d.mode.offset.map((i) => [i.op, i.value])).toEqual([['i64.const', 0n]]);
  });

  it('read offsets up to 2^64-1 exactly and alignments as u64', () => {
    const [, load] = body('(memory i64 1) (func i64.const 0 i32.load offset=0xffff_ffff_ffff_ffff drop)');
    expect(load!.memarg).toEqual({ align: 2, offset: 2 ** 64, offset64: 2n ** 64n - 1n });
    const [, big] = body('(memory 1) (func i32.const 0 i32.load align=0x8000_0000_0000_0000 drop)');
    expect(big!.memarg!.align).toBe(63);
  });

  it('print and read back', () => {
    const src = '(module (memory $a i64 1 2) (memory $b 1) (func (param i64) (result i32) (i32.load8_u $a offset=0x1_0000_0000 (local.get 0))) (func (drop (memory.size $b))))';
    const m = parseWat(src);
    const again = parseWat(printModule(m));
    expect(again.mems.map((x) => x.type)).toEqual(m.mems.map((x) => x.type));
    expect(again.funcs.map((f) => f.body.map(strip))).toEqual(m.funcs.map((f) => f.body.map(strip)));
  });
});
