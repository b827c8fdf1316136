// The WebAssembly 3.0 constructs the decoder reads (engine/binary/decode.ts): every new
// opcode with sample immediates through decode → print, what 2.0 mode and the validator
// make of them, the 3.0 types, sections and segment forms, and the 3.0 spec suite's
// binary modules (https://webassembly.github.io/spec/core/binary/).
import { describe, expect, it } from 'vitest';
import { DecodeError } from './error.ts';
import { ParseError, parseWat, printModule } from '../text/index.ts';
import { detectFeatures, type Instr, type Module, OPS_3 } from '../syntax/index.ts';
import { validateModule, ValidationError } from '../valid/index.ts';
import { decodeModule } from './decode.ts';
import { encodeU32 } from './leb128.ts';
import { HEADER, section, str, vec } from './test-support/build.ts';

// A module that gives the sample instructions something to refer to: types 0 ([] -> []),
// 1 (struct (field (mut i32))), 2 (array (mut i8)) in one rec group; one function; one
// funcref table; two memories; one tag; a passive element and data segment.
const TYPES = section(1, vec([[0x4e, 0x03, 0x60, 0x00, 0x00, 0x5f, 0x01, 0x7f, 0x01, 0x5e, 0x78, 0x01]]));
const FUNCS = section(3, vec([[0x00]]));
const TABLE = section(4, vec([[0x70, 0x00, 0x01]]));
const MEMORIES = section(5, vec([[0x00, 0x01], [0x00, 0x01]]));
const TAGS = section(13, vec([[0x00, 0x00]]));
const ELEMS = section(9, vec([[0x01, 0x00, 0x01, 0x00]]));
const DATA_COUNT = section(12, [0x01]);
const DATAS = section(11, vec([[0x01, 0x01, 0x2a]]));

function contextModule(code: readonly number[]): Uint8Array {
  const body = [0x00, ...code, 0x0b];
  const codeSection = section(10, vec([[...encodeU32(body.length), ...body]]));
  return Uint8Array.from([...HEADER, ...TYPES, ...FUNCS, ...TABLE, ...MEMORIES, ...TAGS, ...ELEMS, ...DATA_COUNT, ...codeSection, ...DATAS]);
}

const u = (n: number) => [...encodeU32(n)];

interface Row {
  /** The instruction's bytes (opcode and immediates). */
  readonly bytes: readonly number[];
  /** Bytes after it that complete the body (e.g. the `end` of a block). */
  readonly tail?: readonly number[];
  /** What the first instruction decodes to (a subset of its fields). */
  readonly instr: Partial<Instr>;
  /** Its line in the disassembly. */
  readonly text: string;
  /** The proposal features.ts names for it. */
  readonly feature: string;
}

