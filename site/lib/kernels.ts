// The JavaScript halves of the measured comparison in "When to reach for WebAssembly",
// each written to do exactly what its WebAssembly twin in public/examples/ch13-kernels.wat
// does, plus the statistics the comparison reports (medians and their ratio).

/** How many primes are ≤ n: the sieve of Eratosthenes over a byte per number. */
export function sieveJs(n: number, flags: Uint8Array): number {
  flags.fill(0, 0, n + 1);
  for (let i = 2; i * i <= n; i++) {
    if (flags[i] === 0) for (let j = i * i; j <= n; j += i) flags[j] = 1;
  }
  let count = 0;
  for (let i = 2; i <= n; i++) if (flags[i] === 0) count++;
  return count;
}

/**
 * 64-bit FNV-1a of `bytes`, as a careful JavaScript programmer writes it: JavaScript
 * numbers hold integers exactly only up to 2^53, so the 64-bit hash is kept as two
 * 32-bit halves (hi, lo) and the multiplication by the prime 2^40 + 0x1b3 is done by hand.
 * (BigInt would be simpler and far slower.)
 */
export function fnv1aJs(bytes: Uint8Array): bigint {
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let k = 0; k < bytes.length; k++) {
    lo = (lo ^ bytes[k]!) >>> 0;
    // (hi·2^32 + lo) · (2^40 + 0x1b3) mod 2^64
    const low = lo * 0x1b3; // < 2^41: exact in a double
    const carry = Math.floor(low / 0x1_0000_0000);
    hi = (Math.imul(hi, 0x1b3) + carry + (lo << 8)) >>> 0;
    lo = low >>> 0;
  }
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** The bytes the hash kernel reads: a fixed xorshift32 sequence, the same on every run. */
export function testBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = 0x9e3779b9;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

/** The median of some timings (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** How many times faster the WebAssembly run was: >1 means wasm was faster. */
export function speedup(jsMedian: number, wasmMedian: number): number {
  return jsMedian / Math.max(wasmMedian, Number.EPSILON);
}
