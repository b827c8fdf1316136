// The Module explorer's pure parts (site/lib/explorer/): the summary posted by the worker
// (sections add up to the file, exports carry their types, functions sort by size and
// filter by name), and one function's disassembly, whose lines' byte ranges tile the
// function's bytes exactly and map back from any byte (lineAt) — on a course example and
// on sql.js's real module; and the verdict on a module's validity, with the function that
// holds an error's byte; a long locals line shown with its repeated types counted.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { decodeOutline, encodeModule, parseWat } from '../../engine/index.ts';
import { disassembleFunction, lineAt, MAX_LOCALS_SHOWN, shownLine, type FunctionDisasm } from '../../site/lib/explorer/disasm.ts';
import { functionLabel, percentText, printableText, sortedFunctions, summarize } from '../../site/lib/explorer/summary.ts';
import { durationText, functionAt, judgeModule } from '../../site/lib/explorer/validation.ts';

const require = createRequire(import.meta.url);
const example = new Uint8Array(readFileSync(new URL('../../public/examples/ch11-gcd-fac.wasm', import.meta.url)));

/** The lines with bytes cover [start, start + bytes.length) with no gap and no overlap, in order. */
function expectTiled(d: FunctionDisasm): void {
  let at = d.start;
  for (const line of d.lines) {
    if (line.offset < 0) continue;
    expect(line.offset, line.text).toBe(at);
    expect(line.length, line.text).toBeGreaterThan(0);
    at += line.length;
  }
  expect(at).toBe(d.start + d.bytes.length);
  for (let b = d.start; b < at; b++) {
    const k = lineAt(d.lines, b);
    const line = d.lines[k]!;
    expect(b >= line.offset && b < line.offset + line.length).toBe(true);
  }
  expect(lineAt(d.lines, d.start - 1)).toBe(-1);
  expect(lineAt(d.lines, at)).toBe(-1);
}

describe('the explorer summary', () => {
  const outline = decodeOutline(example);
  const s = summarize(outline, 'ch11-gcd-fac.wasm');

  it('has sections that add up to the file (after the 8-byte header)', () => {
    expect(s.sections.map((x) => x.name)).toEqual(['type', 'function', 'export', 'code']);
    expect(8 + s.sections.reduce((sum, x) => sum + x.size, 0)).toBe(example.length);
    expect(percentText(50, 200)).toBe('25%');
    expect(percentText(1, 10_000)).toBe('<0.1%');
  });

  it('gives exports their types and sorts functions by size, filtered by name', () => {
    expect(s.exports).toContainEqual({ name: 'fac', kind: 'func', index: 2, type: '(i64) → i64' });
    const sizes = [...sortedFunctions(s.functions, '')].map((i) => s.functions.sizes[i]!);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(sizes.length).toBe(3);
    expect([...sortedFunctions(s.functions, 'FA')]).toEqual([2]);
    expect([...sortedFunctions(s.functions, '1')]).toEqual([1]);
    expect(functionLabel(s.functions, 0)).toBe('gcd');
    // Posted to the page: must survive structured cloning.
    expect(structuredClone(s).functions.exports.get(2)).toBe('fac');
  });

  it('previews custom section bytes as printable text only', () => {
    expect(printableText(new TextEncoder().encode('<a>\n\u00e9'))).toBe('<a>···');
  });
});

