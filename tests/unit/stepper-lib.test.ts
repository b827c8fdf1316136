// The Stepper's pure helpers (site/lib/stepper/): the annotated byte map of a module, the
// typed argument parser, the value formats, the source marks of a folded instruction,
// located load errors, and line and instruction breakpoints.
import { describe, expect, it } from 'vitest';
import { parseArg } from '../../site/lib/stepper/args.ts';
import { describeByte, mapBytes } from '../../site/lib/stepper/bytes-map.ts';
import { formatValue } from '../../site/lib/stepper/format.ts';
import { loadBinary, loadText, problemWhere } from '../../site/lib/stepper/load.ts';
import { instrSpans, markLines, ownRanges, sourceLines } from '../../site/lib/stepper/source-marks.ts';
import { covers, instrsOnLine, lineMarks, lineOfInstr, NO_BREAKPOINTS, toggleInstr, toggleLine } from '../../site/lib/stepper/breakpoints.ts';
import { encodeModule, parseWat } from '../../engine/index.ts';

const ADD = `(module
  (func $add (export "add") (param $a i32) (param $b i32) (result i32)
    local.get $a
    local.get $b
    i32.add))`;

describe('the byte map', () => {
  it('cuts add.wasm into its header, sections and instructions, byte for byte', () => {
    const r = loadText(ADD);
    if (!r.ok) throw new Error(r.problem.message);
    const { map, bytes } = r.loaded;
    expect(bytes.length).toBe(41);
    expect(map.sections.map((s) => s.title)).toEqual(['header', 'type section', 'function section', 'export section', 'code section']);
    // Every byte belongs to exactly one row.
    const covered = new Uint8Array(bytes.length);
    for (const s of map.sections) for (const row of s.rows) for (let k = row.offset; k < row.offset + row.length; k++) covered[k]!++;
    expect([...covered].every((c) => c === 1)).toBe(true);
    const code = map.sections.find((s) => s.title === 'code section')!;
    const instrs = code.rows.filter((row) => row.kind === 'instr');
    expect(instrs.map((row) => [row.label, row.offset, row.instrIndex])).toEqual([
      ['local.get 0', 0x23, 0],
      ['local.get 1', 0x25, 1],
      ['i32.add', 0x27, 2],
      ['end', 0x28, 3],
    ]);
    // The rows of instructions start where the engine recorded their byte spans.
    const body = r.loaded.module.funcs[0]!.body;
    expect(body.map((i) => i.span.bytes?.offset)).toEqual([0x23, 0x25, 0x27]);
  });

  it('explains LEB128 bytes one by one', () => {
    const bytes = encodeModule(parseWat('(module (func (result i32) i32.const 624485))'));
    const map = mapBytes(bytes);
    const row = map.sections.flatMap((s) => s.rows).find((x) => x.label === 'i32.const 624485')!;
    const texts = [1, 2, 3].map((k) => describeByte(row, row.offset + k, bytes[row.offset + k]!));
    expect(texts[0]).toContain('signed LEB128 byte 1 of 3: high bit 1 (more bytes follow), payload 101 → bits 0–6');
    expect(texts[2]).toContain('byte 3 of 3: high bit 0 (last byte)');
    expect(describeByte(row, row.offset, 0x41)).toContain('opcode = 0x41 (i32.const)');
  });

  it('maps a binary with imports, memory, data and globals without leaving bytes unexplained', () => {
    const src = `(module (import "env" "log" (func (param i32))) (memory 1 2) (global (mut i64) (i64.const -1))
      (table 2 funcref) (elem (i32.const 0) 1 1) (data (i32.const 8) "hi")
      (func (export "f") (param i32) (result i32)
        (drop (block (result i32) (local.get 0) (local.get 0) (br_table 0 0)))
        (i32.store8 offset=3 (i32.const 0) (memory.grow (i32.const 1)))
        (i32.const 1)))`;
    const bytes = encodeModule(parseWat(src));
    const map = mapBytes(bytes);
    expect(map.sections.flatMap((s) => s.rows).filter((row) => row.kind === 'raw' && row.label === 'section contents')).toEqual([]);
    expect(map.sections.map((s) => s.title)).toContain('element section');
    const r = loadBinary(bytes);
    expect(r.ok ? '' : r.problem.message).toBe('');
  });
});

