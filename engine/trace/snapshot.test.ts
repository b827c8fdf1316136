// The snapshot's JSON shape (docs/TRACE.md): value formats, stable ids for frames and
// stack values, labels with where `br` goes, names from the text and the name section,
// spans in the text and in the binary, and what the last instruction did.
import { describe, expect, it } from 'vitest';
import { decodeModule, encodeModule } from '../binary/index.ts';
import { instantiate } from '../exec/index.ts';
import { parseWat } from '../text/index.ts';
import { Session } from './session.ts';
import type { Snapshot } from './snapshot.ts';
import { f32Text, f64Text, valueView } from './value-views.ts';

function run(wat: string, name = 'f', args: unknown[] = []): Session {
  return new Session(instantiate(parseWat(wat)), name, args, { source: wat });
}

/** Fails on anything JSON would not keep exactly (bigint throws; undefined, NaN and typed arrays change). */
function expectPlainJson(snap: Snapshot): void {
  expect(JSON.parse(JSON.stringify(snap))).toStrictEqual(snap);
}

describe('value formats', () => {
  it('integers: signed and unsigned decimal and hex; i64 as strings', () => {
    expect(valueView({ type: 'i32', value: -1 })).toEqual({ type: 'i32', text: '-1', signed: -1, unsigned: 4294967295, hex: '0xffffffff' });
    expect(valueView({ type: 'i64', value: -2n })).toEqual({
      type: 'i64', text: '-2', signed: '-2', unsigned: '18446744073709551614', hex: '0xfffffffffffffffe',
    });
  });

  it('floats: the shortest text that reads back to the same bits, -0, inf and NaN payloads', () => {
    expect(f32Text(0x3dcccccd)).toBe('0.1');
    expect(f32Text(0x3f800000)).toBe('1');
    expect(f32Text(0x80000000)).toBe('-0');
    expect(f32Text(0x7f800000)).toBe('inf');
    expect(f32Text(0xff800000)).toBe('-inf');
    expect(f32Text(0x7fc00000)).toBe('nan');
    expect(f32Text(0xffc00001)).toBe('-nan:0x400001');
    expect(f32Text(0x00000001)).toBe('1e-45');
    expect(f32Text(0x7f7fffff)).toBe('3.4028235e+38');
    expect(f64Text(0x3fb999999999999an)).toBe('0.1');
    expect(f64Text(0x7ff0000000000001n)).toBe('nan:0x1');
    expect(f64Text(0x8000000000000000n)).toBe('-0');
    expect(valueView({ type: 'f32', value: Number.NaN, bits: 0x7fc00000 })).toEqual({ type: 'f32', text: 'nan', number: null, hex: '0x7fc00000' });
    expect(valueView({ type: 'f64', value: 1.5, bits: 0x3ff8000000000000n })).toEqual({ type: 'f64', text: '1.5', number: 1.5, hex: '0x3ff8000000000000' });
  });

  it('v128: bytes and every lane shape', () => {
    const bytes = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0x80, 0x3f, 1, 0, 0, 0, 0, 0, 0, 0]);
    const v = valueView({ type: 'v128', value: bytes });
    expect(v).toMatchObject({
      type: 'v128',
      text: 'i32x4 -1 1065353216 1 0',
      hex: 'ff ff ff ff 00 00 80 3f 01 00 00 00 00 00 00 00',
      lanes: {
        i8x16: [-1, -1, -1, -1, 0, 0, -128, 63, 1, 0, 0, 0, 0, 0, 0, 0],
        i16x8: [-1, -1, 0, 16256, 1, 0, 0, 0],
        i32x4: [-1, 1065353216, 1, 0],
        i64x2: ['4575657225703391231', '1'],
        f32x4: ['-nan:0x7fffff', '1', '1e-45', '0'],
        f64x2: ['0.007812507450580595', '5e-324'],
      },
    });
  });
});

