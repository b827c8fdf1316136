// The Module explorer's pure parts (site/lib/explorer/): the summary posted by the worker
// (sections add up to the file, exports carry their types, functions sort by size and
// filter by name), and one function's disassembly, whose lines' byte ranges tile the
// function's bytes exactly and map back from any byte (lineAt) — on a course example and
// on sql.js's real module.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { encodeModule } from '../../engine/binary/encode.ts';
import { decodeOutline } from '../../engine/binary/outline.ts';
import { parseWat } from '../../engine/text/parser.ts';
import { disassembleFunction, lineAt, type FunctionDisasm } from '../../site/lib/explorer/disasm.ts';
import { functionLabel, percentText, printableText, sortedFunctions, summarize } from '../../site/lib/explorer/summary.ts';

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
