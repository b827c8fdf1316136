// A runner for .wast scripts, the format of the official spec test suite
// (https://github.com/WebAssembly/spec/blob/main/interpreter/README.md#scripts), on top of
// the whole engine: parseWast (engine/text/wast.ts), decodeModule, validateModule, and
// instantiation and the interpreter (engine/exec/, https://webassembly.github.io/spec/core/exec/index.html).
//
// It provides the `spectest` host module the suite imports from, keeps the named and
// registered instances, and checks every assertion: results bit for bit (floats by their
// bits, `nan:canonical` / `nan:arithmetic` and v128 lane patterns), traps and exhaustion
// by message prefix, and that malformed / invalid / unlinkable / uninstantiable modules
// are rejected by the right phase. It takes the script's text and never touches files.

import { DecodeError, decodeModule } from '../binary/index.ts';
import {
  type Action, type Command, ParseError, parseQuoted, parseWast, type WastExpected, type WastModule, type WastValue,
} from '../text/index.ts';
import { type AnyRefType, type Module, refTypeParts, type Version } from '../syntax/index.ts';
import { validateModule, ValidationError } from '../valid/index.ts';
import {
  callFunctionTyped, DEFAULT_LIMITS, type ExternValue, GlobalInstance, hostFunction, HostFunction, hostGlobal, hostMemory, hostTable, type ImportValue, type Instance, instantiate, LinkError, type ResourceLimits, TableInstance, Trap, type TypedValue, WasmFunction, WasmThrow,
} from '../exec/index.ts';

export interface CommandResult {
  /** 1-based line of the command's opening parenthesis. */
  readonly line: number;
  readonly type: Command['type'];
  readonly passed: boolean;
  /** Why it failed. */
  readonly reason?: string;
}

export interface WastReport {
  readonly results: readonly CommandResult[];
  readonly passed: number;
  readonly failed: number;
}

export interface RunWastOptions {
  readonly limits?: ResourceLimits;
  /** Instruction budget per invocation (default 2^32): a runaway test fails instead of hanging. */
  readonly budget?: number;
  /**
   * The language the script's modules are parsed, decoded and validated as (VersionOptions).
   * The default is '3.0'; the 2.0 suite runs as '2.0', which keeps 2.0's rules where 3.0
   * changed them (a second memory is invalid, a memory index byte is malformed, …).
   */
  readonly version?: Version;
}

/** The `spectest` module of the reference interpreter (interpreter/host/spectest.ml). */
export function spectest(limits: ResourceLimits = DEFAULT_LIMITS): Map<string, ExternValue> {
  const print = (): void => {};
  const m = new Map<string, ExternValue>();
  m.set('print', hostFunction([], [], print, 'print'));
  m.set('print_i32', hostFunction(['i32'], [], print, 'print_i32'));
  m.set('print_i64', hostFunction(['i64'], [], print, 'print_i64'));
  m.set('print_f32', hostFunction(['f32'], [], print, 'print_f32'));
  m.set('print_f64', hostFunction(['f64'], [], print, 'print_f64'));
  m.set('print_i32_f32', hostFunction(['i32', 'f32'], [], print, 'print_i32_f32'));
  m.set('print_f64_f64', hostFunction(['f64', 'f64'], [], print, 'print_f64_f64'));
  m.set('global_i32', hostGlobal('i32', false, 666));
  m.set('global_i64', hostGlobal('i64', false, 666n));
  m.set('global_f32', hostGlobal('f32', false, 666.6));
  m.set('global_f64', hostGlobal('f64', false, 666.6));
  m.set('table', hostTable('funcref', 10, 20, limits));
  // 3.0: an i64 table (table64).
  m.set('table64', new TableInstance({ elem: 'funcref', limits: { min: 10, max: 20, index64: true } }, null, limits.maxTableSize));
  m.set('memory', hostMemory(1, 2, limits));
  return m;
}

class Failure extends Error {}

function fail(reason: string): never {
  throw new Failure(reason);
}

function describe(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}

function isRefValue(v: TypedValue): v is Extract<TypedValue, { value: unknown; bits?: undefined }> & { type: AnyRefType } {
  return v.type.length > 4;
}

/** The type hierarchy a reference type belongs to (https://webassembly.github.io/spec/core/valid/matching.html#heap-types). */
function hierarchy(t: AnyRefType): 'func' | 'extern' | 'exn' | 'any' {
  if (t === 'funcref' || t === 'nullfuncref') return 'func';
  if (t === 'externref' || t === 'nullexternref') return 'extern';
  if (t === 'exnref' || t === 'nullexnref') return 'exn';
  const h = refTypeParts(t)?.heap;
  if (typeof h === 'number' || h === 'func' || h === 'nofunc') return 'func';
  if (h === 'extern' || h === 'noextern') return 'extern';
  if (h === 'exn' || h === 'noexn') return 'exn';
  return 'any';
}

