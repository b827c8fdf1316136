// Values crossing the JS boundary, as the JS API defines them: ToWebAssemblyValue and
// ToJSValue (https://webassembly.github.io/spec/js-api/#towebassemblyvalue,
// https://webassembly.github.io/spec/js-api/#tojsvalue), Exported Functions
// (https://webassembly.github.io/spec/js-api/#exported-function-exotic-objects) and host
// functions made from JS callables (https://webassembly.github.io/spec/js-api/#create-a-host-function).
//
// The engine's own boundary (engine/exec/values.ts) is strict and typed; this file adds the
// JS API's lenient conversions (ToInt32, ToBigInt64, ToNumber) in front of it, and maps
// the engine's traps to RuntimeError on the way out.
//
// Two representation details:
// - The engine keeps a funcref as its FuncInstance. JS sees one Exported Function per
//   FuncInstance (cached, so `table.get(0) === instance.exports.f` holds, as the JS API's
//   "exported function cache" requires), and passing that function back in yields the
//   same FuncInstance — that is how our own functions are imported across instances.
// - `undefined` is a non-null externref in the JS API, but the engine reads undefined as
//   "no value" and stores null. So undefined travels through the engine boxed as
//   UNDEFINED_REF and is unboxed when it comes back out.

import type { FuncType, ValType } from '../syntax/index.ts';
import {
  callFunction, type FuncInstance, HostFunction, type HostValue, type Instance, type ResourceLimits, Trap, TrapMessage, WasmThrow,
} from '../exec/index.ts';
import { RuntimeError } from './errors.ts';
import { exceptionInstanceOf, thrownToJS } from './exception.ts';

/** How calls into an instance run: a non-spec extension of the JS API (third argument of `new Instance`). */
export interface RunOptions {
  /** The interpreter's resource limits (engine/exec/limits.ts). */
  readonly limits?: ResourceLimits;
  /**
   * Most instructions one call from JS (or the start function) may run; running out throws
   * a RuntimeError "step budget exhausted". Unbounded by default, like a real engine.
   */
  readonly budget?: number;
}

class UndefinedRef {
  toString(): string {
    return 'undefined (as an externref)';
  }
}

/** `undefined` as the engine holds it in an externref (see the header). */
export const UNDEFINED_REF: object = Object.freeze(new UndefinedRef());

/** The run options of each engine instance, set by `new Instance`. */
export const runOptions = new WeakMap<Instance, RunOptions>();

const wrappers = new WeakMap<FuncInstance, (...args: unknown[]) => unknown>();
/** The function index a host function was imported at, for its Exported Function's name. */
const hostIndices = new WeakMap<HostFunction, number>();
const wrapped = new WeakMap<object, FuncInstance>();

/** The function instance behind an Exported Function, or undefined for any other value. */
export function funcOfExported(v: unknown): FuncInstance | undefined {
  return typeof v === 'function' ? wrapped.get(v) : undefined;
}

/** The message V8 uses too: a v128 cannot cross the JS boundary. */
const V128_MESSAGE = 'type incompatibility when transforming from/to JS';

function hasV128(t: FuncType): boolean {
  return t.params.includes('v128') || t.results.includes('v128');
}

/**
 * ToWebAssemblyValue: the JS value v as the engine takes a value of type t. Throws what the
 * spec's conversions throw: TypeError for a Number as i64 (ToBigInt), a BigInt as a number
 * type (ToNumber), any v128, and a funcref that is neither null nor an Exported Function.
 */
export function toWasmValue(v: unknown, t: ValType): HostValue {
  switch (t) {
    case 'i32':
      return +(v as number) | 0;
    case 'i64':
      // BigInt.asIntN applies ToBigInt to its argument: exactly ToBigInt64.
      return BigInt.asIntN(64, v as bigint);
    case 'f32':
      return Math.fround(+(v as number));
    case 'f64':
      return +(v as number);
    case 'v128':
      throw new TypeError(V128_MESSAGE);
    case 'funcref': {
      if (v === null) return null;
      const f = funcOfExported(v);
      if (f === undefined) throw new TypeError('a funcref must be null or an exported WebAssembly function');
      return f;
    }
    case 'externref':
      return v === undefined ? UNDEFINED_REF : v;
  }
}

/** DefaultValue(t) (https://webassembly.github.io/spec/js-api/#defaultvalue), in the engine's form. */
export function defaultValue(t: ValType): HostValue {
  switch (t) {
    case 'i64':
      return 0n;
    case 'funcref':
      return null;
    case 'externref':
      return UNDEFINED_REF;
    case 'v128':
      throw new TypeError(V128_MESSAGE);
    default:
      return 0;
  }
}

/** ToJSValue: an engine value of type t as JS sees it. */
export function toJSValue(v: HostValue, t: ValType): unknown {
  switch (t) {
    case 'v128':
      throw new TypeError(V128_MESSAGE);
    case 'funcref':
      return v === null || v === undefined ? null : exportedFunction(v as FuncInstance);
    case 'externref':
      return v === UNDEFINED_REF ? undefined : v;
    default:
      return v;
  }
}

