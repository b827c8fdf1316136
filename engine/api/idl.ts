// The few Web IDL conversions the JS API's signatures imply
// (https://webassembly.github.io/spec/js-api/#idl-index, https://webidl.spec.whatwg.org/#es-type-mapping):
// descriptor dictionaries, `[EnforceRange] unsigned long`, and BufferSource arguments.
// A browser's bindings do these before the API's own steps run; we do them by hand.

/** Whether v is an ECMAScript Object (what Type(v) is Object means). */
export function isObject(v: unknown): v is object {
  return (typeof v === 'object' && v !== null) || typeof v === 'function';
}

/**
 * A dictionary argument: undefined and null are an empty dictionary, any other
 * non-object is a TypeError. Members are then read with Get, in the order the caller asks
 * (Web IDL reads them in lexicographic order; callers follow that).
 */
export function dictionary(v: unknown, what: string): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (!isObject(v)) throw new TypeError(`${what} must be an object`);
  return v as Record<string, unknown>;
}

/** `[EnforceRange] unsigned long`: a finite number, truncated, in [0, 2^32 - 1], else TypeError. */
export function enforceRangeU32(v: unknown, what: string): number {
  const n = +(v as number);
  if (!Number.isFinite(n)) throw new TypeError(`${what} must be a finite number, got ${String(n)}`);
  const x = Math.trunc(n);
  if (x < 0 || x > 0xffff_ffff) throw new TypeError(`${what} must be in the range 0 to 4294967295, got ${x}`);
  return x;
}

const byteLengthOf = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength')!.get!;

/** Whether v is an ArrayBuffer (not a SharedArrayBuffer), from any realm. */
function isArrayBuffer(v: unknown): v is ArrayBuffer {
  // The byteLength getter checks the internal slot: a brand check that neither
  // ArrayBuffer.prototype (whose toStringTag says "ArrayBuffer") nor a shared buffer passes.
  try {
    byteLengthOf.call(v);
    return true;
  } catch {
    return false;
  }
}

/**
 * A BufferSource argument (an ArrayBuffer or a view of one), copied, as the JS API's "get a
 * copy of the buffer source" does: later writes to the caller's buffer change nothing.
 */
export function copyBufferSource(source: unknown): Uint8Array {
  if (ArrayBuffer.isView(source)) {
    return new Uint8Array(source.buffer, source.byteOffset, source.byteLength).slice();
  }
  if (isArrayBuffer(source)) return new Uint8Array(source).slice();
  throw new TypeError('the argument must be an ArrayBuffer or an ArrayBuffer view (a typed array or DataView)');
}

/**
 * Gives a class the shape Web IDL gives an interface
 * (https://webidl.spec.whatwg.org/#es-interfaces): its operations and attributes —
 * methods and accessors on the prototype, static methods on the class — are enumerable
 * (class syntax makes them non-enumerable), and the prototype carries
 * `Symbol.toStringTag` `WebAssembly.<name>`, so `String(new Memory(…))` is
 * "[object WebAssembly.Memory]".
 */
export function webIdlInterface(cls: abstract new (...args: never[]) => unknown, name: string): void {
  const proto = cls.prototype as object;
  for (const key of Object.getOwnPropertyNames(proto)) {
    if (key !== 'constructor') Object.defineProperty(proto, key, { enumerable: true });
  }
  for (const key of Object.getOwnPropertyNames(cls)) {
    if (key !== 'prototype' && key !== 'length' && key !== 'name') Object.defineProperty(cls, key, { enumerable: true });
  }
  Object.defineProperty(cls.prototype, Symbol.toStringTag, { value: `WebAssembly.${name}`, configurable: true });
}

/**
 * The namespace object (https://webidl.spec.whatwg.org/#es-namespaces): its operations are
 * writable, enumerable and configurable; the interfaces exposed on it are writable and
 * configurable but not enumerable, like a global constructor; and it carries
 * `Symbol.toStringTag` `name`.
 */
export function webIdlNamespace<T extends object>(name: string, interfaces: object, operations: object, constants: object = {}): T {
  const ns = {};
  for (const [key, value] of Object.entries(interfaces)) {
    Object.defineProperty(ns, key, { value, writable: true, configurable: true, enumerable: false });
  }
  for (const [key, value] of Object.entries(operations)) {
    Object.defineProperty(ns, key, { value, writable: true, configurable: true, enumerable: true });
  }
  for (const [key, value] of Object.entries(constants)) {
    Object.defineProperty(ns, key, { value, writable: false, configurable: true, enumerable: false });
  }
  Object.defineProperty(ns, Symbol.toStringTag, { value: name, configurable: true });
  return ns as T;
}
