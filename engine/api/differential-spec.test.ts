// Differential test against V8 on the official 2.0 spec suite
// (https://github.com/WebAssembly/spec/tree/main/test/core, via the JS API:
// https://webassembly.github.io/spec/js-api/): every script is replayed command by command
// on two sides at once — our facade (engine/api/) and Node's own `WebAssembly` — and every
// invocation must end the same way on both: the same results, bit for bit, or a trap on
// both, or stack exhaustion on both. Modules import `spectest` (provided to each side
// with its own API) and each other (`register`), so cross-instance imports are exercised.
//
// Results are compared exactly: calls go through probe modules
// (engine/api/test-support/probe.ts) that move numbers and vectors through memory, so
// NaN payloads and v128 results survive. Where the script expects a NaN pattern
// (nan:canonical / nan:arithmetic), any NaN of that pattern agrees: the spec allows
// engines to differ there.
//
// Not compared: assert_invalid / assert_malformed (the validator's differential test,
// engine/valid/v8-differential.test.ts, covers those); modules only our engine cannot
// allocate (beyond its configured memory cap) are skipped with their commands and counted.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeModule } from '../binary/index.ts';
import type { FuncType, GlobalType, Module as ModuleAst } from '../syntax/index.ts';
import { parseQuoted, parseWast, type Action, type Command, type WastExpected, type WastModule, type WastValue } from '../text/index.ts';
import { moduleAst, WasmStep } from './index.ts';
import { Prober, type Bits, type WasmApi } from '../../tests/support/probe.ts';
import { testsuiteRoot } from '../../tests/support/testsuite.ts';

const suiteRoot = testsuiteRoot;
const suiteDir = path.join(suiteRoot, 'wasm-2.0');
const present = existsSync(suiteDir);
const files = present ? readdirSync(suiteDir).filter((f) => f.endsWith('.wast')).sort() : [];
const suite = present ? describe : describe.skip;
const title = present
  ? `differential vs V8 on the spec suite (${suiteDir})`
  : `differential vs V8 on the spec suite (skipped: ${suiteDir} not found; set WASM_TESTSUITE to the wasm-testsuite folder)`;

/** Per-call instruction budget on our side: a runaway call is reported, not waited for. */
const BUDGET = 200_000_000;

/**
 * Disagreements we know about and have reported, by `file:line`. Empty means the engines
 * agree on every compared command; an entry here must come with a bug report.
 */
const KNOWN: ReadonlyMap<string, string> = new Map([]);

interface Api extends WasmApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports?: object) => { readonly exports: Record<string, unknown> };
  readonly Memory: new (d: { initial: number; maximum?: number }) => object;
  readonly Table: new (d: { element: 'anyfunc'; initial: number; maximum?: number }) => object;
  readonly Global: new (d: { value: string; mutable?: boolean }, v?: unknown) => object;
  readonly RuntimeError: new (...a: never[]) => Error;
  readonly LinkError: new (...a: never[]) => Error;
  readonly CompileError: new (...a: never[]) => Error;
}

class OurInstance extends WasmStep.Instance {
  constructor(module: InstanceType<typeof WasmStep.Module>, imports?: object) {
    super(module, imports, { budget: BUDGET });
  }
}
const ours: Api = Object.assign(Object.create(WasmStep) as object, { Instance: OurInstance }) as unknown as Api;
const v8: Api = WebAssembly as unknown as Api;

/** The reference interpreter's `spectest` module, made with the side's own API. */
function spectest(api: Api): Record<string, unknown> {
  const print = (): void => {};
  return {
    print, print_i32: print, print_i64: print, print_f32: print, print_f64: print, print_i32_f32: print, print_f64_f64: print,
    global_i32: new api.Global({ value: 'i32' }, 666),
    global_i64: new api.Global({ value: 'i64' }, 666n),
    global_f32: new api.Global({ value: 'f32' }, 666.6),
    global_f64: new api.Global({ value: 'f64' }, 666.6),
    table: new api.Table({ element: 'anyfunc', initial: 10, maximum: 20 }),
    memory: new api.Memory({ initial: 1, maximum: 2 }),
  };
}

/** How one side ended a command. */
type Outcome =
  | { readonly kind: 'values'; readonly values: readonly Bits[] }
  | { readonly kind: 'ok' }
  | { readonly kind: 'trap' | 'exhaustion' | 'link' | 'compile' | 'type' | 'budget' | 'resource' | 'other'; readonly message: string };

