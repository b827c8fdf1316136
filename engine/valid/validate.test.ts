// Unit tests of the validator: every error path (wording, function and instruction index,
// location), the polymorphic stack of unreachable code, the signature table, and what a
// ValidatedModule carries. The side table has its own file (side-table.test.ts).
import { describe, expect, it } from 'vitest';
import { decodeModule, encodeModule } from '../binary/index.ts';
import { type Instr, type Module, OPS, type VersionOptions } from '../syntax/index.ts';
import { parseWat } from '../text/index.ts';
import { ValidationError } from './error.ts';
import { validationSig } from './signatures.ts';
import { F64, I32, I64, V128 } from './types.ts';
import { validateModule } from './validate.ts';

function rejects(module: Module | string, options: VersionOptions = {}): ValidationError {
  const m = typeof module === 'string' ? parseWat(module) : module;
  try {
    validateModule(m, options);
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('expected a ValidationError, but the module validated');
}

const valid = (source: string) => validateModule(parseWat(source));

describe('ValidationError', () => {
  it('names the function, the instruction and its line:column', () => {
    const e = rejects(`(module
  (func $fib (result i32)
    i32.const 1
    f64.const 2
    i32.add))`);
    expect(e.message).toBe('func 0 ($fib), instr 2 (i32.add) at 5:5: type mismatch: expected [i32 i32], found [i32 f64]');
    expect(e.specMessage).toBe('type mismatch: expected [i32 i32], found [i32 f64]');
    expect(e.name).toBe('ValidationError');
    expect(e.funcIndex).toBe(0);
    expect(e.instrIndex).toBe(2);
    expect(e.op).toBe('i32.add');
    expect(e.span?.text).toMatchObject({ line: 5, column: 5, endColumn: 12 });
  });

  it('counts imported functions in the function index', () => {
    const e = rejects('(module (import "m" "f" (func)) (func $g local.get 0 drop))');
    expect(e.message).toMatch(/^func 1 \(\$g\), instr 0 \(local\.get\) at 1:/);
    expect(e.funcIndex).toBe(1);
    expect(e.specMessage).toBe('unknown local 0');
  });

  it('points at the byte of a decoded instruction and uses the name section', () => {
    const text = parseWat('(module (func $f (param i32) (result i32) local.get 0 i64.const 1 i32.add))');
    const bytes = encodeModule(text);
    const m = decodeModule(bytes);
    m.names = { functions: new Map([[0, 'sum']]), locals: new Map() };
    const e = rejects(m);
    const offset = e.span?.bytes?.offset;
    expect(offset).toBeDefined();
    expect(bytes[offset!]).toBe(0x6a); // i32.add
    expect(e.message).toBe(`func 0 ($sum), instr 2 (i32.add) at byte 0x${offset!.toString(16)}: type mismatch: expected [i32 i32], found [i32 i64]`);
  });

  it('reports the implicit final end as instruction body.length, at Func.endSpan', () => {
    const m = parseWat('(module\n  (func (result i32)\n    nop))');
    const e = rejects(m);
    expect(e.instrIndex).toBe(1);
    expect(e.op).toBe('end');
    expect(e.span).toBe(m.funcs[0]!.endSpan);
    expect(e.specMessage).toBe('type mismatch: the function must end with [i32], found []');
  });

  it('shows extra values left at the end of a block', () => {
    const e = rejects('(module (func block i32.const 1 f32.const 2 end))');
    expect(e.instrIndex).toBe(3);
    expect(e.specMessage).toBe('type mismatch: the block must end with [], found [i32 f32]');
  });
});

// [description, module, expected specMessage prefix, instrIndex]
const bodyErrors: [string, string, string, number][] = [
  ['local index', '(module (func local.get 3 drop))', 'unknown local 3', 0],
  ['global index', '(module (func global.get 1 drop))', 'unknown global 1', 0],
  ['function index', '(module (func call 5))', 'unknown function 5', 0],
  ['label depth', '(module (func block br 2 end))', 'unknown label 2', 1],
  ['br_table label', '(module (func i32.const 0 br_table 0 3))', 'unknown label 3', 1],
  ['table of table.get', '(module (func i32.const 0 table.get 0 drop))', 'unknown table 0', 1],
  ['table of call_indirect', '(module (type (func)) (func i32.const 0 call_indirect (type 0)))', 'unknown table 0', 1],
  ['type of call_indirect', '(module (table 1 funcref) (func i32.const 0 call_indirect (type 3)))', 'unknown type 3', 1],
  ['call_indirect through externref', '(module (type (func)) (table 1 externref) (func i32.const 0 call_indirect (type 0)))', 'type mismatch', 1],
  ['block type index', '(module (func block (type 7) end))', 'unknown type 7', 0],
  ['memory of a load', '(module (func i32.const 0 i32.load drop))', 'unknown memory 0', 1],
  ['memory of memory.size', '(module (func memory.size drop))', 'unknown memory 0', 0],
  ['memory of memory.init', '(module (data "x") (func i32.const 0 i32.const 0 i32.const 0 memory.init 0))', 'unknown memory 0', 3],
  ['elem segment', '(module (func elem.drop 0))', 'unknown elem segment 0', 0],
  ['data segment', '(module (memory 1) (func data.drop 0))', 'unknown data segment 0', 0],
  ['load alignment', '(module (memory 1) (func i32.const 0 i32.load align=8 drop))', 'alignment must not be larger than natural', 1],
  ['store alignment', '(module (memory 1) (func i32.const 0 i64.const 0 i64.store16 align=4))', 'alignment must not be larger than natural', 2],
  ['v128 load alignment', '(module (memory 1) (func i32.const 0 v128.load align=32 drop))', 'alignment must not be larger than natural', 1],
  ['extract lane', '(module (func v128.const i64x2 0 0 i8x16.extract_lane_s 16 drop))', 'invalid lane index', 1],
  ['replace lane', '(module (func v128.const i64x2 0 0 f64.const 0 f64x2.replace_lane 2 drop))', 'invalid lane index', 2],
  ['shuffle lane', '(module (func v128.const i64x2 0 0 v128.const i64x2 0 0 i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 32 drop))', 'invalid lane index', 2],
  ['load lane', '(module (memory 1) (func i32.const 0 v128.const i64x2 0 0 v128.load64_lane 2 drop))', 'invalid lane index', 2],
  ['immutable global', '(module (global i32 (i32.const 0)) (func i32.const 1 global.set 0))', 'global is immutable', 1],
  ['undeclared ref.func', '(module (func ref.func 0 drop))', 'undeclared function reference', 0],
  ['ref.func index', '(module (func ref.func 9 drop))', 'unknown function 9', 0],
  ['typed select arity', '(module (func (result i32) i32.const 1 i32.const 1 i32.const 1 select (result i32 i32)))', 'invalid result arity', 3],
  ['untyped select on references', '(module (func ref.null func ref.null func i32.const 0 select drop))', 'type mismatch', 3],
  ['untyped select on different types', '(module (func i32.const 0 i64.const 0 i32.const 0 select drop))', 'type mismatch', 3],
  ['typed select operands', '(module (func f32.const 0 f64.const 0 i32.const 0 select (result f64) drop))', 'type mismatch', 3],
  ['br_table arities', '(module (func block block (result i32) i32.const 0 i32.const 0 br_table 0 1 end drop end))', 'type mismatch', 4],
  ['br_table label types', '(module (func block (result f32) block (result i32) i32.const 0 i32.const 0 br_table 0 1 end drop f32.const 0 end drop))', 'type mismatch', 4],
  ['if without else', '(module (func (result i32) i32.const 1 if (result i32) i32.const 1 end))', 'type mismatch', 3],
  ['if condition', '(module (func f32.const 0 if end))', 'type mismatch', 1],
  ['ref.is_null on a number', '(module (func i32.const 0 ref.is_null drop))', 'type mismatch', 1],
  ['table.set value', '(module (table 1 externref) (func i32.const 0 ref.null func table.set 0))', 'type mismatch', 2],
  ['table.init types', '(module (table 1 externref) (elem funcref) (func i32.const 0 i32.const 0 i32.const 0 table.init 0 0))', 'type mismatch', 3],
  ['table.copy types', '(module (table 1 externref) (table 1 funcref) (func i32.const 0 i32.const 0 i32.const 0 table.copy 0 1))', 'type mismatch', 3],
  ['drop on an empty stack', '(module (func drop))', 'type mismatch', 0],
  ['local.tee type', '(module (func (local f32) i32.const 0 local.tee 0 drop))', 'type mismatch', 1],
  ['return value', '(module (func (result i64) i32.const 0 return))', 'type mismatch', 1],
  ['call arguments', '(module (func $f (param i32 f64)) (func f64.const 0 i32.const 0 call $f))', 'type mismatch', 2],
  ['else branch result', '(module (func (result i32) i32.const 1 if (result i32) i32.const 1 else end))', 'type mismatch', 4],
  ['block parameters', '(module (type $t (func (param i64) (result i64))) (func i32.const 0 block (type $t) end drop))', 'type mismatch', 1],
  ['unreachable code keeps types', '(module (func unreachable i64.const 0 i32.add drop))', 'type mismatch', 2],
];

describe('function body errors', () => {
  it.each(bodyErrors)('%s', (_name, source, expected, instrIndex) => {
    const e = rejects(source);
    expect(e.specMessage.startsWith(expected), e.message).toBe(true);
    expect(e.funcIndex).toBe(source.includes('$f (param i32 f64)') ? 1 : 0);
    expect(e.instrIndex).toBe(instrIndex);
    expect(e.span?.text?.line).toBe(1);
    expect(e.message).toContain(`instr ${instrIndex} (`);
  });

  it('needs a data count for memory.init and data.drop (hand-built module)', () => {
    const m = parseWat('(module (memory 1) (data "x") (func data.drop 0))');
    expect(m.dataCount).toBe(1);
    delete m.dataCount;
    const e = rejects(m);
    expect(e.specMessage).toBe('data count section required');
    expect(e.instrIndex).toBe(0);
  });

  it('rejects a negative block type index (a padded s33 the decoder passes on)', () => {
    // (func block <0xc0 0x7f = s33 -64> end): not 0x40, not a value type, not an index ≥ 0.
    const bytes = Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10, 8, 1, 6, 0, 0x02, 0xc0, 0x7f, 0x0b, 0x0b);
    const e = rejects(decodeModule(bytes));
    expect(e.specMessage).toBe('unknown type -64');
    expect(e.instrIndex).toBe(0);
    expect(e.span?.bytes?.offset).toBe(23);
  });

  it('rejects a data count that does not match the segments', () => {
    const m = parseWat('(module (memory 1) (data "x"))');
    m.dataCount = 2;
    expect(rejects(m).specMessage).toMatch(/^data count and data section have inconsistent lengths/);
  });

  // The decoder and the parser never produce these; the validator must not crash on them.
  it('rejects unbalanced structure in a hand-built body', () => {
    const ins = (op: string, code: number): Instr => ({ op, code, span: {} });
    const withBody = (body: Instr[]) => {
      const m = parseWat('(module (func))');
      (m.funcs[0]!.body as Instr[]).push(...body);
      return m;
    };
    const stray = rejects(withBody([ins('nop', 0x01), ins('end', 0x0b)]));
    expect(stray.specMessage).toMatch(/^end without a matching/);
    expect(stray.instrIndex).toBe(1);
    const lonelyElse = rejects(withBody([{ op: 'block', code: 0x02, blockType: { kind: 'empty' }, span: {} }, ins('else', 0x05)]));
    expect(lonelyElse.specMessage).toMatch(/^else without a matching if/);
    expect(lonelyElse.instrIndex).toBe(1);
    const open = rejects(withBody([{ op: 'loop', code: 0x03, blockType: { kind: 'empty' }, span: {} }]));
    expect(open.specMessage).toMatch(/^unclosed block/);
    expect(open.instrIndex).toBe(1);
  });
});

