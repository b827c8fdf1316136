// The disassembler (print.ts, format.ts): exact values, names, layout, and the round trip
// binary → decode → print → parseWat → encode over hand-written modules, the official
// WebAssembly 2.0 spec suite and three real toolchain binaries. wabt is the independent
// oracle: it must read every printed module to the same bytes as well.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import wabtInit from 'wabt';
import { decodeModule as decodeAny, encodeModule } from '../binary/index.ts';
import { emptyModule, type Instr, type Module, opByName } from '../syntax/index.ts';
import { formatF32, formatF64, hexF32, hexF64, quoteBytes, quoteName, sanitizeId } from './format.ts';
import { parseF32, parseF64, parseFloatExact } from './numbers.ts';
import { parseWat } from './parser.ts';
import { printModule, printModuleChunks } from './print.ts';
import { parseQuoted, parseWast } from './wast.ts';
import { testsuiteRoot } from '../../tests/support/testsuite.ts';

// Round trips through the text parser are a WebAssembly 2.0 matter (the parser reads 2.0):
// binaries are decoded as 2.0, so the 2.0 suite's malformed ones stay malformed.
const decodeModule = (bytes: Uint8Array) => decodeAny(bytes, { version: '2.0' });

const wabt = await wabtInit();
const repoRoot = path.resolve(import.meta.dirname, '../..');

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** wabt's bytes for a text module (its default features are WebAssembly 2.0's). */
function wabtBytes(source: string, debugNames = false): Uint8Array {
  const parsed = wabt.parseWat('test.wat', source, {});
  try {
    parsed.resolveNames();
    return parsed.toBinary({ write_debug_names: debugNames }).buffer;
  } finally {
    parsed.destroy();
  }
}

function usesDataIndex(m: Module): boolean {
  return m.funcs.some((f) => f.body.some((i) => i.op === 'memory.init' || i.op === 'data.drop'));
}

/**
 * What the text format can say about a module: everything but custom sections (no text
 * form in 2.0) and a data count section that no instruction needs (the text format only
 * has one when memory.init or data.drop is used).
 */
function textual(m: Module): Module {
  const { dataCount: _, ...rest } = m;
  return usesDataIndex(m) ? { ...rest, customs: [], dataCount: m.datas.length } : { ...rest, customs: [] };
}

/** decode → print → parseWat → encode, against the original's text-expressible bytes. */
function roundTrip(bytes: Uint8Array): { text: string; expected: string; actual: string } {
  const decoded = decodeModule(bytes);
  const text = printModule(decoded);
  return { text, expected: hex(encodeModule(textual(decoded))), actual: hex(encodeModule(parseWat(text))) };
}

function ins(op: string, fields: Partial<Instr> = {}): Instr {
  const info = opByName(op);
  if (info === undefined) throw new Error(`no such instruction ${op}`);
  return { op, code: info.code, span: {}, ...fields };
}

// --- Values -------------------------------------------------------------------------------

