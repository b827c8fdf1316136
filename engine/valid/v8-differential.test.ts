// Differential check against V8: on the spec suite's modules (valid and invalid), on
// deliberately broken variants of them, and on real compiler output, `decodeModule` +
// `validateModule` must accept exactly what `WebAssembly.validate` accepts.
//
// V8 implements proposals beyond 2.0. The ones behind flags (multi-memory, memory64,
// exception handling, strings) are switched off in a child Node process that runs
// WebAssembly.validate; the shipped ones (GC, typed function references, tail calls,
// extended constant expressions, threads, relaxed SIMD) remain, so a module that only V8
// accepts is fine when our error names such a feature — any other disagreement fails.
//
// Mutations, from a seeded generator so runs are reproducible:
// - in the AST (decode, change, re-encode): drop, duplicate or replace an instruction,
//   nudge an index immediate, change a block type — well-formed, often ill-typed;
// - in the bytes: overwrite a byte (mostly in the code section) or swap two.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DecodeError, decodeModule, encodeModule } from '../binary/index.ts';
import { type BlockType, type Instr, OPS, type ValType } from '../syntax/index.ts';
import { parseQuoted, parseWast } from '../text/index.ts';
import { ValidationError } from './error.ts';
import { validateModule } from './validate.ts';
import { testsuiteRoot } from '../../tests/support/testsuite.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const suiteRoot = testsuiteRoot;
const suiteDir = path.join(suiteRoot, 'wasm-2.0');
const present = existsSync(suiteDir);
const MUTATIONS = Number(process.env.WASM_DIFF_MUTATIONS ?? 4000);

const V8_FLAGS = [
  '--no-experimental-wasm-multi-memory',
  '--no-experimental-wasm-memory64',
  '--no-experimental-wasm-exnref',
  '--no-experimental-wasm-legacy-eh',
  '--no-experimental-wasm-imported-strings',
];

const CHILD = `
const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const buf = Buffer.concat(chunks);
let p = 0, out = '';
while (p < buf.length) {
  const n = buf.readUInt32LE(p); p += 4;
  out += WebAssembly.validate(buf.subarray(p, p + n)) ? '1' : '0';
  p += n;
}
process.stdout.write(out);`;

/** WebAssembly.validate on each module, in one child process with the flags above. */
function v8Validate(modules: readonly Uint8Array[]): boolean[] {
  const parts: Uint8Array[] = [];
  for (const m of modules) {
    const len = Buffer.alloc(4);
    len.writeUInt32LE(m.length);
    parts.push(len, m);
  }
  const r = spawnSync(process.execPath, [...V8_FLAGS, '--input-type=module', '-e', CHILD], {
    input: Buffer.concat(parts),
    maxBuffer: 1 << 26,
    encoding: 'utf8',
  });
  if (r.status !== 0 || r.stdout.length !== modules.length) throw new Error(`V8 child failed: ${r.stderr}`);
  return [...r.stdout].map((c) => c === '1');
}

/** undefined when our decoder and validator accept; otherwise the error. */
function ours(bytes: Uint8Array): Error | undefined {
  try {
    // V8 runs without multi-memory and memory64 (V8_FLAGS): compare with 2.0's rules.
    validateModule(decodeModule(bytes, { version: '2.0' }), { version: '2.0' });
    return undefined;
  } catch (e) {
    if (e instanceof ValidationError || e instanceof DecodeError) return e;
    throw e;
  }
}

/** The post-2.0 feature (or V8 quirk) that makes V8 accept what we reject, if our error shows one. */
function laterFeature(e: Error, bytes: Uint8Array): string | undefined {
  const msg = e instanceof ValidationError || e instanceof DecodeError ? e.specMessage : e.message;
  if (msg === 'malformed section id' && e instanceof DecodeError && bytes[e.offset] === 13) return 'exception handling (tag section)';
  if (msg.startsWith('not supported: ')) return msg.slice('not supported: '.length);
  if (msg.startsWith('malformed reference type')) return 'typed function references (heap types)';
  if (/^unknown global \d+: constant expressions may only read imported globals/.test(msg)) return 'GC (global.get of defined globals)';
  if (/^constant expression required: i(32|64)\.(add|sub|mul) /.test(msg)) return 'extended constant expressions';
  // V8 reads a block type as one s33 and takes a negative one as a value type, so it
  // accepts padded encodings such as 0xc0 0x7f for the empty type (0x40); the spec's
  // blocktype is 0x40, a value type byte, or a non-negative s33 type index.
  if (/^unknown type -\d+$/.test(msg)) return 'V8 leniency: padded block type encoding';
  return undefined;
}