// [description, module, expected specMessage prefix, where]
const moduleErrors: [string, string, string, string][] = [
  ['non-constant initializer', '(module (global i32 i32.const 1 i32.eqz))', 'constant expression required', 'global 0'],
  ['mutable global in an initializer', '(module (import "m" "g" (global (mut i32))) (global i32 (global.get 0)))', 'constant expression required', 'global 1'],
  ['mutable defined global in an initializer', '(module (global (mut i32) (i32.const 0)) (global i32 (global.get 0)))', 'constant expression required', 'global 1'],
  ['later global in an initializer', '(module (global i32 (global.get 1)) (global i32 (i32.const 0)))', 'unknown global 1', 'global 0'],
  ['own global in an initializer', '(module (global i32 (global.get 0)))', 'unknown global 0', 'global 0'],
  ['table limit above 2^32-1', '(module (table 0 0x1_0000_0000 funcref))', 'table size', 'table 0'],
  ['defined global in a table initializer', '(module (global funcref (ref.null func)) (table 1 funcref (global.get 0)))', 'unknown global 0', 'table 0'],
  ['extended constant operand types', '(module (global i32 (i32.add (i32.const 1) (i64.const 2))))', 'type mismatch', 'global 0'],
  ['extended constant result type', '(module (global i32 (i64.mul (i64.const 1) (i64.const 2))))', 'type mismatch', 'global 0'],
  ['initializer type', '(module (global i32 (i64.const 0)))', 'type mismatch', 'global 0'],
  ['element item type', '(module (table 1 funcref) (elem (i32.const 0) externref (ref.null extern)))', 'type mismatch', 'elem 0'],
  ['offset type', '(module (memory 1) (data (i64.const 0) "x"))', 'type mismatch', 'data 0, offset'],
  ['ref.func in an initializer', '(module (global funcref (ref.func 3)))', 'unknown function 3', 'global 0'],
  ['memory too large', '(module (memory 65537))', 'memory size must be at most 65536 pages (4GiB)', 'memory 0'],
  ['memory maximum too large', '(module (memory 0 65537))', 'memory size must be at most 65536 pages (4GiB)', 'memory 0'],
  ['memory limits', '(module (memory 2 1))', 'size minimum must not be greater than maximum', 'memory 0'],
  ['table limits', '(module (table 2 1 funcref))', 'size minimum must not be greater than maximum', 'table 0'],
  ['imported memory limits', '(module (import "m" "mem" (memory 3 2)))', 'size minimum must not be greater than maximum', 'import 0 ("m" "mem")'],
  ['imported function type', '(module (import "m" "f" (func (type 4))))', 'unknown type 4', 'import 0 ("m" "f")'],
  ['start type', '(module (func (param i32)) (start 0))', 'start function', 'start'],
  ['start index', '(module (start 2))', 'unknown function 2', 'start'],
  ['duplicate export', '(module (func (export "a")) (func (export "a")))', 'duplicate export name', 'export 1 ("a")'],
  ['exported function', '(module (export "a" (func 3)))', 'unknown function 3', 'export 0 ("a")'],
  ['exported memory', '(module (export "m" (memory 0)))', 'unknown memory 0', 'export 0 ("m")'],
  ['exported global', '(module (export "g" (global 1)))', 'unknown global 1', 'export 0 ("g")'],
  ['exported table', '(module (export "t" (table 0)))', 'unknown table 0', 'export 0 ("t")'],
  ['element type for the table', '(module (table 1 externref) (elem (table 0) (i32.const 0) func))', 'type mismatch', 'elem 0'],
  ['element table', '(module (elem (i32.const 0) func))', 'unknown table 0', 'elem 0'],
  ['data memory', '(module (data (i32.const 0) "a"))', 'unknown memory 0', 'data 0'],
];

