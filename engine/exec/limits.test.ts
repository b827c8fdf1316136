// Every resource limit, hit on purpose: the step budget, call depth, memory pages, table
// size (engine/exec/limits.ts), the input size limits of the decoder and the text parser,
// and the nesting limit both formats share (engine/syntax/limits.ts). Each ends in the
// documented way, with a message that says which limit it was.
import { describe, expect, it } from 'vitest';
import { WasmStep } from '../api/index.ts';
import { DecodeError, decodeModule, decodeOutline, DEFAULT_MAX_MODULE_BYTES, encodeModule } from '../binary/index.ts';
import { DEFAULT_MAX_NESTING, nestingTooDeep } from '../syntax/index.ts';
import { DEFAULT_MAX_TEXT_LENGTH, ParseError, parseWat, printModule } from '../text/index.ts';
import { validateBinary, validateModule } from '../valid/index.ts';
import { instantiate } from './instantiate.ts';
import { exportedFunction, invoke } from './invoke.ts';
import { DEFAULT_LIMITS, limitsWith } from './limits.ts';
import { Machine } from './machine.ts';
import { Trap } from './trap.ts';

const load = (wat: string, limits = DEFAULT_LIMITS) => instantiate(parseWat(wat), {}, { limits });

describe('step budget', () => {
  const inst = load('(module (func (export "spin") (loop br 0)))');

  it('an endless loop stays pausable: run(budget) returns "paused" and can go on', () => {
    const m = new Machine();
    m.start(exportedFunction(inst, 'spin'), []);
    expect(m.run(1000)).toBe('paused');
    const after = m.steps;
    expect(after).toBe(1000);
    expect(m.run(500)).toBe('paused');
    expect(m.steps).toBe(after + 500);
  });

  it('a call with a budget ends in "step budget exhausted"', () => {
    expect(() => invoke(inst, 'spin', [], { budget: 10_000 })).toThrow(new Trap('step budget exhausted'));
    const e = new WasmStep.Instance(new WasmStep.Module(encodeModule(parseWat('(module (func (export "spin") (loop br 0)))'))), {}, { budget: 10_000 });
    expect(() => (e.exports as Record<string, () => void>).spin!()).toThrow('step budget exhausted');
  });
});

describe('call depth', () => {
  const wat = '(module (func $down (export "down") (param i32) (if (local.get 0) (then (call $down (i32.sub (local.get 0) (i32.const 1)))))))';
  const limits = limitsWith({ maxCallDepth: 100 });
  const inst = load(wat, limits);

  it('recursion within the limit runs: 100 frames', () => {
    expect(invoke(inst, 'down', [99], { limits })).toEqual([]);
  });

  it('one frame more traps "call stack exhausted"', () => {
    let error: unknown;
    try {
      invoke(inst, 'down', [100], { limits });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Trap);
    expect((error as Trap).specMessage).toBe('call stack exhausted');
  });

  it('unbounded recursion traps at the default limit instead of overflowing the host stack', () => {
    const inf = load('(module (func $f (export "f") (call $f)))');
    expect(() => invoke(inf, 'f')).toThrow('call stack exhausted');
  });
});

describe('memory pages', () => {
  const limits = limitsWith({ maxMemoryPages: 4 });

  it('memory.grow beyond the cap returns -1 and leaves the memory as it was', () => {
    const inst = load('(module (memory (export "m") 1) (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))', limits);
    expect(invoke(inst, 'grow', [3], { limits })).toEqual([1]);
    expect(invoke(inst, 'grow', [1], { limits })).toEqual([-1]);
    expect(inst.mems[0]!.pages).toBe(4);
  });

  it('a module whose minimum exceeds the cap fails to instantiate, saying so', () => {
    expect(() => load('(module (memory 5))', limits)).toThrow('memory too large: memory of 5 pages exceeds the limit of 4');
  });
});

describe('table size', () => {
  it('table.grow beyond the cap returns -1', () => {
    const limits = limitsWith({ maxTableSize: 10 });
    const inst = load('(module (table 2 funcref) (func (export "grow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0))))', limits);
    expect(invoke(inst, 'grow', [8], { limits })).toEqual([2]);
    expect(invoke(inst, 'grow', [1], { limits })).toEqual([-1]);
  });

  it('a module whose minimum exceeds the cap fails to instantiate, saying so', () => {
    expect(() => load('(module (table 11 funcref))', limitsWith({ maxTableSize: 10 }))).toThrow('table too large: table of 11 elements exceeds the limit of 10');
  });
});