/** The text of a typed value, for failure messages. */
function show(v: TypedValue): string {
  switch (v.type) {
    case 'f32':
      return `f32 ${v.value} (0x${v.bits.toString(16)})`;
    case 'f64':
      return `f64 ${v.value} (0x${v.bits.toString(16)})`;
    case 'v128':
      return `v128 ${[...v.value].map((b) => b.toString(16).padStart(2, '0')).join(' ')}`;
    case 'funcref':
    case 'externref':
    case undefined:
      return `${v.type} ${v.value === null ? 'null' : v.value instanceof WasmFunction ? `func ${v.value.index}` : String(v.value)}`;
    default:
      return `${v.type} ${v.value}`;
  }
}

function isCanonicalF32(bits: number): boolean {
  return (bits & 0x7fff_ffff) >>> 0 === 0x7fc0_0000;
}
function isArithmeticF32(bits: number): boolean {
  return (bits & 0x7fc0_0000) >>> 0 === 0x7fc0_0000;
}
function isCanonicalF64(bits: bigint): boolean {
  return (bits & 0x7fff_ffff_ffff_ffffn) === 0x7ff8_0000_0000_0000n;
}
function isArithmeticF64(bits: bigint): boolean {
  return (bits & 0x7ff8_0000_0000_0000n) === 0x7ff8_0000_0000_0000n;
}

/** Whether a result matches an expectation. */
function matches(actual: TypedValue, expected: WastExpected): boolean {
  if (expected.type === 'either') return expected.options.some((o) => matches(actual, o));
  if ('nan' in expected) {
    if (actual.type !== expected.type) return false;
    if (actual.type === 'f32') return expected.nan === 'nan:canonical' ? isCanonicalF32(actual.bits) : isArithmeticF32(actual.bits);
    if (actual.type === 'f64') return expected.nan === 'nan:canonical' ? isCanonicalF64(actual.bits) : isArithmeticF64(actual.bits);
    return false;
  }
  switch (expected.type) {
    case 'i32':
      return actual.type === 'i32' && actual.value === (expected.value | 0);
    case 'i64':
      return actual.type === 'i64' && actual.value === BigInt.asIntN(64, expected.value);
    case 'f32':
      return actual.type === 'f32' && actual.bits === expected.value >>> 0;
    case 'f64':
      return actual.type === 'f64' && actual.bits === BigInt.asUintN(64, expected.value);
    case 'v128':
      return actual.type === 'v128' && v128Matches(actual.value, expected);
    case 'ref.null':
      return actual.value === null && isRefValue(actual) && (expected.refType === undefined || hierarchy(actual.type) === hierarchy(expected.refType));
    case 'ref.extern':
      return isRefValue(actual) && hierarchy(actual.type) === 'extern' && actual.value !== null && (expected.value === undefined || actual.value === expected.value);
    case 'ref.func':
      return (
        isRefValue(actual) && hierarchy(actual.type) === 'func' &&
        actual.value !== null &&
        (expected.value === undefined || (actual.value instanceof WasmFunction && actual.value.index === expected.value))
      );
  }
}

function v128Matches(bytes: Uint8Array, expected: WastValue & { type: 'v128' }): boolean {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, 16);
  const n = expected.lanes.length;
  const width = 16 / n;
  for (let i = 0; i < n; i++) {
    const lane = expected.lanes[i]!;
    const at = i * width;
    if (lane === 'nan:canonical' || lane === 'nan:arithmetic') {
      const ok =
        expected.shape === 'f32x4'
          ? (lane === 'nan:canonical' ? isCanonicalF32 : isArithmeticF32)(dv.getUint32(at, true))
          : (lane === 'nan:canonical' ? isCanonicalF64 : isArithmeticF64)(dv.getBigUint64(at, true));
      if (!ok) return false;
      continue;
    }
    let actual: number | bigint;
    if (width === 1) actual = dv.getUint8(at);
    else if (width === 2) actual = dv.getUint16(at, true);
    else if (width === 4) actual = dv.getUint32(at, true);
    else actual = dv.getBigUint64(at, true);
    if (typeof lane === 'bigint' ? actual !== BigInt.asUintN(64, lane) : actual !== lane) return false;
  }
  return true;
}

function showExpected(e: WastExpected): string {
  if (e.type === 'either') return `either(${e.options.map(showExpected).join(', ')})`;
  if ('nan' in e) return `${e.type} ${e.nan}`;
  switch (e.type) {
    case 'f32':
      return `f32 0x${(e.value >>> 0).toString(16)}`;
    case 'f64':
      return `f64 0x${BigInt.asUintN(64, e.value).toString(16)}`;
    case 'v128':
      return `v128 ${e.shape} ${e.lanes.map(String).join(' ')}`;
    case 'ref.null':
      return `ref.null ${e.refType ?? ''}`;
    case 'ref.extern':
    case 'ref.func':
      return `${e.type} ${e.value ?? ''}`;
    default:
      return `${e.type} ${e.value}`;
  }
}