describe('module errors', () => {
  it.each(moduleErrors)('%s', (_name, source, expected, where) => {
    const e = rejects(source);
    expect(e.specMessage.startsWith(expected), e.message).toBe(true);
    expect(e.where.startsWith(where), e.where).toBe(true);
    expect(e.funcIndex).toBeUndefined();
    expect(e.span?.text?.line).toBe(1);
    const instr = e.instrIndex === undefined ? '' : `, instr ${e.instrIndex} (${e.op})`;
    expect(e.message.startsWith(`${e.where}${instr} at 1:`), e.message).toBe(true);
  });

  // 2.0 reads only imported globals and has no arithmetic in constant expressions.
  it.each([
    ['extended constant', '(module (global i32 i32.const 1 i32.const 2 i32.add))', 'constant expression required: i32.add is not allowed', 'global 0'],
    ['defined global in an initializer', '(module (global i32 (i32.const 0)) (global i32 (global.get 0)))', 'unknown global 0', 'global 1'],
    ['defined global in an offset', '(module (memory 1) (global i32 (i32.const 0)) (data (global.get 0) "x"))', 'unknown global 0', 'data 0, offset'],
  ])('2.0: %s', (_name, source, expected, where) => {
    const e = rejects(source, { version: '2.0' });
    expect(e.specMessage.startsWith(expected), e.message).toBe(true);
    expect(e.where.startsWith(where), e.where).toBe(true);
    expect(() => valid(source)).not.toThrow();
  });

  it('gives the position inside a constant expression', () => {
    const e = rejects('(module (global i32 i32.const 1 i32.const 2 i32.add))', { version: '2.0' });
    expect(e.instrIndex).toBe(2);
    expect(e.op).toBe('i32.add');
    expect(e.span?.text?.column).toBe(45);
  });

  it('names the function whose type index is unknown (hand-built module)', () => {
    const m = parseWat('(module (type (func)) (func $f (type 0)))');
    (m.funcs[0] as { type: number }).type = 6;
    const e = rejects(m);
    expect(e.specMessage).toBe('unknown type 6');
    expect(e.where).toBe('func 0 ($f)');
    expect(e.funcIndex).toBe(0);
  });

  it('reports an empty constant expression (hand-built module)', () => {
    const m = parseWat('(module (global i32 (i32.const 0)))');
    (m.globals[0]!.init as Instr[]).length = 0;
    const e = rejects(m);
    expect(e.specMessage).toBe('type mismatch: constant expression must produce [i32], produces []');
    expect(e.instrIndex).toBeUndefined();
  });
});