describe('module size', () => {
  const bytes = encodeModule(parseWat('(module (func (export "f")))'));

  it('bytes over the configured maximum are refused before decoding, at offset 0', () => {
    let error: unknown;
    try {
      decodeModule(bytes, { maxBytes: bytes.length - 1 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as DecodeError).specMessage).toBe(`module too large: ${bytes.length} bytes, the limit is ${bytes.length - 1}`);
    expect((error as DecodeError).offset).toBe(0);
    // Even bytes that are not a module at all: the size is checked first.
    expect(() => decodeModule(new Uint8Array(100), { maxBytes: 99 })).toThrow('module too large: 100 bytes');
  });

  it('at the maximum, and by default (64 MiB), a module decodes', () => {
    expect(decodeModule(bytes, { maxBytes: bytes.length }).funcs).toHaveLength(1);
    expect(DEFAULT_MAX_MODULE_BYTES).toBe(64 * 1024 * 1024);
    expect(() => decodeModule(new Uint8Array(DEFAULT_MAX_MODULE_BYTES + 1))).toThrow('module too large');
  });
});

describe('text size', () => {
  const src = '(module (func (export "f")))';

  it('text over the configured maximum is a ParseError at 1:1, before tokenizing', () => {
    let error: unknown;
    try {
      parseWat(src, { maxLength: src.length - 1 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).specMessage).toBe(`text too long: ${src.length} characters, the limit is ${src.length - 1}`);
    expect([(error as ParseError).line, (error as ParseError).column]).toEqual([1, 1]);
  });

  it('at the maximum, and by default (64 Mi characters), text parses', () => {
    expect(parseWat(src, { maxLength: src.length }).funcs).toHaveLength(1);
    expect(DEFAULT_MAX_TEXT_LENGTH).toBe(64 * 1024 * 1024);
    expect(() => parseWat(' '.repeat(DEFAULT_MAX_TEXT_LENGTH + 1))).toThrow('text too long');
  });
});

describe('nesting', () => {
  // Both formats share one limit (NestingOptions.maxNesting): N blocks open at once are
  // accepted, block N + 1 is refused where it opens, with the same words.
  const N = 1000;
  const tooDeep = `nesting too deep: more than ${N} nested blocks`;

  it('the default is the deepest function V8 accepts: 3-byte levels in a 7,654,321-byte body', () => {
    expect(DEFAULT_MAX_NESTING).toBe(2_551_439);
    expect(nestingTooDeep(DEFAULT_MAX_NESTING)).toBe('nesting too deep: more than 2551439 nested blocks');
  });

  /**
   * A function nesting `depth` blocks of every text form in turn: folded block, plain loop,
   * folded if (condition, then), plain if (with else), folded if in its else branch. Also
   * returns where the block at each level opens (its '(' or keyword), as a column.
   */
  function nestedText(depth: number): { src: string; columns: number[] } {
    let src = '(module (func (export "f") ';
    const closers: string[] = [];
    const columns: number[] = [];
    for (let i = 0; i < depth; i++) {
      switch (i % 5) {
        case 0:
          columns.push(src.length + 1);
          src += '(block $b ';
          closers.push(') ');
          break;
        case 1:
          columns.push(src.length + 1);
          src += 'loop ';
          closers.push('end ');
          break;
        case 2:
          columns.push(src.length + 1);
          src += '(if (i32.const 1) (then ';
          closers.push(')) ');
          break;
        case 3:
          src += 'i32.const 0 ';
          columns.push(src.length + 1);
          src += 'if nop else ';
          closers.push('end ');
          break;
        default:
          columns.push(src.length + 1);
          src += '(if (i32.const 0) (then) (else ';
          closers.push(')) ');
      }
    }
    src += 'br $b ' + closers.reverse().join('') + '))';
    return { src, columns };
  }

  it('text: N nested blocks parse, print and read back to the same bytes; block N + 1 is refused where it opens', () => {
    const { src } = nestedText(N);
    const m = parseWat(src, { maxNesting: N });
    const bytes = encodeModule(m);
    validateModule(m);
    const printed = printModule(m);
    expect(encodeModule(parseWat(printed, { maxNesting: N }))).toEqual(bytes);
    // One more level, of each form in turn.
    for (let extra = 0; extra < 5; extra++) {
      const deeper = nestedText(N + 1 + extra);
      const error = catchError(() => parseWat(deeper.src, { maxNesting: N + extra }));
      expect(error).toBeInstanceOf(ParseError);
      expect((error as ParseError).specMessage).toBe(`nesting too deep: more than ${N + extra} nested blocks`);
      expect([(error as ParseError).line, (error as ParseError).column]).toEqual([1, deeper.columns[N + extra]]);
    }
    // The printed text of a module one level deeper than the limit is refused just as well.
    const deeper = printModule(parseWat(nestedText(N + 1).src));
    expect(catchError(() => parseWat(deeper, { maxNesting: N }))).toHaveProperty('specMessage', tooDeep);
  });

  /**
   * A module whose function `f` nests `depth` blocks of the kinds given by byte (block,
   * loop, if after an i32.const, and 3.0's try and try_table), and the offset of each
   * block's opcode.
   */
  function nestedBinary(depth: number, kinds: readonly number[]): { bytes: Uint8Array; offsets: number[] } {
    const body: number[] = [0]; // no locals
    const offsets: number[] = [];
    for (let i = 0; i < depth; i++) {
      const k = kinds[i % kinds.length]!;
      if (k === 0x04) body.push(0x41, 0x00); // i32.const 0, the if's condition
      offsets.push(body.length);
      body.push(k, 0x40);
      if (k === 0x1f) body.push(0x00); // try_table: no catch clauses
    }
    for (let i = 0; i < depth; i++) body.push(0x0b);
    body.push(0x0b);
    const leb = (n: number): number[] => {
      const out: number[] = [];
      do {
        out.push((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
        n >>>= 7;
      } while (n > 0);
      return out;
    };
    const section = (id: number, content: number[]) => [id, ...leb(content.length), ...content];
    const head = [
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
      ...section(1, [1, 0x60, 0, 0]), ...section(3, [1, 0]), ...section(7, [1, 1, 0x66, 0, 0]),
    ];
    const code = [10, ...leb(body.length + leb(body.length).length + 1), 1, ...leb(body.length)];
    const bodyAt = head.length + code.length;
    const bytes = new Uint8Array(bodyAt + body.length);
    bytes.set(head);
    bytes.set(code, head.length);
    bytes.set(body, bodyAt);
    return { bytes, offsets: offsets.map((o) => bodyAt + o) };
  }

  it('binary: N nested blocks decode and validate; block N + 1 is refused at its opcode by every reader', () => {
    const kinds = [0x02, 0x03, 0x04];
    const { bytes } = nestedBinary(N, kinds);
    validateModule(decodeModule(bytes, { maxNesting: N }));
    expect(validateBinary(bytes, { maxNesting: N }).decidedBy).toBe('bytes');
    expect(decodeOutline(bytes, { maxNesting: N }).functions).toHaveLength(1);
    const deeper = nestedBinary(N + 1, kinds);
    const readers: [string, () => unknown][] = [
      ['decodeModule', () => decodeModule(deeper.bytes, { maxNesting: N })],
      ['validateBinary', () => validateBinary(deeper.bytes, { maxNesting: N })],
      ['decodeOutline', () => decodeOutline(deeper.bytes, { maxNesting: N })],
      ['decodeOutline (tolerateBodies)', () => { throw decodeOutline(deeper.bytes, { maxNesting: N, tolerateBodies: true }).bodyError; }],
    ];
    for (const [name, read] of readers) {
      const error = catchError(read);
      expect(error, name).toBeInstanceOf(DecodeError);
      expect((error as DecodeError).specMessage, name).toBe(tooDeep);
      expect((error as DecodeError).offset, name).toBe(deeper.offsets[N]);
    }
  });

  it("binary: 3.0's try and try_table count as blocks in decodeModule and decodeOutline", () => {
    for (const kind of [0x06, 0x1f]) {
      const { bytes } = nestedBinary(N, [kind]);
      expect(decodeModule(bytes, { maxNesting: N }).funcs[0]!.body).toHaveLength(2 * N);
      const deeper = nestedBinary(N + 1, [0x02, kind]);
      for (const read of [() => decodeModule(deeper.bytes, { maxNesting: N }), () => decodeOutline(deeper.bytes, { maxNesting: N })]) {
        const error = catchError(read);
        expect((error as DecodeError).specMessage).toBe(tooDeep);
        expect((error as DecodeError).offset).toBe(deeper.offsets[N]);
      }
    }
  });

  // The default limit is far above what a test can build quickly; 100,000 levels (50 times
  // the deepest real programs nest: esbuild's Go output, 3,289) show that neither format
  // leans on the host's stack, which overflowed at about 2,500 levels before.
  const DEEP = 100_000;

  const deepFolded = '(module (func ' + '(block '.repeat(DEEP) + ')'.repeat(DEEP) + '))';

  it('by default, text nested 100,000 deep parses, plain and folded', () => {
    const folded = parseWat(deepFolded);
    const plain = parseWat('(module (func ' + 'block '.repeat(DEEP) + 'end '.repeat(DEEP) + '))');
    expect(folded.funcs[0]!.body).toHaveLength(2 * DEEP);
    expect(encodeModule(plain)).toEqual(encodeModule(folded));
  });

  it('by default, a module nested 100,000 deep prints (in linear size) and reads back', { timeout: 20_000 }, () => {
    const m = parseWat(deepFolded);
    const text = printModule(m);
    // Two lines a level, indented at most 128 columns.
    expect(text.length).toBeLessThan(2 * DEEP * 160);
    expect(encodeModule(parseWat(text))).toEqual(encodeModule(m));
  });

  it('by default, a folded expression 100,000 operands deep parses', () => {
    const src = '(module (func (result i32) ' + '(i32.add (i32.const 1) '.repeat(DEEP) + '(i32.const 0)' + ')'.repeat(DEEP) + '))';
    const m = parseWat(src);
    expect(m.funcs[0]!.body).toHaveLength(2 * DEEP + 1);
    validateModule(m);
  });

  it('by default, a binary function nested 100,000 deep decodes, validates and runs', () => {
    const { bytes } = nestedBinary(DEEP, [0x02]);
    validateModule(decodeModule(bytes));
    expect(validateBinary(bytes).decidedBy).toBe('bytes');
    const exports = new WasmStep.Instance(new WasmStep.Module(bytes), {}).exports as { f: () => unknown };
    expect(exports.f()).toBeUndefined();
  });
});

function catchError(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}