describe('float constants', () => {
  const f32Cases: [number, string][] = [
    [0x0000_0000, '0'],
    [0x8000_0000, '-0'],
    [0x7f80_0000, 'inf'],
    [0xff80_0000, '-inf'],
    [0x7fc0_0000, 'nan'],
    [0xffc0_0000, '-nan'],
    [0x7f80_0001, 'nan:0x1'],
    [0xff80_0001, '-nan:0x1'],
    [0x7fa0_0000, 'nan:0x200000'],
    [0x7fff_ffff, 'nan:0x7fffff'],
    [0x0000_0001, '1e-45'], // smallest subnormal
    [0x8000_0001, '-1e-45'],
    [0x0000_0003, '4e-45'],
    [0x007f_ffff, '1.1754942e-38'], // largest subnormal
    [0x0080_0000, '1.1754944e-38'], // smallest normal
    [0x7f7f_ffff, '3.4028235e+38'], // largest finite
    [0x3dcc_cccd, '0.1'],
    [0x3f80_0000, '1'],
    [0xbf80_0000, '-1'],
    [0x3eaa_aaab, '0.33333334'],
    [0x4b80_0000, '16777216'],
    [0x4b80_0001, '16777218'],
  ];
  const f64Cases: [bigint, string][] = [
    [0x0n, '0'],
    [0x8000_0000_0000_0000n, '-0'],
    [0x7ff0_0000_0000_0000n, 'inf'],
    [0xfff0_0000_0000_0000n, '-inf'],
    [0x7ff8_0000_0000_0000n, 'nan'],
    [0xfff8_0000_0000_0000n, '-nan'],
    [0x7ff0_0000_0000_0001n, 'nan:0x1'],
    [0xfff4_0000_0000_0000n, '-nan:0x4000000000000'],
    [0x7fff_ffff_ffff_ffffn, 'nan:0xfffffffffffff'],
    [0x1n, '5e-324'], // smallest subnormal
    [0x000f_ffff_ffff_ffffn, '2.225073858507201e-308'], // largest subnormal
    [0x0010_0000_0000_0000n, '2.2250738585072014e-308'], // smallest normal
    [0x7fef_ffff_ffff_ffffn, '1.7976931348623157e+308'],
    [0x3fb9_9999_9999_999an, '0.1'],
    [0xbff0_0000_0000_0000n, '-1'],
    [0x4340_0000_0000_0001n, '9007199254740994'],
    [0x4415_af1d_78b5_8c40n, '100000000000000000000'],
    [0x4480_f0cf_064d_d592n, '1e+22'],
  ];

  it.each(f32Cases)('f32 bits 0x%s prints as %s and reads back', (bits, text) => {
    expect(formatF32(bits)).toBe(text);
    expect(parseF32(text)).toBe(bits);
  });

  it.each(f64Cases)('f64 bits %s prints as %s and reads back', (bits, text) => {
    expect(formatF64(bits)).toBe(text);
    expect(parseF64(text)).toBe(bits);
  });

  it('wabt reads every printed constant to the same bits', () => {
    const globals = [
      ...f32Cases.map(([bits]) => `(global f32 (f32.const ${formatF32(bits)}))`),
      ...f64Cases.map(([bits]) => `(global f64 (f64.const ${formatF64(bits)}))`),
    ];
    const m = decodeModule(wabtBytes(`(module ${globals.join(' ')})`));
    const values = m.globals.map((g) => g.init[0]?.value);
    expect(values).toEqual([...f32Cases.map(([bits]) => bits), ...f64Cases.map(([bits]) => bits)]);
  });

  it('random f32 and f64 bit patterns print as the shortest decimal that reads back exactly', () => {
    let state = 0x2545f491;
    const next = () => {
      // xorshift32: reproducible, covers all exponents evenly
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return state >>> 0;
    };
    const f32 = new Float32Array(1);
    const u32 = new Uint32Array(f32.buffer);
    for (let i = 0; i < 50_000; i++) {
      const bits = next();
      const text = formatF32(bits);
      expect(parseF32(text), text).toBe(bits);
      // Shortest: the nearest decimal with one significant digit fewer reads as another f32.
      const digits = text.replace(/^-/, '').replace(/e.*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
      if (/^\d+$/.test(digits) && digits.length > 1) {
        u32[0] = bits;
        const x = f32[0] as number;
        expect(parseF32(x.toPrecision(digits.length - 1)), text).not.toBe(bits);
      }
      const bits64 = (BigInt(next()) << 32n) | BigInt(next());
      expect(parseF64(formatF64(bits64))).toBe(bits64);
    }
  }, 60_000);

  it('hexadecimal floats are exact, subnormals included', () => {
    expect(hexF32(0x0000_0001)).toBe('0x0.000002p-126');
    expect(hexF32(0x3f80_0000)).toBe('0x1p+0');
    expect(hexF32(0xc0490fdb)).toBe('-0x1.921fb6p+1');
    expect(hexF64(0x1n)).toBe('0x0.0000000000001p-1022');
    expect(hexF64(0x3ff8_0000_0000_0000n)).toBe('0x1.8p+0');
    for (const bits of [0x0000_0001, 0x007f_ffff, 0x0080_0000, 0x7f7f_ffff, 0x3dcc_cccd, 0xc0490fdb]) {
      expect(parseFloatExact(hexF32(bits), 32)).toBe(BigInt(bits));
    }
    for (const bits of [0x1n, 0x000f_ffff_ffff_ffffn, 0x7fef_ffff_ffff_ffffn, 0xbfb9_9999_9999_999an]) {
      expect(parseFloatExact(hexF64(bits), 64)).toBe(bits);
    }
  });
});

describe('strings and identifiers', () => {
  it('escapes data bytes so that all 256 read back', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(quoteBytes(Uint8Array.of(0x41, 0x22, 0x5c, 0x0a, 0x00, 0xff, 0x09))).toBe('"A\\"\\\\\\n\\00\\ff\\t"');
    const m = parseWat(`(module (memory 1) (data (i32.const 0) ${quoteBytes(all)}))`);
    expect(Array.from(m.datas[0]?.bytes ?? [])).toEqual(Array.from(all));
  });

  it('keeps non-ASCII names and escapes quotes, backslashes and control characters', () => {
    const name = 'é"\\\u0001\u007f€𝄞 x';
    expect(quoteName('plain')).toBe('"plain"');
    expect(quoteName(name)).toBe('"é\\"\\\\\\01\\7f€𝄞 x"');
    const m = parseWat(`(module (func (export ${quoteName(name)})))`);
    expect(m.exports[0]?.name).toBe(name);
  });

  it('replaces characters that are not idchars', () => {
    expect(sanitizeId('core::fmt::write')).toBe('core::fmt::write');
    expect(sanitizeId('<T as Trait>::f(x, y)')).toBe('<T_as_Trait>::f_x__y_');
    expect(sanitizeId('ünï𝄞')).toBe('_n__');
  });
});