describe('valid modules', () => {
  it.each([
    ['values after unreachable are polymorphic', '(module (func (result i32) unreachable i32.add))'],
    ['select after unreachable', '(module (func (result i32) unreachable select))'],
    ['select on unknown and a number', '(module (func unreachable i32.const 0 select drop))'],
    ['ref.is_null after unreachable', '(module (func unreachable ref.is_null drop))'],
    ['br_table meets bottom', '(module (func (result f64) block (result f64) block (result f32) unreachable i32.const 1 br_table 0 1 1 end drop f64.const 0 end))'],
    ['typed select on references', '(module (func (result funcref) ref.null func ref.null func i32.const 0 select (result funcref)))'],
    ['v128 untyped select', '(module (func (result v128) v128.const i64x2 0 0 v128.const i64x2 0 0 i32.const 0 select))'],
    ['multi-value blocks', '(module (type $t (func (param i32 i32) (result i32))) (func (result i32) i32.const 1 i32.const 2 block (type $t) i32.add end))'],
    ['loop parameters are its label', '(module (type $t (func (param i32))) (func i32.const 1 loop (type $t) br 0 end))'],
    ['if without else passing parameters', '(module (type $t (func (param i32) (result i32))) (func (result i32) i32.const 5 i32.const 1 if (type $t) end))'],
    ['ref.func declared by an element segment', '(module (func $f) (elem declare func $f) (func ref.func $f drop))'],
    ['ref.func declared by an export', '(module (func $f (export "f")) (func ref.func $f drop))'],
    ['ref.func declared by a global', '(module (func $f) (global funcref (ref.func $f)) (func ref.func $f drop))'],
    ['imported immutable global in a constant', '(module (import "m" "g" (global i32)) (global i32 (global.get 0)) (memory 1) (data (global.get 0) "x"))'],
    ['several tables', '(module (table 1 funcref) (table 2 externref) (func i32.const 0 table.get 1 drop))'],
    ['largest memory', '(module (memory 65536 65536))'],
    ['mutable global set', '(module (global (mut f64) (f64.const 0)) (func f64.const 1 global.set 0))'],
    ['natural alignment', '(module (memory 1) (func i32.const 0 i64.load align=8 drop i32.const 0 v128.const i64x2 0 0 v128.load16_lane align=2 7 drop))'],
  ])('%s', (_name, source) => {
    const v = valid(source);
    expect(v.funcs.length).toBe(v.module.funcs.length);
  });
});