/** An argument as the interpreter takes it (floats by their bits). */
function argument(v: WastValue): TypedValue {
  switch (v.type) {
    case 'i32':
      return { type: 'i32', value: v.value | 0 };
    case 'i64':
      return { type: 'i64', value: BigInt.asIntN(64, v.value) };
    case 'f32':
      return { type: 'f32', value: 0, bits: v.value >>> 0 };
    case 'f64':
      return { type: 'f64', value: 0, bits: BigInt.asUintN(64, v.value) };
    case 'v128':
      return { type: 'v128', value: v.value };
    case 'ref.null':
      return { type: v.refType ?? 'externref', value: null };
    case 'ref.extern':
      return { type: 'externref', value: v.value ?? 0 };
    case 'ref.func':
      return fail('ref.func arguments are not supported');
  }
}

/** The phase a module got through, or where it stopped. */
type Loaded =
  | { readonly ok: true; readonly module: Module }
  | { readonly ok: false; readonly phase: 'malformed' | 'invalid'; readonly error: Error };

class Runner {
  readonly limits: ResourceLimits;
  readonly budget: number;
  readonly version: Version;
  readonly registered = new Map<string, Map<string, ExternValue>>();
  readonly named = new Map<string, Instance>();
  current: Instance | undefined;
  /** Module definitions (3.0 scripts) by name, and the last one, for `module instance`. */
  readonly definitions = new Map<string, Module>();
  lastDefinition: Module | undefined;

  constructor(options: RunWastOptions) {
    this.limits = options.limits ?? DEFAULT_LIMITS;
    this.budget = options.budget ?? 2 ** 32;
    this.version = options.version ?? '3.0';
    this.registered.set('spectest', spectest(this.limits));
  }

  /** Parses or decodes a script module, then validates it. */
  load(m: WastModule): Loaded {
    let module: Module;
    try {
      if (m.kind === 'text-error') return { ok: false, phase: 'malformed', error: m.error };
      if (m.kind === 'text') module = m.module;
      else if (m.kind === 'binary') module = decodeModule(m.bytes, { version: this.version });
      else module = parseQuoted(m, { version: this.version });
    } catch (e) {
      if (e instanceof DecodeError || e instanceof ParseError) return { ok: false, phase: 'malformed', error: e };
      throw e;
    }
    try {
      validateModule(module, { version: this.version });
    } catch (e) {
      if (e instanceof ValidationError) return { ok: false, phase: 'invalid', error: e };
      throw e;
    }
    return { ok: true, module };
  }

  resolve = (module: string, name: string): ImportValue | undefined => this.registered.get(module)?.get(name);

  instantiate(module: Module): Instance {
    return instantiate(module, this.resolve, { limits: this.limits, validate: false, startBudget: this.budget });
  }

  instance(id: string | undefined): Instance {
    const inst = id === undefined ? this.current : this.named.get(id);
    if (inst === undefined) fail(id === undefined ? 'no module to act on' : `unknown module ${id}`);
    return inst;
  }

  /** Performs an action; returns its results, or throws what it threw. */
  act(a: Action): TypedValue[] {
    const inst = this.instance(a.module);
    const ex = inst.exports.get(a.name);
    if (a.type === 'get') {
      if (!(ex instanceof GlobalInstance)) fail(`no exported global "${a.name}"`);
      return [ex.typed];
    }
    if (!(ex instanceof WasmFunction || ex instanceof HostFunction)) fail(`no exported function "${a.name}"`);
    return callFunctionTyped(ex, a.args.map(argument), { limits: this.limits, budget: this.budget });
  }