function classify(api: Api, e: unknown): Outcome {
  const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  if (api === ours && e instanceof Error && e.message === 'step budget exhausted') return { kind: 'budget', message };
  if (api === ours && e instanceof RangeError && /too large/.test(e.message)) return { kind: 'resource', message };
  if (e instanceof api.RuntimeError) return { kind: 'trap', message };
  if (e instanceof api.LinkError) return { kind: 'link', message };
  if (e instanceof api.CompileError) return { kind: 'compile', message };
  if (e instanceof RangeError) return { kind: 'exhaustion', message };
  if (e instanceof TypeError) return { kind: 'type', message };
  return { kind: 'other', message };
}

function outcome(api: Api, f: () => Outcome): Outcome {
  try {
    return f();
  } catch (e) {
    return classify(api, e);
  }
}

interface Live {
  readonly instance: { readonly exports: Record<string, unknown> };
  readonly ast: ModuleAst;
}

class Side {
  readonly api: Api;
  readonly prober: Prober;
  readonly registered: Record<string, unknown>;
  readonly named = new Map<string, Live>();
  current: Live | undefined;
  constructor(api: Api) {
    this.api = api;
    this.prober = new Prober(api);
    this.registered = { spectest: spectest(api) };
  }
}

// --------------------------------------------------------------------------- values

function isCanonical32(bits: number): boolean {
  return (bits & 0x7fff_ffff) >>> 0 === 0x7fc0_0000;
}
function isArithmetic32(bits: number): boolean {
  return (bits & 0x7fc0_0000) >>> 0 === 0x7fc0_0000;
}
function isCanonical64(bits: bigint): boolean {
  return (bits & 0x7fff_ffff_ffff_ffffn) === 0x7ff8_0000_0000_0000n;
}
function isArithmetic64(bits: bigint): boolean {
  return (bits & 0x7ff8_0000_0000_0000n) === 0x7ff8_0000_0000_0000n;
}

function argument(v: WastValue): Bits {
  switch (v.type) {
    case 'i32':
      return { type: 'i32', value: v.value | 0 };
    case 'i64':
      return { type: 'i64', value: BigInt.asIntN(64, v.value) };
    case 'f32':
      return { type: 'f32', value: v.value >>> 0 };
    case 'f64':
      return { type: 'f64', value: BigInt.asUintN(64, v.value) };
    case 'v128':
      return { type: 'v128', value: v.value };
    case 'ref.null':
      return { type: (v.refType ?? 'externref') as 'funcref' | 'externref', value: null };
    case 'ref.extern':
      // The same JS value on both sides: the number itself.
      return { type: 'externref', value: v.value ?? 0 };
    case 'ref.func':
      throw new Error('ref.func arguments are not in the 2.0 suite');
  }
}

function refEqual(a: unknown, b: unknown): boolean {
  // Functions of two engines cannot be identical; their names are their function indices.
  if (typeof a === 'function' && typeof b === 'function') return a.name === b.name;
  return Object.is(a, b);
}

/** Whether two results agree, given what the script expected (NaN patterns allow any NaN of the pattern). */
function agree(a: Bits, b: Bits, e: WastExpected | undefined): boolean {
  if (a.type !== b.type) return false;
  if (e !== undefined && 'nan' in e) {
    if (a.type === 'f32' && b.type === 'f32') {
      const ok = e.nan === 'nan:canonical' ? isCanonical32 : isArithmetic32;
      if (ok(a.value) && ok(b.value)) return true;
    }
    if (a.type === 'f64' && b.type === 'f64') {
      const ok = e.nan === 'nan:canonical' ? isCanonical64 : isArithmetic64;
      if (ok(a.value) && ok(b.value)) return true;
    }
  }
  if (a.type === 'v128' && b.type === 'v128') {
    if (e !== undefined && e.type === 'v128' && e.lanes.some((l) => typeof l === 'string')) {
      const da = new DataView(a.value.buffer, a.value.byteOffset, 16);
      const db = new DataView(b.value.buffer, b.value.byteOffset, 16);
      const width = 16 / e.lanes.length;
      return e.lanes.every((lane, i) => {
        const at = i * width;
        if (lane === 'nan:canonical' || lane === 'nan:arithmetic') {
          if (width === 4) {
            const ok = lane === 'nan:canonical' ? isCanonical32 : isArithmetic32;
            return ok(da.getUint32(at, true)) && ok(db.getUint32(at, true));
          }
          const ok = lane === 'nan:canonical' ? isCanonical64 : isArithmetic64;
          return ok(da.getBigUint64(at, true)) && ok(db.getBigUint64(at, true));
        }
        for (let k = at; k < at + width; k++) if (a.value[k] !== b.value[k]) return false;
        return true;
      });
    }
    return a.value.every((x, i) => x === b.value[i]);
  }
  if (a.type === 'funcref' || a.type === 'externref') return refEqual(a.value, b.value);
  return a.value === b.value;
}