// --- Layout -------------------------------------------------------------------------------

/** A module built by hand, as the decoder would: flat bodies with explicit block ends. */
function handBuilt(): Module {
  const m = emptyModule();
  m.types.push({ type: { params: ['i32', 'i64'], results: ['i32', 'i64'] }, span: {} });
  m.types.push({ type: { params: ['i32'], results: ['i32'] }, span: {} });
  m.imports.push({ module: 'env', name: 'log', desc: { kind: 'func', type: 1 }, span: {} });
  m.tables.push({ type: { limits: { min: 2, max: 2 }, elem: 'funcref' }, span: {} });
  m.mems.push({ type: { limits: { min: 1 } }, span: {} });
  m.globals.push({ type: { type: 'f64', mutable: true }, init: [ins('f64.const', { value: 0x8000_0000_0000_0000n })], span: {} });
  m.funcs.push({
    type: 1,
    locals: ['i64', 'v128'],
    span: {},
    body: [
      ins('block', { blockType: { kind: 'value', type: 'i32' } }),
      ins('loop', { blockType: { kind: 'empty' } }),
      ins('local.get', { index: 0 }),
      ins('br_if', { index: 1 }),
      ins('local.get', { index: 0 }),
      ins('br_table', { labels: [0, 1, 2] }),
      ins('end'),
      ins('i32.const', { value: -2147483648 }),
      ins('end'),
      ins('i64.const', { value: -9223372036854775808n }),
      ins('local.get', { index: 0 }),
      ins('if', { blockType: { kind: 'index', index: 0 } }),
      ins('else'),
      ins('drop'),
      ins('end'),
      ins('drop'),
      ins('i32.load16_u', { memarg: { align: 0, offset: 8 } }),
      ins('f32.const', { value: 0x7fa0_0000 }),
      ins('f32.store', { memarg: { align: 2, offset: 0 } }),
      ins('v128.const', { bytes: Uint8Array.from({ length: 16 }, (_, i) => i) }),
      ins('i8x16.shuffle', { bytes: Uint8Array.from({ length: 16 }, (_, i) => 31 - i) }),
      ins('local.set', { index: 2 }),
      ins('i32.const', { value: 1 }),
      ins('ref.null', { refType: 'funcref' }),
      ins('ref.is_null'),
      ins('local.get', { index: 0 }),
      { op: 'select', code: 0x1c, types: ['i32'], span: {} },
      ins('call', { index: 0 }),
    ],
  });
  m.exports.push({ name: 'run', kind: 'func', index: 1, span: {} });
  m.elems.push({ type: 'funcref', mode: { kind: 'active', table: 0, offset: [ins('i32.const', { value: 0 })] }, init: [[ins('ref.func', { index: 1 })]], span: {} });
  m.datas.push({ mode: { kind: 'active', memory: 0, offset: [ins('i32.const', { value: 16 })] }, bytes: new TextEncoder().encode('hi\n'), span: {} });
  m.names = { module: 'demo', functions: new Map([[0, 'log'], [1, 'run main']]), locals: new Map([[1, new Map([[0, 'x'], [1, 'x']])]]) };
  return m;
}

