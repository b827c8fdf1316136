// The official WebAssembly 2.0 spec tests against the text layer: every script parses,
// every module that should parse does, every `assert_malformed` text module is rejected
// with the suite's message, and every parsed module agrees with the wabt oracle
// (wat2wasm) on types, imports, functions, exports, globals, data and function bodies.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import wabtInit from 'wabt';
import { type Instr, type Module, opByCode, type ValType, type ValType2 } from '../syntax/index.ts';
import { ParseError } from './error.ts';
import { parseQuoted, parseWast, type Command, type WastModule } from './wast.ts';
import { testsuiteRoot } from '../../tests/support/testsuite.ts';

const suiteRoot = testsuiteRoot;
const suiteDir = path.join(suiteRoot, 'wasm-2.0');
const present = existsSync(suiteDir);
const files = present ? readdirSync(suiteDir).filter((f) => f.endsWith('.wast')).sort() : [];
const suite = present ? describe : describe.skip;
const title = present
  ? `spec suite ${suiteDir}`
  : `spec suite (skipped: ${suiteDir} not found; set WASM_TESTSUITE to the wasm-testsuite folder)`;

/** Every module of a file with its source text, and how it parsed. */
interface Case {
  readonly file: string;
  readonly line: number;
  readonly command: Command['type'];
  readonly message: string | undefined;
  readonly source: string;
  readonly module: Module | undefined;
  readonly error: unknown;
}

const parsedFiles = new Map<string, { commands: number; cases: Case[] }>();

/** The commands of a file and its module cases, parsed once and shared by the tests below. */
function casesOf(file: string): { commands: number; cases: Case[] } {
  const cached = parsedFiles.get(file);
  if (cached) return cached;
  const text = readFileSync(path.join(suiteDir, file), 'utf8');
  const out: Case[] = [];
  // The 2.0 suite under 2.0's rules (3.0 reads some of its malformed text as invalid instead).
  const commands = parseWast(text, { version: '2.0' });
  for (const c of commands) {
    if (!('module' in c) || typeof c.module !== 'object') continue;
    const m: WastModule = c.module;
    if (m.kind === 'binary') continue;
    let module: Module | undefined;
    let error: unknown;
    let source: string;
    if (m.kind === 'quote') {
      source = m.text;
      try {
        module = parseQuoted(m, { version: '2.0' });
      } catch (e) {
        error = e;
      }
    } else {
      source = text.slice(m.span.start, m.span.end);
      if (m.kind === 'text') module = m.module;
      else error = m.error;
    }
    out.push({ file, line: c.line, command: c.type, message: 'message' in c ? c.message : undefined, source, module, error });
  }
  const result = { commands: commands.length, cases: out };
  parsedFiles.set(file, result);
  return result;
}

const allCases = (): Case[] => files.flatMap((f) => casesOf(f).cases);

// --- a minimal encoder for the oracle comparison (test only) ------------------------------

// The 2.0 suite only has 2.0 value types.
const VT_2: Record<ValType2, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b, funcref: 0x70, externref: 0x6f };
const VT = (t: ValType): number => VT_2[t as ValType2];

function u32(out: number[], v: number): void {
  do {
    let b = v & 0x7f;
    v = Math.floor(v / 128);
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
}

function s64(out: number[], v: bigint): void {
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && !(b & 0x40)) || (v === -1n && b & 0x40)) return void out.push(b);
    out.push(b | 0x80);
  }
}

/**
 * Encodes instructions as wat2wasm does. wat2wasm departs from the spec's reference
 * interpreter in three places the AST keeps faithfully: it writes `(type x)` block types
 * with at most one result as the short form, drops an empty `else`, and writes
 * `select (result)` without types as the untyped select.
 */
