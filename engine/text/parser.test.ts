// Tests for the module and instruction grammar (https://webassembly.github.io/spec/core/text/modules.html):
// abbreviations, type-use rules, index resolution, flattening, spans and error locations.
import { describe, expect, it } from 'vitest';
import type { Instr, Module } from '../syntax/index.ts';
import { ParseError } from './error.ts';
import { parseWat } from './parser.ts';

function parseError(source: string, version?: '2.0'): ParseError {
  try {
    parseWat(source, version === undefined ? {} : { version });
  } catch (error) {
    if (error instanceof ParseError) return error;
    throw error;
  }
  throw new Error(`expected a ParseError for ${source}`);
}

/** [message, line, column] of the error parsing source. */
const where = (source: string, version?: '2.0') => {
  const e = parseError(source, version);
  return [e.specMessage, e.line, e.column];
};

/** A compact view of a body: op plus its immediates. */
function ops(body: readonly Instr[]): string[] {
  return body.map((i) => {
    const parts = [i.op];
    if (i.blockType) parts.push(i.blockType.kind === 'empty' ? '[]' : i.blockType.kind === 'value' ? i.blockType.type : `type ${i.blockType.index}`);
    if (i.index !== undefined) parts.push(String(i.index));
    if (i.index2 !== undefined) parts.push(`/${i.index2}`);
    if (i.labels) parts.push(i.labels.join(' '));
    if (i.memarg) parts.push(`align=${i.memarg.align} offset=${i.memarg.offset}`);
    if (i.value !== undefined) parts.push(String(i.value));
    if (i.types) parts.push(`(${i.types.join(' ')})`);
    if (i.refType) parts.push(i.refType);
    return parts.join(' ');
  });
}

const types = (m: Module) => m.types.map((t) => `${t.type.params.join(' ')} -> ${t.type.results.join(' ')}`);
const body = (source: string, func = 0) => ops(parseWat(source).funcs[func]!.body);

describe('module forms', () => {
  it('parses (module $id …) and keeps the id and the whole span', () => {
    const m = parseWat('(module $m\n  (func))');
    expect(m.id).toBe('$m');
    expect(m.funcs).toHaveLength(1);
    expect(m.span.text).toMatchObject({ line: 1, column: 1, endLine: 2, endColumn: 10, start: 0, end: 20 });
  });

  it('accepts a bare list of fields as a module', () => {
    const m = parseWat('(memory 1) (func) (func)');
    expect([m.mems.length, m.funcs.length]).toEqual([1, 2]);
    expect(parseWat('').funcs).toEqual([]);
  });

  it('rejects anything after the module', () => {
    expect(where('(module) 42')).toEqual(['unexpected token', 1, 10]);
    expect(where('(module) (i32.const 1)')).toEqual(['unexpected token', 1, 10]);
    expect(where('(module) (module)')).toEqual(['unexpected token', 1, 10]);
    expect(where('(module (func)')).toEqual(['unexpected end of input', 1, 15]);
  });

  it('names a field written after the module closed, located at the closing paren', () => {
    const outside = (field: string) => `(${field} …) is outside the module: move it before the module's closing \`)\``;
    expect(where('(module) (func)')).toEqual([outside('func'), 1, 8]);
    for (const field of ['func', 'memory', 'global', 'table', 'type', 'import', 'export', 'data', 'elem', 'start', 'tag']) {
      expect(where(`(module $m\n  (func $f)\n)\n(${field} 0)`)).toEqual([outside(field), 3, 1]);
    }
    // Only the first stray field is named; the message still points at the module's end.
    expect(where('(module (memory 1))\n\n(func) (func)')).toEqual([outside('func'), 1, 19]);
  });
});