describe('one function disassembled', () => {
  it('pairs every line with bytes that tile the function (course example)', () => {
    const outline = decodeOutline(example);
    for (const f of outline.functions) {
      const d = disassembleFunction(example, outline, f.index);
      expectTiled(d);
      expect(d.lines[0]!.text).toMatch(/^\(func /);
      expect(d.lines.at(-1)!.text).toBe('end');
    }
    const d = disassembleFunction(example, outline, 0);
    expect(d.lines.map((l) => l.text.trim())).toContain('i32.rem_u');
  });

  it('does the same on a real module (sql.js)', () => {
    const bytes = new Uint8Array(readFileSync(require.resolve('sql.js/dist/sql-wasm.wasm')));
    const outline = decodeOutline(bytes);
    const s = summarize(outline, 'sql-wasm.wasm');
    const order = sortedFunctions(s.functions, '');
    // The largest, a middle one and the smallest defined function.
    const defined = [...order].filter((i) => i >= s.functions.imported);
    for (const i of [defined[0]!, defined[defined.length >> 1]!, defined[defined.length - 1]!]) expectTiled(disassembleFunction(bytes, outline, i));
    const largest = disassembleFunction(bytes, outline, defined[0]!);
    expect(largest.instructions).toBeGreaterThan(1000);
    expect(() => disassembleFunction(bytes, outline, 0)).toThrow(/imported/);
  });
});

describe('names and custom sections from the module', () => {
  const IMG = '<img src=x onerror="window.__pwned=1">';
  const utf8 = (t: string): number[] => [...new TextEncoder().encode(t)];
  const str = (t: string): number[] => [utf8(t).length, ...utf8(t)];
  const custom = (name: string, content: number[]): number[] => {
    const body = [...str(name), ...content];
    return [0, body.length, ...body];
  };
  const wat = `(module (func (export ${JSON.stringify(IMG)}) (result i32) i32.const 7))`;
  const names = [1, str(IMG).length + 2, 1, 0, ...str(IMG)];
  const bytes = Uint8Array.from([...encodeModule(parseWat(wat)), ...custom('name', names), ...custom('<script>', utf8(IMG))]);

  it('keeps them as they are, for the page to show as text', () => {
    const outline = decodeOutline(bytes);
    const s = summarize(outline, 'hostile.wasm');
    expect(s.functions.names[0]).toBe(IMG);
    expect(s.exports[0]!.name).toBe(IMG);
    expect(s.customs.map((c) => c.name)).toEqual(['name', '<script>']);
    expect(printableText(s.customs[1]!.preview)).toBe(IMG);
    // The disassembler makes the name a valid identifier.
    const d = disassembleFunction(bytes, outline, 0);
    expect(d.lines[0]!.text).toMatch(/^\(func \$\S+ \(;0;\)/);
    expectTiled(d);
  });
});

describe('the verdict on a module', () => {
  // The worker reads the outline tolerating malformed bodies, for the verdict to report them.
  const judge = (bytes: Uint8Array) => judgeModule(bytes, decodeOutline(bytes, { tolerateBodies: true }));

  it('finds the course example and sql.js valid, counting their bodies', () => {
    expect(judge(example)).toMatchObject({ verdict: 'valid', functions: 3 });
    const sql = new Uint8Array(readFileSync(require.resolve('sql.js/dist/sql-wasm.wasm')));
    const outline = decodeOutline(sql);
    const verdict = judgeModule(sql, outline);
    expect(verdict).toMatchObject({ verdict: 'valid', functions: outline.functions.filter((f) => f.body !== undefined).length });
    // Posted to the page.
    expect(structuredClone(verdict)).toEqual(verdict);
  });

  it("says where an invalid module goes wrong, in the function that holds the byte", () => {
    const wat = `(module
      (import "env" "f" (func))
      (func $ok (result i32) i32.const 1)
      (func $bad (param i32) (result i32) local.get 0 i64.const 1 i32.add))`;
    const bytes = encodeModule(parseWat(wat));
    const verdict = judge(bytes);
    expect(verdict.verdict).toBe('invalid');
    if (verdict.verdict !== 'invalid') return;
    // The offset is i32.add's own byte.
    expect(bytes[verdict.offset!]).toBe(0x6a);
    expect(verdict.message).toBe(`func 2, instr 2 (i32.add) at byte 0x${verdict.offset!.toString(16)}: type mismatch: expected [i32 i32], found [i32 i64]`);
    const f = summarize(decodeOutline(bytes), 'bad.wasm').functions;
    expect(functionAt(f.offsets, f.sizes, f.imported, verdict.offset!)).toBe(2);
    // Every byte of each body maps to its function; the header and the bytes between do not.
    for (let i = f.imported; i < f.count; i++) {
      expect(functionAt(f.offsets, f.sizes, f.imported, f.offsets[i]!)).toBe(i);
      expect(functionAt(f.offsets, f.sizes, f.imported, f.offsets[i]! + f.sizes[i]! - 1)).toBe(i);
    }
    expect(functionAt(f.offsets, f.sizes, f.imported, 0)).toBe(-1);
    expect(functionAt(f.offsets, f.sizes, f.imported, bytes.length)).toBe(-1);
  });

  it('reports a body that is cut short with the decoder\'s offset', () => {
    // (func (result i32) i32.const 1) without its final `end`.
    const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 127, 3, 2, 1, 0, 10, 5, 1, 3, 0, 0x41, 1]);
    expect(judge(bytes)).toMatchObject({ verdict: 'invalid', message: 'unexpected end of section or function (at byte 0x1a)', offset: 0x1a });
    // The outline has the function, and the same error; read strictly, it is the error.
    const outline = decodeOutline(bytes, { tolerateBodies: true });
    expect(outline.functions.map((f) => f.body?.size)).toEqual([4]);
    expect(outline.bodyError?.message).toBe('unexpected end of section or function (at byte 0x1a)');
    expect(() => decodeOutline(bytes)).toThrow('unexpected end of section or function (at byte 0x1a)');
  });

  it('judges the WebAssembly 3.0 the byte checker reads, and names what it uses', () => {
    // (func $f return_call $f): a tail call.
    const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 6, 1, 4, 0, 0x12, 0, 11]);
    expect(judge(bytes)).toMatchObject({ verdict: 'valid', functions: 1, features: ['tail calls'] });
    // Pyodide's CPython: legacy exception handling, decided from the bytes.
    const pyodide = new Uint8Array(readFileSync(require.resolve('pyodide/pyodide.asm.wasm')));
    const verdict = judgeModule(pyodide, decodeOutline(pyodide));
    expect(verdict).toMatchObject({ verdict: 'valid', features: expect.arrayContaining(['legacy exception handling']) as unknown });
  });

  it('does not judge a module using 3.0 it cannot validate yet, and names what it uses', () => {
    // (func (local (ref func))): a typed function reference.
    const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 7, 1, 5, 1, 1, 0x64, 0x70, 11]);
    expect(judge(bytes)).toEqual({ verdict: 'unsupported', features: ['typed function references'] });
  });

  it('words durations', () => {
    expect(durationText(0.2)).toBe('1 ms');
    expect(durationText(42.4)).toBe('42 ms');
    expect(durationText(130)).toBe('0.13 s');
    expect(durationText(5_432)).toBe('5.43 s');
  });
});