/**
 * The JS error for an engine error thrown out of a call or an instantiation: a trap becomes
 * a RuntimeError; running out of call stack a RangeError, as the JS API's error mapping says
 * (https://webassembly.github.io/spec/js-api/#errors: "the same class of exception … as for
 * a stack overflow in JavaScript", which is RangeError in every engine). Anything else —
 * a host function's own exception — passes through unchanged.
 */
export function jsError(e: unknown): unknown {
  // A wasm exception no handler caught: JSTag's JS value, or the Exception object.
  if (e instanceof WasmThrow) return thrownToJS(e.exception);
  if (!(e instanceof Trap)) return e;
  if (e.specMessage === TrapMessage.callStackExhausted) return new RangeError(e.specMessage, { cause: e });
  return new RuntimeError(e.specMessage, { cause: e });
}

function runOptionsOf(f: FuncInstance): RunOptions {
  return f.kind === 'wasm' ? (runOptions.get(f.instance) ?? {}) : {};
}

/** Calls a function instance the way an Exported Function does: JS arguments in, JS result out. */
function callExported(f: FuncInstance, args: readonly unknown[]): unknown {
  const { params, results } = f.type;
  if (hasV128(f.type)) throw new TypeError(V128_MESSAGE);
  const values = params.map((t, i) => toWasmValue(args[i], t));
  let out: HostValue[];
  try {
    out = callFunction(f, values, runOptionsOf(f));
  } catch (e) {
    throw jsError(e);
  }
  if (results.length === 0) return undefined;
  if (results.length === 1) return toJSValue(out[0], results[0]!);
  return results.map((t, i) => toJSValue(out[i], t));
}

/**
 * The Exported Function for a function instance, created once per instance. Like the JS
 * API's, it is not a constructor, its `length` is the parameter count and its `name` the
 * function's index in its module (for a host function, the index it was imported at).
 */
export function exportedFunction(f: FuncInstance): (...args: unknown[]) => unknown {
  const cached = wrappers.get(f);
  if (cached !== undefined) return cached;
  const fn = (...args: unknown[]): unknown => callExported(f, args);
  let name: string;
  if (f.kind === 'wasm') name = String(f.index);
  else {
    const index = hostIndices.get(f);
    name = index === undefined ? f.name : String(index);
  }
  Object.defineProperty(fn, 'name', { value: name });
  Object.defineProperty(fn, 'length', { value: f.type.params.length });
  wrappers.set(f, fn);
  wrapped.set(fn, f);
  return fn;
}

/**
 * IteratorToList(GetIteratorFromMethod(v, GetMethod(v, @@iterator))), step by step as
 * ECMAScript does it: @@iterator and `next` are each read once, and each step reads `done`
 * and then `value` (a spread would read @@iterator twice here, and the order is observable).
 */
function iterableToList(v: unknown, expected: number): unknown[] {
  const method = v === null || v === undefined ? undefined : (v as { [Symbol.iterator]?: unknown })[Symbol.iterator];
  if (typeof method !== 'function') throw new TypeError(`a function returning ${expected} values must return an iterable`);
  const iterator: unknown = Reflect.apply(method, v, []);
  if (!isObjectLike(iterator)) throw new TypeError('the iterator is not an object');
  const next = (iterator as { next: unknown }).next;
  const list: unknown[] = [];
  for (;;) {
    if (typeof next !== 'function') throw new TypeError('the iterator has no next method');
    const step: unknown = Reflect.apply(next, iterator, []);
    if (!isObjectLike(step)) throw new TypeError('the iterator result is not an object');
    if ((step as { done: unknown }).done) return list;
    list.push((step as { value: unknown }).value);
  }
}

function isObjectLike(v: unknown): v is object {
  return (typeof v === 'object' && v !== null) || typeof v === 'function';
}

/**
 * A host function calling the JS callable `fn` (https://webassembly.github.io/spec/js-api/#create-a-host-function):
 * arguments through ToJSValue, the result through ToWebAssemblyValue, several results
 * taken from an iterable. Its exceptions propagate out of WebAssembly to the JS caller.
 */
export function hostFunctionFromJS(type: FuncType, fn: (...args: unknown[]) => unknown, name: string, funcIndex?: number): HostFunction {
  const { params, results } = type;
  const callback = (...args: HostValue[]): unknown => {
    if (hasV128(type)) throw new TypeError(V128_MESSAGE);
    let ret: unknown;
    try {
      ret = Reflect.apply(fn, undefined, params.map((t, i) => toJSValue(args[i], t)));
    } catch (e) {
      // A WebAssembly.Exception is thrown into wasm as the exception it is; any other
      // value goes to the instance's onHostError (engine/api/instance.ts), which wraps it with JSTag.
      const exn = exceptionInstanceOf(e);
      throw exn === undefined ? e : new WasmThrow(exn);
    }
    if (results.length === 0) return undefined;
    if (results.length === 1) return toWasmValue(ret, results[0]!);
    const list = iterableToList(ret, results.length);
    if (list.length !== results.length) throw new TypeError(`expected ${results.length} results, got ${list.length}`);
    return list.map((v, i) => toWasmValue(v, results[i]!));
  };
  const host = new HostFunction(type, callback, name);
  if (funcIndex !== undefined) hostIndices.set(host, funcIndex);
  return host;
}
