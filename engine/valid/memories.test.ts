// Validation of multiple memories and memory64 (engine/valid/memories.ts and the memory
// rules of engine/valid/validate.ts): memory indices, i64 address operands, i64 limits,
// offsets that must fit an i32 memory, and 2.0's one-memory rule.
import { describe, expect, it } from 'vitest';
import { parseWat } from '../text/index.ts';
import { ValidationError } from './error.ts';
import { validateModule } from './validate.ts';

function message(source: string, version?: '2.0'): string {
  try {
    validateModule(parseWat(source, version === undefined ? {} : { version }), version === undefined ? {} : { version });
  } catch (e) {
    if (e instanceof ValidationError) return e.specMessage;
    throw e;
  }
  return 'valid';
}

describe('multiple memories', () => {
  it('are valid in 3.0 and refused by 2.0', () => {
    expect(message('(module (memory 1) (memory 1))')).toBe('valid');
    expect(message('(module (import "m" "mem" (memory 1)) (memory 1))')).toBe('valid');
    expect(message('(module (memory 1) (memory 1))', '2.0')).toMatch(/^multiple memories/);
    expect(message('(module (import "m" "mem" (memory 1)) (memory 1))', '2.0')).toMatch(/^multiple memories/);
  });

  it('check every memory index an instruction or segment names', () => {
    const two = '(memory $a 1) (memory $b 1)';
    expect(message(`(module ${two} (func (drop (i32.load $b (i32.const 0)))))`)).toBe('valid');
    expect(message(`(module ${two} (func (drop (i32.load 2 (i32.const 0)))))`)).toBe('unknown memory 2');
    expect(message(`(module ${two} (func (drop (memory.size 2))))`)).toBe('unknown memory 2');
    expect(message(`(module ${two} (func (drop (memory.grow 2 (i32.const 0)))))`)).toBe('unknown memory 2');
    expect(message(`(module ${two} (func (memory.fill 2 (i32.const 0) (i32.const 0) (i32.const 0))))`)).toBe('unknown memory 2');
    expect(message(`(module ${two} (func (memory.copy 0 2 (i32.const 0) (i32.const 0) (i32.const 0))))`)).toBe('unknown memory 2');
    expect(message(`(module ${two} (data $d "") (func (memory.init 2 $d (i32.const 0) (i32.const 0) (i32.const 0))))`)).toBe('unknown memory 2');
    expect(message(`(module ${two} (data (memory 2) (i32.const 0) ""))`)).toBe('unknown memory 2');
    expect(message(`(module ${two} (func (v128.store8_lane 2 0 (i32.const 0) (v128.const i64x2 0 0))))`)).toBe('unknown memory 2');
  });
});

describe('memory64', () => {
  const m64 = '(memory i64 1)';

  it('types addresses, sizes and lengths of an i64 memory as i64', () => {
    expect(message(`(module ${m64} (func (drop (i32.load (i64.const 0)))))`)).toBe('valid');
    expect(message(`(module ${m64} (func (drop (i32.load (i32.const 0)))))`)).toMatch(/^type mismatch/);
    expect(message(`(module ${m64} (func (result i64) (memory.size)))`)).toBe('valid');
    expect(message(`(module ${m64} (func (result i32) (memory.size)))`)).toMatch(/^type mismatch/);
    expect(message(`(module ${m64} (func (result i64) (memory.grow (i64.const 1))))`)).toBe('valid');
    expect(message(`(module ${m64} (func (memory.fill (i64.const 0) (i32.const 0) (i64.const 0))))`)).toBe('valid');
    expect(message(`(module ${m64} (func (memory.fill (i64.const 0) (i64.const 0) (i64.const 0))))`)).toMatch(/^type mismatch/);
    expect(message(`(module ${m64} (data $d "") (func (memory.init $d (i64.const 0) (i32.const 0) (i32.const 0))))`)).toBe('valid');
    expect(message(`(module ${m64} (func (v128.store (i64.const 0) (v128.const i64x2 0 0))))`)).toBe('valid');
  });

  it('types memory.copy between an i32 and an i64 memory with the smaller length type', () => {
    const mixed = '(memory $m32 1) (memory $m64 i64 1)';
    expect(message(`(module ${mixed} (func (memory.copy $m32 $m64 (i32.const 0) (i64.const 0) (i32.const 0))))`)).toBe('valid');
    expect(message(`(module ${mixed} (func (memory.copy $m64 $m32 (i64.const 0) (i32.const 0) (i32.const 0))))`)).toBe('valid');
    expect(message(`(module ${mixed} (func (memory.copy $m64 $m64 (i64.const 0) (i64.const 0) (i64.const 0))))`)).toBe('valid');
    expect(message(`(module ${mixed} (func (memory.copy $m32 $m64 (i32.const 0) (i64.const 0) (i64.const 0))))`)).toMatch(/^type mismatch/);
  });

  it('places data by an offset of the address type', () => {
    expect(message(`(module ${m64} (data (i64.const 0) "x"))`)).toBe('valid');
    expect(message(`(module ${m64} (data (i32.const 0) "x"))`)).toMatch(/^type mismatch/);
  });

  it('allows up to 2^48 pages, and offsets beyond 2^32 only on i64 memories', () => {
    expect(message('(module (memory i64 0x1_0000_0000_0000))')).toBe('valid');
    expect(message('(module (memory i64 0x1_0000_0000_0001))')).toMatch(/^memory size must be at most 2\^48 pages/);
    expect(message('(module (memory i64 0 0x1_0000_0000_0001))')).toMatch(/^memory size/);
    expect(message('(module (memory 0x1_0000))')).toBe('valid');
    expect(message('(module (memory 0x1_0001))')).toMatch(/^memory size must be at most 65536 pages/);
    expect(message(`(module ${m64} (func (drop (i32.load offset=0xffff_ffff_ffff_ffff (i64.const 0)))))`)).toBe('valid');
    expect(message('(module (memory 1) (func (drop (i32.load offset=0x1_0000_0000 (i32.const 0)))))')).toMatch(/^offset out of range/);
  });
});