  command(c: Command): void {
    switch (c.type) {
      case 'module': {
        const loaded = this.load(c.module);
        if (!loaded.ok) fail(`module rejected (${loaded.phase}): ${describe(loaded.error)}`);
        if (c.module.definition) {
          // Defined, not instantiated: each `module instance` makes a new instance of it.
          this.lastDefinition = loaded.module;
          if (c.module.id !== undefined) this.definitions.set(c.module.id, loaded.module);
          return;
        }
        const inst = this.instantiate(loaded.module);
        this.current = inst;
        if (c.module.id !== undefined) this.named.set(c.module.id, inst);
        return;
      }
      case 'module_instance': {
        const def = c.module === undefined ? this.lastDefinition : this.definitions.get(c.module);
        if (def === undefined) fail(c.module === undefined ? 'no module definition to instantiate' : `unknown module definition ${c.module}`);
        const inst = this.instantiate(def);
        this.current = inst;
        if (c.instance !== undefined) this.named.set(c.instance, inst);
        return;
      }
      case 'register': {
        const inst = this.instance(c.module);
        this.registered.set(c.name, inst.exports);
        return;
      }
      case 'action':
        this.act(c.action);
        return;
      case 'assert_return': {
        const results = this.act(c.action);
        if (results.length !== c.expected.length) fail(`expected ${c.expected.length} results, got ${results.length}`);
        results.forEach((r, i) => {
          const e = c.expected[i]!;
          if (!matches(r, e)) fail(`result ${i}: expected ${showExpected(e)}, got ${show(r)}`);
        });
        return;
      }
      case 'assert_trap':
      case 'assert_exhaustion': {
        let results: TypedValue[];
        try {
          results = this.act(c.action);
        } catch (e) {
          if (e instanceof Trap) {
            if (!e.specMessage.startsWith(c.message)) fail(`expected trap "${c.message}", got "${e.specMessage}"`);
            return;
          }
          throw e;
        }
        return fail(`expected trap "${c.message}", got results ${results.map(show).join(', ')}`);
      }
      case 'assert_exception': {
        let results: TypedValue[];
        try {
          results = this.act(c.action);
        } catch (e) {
          if (e instanceof WasmThrow) return;
          throw e;
        }
        return fail(`expected an uncaught exception, got results ${results.map(show).join(', ')}`);
      }
      case 'assert_trap_module':
      case 'assert_uninstantiable': {
        const loaded = this.load(c.module);
        if (!loaded.ok) fail(`module rejected (${loaded.phase}): ${describe(loaded.error)}`);
        try {
          this.instantiate(loaded.module);
        } catch (e) {
          if (e instanceof Trap) {
            if (!e.specMessage.startsWith(c.message)) fail(`expected trap "${c.message}", got "${e.specMessage}"`);
            return;
          }
          throw e;
        }
        return fail(`expected instantiation to trap with "${c.message}"`);
      }
      case 'assert_unlinkable': {
        const loaded = this.load(c.module);
        if (!loaded.ok) fail(`module rejected (${loaded.phase}): ${describe(loaded.error)}`);
        try {
          this.instantiate(loaded.module);
        } catch (e) {
          if (e instanceof LinkError) {
            if (!e.specMessage.startsWith(c.message)) fail(`expected link error "${c.message}", got "${e.specMessage}"`);
            return;
          }
          throw e;
        }
        return fail(`expected link error "${c.message}"`);
      }
      case 'assert_malformed': {
        const loaded = this.load(c.module);
        if (loaded.ok) fail(`expected malformed module ("${c.message}"), but it loaded`);
        if (loaded.phase !== 'malformed') fail(`expected malformed ("${c.message}"), got invalid: ${describe(loaded.error)}`);
        return;
      }
      case 'assert_malformed_custom':
      case 'assert_invalid_custom': {
        // The error is in a custom section or annotation (names, branch hints, @custom), which
        // wasmstep does not interpret; errors there are never the module's
        // (https://webassembly.github.io/spec/core/appendix/custom.html), so the module must
        // be well-formed without them (what a processor reports first, it may not reach).
        const loaded = this.load(c.module);
        if (!loaded.ok && loaded.phase === 'malformed') fail(`module malformed beyond its custom sections or annotations ("${c.message}"): ${describe(loaded.error)}`);
        return;
      }
      case 'assert_invalid': {
        const loaded = this.load(c.module);
        if (loaded.ok) fail(`expected invalid module ("${c.message}"), but it validated`);
        if (loaded.phase !== 'invalid') fail(`expected invalid ("${c.message}"), got malformed: ${describe(loaded.error)}`);
        return;
      }
    }
  }
}

/** Runs a .wast script; every command gets a result (a script that does not parse yields one failed result). */
export function runWast(source: string, options: RunWastOptions = {}): WastReport {
  const results: CommandResult[] = [];
  let commands: Command[];
  try {
    commands = parseWast(source, { version: options.version ?? '3.0' });
  } catch (e) {
    const line = e instanceof ParseError ? e.line : 0;
    return { results: [{ line, type: 'module', passed: false, reason: `script does not parse: ${describe(e)}` }], passed: 0, failed: 1 };
  }
  const runner = new Runner(options);
  for (const c of commands) {
    try {
      runner.command(c);
      results.push({ line: c.line, type: c.type, passed: true });
    } catch (e) {
      const reason = e instanceof Failure ? e.message : `unexpected ${describe(e)}`;
      results.push({ line: c.line, type: c.type, passed: false, reason });
    }
  }
  const passed = results.filter((r) => r.passed).length;
  return { results, passed, failed: results.length - passed };
}