const rows: Row[] = [
  // Tail calls
  { bytes: [0x12, 0x00], instr: { op: 'return_call', index: 0 }, text: 'return_call 0', feature: 'tail-call' },
  { bytes: [0x13, 0x00, 0x00], instr: { op: 'return_call_indirect', index: 0, index2: 0 }, text: 'return_call_indirect (type 0)', feature: 'tail-call' },
  // Exception handling
  { bytes: [0x08, 0x00], instr: { op: 'throw', index: 0 }, text: 'throw 0', feature: 'exceptions' },
  { bytes: [0x0a], instr: { op: 'throw_ref' }, text: 'throw_ref', feature: 'exceptions' },
  {
    bytes: [0x1f, 0x40, 0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x02, 0x02, 0x03, 0x03],
    tail: [0x0b],
    instr: {
      op: 'try_table',
      catches: [
        { kind: 'catch', tag: 0, label: 0 },
        { kind: 'catch_ref', tag: 0, label: 1 },
        { kind: 'catch_all', label: 2 },
        { kind: 'catch_all_ref', label: 3 },
      ],
    },
    text: 'try_table (catch 0 0) (catch_ref 0 1) (catch_all 2) (catch_all_ref 3)',
    feature: 'exceptions',
  },
  // Legacy exception handling
  { bytes: [0x06, 0x40], tail: [0x07, 0x00, 0x19, 0x0b], instr: { op: 'try', blockType: { kind: 'empty' } }, text: 'try', feature: 'legacy-exceptions' },
  { bytes: [0x06, 0x7f], tail: [0x41, 0x00, 0x07, 0x00, 0x41, 0x01, 0x0b, 0x1a], instr: { op: 'try' }, text: 'try (result i32)', feature: 'legacy-exceptions' },
  { bytes: [0x06, 0x40], tail: [0x18, 0x00], instr: { op: 'try' }, text: 'try', feature: 'legacy-exceptions' },
  { bytes: [0x06, 0x40], tail: [0x19, 0x09, 0x00, 0x0b], instr: { op: 'try' }, text: 'try', feature: 'legacy-exceptions' },
  // Typed function references
  { bytes: [0x14, 0x00], instr: { op: 'call_ref', index: 0 }, text: 'call_ref 0', feature: 'function-references' },
  { bytes: [0x15, 0x00], instr: { op: 'return_call_ref', index: 0 }, text: 'return_call_ref 0', feature: 'function-references' },
  { bytes: [0xd4], instr: { op: 'ref.as_non_null' }, text: 'ref.as_non_null', feature: 'function-references' },
  { bytes: [0xd5, 0x00], instr: { op: 'br_on_null', index: 0 }, text: 'br_on_null 0', feature: 'function-references' },
  { bytes: [0xd6, 0x00], instr: { op: 'br_on_non_null', index: 0 }, text: 'br_on_non_null 0', feature: 'function-references' },
  { bytes: [0xd0, 0x00], instr: { op: 'ref.null', heapType: 0 }, text: 'ref.null 0', feature: 'function-references' },
  // GC
  { bytes: [0xd3], instr: { op: 'ref.eq' }, text: 'ref.eq', feature: 'gc' },
  { bytes: [0xd0, 0x6e], instr: { op: 'ref.null', heapType: 'any' }, text: 'ref.null any', feature: 'gc' },
  { bytes: [0xfb, 0x00, 0x01], instr: { op: 'struct.new', index: 1 }, text: 'struct.new 1', feature: 'gc' },
  { bytes: [0xfb, 0x01, 0x01], instr: { op: 'struct.new_default', index: 1 }, text: 'struct.new_default 1', feature: 'gc' },
  { bytes: [0xfb, 0x02, 0x01, 0x00], instr: { op: 'struct.get', index: 1, index2: 0 }, text: 'struct.get 1 0', feature: 'gc' },
  { bytes: [0xfb, 0x03, 0x01, 0x00], instr: { op: 'struct.get_s', index: 1, index2: 0 }, text: 'struct.get_s 1 0', feature: 'gc' },
  { bytes: [0xfb, 0x04, 0x01, 0x00], instr: { op: 'struct.get_u', index: 1, index2: 0 }, text: 'struct.get_u 1 0', feature: 'gc' },
  { bytes: [0xfb, 0x05, 0x01, 0x00], instr: { op: 'struct.set', index: 1, index2: 0 }, text: 'struct.set 1 0', feature: 'gc' },
  { bytes: [0xfb, 0x06, 0x02], instr: { op: 'array.new', index: 2 }, text: 'array.new 2', feature: 'gc' },
  { bytes: [0xfb, 0x07, 0x02], instr: { op: 'array.new_default', index: 2 }, text: 'array.new_default 2', feature: 'gc' },
  { bytes: [0xfb, 0x08, 0x02, 0x03], instr: { op: 'array.new_fixed', index: 2, index2: 3 }, text: 'array.new_fixed 2 3', feature: 'gc' },
  { bytes: [0xfb, 0x09, 0x02, 0x00], instr: { op: 'array.new_data', index: 2, index2: 0 }, text: 'array.new_data 2 0', feature: 'gc' },
  { bytes: [0xfb, 0x0a, 0x02, 0x00], instr: { op: 'array.new_elem', index: 2, index2: 0 }, text: 'array.new_elem 2 0', feature: 'gc' },
  { bytes: [0xfb, 0x0b, 0x02], instr: { op: 'array.get', index: 2 }, text: 'array.get 2', feature: 'gc' },
  { bytes: [0xfb, 0x0c, 0x02], instr: { op: 'array.get_s', index: 2 }, text: 'array.get_s 2', feature: 'gc' },
  { bytes: [0xfb, 0x0d, 0x02], instr: { op: 'array.get_u', index: 2 }, text: 'array.get_u 2', feature: 'gc' },
  { bytes: [0xfb, 0x0e, 0x02], instr: { op: 'array.set', index: 2 }, text: 'array.set 2', feature: 'gc' },
  { bytes: [0xfb, 0x0f], instr: { op: 'array.len' }, text: 'array.len', feature: 'gc' },
  { bytes: [0xfb, 0x10, 0x02], instr: { op: 'array.fill', index: 2 }, text: 'array.fill 2', feature: 'gc' },
  { bytes: [0xfb, 0x11, 0x02, 0x02], instr: { op: 'array.copy', index: 2, index2: 2 }, text: 'array.copy 2 2', feature: 'gc' },
  { bytes: [0xfb, 0x12, 0x02, 0x00], instr: { op: 'array.init_data', index: 2, index2: 0 }, text: 'array.init_data 2 0', feature: 'gc' },
  { bytes: [0xfb, 0x13, 0x02, 0x00], instr: { op: 'array.init_elem', index: 2, index2: 0 }, text: 'array.init_elem 2 0', feature: 'gc' },
  { bytes: [0xfb, 0x14, 0x6e], instr: { op: 'ref.test', heapType: 'any' }, text: 'ref.test (ref any)', feature: 'gc' },
  { bytes: [0xfb, 0x15, 0x01], instr: { op: 'ref.test', heapType: 1 }, text: 'ref.test (ref null 1)', feature: 'gc' },
  { bytes: [0xfb, 0x16, 0x6c], instr: { op: 'ref.cast', heapType: 'i31' }, text: 'ref.cast (ref i31)', feature: 'gc' },
  { bytes: [0xfb, 0x17, 0x6b], instr: { op: 'ref.cast', heapType: 'struct' }, text: 'ref.cast (ref null struct)', feature: 'gc' },
  {
    bytes: [0xfb, 0x18, 0x01, 0x00, 0x6e, 0x01],
    instr: { op: 'br_on_cast', castFlags: 1, index: 0, heapType: 'any', heapType2: 1 },
    text: 'br_on_cast 0 (ref null any) (ref 1)',
    feature: 'gc',
  },
  {
    bytes: [0xfb, 0x19, 0x03, 0x00, 0x6d, 0x71],
    instr: { op: 'br_on_cast_fail', castFlags: 3, index: 0, heapType: 'eq', heapType2: 'none' },
    text: 'br_on_cast_fail 0 (ref null eq) (ref null none)',
    feature: 'gc',
  },
  { bytes: [0xfb, 0x1a], instr: { op: 'any.convert_extern' }, text: 'any.convert_extern', feature: 'gc' },
  { bytes: [0xfb, 0x1b], instr: { op: 'extern.convert_any' }, text: 'extern.convert_any', feature: 'gc' },
  { bytes: [0xfb, 0x1c], instr: { op: 'ref.i31' }, text: 'ref.i31', feature: 'gc' },
  { bytes: [0xfb, 0x1d], instr: { op: 'i31.get_s' }, text: 'i31.get_s', feature: 'gc' },
  { bytes: [0xfb, 0x1e], instr: { op: 'i31.get_u' }, text: 'i31.get_u', feature: 'gc' },
  // Multiple memories
  { bytes: [0x28, 0x42, 0x01, 0x08], instr: { op: 'i32.load', memarg: { align: 2, offset: 8, memory: 1 } }, text: 'i32.load 1 offset=8', feature: 'multi-memory' },
  { bytes: [0xfd, 0x54, 0x40, 0x01, 0x00, 0x03], instr: { op: 'v128.load8_lane', index: 3 }, text: 'v128.load8_lane 1 3', feature: 'multi-memory' },
  { bytes: [0x3f, 0x01], instr: { op: 'memory.size', index: 1 }, text: 'memory.size 1', feature: 'multi-memory' },
  { bytes: [0x40, 0x01], instr: { op: 'memory.grow', index: 1 }, text: 'memory.grow 1', feature: 'multi-memory' },
  { bytes: [0xfc, 0x08, 0x00, 0x01], instr: { op: 'memory.init', index: 0, index2: 1 }, text: 'memory.init 1 0', feature: 'multi-memory' },
  { bytes: [0xfc, 0x0a, 0x01, 0x00], instr: { op: 'memory.copy', index2: 1 }, text: 'memory.copy 1 0', feature: 'multi-memory' },
  { bytes: [0xfc, 0x0a, 0x00, 0x01], instr: { op: 'memory.copy', index2: 0, index3: 1 }, text: 'memory.copy 0 1', feature: 'multi-memory' },
  { bytes: [0xfc, 0x0b, 0x01], instr: { op: 'memory.fill', index2: 1 }, text: 'memory.fill 1', feature: 'multi-memory' },
  // memory64: offsets beyond 32 bits
  {
    bytes: [0x29, 0x03, 0x80, 0x80, 0x80, 0x80, 0x10],
    instr: { op: 'i64.load', memarg: { align: 3, offset: 2 ** 32 } },
    text: 'i64.load offset=4294967296',
    feature: 'memory64',
  },
  // Relaxed SIMD: all 20 follow
  ...OPS_3.filter((o) => o.proposal === 'relaxed-simd').map((o) => ({
    bytes: [0xfd, ...encodeU32(o.code & 0xffff)],
    instr: { op: o.op, code: o.code },
    text: o.op,
    feature: 'relaxed-simd',
  })),
];

