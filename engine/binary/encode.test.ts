import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import wabtInit from 'wabt';
import { emptyModule, type Instr, type Module, opByName } from '../syntax/index.ts';
import { decodeModule } from './decode.ts';
import { encodeModule, recordByteSpans } from './encode.ts';
import { parseWat } from '../text/index.ts';
import { ONE_FUNC, TYPE_VOID, moduleBytes, section, str, vec } from './test-support/build.ts';
import { REAL_BINARIES, WABT_FEATURES, repoRoot } from './test-support/fixtures.ts';
import { findTestsuite, suiteModules } from './test-support/wast-modules.ts';

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

/**
 * The module without its layout: spans, and which section each custom section followed
 * (empty sections are not re-encoded, so a custom after one moves up to the previous one).
 */
function withoutLayout(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutLayout);
  if (value instanceof Uint8Array || value instanceof Map || typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key !== 'span' && key !== 'endSpan' && key !== 'after') out[key] = withoutLayout(v);
  }
  return out;
}

/** Every instruction of a module, constant expressions included. */
function allInstrs(m: Module): Instr[] {
  return [
    ...m.funcs.flatMap((f) => f.body),
    ...m.globals.flatMap((g) => g.init),
    ...m.elems.flatMap((e) => [...(e.mode.kind === 'active' ? e.mode.offset : []), ...e.init.flat()]),
    ...m.datas.flatMap((d) => (d.mode.kind === 'active' ? d.mode.offset : [])),
  ];
}

const suiteDir = findTestsuite();
const describeSuite = suiteDir ? describe : describe.skip;

describeSuite('round trip of the spec test suite (wasm-2.0)', () => {
  const modules = suiteDir ? suiteModules(suiteDir) : [];

  it('re-encodes wabt’s binary of every suite text module byte for byte', async () => {
    const wabt = await wabtInit();
    let identical = 0;
    let skipped = 0;
    const differ: string[] = [];
    for (const m of modules) {
      if (m.kind !== 'text' || m.command === 'assert_malformed') continue;
      let bytes: Uint8Array;
      try {
        const parsed = wabt.parseWat(m.file, m.text as string, WABT_FEATURES);
        bytes = parsed.toBinary({}).buffer;
        parsed.destroy();
      } catch {
        skipped++; // wabt rejects it
        continue;
      }
      let decoded: Module;
      try {
        decoded = decodeModule(bytes);
      } catch {
        // Malformed output for an invalid module (see decode.test.ts): nothing to round-trip.
        skipped++;
        continue;
      }
      const out = encodeModule(decoded);
      if (hex(out) === hex(bytes)) identical++;
      else differ.push(`${m.file}:${m.line}\n  wabt ${hex(bytes)}\n  ours ${hex(out)}`);
    }
    console.log(`suite text modules via wabt: ${identical} identical, ${differ.length} different, ${skipped} skipped`);
    expect(differ).toEqual([]);
    expect(identical).toBeGreaterThan(3000);
  });

  it('re-encodes the suite’s `module binary` cases canonically', async () => {
    const wabt = await wabtInit();
    let identical = 0;
    let canonicalByWabt = 0;
    const failures: string[] = [];
    for (const m of modules) {
      if (m.kind !== 'binary' || m.command === 'assert_malformed') continue;
      const bytes = m.bytes as Uint8Array;
      // The 2.0 suite under 2.0's rules (in 3.0, function indices are (ref func) items).
      const decoded = decodeModule(bytes, { version: '2.0' });
      const out = encodeModule(decoded);
      const again = decodeModule(out, { version: '2.0' });
      // Same module, and the canonical form is a fixed point.
      expect(withoutLayout(again), `${m.file}:${m.line}`).toEqual(withoutLayout(decoded));
      expect(hex(encodeModule(again)), `${m.file}:${m.line}`).toBe(hex(out));
      if (hex(out) === hex(bytes)) identical++;
      // Where wabt reproduces the input exactly (the input is canonical), so must we.
      let wabtOut: Uint8Array | undefined;
      try {
        const read = wabt.readWasm(bytes, { readDebugNames: false, check: false, ...WABT_FEATURES });
        wabtOut = read.toBinary({}).buffer;
        read.destroy();
      } catch {
        wabtOut = undefined;
      }
      if (wabtOut !== undefined && hex(wabtOut) === hex(bytes)) {
        canonicalByWabt++;
        if (hex(out) !== hex(bytes)) failures.push(`${m.file}:${m.line}`);
      }
    }
    console.log(
      `suite module binary: ${identical} of ${modules.filter((m) => m.kind === 'binary' && m.command !== 'assert_malformed').length} identical` +
        ` (the rest use padded LEB128s, empty sections or split local groups); ${canonicalByWabt} canonical by wabt`,
    );
    expect(failures).toEqual([]);
    expect(canonicalByWabt).toBeGreaterThan(10);
  });
});

