// The machinery of the random differential test (engine/api/differential-random.test.ts),
// apart from the test so it can also be driven by hand (e.g. to minimize a disagreement):
// generate modules with binaryen's translate-to-fuzz (https://github.com/WebAssembly/binaryen/wiki/Fuzzing),
// run one on one side (our facade or V8's WebAssembly, https://webassembly.github.io/spec/js-api/)
// with deterministic stub imports, and compare two runs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DecodeError, decodeModule, encodeModule, type FuncType, type GlobalType, type Module as ModuleAst, type RefType, type ValType,
  type Version,
} from '../../engine/index.ts';
import { WasmStep } from '../../engine/api/index.ts';
import { Prober, type Bits, type WasmApi } from './probe.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const wasmOpt = path.join(repoRoot, 'node_modules/binaryen/bin/wasm-opt');
/** Per-call instruction budget on our side; binaryen's modules bound their own loops and recursion, so this is a safety net. */
const BUDGET = 50_000_000;
/** Calls from the stubs back into the module, per module run, and how deeply they may nest. */
const MAX_CALLBACKS = 200;
const MAX_NESTING = 8;

/** Only 2.0 features: MVP + sign extension, mutable globals, saturating conversions, bulk memory, multi-value, reference types, SIMD. */
const FLAGS = [
  '-ttf', '--denan', '-mvp',
  '--enable-sign-ext', '--enable-mutable-globals', '--enable-nontrapping-float-to-int', '--enable-bulk-memory',
  '--enable-bulk-memory-opt', '--enable-multivalue', '--enable-reference-types', '--enable-simd',
  // More wasm-opt flags for exploring, e.g. WASM_DIFF_EXTRA_FLAGS="-O3" or "--fuzz-passes".
  ...(process.env.WASM_DIFF_EXTRA_FLAGS ?? '').split(/\s+/).filter(Boolean),
];

/**
 * The WebAssembly 3.0 features binaryen's fuzzer can add, each with its wasm-opt switch.
 * Reference types are in the 2.0 flags already; listing it keeps a feature list complete.
 */
export const BINARYEN_FEATURES = {
  'exception-handling': '--enable-exception-handling',
  'tail-call': '--enable-tail-call',
  'reference-types': '--enable-reference-types',
  multimemory: '--enable-multimemory',
  memory64: '--enable-memory64',
} as const;
export type BinaryenFeature = keyof typeof BINARYEN_FEATURES;

// ----------------------------------------------------------------------------- generation

/**
 * Runs wasm-opt for many seeds inside one child process: loading binaryen's 11 MB
 * Emscripten build costs ~0.3 s, running it ~20 ms, so the build is loaded once and its
 * `callMain` called per seed. The input bytes come from a seeded generator (mulberry32),
 * so a seed always gives the same module (checked against the CLI run on its own).
 */
const GENERATOR = String.raw`
const fs = require('node:fs'), path = require('node:path');
const [wasmOpt, dir, first, count, ...flags] = process.argv.slice(1);
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function run() {
  for (let s = +first; s < +first + +count; s++) {
    const r = rng(s);
    const input = new Uint8Array(1024 + Math.floor(r() * 6144));
    for (let i = 0; i < input.length; i++) input[i] = Math.floor(r() * 256);
    const file = path.join(dir, 'in' + s + '.bin');
    fs.writeFileSync(file, input);
    try { Module.__callMain([file, ...flags, '-o', path.join(dir, 'm' + s + '.wasm')]); } catch (e) { console.error('seed ' + s + ': ' + e); process.exit(3); }
  }
}
let src = fs.readFileSync(wasmOpt, 'utf8');
if (src.startsWith('#!')) src = '//' + src;
const Module = { noInitialRun: true, onRuntimeInitialized() { setTimeout(run, 0); } };
new Function('require', 'module', 'exports', '__filename', '__dirname', 'Module', src + '\n;Module.__callMain = callMain;')(
  require, { exports: {} }, {}, wasmOpt, path.dirname(wasmOpt), Module);
`;

/** Seeds per generator process: its heap grows with every run, so it is replaced now and then. */
const BATCH = 100;

/**
 * The modules for seeds first … first + count - 1 (a seed binaryen fails on is left out),
 * with the 2.0 features and `features` enabled.
 */