function body(m: Module): Instr[] {
  return m.funcs[0]!.body;
}

describe('WebAssembly 3.0 instructions: decode, print, refuse', () => {
  it('covers every 3.0 opcode', () => {
    const covered = new Set(rows.map((r) => decodeModule(contextModule([...r.bytes, ...(r.tail ?? [])])).funcs[0]!.body.map((i) => i.code)).flat());
    const missing = OPS_3.filter((o) => !covered.has(o.code)).map((o) => o.op);
    expect(missing).toEqual([]);
  });

  it.each(rows.map((r) => [r.text, r] as const))('%s', (_text, row) => {
    const bytes = contextModule([...row.bytes, ...(row.tail ?? [])]);
    const m = decodeModule(bytes);
    const first = body(m)[0]!;
    expect(first).toMatchObject(row.instr);
    // The instruction's span covers exactly its bytes.
    expect(first.span.bytes?.length).toBe(row.bytes.length);

    const lines = printModule(m).split('\n').map((l) => l.trim().replace(/ {2};; label = @\d+$/, '').replace(/ \(;@\d+;\)(\)?)$/, '$1'));
    // The function's last line also carries its closing paren.
    expect(lines.filter((l) => l === row.text || l === `${row.text})`)).not.toEqual([]);

    expect(detectFeatures(m).map((f) => f.id)).toContain(row.feature);

    // 2.0 mode does not read it; the validator refuses it, naming the proposal.
    expect(() => decodeModule(bytes, { version: '2.0' })).toThrow(DecodeError);
    let error: unknown;
    try {
      validateModule(m);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).specMessage).toMatch(/^wasmstep does not execute .+ yet \(/);
  });

  it('prints legacy try/catch/delegate with the structure indented', () => {
    const m = decodeModule(contextModule([0x06, 0x40, 0x06, 0x40, 0x18, 0x00, 0x07, 0x00, 0x09, 0x00, 0x19, 0x0b]));
    const text = printModule(m);
    expect(text).toContain(['    try  ;; label = @1', '      try  ;; label = @2', '      delegate 0', '    catch 0', '      rethrow 0 (;@1;)', '    catch_all', '    end'].join('\n'));
  });

  it('rejects catch outside try, delegate after catch, and bad catch clauses', () => {
    expect(() => decodeModule(contextModule([0x07, 0x00]))).toThrow('catch outside try');
    expect(() => decodeModule(contextModule([0x06, 0x40, 0x19, 0x18, 0x00]))).toThrow('delegate outside try');
    expect(() => decodeModule(contextModule([0x1f, 0x40, 0x01, 0x04, 0x00, 0x0b]))).toThrow('malformed catch clause');
    expect(() => decodeModule(contextModule([0xfb, 0x18, 0x04, 0x00, 0x6e, 0x6e]))).toThrow('malformed cast flags');
    expect(() => decodeModule(contextModule([0xfb, 0x1f]))).toThrow(DecodeError);
  });

  it('round-trips through the text parser what prints as 2.0 text', () => {
    // A memarg that names memory 0 explicitly, and ref.null with the func heap type, are 2.0
    // text again; the 3.0 syntax is not parsed (the text parser is 2.0 only).
    const m = decodeModule(contextModule([0x41, 0x00, 0x28, 0x40, 0x00, 0x04, 0x1a, 0xd0, 0x70, 0x1a]));
    const ops = body(m).map((i) => `${i.op}${i.memarg ? ` ${i.memarg.offset}` : ''}`);
    const module2 = decodeModule(Uint8Array.from([...HEADER, ...section(1, vec([[0x60, 0x00, 0x00]])), ...section(3, vec([[0x00]])), ...section(5, vec([[0x00, 0x01]])),
      ...section(10, vec([[0x0c, 0x00, 0x41, 0x00, 0x28, 0x40, 0x00, 0x04, 0x1a, 0xd0, 0x70, 0x1a, 0x0b]]))]));
    const reparsed = parseWat(printModule(module2));
    expect(reparsed.funcs[0]!.body.map((i) => `${i.op}${i.memarg ? ` ${i.memarg.offset}` : ''}`)).toEqual(ops);
    expect(() => parseWat(printModule(decodeModule(contextModule([0x12, 0x00]))))).toThrow(ParseError);
  });
});