describe('round trip of real toolchain binaries', () => {
  for (const file of REAL_BINARIES) {
    it(`reproduces ${path.basename(file)} exactly`, () => {
      const bytes = new Uint8Array(readFileSync(path.join(repoRoot, file)));
      const decoded = decodeModule(bytes);
      const start = performance.now();
      const out = encodeModule(decoded);
      console.log(`encode ${path.basename(file)}: ${(performance.now() - start).toFixed(0)} ms`);
      expect(out.length).toBe(bytes.length);
      expect(Buffer.compare(Buffer.from(out), Buffer.from(bytes))).toBe(0);
    });
  }
});

describe('encoder', () => {
  it('fills in missing spans with the bytes it writes, matching the decoder', async () => {
    const wabt = await wabtInit();
    const wat = `(module
      (memory 1) (table 2 funcref) (global $g (mut i32) (i32.const 7))
      (func $f (param i32) (result i32) (local i64 i64 f32)
        (block $b (result i32)
          (loop $l
            (br_if $l (i32.eqz (local.get 0)))
            (drop (i64.const -123456789012)))
          (i32.load offset=300 align=2 (i32.const 1000)))
        (v128.const i32x4 1 2 3 4) (i32x4.extract_lane 2) (i32.add)
        (call_indirect (type 0) (i32.const 0) (i32.const 1)) (drop))
      (elem (i32.const 0) $f $f)
      (data (i32.const 0) "x"))`;
    const parsed = wabt.parseWat('spans.wat', wat, WABT_FEATURES);
    const bytes = parsed.toBinary({}).buffer;
    parsed.destroy();
    const reference = decodeModule(bytes);

    // Pretend the module came from text: no byte spans anywhere.
    const fromText = decodeModule(bytes);
    for (const instr of allInstrs(fromText)) instr.span = { text: { line: 1, column: 1, endLine: 1, endColumn: 2, start: 0, end: 1 } };
    for (const func of fromText.funcs) {
      func.span = {};
      func.endSpan = undefined;
    }
    const out = recordByteSpans(fromText, 'missing');
    expect(hex(out)).toBe(hex(bytes));
    const spans = (m: Module) => allInstrs(m).map((i) => i.span.bytes);
    expect(spans(fromText)).toEqual(spans(reference));
    expect(fromText.funcs.map((f) => [f.span.bytes, f.endSpan?.bytes])).toEqual(reference.funcs.map((f) => [f.span.bytes, f.endSpan?.bytes]));
    // Text spans are kept next to the new byte spans.
    expect(fromText.funcs[0]?.body[0]?.span.text?.line).toBe(1);
    // The bytes a span points at are the instruction's encoding: its opcode comes first
    // (element items given as bare function indices have no opcode).
    const indexItems = new Set(fromText.elems.flatMap((e) => e.init.flat()));
    for (const instr of allInstrs(fromText)) {
      if (indexItems.has(instr)) continue;
      const at = instr.span.bytes?.offset ?? -1;
      expect(out[at], instr.op).toBe(instr.code < 0x100 ? instr.code : instr.code >>> 16);
    }
  });

  it('keeps existing spans unless asked to record them', () => {
    const m = decodeModule(moduleBytes(TYPE_VOID, ONE_FUNC, section(10, vec([[0x04, 0x00, 0x01, 0x01, 0x0b]]))));
    const nop = m.funcs[0]?.body[0] as Instr;
    expect(nop.span.bytes).toEqual({ offset: 23, length: 1 });
    nop.span = { bytes: { offset: 1, length: 99 } };
    encodeModule(m);
    expect(nop.span.bytes).toEqual({ offset: 1, length: 99 });
    recordByteSpans(m);
    expect(nop.span.bytes).toEqual({ offset: 23, length: 1 });
  });

  it('leaves the module it encodes unchanged: recording spans is a separate step', () => {
    const m = decodeModule(moduleBytes(TYPE_VOID, ONE_FUNC, section(10, vec([[0x04, 0x00, 0x01, 0x01, 0x0b]]))));
    // As if parsed from text: no byte spans.
    for (const instr of allInstrs(m)) instr.span = {};
    for (const func of m.funcs) {
      func.span = {};
      func.endSpan = undefined;
    }
    const before = structuredClone(m);
    const out = encodeModule(m);
    expect(m).toEqual(before);
    expect(allInstrs(m).map((i) => i.span.bytes)).toEqual([undefined, undefined]);
    expect(hex(recordByteSpans(m))).toBe(hex(out));
    expect(allInstrs(m).map((i) => i.span.bytes)).toEqual([{ offset: 23, length: 1 }, { offset: 24, length: 1 }]);
    expect(m.funcs[0]?.endSpan?.bytes).toEqual({ offset: 25, length: 1 });
  });

  it('encodes a hand-built module like wabt encodes the same text', async () => {
    const instr = (op: string, fields: Partial<Instr> = {}): Instr => {
      const info = opByName(op);
      if (!info) throw new Error(op);
      return { op, code: info.code, span: {}, ...fields };
    };
    const m = emptyModule();
    m.types.push({ type: { params: ['i32', 'i32'], results: ['i32'] }, span: {} });
    m.imports.push({ module: 'env', name: 'log', desc: { kind: 'func', type: 0 }, span: {} });
    m.mems.push({ type: { limits: { min: 1, max: 1 } }, span: {} });
    m.funcs.push({
      type: 0,
      locals: ['i32', 'i32', 'f64'],
      body: [
        instr('local.get', { index: 0 }),
        instr('local.get', { index: 1 }),
        instr('i32.add'),
        instr('i32.const', { value: -1 }),
        instr('i32.store', { memarg: { align: 2, offset: 4 } }),
        instr('f64.const', { value: 0x7ff0000000000001n }),
        instr('local.set', { index: 4 }),
        instr('i32.const', { value: 0x7fffffff }),
        instr('select', { code: 0x1c, types: ['i32'] }),
        instr('memory.size'),
        instr('memory.fill', { index2: 0 }),
        instr('i32.const', { value: 3 }),
      ],
      span: {},
    });
    m.exports.push({ name: 'add', kind: 'func', index: 1, span: {} });
    m.datas.push({ mode: { kind: 'passive' }, bytes: Uint8Array.of(1, 2, 3), span: {} });
    m.dataCount = 1;
    const wat = `(module
      (type (func (param i32 i32) (result i32)))
      (import "env" "log" (func (type 0)))
      (memory 1 1)
      (func (export "add") (type 0) (local i32 i32 f64)
        local.get 0 local.get 1 i32.add i32.const -1 i32.store offset=4
        f64.const nan:0x1 local.set 4 i32.const 0x7fffffff select (result i32)
        memory.size memory.fill i32.const 3
        data.drop 0)
      (data "\\01\\02\\03"))`;
    (m.funcs[0]?.body as Instr[]).push(instr('data.drop', { index: 0 }));
    const wabt = await wabtInit();
    const parsed = wabt.parseWat('hand.wat', wat, WABT_FEATURES);
    const expected = parsed.toBinary({}).buffer;
    parsed.destroy();
    const out = recordByteSpans(m, 'missing');
    expect(hex(out)).toBe(hex(expected));
    // The new spans point at each instruction in the output.
    const body = m.funcs[0]?.body ?? [];
    expect(body.map((i) => i.span.bytes)).toEqual(decodeModule(out).funcs[0]?.body.map((i) => i.span.bytes));
    expect(out[m.funcs[0]?.endSpan?.bytes?.offset ?? 0]).toBe(0x0b);
    expect(m.funcs[0]?.endSpan?.bytes?.offset).toBe(out.length - 8 - 1);
  });

  it('puts custom sections back after the section they followed', () => {
    const custom = (name: string) => section(0, [...str(name), 0xaa]);
    const code = section(10, vec([[0x02, 0x00, 0x0b]]));
    const original = moduleBytes(custom('first'), TYPE_VOID, custom('t1'), custom('t2'), ONE_FUNC, section(12, [0x00]), custom('dc'), code, custom('last'));
    const m = decodeModule(original);
    expect(hex(encodeModule(m))).toBe(hex(original));
    // A custom section whose predecessor is gone still keeps its place among the others.
    m.dataCount = undefined;
    const out = decodeModule(encodeModule(m));
    expect(out.customs.map((c) => [c.name, c.after])).toEqual([['first', 0], ['t1', 1], ['t2', 1], ['dc', 3], ['last', 10]]);
  });

  it('chooses the element segment form wabt chooses', async () => {
    const wabt = await wabtInit();
    const wat = `(module (type (func)) (func) (table $a 1 funcref) (table $b 1 funcref) (table $c 1 externref)
      (elem (i32.const 0) func 0)
      (elem (table $b) (i32.const 0) func 0)
      (elem (i32.const 0) funcref (ref.func 0) (ref.null func))
      (elem (table $c) (i32.const 0) externref (ref.null extern))
      (elem func 0)
      (elem funcref (ref.null func))
      (elem declare func 0)
      (elem declare funcref (ref.null func)))`;
    const parsed = wabt.parseWat('elem.wat', wat, WABT_FEATURES);
    const bytes = parsed.toBinary({}).buffer;
    parsed.destroy();
    const m = decodeModule(bytes);
    expect(hex(encodeModule(m))).toBe(hex(bytes));
    // Re-encoding a segment that used a longer form than needed picks the short one.
    const long = moduleBytes(TYPE_VOID, ONE_FUNC, section(4, vec([[0x70, 0x00, 0x01]])), section(9, vec([[0x06, 0x00, 0x41, 0x00, 0x0b, 0x70, 0x01, 0xd2, 0x00, 0x0b]])), section(10, vec([[0x02, 0x00, 0x0b]])));
    const short = moduleBytes(TYPE_VOID, ONE_FUNC, section(4, vec([[0x70, 0x00, 0x01]])), section(9, vec([[0x00, 0x41, 0x00, 0x0b, 0x01, 0x00]])), section(10, vec([[0x02, 0x00, 0x0b]])));
    expect(hex(encodeModule(decodeModule(long)))).toBe(hex(short));
  });

  it('writes 3.0 (ref func) segments of function references as function indices, which read back as (ref func)', () => {
    const m = parseWat('(module (func) (table 1 (ref null func)) (elem (i32.const 0) func 0) (elem declare (ref func) (ref.func 0)))');
    const bytes = encodeModule(m);
    const elemSection = [0x09, 0x0b, 0x02, 0x00, 0x41, 0x00, 0x0b, 0x01, 0x00, 0x03, 0x00, 0x01, 0x00];
    expect(hex(bytes)).toContain(hex(new Uint8Array(elemSection)));
    expect(decodeModule(bytes).elems.map((e) => e.type)).toEqual(['(ref func)', '(ref func)']);
  });
});

