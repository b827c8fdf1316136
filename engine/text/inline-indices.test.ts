// Segments and imports written in place by the text format's abbreviations
// (https://webassembly.github.io/spec/core/text/modules.html, "Abbreviations") take their
// index where they stand: `(memory (data …))` is a data segment, `(table funcref (elem …))`
// an elem segment, so symbolic references to later segments must count them. Checked
// against wabt's wat2wasm bytes and by running the program.
import { describe, expect, it } from 'vitest';
import wabtInit from 'wabt';
import { wabtBinary } from '../../tests/support/wabt-bytes.ts';
import { instantiateWat, watToBinary } from '../api/index.ts';

async function wabtBytes(src: string): Promise<Uint8Array> {
  return wabtBinary(await wabtInit(), src);
}

const INLINE_DATA = `(module
  (memory (data "AB"))
  (data (i32.const 4) "CD")
  (data $p "EF")
  (func (export "copy") (result i32)
    (memory.init $p (i32.const 8) (i32.const 0) (i32.const 2))
    (data.drop $p)
    (i32.load16_u (i32.const 8))))`;

const INLINE_ELEM = `(module
  (type $r (func (result i32)))
  (func $one (result i32) (i32.const 1))
  (func $two (result i32) (i32.const 2))
  (func $three (result i32) (i32.const 3))
  (table $t funcref (elem $one))
  (table $u 2 funcref)
  (elem (table $u) (i32.const 0) func $two)
  (elem $p func $three)
  (func (export "call") (result i32)
    (table.init $u $p (i32.const 1) (i32.const 0) (i32.const 1))
    (elem.drop $p)
    (call_indirect $u (type $r) (i32.const 1))))`;

describe('segments defined in place take an index', () => {
  it('(memory (data …)) is data segment 0: memory.init $p and data.drop $p name segment 2, as in wabt', async () => {
    expect(watToBinary(INLINE_DATA)).toEqual(await wabtBytes(INLINE_DATA));
    const copy = (instantiateWat(INLINE_DATA).exports as { copy: () => number }).copy;
    expect(copy()).toBe(0x4645); // "EF", little-endian
  });

  it('(table funcref (elem …)) is elem segment 0: table.init and elem.drop $p name segment 2, as in wabt', async () => {
    expect(watToBinary(INLINE_ELEM)).toEqual(await wabtBytes(INLINE_ELEM));
    const call = (instantiateWat(INLINE_ELEM).exports as { call: () => number }).call;
    expect(call()).toBe(3);
  });

  it('inline exports before the segment do not hide it', async () => {
    const src = INLINE_DATA.replace('(memory (data', '(memory (export "m") (export "n") (data');
    expect(watToBinary(src)).toEqual(await wabtBytes(src));
    const t = INLINE_ELEM.replace('(table $t funcref', '(table $t (export "t") funcref');
    expect(watToBinary(t)).toEqual(await wabtBytes(t));
  });
});