describe('printModule', () => {
  it('prints 3.0 (ref func) segments of function references as function index lists, which read back the same', () => {
    const m = parseWat('(module (func $f) (table 1 (ref null func)) (elem (i32.const 0) func $f) (elem declare (ref func) (ref.func $f)))');
    const text = printModule(m);
    expect(text).toContain('(elem (;0;) (i32.const 0) func $f)');
    expect(text).toContain('(elem (;1;) declare func $f)');
    expect(encodeModule(parseWat(text))).toEqual(encodeModule(m));
  });

  it('indents by block depth up to 64 levels, then no further (the text grows linearly with the depth)', () => {
    const depth = 100;
    const lines = printModule(parseWat('(module (func ' + '(block '.repeat(depth) + 'nop' + ')'.repeat(depth) + '))')).split('\n');
    // The function's lines start at level 2; block k (from 1) opens at level k + 1.
    const indentOf = (line: string) => line.length - line.trimStart().length;
    const opening = lines.filter((l) => l.trimStart().startsWith('block'));
    expect(opening.map(indentOf)).toEqual(Array.from({ length: depth }, (_, k) => 2 * Math.min(k + 2, 64)));
    expect(indentOf(lines.find((l) => l.trim() === 'nop')!)).toBe(128);
    expect(lines.find((l) => l.includes('label = @100'))).toBe(' '.repeat(128) + 'block  ;; label = @100');
  });

  it('prints a hand-built module in the flat style, indented by block depth', () => {
    expect(printModule(handBuilt())).toBe(`(module $demo
  (type (;0;) (func (param i32 i64) (result i32 i64)))
  (type (;1;) (func (param i32) (result i32)))
  (import "env" "log" (func $log (;0;) (type 1) (param i32) (result i32)))
  (func $run_main (;1;) (type 1) (param $x i32) (result i32)
    (local $x.1 i64) (local v128)
    block (result i32)  ;; label = @1
      loop  ;; label = @2
        local.get $x
        br_if 1 (;@1;)
        local.get $x
        br_table 0 (;@2;) 1 (;@1;) 2 (;@0;)
      end
      i32.const -2147483648
    end
    i64.const -9223372036854775808
    local.get $x
    if (type 0) (param i32 i64) (result i32 i64)  ;; label = @1
    else
      drop
    end
    drop
    i32.load16_u offset=8 align=1
    f32.const nan:0x200000
    f32.store
    v128.const i32x4 0x03020100 0x07060504 0x0b0a0908 0x0f0e0d0c
    i8x16.shuffle 31 30 29 28 27 26 25 24 23 22 21 20 19 18 17 16
    local.set 2
    i32.const 1
    ref.null func
    ref.is_null
    local.get $x
    select (result i32)
    call $log)
  (table (;0;) 2 2 funcref)
  (memory (;0;) 1)
  (global (;0;) (mut f64) (f64.const -0))
  (export "run" (func $run_main))
  (elem (;0;) (i32.const 0) func $run_main)
  (data (;0;) (i32.const 16) "hi\\n"))
`);
  });

  it('reads back to the same module (our parser and wabt agree on the bytes)', () => {
    const m = handBuilt();
    const text = printModule(m);
    const expected = hex(encodeModule(m));
    expect(hex(encodeModule(parseWat(text)))).toBe(expected);
    expect(hex(wabtBytes(text))).toBe(expected);
  });

  it('keeps text identifiers, and prints indices where there are none', () => {
    const source = `(module $m
      (type $sig (func (param i32)))
      (global $g (mut i32) (i32.const 7))
      (table $t 1 funcref)
      (memory $mem 1)
      (func $f (type $sig) (param $p i32) (local $l i32) (local i32)
        local.get $p local.set $l
        global.get $g local.set 2
        i32.const 0 call_indirect $t (type $sig)
        i32.const 0 i32.const 0 i32.const 0 memory.init $d data.drop $d)
      (data $d "x"))`;
    const text = printModule(parseWat(source));
    expect(text).toContain('(module $m\n');
    expect(text).toContain('(type $sig (;0;) (func (param i32)))');
    expect(text).toContain('(func $f (;0;) (type $sig) (param $p i32)\n    (local $l i32) (local i32)');
    expect(text).toContain('local.set $l\n');
    expect(text).toContain('global.get $g\n    local.set 2\n');
    expect(text).toContain('call_indirect (type $sig)\n');
    expect(text).toContain('memory.init $d\n    data.drop $d)');
    expect(text).toContain('(data $d (;0;) "x")');
    expect(hex(encodeModule(parseWat(text)))).toBe(hex(encodeModule(parseWat(source))));
  });

  it('makes names from the name section valid and distinct identifiers', () => {
    const m = parseWat('(module (func) (func) (func) (func) (func (param i32 i32)))');
    m.names = {
      functions: new Map([[0, 'a b(c)'], [1, 'a_b_c_'], [2, ''], [3, 'a b(c)'], [4, 'ünï']]),
      locals: new Map([[4, new Map([[0, 'same'], [1, 'same']])]]),
    };
    const text = printModule(m);
    expect(text).toContain('(func $a_b_c_ (;0;)');
    expect(text).toContain('(func $a_b_c_.1 (;1;)');
    expect(text).toContain('(func (;2;)');
    expect(text).toContain('(func $a_b_c_.2 (;3;)');
    expect(text).toContain('(func $_n_ (;4;) (type 1) (param $same i32) (param $same.1 i32))');
    expect(hex(encodeModule(parseWat(text)))).toBe(hex(encodeModule(m)));
  });

  it('uses the names section of a binary (wabt --debug-names)', () => {
    const source = '(module (func $fac (export "fac") (param $n i64) (result i64) (local $acc i64) local.get $n local.get $acc i64.mul))';
    const m = decodeModule(wabtBytes(source, true));
    expect(m.names?.functions.get(0)).toBe('fac');
    const text = printModule(m);
    expect(text).toContain('(func $fac (;0;) (type 0) (param $n i64) (result i64)\n    (local $acc i64)\n    local.get $n\n    local.get $acc');
    expect(text).toContain('(export "fac" (func $fac))');
    expect(text).toContain(';; custom section "name"');
  });

  it('closes the module on the last line, also after a function', () => {
    expect(printModule(emptyModule())).toBe('(module)\n');
    const m = parseWat('(module (func nop) (func))');
    expect(printModule(m)).toBe('(module\n  (type (;0;) (func))\n  (func (;0;) (type 0)\n    nop)\n  (func (;1;) (type 0)))\n');
    const chunks = printModuleChunks(m);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((c) => c.endsWith('\n'))).toBe(true);
    expect(chunks.join('')).toBe(printModule(m));
  });

  it('prints indices that point nowhere instead of failing (invalid modules)', () => {
    const m = emptyModule();
    m.funcs.push({ type: 5, locals: [], span: {}, body: [ins('call', { index: 9 }), ins('br', { index: 3 }), ins('end')] });
    const text = printModule(m);
    expect(text).toContain('(func (;0;) (type 5)\n    call 9\n    br 3\n    end)');
  });

  it('prints element segments in every mode and data segments across lines', () => {
    const source = `(module
      (table $t 2 funcref) (table $e 1 externref) (memory 1)
      (global $g funcref (ref.null func))
      (func $a) (func $b)
      (elem (table $t) (i32.const 0) func $a $b)
      (elem funcref (ref.func $a) (ref.null func) (global.get $g))
      (elem declare func $b)
      (elem (table $e) (offset i32.const 0) externref (item ref.null extern))
      (data (i32.const 0) "${'0123456789'.repeat(7)}")
      (data "passive"))`;
    const text = printModule(parseWat(source));
    expect(text).toContain('(elem (;0;) (i32.const 0) func $a $b)');
    expect(text).toContain('(elem (;1;) funcref (ref.func $a) (ref.null func) (global.get $g))');
    expect(text).toContain('(elem (;2;) declare func $b)');
    expect(text).toContain('(elem (;3;) (table $e) (i32.const 0) externref (ref.null extern))');
    expect(text).toContain(
      '(data (;0;) (i32.const 0)\n    "01234567890123456789012345678901"\n    "23456789012345678901234567890123"\n    "456789")',
    );
    expect(text).toContain('(data (;1;) "passive")');
    expect(hex(encodeModule(parseWat(text)))).toBe(hex(encodeModule(parseWat(source))));
    expect(hex(wabtBytes(text))).toBe(hex(wabtBytes(source)));
  });

  it('annotates byte offsets, and the annotated text still reads back', () => {
    const bytes = wabtBytes(`(module (memory 1) (func (export "f") (param i32) (result i32)
      block (result i32) local.get 0 i32.load offset=4 end i32.const 1 i32.add))`);
    const m = decodeModule(bytes);
    const text = printModule(m, { offsets: true });
    const lines = text.split('\n');
    const body = m.funcs[0]?.body ?? [];
    for (const instr of body) {
      const at = instr.span.bytes?.offset ?? -1;
      const line = lines.find((l) => l.startsWith(`(;@${at.toString(16).padStart(2, '0')};)`));
      expect(line, `${instr.op} at ${at}`).toBeDefined();
      expect(line).toContain(instr.op);
      expect(bytes[at]).toBe(instr.code & 0xff);
    }
    expect(lines.find((l) => l.includes('i32.load'))).toMatch(/^\(;@[0-9a-f]+;\)\s+i32\.load offset=4$/);
    expect(hex(encodeModule(parseWat(text)))).toBe(hex(bytes));
    expect(printModule(parseWat(text), { offsets: true })).not.toContain('(;@');
  });
});

