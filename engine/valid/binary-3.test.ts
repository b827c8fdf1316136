// validateBinary's in-place rules for WebAssembly 3.0 instructions (engine/valid/code-bytes.ts,
// engine/valid/binary-tags.ts): exception handling (legacy try/catch/catch_all/delegate/rethrow,
// throw, try_table), tail calls, memory indices. Each module is hand-assembled; a valid one
// must be accepted in place ('bytes'), an invalid one must not be accepted, and V8 must
// agree with the expected verdict either way (engine/valid/binary-v8-eh.test.ts runs the
// same comparison on mutated real code).
import { describe, expect, it } from 'vitest';
import { ourVerdict, v8Validate } from '../../tests/support/v8-validate.ts';
import { DecodeError } from '../binary/index.ts';
import { validateBinary } from './binary.ts';

const I32 = 0x7f;
const I64 = 0x7e;

const leb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};
const vec = (items: readonly (readonly number[])[]): number[] => [...leb(items.length), ...items.flat()];
const section = (id: number, content: readonly number[]): number[] => [id, ...leb(content.length), ...content];

interface Spec {
  /** Function types [params, results]. */
  readonly types?: readonly (readonly [readonly number[], readonly number[]])[];
  /** Type index of each function (function 0 holds `body`, the others `unreachable`). */
  readonly funcs?: readonly number[];
  /** Type index of each defined tag. */
  readonly tags?: readonly number[];
  /** Type index of each imported tag (module "m", name "t<i>"). */
  readonly tagImports?: readonly number[];
  readonly memories?: number;
  /** A funcref table of 1 element. */
  readonly table?: boolean;
  readonly exports?: readonly (readonly [string, number, number])[];
  /** Function 0's instructions, without the final end. */
  readonly body: readonly number[];
}

/** Types default to [] -> [] (0), [i32] -> [] (1), [] -> [i32] (2); function 0 of type 0. */
function build(s: Spec): Uint8Array {
  const types = s.types ?? [[[], []], [[I32], []], [[], [I32]]];
  const funcs = s.funcs ?? [0];
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  out.push(...section(1, vec(types.map(([p, r]) => [0x60, ...vec(p.map((t) => [t])), ...vec(r.map((t) => [t]))]))));
  if (s.tagImports !== undefined) {
    out.push(...section(2, vec(s.tagImports.map((t, i) => [1, 0x6d, 2, 0x74, 0x30 + i, 0x04, 0x00, ...leb(t)]))));
  }
  out.push(...section(3, vec(funcs.map((t) => leb(t)))));
  if (s.table === true) out.push(...section(4, vec([[0x70, 0x00, 1]])));
  if (s.memories !== undefined) out.push(...section(5, vec(Array.from({ length: s.memories }, () => [0x00, 1]))));
  if (s.tags !== undefined) out.push(...section(13, vec(s.tags.map((t) => [0x00, ...leb(t)]))));
  if (s.exports !== undefined) out.push(...section(7, vec(s.exports.map(([name, kind, index]) => [...vec([...name].map((c) => [c.charCodeAt(0)])), kind, ...leb(index)]))));
  const bodies = funcs.map((_, i) => (i === 0 ? [0x00, ...s.body, 0x0b] : [0x00, 0x00, 0x0b]));
  out.push(...section(10, vec(bodies.map((b) => [...leb(b.length), ...b]))));
  return Uint8Array.from(out);
}

/** Checks the expected verdict against V8's and validateBinary's. */
function expectAll(cases: readonly (readonly [string, Spec, 'valid' | 'invalid'])[]): void {
  const modules = cases.map(([, s]) => build(s));
  const v8 = v8Validate(modules);
  cases.forEach(([name, , expected], i) => {
    expect(v8[i], `V8 on ${name}`).toBe(expected === 'valid');
    const ours = ourVerdict(modules[i]!);
    if (expected === 'valid') expect(ours, name).toEqual({ verdict: 'valid', by: 'bytes' });
    else expect(ours.verdict, name).not.toBe('valid');
  });
}

const TAG_I32 = { tags: [1] };

