// Time travel on the official spec test suite (wasm-2.0, read-only): every invocation of
// every .wast script runs through a Session, in script order (so instances carry their
// state from command to command, as the scripts require), and must give the expected
// results or trap. The first invocation of each function and a seeded sample of the
// others also get the property checks: the
// snapshot of a step is the same JSON whichever way it is reached (stepping, going back,
// jumping), and back(k) then k steps forward retraces the snapshots first seen.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeModule } from '../binary/index.ts';
import {
  type ExternValue, HostFunction, type Instance, instantiate, type TypedValue, WasmFunction,
} from '../exec/index.ts';
import { spectest } from '../script/index.ts';
import type { Module } from '../syntax/index.ts';
import { parseQuoted, parseWast, type WastExpected, type WastModule, type WastValue } from '../text/index.ts';
import { Session } from './session.ts';
import { rng } from './test-support/programs.ts';
import { testsuiteRoot } from '../../tests/support/testsuite.ts';

const suiteRoot = testsuiteRoot;
const suiteDir = path.join(suiteRoot, 'wasm-2.0');
const present = existsSync(suiteDir);
const files = present ? readdirSync(suiteDir).filter((f) => f.endsWith('.wast')).sort() : [];
const suite = present ? describe : describe.skip;

/** Invocations checked per property sample; one in SAMPLE invocations is sampled. */
const SAMPLE = Number(process.env.SAMPLE ?? 6);
const MAX_SAMPLED_STEPS = 3000;

function argument(v: WastValue): TypedValue {
  switch (v.type) {
    case 'i32': return { type: 'i32', value: v.value | 0 };
    case 'i64': return { type: 'i64', value: BigInt.asIntN(64, v.value) };
    case 'f32': return { type: 'f32', value: 0, bits: v.value >>> 0 };
    case 'f64': return { type: 'f64', value: 0, bits: BigInt.asUintN(64, v.value) };
    case 'v128': return { type: 'v128', value: v.value };
    case 'ref.null': return { type: v.refType ?? 'externref', value: null };
    case 'ref.extern': return { type: 'externref', value: v.value ?? 0 };
    case 'ref.func': throw new Error('ref.func arguments are not used by the suite');
  }
}

function isNanF32(bits: number, canonical: boolean): boolean {
  return canonical ? (bits & 0x7fff_ffff) >>> 0 === 0x7fc0_0000 : (bits & 0x7fc0_0000) >>> 0 === 0x7fc0_0000;
}
function isNanF64(bits: bigint, canonical: boolean): boolean {
  return canonical ? (bits & 0x7fff_ffff_ffff_ffffn) === 0x7ff8_0000_0000_0000n : (bits & 0x7ff8_0000_0000_0000n) === 0x7ff8_0000_0000_0000n;
}

/** Whether a result matches the script's expectation (bit-exact, with NaN patterns). */
function matches(a: TypedValue, e: WastExpected): boolean {
  if (e.type === 'either') return e.options.some((o) => matches(a, o));
  if ('nan' in e) {
    if (a.type === 'f32' && e.type === 'f32') return isNanF32(a.bits, e.nan === 'nan:canonical');
    if (a.type === 'f64' && e.type === 'f64') return isNanF64(a.bits, e.nan === 'nan:canonical');
    return false;
  }
  switch (e.type) {
    case 'i32': return a.type === 'i32' && a.value === (e.value | 0);
    case 'i64': return a.type === 'i64' && a.value === BigInt.asIntN(64, e.value);
    case 'f32': return a.type === 'f32' && a.bits === e.value >>> 0;
    case 'f64': return a.type === 'f64' && a.bits === BigInt.asUintN(64, e.value);
    case 'ref.null': return a.type === e.refType && a.value === null;
    case 'ref.extern': return a.type === 'externref' && a.value !== null && (e.value === undefined || a.value === e.value);
    case 'ref.func': return a.type === 'funcref' && a.value !== null;
    case 'v128': {
      if (a.type !== 'v128') return false;
      const dv = new DataView(a.value.buffer, a.value.byteOffset, 16);
      const w = 16 / e.lanes.length;
      return e.lanes.every((lane, i) => {
        const at = i * w;
        if (lane === 'nan:canonical' || lane === 'nan:arithmetic') {
          return w === 4 ? isNanF32(dv.getUint32(at, true), lane === 'nan:canonical') : isNanF64(dv.getBigUint64(at, true), lane === 'nan:canonical');
        }
        const v = w === 1 ? dv.getUint8(at) : w === 2 ? dv.getUint16(at, true) : w === 4 ? dv.getUint32(at, true) : dv.getBigUint64(at, true);
        return typeof lane === 'bigint' ? v === BigInt.asUintN(64, lane) : v === lane;
      });
    }
  }
}

function load(m: WastModule): Module | undefined {
  try {
    if (m.kind === 'text') return m.module;
    if (m.kind === 'binary') return decodeModule(m.bytes);
    if (m.kind === 'quote') return parseQuoted(m);
  } catch {
    return undefined;
  }
  return undefined;
}

const totals = { invocations: 0, checked: 0, sampled: 0, compared: 0 };

