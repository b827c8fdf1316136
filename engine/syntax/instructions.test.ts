// The one table of instruction facts (engine/syntax/instructions.ts) and what is derived
// from it: every opcode has exactly one entry; the 2.0 and 3.0 views equal the tables as
// they were frozen in instructions.snapshot.json; the fixed signatures agree with V8's
// validator on every instruction and with ours on every plain instruction the 2.0 spec
// suite's valid modules use; and the validator's and the interpreter's encodings of the
// signatures say what the table says.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeModule, encodeU32 } from '../binary/index.ts';
import { stackTypes as execSig } from '../exec/index.ts';
import { parseWast, type WastModule } from '../text/index.ts';
import { narrationKind } from '../trace/index.ts';
import { validationSig as validSig, typeName, validateModule, ValidationError } from '../valid/index.ts';
import { suiteFiles, suiteTitle } from '../../tests/support/testsuite.ts';
import type { Module, ValType } from './ast.ts';
import { INSTRUCTIONS, type OpInfo3, type StackSig } from './instructions.ts';
import { OPS, opByCode } from './opcodes.ts';
import { OPS_3, opByCodeAny } from './opcodes3.ts';

const frozen = JSON.parse(readFileSync(new URL('./instructions.snapshot.json', import.meta.url), 'utf8')) as {
  readonly ops: readonly [string, string, string, number | null][];
  readonly ops3: readonly [string, string, string, string, boolean | null][];
};

const hex = (code: number): string => `0x${code.toString(16).padStart(2, '0')}`;