function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VALTYPES: ValType[] = ['i32', 'i64', 'f32', 'f64', 'v128', 'funcref', 'externref'];
const PLAIN = OPS.filter((o) => o.imm === 'none' && o.op !== 'else' && o.op !== 'end');
const BYTES = [
  0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x0b, 0x0c, 0x0d, 0x0f, 0x10, 0x11, 0x1a, 0x1b, 0x20, 0x21, 0x22, 0x23, 0x24,
  0x28, 0x36, 0x3f, 0x40, 0x41, 0x42, 0x43, 0x45, 0x50, 0x6a, 0x7c, 0x92, 0xa0, 0xa7, 0xd0, 0xd1, 0xd2,
  0x6f, 0x70, 0x7b, 0x7d, 0x7e, 0x7f,
];

function mutateAst(bytes: Uint8Array, rnd: () => number): Uint8Array | undefined {
  const pick = <T,>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const m = decodeModule(bytes);
  const funcs = m.funcs.filter((f) => f.body.length > 0);
  if (funcs.length === 0) return undefined;
  const body = pick(funcs).body as Instr[];
  const i = Math.floor(rnd() * body.length);
  const ins = body[i]!;
  const structural = ins.op === 'end' || ins.op === 'else' || ins.blockType !== undefined;
  switch (Math.floor(rnd() * 6)) {
    case 0:
      if (structural) return undefined;
      body.splice(i, 1);
      break;
    case 1: {
      const o = pick(PLAIN);
      body.splice(i, 0, { op: o.op, code: o.code, span: {} });
      break;
    }
    case 2:
      if (ins.index === undefined) return undefined;
      ins.index = Math.max(0, ins.index + (rnd() < 0.5 ? -1 : 1));
      break;
    case 3:
      if (structural) return undefined;
      body.splice(i, 0, { ...ins });
      break;
    case 4: {
      if (ins.blockType === undefined) return undefined;
      const choices: BlockType[] = [
        { kind: 'empty' },
        { kind: 'value', type: pick(VALTYPES) },
        { kind: 'index', index: Math.floor(rnd() * (m.types.length + 1)) },
      ];
      ins.blockType = pick(choices);
      break;
    }
    default: {
      if (structural) return undefined;
      const o = pick(PLAIN);
      body[i] = { op: o.op, code: o.code, span: {} };
    }
  }
  try {
    return encodeModule(m);
  } catch {
    return undefined;
  }
}

/** The code section's content, where most byte mutations go. */
function codeSection(b: Uint8Array): [number, number] {
  let p = 8;
  const leb = () => {
    let r = 0;
    let s = 0;
    let x;
    do {
      x = b[p++]!;
      r += (x & 0x7f) * 2 ** s;
      s += 7;
    } while (x & 0x80);
    return r;
  };
  while (p < b.length) {
    const id = b[p++];
    const size = leb();
    if (id === 10) return [p, p + size];
    p += size;
  }
  return [8, b.length];
}

function mutateBytes(bytes: Uint8Array, rnd: () => number): Uint8Array | undefined {
  const b = bytes.slice();
  const [lo, hi] = rnd() < 0.85 ? codeSection(b) : [8, b.length];
  if (hi - lo < 2) return undefined;
  const at = lo + Math.floor(rnd() * (hi - lo - 1));
  const how = Math.floor(rnd() * 3);
  if (how === 0) b[at] = Math.floor(rnd() * 256);
  else if (how === 1) b[at] = BYTES[Math.floor(rnd() * BYTES.length)]!;
  else [b[at], b[at + 1]] = [b[at + 1]!, b[at]!];
  return b;
}

interface Tally {
  agreeValid: number;
  agreeInvalidDecode: number;
  agreeInvalidValidation: number;
  later: Map<string, number>;
  disagreements: string[];
}

function compare(modules: readonly Uint8Array[]): Tally {
  const verdicts = v8Validate(modules);
  const t: Tally = { agreeValid: 0, agreeInvalidDecode: 0, agreeInvalidValidation: 0, later: new Map(), disagreements: [] };
  modules.forEach((bytes, i) => {
    const err = ours(bytes);
    const v8 = verdicts[i]!;
    if ((err === undefined) === v8) {
      if (v8) t.agreeValid++;
      else if (err instanceof ValidationError) t.agreeInvalidValidation++;
      else t.agreeInvalidDecode++;
      return;
    }
    const feature = err && v8 ? laterFeature(err, bytes) : undefined;
    if (feature !== undefined) t.later.set(feature, (t.later.get(feature) ?? 0) + 1);
    else {
      t.disagreements.push(
        `${err ? `ours: ${err.message}` : 'ours: valid'}, V8: ${v8 ? 'valid' : 'invalid'}; ${Buffer.from(bytes).toString('hex').slice(0, 240)}`,
      );
    }
  });
  return t;
}