describe('WebAssembly 3.0 types, sections and segments', () => {
  it('reads rec groups, sub types, struct and array types with packed fields', () => {
    const types = section(1, vec([
      [0x4e, 0x02, 0x50, 0x00, 0x5f, 0x02, 0x78, 0x00, 0x77, 0x01, 0x4f, 0x01, 0x00, 0x5f, 0x02, 0x78, 0x00, 0x77, 0x01],
      [0x5e, 0x63, 0x00, 0x01],
      [0x60, 0x01, 0x64, 0x6e, 0x01, 0x69],
    ]));
    const m = decodeModule(Uint8Array.from([...HEADER, ...types]));
    expect(m.types.map((t) => ({ comp: t.comp, sub: t.sub, recSize: t.recSize }))).toEqual([
      { comp: { kind: 'struct', fields: [{ type: 'i8', mutable: false }, { type: 'i16', mutable: true }] }, sub: { final: false, supers: [] }, recSize: 2 },
      { comp: { kind: 'struct', fields: [{ type: 'i8', mutable: false }, { type: 'i16', mutable: true }] }, sub: { final: true, supers: [0] }, recSize: undefined },
      { comp: { kind: 'array', field: { type: '(ref null 0)', mutable: true } }, sub: undefined, recSize: undefined },
      { comp: undefined, sub: undefined, recSize: undefined },
    ]);
    expect(m.types[3]!.type).toEqual({ params: ['(ref any)'], results: ['exnref'] });
    const text = printModule(m);
    expect(text).toContain('(rec\n    (type (;0;) (sub (struct (field i8) (field (mut i16)))))\n    (type (;1;) (sub final 0 (struct (field i8) (field (mut i16))))))');
    expect(text).toContain('(type (;2;) (array (mut (ref null 0))))');
    expect(text).toContain('(type (;3;) (func (param (ref any)) (result exnref)))');
    expect(detectFeatures(m).map((f) => f.id)).toEqual(['exceptions', 'function-references', 'gc']);
    expect(() => validateModule(m)).toThrow(/wasmstep does not execute garbage collection yet \(struct type at byte 0x/);
  });

  it('does not count an MVP list of function indices, (ref func) in 3.0, as a later feature', () => {
    const mvp = decodeModule(Uint8Array.from([...HEADER, ...section(1, vec([[0x60, 0x00, 0x00]])), ...section(3, vec([[0x00]])),
      ...section(4, vec([[0x70, 0x00, 0x01]])), ...section(9, vec([[0x00, 0x41, 0x00, 0x0b, 0x01, 0x00]])), ...section(10, vec([[0x02, 0x00, 0x0b]]))]));
    expect(mvp.elems[0]!.type).toBe('(ref func)');
    expect(detectFeatures(mvp)).toEqual([]);
    // A (ref func) segment in the expression encoding with a non-null item type is still 3.0.
    const typed = parseWat('(module (type $t (func)) (func $f (type $t)) (table 1 (ref null $t)) (elem (table 0) (i32.const 0) (ref $t) (ref.func $f)))');
    expect(detectFeatures(typed).map((f) => f.id)).toContain('function-references');
  });

  it('reads tags, tag imports and exports, i64 limits and tables with an initial value', () => {
    const imports = section(2, vec([[...str('env'), ...str('t'), 0x04, 0x00, 0x00], [...str('env'), ...str('m'), 0x02, 0x05, 0x01, 0x80, 0x80, 0x80, 0x80, 0x20]]));
    const table = section(4, vec([[0x40, 0x00, 0x64, 0x70, 0x04, 0x01, 0xd2, 0x00, 0x0b]]));
    const exports = section(7, vec([[...str('tag'), 0x04, 0x01]]));
    const bytes = Uint8Array.from([...HEADER, ...section(1, vec([[0x60, 0x01, 0x7f, 0x00]])), ...imports, ...section(3, vec([[0x00]])), ...table,
      ...section(13, vec([[0x00, 0x00]])), ...exports, ...section(10, vec([[0x02, 0x00, 0x0b]]))]);
    const m = decodeModule(bytes);
    expect(m.imports.map((i) => i.desc)).toEqual([
      { kind: 'tag', type: 0 },
      { kind: 'memory', type: { limits: { min: 1, max: 2 ** 33, index64: true } } },
    ]);
    expect(m.tags?.map((t) => t.type)).toEqual([0]);
    expect(m.tables[0]).toMatchObject({ type: { elem: '(ref func)', limits: { min: 1, index64: true } }, init: [{ op: 'ref.func', index: 0 }] });
    expect(m.exports).toMatchObject([{ name: 'tag', kind: 'tag', index: 1 }]);
    const text = printModule(m);
    expect(text).toContain('(import "env" "t" (tag (;0;) (type 0) (param i32)))');
    expect(text).toContain('(import "env" "m" (memory (;0;) i64 1 8589934592))');
    expect(text).toContain('(table (;0;) i64 1 (ref func) (ref.func 0))');
    expect(text).toContain('(tag (;1;) (type 0) (param i32))');
    expect(text).toContain('(export "tag" (tag 1))');
    expect(detectFeatures(m).map((f) => f.id)).toEqual(['reference-types', 'exceptions', 'memory64', 'function-references']);
    // Tags, memory64 and table64 validate now; under 2.0 the module is refused by name.
    expect(() => validateModule(m)).not.toThrow();
    expect(() => validateModule(m, { version: '2.0' })).toThrow(/does not execute .* yet/);
  });

  it('keeps 64-bit limits beyond 2^53 exact', () => {
    const mem = section(5, vec([[0x05, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]]));
    const m = decodeModule(Uint8Array.from([...HEADER, ...mem]));
    expect(m.mems[0]!.type.limits.max64).toBe(2n ** 64n - 1n);
    expect(printModule(m)).toContain('(memory (;0;) i64 0 18446744073709551615)');
  });

  it('reads elements of 3.0 reference types and extended constant expressions', () => {
    const elems = section(9, vec([[0x05, 0x6e, 0x01, 0xd0, 0x6e, 0x0b]]));
    const globals = section(6, vec([[0x7f, 0x00, 0x41, 0x01, 0x41, 0x02, 0x6a, 0x0b]]));
    const m = decodeModule(Uint8Array.from([...HEADER, ...globals, ...elems]));
    expect(m.elems[0]).toMatchObject({ type: 'anyref', mode: { kind: 'passive' }, init: [[{ op: 'ref.null', heapType: 'any' }]] });
    expect(printModule(m)).toContain('(elem (;0;) anyref (ref.null any))');
    expect(detectFeatures(m).map((f) => f.id)).toEqual(['reference-types', 'bulk-memory', 'extended-const', 'gc']);
    expect(() => validateModule(m)).toThrow(/garbage collection yet \(type anyref/);
    // 3.0 runs extended constants; the 2.0 rule refuses them, and its message says why.
    expect(validateModule(decodeModule(Uint8Array.from([...HEADER, ...globals]))).globals).toHaveLength(1);
    expect(() => validateModule(decodeModule(Uint8Array.from([...HEADER, ...globals])), { version: '2.0' })).toThrow(/constant expression required: i32\.add is not allowed in a constant expression \(WebAssembly 3\.0 allows it/);
  });

  it('keeps 2.0 mode as strict as before', () => {
    expect(() => decodeModule(Uint8Array.from([...HEADER, ...section(13, vec([]))]), { version: '2.0' })).toThrow('malformed section id');
    expect(() => decodeModule(Uint8Array.from([...HEADER, ...section(14, vec([]))]))).toThrow('malformed section id');
    expect(() => decodeModule(Uint8Array.from([...HEADER, ...section(5, vec([[0x08, 0x00]]))]))).toThrow('malformed limits flags');
    expect(() => decodeModule(Uint8Array.from([...HEADER, ...section(5, vec([[0x03, 0x00, 0x01]]))]))).toThrow('not supported: threads');
  });
});