describe('ValidatedModule', () => {
  it('carries the index spaces and per-function facts', () => {
    const v = valid(`(module
      (import "m" "f" (func (param i64)))
      (import "m" "g" (global i64))
      (import "m" "t" (table 1 funcref))
      (memory 1)
      (global (mut f32) (f32.const 0))
      (func (param i32) (local f64 v128)
        local.get 0 drop))`);
    expect(v.imported).toEqual({ funcs: 1, tables: 1, mems: 0, globals: 1 });
    expect(v.funcTypes).toEqual([
      { params: ['i64'], results: [] },
      { params: ['i32'], results: [] },
    ]);
    expect(v.funcTypeIndices.length).toBe(2);
    expect(v.globals).toEqual([
      { type: 'i64', mutable: false },
      { type: 'f32', mutable: true },
    ]);
    expect(v.mems).toEqual([{ limits: { min: 1 } }]);
    expect(v.tables[0]!.elem).toBe('funcref');
    const f = v.funcs[0]!;
    expect(f.index).toBe(1);
    expect(f.locals).toEqual(['i32', 'f64', 'v128']);
    expect(f.maxHeight).toBe(1);
    expect(f.maxDepth).toBe(1);
  });
});

describe('instruction signatures', () => {
  const contextual = new Set([
    'unreachable', 'nop', 'block', 'loop', 'if', 'else', 'end', 'br', 'br_if', 'br_table', 'return', 'call',
    'call_indirect', 'ref.null', 'ref.is_null', 'ref.func', 'drop', 'select', 'local.get', 'local.set',
    'local.tee', 'global.get', 'global.set', 'table.get', 'table.set', 'table.init', 'elem.drop', 'table.copy',
    'table.grow', 'table.size', 'table.fill', 'memory.init', 'data.drop', 'i8x16.shuffle',
  ]);

  it('types every other instruction of the opcode table', () => {
    for (const info of OPS) {
      expect(validationSig(info.code) === undefined, info.op).toBe(contextual.has(info.op));
    }
  });

  it.each([
    ['i32.add', [I32, I32], [I32]],
    ['i64.eqz', [I64], [I32]],
    ['f64.convert_i64_u', [I64], [F64]],
    ['i64.extend32_s', [I64], [I64]],
    ['i32.trunc_sat_f64_s', [F64], [I32]],
    ['f64.store', [I32, F64], []],
    ['i64.load32_u', [I32], [I64]],
    ['v128.load8_lane', [I32, V128], [V128]],
    ['v128.store64_lane', [I32, V128], []],
    ['i64x2.splat', [I64], [V128]],
    ['f64x2.extract_lane', [V128], [F64]],
    ['i16x8.replace_lane', [V128, I32], [V128]],
    ['i8x16.shr_u', [V128, I32], [V128]],
    ['v128.bitselect', [V128, V128, V128], [V128]],
    ['i32x4.all_true', [V128], [I32]],
    ['i32x4.trunc_sat_f64x2_u_zero', [V128], [V128]],
    ['i16x8.narrow_i32x4_s', [V128, V128], [V128]],
    ['memory.grow', [I32], [I32]],
    ['memory.copy', [I32, I32, I32], []],
  ])('%s', (op, params, results) => {
    const info = OPS.find((o) => o.op === op)!;
    const s = validationSig(info.code)!;
    expect([...s.params]).toEqual(params);
    expect([...s.results]).toEqual(results);
  });

  it('records alignment and lane limits', () => {
    const sigOf = (op: string) => validationSig(OPS.find((o) => o.op === op)!.code)!;
    expect(sigOf('i64.load16_s')).toMatchObject({ memory: true, align: 1, lanes: 0 });
    expect(sigOf('v128.load32_lane')).toMatchObject({ memory: true, align: 2, lanes: 4 });
    expect(sigOf('i8x16.extract_lane_u')).toMatchObject({ memory: false, align: -1, lanes: 16 });
    expect(sigOf('memory.size')).toMatchObject({ memory: true, align: -1 });
  });
});