function report(name: string, t: Tally): void {
  const later = [...t.later].map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  console.log(
    `${name}: agree ${t.agreeValid + t.agreeInvalidDecode + t.agreeInvalidValidation} ` +
      `(valid ${t.agreeValid}, invalid by validation ${t.agreeInvalidValidation}, malformed ${t.agreeInvalidDecode}); ` +
      `V8-only through later proposals: ${later}; unexplained: ${t.disagreements.length}`,
  );
}

/** The suite's modules as binaries: valid ones first, then the assert_invalid ones. */
function suiteBinaries(): { valid: Uint8Array[]; invalid: Uint8Array[] } {
  const valid: Uint8Array[] = [];
  const invalid: Uint8Array[] = [];
  for (const file of readdirSync(suiteDir).filter((f) => f.endsWith('.wast')).sort()) {
    let commands;
    try {
      commands = parseWast(readFileSync(path.join(suiteDir, file), 'utf8'), { version: '2.0' });
    } catch {
      continue;
    }
    for (const c of commands) {
      if (c.type !== 'module' && c.type !== 'assert_invalid' && c.type !== 'assert_unlinkable' && c.type !== 'assert_uninstantiable') continue;
      const m = c.module;
      let bytes: Uint8Array;
      if (m.kind === 'binary') bytes = m.bytes;
      else if (m.kind === 'text') bytes = encodeModule(m.module);
      else if (m.kind === 'quote') bytes = encodeModule(parseQuoted(m, { version: '2.0' }));
      else continue;
      (c.type === 'assert_invalid' ? invalid : valid).push(bytes);
    }
  }
  return { valid, invalid };
}

(present ? describe : describe.skip)(
  present ? 'validator vs V8 (WebAssembly.validate)' : `validator vs V8 (skipped: ${suiteDir} not found; set WASM_TESTSUITE)`,
  () => {
    const { valid, invalid } = present ? suiteBinaries() : { valid: [], invalid: [] };

    it('agrees on the spec suite modules', () => {
      const t = compare([...valid, ...invalid]);
      report('suite modules', t);
      expect(t.disagreements).toEqual([]);
      expect(t.agreeValid).toBeGreaterThan(1500);
      expect(t.agreeInvalidValidation).toBeGreaterThan(2000);
    });

    it('agrees on AST mutations of valid modules', () => {
      const rnd = rng(20240601);
      const withCode = valid.filter((b) => decodeModule(b).funcs.some((f) => f.body.length > 0));
      const mutants: Uint8Array[] = [];
      for (let tries = 0; mutants.length < MUTATIONS && tries < MUTATIONS * 4; tries++) {
        const b = mutateAst(withCode[Math.floor(rnd() * withCode.length)]!, rnd);
        if (b) mutants.push(b);
      }
      const t = compare(mutants);
      report(`${mutants.length} AST mutations`, t);
      expect(t.disagreements).toEqual([]);
      expect(t.agreeInvalidValidation).toBeGreaterThan(mutants.length / 2);
    });

    it('agrees on byte mutations of valid modules', () => {
      const rnd = rng(7);
      const mutants: Uint8Array[] = [];
      for (let tries = 0; mutants.length < MUTATIONS && tries < MUTATIONS * 4; tries++) {
        const b = mutateBytes(valid[Math.floor(rnd() * valid.length)]!, rnd);
        if (b) mutants.push(b);
      }
      const t = compare(mutants);
      report(`${mutants.length} byte mutations`, t);
      expect(t.disagreements).toEqual([]);
      expect(t.agreeInvalidValidation).toBeGreaterThan(mutants.length / 20);
    });
  },
);

describe('validator vs V8 on real compiler output', () => {
  const files = ['node_modules/sql.js/dist/sql-wasm.wasm', 'node_modules/@resvg/resvg-wasm/index_bg.wasm']
    .map((f) => path.join(repoRoot, f))
    .filter((f) => existsSync(f));

  it.skipIf(files.length === 0)('agrees on the binaries and on byte mutations of them', () => {
    const originals = files.map((f) => new Uint8Array(readFileSync(f)));
    const rnd = rng(99);
    const mutants: Uint8Array[] = [];
    for (let i = 0; i < 8; i++) {
      const b = mutateBytes(originals[i % originals.length]!, rnd);
      if (b) mutants.push(b);
    }
    const t = compare([...originals, ...mutants]);
    report(`real binaries + ${mutants.length} mutations`, t);
    expect(t.disagreements).toEqual([]);
    expect(t.agreeValid).toBeGreaterThanOrEqual(originals.length);
  }, 60_000);
});