describe('type uses (spec abbreviations and their order)', () => {
  it('appends implicit types after the explicit ones, in order of first use, reusing equal types', () => {
    const m = parseWat(`(module
      (import "m" "f" (func (result f32)))
      (func (param i64))
      (type $a (func (param i32) (result i32)))
      (func (param i32) (result i32))
      (func (param i64) (block (param i32) (result i32 i32) (unreachable)))
      (type $b (func))
      (func (call_indirect (param f64) (i32.const 0))))`);
    expect(types(m)).toEqual(['i32 -> i32', ' -> ', ' -> f32', 'i64 -> ', 'i32 -> i32 i32', 'f64 -> ']);
    expect(m.funcs.map((f) => f.type)).toEqual([3, 0, 3, 1]);
    expect(m.imports[0]!.desc).toEqual({ kind: 'func', type: 2 });
    expect(ops(m.funcs[2]!.body)[0]).toBe('block type 4');
    expect(ops(m.funcs[3]!.body)[1]).toBe('call_indirect 5 /0');
  });

  it('uses (type x) with or without matching inline declarations, which name the parameters', () => {
    const m = parseWat(`(type $t (func (param i32 i32) (result i32)))
      (func $f (type $t) (local.get 1) (drop) (i32.const 0))
      (func $g (type $t) (param $a i32) (param $b i32) (result i32) (local.get $b))`);
    expect(m.types).toHaveLength(1);
    expect(m.funcs[0]!.localIds).toBeUndefined();
    expect(m.funcs[1]!.localIds).toEqual(['$a', '$b']);
    expect(ops(m.funcs[1]!.body)).toEqual(['local.get 1']);
  });

  it('reports inline declarations that disagree with (type x)', () => {
    expect(where('(type $t (func (param i32)))\n(func (type $t) (param i64))')).toEqual(['inline function type', 2, 7]);
    expect(where('(func (type 3) (param i64))')).toEqual(['unknown type 3', 1, 13]);
    expect(where('(func (type $nope))')).toEqual(['unknown type $nope', 1, 13]);
  });

  it('keeps a numeric type index that does not exist for the validator to report', () => {
    expect(parseWat('(func (type 7))').funcs[0]!.type).toBe(7);
  });

  it('chooses the short block types for no parameters and at most one result', () => {
    expect(body('(func (block) (block (result i32) (i32.const 1) drop) (loop (param) (result)) (if (result f32) (i32.const 0) (then (f32.const 0)) (else (f32.const 1))) drop)')).toEqual([
      'block []', 'end', 'block i32', 'i32.const 1', 'drop', 'end', 'loop []', 'end',
      'i32.const 0', 'if f32', 'f32.const 0', 'else', 'f32.const 1065353216', 'end', 'drop',
    ]);
  });

  it('rejects names in block and call_indirect parameters, and parameters after results', () => {
    expect(where('(func (block (param $x i32)))')).toEqual(['unexpected token', 1, 21]);
    expect(where('(func (call_indirect (param $x i32)))')).toEqual(['unexpected token', 1, 29]);
    expect(where('(type (func (result i32) (param i32)))')).toEqual(['unexpected token', 1, 27]);
    expect(where('(func (result i32) (param i32))')).toEqual(['unexpected token', 1, 21]);
    expect(where('(func (nop) (local i32))')).toEqual(['unexpected token', 1, 13]);
  });
});