function encodeInstrs(out: number[], m: Module, body: readonly Instr[]): void {
  for (let k = 0; k < body.length; k++) {
    const ins = body[k]!;
    const info = opByCode(ins.code)!;
    if (ins.op === 'else' && body[k + 1]?.op === 'end') continue;
    if (ins.code === 0x1c && ins.types!.length === 0) {
      out.push(0x1b);
      continue;
    }
    if (ins.code < 0x100) out.push(ins.code);
    else {
      out.push(ins.code >>> 16);
      u32(out, ins.code & 0xffff);
    }
    switch (info.imm) {
      case 'block': {
        let bt = ins.blockType!;
        const ft = bt.kind === 'index' ? m.types[bt.index]?.type : undefined;
        if (ft && ft.params.length === 0 && ft.results.length <= 1) bt = ft.results.length === 0 ? { kind: 'empty' } : { kind: 'value', type: ft.results[0]! };
        if (bt.kind === 'empty') out.push(0x40);
        else if (bt.kind === 'value') out.push(VT(bt.type));
        else s64(out, BigInt(bt.index));
        break;
      }
      case 'label': case 'local': case 'global': case 'func': case 'elem': case 'data': case 'table':
        u32(out, ins.index!);
        break;
      case 'br_table':
        u32(out, ins.labels!.length - 1);
        for (const l of ins.labels!) u32(out, l);
        break;
      case 'call_indirect': case 'table_copy': case 'table_init':
        u32(out, ins.index!);
        u32(out, ins.index2!);
        break;
      case 'memarg':
        u32(out, ins.memarg!.align);
        u32(out, ins.memarg!.offset);
        break;
      case 'memarg_lane':
        u32(out, ins.memarg!.align);
        u32(out, ins.memarg!.offset);
        out.push(ins.index!);
        break;
      case 'lane':
        out.push(ins.index!);
        break;
      case 'memory': case 'memory_fill':
        out.push(0);
        break;
      case 'memory_copy':
        out.push(0, 0);
        break;
      case 'memory_init':
        u32(out, ins.index!);
        out.push(0);
        break;
      case 'i32':
        s64(out, BigInt(ins.value as number));
        break;
      case 'i64':
        s64(out, ins.value as bigint);
        break;
      case 'f32': {
        const v = ins.value as number;
        out.push(v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24);
        break;
      }
      case 'f64': {
        let v = ins.value as bigint;
        for (let i = 0; i < 8; i++, v >>= 8n) out.push(Number(v & 255n));
        break;
      }
      case 'v128': case 'shuffle':
        out.push(...ins.bytes!);
        break;
      case 'select_t':
        u32(out, ins.types!.length);
        for (const t of ins.types!) out.push(VT(t));
        break;
      case 'ref_null':
        out.push(VT(ins.refType!));
        break;
      case 'none':
        break;
    }
  }
}

function expr(out: number[], m: Module, e: readonly Instr[]): void {
  encodeInstrs(out, m, e);
  out.push(0x0b);
}

const KIND = { func: 0, table: 1, memory: 2, global: 3, tag: 4 } as const;
/** ExternKind as the JS API names it. */
const HOST_KIND = { func: 'function', table: 'table', memory: 'memory', global: 'global', tag: 'tag' } as const;

/** The facts compared with wat2wasm's binary. */
interface Summary {
  types: string[];
  imports: string[];
  funcs: number[];
  exports: string[];
  bodies: string[];
  tables: number;
  mems: number;
  globals: string;
  elems: number;
  datas: string;
  start: number | undefined;
}