// --- Round trips over real modules ----------------------------------------------------------

const suiteRoot = testsuiteRoot;
const suiteDir = existsSync(path.join(suiteRoot, 'wasm-2.0')) ? path.join(suiteRoot, 'wasm-2.0') : suiteRoot;
const suiteFiles = existsSync(suiteDir) ? readdirSync(suiteDir).filter((f) => f.endsWith('.wast')).sort() : [];
const describeSuite = suiteFiles.length > 0 ? describe : describe.skip;

describeSuite(
  suiteFiles.length > 0
    ? `round trip over the spec suite (${suiteDir})`
    : `round trip over the spec suite (skipped: no .wast files in ${suiteDir}; set WASM_TESTSUITE)`,
  () => {
    const counts = { textModules: 0, textExact: 0, binaryModules: 0, binaryUndecodable: 0, binaryRoundTrips: 0, wabtModules: 0, wabtAgrees: 0 };
    afterAll(() => {
      console.log(
        `print round trip, spec suite: ${counts.textExact}/${counts.textModules} text modules byte-identical; ` +
          `${counts.binaryRoundTrips}/${counts.binaryModules - counts.binaryUndecodable} decodable binary modules ` +
          `(${counts.binaryUndecodable} malformed skipped); wabt re-assembles ${counts.wabtAgrees}/${counts.wabtModules} printed modules identically`,
      );
    });

    it.each(suiteFiles)('%s', (file) => {
      const source = readFileSync(path.join(suiteDir, file), 'utf8');
      for (const command of parseWast(source)) {
        if (!('module' in command) || typeof command.module !== 'object') continue;
        const wm = command.module;
        const where = `${file}:${command.line} (${command.type})`;
        if (wm.kind === 'text' || (wm.kind === 'quote' && command.type !== 'assert_malformed')) {
          // Every text module that parses, assert_invalid ones included: our encoder's
          // bytes must come back exactly.
          const module = wm.kind === 'text' ? wm.module : parseQuoted(wm);
          const bytes = encodeModule(module);
          counts.textModules++;
          const text = printModule(decodeModule(bytes));
          expect(hex(encodeModule(parseWat(text))), where).toBe(hex(bytes));
          counts.textExact++;

          // The same module assembled by wabt, with a name section (so names are printed),
          // and without: wabt must read our text back to its own bytes.
          const wat = wm.kind === 'text' ? source.slice(wm.span.start, wm.span.end) : wm.text;
          let named: Uint8Array;
          let plain: Uint8Array;
          try {
            named = wabtBytes(wat, true);
            plain = wabtBytes(wat);
            decodeModule(plain);
          } catch {
            continue; // wabt cannot assemble a few assert_invalid modules; ours covered them
          }
          counts.wabtModules++;
          const trip = roundTrip(named);
          expect(trip.actual, where).toBe(trip.expected);
          expect(hex(wabtBytes(printModule(decodeModule(plain)))), `${where}: wabt reading our text`).toBe(hex(plain));
          counts.wabtAgrees++;
        } else if (wm.kind === 'binary') {
          counts.binaryModules++;
          try {
            decodeModule(wm.bytes);
          } catch {
            counts.binaryUndecodable++;
            continue;
          }
          const trip = roundTrip(wm.bytes);
          expect(trip.actual, where).toBe(trip.expected);
          counts.binaryRoundTrips++;
        }
      }
    }, 60_000);

    it('covered the suite', () => {
      expect(counts.textModules).toBeGreaterThan(3000);
      expect(counts.textExact).toBe(counts.textModules);
      expect(counts.wabtAgrees).toBe(counts.wabtModules);
      expect(counts.binaryRoundTrips).toBe(counts.binaryModules - counts.binaryUndecodable);
    });
  },
);