describe('fields and their abbreviations', () => {
  it('turns inline imports and exports into import and export entries with the right indices', () => {
    const m = parseWat(`(module
      (func $i (import "m" "f") (param i32))
      (global $g (export "g") (import "m" "g") (mut i32))
      (func $f (export "a") (export "b") (result i32) (global.get $g))
      (table (export "t") 2 funcref)
      (memory $mem (export "mem") 1 2)
      (export "f2" (func $f)) (export "i" (func $i)))`);
    expect(m.imports.map((i) => [i.module, i.name, i.desc.kind, i.id])).toEqual([
      ['m', 'f', 'func', '$i'],
      ['m', 'g', 'global', '$g'],
    ]);
    expect(m.imports[1]!.desc).toEqual({ kind: 'global', type: { type: 'i32', mutable: true } });
    expect(m.exports.map((e) => `${e.name}:${e.kind}:${e.index}`)).toEqual([
      'g:global:0', 'a:func:1', 'b:func:1', 't:table:0', 'mem:memory:0', 'f2:func:1', 'i:func:0',
    ]);
    expect(m.funcs[0]!.id).toBe('$f');
    expect(m.mems[0]!.type.limits).toEqual({ min: 1, max: 2 });
  });

  it('sizes (memory (data …)) in pages and adds an active segment at 0', () => {
    const m = parseWat('(memory $m (data "ab" "\\00"))');
    expect(m.mems[0]!.type.limits).toEqual({ min: 1, max: 1 });
    expect(m.datas[0]!.mode).toMatchObject({ kind: 'active', memory: 0, offset: [{ op: 'i32.const', value: 0 }] });
    expect([...m.datas[0]!.bytes]).toEqual([97, 98, 0]);
    expect(parseWat('(memory (data))').mems[0]!.type.limits).toEqual({ min: 0, max: 0 });
  });

  it('sizes (table funcref (elem …)) to the segment', () => {
    const m = parseWat('(func $a) (func $b) (table $t funcref (elem $b $a $b)) (table externref (elem (ref.null extern)))');
    expect(m.tables.map((t) => t.type)).toEqual([
      { limits: { min: 3, max: 3 }, elem: 'funcref' },
      { limits: { min: 1, max: 1 }, elem: 'externref' },
    ]);
    expect(m.elems[0]!.init.map(ops)).toEqual([['ref.func 1'], ['ref.func 0'], ['ref.func 1']]);
    expect(m.elems[1]!.mode).toMatchObject({ kind: 'active', table: 1 });
  });

  it('reads every element segment form', () => {
    const m = parseWat(`(table $t 1 funcref) (table $u 1 externref) (func $f)
      (elem func $f)
      (elem $p externref (ref.null extern) (item ref.null extern))
      (elem declare func $f)
      (elem (table $u) (offset (i32.const 1)) externref (ref.null extern))
      (elem (i32.const 0) $f 0)
      (elem (offset (global.get 0)))
      (elem (table $t) (i32.const 0) funcref (item (ref.func $f)) (ref.null func))`);
    const view = m.elems.map((e) => [e.type, e.mode.kind, e.mode.kind === 'active' ? e.mode.table : -1, e.init.length]);
    // 3.0: function index lists are (ref func) segments (their items are never null).
    expect(view).toEqual([
      ['(ref func)', 'passive', -1, 1],
      ['externref', 'passive', -1, 2],
      ['(ref func)', 'declarative', -1, 1],
      ['externref', 'active', 1, 1],
      ['(ref func)', 'active', 0, 2],
      ['(ref func)', 'active', 0, 0],
      ['funcref', 'active', 0, 2],
    ]);
    // 2.0: they are funcref.
    const m2 = parseWat('(module (table 1 funcref) (func $f) (elem func $f) (elem (i32.const 0) $f))', { version: '2.0' });
    expect(m2.elems.map((e) => e.type)).toEqual(['funcref', 'funcref']);
    expect(m.elems[1]!.id).toBe('$p');
    expect(ops(m.elems[5]!.mode.kind === 'active' ? m.elems[5]!.mode.offset : [])).toEqual(['global.get 0']);
  });

  it('reads every data segment form', () => {
    const m = parseWat(`(memory $m 1)
      (data $d "a" "b") (data (memory $m) (i32.const 8) "c") (data (offset (i32.const 1) (i32.const 2) i32.add)) (data (i32.const 0))`);
    expect(m.datas.map((d) => [d.mode.kind, d.bytes.length])).toEqual([['passive', 2], ['active', 1], ['active', 0], ['active', 0]]);
    const third = m.datas[2]!.mode;
    expect(third.kind === 'active' ? ops(third.offset) : []).toEqual(['i32.const 1', 'i32.const 2', 'i32.add']);
  });

  it('reads globals, tables, start and the data count need', () => {
    const m = parseWat(`(global $a i32 (i32.const 1)) (global (mut f32) (f32.const -0))
      (table 0 10 externref) (func $s) (start $s)
      (func (memory.init 1 (i32.const 0) (i32.const 0) (i32.const 0)) (data.drop 0))
      (memory 1) (data "") (data "")`);
    expect(m.globals.map((g) => [g.type, ops(g.init)])).toEqual([
      [{ type: 'i32', mutable: false }, ['i32.const 1']],
      [{ type: 'f32', mutable: true }, ['f32.const 2147483648']],
    ]);
    expect(m.tables[0]!.type).toEqual({ limits: { min: 0, max: 10 }, elem: 'externref' });
    expect(m.start).toBe(0);
    expect(m.dataCount).toBe(2);
    expect(parseWat('(memory 1) (data "")').dataCount).toBeUndefined();
  });

  it('enforces imports before definitions and a single start', () => {
    expect(where('(func)\n(import "m" "n" (func))')).toEqual(['import after function', 2, 1]);
    expect(where('(memory 0) (global $g (import "m" "n") i32)')).toEqual(['import after memory', 1, 23]);
    expect(where('(global i32 (i32.const 0)) (table (import "m" "t") 1 funcref)')).toEqual(['import after global', 1, 35]);
    expect(where('(table 0 funcref) (import "" "" (memory 1))')).toEqual(['import after table', 1, 19]);
    expect(where('(func $a) (start $a)\n(start $a)')).toEqual(['multiple start sections', 2, 1]);
  });

  it('reports duplicate and unknown identifiers at the identifier', () => {
    expect(where('(func $f)\n  (func $f)')).toEqual(['duplicate func $f', 2, 9]);
    expect(where('(global $g i32 (i32.const 0)) (import "" "" (global $g i32))')).toEqual(['duplicate global $g', 1, 53]);
    expect(where('(memory $m 1) (memory $m 1)')).toEqual(['duplicate memory $m', 1, 23]);
    expect(where('(table $t 1 funcref) (table $t 1 funcref)')).toEqual(['duplicate table $t', 1, 29]);
    expect(where('(func (param $x i32) (local $x i32))')).toEqual(['duplicate local $x', 1, 29]);
    expect(where('(func (param $x i32) (param $x i32))')).toEqual(['duplicate local $x', 1, 29]);
    expect(where('(func (call $g))')).toEqual(['unknown function $g', 1, 13]);
    expect(where('(func (local.get $y))')).toEqual(['unknown local $y', 1, 18]);
    expect(where('(export "e" (global $g))')).toEqual(['unknown global $g', 1, 21]);
    expect(where('(func (elem.drop $e))')).toEqual(['unknown elem segment $e', 1, 18]);
    expect(where('(func (data.drop $d))')).toEqual(['unknown data segment $d', 1, 18]);
  });

  it('reports limits and indices that are not u32', () => {
    // 2.0 reads u32 memory limits; 3.0 reads u64 ones and leaves their size to the validator.
    expect(where('(memory 0x1_0000_0000)', '2.0')).toEqual(['i32 constant out of range', 1, 9]);
    expect(parseWat('(memory 0x1_0000_0000)').mems[0]!.type.limits).toEqual({ min: 2 ** 32 });
    expect(where('(memory 0x1_0000_0000_0000_0000)')).toEqual(['i64 constant out of range', 1, 9]);
    expect(where('(table 0 4294967296 funcref)', '2.0')).toEqual(['i32 constant out of range', 1, 10]);
    expect(where('(func (local.get -1))')).toEqual(['unexpected token', 1, 18]);
  });

  it('reports unknown fields and malformed names', () => {
    expect(where('(module (fun))')).toEqual(['unknown operator fun', 1, 10]);
    expect(where('(module (param))')).toEqual(['unexpected token', 1, 10]);
    expect(where('(func (export "\\ff"))')).toEqual(['malformed UTF-8 encoding', 1, 15]);
  });
});