describe('relaxed SIMD (3.0)', () => {
  it('encodes the relaxed vector instructions (0xFD with a two-byte LEB sub-opcode) and decodes them back', () => {
    const m = parseWat('(module (func (param v128 v128 v128) (result v128) (i32x4.relaxed_dot_i8x16_i7x16_add_s (local.get 0) (local.get 1) (local.get 2))))');
    const bytes = encodeModule(m);
    const at = bytes.indexOf(0xfd);
    expect([...bytes.subarray(at, at + 3)]).toEqual([0xfd, 0x93, 0x02]);
    expect(decodeModule(bytes).funcs[0]!.body.map((i) => i.op)).toContain('i32x4.relaxed_dot_i8x16_i7x16_add_s');
  });
});

describe('tables (3.0)', () => {
  it('encodes table64 limits and a table initial value, and decodes them back', () => {
    const m = parseWat('(module (func $f) (table i64 2 10 funcref) (table 3 funcref (ref.func $f)))');
    const back = decodeModule(encodeModule(m));
    expect(back.tables[0]!.type.limits).toMatchObject({ min: 2, max: 10, index64: true });
    expect(back.tables[1]!.init?.map((i) => [i.op, i.index])).toEqual([['ref.func', 0]]);
    expect(encodeModule(back)).toEqual(encodeModule(m));
  });
});
