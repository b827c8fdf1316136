// The encoder's multiple memories and memory64 (engine/binary/encode.ts): i64 limits, memargs
// with a memory index (bit 6 of the flags) and u64 offsets, and the memory indices of
// memory.size/grow/init/copy/fill, checked by decoding what it writes.
import { describe, expect, it } from 'vitest';
import type { Instr } from '../syntax/index.ts';
import { parseWat } from '../text/index.ts';
import { decodeModule } from './decode.ts';
import { encodeModule } from './encode.ts';

const strip = (i: Instr) => {
  const { span: _span, ...rest } = i;
  return rest;
};

describe('encoding multiple memories and memory64', () => {
  it('decodes back to the same memories and instructions', () => {
    const m = parseWat(`(module
      (import "m" "x" (memory $x i64 1 0x1_0000_0000_0000))
      (memory $y 1 2) (memory $z i64 0)
      (data $d (memory $z) (i64.const 0x1_0000_0000) "a")
      (func (param i64)
        (drop (i32.load $z offset=0xffff_ffff_ffff_ffff (local.get 0)))
        (i64.store $y offset=3 (i32.const 0) (i64.const 1))
        (drop (memory.size $z)) (drop (memory.grow $y (i32.const 1)))
        (memory.init $z $d (i64.const 0) (i32.const 0) (i32.const 1))
        (memory.copy $y $z (i32.const 0) (i64.const 0) (i32.const 1))
        (memory.fill $z (i64.const 0) (i32.const 0) (i64.const 1))
        (v128.store8_lane $y offset=2 5 (i32.const 0) (v128.const i64x2 0 0))))`);
    const back = decodeModule(encodeModule(m));
    expect(back.imports[0]!.desc).toEqual(m.imports[0]!.desc);
    expect(back.mems.map((x) => x.type)).toEqual(m.mems.map((x) => x.type));
    expect(back.datas[0]!.mode).toMatchObject({ kind: 'active', memory: 2 });
    expect(back.funcs[0]!.body.map(strip)).toEqual(m.funcs[0]!.body.map(strip));
  });
});
