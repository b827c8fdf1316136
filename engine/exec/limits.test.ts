// Every resource limit, hit on purpose: the step budget, call depth, memory pages, table
// size (engine/exec/limits.ts), and the input size limits of the decoder and the text
// parser. Each ends in the documented way, with a message that says which limit it was.
import { describe, expect, it } from 'vitest';
import { WasmStep } from '../api/index.ts';
import { DecodeError, decodeModule, DEFAULT_MAX_MODULE_BYTES, encodeModule } from '../binary/index.ts';
import { DEFAULT_MAX_TEXT_LENGTH, ParseError, parseWat } from '../text/index.ts';
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
  it('text nested deeper than the parser can go is a located ParseError, not a host stack overflow', () => {
    const src = '(module (func ' + '(block '.repeat(50_000) + ')'.repeat(50_000) + '))';
    let error: unknown;
    try {
      parseWat(src);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).specMessage).toBe('nesting too deep');
    expect((error as ParseError).line).toBe(1);
    expect((error as ParseError).column).toBeLessThan(src.length);
  });

  it('real programs nest a few thousand levels: 2000 nested blocks parse', () => {
    const src = '(module (func ' + '(block '.repeat(2000) + ')'.repeat(2000) + '))';
    expect(parseWat(src).funcs[0]!.body).toHaveLength(4000);
  });
});