describe('the instruction table', () => {
  it('has one entry per opcode, in opcode order', () => {
    const codes = INSTRUCTIONS.map((i) => i.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toEqual([...codes].sort((a, b) => a - b));
    for (const info of INSTRUCTIONS) expect(opByCodeAny(info.code), info.op).toBe(info);
    expect(INSTRUCTIONS.length).toBe(OPS.length + OPS_3.length);
  });

  it('names each instruction once, but for the two selects and the nullable forms of ref.test and ref.cast', () => {
    const byName = new Map<string, OpInfo3[]>();
    for (const info of INSTRUCTIONS) byName.set(info.op, [...(byName.get(info.op) ?? []), info]);
    const shared = [...byName].filter(([, infos]) => infos.length > 1);
    expect(shared.map(([name]) => name).sort()).toEqual(['ref.cast', 'ref.test', 'select']);
    // select is told apart by its immediate (0x1b untyped, 0x1c with types), the others by nullability.
    expect(byName.get('select')!.map((i) => i.imm)).toEqual(['none', 'select_t']);
    for (const name of ['ref.test', 'ref.cast']) expect(byName.get(name)!.map((i) => i.nullable)).toEqual([false, true]);
    const keys = INSTRUCTIONS.map((i) => `${i.op} ${i.imm} ${i.nullable}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('lists the 2.0 instructions with the frozen opcodes, names, immediates and alignments', () => {
    const now = OPS.map((o) => [hex(o.code), o.op, o.imm, o.align ?? null]);
    expect(now).toEqual(frozen.ops);
  });

  it('lists the 3.0 and legacy-exception instructions with the frozen opcodes, names, immediates and proposals', () => {
    const now = OPS_3.map((o) => [hex(o.code), o.op, o.imm, o.proposal, o.nullable ?? null]);
    expect(now).toEqual(frozen.ops3);
  });

  it('gives every 2.0 instruction, and of 3.0 only the ones the engine runs, a narration kind', () => {
    const eh = (info: { proposal?: string }) => info.proposal === 'exceptions' || info.proposal === 'legacy-exceptions';
    const runs3 = (info: { op: string; proposal?: string }) =>
      info.proposal === 'relaxed-simd' || info.op === 'return_call' || info.op === 'return_call_indirect' || info.op === 'return_call_ref' || info.proposal === 'function-references' || eh(info);
    for (const info of INSTRUCTIONS) {
      expect(info.narration !== undefined, info.op).toBe(info.proposal === undefined || runs3(info));
      if (info.proposal === undefined) expect(narrationKind(info.op), info.op).toBe(opByCode(info.code === 0x1c ? 0x1b : info.code)!.narration);
      else if (info.proposal === 'relaxed-simd') expect(narrationKind(info.op), info.op).toBe('numeric');
      else if (runs3(info)) expect(narrationKind(info.op), info.op).toBe(info.op);
    }
    const kind = (op: string) => INSTRUCTIONS.find((i) => i.op === op)!.narration;
    expect([kind('i64.const'), kind('v128.const'), kind('f32.load'), kind('v128.store8_lane')]).toEqual(['const', 'const', 'load', 'store']);
    expect([kind('f64.lt'), kind('i32.eqz'), kind('i8x16.eq'), kind('i32.add'), kind('i8x16.shuffle')]).toEqual(['compare', 'test', 'numeric', 'numeric', 'numeric']);
    expect([kind('br_table'), kind('local.tee'), kind('memory.grow'), kind('ref.func')]).toEqual(['br_table', 'local.tee', 'memory.grow', 'ref.func']);
  });

  it('has a natural alignment exactly on the memory accesses', () => {
    for (const info of INSTRUCTIONS) {
      expect(info.align !== undefined, info.op).toBe(info.imm === 'memarg' || info.imm === 'memarg_lane');
    }
  });

  it('leaves the signature of contextual instructions undefined', () => {
    const untyped = OPS.filter((i) => i.sig === undefined).map((i) => i.op);
    expect(untyped).toEqual([
      'unreachable', 'nop', 'block', 'loop', 'if', 'else', 'end', 'br', 'br_if', 'br_table', 'return', 'call',
      'call_indirect', 'drop', 'select', 'select', 'local.get', 'local.set', 'local.tee', 'global.get', 'global.set',
      'table.get', 'table.set', 'ref.null', 'ref.is_null', 'table.grow', 'table.fill',
    ]);
    // Of 3.0, the opcode alone fixes only the relaxed vector instructions' types.
    for (const info of OPS_3) expect(info.sig !== undefined, info.op).toBe(info.proposal === 'relaxed-simd');
  });
});

// ------------------------------------------------------------------ consumers

/** Instructions with a fixed signature that engine/valid/code.ts types one by one. */
const TYPED_BY_VALIDATOR_CODE = ['i8x16.shuffle', 'memory.init', 'data.drop', 'table.init', 'elem.drop', 'table.copy', 'table.size', 'ref.func'];
/** Instructions with a fixed signature that engine/exec/compile.ts compiles by hand. */
const COMPILED_BY_HAND = ['memory.size', 'memory.grow', 'memory.init', 'data.drop', 'memory.copy', 'memory.fill', 'table.init', 'elem.drop', 'table.copy', 'table.size', 'ref.func'];

/** Every opcode of the table, and some that are not in it. */
const CODES = [...INSTRUCTIONS.map((i) => i.code), 0x27, 0xff, 0xfc0012, 0xfd009a, 0xfd0114, 0xfb001f, -1];

/**
 * Checks one consumer's view of the signatures: defined exactly for the 2.0 (and relaxed
 * SIMD) instructions with a fixed signature, but the excluded ones, and saying what the table says
 * (`agrees`). Returns how many opcodes it types.
 */
function checkView<S>(view: (code: number) => S | undefined, excluded: readonly string[], agrees: (s: S, info: OpInfo3) => void): number {
  let typed = 0;
  for (const code of CODES) {
    const info = opByCodeAny(code);
    const s = view(code);
    const expected = info?.sig !== undefined && (info.proposal === undefined || info.proposal === 'relaxed-simd') && !excluded.includes(info.op);
    expect(s !== undefined, info?.op ?? hex(code)).toBe(expected);
    if (s === undefined || info === undefined) continue;
    typed++;
    agrees(s, info);
  }
  return typed;
}

describe('derived signatures', () => {
  it('the validator encodes the table’s signature of each plain 2.0 instruction', () => {
    const typed = checkView(validSig, TYPED_BY_VALIDATOR_CODE, (s, info) => {
      expect([...s.params].map(typeName), info.op).toEqual(info.sig!.params);
      expect([...s.results].map(typeName), info.op).toEqual(info.sig!.results);
      expect(s.memory, info.op).toBe(/^(memarg|memarg_lane|memory|memory_copy|memory_fill)$/.test(info.imm));
      expect(s.align, info.op).toBe(info.align ?? -1);
      expect(s.lanes > 0, info.op).toBe(info.imm === 'lane' || info.imm === 'memarg_lane');
    });
    expect(typed).toBe(402 + 20);
  });

  it('the interpreter reads the table’s signature of each 2.0 instruction it does not compile by hand', () => {
    const typed = checkView(execSig, COMPILED_BY_HAND, (s, info) => expect(s, info.op).toBe(info.sig));
    expect(typed).toBe(399 + 20);
  });
});

// ------------------------------------------------------------------ against the validators

// A module with one function [params] → [results] whose body pushes its parameters and
// applies the instruction, assembled by hand so that neither our text parser nor our
// encoder is involved; with one table, one memory, a passive element segment holding the
// function and a passive data segment, so every index immediate can be 0.
const VALTYPE: Readonly<Record<string, number>> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b, funcref: 0x70, externref: 0x6f };

const leb = (n: number): number[] => [...encodeU32(n)];

const vec = (items: readonly number[][]): number[] => [...leb(items.length), ...items.flat()];
const section = (id: number, content: number[]): number[] => [id, ...leb(content.length), ...content];
const types = (ts: readonly ValType[]): number[] => vec(ts.map((t) => [VALTYPE[t]!]));

/** The instruction's opcode and immediates, each index 0, alignments natural, constants 0. */
function instructionBytes(info: OpInfo3): number[] {
  const op = info.code < 0x100 ? [info.code] : [info.code >>> 16, ...leb(info.code & 0xffff)];
  const memarg = [info.align ?? 0, 0];
  const imm: Record<string, number[]> = {
    none: [], memarg, memarg_lane: [...memarg, 0], lane: [0], memory: [0], memory_fill: [0], memory_copy: [0, 0],
    memory_init: [0, 0], data: [0], elem: [0], table: [0], table_copy: [0, 0], table_init: [0, 0], func: [0],
    i32: [0], i64: [0], f32: new Array(4).fill(0), f64: new Array(8).fill(0), v128: new Array(16).fill(0), shuffle: new Array(16).fill(0),
  };
  const bytes = imm[info.imm];
  if (bytes === undefined) throw new Error(`no immediate for ${info.op}`);
  return [...op, ...bytes];
}

function moduleBytes(params: readonly ValType[], results: readonly ValType[], pushed: readonly number[], info: OpInfo3): Uint8Array<ArrayBuffer> {
  const body = [0, ...pushed.flatMap((i) => [0x20, ...leb(i)]), ...instructionBytes(info), 0x0b];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...types(params), ...types(results)]])),
    ...section(3, vec([[0]])),
    ...section(4, vec([[0x70, 0x00, 1]])),
    ...section(5, vec([[0x00, 1]])),
    ...section(9, vec([[0x01, 0x00, ...vec([[0]])]])),
    ...section(12, [1]),
    ...section(10, vec([[...leb(body.length), ...body]])),
    ...section(11, vec([[0x01, 0]])),
  ]);
}

const other = (t: ValType): ValType => (t === 'i32' ? 'i64' : 'i32');

/** The module that applies the instruction as its signature says, and those that must not validate. */
function variants(info: OpInfo3, sig: StackSig): { valid: Uint8Array<ArrayBuffer>; invalid: [string, Uint8Array<ArrayBuffer>][] } {
  const { params, results } = sig;
  const all = params.map((_, i) => i);
  const invalid: [string, Uint8Array<ArrayBuffer>][] = [];
  if (params.length > 0) {
    invalid.push(['one operand dropped', moduleBytes(params, results, all.slice(1), info)]);
    invalid.push(['first operand of another type', moduleBytes([other(params[0]!), ...params.slice(1)], results, all, info)]);
  }
  const changed = results.length === 0 ? ['i32' as ValType] : [other(results[0]!), ...results.slice(1)];
  invalid.push(['result of another type', moduleBytes(params, changed, all, info)]);
  return { valid: moduleBytes(params, results, all, info), invalid };
}

const TYPED = INSTRUCTIONS.filter((i) => i.sig !== undefined);

// V8 is the independent witness: our validators read their signatures from this table, so
// only another engine can say that the table itself is right.
describe('fixed signatures against V8', () => {
  it('V8 validates each instruction applied to its signature’s operands, and rejects wrong operands or results', () => {
    const wrong: string[] = [];
    for (const info of TYPED) {
      const { valid, invalid } = variants(info, info.sig!);
      if (!WebAssembly.validate(valid)) wrong.push(`${info.op}: rejected`);
      for (const [what, bytes] of invalid) if (WebAssembly.validate(bytes)) wrong.push(`${info.op}: ${what} accepted`);
    }
    expect(wrong).toEqual([]);
    expect(TYPED.length).toBe(OPS.filter((i) => i.sig !== undefined).length + 20); // + 20 relaxed SIMD
  });
});

/** The opcodes used in the functions of the 2.0 suite's valid modules. */
function suiteInstructions(files: readonly string[]): Set<number> {
  const used = new Set<number>();
  const load = (m: WastModule): Module | undefined => {
    if (m.kind === 'text') return m.module;
    if (m.kind === 'binary') return decodeModule(m.bytes, { version: '2.0' });
    return undefined;
  };
  for (const file of files) {
    let commands;
    try {
      commands = parseWast(readFileSync(file, 'utf8'));
    } catch {
      continue; // inline-module.wast is a module, not a script
    }
    for (const c of commands) {
      if (c.type !== 'module') continue;
      try {
        const module = load(c.module);
        if (module === undefined) continue;
        validateModule(module);
        for (const f of module.funcs) for (const ins of f.body) used.add(ins.code);
      } catch {
        // a module that does not decode or validate is not one whose instructions count
      }
    }
  }
  return used;
}

const files = suiteFiles('2.0');
const suite = files === undefined ? describe.skip : describe;

suite(suiteTitle('fixed signatures against the validator, for the instructions of the 2.0 spec suite', '2.0'), () => {
  it('validateModule accepts each plain instruction applied to its signature’s operands, and rejects wrong operands or results', () => {
    const used = suiteInstructions(files!);
    const checked = OPS.filter((i) => i.sig !== undefined && used.has(i.code));
    const wrong: string[] = [];
    for (const info of checked) {
      const { valid, invalid } = variants(info, info.sig!);
      try {
        validateModule(decodeModule(valid));
      } catch (e) {
        wrong.push(`${info.op}: ${(e as Error).message}`);
      }
      for (const [what, bytes] of invalid) {
        try {
          validateModule(decodeModule(bytes));
          wrong.push(`${info.op}: ${what} accepted`);
        } catch (e) {
          if (!(e instanceof ValidationError)) wrong.push(`${info.op}: ${what}: ${(e as Error).message}`);
        }
      }
    }
    console.log(`fixed signatures: ${checked.length} plain instructions of the 2.0 suite checked against validateModule`);
    expect(wrong).toEqual([]);
    expect(checked.length).toBeGreaterThan(350);
  });
});