describe('validateBinary in place: legacy exception handling', () => {
  it('accepts valid try, catch, catch_all, delegate, rethrow and throw', () => {
    expectAll([
      ['try catch_all end', { body: [0x06, 0x40, 0x19, 0x0b] }],
      ['try without handlers', { body: [0x06, 0x40, 0x01, 0x0b] }],
      ['try (result i32) catch 0 gives the i32', { ...TAG_I32, funcs: [2], body: [0x06, I32, 0x41, 1, 0x07, 0x00, 0x0b] }],
      ['two catches then catch_all', { ...TAG_I32, body: [0x06, 0x40, 0x07, 0x00, 0x1a, 0x07, 0x00, 0x1a, 0x19, 0x0b] }],
      ['rethrow from a catch', { ...TAG_I32, body: [0x06, 0x40, 0x07, 0x00, 0x1a, 0x09, 0x00, 0x0b] }],
      ['rethrow from a block inside catch_all', { body: [0x06, 0x40, 0x19, 0x02, 0x40, 0x09, 0x01, 0x0b, 0x0b] }],
      ['delegate to a block', { body: [0x02, 0x40, 0x06, 0x40, 0x18, 0x00, 0x0b] }],
      ['delegate to the caller', { body: [0x06, 0x40, 0x18, 0x00] }],
      ['throw', { ...TAG_I32, body: [0x41, 0, 0x08, 0x00] }],
      ['throw of an imported tag', { tagImports: [1], body: [0x41, 0, 0x08, 0x00] }],
      ['try with a type index, unreachable in catch', { ...TAG_I32, funcs: [2], body: [0x06, 0x02, 0x41, 0, 0x07, 0x00, 0x00, 0x0b] }],
      ['exported tag', { ...TAG_I32, exports: [['t', 4, 0]], body: [] }],
    ].map(([n, s]) => [n as string, s as Spec, 'valid'] as const));
  });

  it('rejects what the legacy rules forbid', () => {
    expectAll([
      ['catch after catch_all', { ...TAG_I32, body: [0x06, 0x40, 0x19, 0x07, 0x00, 0x1a, 0x0b] }],
      ['catch_all twice', { body: [0x06, 0x40, 0x19, 0x19, 0x0b] }],
      ['delegate after catch_all', { body: [0x02, 0x40, 0x06, 0x40, 0x19, 0x18, 0x00, 0x0b] }],
      ['delegate to a label outside the function', { body: [0x06, 0x40, 0x18, 0x01] }],
      ['rethrow in a try', { body: [0x06, 0x40, 0x09, 0x00, 0x0b] }],
      ['rethrow of a block label', { body: [0x06, 0x40, 0x19, 0x02, 0x40, 0x09, 0x00, 0x0b, 0x0b] }],
      ['catch in a block', { ...TAG_I32, body: [0x02, 0x40, 0x07, 0x00, 0x1a, 0x0b] }],
      ['else in a try', { body: [0x06, 0x40, 0x05, 0x0b] }],
      ['try body leaves a value', { body: [0x06, 0x40, 0x41, 1, 0x19, 0x0b] }],
      ['catch_all without the result', { funcs: [2], body: [0x06, I32, 0x41, 1, 0x19, 0x0b] }],
      ['catch leaves the wrong type', { tags: [3], types: [[[], []], [[I32], []], [[], [I32]], [[I64], []]], funcs: [2], body: [0x06, I32, 0x41, 1, 0x07, 0x00, 0x0b] }],
      ['throw without its operand', { ...TAG_I32, body: [0x08, 0x00] }],
      ['throw of an unknown tag', { ...TAG_I32, body: [0x41, 0, 0x08, 0x01] }],
      ['tag type with results', { tags: [2], body: [] }],
      ['tag of an unknown type', { tags: [7], body: [] }],
      ['export of an unknown tag', { ...TAG_I32, exports: [['t', 4, 1]], body: [] }],
      ['a tag and a function exported under one name', { ...TAG_I32, exports: [['t', 4, 0], ['t', 0, 0]], body: [] }],
    ].map(([n, s]) => [n as string, s as Spec, 'invalid'] as const));
  });

  it('reads no 3.0 instruction under version 2.0', () => {
    expect(() => validateBinary(build({ body: [0x06, 0x40, 0x19, 0x0b] }), { version: '2.0' })).toThrow(DecodeError);
  });
});