describe('snapshots', () => {
  const wat = `(module
  (global $count (mut i32) (i32.const 0))
  (table $tab 3 funcref)
  (memory $mem 1 2)
  (elem (i32.const 1) $id)
  (func $id (param $v i32) (result i32) (local.get $v))
  (func $f (export "f") (param $a i32) (param $b i64) (result i32) (local $t f32)
    (block $outer (result i32)
      (loop $again
        (i32.const 40)
        (local.get $a)
        (call $id)
        (i32.add)
        (br $outer))
      (unreachable))))`;

  it('is plain JSON, with the current function, instruction and its spans in text and binary', () => {
    const s = run(wat, 'f', [2, -3n]);
    s.goTo(4);
    const snap = s.snapshot();
    expectPlainJson(snap);
    expect(snap.current).toEqual({
      funcIndex: 1, funcName: '$f', instrIndex: 4, op: 'call',
      text: { line: 12, column: 9, endLine: 12, endColumn: 19, start: snap.current!.text!.start, end: snap.current!.text!.end },
      bytes: { offset: snap.current!.bytes!.offset, length: 2 },
    });
    expect(wat.slice(snap.current!.text!.start, snap.current!.text!.end)).toBe('(call $id)');
    expect(snap.entry).toEqual({
      funcIndex: 1, funcName: '$f',
      args: [valueView({ type: 'i32', value: 2 }), valueView({ type: 'i64', value: -3n })],
    });
  });

  it('has frames with named params and locals, a typed stack with ids, and labels with where br goes', () => {
    const s = run(wat, 'f', [2, -3n]);
    s.goTo(5);
    const snap = s.snapshot();
    expect(snap.frameCount).toBe(2);
    const [outer, inner] = snap.frames;
    expect(outer!.id).toBe(0);
    expect(inner!.id).toBe(5);
    expect(outer!.at.op).toBe('call');
    expect(outer!.locals.map((l) => [l.index, l.name, l.param, l.type, l.text])).toEqual([
      [0, '$a', true, 'i32', '2'],
      [1, '$b', true, 'i64', '-3'],
      [2, '$t', false, 'f32', '0'],
    ]);
    expect(outer!.stack.map((v) => [v.id, v.text])).toEqual([['3.0', '40']]);
    expect(inner!.locals[0]).toMatchObject({ name: '$v', text: '2' });
    expect(snap.stack).toEqual(inner!.stack);
    expect(outer!.labels.map((l) => [l.depth, l.kind, l.name, l.start, l.results, l.height, l.branchTo.kind, l.branchTo.instrIndex])).toEqual([
      [0, 'loop', '$again', 1, [], 0, 'loop-start', 2],
      [1, 'block', '$outer', 0, ['i32'], 0, 'after-end', 10],
      [2, 'func', null, -1, ['i32'], 0, 'return', null],
    ]);
    expect(snap.globals).toEqual([{ index: 0, name: '$count', type: 'i32', mutable: true, value: valueView({ type: 'i32', value: 0 }) }]);
    expect(snap.tables).toEqual([{
      index: 0, name: '$tab', elemType: 'funcref', size: 3, max: null, truncated: false,
      entries: [
        { type: 'funcref', text: 'null', ref: null },
        { type: 'funcref', text: 'func 0 ($id)', ref: { kind: 'func', index: 0, name: '$id' } },
        { type: 'funcref', text: 'null', ref: null },
      ],
    }]);
    expect(snap.memories).toEqual([{ index: 0, name: '$mem', pages: 1, maxPages: 2, byteLength: 65536, address: 'i32' }]);
  });

  it('keeps a value\'s id while it stays on the stack; a new value gets a new id', () => {
    const s = run(wat, 'f', [2, -3n]);
    s.goTo(3);
    const a = s.snapshot().stack;
    s.stepInto();
    const b = s.snapshot().stack;
    expect(b[0]!.id).toBe(a[0]!.id);
    expect(b.map((v) => v.id)).toEqual(['3.0', '4.1']);
    expect(s.snapshot().last!.pushed.map((v) => v.id)).toEqual(['4.1']);
    // Through the call and back: the 40 keeps its id, the sum is new.
    s.goTo(8);
    const c = s.snapshot();
    expect(c.last!.op).toBe('i32.add');
    expect(c.last!.popped.map((v) => [v.id, v.text])).toEqual([['3.0', '40'], ['7.1', '2']]);
    expect(c.stack.map((v) => [v.id, v.text])).toEqual([['8.0', '42']]);
  });

  it('tells what a call and a return did', () => {
    const s = run(wat, 'f', [2, -3n]);
    s.goTo(5);
    let last = s.snapshot().last!;
    expect(last.call).toEqual({
      funcIndex: 0, funcName: '$id', host: false, indirect: false, element: null,
      args: [{ ...valueView({ type: 'i32', value: 2 }), id: '4.1' }], results: null, frameId: 5, tail: null,
    });
    expect(last.popped.map((v) => v.text)).toEqual(['2']);
    expect(last.text).toBe('call $id with 2: a new frame starts');
    s.goTo(7);
    last = s.snapshot().last!;
    expect(last.return).toMatchObject({ fromFrameId: 5, fromFuncName: '$id', toFrameId: 0, toFuncName: '$f', values: [{ text: '2', id: '7.1' }] });
    expect(last.text).toBe('end of the function: returned 2 from $id to $f');
    s.continue();
    const done = s.snapshot();
    expectPlainJson(done);
    expect(done.status).toBe('done');
    expect(done.current).toBeNull();
    expect(done.frames).toEqual([]);
    expect(done.results).toEqual([{ ...valueView({ type: 'i32', value: 42 }), id: `${done.stepIndex}.0` }]);
    expect(done.last!.text).toBe('end of the function: returned 42 from $f: the call is done');
  });

  it('tells what memory an access read or wrote, and branches taken or not', () => {
    const s = run(`(module (memory 1)
      (func (export "f") (result i64)
        (i64.store offset=8 (i32.const 16) (i64.const 0x0102030405060708))
        (block $b (br_if $b (i32.const 0)))
        (i64.load8_u offset=1 (i32.const 23))))`);
    s.goTo(3);
    let last = s.snapshot().last!;
    expect(last.memoryWrites).toEqual([{ memory: 0, address: 24, length: 8, bytes: [8, 7, 6, 5, 4, 3, 2, 1], truncated: false }]);
    expect(last.memoryReads).toEqual([]);
    expect(last.popped.map((v) => v.text)).toEqual(['16', '72623859790382856']);
    expect(last.pushed).toEqual([]);
    s.goTo(6);
    last = s.snapshot().last!;
    expect(last.branch).toMatchObject({ kind: 'br_if', taken: false, depth: 0, label: { kind: 'block', start: 3 }, condition: { text: '0' } });
    s.continue();
    last = s.snapshot().last!;
    expect(last.op).toBe('end');
    s.back(1);
    last = s.snapshot().last!;
    expect(last.op).toBe('i64.load8_u');
    expect(last.memoryReads).toEqual([{ memory: 0, address: 24, length: 1, bytes: [8], truncated: false }]);
    expect(last.text).toBe('i64.load8_u read 1 byte 08 at address 24 and pushed 8');
  });

  it('names functions from the name section of a decoded module, with byte spans', () => {
    const bytes = encodeModule(parseWat(`(module (func $double (export "d") (param $x i32) (result i32) (i32.add (local.get $x) (local.get $x))))`));
    const m = decodeModule(bytes);
    const s = new Session(instantiate(m), 'd', [21]);
    s.stepInto();
    const snap = s.snapshot();
    // wabt-style encoding writes no name section: the export name stands in.
    expect(snap.current!.funcName).toBe('"d"');
    expect(snap.current!.text).toBeNull();
    expect(snap.current!.bytes).toEqual({ offset: m.funcs[0]!.body[1]!.span.bytes!.offset, length: 2 });
    m.names = { functions: new Map([[0, 'double']]), locals: new Map([[0, new Map([[0, 'x']])]]) };
    const t = new Session(instantiate(m), 'd', [21]);
    expect(t.snapshot().current!.funcName).toBe('$double');
    expect(t.snapshot().frames[0]!.locals[0]!.name).toBe('$x');
  });

  it('bounds frames and table entries', () => {
    const s = new Session(instantiate(parseWat(`(module (table 300 funcref)
      (func $r (export "r") (param i32) (result i32)
        (if (result i32) (local.get 0) (then (call $r (i32.sub (local.get 0) (i32.const 1)))) (else (i32.const 0)))))`)), 'r', [50], { maxFrames: 10, maxTableEntries: 4 });
    s.addBreakpoint({ func: 0, instr: 5 });
    for (let k = 0; k < 50; k++) s.continue();
    const snap = s.snapshot();
    expect(snap.frameCount).toBe(50);
    expect(snap.frames.map((f) => f.depth)).toEqual([40, 41, 42, 43, 44, 45, 46, 47, 48, 49]);
    expect(snap.tables[0]).toMatchObject({ size: 300, truncated: true });
    expect(snap.tables[0]!.entries).toHaveLength(4);
  });
});

describe('JSON safety', () => {
  it('survives a JSON round trip exactly, whatever the values (-0, NaN, inf, i64 extremes, v128, refs)', () => {
    const wat = `(module (table 1 externref)
      (func (export "f") (param externref) (result f32 f64 i64 v128 f64)
        (table.set (i32.const 0) (local.get 0))
        (f32.const -0) (f64.const nan:0x4) (i64.const -9223372036854775808)
        (v128.const f32x4 -0 inf -inf nan) (f64.const -inf)))`;
    const s = new Session(instantiate(parseWat(wat)), 'f', [{ some: 'host object' }], { source: wat });
    s.continue();
    const snap = s.snapshot();
    expectPlainJson(snap);
    expect(snap.results!.map((v) => v.text)).toEqual(['-0', 'nan:0x4', '-9223372036854775808', 'i32x4 -2147483648 2139095040 -8388608 2143289344', '-inf']);
    expect(snap.results![0]).toMatchObject({ type: 'f32', number: 0, hex: '0x80000000' });
    expect(snap.tables[0]!.entries[0]).toEqual({ type: 'externref', text: 'extern object', ref: { kind: 'extern', text: 'object' } });
  });
});