function show(o: Outcome): string {
  if (o.kind === 'ok') return 'ok';
  if (o.kind !== 'values') return `${o.kind} (${o.message})`;
  return `[${o.values
    .map((v) => {
      if (v.type === 'v128') return `v128 ${[...v.value].map((x) => x.toString(16).padStart(2, '0')).join('')}`;
      if (v.type === 'f32') return `f32 0x${v.value.toString(16)}`;
      if (v.type === 'f64') return `f64 0x${v.value.toString(16)}`;
      if (typeof v.value === 'function') return `${v.type} func ${v.value.name}`;
      return `${v.type} ${String(v.value)}`;
    })
    .join(', ')}]`;
}

function sameOutcome(a: Outcome, b: Outcome, expected: readonly WastExpected[] | undefined): boolean {
  if (a.kind === 'values' && b.kind === 'values') {
    return a.values.length === b.values.length && a.values.every((v, i) => agree(v, b.values[i]!, expected?.[i]));
  }
  return a.kind === b.kind;
}

// --------------------------------------------------------------------------- types

function funcTypeOf(ast: ModuleAst, name: string): FuncType | undefined {
  const ex = ast.exports.find((e) => e.name === name && e.kind === 'func');
  if (ex === undefined) return undefined;
  const imported = ast.imports.flatMap((i) => (i.desc.kind === 'func' ? [i.desc.type] : []));
  const typeIndex = ex.index < imported.length ? imported[ex.index]! : ast.funcs[ex.index - imported.length]!.type;
  return ast.types[typeIndex]!.type;
}

function globalTypeOf(ast: ModuleAst, name: string): GlobalType | undefined {
  const ex = ast.exports.find((e) => e.name === name && e.kind === 'global');
  if (ex === undefined) return undefined;
  const imported = ast.imports.flatMap((i) => (i.desc.kind === 'global' ? [i.desc.type] : []));
  return ex.index < imported.length ? imported[ex.index]! : ast.globals[ex.index - imported.length]!.type;
}

// --------------------------------------------------------------------------- replay

interface Counts {
  modules: number;
  modulesSkipped: number;
  compared: number;
  agreed: number;
  traps: number;
  exhaustion: number;
  skipped: number;
  disagreements: string[];
}

const totals: Counts = { modules: 0, modulesSkipped: 0, compared: 0, agreed: 0, traps: 0, exhaustion: 0, skipped: 0, disagreements: [] };

function moduleBytes(m: WastModule): Uint8Array | undefined {
  if (m.kind === 'binary') return m.bytes;
  if (m.kind === 'text') return encodeModule(m.module);
  if (m.kind === 'quote') return encodeModule(parseQuoted(m));
  return undefined;
}

function instantiate(side: Side, bytes: Uint8Array, ast: ModuleAst): { outcome: Outcome; live?: Live } {
  let live: Live | undefined;
  const o = outcome(side.api, () => {
    const module = new side.api.Module(bytes);
    live = { instance: new side.api.Instance(module, side.registered), ast };
    return { kind: 'ok' };
  });
  return { outcome: o, live };
}

function act(side: Side, a: Action, live: Live): Outcome {
  return outcome(side.api, () => {
    const target = live.instance.exports[a.name];
    if (a.type === 'get') {
      const t = globalTypeOf(live.ast, a.name);
      if (t === undefined || typeof target !== 'object' || target === null) throw new Error(`no global ${a.name}`);
      return { kind: 'values', values: [side.prober.get(target, t)] };
    }
    const t = funcTypeOf(live.ast, a.name);
    if (t === undefined || typeof target !== 'function') throw new Error(`no function ${a.name}`);
    return { kind: 'values', values: side.prober.call(target, t, a.args.map(argument)) };
  });
}

