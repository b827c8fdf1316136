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

/**
 * A BufferSource argument (an ArrayBuffer or a view of one), copied, as the JS API's "get a
 * copy of the buffer source" does: later writes to the caller's buffer change nothing.
 */
export function copyBufferSource(source: unknown): Uint8Array {
  if (ArrayBuffer.isView(source)) {
    return new Uint8Array(source.buffer, source.byteOffset, source.byteLength).slice();
  }
  // By its brand rather than instanceof, so a buffer from another realm is accepted too.
  if (Object.prototype.toString.call(source) === '[object ArrayBuffer]') {
    return new Uint8Array(source as ArrayBuffer).slice();
  }
  throw new TypeError('the argument must be an ArrayBuffer or an ArrayBuffer view (a typed array or DataView)');
}
