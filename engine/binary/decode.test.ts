import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import wabtInit from 'wabt';
import { DecodeError } from './error.ts';
import { type Instr, opByCode } from '../syntax/index.ts';
import { decodeModule as decodeAny } from './decode.ts';
import { encodeU32 } from './leb128.ts';
import { HEADER, ONE_FUNC, TYPE_VOID, funcModule, moduleBytes, section, str, vec } from './test-support/build.ts';
import { REAL_BINARIES, WABT_FEATURES, repoRoot } from './test-support/fixtures.ts';
import { findTestsuite, suiteModules } from './test-support/wast-modules.ts';

// These are the decoder's WebAssembly 2.0 tests, with 2.0's error messages (and the 2.0
// spec suite's expectations); decode3.test.ts tests what 3.0 adds.
const decodeModule = (bytes: Uint8Array) => decodeAny(bytes, { version: '2.0' });

function decodeError(bytes: Uint8Array | number[]): DecodeError {
  try {
    decodeModule(bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes));
  } catch (error) {
    if (error instanceof DecodeError) return error;
    throw error;
  }
  throw new Error('expected a DecodeError');
}

function expectError(bytes: Uint8Array | number[], message: string, offset: number): void {
  const error = decodeError(bytes);
  expect({ message: error.specMessage, offset: error.offset }).toEqual({ message, offset });
}

// --- The spec test suite -----------------------------------------------------------------

const suiteDir = findTestsuite();
const describeSuite = suiteDir ? describe : describe.skip;
if (!suiteDir) {
  console.warn('wasm spec testsuite not found (set WASM_TESTSUITE or check out ../shared/wasm-testsuite): skipping suite tests');
}