describe('the byte map of exception handling', () => {
  it('reads tag imports, the tag section, throw, try_table with its clauses, and legacy try/catch/delegate', () => {
    const src = `(module (import "env" "js_tag" (tag $js (param externref))) (tag $e (param i32)) (export "e" (tag $e))
      (func (export "f") (result i32)
        (block $h (result i32)
          (try_table (catch $e $h) (catch_all $h)
            (throw $e (i32.const 7)))
          (i32.const 0))
        (try (do (nop)) (catch $e (drop)) (catch_all))
        (try (do (nop)) (delegate 0))
        (drop (block $r (result exnref) (try_table (catch_all_ref $r) (nop)) (unreachable)))))`;
    const bytes = encodeModule(parseWat(src));
    const map = mapBytes(bytes);
    const rows = map.sections.flatMap((s) => s.rows);
    expect(rows.filter((row) => row.kind === 'raw')).toEqual([]);
    expect(map.sections.map((s) => s.title)).toContain('tag section');
    expect(rows.map((row) => row.label)).toEqual(expect.arrayContaining([
      'import 0: "env" "js_tag" tag type 0', 'tag 1: type 1', 'export 0: "e" = tag 1',
      'try_table (catch 1 0) (catch_all 0)', 'throw 1', 'try', 'catch 1', 'catch_all', 'delegate 0',
      'try_table (catch_all_ref 0)',
    ]));
    expect(rows.filter((row) => /^unknown/.test(row.label))).toEqual([]);
    // The body's rows nest: what try_table and catch open is indented one step further.
    const instrs = rows.filter((row) => row.kind === 'instr' && row.funcIndex === 0);
    const indentOf = (label: string): number => instrs.find((row) => row.label === label)!.indent;
    expect(indentOf('throw 1')).toBe(indentOf('try_table (catch 1 0) (catch_all 0)') + 1);
    expect(indentOf('catch 1')).toBe(indentOf('try'));
  });
});

describe('loading', () => {
  it('locates parse and validation errors by line and column', () => {
    const bad = loadText('(module\n  (func (result i32)\n    i64.const 1))');
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.problem.kind).toBe('Validation error');
      expect(problemWhere(bad.problem)).toMatch(/^3:\d+$/);
    }
    const broken = loadText('(module\n  (func (i32.bogus)))');
    expect(broken.ok).toBe(false);
    if (!broken.ok) {
      expect(broken.problem.kind).toBe('Parse error');
      expect(problemWhere(broken.problem)).toMatch(/^2:\d+$/);
    }
  });

  it('gives a decoded binary text to show, with the file\'s byte spans', () => {
    const bytes = encodeModule(parseWat(ADD));
    const r = loadBinary(bytes);
    if (!r.ok) throw new Error(r.problem.message);
    expect(r.loaded.source).toContain('i32.add');
    const body = r.loaded.module.funcs[0]!.body;
    expect(body.map((i) => i.span.bytes?.offset)).toEqual([0x23, 0x25, 0x27]);
    expect(body.every((i) => i.span.text !== undefined)).toBe(true);
  });
});

describe('arguments and values', () => {
  it('parses typed arguments', () => {
    expect(parseArg('42', 'i32')).toEqual({ ok: true, value: 42 });
    expect(parseArg('0xffffffff', 'i32')).toEqual({ ok: true, value: -1 });
    expect(parseArg('-9223372036854775808', 'i64')).toEqual({ ok: true, value: -(2n ** 63n) });
    expect(parseArg('1.5', 'f64')).toEqual({ ok: true, value: 1.5 });
    expect(parseArg('-inf', 'f32')).toEqual({ ok: true, value: -Infinity });
    expect(parseArg('1.5', 'i32').ok).toBe(false);
    expect(parseArg('4294967296', 'i32').ok).toBe(false);
  });

  it('formats a value as dec, hex and float', () => {
    const v = { type: 'i32' as const, text: '1065353216', signed: 1065353216, unsigned: 1065353216, hex: '0x3f800000' };
    expect(formatValue(v, 'dec')).toBe('1065353216');
    expect(formatValue(v, 'hex')).toBe('0x3f800000');
    expect(formatValue(v, 'float')).toBe('1');
  });
});