describe('a long locals line in the disassembly pane', () => {
  it('counts each run of one type, keeping the indent and the full text for a title', () => {
    const full = `  (local ${Array(101).fill('i32').join(' ')} i64 i64 f64)`;
    expect(shownLine(full)).toEqual({ text: '  (local i32 ×101 i64 ×2 f64)', full: full.trim() });
    expect(shownLine('  (local i32)')).toEqual({ text: '  (local i32)', full: null });
  });

  it('cuts named locals short, and leaves every other line alone', () => {
    const named = '  ' + Array.from({ length: 40 }, (_, i) => `(local $v${i} i32)`).join(' ');
    const shown = shownLine(named);
    expect(shown.text.length).toBe(MAX_LOCALS_SHOWN);
    expect(shown.text.endsWith('…')).toBe(true);
    expect(shown.full).toBe(named.trim());
    const table = `    br_table ${Array.from({ length: 200 }, (_, i) => i).join(' ')}`;
    expect(shownLine(table)).toEqual({ text: table, full: null });
  });

  it("shortens swc's function 69, whose locals are printed in over 300 characters", () => {
    const bytes = new Uint8Array(readFileSync(require.resolve('@swc/wasm/wasm_bg.wasm')));
    const d = disassembleFunction(bytes, decodeOutline(bytes), 69);
    const locals = d.lines[1]!.text;
    expect(locals.length).toBeGreaterThan(300);
    const shown = shownLine(locals).text.trim();
    expect(shown.length).toBeLessThan(40);
    expect(shown).toMatch(/^\(local i32 ×\d+/);
  });
});