describe('instructions', () => {
  it('flattens folded instructions, operands first', () => {
    expect(body('(func (result i32) (i32.add (i32.mul (i32.const 2) (i32.const 3)) (i32.const 4)))')).toEqual([
      'i32.const 2', 'i32.const 3', 'i32.mul', 'i32.const 4', 'i32.add',
    ]);
  });

  it('flattens folded if with its condition before the if and an optional else', () => {
    expect(body('(func (if $l (i32.const 1) (then (br $l)) (else nop)) (if (i32.const 0) (then)))')).toEqual([
      'i32.const 1', 'if []', 'br 0', 'else', 'nop', 'end', 'i32.const 0', 'if []', 'end',
    ]);
  });

  it('resolves labels to relative depths, innermost binding first', () => {
    expect(body(`(func
      (block $a (block $b (loop $a (br $a) (br $b) (br 2) (br_if $a (i32.const 0)) (br_table $a $b 0 $a (i32.const 0))))))`)).toEqual([
      'block []', 'block []', 'loop []', 'br 0', 'br 1', 'br 2', 'i32.const 0', 'br_if 0', 'i32.const 0', 'br_table 0 1 0 0', 'end', 'end', 'end',
    ]);
  });

  it('checks repeated labels after end and else', () => {
    expect(body('(func block $l end $l loop $m end if $i else $i end $i)')).toEqual([
      'block []', 'end', 'loop []', 'end', 'if []', 'else', 'end',
    ]);
    expect(where('(func block $a end $b)')).toEqual(['mismatching label', 1, 20]);
    expect(where('(func block end $l)')).toEqual(['mismatching label', 1, 17]);
    expect(where('(func i32.const 0 if $a else $b end)')).toEqual(['mismatching label', 1, 30]);
    expect(where('(func (block $l) (br $l))')).toEqual(['unknown label $l', 1, 22]);
  });

  it('resolves locals by name, parameters first', () => {
    const m = parseWat('(func $f (param $a i32) (param f64) (local $b i64) (local f32 f32) (local.set $b (i64.const 0)) (local.get $a) drop)');
    expect(ops(m.funcs[0]!.body)).toEqual(['i64.const 0', 'local.set 2', 'local.get 0', 'drop']);
    expect(m.funcs[0]!.locals).toEqual(['i64', 'f32', 'f32']);
    expect(m.funcs[0]!.localIds).toEqual(['$a', undefined, '$b', undefined, undefined]);
    // `(local f32 $c)` is malformed: a named local declares exactly one.
    expect(where('(func (local f32 $c))')).toEqual(['unexpected token', 1, 18]);
  });

  it('reads memory arguments with natural alignment by default', () => {
    expect(body('(memory 1) (func i32.load i64.load8_u offset=0x10 align=1 v128.store offset=4294967295 align=16 i64.store32 align=4 drop)')).toEqual([
      'i32.load align=2 offset=0', 'i64.load8_u align=0 offset=16', 'v128.store align=4 offset=4294967295', 'i64.store32 align=2 offset=0', 'drop',
    ]);
    expect(where('(memory 1) (func i32.load align=3)')).toEqual(['alignment must be a power of two', 1, 27]);
    expect(where('(memory 1) (func i32.load align=0)')).toEqual(['alignment must be a power of two', 1, 27]);
    expect(where('(memory 1) (func i32.load offset=4294967296)', '2.0')).toEqual(['i32 constant out of range', 1, 27]);
    // 3.0: a u64 offset (memory64); the validator refuses it on an i32 memory.
    expect(body('(memory 1) (func i32.load offset=4294967296)')).toEqual(['i32.load align=2 offset=4294967296']);
    expect(where('(memory 1) (func i32.load offset=0x1_0000_0000_0000_0000)')).toEqual(['i32 constant out of range', 1, 27]);
  });

  it('reads constants exactly, as signed integers and raw float bits', () => {
    expect(body('(func i32.const 0xffffffff i64.const 0xffffffffffffffff f32.const -nan:0x1 f64.const 0x1p-1074)')).toEqual([
      'i32.const -1', 'i64.const -1', 'f32.const 4286578689', 'f64.const 1',
    ]);
    expect(where('(func (i32.const 4294967296))')).toEqual(['constant out of range', 1, 18]);
    expect(where('(func (f32.const 1e39))')).toEqual(['constant out of range', 1, 18]);
    expect(where('(func (i32.const 1.5))')).toEqual(['unexpected token', 1, 18]);
    expect(where('(func (i32.const))')).toEqual(['unexpected token', 1, 17]);
  });

  it('reads v128 constants in every shape, little-endian', () => {
    const m = parseWat(`(func
      v128.const i8x16 -1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 255
      v128.const i16x8 -1 0 0 0 0 0 0 0x1234
      v128.const i32x4 1 2 3 0x8000_0000
      v128.const i64x2 -2 1
      v128.const f32x4 1 -0 inf nan:0x1
      v128.const f64x2 1.5 -nan)`);
    const bytes = m.funcs[0]!.body.map((i) => [...i.bytes!]);
    expect(bytes[0]).toEqual([255, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 255]);
    expect(bytes[1]).toEqual([255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x34, 0x12]);
    expect(bytes[2]).toEqual([1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0x80]);
    expect(bytes[3]).toEqual([254, 255, 255, 255, 255, 255, 255, 255, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(bytes[4]).toEqual([0, 0, 0x80, 0x3f, 0, 0, 0, 0x80, 0, 0, 0x80, 0x7f, 1, 0, 0x80, 0x7f]);
    expect(bytes[5]).toEqual([0, 0, 0, 0, 0, 0, 0xf8, 0x3f, 0, 0, 0, 0, 0, 0, 0xf8, 0xff]);
    expect(where('(func (v128.const i32x4 1 2 3))')).toEqual(['wrong number of lane literals', 1, 30]);
    expect(where('(func (v128.const i32x4 1 2 3 4 5))')).toEqual(['wrong number of lane literals', 1, 33]);
    expect(where('(func (v128.const i8x16 256 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0))')).toEqual(['constant out of range', 1, 25]);
    expect(where('(func (v128.const 0 0 0 0))')).toEqual(['unexpected token', 1, 19]);
  });

  it('reads shuffles and lane indices', () => {
    const m = parseWat('(func (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31 (v128.const i64x2 0 0) (v128.const i64x2 0 0)) (i32x4.extract_lane 3) (v128.load8_lane offset=1 15))');
    const [, , shuffle, extract, load] = m.funcs[0]!.body;
    expect([...shuffle!.bytes!]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 31]);
    expect(extract!.index).toBe(3);
    expect([load!.index, load!.memarg]).toEqual([15, { align: 0, offset: 1 }]);
    expect(where('(func (i8x16.shuffle 0 1))')).toEqual(['invalid lane length', 1, 25]);
    expect(where('(func (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 256))')).toEqual(['malformed lane index', 1, 57]);
    expect(where('(func (i32x4.extract_lane 256))')).toEqual(['malformed lane index', 1, 27]);
    expect(where('(func (i32x4.extract_lane -1))')).toEqual(['unexpected token', 1, 27]);
  });

  it('reads select, reference and table instructions with their default indices', () => {
    const m = parseWat(`(table $t 1 funcref) (table $u 1 funcref) (elem $e func) (func $f
      select (select (result i32) (result) (i32.const 0) (i32.const 1) (i32.const 2)) ref.null extern ref.func $f
      table.get $u table.size table.copy table.copy $u $t table.init $e table.init $u 0 elem.drop 0
      call_indirect $u (type 0) memory.copy memory.fill)`);
    expect(ops(m.funcs[0]!.body)).toEqual([
      'select', 'i32.const 0', 'i32.const 1', 'i32.const 2', 'select (i32)', 'ref.null externref', 'ref.func 0',
      'table.get 1', 'table.size 0', 'table.copy 0 /0', 'table.copy 1 /0', 'table.init 0 /0', 'table.init 0 /1', 'elem.drop 0',
      'call_indirect 0 /1', 'memory.copy /0', 'memory.fill /0',
    ]);
    expect(m.funcs[0]!.body[4]!.code).toBe(0x1c);
    expect(m.funcs[0]!.body[0]!.code).toBe(0x1b);
  });

  it('reports unknown operators, including obsolete names, at the keyword', () => {
    expect(where('(func\n  (i32.add (get_local 0)))')).toEqual(['unknown operator get_local', 2, 13]);
    expect(where('(func i32.const0)')).toEqual(['unknown operator i32.const0', 1, 7]);
    expect(where('(func br 0drop)')).toEqual(['unknown operator 0drop', 1, 10]);
    expect(where('(func (if (i32.const 0) nop (then)))')).toEqual(['unexpected token', 1, 25]);
    expect(where('(func (if i32.const 0 (then)))')).toEqual(['unexpected token', 1, 11]);
  });
});

describe('source spans', () => {
  it('spans plain instructions over their immediates and folded ones over their parentheses', () => {
    const m = parseWat('(func $f (param i32)\n  local.get 0\n  (i32.eqz (local.get 0)) drop drop)');
    const [get, inner, eqz] = m.funcs[0]!.body;
    expect(get!.span.text).toEqual({ line: 2, column: 3, endLine: 2, endColumn: 14, start: 23, end: 34 });
    expect(inner!.span.text).toMatchObject({ line: 3, column: 12, endColumn: 25 });
    expect(eqz!.span.text).toMatchObject({ line: 3, column: 3, endLine: 3, endColumn: 26 });
    expect(m.funcs[0]!.endSpan!.text).toMatchObject({ line: 3, column: 36, endColumn: 37 });
    expect(m.funcs[0]!.span.text).toMatchObject({ line: 1, column: 1, endLine: 3, endColumn: 37 });
  });

  it('spans a block header and puts a folded block’s end at its closing parenthesis', () => {
    const m = parseWat('(func (block $l (result i32)\n (i32.const 1)))');
    const [block, , end] = m.funcs[0]!.body;
    expect(block!.span.text).toMatchObject({ line: 1, column: 7, endLine: 1, endColumn: 29 });
    expect(end!.span.text).toMatchObject({ line: 2, column: 15, endColumn: 16 });
  });
});

describe('3.0 instructions', () => {
  it('reads relaxed SIMD in 3.0 and not in 2.0', () => {
    const src = '(module (func (param v128 v128) (result v128) (i8x16.relaxed_swizzle (local.get 0) (local.get 1))))';
    const body = parseWat(src).funcs[0]!.body;
    expect(body.map((i) => i.op)).toEqual(['local.get', 'local.get', 'i8x16.relaxed_swizzle']);
    expect(body[2]!.code).toBe(0xfd0100);
    expect(() => parseWat(src, { version: '2.0' })).toThrow(/unknown operator i8x16.relaxed_swizzle/);
  });
});

describe('tables (3.0)', () => {
  it('reads an address type, u64 limits and an initial value', () => {
    const m = parseWat('(module (func $f) (table $t i64 2 0x1_0000_0000 funcref) (table 3 funcref (ref.func $f)) (table i64 funcref (elem $f)))');
    expect(m.tables[0]!.type.limits).toEqual({ min: 2, max: 2 ** 32, index64: true });
    expect(m.tables[1]!.init?.map((i) => i.op)).toEqual(['ref.func']);
    expect(m.tables[2]!.type.limits).toMatchObject({ min: 1, max: 1, index64: true });
    expect(m.elems[0]!.mode).toMatchObject({ kind: 'active', table: 2, offset: [{ op: 'i64.const', value: 0n }] });
    expect(() => parseWat('(module (table i64 1 funcref))', { version: '2.0' })).toThrow(ParseError);
    expect(() => parseWat('(module (table 1 funcref (ref.null func)))', { version: '2.0' })).toThrow(ParseError);
  });

  it('reads i32 table limits as u64 in 3.0, for validation to refuse (u32 in 2.0)', () => {
    expect(parseWat('(module (table 0 0x1_0000_0000 funcref))').tables[0]!.type.limits).toEqual({ min: 0, max: 2 ** 32 });
    expect(parseWat('(module (table i32 0x1_0000_0000 funcref))').tables[0]!.type.limits).toEqual({ min: 2 ** 32 });
    expect(() => parseWat('(module (table 0 4294967296 funcref))', { version: '2.0' })).toThrow(/i32 constant out of range/);
  });
});

describe('quoted identifiers (3.0)', () => {
  it('binds $"…" and $… to the same identifier', () => {
    const m = parseWat('(module (func $"f g") (func $h (call $"f g") (call $"\\68")))');
    expect(m.funcs[1]!.body.map((i) => i.index)).toEqual([0, 1]);
    expect(() => parseWat('(module (func $""))')).toThrow(/empty identifier/);
    expect(() => parseWat('(module (func $ (@a)))')).toThrow(/empty identifier/);
    expect(() => parseWat('(module (func $"\\ef"))')).toThrow(/malformed UTF-8/);
  });
});