function replay(file: string): Counts {
  const counts: Counts = { modules: 0, modulesSkipped: 0, compared: 0, agreed: 0, traps: 0, exhaustion: 0, skipped: 0, disagreements: [] };
  const text = readFileSync(path.join(suiteDir, file), 'utf8');
  const sides = [new Side(ours), new Side(v8)] as const;
  const disagree = (c: Command, what: string, a: Outcome, b: Outcome): void => {
    counts.disagreements.push(`${file}:${c.line} ${what}: ours ${show(a)}, V8 ${show(b)}`);
  };
  const record = (c: Command, what: string, a: Outcome, b: Outcome, expected?: readonly WastExpected[]): void => {
    if (a.kind === 'budget' || a.kind === 'resource') {
      counts.skipped++;
      return;
    }
    counts.compared++;
    if (sameOutcome(a, b, expected)) {
      counts.agreed++;
      if (a.kind === 'trap') counts.traps++;
      if (a.kind === 'exhaustion') counts.exhaustion++;
    } else disagree(c, what, a, b);
  };

  for (const c of parseWast(text)) {
    switch (c.type) {
      case 'module':
      case 'assert_trap_module':
      case 'assert_uninstantiable':
      case 'assert_unlinkable': {
        const bytes = moduleBytes(c.module);
        if (bytes === undefined) break;
        let ast: ModuleAst;
        try {
          ast = moduleAst(new WasmStep.Module(bytes));
        } catch (e) {
          // Not ours to compare here (the validator's differential test covers it).
          counts.disagreements.push(`${file}:${c.line} module does not compile on our side: ${String(e)}`);
          break;
        }
        const [a, b] = sides.map((s) => instantiate(s, bytes, ast));
        if (c.type === 'module') {
          counts.modules++;
          if (a!.outcome.kind === 'resource') counts.modulesSkipped++;
          else if (!sameOutcome(a!.outcome, b!.outcome, undefined)) disagree(c, 'instantiate', a!.outcome, b!.outcome);
          const both = a!.live !== undefined && b!.live !== undefined;
          sides.forEach((s, i) => {
            const live = both ? [a, b][i]!.live : undefined;
            s.current = live;
            if (c.module.id !== undefined) {
              if (live === undefined) s.named.delete(c.module.id);
              else s.named.set(c.module.id, live);
            }
          });
        } else record(c, 'instantiate', a!.outcome, b!.outcome);
        break;
      }
      case 'register':
        sides.forEach((s) => {
          const live = c.module === undefined ? s.current : s.named.get(c.module);
          if (live !== undefined) s.registered[c.name] = live.instance.exports;
          else delete s.registered[c.name];
        });
        break;
      case 'action':
      case 'assert_return':
      case 'assert_trap':
      case 'assert_exhaustion': {
        const lives = sides.map((s) => (c.action.module === undefined ? s.current : s.named.get(c.action.module)));
        if (lives[0] === undefined || lives[1] === undefined) {
          counts.skipped++;
          break;
        }
        const [a, b] = sides.map((s, i) => act(s, c.action, lives[i]!));
        const what = `${c.action.type} ${c.action.name}`;
        record(c, what, a!, b!, c.type === 'assert_return' ? c.expected : undefined);
        break;
      }
      default:
        break;
    }
  }
  return counts;
}

suite(title, () => {
  afterAll(() => {
    if (totals.modules === 0) return;
    console.log(
      `spec differential vs V8: ${files.length} files, ${totals.modules} modules (${totals.modulesSkipped} beyond our memory cap), ` +
        `${totals.compared} commands compared, ${totals.agreed} agree (${totals.traps} traps, ${totals.exhaustion} exhaustions), ` +
        `${totals.skipped} skipped, ${totals.disagreements.length} disagree`,
    );
    for (const d of totals.disagreements) console.log(`  ${d}`);
  });

  it.each(files)('%s', { timeout: 60_000 }, (file) => {
    const c = replay(file);
    for (const k of ['modules', 'modulesSkipped', 'compared', 'agreed', 'traps', 'exhaustion', 'skipped'] as const) totals[k] += c[k];
    totals.disagreements.push(...c.disagreements);
    const unexpected = c.disagreements.filter((d) => !KNOWN.has(d.slice(0, d.indexOf(' '))));
    expect(unexpected).toEqual([]);
  });

  it('compared enough of the suite to mean something', () => {
    // Runs after the files: the counts are those of the whole suite.
    expect(totals.modules).toBeGreaterThan(1000);
    expect(totals.compared).toBeGreaterThan(30_000);
    expect(totals.traps).toBeGreaterThan(1000);
  });
});