describe('relaxed SIMD (3.0)', () => {
  const relaxed = '(module (func (param v128 v128 v128) (result v128) (f32x4.relaxed_madd (local.get 0) (local.get 1) (local.get 2))))';

  it('validates the relaxed vector instructions by their fixed signatures', () => {
    expect(() => valid(relaxed)).not.toThrow();
    const e = rejects('(module (func (param v128 i32) (result v128) (i8x16.relaxed_swizzle (local.get 0) (local.get 1))))');
    expect(e.specMessage).toMatch(/^type mismatch/);
    expect(e.op).toBe('i8x16.relaxed_swizzle');
  });

  it('refuses them under version 2.0', () => {
    const e = rejects(decodeModule(encodeModule(parseWat(relaxed))), { version: '2.0' });
    expect(e.specMessage).toMatch(/does not execute relaxed vector instructions/);
  });
});

describe('table64 and table initial values (3.0)', () => {
  it('types table instructions by the table index type', () => {
    expect(() => valid('(module (table i64 1 funcref) (func (result funcref) (table.get 0 (i64.const 0))))')).not.toThrow();
    expect(rejects('(module (table i64 1 funcref) (func (result funcref) (table.get 0 (i32.const 0))))').specMessage).toMatch(/^type mismatch/);
    expect(() => valid('(module (table i64 1 funcref) (func (result i64) (table.grow 0 (ref.null func) (i64.const 1))))')).not.toThrow();
    expect(rejects('(module (table i64 1 funcref) (func (result i32) (table.size 0)))').specMessage).toMatch(/^type mismatch/);
    expect(() => valid('(module (type $t (func)) (table i64 1 funcref) (func (call_indirect (type $t) (i64.const 0))))')).not.toThrow();
  });

  it('gives table.copy between an i32 and an i64 table a count of the smaller type', () => {
    const copy = (d: string, s: string, n: string) => `(module (table $a i64 1 funcref) (table $b 1 funcref) (func (table.copy $a $b (${d}.const 0) (${s}.const 0) (${n}.const 0))))`;
    expect(() => valid(copy('i64', 'i32', 'i32'))).not.toThrow();
    expect(rejects(copy('i64', 'i32', 'i64')).specMessage).toMatch(/^type mismatch/);
    expect(rejects(copy('i32', 'i32', 'i32')).specMessage).toMatch(/^type mismatch/);
  });

  it('checks element offsets and initial values against the table', () => {
    expect(() => valid('(module (func $f) (table i64 1 funcref) (elem (i64.const 0) func $f))')).not.toThrow();
    expect(rejects('(module (func $f) (table i64 1 funcref) (elem (i32.const 0) func $f))').specMessage).toMatch(/^type mismatch/);
    expect(() => valid('(module (func $f) (table 1 funcref (ref.func $f)))')).not.toThrow();
    expect(rejects('(module (table 1 funcref (ref.null extern)))').specMessage).toMatch(/^type mismatch/);
    expect(rejects('(module (table 1 funcref (i32.const 0)))').specMessage).toMatch(/^type mismatch/);
  });

  it('refuses both under version 2.0', () => {
    const m = parseWat('(module (table i64 1 funcref))');
    expect(rejects(m, { version: '2.0' }).specMessage).toMatch(/does not execute 64-bit memories and tables/);
  });
});