describe('source marks', () => {
  it('marks a folded instruction\'s own text strongly and its operands faintly', () => {
    const src = '(module (func (result i32) (i32.add (i32.const 1) (i32.const 2))))';
    const m = parseWat(src);
    const add = m.funcs[0]!.body[2]!;
    expect(add.op).toBe('i32.add');
    const span = add.span.text!;
    const own = ownRanges(span, instrSpans(m, 0));
    const lines = sourceLines(src, [], span, own);
    const strong = lines[0]!.pieces.filter((p) => p.mark === 2).map((p) => p.text).join('');
    const faint = lines[0]!.pieces.filter((p) => p.mark === 1).map((p) => p.text).join('');
    expect(strong.replace(/\s+/g, ' ')).toBe('(i32.add )');
    expect(faint).toBe('(i32.const 1)(i32.const 2)');
    expect(lines[0]!.pieces.map((p) => p.text).join('')).toBe(src);
  });
});

describe('source marks, step by step', () => {
  it('re-cuts only the lines the span touches, and cuts them as sourceLines does', () => {
    const src = ADD;
    const m = parseWat(src);
    const plain = sourceLines(src, [], null, []);
    for (const ins of m.funcs[0]!.body) {
      const span = ins.span.text!;
      const own = ownRanges(span, instrSpans(m, 0));
      const marked = markLines(plain, span, own);
      expect(marked).toEqual(sourceLines(src, [], span, own));
      marked.forEach((line, i) => {
        if (line.number !== span.line) expect(line).toBe(plain[i]);
      });
    }
    expect(markLines(plain, null, [])).toBe(plain);
  });
});

describe('breakpoints', () => {
  // Line 3 holds two instructions of $f (local.get 0, i32.const 1); line 4 the add and the function's end.
  const SRC = `(module
  (func $f (param i32) (result i32)
    local.get 0 i32.const 1
    i32.add))`;
  const m = parseWat(SRC);

  it('knows the line of every instruction, the final end included', () => {
    expect([0, 1, 2, 3].map((k) => lineOfInstr(m, { funcIndex: 0, instrIndex: k }))).toEqual([3, 3, 4, 4]);
    expect(instrsOnLine(m, 3)).toEqual([{ funcIndex: 0, instrIndex: 0 }, { funcIndex: 0, instrIndex: 1 }]);
  });

  it('toggles one instruction, shown on its line as a partial mark', () => {
    let bps = toggleInstr(NO_BREAKPOINTS, m, { funcIndex: 0, instrIndex: 1 });
    expect([...bps.instrs]).toEqual(['0:1']);
    expect(covers(bps, m, { funcIndex: 0, instrIndex: 1 })).toBe(true);
    expect(covers(bps, m, { funcIndex: 0, instrIndex: 0 })).toBe(false);
    expect(lineMarks(bps, m)).toEqual({ full: new Set(), part: new Set([3]) });
    // Both instructions of the line: the line reads as fully marked.
    bps = toggleInstr(bps, m, { funcIndex: 0, instrIndex: 0 });
    expect(lineMarks(bps, m)).toEqual({ full: new Set([3]), part: new Set() });
    bps = toggleInstr(bps, m, { funcIndex: 0, instrIndex: 0 });
    bps = toggleInstr(bps, m, { funcIndex: 0, instrIndex: 1 });
    expect(bps.instrs.size + bps.lines.size).toBe(0);
  });

  it('unmarking one instruction of a line breakpoint keeps the others marked', () => {
    let bps = toggleLine(NO_BREAKPOINTS, m, 3);
    expect([...bps.lines]).toEqual([3]);
    bps = toggleInstr(bps, m, { funcIndex: 0, instrIndex: 0 });
    expect([...bps.lines]).toEqual([]);
    expect([...bps.instrs]).toEqual(['0:1']);
    // The line button clears a partly marked line.
    bps = toggleLine(bps, m, 3);
    expect(bps.instrs.size + bps.lines.size).toBe(0);
  });
});