function summarizeModule(m: Module): Summary {
  const bodies = m.funcs.map((f) => {
    const out: number[] = [];
    const runs: [number, ValType][] = [];
    for (const t of f.locals) {
      const last = runs[runs.length - 1];
      if (last && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    u32(out, runs.length);
    for (const [n, t] of runs) {
      u32(out, n);
      out.push(VT(t));
    }
    expr(out, m, f.body);
    return out.join(',');
  });
  const globals: number[] = [];
  if (m.globals.length) {
    u32(globals, m.globals.length);
    for (const g of m.globals) {
      globals.push(VT(g.type.type), g.type.mutable ? 1 : 0);
      expr(globals, m, g.init);
    }
  }
  const datas: number[] = [];
  if (m.datas.length) {
    u32(datas, m.datas.length);
    for (const d of m.datas) {
      if (d.mode.kind === 'passive') datas.push(1);
      else if (d.mode.memory === 0) {
        datas.push(0);
        expr(datas, m, d.mode.offset);
      } else {
        datas.push(2);
        u32(datas, d.mode.memory);
        expr(datas, m, d.mode.offset);
      }
      u32(datas, d.bytes.length);
      datas.push(...d.bytes);
    }
  }
  return {
    types: m.types.map((t) => `${t.type.params.join(' ')}>${t.type.results.join(' ')}`),
    imports: m.imports.map((i) => {
      const d = i.desc;
      const desc =
        d.kind === 'func' ? d.type
        : d.kind === 'global' ? `${d.type.type}${d.type.mutable ? 1 : 0}`
        : d.kind === 'tag' ? `tag${d.type}`
        : `${d.type.limits.min}-${d.type.limits.max}`;
      return `${i.module}/${i.name}/${KIND[d.kind]}/${desc}`;
    }),
    funcs: m.funcs.map((f) => f.type),
    exports: m.exports.map((e) => `${e.name}/${KIND[e.kind]}/${e.index}`),
    bodies,
    tables: m.tables.length,
    mems: m.mems.length,
    globals: globals.join(','),
    elems: m.elems.length,
    datas: datas.join(','),
    start: m.start,
  };
}

const VTN: Record<number, string> = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128', 0x70: 'funcref', 0x6f: 'externref' };
const names = new TextDecoder('utf-8', { ignoreBOM: true });

function summarizeBinary(bin: Uint8Array): Summary {
  let p = 8;
  const u8 = () => bin[p++]!;
  const leb = () => {
    let r = 0;
    let s = 0;
    let b: number;
    do {
      b = u8();
      r += (b & 0x7f) * 2 ** s;
      s += 7;
    } while (b & 0x80);
    return r;
  };
  const name = () => {
    const n = leb();
    const s = names.decode(bin.subarray(p, p + n));
    p += n;
    return s;
  };
  const limits = () => {
    const flags = u8();
    const min = leb();
    return `${min}-${flags & 1 ? leb() : undefined}`;
  };
  const s: Summary = { types: [], imports: [], funcs: [], exports: [], bodies: [], tables: 0, mems: 0, globals: '', elems: 0, datas: '', start: undefined };
  while (p < bin.length) {
    const id = u8();
    const size = leb();
    const end = p + size;
    if (id === 1) {
      for (let n = leb(); n > 0; n--) {
        u8();
        const params = Array.from({ length: leb() }, () => VTN[u8()]);
        const results = Array.from({ length: leb() }, () => VTN[u8()]);
        s.types.push(`${params.join(' ')}>${results.join(' ')}`);
      }
    } else if (id === 2) {
      for (let n = leb(); n > 0; n--) {
        const mod = name();
        const nm = name();
        const kind = u8();
        let desc: string | number;
        if (kind === 0) desc = leb();
        else if (kind === 1) {
          u8();
          desc = limits();
        } else if (kind === 2) desc = limits();
        else desc = `${VTN[u8()]}${u8()}`;
        s.imports.push(`${mod}/${nm}/${kind}/${desc}`);
      }
    } else if (id === 3) for (let n = leb(); n > 0; n--) s.funcs.push(leb());
    else if (id === 4) s.tables = leb();
    else if (id === 5) s.mems = leb();
    else if (id === 6) s.globals = [...bin.subarray(p, end)].join(',');
    else if (id === 7) {
      for (let n = leb(); n > 0; n--) {
        const nm = name();
        const kind = u8();
        s.exports.push(`${nm}/${kind}/${leb()}`);
      }
    } else if (id === 8) s.start = leb();
    else if (id === 9) s.elems = leb();
    else if (id === 10) {
      for (let n = leb(); n > 0; n--) {
        const len = leb();
        s.bodies.push([...bin.subarray(p, p + len)].join(','));
        p += len;
      }
    } else if (id === 11) s.datas = [...bin.subarray(p, end)].join(',');
    p = end;
  }
  return s;
}

// --------------------------------------------------------------------------------------

suite(title, () => {
  describe('every script parses', () => {
    for (const file of files) {
      it(file, () => {
        const { commands, cases } = casesOf(file);
        expect(commands).toBeGreaterThan(0);
        for (const c of cases) {
          const where = `${file}:${c.line}`;
          if (c.command === 'assert_malformed') {
            expect(c.error, where).toBeInstanceOf(ParseError);
            expect((c.error as ParseError).specMessage.startsWith(c.message!), `${where}: ${String(c.error)} vs ${c.message}`).toBe(true);
          } else {
            expect(c.error, where).toBeUndefined();
            expect(c.module, where).toBeDefined();
          }
        }
      });
    }
  });

  it('totals: all modules parse and all assert_malformed text modules are rejected', () => {
    const all = allCases();
    const commands = files.reduce((n, f) => n + casesOf(f).commands, 0);
    const malformed = all.filter((c) => c.command === 'assert_malformed');
    const rejected = malformed.filter((c) => c.error instanceof ParseError);
    const parsed = all.filter((c) => c.command !== 'assert_malformed' && c.module !== undefined);
    console.log(
      `wasm-2.0: ${files.length} scripts, ${commands} commands, ${parsed.length} text modules parsed, ` +
        `${rejected.length}/${malformed.length} assert_malformed text modules rejected`,
    );
    expect(files.length).toBe(147);
    expect(parsed.length).toBe(all.length - malformed.length);
    expect(parsed.length).toBeGreaterThan(3700);
    expect(malformed.length).toBeGreaterThan(1000);
    expect(rejected.length).toBe(malformed.length);
  });

  it('agrees with wat2wasm (wabt) on every module that parses', { timeout: 120_000 }, async () => {
    const wabt = await wabtInit();
    const features = { sat_float_to_int: true, sign_extension: true, simd: true, multi_value: true, bulk_memory: true, reference_types: true, mutable_globals: true };
    const encoder = new TextEncoder();
    let compared = 0;
    const diffs: string[] = [];
    for (const c of allCases()) {
      if (c.module === undefined) continue;
      const wm = wabt.parseWat('x.wat', encoder.encode(c.source), features);
      let bin: Uint8Array<ArrayBuffer>;
      try {
        wm.resolveNames();
        bin = new Uint8Array(wm.toBinary({}).buffer);
      } finally {
        wm.destroy();
      }
      compared++;
      const theirs = summarizeBinary(bin);
      const ours = summarizeModule(c.module);
      for (const key of Object.keys(theirs) as (keyof Summary)[]) {
        if (JSON.stringify(theirs[key]) !== JSON.stringify(ours[key])) diffs.push(`${c.file}:${c.line} ${key}`);
      }
      // The host's own view of the binary, where it is valid.
      if (WebAssembly.validate(bin)) {
        const host = new WebAssembly.Module(bin);
        expect(WebAssembly.Module.imports(host).map((i) => `${i.module}/${i.name}/${i.kind}`)).toEqual(
          c.module.imports.map((i) => `${i.module}/${i.name}/${HOST_KIND[i.desc.kind]}`),
        );
        expect(WebAssembly.Module.exports(host).map((e) => `${e.name}/${e.kind}`)).toEqual(c.module.exports.map((e) => `${e.name}/${HOST_KIND[e.kind]}`));
      }
    }
    console.log(`wabt oracle: ${compared} modules compared`);
    expect(compared).toBeGreaterThan(3700);
    expect(diffs).toEqual([]);
  });
});
