// WebAssembly.Exception (https://webassembly.github.io/exception-handling/js-api/#runtime-exceptions)
// over the engine's ExceptionInstance (engine/exec/exceptions.ts), and the two ways an
// exception crosses the JS boundary
// (https://webassembly.github.io/exception-handling/js-api/#js-exceptions):
// - out of wasm: an exception with WebAssembly.JSTag is the JS value it carries, thrown
//   as is; any other is its Exception object (one per ExceptionInstance, the JS API's
//   exception object cache, so a rethrown exception is the very object JS threw);
// - into wasm: an Exception object is its ExceptionInstance; any other thrown JS value is
//   wrapped in a fresh exception with JSTag, which wasm catches with catch_all or JSTag.

import { ExceptionInstance, type HostValue, JS_TAG, Trap } from '../exec/index.ts';
import { refTypeParts, type ValType } from '../syntax/index.ts';
import { RuntimeError } from './errors.ts';
import { dictionary, enforceRangeU32, isObject, webIdlInterface } from './idl.ts';
import { toJSValue, toWasmValue } from './js-values.ts';
import { tagArgument } from './tag.ts';

const exceptions = new WeakMap<object, ExceptionInstance>();
const objects = new WeakMap<ExceptionInstance, Exception>();
const stacks = new WeakMap<Exception, string | undefined>();

/** The exception options dictionary (https://webassembly.github.io/exception-handling/js-api/#dictdef-exceptionoptions). */
export interface ExceptionOptions {
  readonly traceStack?: boolean;
}

/** Types no JS value converts to or from: v128 and exception references. */
function isOpaque(t: ValType): boolean {
  if (t === 'v128') return true;
  const heap = refTypeParts(t)?.heap;
  return heap === 'exn' || heap === 'noexn';
}

/** A Web IDL `sequence<any>`: an iterable object, read through its @@iterator. */
function anySequence(v: unknown, what: string): unknown[] {
  if (!isObject(v)) throw new TypeError(`${what} must be a sequence`);
  const method = (v as { [Symbol.iterator]?: unknown })[Symbol.iterator];
  if (typeof method !== 'function') throw new TypeError(`${what} must be iterable`);
  return [...{ [Symbol.iterator]: () => Reflect.apply(method, v, []) as Iterator<unknown> }];
}

function exceptionOf(e: unknown): ExceptionInstance {
  const exn = typeof e === 'object' && e !== null ? exceptions.get(e) : undefined;
  if (exn === undefined) throw new TypeError('not a WebAssembly.Exception');
  return exn;
}

export class Exception {
  // options is a rest parameter so that `length` is 2, as Web IDL counts only required arguments.
  constructor(exceptionTag: unknown, payload: unknown, ...rest: [options?: ExceptionOptions]) {
    // Web IDL converts every argument before the constructor's steps run.
    const tag = tagArgument(exceptionTag, 'the exception tag');
    const values = anySequence(payload, 'the payload');
    const traceStack = Boolean(dictionary(rest[0], 'the exception options').traceStack);
    if (tag === JS_TAG) throw new TypeError('an exception with WebAssembly.JSTag cannot be made from JS: throw the value itself');
    const params = tag.type.params;
    if (values.length !== params.length) throw new TypeError(`the tag takes ${params.length} values, the payload has ${values.length}`);
    const wasmValues = params.map((t, i) => {
      if (isOpaque(t)) throw new TypeError(`a ${t} value cannot be made from JS`);
      return toWasmValue(values[i], t);
    });
    register(this, new ExceptionInstance(tag, wasmValues));
    // The stack is the JS stack here, as an Error's; the JS API leaves its form to the host.
    stacks.set(this, traceStack ? new Error().stack : undefined);
  }

  /** The payload value at `index`, as JS sees it. */
  getArg(exceptionTag: unknown, index: unknown): unknown {
    const exn = exceptionOf(this);
    // Web IDL checks both arguments (missing index: undefined fails EnforceRange) before the steps.
    const tag = tagArgument(exceptionTag, 'the exception tag');
    const i = enforceRangeU32(index, 'the index');
    if (exn.tag !== tag) throw new TypeError('the exception does not have this tag');
    if (i >= exn.values.length) throw new RangeError(`index ${i} is out of range: the exception has ${exn.values.length} values`);
    const t = tag.type.params[i]!;
    if (isOpaque(t)) throw new TypeError(`a ${t} value cannot be read from JS`);
    return toJSValue(exn.values[i], t);
  }

  /** Whether the exception has this tag. */
  is(exceptionTag: unknown): boolean {
    const exn = exceptionOf(this);
    return exn.tag === tagArgument(exceptionTag, 'the exception tag');
  }

  /** The JS stack where the exception was made, when made with `{ traceStack: true }`. */
  get stack(): string | undefined {
    exceptionOf(this);
    return stacks.get(this);
  }
}

webIdlInterface(Exception, 'Exception');

function register(e: Exception, exn: ExceptionInstance): void {
  exceptions.set(e, exn);
  objects.set(exn, e);
}

/** The one Exception object of an engine exception (made by wasm: it has no stack). */
export function wrapException(exn: ExceptionInstance): Exception {
  let e = objects.get(exn);
  if (e === undefined) {
    e = Object.create(Exception.prototype) as Exception;
    register(e, exn);
  }
  return e;
}

/** The engine exception behind an Exception object, or undefined for any other value. */
export function exceptionInstanceOf(v: unknown): ExceptionInstance | undefined {
  return typeof v === 'object' && v !== null ? exceptions.get(v) : undefined;
}

/** What JS sees thrown for a wasm exception leaving wasm: JSTag's JS value, or the Exception object. */
export function thrownToJS(exn: ExceptionInstance): unknown {
  if (exn.tag === JS_TAG) return toJSValue(exn.values[0], 'externref');
  return wrapException(exn);
}

/**
 * Whether a JS error stands for a trap or a stack overflow: those stay uncatchable by wasm
 * even when they passed through JS on the way (a wasm export called by a JS import
 * trapped), as in V8; a trap must not become an exception by crossing a JS frame.
 */
function isUncatchable(v: unknown): boolean {
  if (v instanceof RuntimeError || v instanceof RangeError) return v.cause instanceof Trap || /call stack/i.test(v.message);
  return false;
}

/**
 * The wasm exception for a JS value a JS import threw (the instance's onHostError): an
 * Exception's own, or the value wrapped with JSTag; undefined for a trap or a stack
 * overflow, which leave wasm as they are.
 */
export function thrownToWasm(v: unknown): ExceptionInstance | undefined {
  if (isUncatchable(v)) return undefined;
  return exceptionInstanceOf(v) ?? new ExceptionInstance(JS_TAG, [toWasmValue(v, 'externref') as HostValue]);
}