const REAL_BINARIES = [
  'node_modules/brotli-wasm/pkg.node/brotli_wasm_bg.wasm',
  'node_modules/@resvg/resvg-wasm/index_bg.wasm',
  'node_modules/sql.js/dist/sql-wasm.wasm',
];

describe('round trip over real toolchain binaries', () => {
  it.each(REAL_BINARIES)('%s', (file) => {
    const full = path.join(repoRoot, file);
    if (!existsSync(full)) throw new Error(`${file} is missing: run npm ci`);
    const bytes = new Uint8Array(readFileSync(full));
    const decoded = decodeModule(bytes);
    const started = performance.now();
    const text = printModule(decoded);
    const printMs = performance.now() - started;
    const withOffsets = printModule(decoded, { offsets: true });
    const offsetsMs = performance.now() - started - printMs;
    console.log(
      `print ${file}: ${(bytes.length / 1e6).toFixed(1)} MB → ${(text.length / 1e6).toFixed(1)} MB of text in ` +
        `${printMs.toFixed(0)} ms (${offsetsMs.toFixed(0)} ms with offsets)`,
    );
    // A few seconds at most, with room for a slow machine.
    expect(printMs).toBeLessThan(10_000);
    const reparsed = parseWat(text);
    expect(hex(encodeModule(reparsed))).toBe(hex(encodeModule(textual(decoded))));
    expect(hex(encodeModule(parseWat(withOffsets)))).toBe(hex(encodeModule(reparsed)));
  }, 120_000);
});