describeSuite('spec test suite binaries (wasm-2.0)', () => {
  const modules = suiteDir ? suiteModules(suiteDir) : [];
  const binaries = modules.filter((m) => m.kind === 'binary');
  const wellFormed = binaries.filter((m) => m.command !== 'assert_malformed');
  const malformed = binaries.filter((m) => m.command === 'assert_malformed');

  it('finds the binary modules', () => {
    expect(wellFormed.length).toBeGreaterThan(60);
    expect(malformed.length).toBeGreaterThan(600);
  });

  it('decodes every `module binary` that is not asserted malformed', () => {
    const failures: string[] = [];
    for (const m of wellFormed) {
      try {
        decodeModule(m.bytes as Uint8Array);
      } catch (error) {
        failures.push(`${m.file}:${m.line} (${m.command}): ${String(error)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('rejects every assert_malformed binary with a DecodeError carrying the expected message', () => {
    let exact = 0;
    const prefixOnly: string[] = [];
    const wrong: string[] = [];
    for (const m of malformed) {
      let error: unknown;
      try {
        decodeModule(m.bytes as Uint8Array);
      } catch (caught) {
        error = caught;
      }
      const where = `${m.file}:${m.line}`;
      if (!(error instanceof DecodeError)) {
        wrong.push(`${where}: expected "${m.expected}", got ${error === undefined ? 'success' : String(error)}`);
      } else if (error.specMessage === m.expected) {
        exact++;
      } else if (m.expected !== undefined && error.specMessage.startsWith(m.expected)) {
        // The reference interpreter's script runner accepts a message that starts with the expected text.
        prefixOnly.push(`${where}: "${error.specMessage}" for "${m.expected}"`);
      } else {
        wrong.push(`${where}: expected "${m.expected}", got "${error.specMessage}" at ${error.offset}`);
      }
    }
    console.log(`assert_malformed binaries: ${malformed.length}, exact message ${exact}, prefix match ${prefixOnly.length}\n  ${prefixOnly.join('\n  ')}`);
    expect(wrong).toEqual([]);
    // The suite itself expects "unexpected end" in 3 places where the reference
    // interpreter says "unexpected end of section or function" (and vice versa elsewhere).
    expect(prefixOnly.length).toBeLessThanOrEqual(3);
    expect(exact + prefixOnly.length).toBe(malformed.length);
  });

  it('decodes what wabt assembles from the suite text modules', async () => {
    const wabt = await wabtInit();
    let decoded = 0;
    const failures: string[] = [];
    for (const m of modules) {
      if (m.kind !== 'text' || m.command === 'assert_malformed') continue;
      let bytes: Uint8Array;
      try {
        const parsed = wabt.parseWat(m.file, m.text as string, WABT_FEATURES);
        bytes = parsed.toBinary({}).buffer;
        parsed.destroy();
      } catch {
        continue; // wabt rejects it: nothing to compare
      }
      try {
        decodeModule(bytes);
        decoded++;
      } catch (error) {
        // wabt writes no data count section for data.drop/memory.init without data
        // segments; those invalid modules are then malformed binaries, rightly rejected.
        const dataCount = error instanceof DecodeError && error.specMessage === 'data count section required';
        if (!(dataCount && m.command === 'assert_invalid')) failures.push(`${m.file}:${m.line}: ${String(error)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(decoded).toBeGreaterThan(3000);
  });
});


// --- Error paths, one by one ------------------------------------------------------------

describe('decode errors: message and offset', () => {
  it('reports a truncated or wrong header', () => {
    expectError([], 'unexpected end', 0);
    expectError([0x00, 0x61, 0x73], 'unexpected end', 3);
    expectError([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00], 'unexpected end', 6);
    expectError([0x00, 0x41, 0x53, 0x4d, 0x01, 0x00, 0x00, 0x00], 'magic header not detected', 0);
    expectError([0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00], 'unknown binary version', 4);
  });

  it('reports bad section framing', () => {
    expectError(moduleBytes([0x0d, 0x00]), 'malformed section id', 8);
    expectError(moduleBytes(section(1, [0x00]), [0x0d, 0x00]), 'malformed section id', 11);
    // Size 0x10 with 1 byte left (counted from the size byte itself).
    expectError(moduleBytes([0x01, 0x10, 0x00]), 'length out of bounds', 9);
    // Type section with one byte more than its content.
    expectError(moduleBytes([0x01, 0x02, 0x00, 0x00]), 'section size mismatch', 11);
    // The section ends before its vector does: reading runs on, and the error points at
    // the declared end.
    expectError(moduleBytes([0x01, 0x01, 0x01, 0x60, 0x00, 0x00]), 'section size mismatch', 11);
    expectError(moduleBytes(TYPE_VOID, TYPE_VOID), 'unexpected content after last section', 14);
    expectError(moduleBytes(section(10, [0x00]), ONE_FUNC), 'unexpected content after last section', 11);
    expectError(moduleBytes([0x05, 0x03, 0x01, 0x00]), 'unexpected end of section or function', 12);
    expectError(moduleBytes([0x00]), 'unexpected end', 9);
  });

  it('reports LEB128 errors at the offending byte', () => {
    // Function section count: 5 bytes with the continuation bit on the last one.
    expectError(moduleBytes([0x03, 0x06, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]), 'integer representation too long', 15);
    // The fifth byte of a u32 may carry only 4 bits.
    expectError(moduleBytes([0x03, 0x05, 0xff, 0xff, 0xff, 0xff, 0x7f]), 'integer too large', 14);
    // i32.const with a fifth byte that is not a sign extension.
    const { bytes, codeAt } = funcModule([0x41, 0xff, 0xff, 0xff, 0xff, 0x4f, 0x1a]);
    expectError(bytes, 'integer too large', codeAt + 5);
    // i64.const with 11 bytes.
    const long = funcModule([0x42, ...new Array(10).fill(0x80), 0x00, 0x1a]);
    expectError(long.bytes, 'integer representation too long', long.codeAt + 11);
  });

  it('reports malformed UTF-8 at the first bad byte', () => {
    const exports = section(7, vec([[0x03, 0x61, 0xc0, 0x80, 0x00, 0x00]]));
    // Type and function sections take bytes 8–17; then id, size, count, length, "a", and
    // the overlong encoding of NUL at 23.
    expectError(moduleBytes(TYPE_VOID, ONE_FUNC, exports), 'malformed UTF-8 encoding', 23);
    const surrogate = section(0, [0x03, 0xed, 0xa0, 0x80]);
    expectError(moduleBytes(surrogate), 'malformed UTF-8 encoding', 11);
  });

  it('reports illegal opcodes and later proposals', () => {
    for (const [code, message] of [
      [[0xff], 'illegal opcode'],
      [[0x27], 'illegal opcode'],
      [[0xfc, 0x12], 'illegal opcode'],
      [[0xfd, 0x9a, 0x01], 'illegal opcode'],
      [[0x12, 0x00], 'not supported: tail calls'],
      [[0x06, 0x40], 'not supported: exception handling'],
      [[0x18, 0x00], 'not supported: exception handling'],
      [[0x14], 'not supported: typed function references'],
      [[0xfb, 0x00], 'not supported: garbage collection'],
      [[0xfe, 0x00], 'not supported: threads'],
      [[0xfd, 0x80, 0x02], 'not supported: relaxed SIMD'],
    ] as [number[], string][]) {
      const { bytes, codeAt } = funcModule(code);
      expectError(bytes, message, codeAt);
    }
    // In a constant expression an opcode from a later proposal is just garbage.
    const global = section(6, vec([[0x7f, 0x00, 0x41, 0x00, 0x12, 0x0b]]));
    expectError(moduleBytes(global), 'illegal opcode', 15);
  });

  it('reports malformed immediates', () => {
    const size = funcModule([0x3f, 0x01, 0x1a]);
    expectError(size.bytes, 'zero byte expected', size.codeAt + 1);
    const copy = funcModule([0xfc, 0x0a, 0x00, 0x80, 0x00]);
    expectError(copy.bytes, 'zero byte expected', copy.codeAt + 3);
    const align = funcModule([0x28, 0x21, 0x00, 0x1a]);
    expectError(align.bytes, 'malformed memop flags', align.codeAt + 1);
    const multi = funcModule([0x28, 0x42, 0x01, 0x00, 0x1a]);
    expectError(multi.bytes, 'not supported: multi-memory', multi.codeAt + 1);
    const refNull = funcModule([0xd0, 0x7f, 0x1a]);
    expectError(refNull.bytes, 'malformed reference type', refNull.codeAt + 1);
    const blockType = funcModule([0x02, 0x6e, 0x0b]);
    expectError(blockType.bytes, 'not supported: garbage collection', blockType.codeAt + 1);
  });

  it('reports misplaced else and missing end', () => {
    const elseInBlock = funcModule([0x02, 0x40, 0x05, 0x0b]);
    expectError(elseInBlock.bytes, 'END opcode expected', elseInBlock.codeAt + 2);
    const twoElses = funcModule([0x41, 0x00, 0x04, 0x40, 0x05, 0x05, 0x0b]);
    expectError(twoElses.bytes, 'END opcode expected', twoElses.codeAt + 5);
    const topElse = funcModule([0x05]);
    expectError(topElse.bytes, 'END opcode expected', topElse.codeAt);
    // Body without its end, at the end of the file.
    const truncated = moduleBytes(TYPE_VOID, ONE_FUNC, section(10, vec([[0x02, 0x00, 0x01]])));
    expectError(truncated, 'unexpected end of section or function', truncated.length);
  });

  it('reports locals, types and kinds that are out of range', () => {
    const many = funcModule([], { locals: [0x02, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0x02, 0x7e] });
    expectError(many.bytes, 'too many locals', many.codeAt - 9);
    const big = funcModule([], { locals: [0x01, 0x80, 0x80, 0x04, 0x7f] }); // 65536 locals: over the engine limit
    expectError(big.bytes, 'too many locals', big.codeAt - 5);
    expectError(moduleBytes(section(1, vec([[0x61, 0x00, 0x00]]))), 'malformed function type', 11);
    expectError(moduleBytes(section(1, vec([[0x5f, 0x00]]))), 'not supported: garbage collection', 11);
    expectError(moduleBytes(section(1, vec([[0x60, 0x01, 0x40, 0x00]]))), 'malformed reference type', 13);
    expectError(moduleBytes(section(1, vec([[0x60, 0x01, 0x64, 0x70, 0x00]]))), 'not supported: typed function references', 13);
    const importOf = (desc: number[]) => section(2, vec([[...str('m'), ...str('n'), ...desc]]));
    expectError(moduleBytes(importOf([0x04, 0x00])), 'malformed import kind', 15);
    expectError(moduleBytes(importOf([0x03, 0x7f, 0x02])), 'malformed mutability', 17);
    expectError(moduleBytes(importOf([0x01, 0x7f, 0x00, 0x00])), 'malformed reference type', 16);
    expectError(moduleBytes(importOf([0x02, 0x02, 0x00])), 'integer too large', 16);
    expectError(moduleBytes(importOf([0x02, 0x81, 0x00])), 'integer representation too long', 17);
    expectError(moduleBytes(importOf([0x02, 0x03, 0x00, 0x01])), 'not supported: threads', 16);
    expectError(moduleBytes(importOf([0x02, 0x04, 0x00])), 'not supported: memory64', 16);
    const exportKind = section(7, vec([[...str('e'), 0x04, 0x00]]));
    expectError(moduleBytes(exportKind), 'malformed export kind', 13);
  });

  it('reports malformed element and data segments', () => {
    const table = section(4, vec([[0x70, 0x00, 0x01]]));
    expectError(moduleBytes(TYPE_VOID, ONE_FUNC, table, section(9, vec([[0x08]]))), 'malformed elements segment kind', 27);
    expectError(moduleBytes(TYPE_VOID, ONE_FUNC, table, section(9, vec([[0x01, 0x01, 0x00]]))), 'malformed element kind', 28);
    expectError(moduleBytes(section(11, vec([[0x03]]))), 'malformed data segment kind', 11);
  });

  it('checks the sections against each other', () => {
    expectError(moduleBytes(TYPE_VOID, ONE_FUNC), 'function and code section have inconsistent lengths', 14);
    expectError(moduleBytes(TYPE_VOID, section(10, vec([[0x02, 0x00, 0x0b]]))), 'function and code section have inconsistent lengths', 14);
    const mem = section(5, vec([[0x00, 0x01]]));
    expectError(moduleBytes(mem, section(12, [0x02]), section(11, vec([[0x01, 0x00]]))), 'data count and data section have inconsistent lengths', 16);
    const drop = funcModule([0xfc, 0x09, 0x00], { after: section(11, vec([[0x01, 0x00]])) });
    expectError(drop.bytes, 'data count section required', drop.codeAt);
    const withCount = funcModule([0xfc, 0x09, 0x00], { before: section(12, [0x01]), after: section(11, vec([[0x01, 0x00]])) });
    expect(decodeModule(withCount.bytes).dataCount).toBe(1);
  });

  it('never lets anything but a DecodeError escape', () => {
    const base = new Uint8Array(readFileSync(path.join(repoRoot, 'node_modules/sql.js/dist/sql-wasm.wasm')));
    // A small but varied module: the first 3 sections' worth of a real binary, then noise.
    let state = 12345;
    const random = () => {
      state = (state * 1103515245 + 12345) >>> 0;
      return state >>> 8;
    };
    const samples: Uint8Array[] = [];
    const { bytes: small } = funcModule([0x41, 0x05, 0x04, 0x7f, 0x41, 0x01, 0x05, 0x41, 0x02, 0x0b, 0x1a, 0xfd, 0x0c, ...new Array(16).fill(1), 0x1a]);
    for (let cut = 0; cut <= small.length; cut++) samples.push(small.subarray(0, cut));
    for (let i = 0; i < 3000; i++) {
      const copy = small.slice();
      for (let k = 0; k < 1 + (random() % 3); k++) copy[random() % copy.length] = random() & 0xff;
      samples.push(copy);
    }
    for (let i = 0; i < 300; i++) {
      const cut = 8 + (random() % 4000);
      const copy = base.slice(0, cut);
      copy[8 + (random() % (cut - 8))] = random() & 0xff;
      samples.push(copy);
    }
    for (let i = 0; i < 500; i++) {
      const noise = Uint8Array.from({ length: random() % 64 }, () => random() & 0xff);
      samples.push(Uint8Array.from([...HEADER, ...noise]));
    }
    let rejected = 0;
    for (const sample of samples) {
      try {
        decodeModule(sample);
      } catch (error) {
        expect(error).toBeInstanceOf(DecodeError);
        expect((error as DecodeError).offset).toBeGreaterThanOrEqual(0);
        expect((error as DecodeError).offset).toBeLessThanOrEqual(sample.length);
        expect((error as DecodeError).specMessage).not.toMatch(/^internal/);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(samples.length / 2);
  });
});

// --- What a decoded module contains ---------------------------------------------------------

describe('decoded modules', () => {
  it('gives every instruction the span of its bytes', () => {
    const { bytes, codeAt } = funcModule([
      0x02, 0x40, // block
      0x41, 0xe5, 0x8e, 0x26, // i32.const 624485
      0x0d, 0x00, // br_if 0
      0x0b, // end
      0x42, 0x7f, 0x1a, // i64.const -1, drop
      0xfc, 0x00, 0x1a, // i32.trunc_sat_f32_s, drop
      0xfd, 0x0c, ...new Array(16).fill(7), 0xfd, 0x15, 0x03, 0x1a, // v128.const, i8x16.extract_lane_s 3, drop
    ]);
    const m = decodeModule(bytes);
    const func = m.funcs[0];
    expect(func).toBeDefined();
    const body = func?.body ?? [];
    expect(body.map((i) => i.op)).toEqual([
      'block', 'i32.const', 'br_if', 'end', 'i64.const', 'drop', 'i32.trunc_sat_f32_s', 'drop',
      'v128.const', 'i8x16.extract_lane_s', 'drop',
    ]);
    expect(body.map((i) => i.span.bytes)).toEqual([
      { offset: codeAt, length: 2 },
      { offset: codeAt + 2, length: 4 },
      { offset: codeAt + 6, length: 2 },
      { offset: codeAt + 8, length: 1 },
      { offset: codeAt + 9, length: 2 },
      { offset: codeAt + 11, length: 1 },
      { offset: codeAt + 12, length: 2 },
      { offset: codeAt + 14, length: 1 },
      { offset: codeAt + 15, length: 18 },
      { offset: codeAt + 33, length: 3 },
      { offset: codeAt + 36, length: 1 },
    ]);
    expect(body[1]?.value).toBe(624485);
    expect(body[4]?.value).toBe(-1n);
    expect(body[9]?.index).toBe(3);
    expect(func?.endSpan?.bytes).toEqual({ offset: bytes.length - 1, length: 1 });
    expect(bytes[func?.endSpan?.bytes?.offset ?? 0]).toBe(0x0b);
    expect(func?.span.bytes).toEqual({ offset: codeAt - 2, length: bytes.length - (codeAt - 2) });
    expect(m.span.bytes).toEqual({ offset: 0, length: bytes.length });
  });

  it('decodes the definitions of a wabt-assembled module with their spans', async () => {
    const wabt = await wabtInit();
    const wat = `(module $m
      (type $t (func (param i32) (result i32)))
      (import "env" "f" (func $imp (type $t)))
      (import "env" "mem" (memory 1 2))
      (import "env" "g" (global $g (mut i64)))
      (table $tab 2 10 funcref)
      (table $ext 1 externref)
      (global $h f64 (f64.const -0x1.8p+1))
      (func $id (export "id") (param $x i32) (result i32) (local $y f32) (local $z f32) (local i64)
        local.get $x
        if (result i32) i32.const 1 else i32.const -2 end
        br_table 0 0 0)
      (func $sel (result v128) (select (result v128) (v128.const i32x4 1 2 3 4) (v128.const i64x2 5 6) (i32.const 0)))
      (elem (i32.const 0) $id $imp)
      (elem (table $ext) (i32.const 0) externref (ref.null extern))
      (elem declare func $sel)
      (data (i32.const 16) "hi")
      (data "passive")
      (func $bulk (memory.init 1 (i32.const 0) (i32.const 0) (i32.const 1)) (data.drop 1)
        (table.copy $tab $tab (i32.const 0) (i32.const 0) (i32.const 0))
        (table.init $tab 0 (i32.const 0) (i32.const 0) (i32.const 0)))
      (start $bulk))`;
    const parsed = wabt.parseWat('defs.wat', wat, WABT_FEATURES);
    const bytes = parsed.toBinary({ write_debug_names: true }).buffer;
    parsed.destroy();
    const m = decodeModule(bytes);
    expect(m.types.map((t) => t.type)).toEqual([
      { params: ['i32'], results: ['i32'] },
      { params: [], results: ['v128'] },
      { params: [], results: [] },
    ]);
    expect(m.imports.map((i) => [i.module, i.name, i.desc])).toEqual([
      ['env', 'f', { kind: 'func', type: 0 }],
      ['env', 'mem', { kind: 'memory', type: { limits: { min: 1, max: 2 } } }],
      ['env', 'g', { kind: 'global', type: { type: 'i64', mutable: true } }],
    ]);
    expect(m.tables.map((t) => t.type)).toEqual([
      { limits: { min: 2, max: 10 }, elem: 'funcref' },
      { limits: { min: 1 }, elem: 'externref' },
    ]);
    expect(m.globals[0]?.init[0]?.value).toBe(0xc008000000000000n);
    expect(m.funcs.map((f) => f.locals)).toEqual([['f32', 'f32', 'i64'], [], []]);
    expect(m.funcs[0]?.body.map((i) => i.op)).toEqual(['local.get', 'if', 'i32.const', 'else', 'i32.const', 'end', 'br_table']);
    expect(m.funcs[0]?.body[1]?.blockType).toEqual({ kind: 'value', type: 'i32' });
    expect(m.funcs[0]?.body[6]?.labels).toEqual([0, 0, 0]);
    const select = m.funcs[1]?.body[3];
    expect(select).toMatchObject({ op: 'select', code: 0x1c, types: ['v128'] });
    expect(Array.from(m.funcs[1]?.body[0]?.bytes ?? [])).toEqual([1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0]);
    const bulk = m.funcs[2]?.body ?? [];
    expect(bulk.find((i) => i.op === 'memory.init')).toMatchObject({ index: 1, index2: 0 });
    expect(bulk.find((i) => i.op === 'table.init')).toMatchObject({ index: 0, index2: 0 });
    expect(m.exports).toMatchObject([{ name: 'id', kind: 'func', index: 1 }]);
    expect(m.start).toBe(3);
    expect(m.elems.map((e) => [e.type, e.mode.kind, e.init.map((item) => item.map((i) => i.op + (i.index ?? '')))])).toEqual([
      ['funcref', 'active', [['ref.func1'], ['ref.func0']]],
      ['externref', 'active', [['ref.null']]],
      ['funcref', 'declarative', [['ref.func2']]],
    ]);
    expect(m.elems[1]?.mode).toMatchObject({ kind: 'active', table: 1 });
    expect(m.datas.map((d) => [d.mode.kind, new TextDecoder().decode(d.bytes)])).toEqual([
      ['active', 'hi'],
      ['passive', 'passive'],
    ]);
    expect(m.dataCount).toBe(2);
    // The names section is kept as a custom section and decoded.
    expect(m.customs.map((c) => [c.name, c.after])).toEqual([['name', 11]]);
    expect(m.names?.module).toBe('m');
    expect(m.names?.functions).toEqual(new Map([[0, 'imp'], [1, 'id'], [2, 'sel'], [3, 'bulk']]));
    expect(m.names?.locals.get(1)).toEqual(new Map([[0, 'x'], [1, 'y'], [2, 'z']]));
    // Every definition's span covers bytes that re-decode to it: check a few by content.
    const slice = (span: { bytes?: { offset: number; length: number } }) =>
      bytes.subarray(span.bytes?.offset ?? 0, (span.bytes?.offset ?? 0) + (span.bytes?.length ?? 0));
    expect(Array.from(slice(m.types[0]?.span ?? {}))).toEqual([0x60, 0x01, 0x7f, 0x01, 0x7f]);
    expect(new TextDecoder().decode(slice(m.exports[0]?.span ?? {}))).toBe('\x02id\x00\x01');
    expect(Array.from(slice(m.datas[0]?.span ?? {}))).toEqual([0x00, 0x41, 0x10, 0x0b, 0x02, 0x68, 0x69]);
    expect(Array.from(slice(m.globals[0]?.span ?? {})).slice(0, 3)).toEqual([0x7c, 0x00, 0x44]);
    for (const def of [...m.imports, ...m.tables, ...m.elems, ...m.funcs, ...m.customs]) {
      expect(def.span.bytes?.length).toBeGreaterThan(0);
    }
  });

  it('leaves names undefined when the name section is malformed, but keeps the module', () => {
    const badNames = section(0, [...str('name'), 0x01, 0x05, 0x01, 0x00, 0x09, 0x61]);
    const m = decodeModule(moduleBytes(TYPE_VOID, badNames));
    expect(m.names).toBeUndefined();
    expect(m.types).toHaveLength(1);
    expect(m.customs.map((c) => [c.name, c.after, Array.from(c.bytes)])).toEqual([['name', 1, [0x01, 0x05, 0x01, 0x00, 0x09, 0x61]]]);
    const goodNames = section(0, [...str('name'), 0x00, 0x02, ...str('M'), 0x01, 0x04, 0x01, 0x00, ...str('f')]);
    expect(decodeModule(moduleBytes(TYPE_VOID, goodNames)).names).toEqual({
      module: 'M',
      functions: new Map([[0, 'f']]),
      locals: new Map(),
    });
  });

  it('records where each custom section was', () => {
    const a = section(0, [...str('a'), 1, 2, 3]);
    const b = section(0, str('b'));
    const c = section(0, str('c'));
    const m = decodeModule(moduleBytes(a, TYPE_VOID, b, c, ONE_FUNC, section(12, [0x00]), section(0, str('d')), section(10, vec([[0x02, 0x00, 0x0b]]))));
    expect(m.customs.map((x) => [x.name, x.after])).toEqual([['a', 0], ['b', 1], ['c', 1], ['d', 12]]);
    expect(Array.from(m.customs[0]?.bytes ?? [])).toEqual([1, 2, 3]);
    expect(m.customs[0]?.span.bytes).toEqual({ offset: 8, length: 7 });
  });

  it('decodes all eight element segment encodings', () => {
    const table = section(4, vec([[0x70, 0x00, 0x01]]));
    const offset = [0x41, 0x00, 0x0b];
    const segments = [
      [0x00, ...offset, ...vec([[0x00]])],
      [0x01, 0x00, ...vec([[0x00]])],
      [0x02, 0x00, ...offset, 0x00, ...vec([[0x00]])],
      [0x03, 0x00, ...vec([[0x00]])],
      [0x04, ...offset, ...vec([[0xd2, 0x00, 0x0b], [0xd0, 0x70, 0x0b]])],
      [0x05, 0x70, ...vec([[0xd0, 0x70, 0x0b]])],
      [0x06, 0x00, ...offset, 0x6f, ...vec([[0xd0, 0x6f, 0x0b]])],
      [0x07, 0x70, ...vec([[0xd2, 0x00, 0x0b]])],
    ];
    const bytes = moduleBytes(TYPE_VOID, ONE_FUNC, table, section(9, vec(segments)), section(10, vec([[0x02, 0x00, 0x0b]])));
    // 3.0: function indices (flags 0-3) are (ref func) items; expressions keep their type.
    expect(decodeAny(bytes).elems.map((e) => e.type)).toEqual(['(ref func)', '(ref func)', '(ref func)', '(ref func)', 'funcref', 'funcref', 'externref', 'funcref']);
    const m = decodeModule(bytes);
    expect(m.elems.map((e) => [e.mode.kind, e.type, e.init.map((item) => item.map((i) => i.op).join())])).toEqual([
      ['active', 'funcref', ['ref.func']],
      ['passive', 'funcref', ['ref.func']],
      ['active', 'funcref', ['ref.func']],
      ['declarative', 'funcref', ['ref.func']],
      ['active', 'funcref', ['ref.func', 'ref.null']],
      ['passive', 'funcref', ['ref.null']],
      ['active', 'externref', ['ref.null']],
      ['declarative', 'funcref', ['ref.func']],
    ]);
    expect(m.elems[0]?.mode).toMatchObject({ kind: 'active', table: 0, offset: [{ op: 'i32.const', value: 0 }] });
  });

  it('shares what byte-identical element segments have in common, so millions of them stay small', () => {
    // The JS API accepts 10,000,000 segments such as (elem (table 0) (i32.const 0) func).
    const table = section(4, vec([[0x70, 0x00, 0x02], [0x70, 0x00, 0x02]]));
    const empty = (offset: number[]) => [0x00, ...offset, 0x0b, 0x00];
    const segments = [
      empty([0x41, 0x00]),
      empty([0x41, 0x00]),
      empty([0x41, 0x00]),
      empty([0x41, 0x01]), // another offset
      [0x02, 0x01, 0x41, 0x01, 0x0b, 0x00, 0x00], // the same offset bytes, another table
      empty([0x41, 0x00]),
      [0x00, 0x41, 0x00, 0x0b, ...vec([[0x00]])], // an item
    ];
    const m = decodeModule(moduleBytes(TYPE_VOID, ONE_FUNC, table, section(9, vec(segments)), section(10, vec([[0x02, 0x00, 0x0b]]))));
    const [a, b, c, d, e, f, g] = m.elems;
    // A run of segments with the same table and offset bytes shares one mode (offset expression).
    expect(b!.mode).toBe(a!.mode);
    expect(c!.mode).toBe(a!.mode);
    expect(d!.mode).not.toBe(a!.mode);
    expect(e!.mode).not.toBe(d!.mode);
    expect(e!.mode).toMatchObject({ kind: 'active', table: 1, offset: [{ op: 'i32.const', value: 1 }] });
    expect(f!.mode).toMatchObject({ kind: 'active', table: 0, offset: [{ op: 'i32.const', value: 0 }] });
    expect(g!.mode).toBe(f!.mode);
    // Empty item lists are one frozen array; a segment with items has its own.
    expect(b!.init).toBe(a!.init);
    expect(Object.isFrozen(a!.init)).toBe(true);
    expect(g!.init.map((item) => item.map((i) => `${i.op} ${i.index}`))).toEqual([['ref.func 0']]);
    // Each segment still has its own span.
    const start = 8 + TYPE_VOID.length + ONE_FUNC.length + table.length + 3;
    expect(m.elems.map((x) => x.span.bytes)).toEqual([
      { offset: start, length: 5 },
      { offset: start + 5, length: 5 },
      { offset: start + 10, length: 5 },
      { offset: start + 15, length: 5 },
      { offset: start + 20, length: 7 },
      { offset: start + 27, length: 5 },
      { offset: start + 32, length: 6 },
    ]);
  });
});

// --- Real toolchain binaries ------------------------------------------------------------------


describe('real toolchain binaries', () => {
  for (const file of REAL_BINARIES) {
    it(`decodes ${path.basename(file)} with the counts V8 and wabt see`, async () => {
      const bytes = new Uint8Array(readFileSync(path.join(repoRoot, file)));
      const start = performance.now();
      const m = decodeModule(bytes);
      const ms = performance.now() - start;
      const instrs = m.funcs.reduce((n, f) => n + f.body.length, 0);
      console.log(`decode ${path.basename(file)} (${bytes.length} bytes): ${ms.toFixed(0)} ms, ${m.funcs.length} functions, ${instrs} instructions`);

      const compiled = new WebAssembly.Module(bytes);
      const jsKind = (kind: string) => (kind === 'func' ? 'function' : kind);
      expect(m.imports.map((i) => [i.module, i.name, jsKind(i.desc.kind)])).toEqual(
        WebAssembly.Module.imports(compiled).map((i) => [i.module, i.name, i.kind]),
      );
      expect(m.exports.map((e) => [e.name, jsKind(e.kind)])).toEqual(WebAssembly.Module.exports(compiled).map((e) => [e.name, e.kind]));

      const wabt = await wabtInit();
      const read = wabt.readWasm(bytes, { readDebugNames: false, check: false, ...WABT_FEATURES });
      const lines = read.toText({ foldExprs: false, inlineExport: false }).split('\n');
      read.destroy();
      const count = (re: RegExp) => lines.filter((l) => re.test(l)).length;
      expect(m.funcs.length).toBe(count(/^ {2}\(func /));
      expect(m.types.length).toBe(count(/^ {2}\(type /));
      expect(m.globals.length).toBe(count(/^ {2}\(global /));
      expect(m.datas.length).toBe(count(/^ {2}\(data /));
      expect(m.elems.length).toBe(count(/^ {2}\(elem /));
      // Every instruction's span starts with its opcode byte.
      for (const func of m.funcs) {
        for (const instr of func.body) checkSpan(bytes, instr);
      }
    });
  }
});

function checkSpan(bytes: Uint8Array, instr: Instr): void {
  const at = instr.span.bytes?.offset ?? -1;
  const first = bytes[at];
  const expected = instr.code < 0x100 ? instr.code : instr.code >>> 16;
  if (first !== expected || opByCode(instr.code)?.op !== instr.op) {
    expect({ op: instr.op, at, first }).toEqual({ op: instr.op, at, first: expected });
  }
}

// --- Speed -------------------------------------------------------------------------------------

describe('decoding speed', () => {
  it('decodes a synthetic 15 MB module in a few seconds', () => {
    // One function body with a realistic instruction mix, repeated until ~15 MB.
    const body = [
      0x01, 0x02, 0x7f, // locals: 2 × i32
      ...Array.from({ length: 40 }, () => [
        0x20, 0x00, 0x41, 0xe5, 0x8e, 0x26, 0x6a, 0x21, 0x01, // local.get 0, i32.const, i32.add, local.set 1
        0x02, 0x40, 0x20, 0x01, 0x0d, 0x00, 0x0b, // block, local.get 1, br_if 0, end
        0x20, 0x00, 0x28, 0x02, 0x10, 0x1a, // local.get 0, i32.load offset=16, drop
        0x42, 0xff, 0xff, 0x03, 0x1a, // i64.const, drop
        0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x1a, // f64.const 1, drop
        0x10, 0x00, // call 0
      ]).flat(),
      0x0b,
    ];
    const entry = Uint8Array.from([...encodeU32(body.length), ...body]);
    const count = Math.ceil((15 * 1024 * 1024) / entry.length);
    const countLeb = encodeU32(count);
    const funcSection = [0x03, ...encodeU32(count + countLeb.length), ...countLeb];
    const codeHead = [0x0a, ...encodeU32(count * entry.length + countLeb.length), ...countLeb];
    const bytes = new Uint8Array(HEADER.length + TYPE_VOID.length + funcSection.length + count + codeHead.length + count * entry.length);
    let at = 0;
    for (const part of [HEADER, TYPE_VOID, funcSection]) {
      bytes.set(part, at);
      at += part.length;
    }
    at += count; // function types: all 0
    bytes.set(codeHead, at);
    at += codeHead.length;
    for (let i = 0; i < count; i++, at += entry.length) bytes.set(entry, at);
    const start = performance.now();
    const m = decodeModule(bytes);
    const ms = performance.now() - start;
    const instrs = m.funcs.reduce((n, f) => n + f.body.length, 0);
    console.log(`decode synthetic ${(bytes.length / 1024 / 1024).toFixed(1)} MB: ${ms.toFixed(0)} ms, ${count} functions, ${instrs} instructions`);
    expect(m.funcs).toHaveLength(count);
    expect(instrs).toBe(count * 40 * 16);
    // Speed is measured by `npm run bench`, not asserted here: shared machines are noisy.
  }, 60_000);
});