export function generate(first: number, count: number, features: readonly BinaryenFeature[] = []): Map<number, Uint8Array> {
  const flags = [...FLAGS, ...features.map((f) => BINARYEN_FEATURES[f])];
  const dir = mkdtempSync(path.join(tmpdir(), 'wasmstep-fuzz-'));
  const out = new Map<number, Uint8Array>();
  const read = (file: string): Uint8Array | undefined => {
    const bytes = existsSync(file) ? new Uint8Array(readFileSync(file)) : undefined;
    return bytes !== undefined && bytes.length > 0 ? bytes : undefined;
  };
  try {
    for (let start = first; start < first + count; ) {
      const n = Math.min(BATCH, first + count - start);
      spawnSync(process.execPath, ['-e', GENERATOR, wasmOpt, dir, String(start), String(n), ...flags], { encoding: 'utf8' });
      let next = start + n;
      for (let s = start; s < start + n; s++) {
        const bytes = read(path.join(dir, `m${s}.wasm`));
        if (bytes !== undefined) {
          out.set(s, bytes);
          continue;
        }
        // The process stopped here (or never started): this seed from the CLI on its own,
        // then a fresh process for the rest of the batch.
        const input = path.join(dir, `in${s}.bin`);
        if (existsSync(input)) {
          const file = path.join(dir, `c${s}.wasm`);
          spawnSync(process.execPath, [wasmOpt, input, ...flags, '-o', file]);
          const retried = read(file);
          if (retried !== undefined) out.set(s, retried);
          next = s + 1;
        } else next = s;
        break;
      }
      if (next === start) throw new Error(`wasm-opt did not start (seed ${start})`);
      start = next;
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The module with its memories, tables and globals exported (as `__mem0`, `__table0`,
 * `__global0`, …) so their final state can be compared; binaryen's modules export only
 * functions. Uses our decoder and encoder, and both engines get the same bytes.
 */
export function exposeState(bytes: Uint8Array, version: Version = '2.0'): { bytes: Uint8Array; ast: ModuleAst } | { outside: string } {
  let ast: ModuleAst;
  try {
    // Decoded as 2.0 unless 3.0 features were asked for: binaryen's fuzzer sometimes emits
    // a typed-function-references instruction (ref.as_non_null) even with only 2.0 features
    // enabled: such modules are not 2.0, and the differential compares 2.0 behaviour.
    ast = decodeModule(bytes, { version });
  } catch (e) {
    if (e instanceof DecodeError && e.specMessage.startsWith('not supported')) return { outside: e.specMessage };
    throw e;
  }
  const count = (kind: string) => ast.imports.filter((i) => i.desc.kind === kind).length;
  const add = (kind: 'memory' | 'table' | 'global', n: number, prefix: string) => {
    for (let i = 0; i < n; i++) {
      if (!ast.exports.some((e) => e.kind === kind && e.index === i)) ast.exports.push({ name: `${prefix}${i}`, kind, index: i, span: {} });
    }
  };
  add('memory', count('memory') + ast.mems.length, '__mem');
  add('table', count('table') + ast.tables.length, '__table');
  add('global', count('global') + ast.globals.length, '__global');
  const out = encodeModule(ast);
  return { bytes: out, ast: decodeModule(out) };
}

// ----------------------------------------------------------------------------- running

export interface Api extends WasmApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports?: object) => { readonly exports: Record<string, unknown> };
  readonly Memory: new (d: { initial: number; maximum?: number }) => object;
  readonly Table: new (d: { element: string; initial: number; maximum?: number }) => { get(i: number): unknown; set(i: number, v: unknown): void; length: number };
  readonly Global: new (d: { value: string; mutable?: boolean }, v?: unknown) => object;
  readonly RuntimeError: new (...a: never[]) => Error;
}

class OurInstance extends WasmStep.Instance {
  constructor(module: InstanceType<typeof WasmStep.Module>, imports?: object) {
    super(module, imports, { budget: BUDGET });
  }
}
export const ours: Api = Object.assign(Object.create(WasmStep) as object, { Instance: OurInstance }) as unknown as Api;
export const v8: Api = WebAssembly as unknown as Api;

/** A JS value as text, exact for numbers (-0 too); functions by name (their index), since two engines' functions are never identical. */
function fmt(v: unknown): string {
  if (v === undefined) return 'void';
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'function') return `func ${v.name}`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(fmt).join(', ')}]`;
  if (v === null) return 'null';
  return typeof v;
}

function fmtBits(b: Bits): string {
  if (b.type === 'v128') return `v128 ${[...b.value].map((x) => x.toString(16).padStart(2, '0')).join('')}`;
  if (b.type === 'f32' || b.type === 'f64') return `${b.type} 0x${b.value.toString(16)}`;
  return `${b.type} ${fmt(b.value)}`;
}

/** How a call or instantiation ended, as comparable text. */
function ending(api: Api, e: unknown): string {
  if (api === ours && e instanceof Error && e.message === 'step budget exhausted') return 'budget';
  if (e instanceof api.RuntimeError) return 'trap';
  if (e instanceof RangeError && /call stack/i.test(e.message)) return 'stack exhausted';
  if (e instanceof Error) return e.constructor.name === 'Error' ? `Error: ${e.message}` : e.constructor.name;
  return `thrown ${fmt(e)}`;
}

const I32_ARGS = [0, 1, -1, 42, 0x7fff_ffff, -0x8000_0000, 65535, 7];
const I64_ARGS = [0n, 1n, -1n, 42n, 0x7fff_ffff_ffff_ffffn, -0x8000_0000_0000_0000n, 0x1_0000_0000n, 7n];
const F_ARGS = [0, -0, 1.5, -2.25, Infinity, -Infinity, 1e30, 3.4028234663852886e38];

/** Fixed arguments for export k: a JS value per parameter (references get null; v128 a fixed pattern). */
function argsFor(t: FuncType, k: number): Bits[] {
  return t.params.map((p, i): Bits => {
    const j = (k * 7 + i * 3) % 8;
    switch (p) {
      case 'i32':
        return { type: p, value: I32_ARGS[j]! };
      case 'i64':
        return { type: p, value: I64_ARGS[j]! };
      case 'f32': {
        const f = new Float32Array([F_ARGS[j]!]);
        return { type: p, value: new Uint32Array(f.buffer)[0]! };
      }
      case 'f64': {
        const f = new Float64Array([F_ARGS[j]!]);
        return { type: p, value: new BigUint64Array(f.buffer)[0]! };
      }
      case 'v128':
        return { type: p, value: Uint8Array.from({ length: 16 }, (_, b) => (b * 37 + j * 11) & 0xff) };
      default:
        // The fuzzer only generates 2.0 modules.
        return { type: p as RefType, value: j % 2 === 0 ? null : p === 'externref' ? `arg${j}` : null };
    }
  });
}

function jsArg(b: Bits): unknown {
  if (b.type === 'f32') return new Float32Array(new Uint32Array([b.value]).buffer)[0];
  if (b.type === 'f64') return new Float64Array(new BigUint64Array([b.value]).buffer)[0];
  return b.value;
}

function funcTypes(ast: ModuleAst): FuncType[] {
  const types = ast.imports.flatMap((i) => (i.desc.kind === 'func' ? [ast.types[i.desc.type]!.type] : []));
  for (const f of ast.funcs) types.push(ast.types[f.type]!.type);
  return types;
}

function globalTypes(ast: ModuleAst): GlobalType[] {
  const types = ast.imports.flatMap((i) => (i.desc.kind === 'global' ? [i.desc.type] : []));
  for (const g of ast.globals) types.push(g.type);
  return types;
}

/** A value for an imported global of type t, the same on both sides. */
function importValue(t: ValType, name: string): unknown {
  switch (t) {
    case 'i32':
      return 7;
    case 'i64':
      return 7n;
    case 'f32':
    case 'f64':
      return 0.5;
    case 'externref':
      return `import ${name}`;
    default:
      return null;
  }
}

export interface Run {
  /** Instantiation, then one line per exported function call. */
  readonly calls: string[];
  /** Every host call, with its arguments. */
  readonly log: string[];
  /** Final state: memories, tables, globals. */
  readonly state: Map<string, string>;
  readonly budget: boolean;
}

/**
 * Runs one module on one side. The stubs play binaryen's fuzzing-support imports: logging
 * functions record their argument, call-export(-catch) and call-ref(-catch) call back into
 * the module (with null for each parameter, as binaryen's harness does; -catch returns 1
 * when the call threw), sleep returns its id, table-get/-set use the first exported table.
 */
export function runModule(api: Api, bytes: Uint8Array, ast: ModuleAst): Run {
  const calls: string[] = [];
  const log: string[] = [];
  const state = new Map<string, string>();
  let budget = false;
  const types = funcTypes(ast);
  const exportsByIndex = ast.exports;
  let exports: Record<string, unknown> = {};
  const functionExports = () => exportsByIndex.filter((e) => e.kind === 'func' && !e.name.startsWith('__')).map((e) => exports[e.name] as (...a: unknown[]) => unknown);
  const table = () => {
    const e = exportsByIndex.find((x) => x.kind === 'table');
    const t = e === undefined ? undefined : (exports[e.name] as InstanceType<Api['Table']>);
    if (t === undefined) throw new Error('no exported table');
    return t;
  };
  // Modules that call back into themselves from the catching stubs can branch
  // exponentially; a bound on callbacks (total and nested) keeps every run small, and
  // since it throws the same way on both sides it keeps them comparable.
  let callbacks = 0;
  let nesting = 0;
  const callBack = (f: unknown): void => {
    if (typeof f !== 'function') throw new Error('not a function');
    if (++callbacks > MAX_CALLBACKS) throw new Error('callback budget exhausted');
    if (nesting >= MAX_NESTING) throw new Error('callback nesting limit');
    nesting++;
    try {
      f(...Array.from({ length: f.length }, () => null));
    } finally {
      nesting--;
    }
  };
  const caught = (f: () => void): number => {
    try {
      f();
      return 0;
    } catch (e) {
      log.push(`  caught ${ending(api, e)}`);
      if (ending(api, e) === 'budget') budget = true;
      return 1;
    }
  };
  const support: Record<string, (...a: never[]) => unknown> = {
    'log-i32': (x: number) => void log.push(`log-i32 ${fmt(x)}`),
    'log-i64': (x: bigint) => void log.push(`log-i64 ${fmt(x)}`),
    'log-f32': (x: number) => void log.push(`log-f32 ${fmt(x)}`),
    'log-f64': (x: number) => void log.push(`log-f64 ${fmt(x)}`),
    'log-v128': () => void log.push('log-v128 (unreachable: the boundary throws first)'),
    'call-export': (i: number, flags: number) => {
      log.push(`call-export ${i} ${flags}`);
      const f = functionExports()[i >>> 0];
      if (f === undefined) throw new Error(`call-export: no export ${i}`);
      if ((flags & 1) !== 0) caught(() => callBack(f));
      else callBack(f);
    },
    'call-export-catch': (i: number) => {
      log.push(`call-export-catch ${i}`);
      return caught(() => {
        const f = functionExports()[i >>> 0];
        if (f === undefined) throw new Error(`call-export: no export ${i}`);
        callBack(f);
      });
    },
    'call-ref': (f: unknown, flags: number) => {
      log.push(`call-ref ${fmt(f)} ${flags}`);
      if ((flags & 1) !== 0) caught(() => callBack(f));
      else callBack(f);
    },
    'call-ref-catch': (f: unknown) => {
      log.push(`call-ref-catch ${fmt(f)}`);
      return caught(() => callBack(f));
    },
    sleep: (ms: number, id: number) => {
      log.push(`sleep ${ms} ${id}`);
      return id;
    },
    'table-get': (i: number) => {
      log.push(`table-get ${i}`);
      return table().get(i >>> 0);
    },
    'table-set': (i: number, v: unknown) => {
      log.push(`table-set ${i} ${fmt(v)}`);
      table().set(i >>> 0, v);
    },
  };
  const imports: Record<string, Record<string, unknown>> = {};
  for (const imp of ast.imports) {
    const ns = (imports[imp.module] ??= {});
    const d = imp.desc;
    if (d.kind === 'func') {
      const results = ast.types[d.type]!.type.results;
      ns[imp.name] =
        imp.module === 'fuzzing-support' && support[imp.name] !== undefined
          ? support[imp.name]
          : (...args: unknown[]) => {
              log.push(`${imp.module}.${imp.name} ${args.map(fmt).join(' ')}`);
              const r = results.map((t) => (t === 'i64' ? 0n : t === 'funcref' || t === 'externref' ? null : 0));
              return results.length === 1 ? r[0] : r;
            };
    } else if (d.kind === 'global') {
      const value = importValue(d.type.type, imp.name);
      const ty = d.type.type === 'funcref' ? 'anyfunc' : d.type.type;
      ns[imp.name] = d.type.mutable || d.type.type === 'v128' ? new api.Global({ value: ty, mutable: d.type.mutable }, d.type.type === 'v128' ? undefined : value) : value;
    } else if (d.kind === 'memory') {
      ns[imp.name] = new api.Memory({ initial: d.type.limits.min, maximum: d.type.limits.max });
    } else if (d.kind === 'table') {
      ns[imp.name] = new api.Table({ element: d.type.elem === 'funcref' ? 'anyfunc' : 'externref', initial: d.type.limits.min, maximum: d.type.limits.max });
    }
  }

  let instance: { exports: Record<string, unknown> };
  try {
    instance = new api.Instance(new api.Module(bytes), imports);
  } catch (e) {
    calls.push(`instantiate: ${ending(api, e)}`);
    return { calls, log, state, budget: ending(api, e) === 'budget' };
  }
  calls.push('instantiate: ok');
  exports = instance.exports;
  const prober = new Prober(api);

  ast.exports.forEach((ex, k) => {
    if (ex.kind !== 'func' || ex.name.startsWith('__') || budget) return;
    const t = types[ex.index]!;
    const args = argsFor(t, k);
    const fn = exports[ex.name] as (...a: unknown[]) => unknown;
    let line: string;
    try {
      if (t.params.includes('v128') || t.results.includes('v128')) {
        line = `= ${prober.call(fn, t, args).map(fmtBits).join(', ')}`;
      } else {
        line = `= ${fmt(fn(...args.map(jsArg)))}`;
      }
    } catch (e) {
      line = `threw ${ending(api, e)}`;
      if (ending(api, e) === 'budget') budget = true;
    }
    calls.push(`${ex.name}(${args.map(fmtBits).join(', ')}) ${line}`);
  });

  const gtypes = globalTypes(ast);
  for (const ex of ast.exports) {
    const v = exports[ex.name];
    if (ex.kind === 'memory') state.set(ex.name, Buffer.from((v as { buffer: ArrayBuffer }).buffer).toString('base64'));
    else if (ex.kind === 'global') state.set(ex.name, fmtBits(prober.get(v as object, gtypes[ex.index]!)));
    else if (ex.kind === 'table') {
      const t = v as InstanceType<Api['Table']>;
      state.set(ex.name, Array.from({ length: t.length }, (_, i) => fmt(t.get(i))).join(' '));
    }
  }
  return { calls, log, state, budget };
}

/** The first place two lists differ, for the report. */
function firstDifference(a: readonly string[], b: readonly string[]): string | undefined {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `#${i}: ours ${a[i] ?? '(nothing)'} | V8 ${b[i] ?? '(nothing)'}`;
  }
  return undefined;
}

function memoryDifference(a: string, b: string): string {
  const x = Buffer.from(a, 'base64');
  const y = Buffer.from(b, 'base64');
  if (x.length !== y.length) return `size ${x.length} vs ${y.length}`;
  const i = x.findIndex((v, k) => v !== y[k]);
  return `byte ${i}: ours ${x[i]} V8 ${y[i]}`;
}

/** Compares the two runs of a module; returns what differs (empty when they agree). */
export function compare(seed: number, a: Run, b: Run): string[] {
  const out: string[] = [];
  const calls = firstDifference(a.calls, b.calls);
  if (calls !== undefined) out.push(`seed ${seed}: call ${calls}`);
  const log = firstDifference(a.log, b.log);
  if (log !== undefined) out.push(`seed ${seed}: host call ${log}`);
  for (const [name, v] of b.state) {
    const w = a.state.get(name);
    if (w !== v) out.push(`seed ${seed}: ${name} ${name.includes('mem') && w !== undefined ? memoryDifference(w, v) : `ours ${w} | V8 ${v}`}`);
  }
  return out;
}

