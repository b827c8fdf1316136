// What lets the Stepper's Source and Bytes views scale to large modules: the window of
// lines a scroll position draws (site/lib/stepper/virtual.ts), lines cut one at a time
// (lineStarts, lineAt, plainLine agree with sourceLines), and the row of any byte found by
// bisection (rowAt agrees with a walk over every row).
import { describe, expect, it } from 'vitest';
import { mapBytes, rowAt, type ByteRow } from '../../site/lib/stepper/bytes-map.ts';
import { lineAt, lineStarts, plainLine, sourceLines } from '../../site/lib/stepper/source-marks.ts';
import { scrollFor, windowAt } from '../../site/lib/stepper/virtual.ts';
import { encodeModule, parseWat } from '../../engine/index.ts';

describe('the window of drawn lines', () => {
  it('covers the visible lines plus the margin, clamped to the content', () => {
    expect(windowAt(0, 400, 20, 10_000, 60)).toEqual({ first: 0, last: 80 });
    expect(windowAt(2000, 400, 20, 10_000, 60)).toEqual({ first: 40, last: 180 });
    expect(windowAt(199_990, 400, 20, 10_000, 60)).toEqual({ first: 9939, last: 10_000 });
    expect(windowAt(-50, 0, 0, 5, 60)).toEqual({ first: 0, last: 5 });
  });
  it('scrolls only when the target is not already shown, then a third of the way down', () => {
    expect(scrollFor(100, 120, 0, 300, 8)).toBeNull();
    expect(scrollFor(900, 920, 0, 300, 8)).toBe(800);
    expect(scrollFor(10, 30, 200, 300, 8)).toBe(0);
  });
});

describe('lines one at a time', () => {
  for (const text of ['', 'a', 'a\n', 'a\n\nb', 'a\n\n', '(module\n  (func)\n)\n']) {
    it(`agree with sourceLines for ${JSON.stringify(text)}`, () => {
      const all = sourceLines(text, [], null, []);
      const starts = lineStarts(text);
      expect(starts.length).toBe(all.length);
      all.forEach((line, i) => {
        expect(plainLine(text, starts, i)).toEqual(line);
        expect(lineAt(text, starts, i)).toBe(line.pieces.map((p) => p.text).join(''));
      });
    });
  }
});

describe('the row of a byte', () => {
  it('is the row a full walk finds, for every byte of a module', () => {
    const bytes = encodeModule(
      parseWat(`(module (memory 1) (data (i32.const 0) "hello, world, and more than sixteen bytes")
        (func (export "f") (param i32) (result i32) (block (result i32) (local.get 0) (br_if 0 (i32.const 1)))))`),
    );
    const map = mapBytes(bytes);
    const walked: ByteRow[] = [];
    for (const s of map.sections) for (const r of s.rows) for (let k = r.offset; k < r.offset + r.length; k++) walked[k] = r;
    for (let k = 0; k < bytes.length; k++) expect(rowAt(map, k)).toBe(walked[k]);
    expect(rowAt(map, bytes.length)).toBeUndefined();
  });

  it('cuts function bodies at every instruction, whatever its immediates, and labels them when read', () => {
    const bytes = encodeModule(
      parseWat(`(module (memory 1) (table 2 funcref) (type $t (func (param i32) (result i32)))
        (func $f (export "f") (param i32) (result i32) (local i64 f32 f64)
          (block $b (result i32)
            (br_table $b $b (local.get 0) (local.get 0)))
          (drop (i64.const -624485)) (drop (f32.const 1.5)) (drop (f64.const -2.25))
          (i32.store16 offset=300 align=2 (i32.const 0) (i32.load8_u offset=7 (i32.const 1)))
          (memory.fill (i32.const 0) (i32.const 0) (i32.const 0))
          (drop (select (result i32) (i32.const 1) (i32.const 2) (i32.const 3)))
          (drop (call_indirect (type $t) (i32.const 5) (i32.const 1)))
          (if (result i32) (i32.const 1) (then (i32.const 2)) (else (i32.const 3)))
          i32.add))`),
    );
    const map = mapBytes(bytes);
    const covered = new Uint8Array(bytes.length);
    for (const s of map.sections) for (const r of s.rows) for (let k = r.offset; k < r.offset + r.length; k++) covered[k]!++;
    expect([...covered].every((c) => c === 1)).toBe(true);
    const code = map.sections.find((s) => s.title === 'code section')!;
    const labels = code.rows.filter((r) => r.kind === 'instr').map((r) => `${'  '.repeat(r.indent - 2)}${r.label}`);
    expect(labels).toContain('  br_table 0 0');
    expect(labels).toContain('i64.const -624485');
    expect(labels).toContain('f64.const -2.25');
    expect(labels).toContain('i32.store16 offset=300 align=2');
    expect(labels).toContain('select (result i32)');
    expect(labels).toContain('call_indirect (type 0)');
    expect(labels).toContain('  i32.const 2');
    expect(labels.at(-1)).toBe('end');
    for (const r of code.rows) expect(r.fields.reduce((n, f) => n + f.length, 0)).toBe(r.length);
  });
});