/** Runs one invocation through a session, sometimes with the time-travel checks; returns results or the trap. */
function invoke(inst: Instance, name: string, args: readonly TypedValue[], rand: () => number, sample: boolean): { results?: TypedValue[]; trap?: string } {
  // Sampled runs checkpoint densely, to exercise restores, and show byte spans (encoding
  // each of the suite's ~3000 modules for them would double the time of the others).
  const s = new Session(inst, name, [], { typedArgs: args, checkpointInterval: sample ? 1 + Math.floor(rand() * 50) : undefined, byteSpans: sample });
  totals.invocations++;
  if (sample) {
    // First pass: step and remember each snapshot; stop sampling long runs.
    const seen: string[] = [JSON.stringify(s.snapshot())];
    while (s.status === 'paused' && s.stepIndex < MAX_SAMPLED_STEPS) {
      s.stepInto();
      seen.push(JSON.stringify(s.snapshot()));
    }
    if (s.status !== 'paused') {
      totals.sampled++;
      const end = s.stepIndex;
      for (let k = 0; k < 12; k++) {
        const r = rand();
        if (r < 0.4) s.back(1 + Math.floor(rand() * 20));
        else if (r < 0.8) s.goTo(Math.floor(rand() * (end + 1)));
        else s.stepOver();
        expect(JSON.stringify(s.snapshot())).toBe(seen[s.stepIndex]);
        totals.compared++;
      }
      const from = Math.floor(rand() * end);
      s.goTo(from);
      s.goTo(Math.min(end, from + 10));
      const k = s.stepIndex - from;
      s.back(k);
      for (let j = 1; j <= k; j++) {
        s.stepInto();
        expect(JSON.stringify(s.snapshot())).toBe(seen[from + j]);
        totals.compared++;
      }
    }
  }
  s.continue();
  expect(s.status).not.toBe('paused');
  if (s.status === 'trapped') return { trap: s.trap!.specMessage };
  return { results: s.typedResults() };
}

suite(`time travel on the spec suite (${present ? suiteDir : `skipped: ${suiteDir} not found; set WASM_TESTSUITE`})`, () => {
  it.each(files)('%s', (file) => {
    const rand = rng(files.indexOf(file) + 1);
    const registered = new Map<string, Map<string, ExternValue>>([['spectest', spectest()]]);
    const named = new Map<string, Instance>();
    let current: Instance | undefined;
    const resolve = (module: string, name: string) => registered.get(module)?.get(name);
    const failures: string[] = [];
    const sampledFuncs = new WeakSet<object>();
    for (const c of parseWast(readFileSync(path.join(suiteDir, file), 'utf8'))) {
      if (c.type === 'module' || c.type === 'assert_trap_module' || c.type === 'assert_uninstantiable' || c.type === 'assert_unlinkable') {
        const m = load(c.module);
        if (m === undefined) continue;
        try {
          const inst = instantiate(m, resolve);
          if (c.type === 'module') {
            current = inst;
            if (c.module.id !== undefined) named.set(c.module.id, inst);
          }
        } catch {
          // Expected for the assert_ kinds; segments written before the failure stay written.
        }
        continue;
      }
      if (c.type === 'register') {
        const inst = c.module === undefined ? current : named.get(c.module);
        if (inst !== undefined) registered.set(c.name, inst.exports);
        continue;
      }
      if (c.type !== 'action' && c.type !== 'assert_return' && c.type !== 'assert_trap' && c.type !== 'assert_exhaustion') continue;
      const a = c.action;
      if (a.type !== 'invoke') continue;
      const inst = a.module === undefined ? current : named.get(a.module);
      const f = inst?.exports.get(a.name);
      if (inst === undefined || !(f instanceof WasmFunction || f instanceof HostFunction)) continue;
      // Every function's first invocation is sampled (so every function gets a snapshot at
      // each of its steps), and a random share of the others.
      const first = !sampledFuncs.has(f);
      sampledFuncs.add(f);
      const sample = c.type !== 'assert_exhaustion' && (rand() * SAMPLE < 1 || first);
      const got = invoke(inst, a.name, a.args.map(argument), rand, sample);
      if (c.type === 'assert_return') {
        totals.checked++;
        const ok = got.results !== undefined && got.results.length === c.expected.length && got.results.every((r, i) => matches(r, c.expected[i]!));
        if (!ok) failures.push(`${file}:${c.line} ${a.name}: expected ${c.expected.length} results, got ${got.trap ?? JSON.stringify(got.results, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))}`);
      } else if (c.type === 'assert_trap' || c.type === 'assert_exhaustion') {
        totals.checked++;
        if (got.trap === undefined || !got.trap.startsWith(c.message)) failures.push(`${file}:${c.line} ${a.name}: expected trap "${c.message}", got ${got.trap ?? 'results'}`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  afterAll(() => {
    console.log(`time travel on the spec suite: ${totals.invocations} invocations (${totals.checked} assertions checked), ${totals.sampled} sampled, ${totals.compared} snapshots compared`);
  });

  it('has the suite files', () => {
    expect(files.length).toBe(147);
  });
});