describe('validateBinary in place: try_table and throw (3.0 exceptions)', () => {
  it('accepts handlers that branch with the exception values', () => {
    expectAll([
      ['try_table without handlers', { body: [0x1f, 0x40, 0x00, 0x0b] }],
      ['catch 0 to a block of [i32]', { ...TAG_I32, body: [0x02, I32, 0x1f, 0x40, 0x01, 0x00, 0x00, 0x00, 0x0b, 0x41, 0, 0x0b, 0x1a] }],
      ['catch_all to the function label', { body: [0x1f, 0x40, 0x01, 0x02, 0x00, 0x0b] }],
    ].map(([n, s]) => [n as string, s as Spec, 'valid'] as const));
  });

  it('rejects handlers whose label does not take the values', () => {
    expectAll([
      ['catch 0 to a label of []', { ...TAG_I32, body: [0x1f, 0x40, 0x01, 0x00, 0x00, 0x00, 0x0b] }],
      ['catch_all to a label of [i32]', { body: [0x02, I32, 0x1f, 0x40, 0x01, 0x02, 0x00, 0x0b, 0x41, 0, 0x0b, 0x1a] }],
      ['a label of the try_table itself', { body: [0x1f, 0x40, 0x01, 0x02, 0x01, 0x0b] }],
      ['an unknown handler kind', { body: [0x1f, 0x40, 0x01, 0x04, 0x00, 0x0b] }],
      ['try_table body leaves a value', { body: [0x1f, 0x40, 0x00, 0x41, 0, 0x0b] }],
    ].map(([n, s]) => [n as string, s as Spec, 'invalid'] as const));
  });
});

describe('validateBinary in place: tail calls and memory indices', () => {
  const two = { types: [[[], []], [[I32], []], [[], [I32]]] as Spec['types'] };
  it('accepts return_call and return_call_indirect with the function results, and memory 0 named', () => {
    expectAll([
      ['return_call', { ...two, funcs: [0, 0], body: [0x12, 0x01] }],
      ['return_call with operands left under it', { ...two, funcs: [0, 1], body: [0x41, 0, 0x41, 1, 0x12, 0x01] }],
      ['return_call_indirect', { ...two, funcs: [2], table: true, body: [0x41, 0, 0x13, 0x02, 0x00] }],
      ['i32.load on memory 0 named', { memories: 1, funcs: [2], body: [0x41, 0, 0x28, 0x42, 0x00, 0x00] }],
      ['memory.size 0 padded', { memories: 1, funcs: [2], body: [0x3f, 0x80, 0x00] }],
      ['memory.fill and copy', { memories: 1, body: [0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 11, 0x00, 0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 10, 0x00, 0x00] }],
    ].map(([n, s]) => [n as string, s as Spec, 'valid'] as const));
  });

  it('rejects other results, missing operands and unknown memories', () => {
    expectAll([
      ['return_call to other results', { ...two, funcs: [0, 2], body: [0x12, 0x01] }],
      ['return_call without its operand', { ...two, funcs: [0, 1], body: [0x12, 0x01] }],
      ['return_call_indirect without a table', { ...two, funcs: [2], body: [0x41, 0, 0x13, 0x02, 0x00] }],
      ['return_call_indirect to other results', { ...two, funcs: [0], table: true, body: [0x41, 0, 0x13, 0x02, 0x00] }],
      ['i32.load on memory 1', { memories: 1, funcs: [2], body: [0x41, 0, 0x28, 0x42, 0x01, 0x00] }],
      ['i32.load with flags past bit 6', { memories: 1, funcs: [2], body: [0x41, 0, 0x28, 0xc2, 0x01, 0x00, 0x00] }],
      ['memory.grow 1', { memories: 1, funcs: [2], body: [0x41, 0, 0x40, 0x01] }],
    ].map(([n, s]) => [n as string, s as Spec, 'invalid'] as const));
  });
});
