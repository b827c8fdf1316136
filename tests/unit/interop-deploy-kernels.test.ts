// The example modules and the pure logic behind the lessons "Talking to JavaScript",
// "Deploying" and "When to reach for WebAssembly": each committed .wasm is exactly our
// encoder's output for its .wat; the string round trip works on V8's real WebAssembly;
// the JavaScript kernels agree with their WebAssembly twins; the checker's verdicts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeModule, parseWat, validateModule, WasmStep } from '../../engine/index.ts';
import { assessCsp, assessHeaders, cspSummary, formatBytes, mediaType, streamable, type WasmHeaders } from '../../site/lib/deploy-check.ts';
import { greetExports, hexRows, roundTrip } from '../../site/lib/interop.ts';
import { fnv1aJs, median, sieveJs, speedup, testBytes } from '../../site/lib/kernels.ts';

const examples = join(import.meta.dirname, '..', '..', 'public', 'examples');
const read = (name: string): Uint8Array<ArrayBuffer> => new Uint8Array(readFileSync(join(examples, name)));

async function instance(name: string): Promise<WebAssembly.Exports> {
  const { instance } = await WebAssembly.instantiate(read(name));
  return instance.exports;
}

describe.each(['ch07-greet', 'ch07-imports', 'ch13-kernels'])('public/examples/%s.wasm', (name) => {
  it('is exactly our encoding of the .wat beside it', () => {
    const module = parseWat(readFileSync(join(examples, `${name}.wat`), 'utf8'));
    validateModule(module);
    expect([...read(`${name}.wasm`)]).toEqual([...encodeModule(module)]);
  });
});

describe('the imports-and-exports example (ch07-imports.wasm)', () => {
  it('does what the lesson\'s JavaScript says: logs 3, 2, 1 and counts one run', async () => {
    const logged: number[] = [];
    const { instance } = await WebAssembly.instantiate(read('ch07-imports.wasm'), { env: { log: (n: number) => logged.push(n) } });
    const exports = instance.exports as { countdown(n: number): void; runs: WebAssembly.Global; memory: WebAssembly.Memory };
    exports.countdown(3);
    expect(logged).toEqual([3, 2, 1]);
    expect(exports.runs.value).toBe(1);
    expect(exports.memory.buffer.byteLength).toBe(65_536);
  });

  it('will not instantiate without its import', async () => {
    await expect(WebAssembly.instantiate(read('ch07-imports.wasm'), {})).rejects.toThrow(TypeError);
    await expect(WebAssembly.instantiate(read('ch07-imports.wasm'), { env: {} })).rejects.toThrow(WebAssembly.LinkError);
  });
});

describe('the string round trip (ch07-greet.wasm)', () => {
  it('greets an ASCII name and says where everything went', async () => {
    const wasm = greetExports(await instance('ch07-greet.wasm'));
    const trip = roundTrip(wasm, 'Ada');
    expect(trip.text).toBe('Hello, Ada!');
    expect([...trip.input]).toEqual([0x41, 0x64, 0x61]);
    expect(trip.inputPtr).toBe(1024);
    expect(trip.outputPtr).toBe(1027);
    expect(trip.outputLength).toBe(11);
    // A second call allocates after the first: the bump allocator never frees.
    expect(roundTrip(wasm, 'Bo').inputPtr).toBe(1038);
  });

  it('carries multi-byte UTF-8 through untouched', async () => {
    const wasm = greetExports(await instance('ch07-greet.wasm'));
    const trip = roundTrip(wasm, 'Zoë 🦀');
    expect(trip.input.length).toBe(9); // Z o ë(2) space 🦀(4)
    expect(trip.text).toBe('Hello, Zoë 🦀!');
    expect(trip.outputLength).toBe(17);
  });

  it('grows the memory for a long string, and the answer still reads back', async () => {
    const wasm = greetExports(await instance('ch07-greet.wasm'));
    const long = 'x'.repeat(70_000);
    const trip = roundTrip(wasm, long);
    expect(trip.memoryBefore).toBe(65_536);
    expect(trip.memoryAfter).toBe(3 * 65_536);
    expect(trip.text).toBe(`Hello, ${long}!`);
  });

  // "Growing memory detaches the buffer" in the lesson: true of V8, and of our facade
  // (the stepper's WebAssembly) at the moment wasm grows, not only when JS next looks.
  it.each([
    ['V8', WebAssembly],
    ['WasmStep', WasmStep as unknown as typeof WebAssembly],
  ])('on %s, a view made before a call that grows the memory has length 0 after it', async (_, W) => {
    const { instance } = await W.instantiate(read('ch07-greet.wasm'));
    const { memory, alloc } = instance.exports as { memory: WebAssembly.Memory; alloc(size: number): number };
    const view = new Uint8Array(memory.buffer);
    expect(view.length).toBe(65_536);
    alloc(70_000);
    expect(view.length).toBe(0);
    expect(memory.buffer.byteLength).toBeGreaterThan(65_536);
  });

  it('rejects a module without the expected exports', async () => {
    expect(() => greetExports({})).toThrow(/memory, alloc and greet/);
  });

  it('lays bytes out as a hex dump with printable ASCII', () => {
    const rows = hexRows(new TextEncoder().encode('Hello, Zoë! 0123456789'), 0x400);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual({ address: '0x00400', hex: '48 65 6c 6c 6f 2c 20 5a 6f c3 ab 21 20 30 31 32', ascii: 'Hello, Zo··! 012' });
    expect(rows[1]?.address).toBe('0x00410');
    expect(rows[1]?.ascii).toBe('3456789');
  });
});

describe('the comparison kernels (ch13-kernels.wasm)', () => {
  it('sieve: JavaScript and WebAssembly count the same primes', async () => {
    const wasm = (await instance('ch13-kernels.wasm')) as { sieve(n: number): number };
    for (const [n, primes] of [[10, 4], [100, 25], [1_000_000, 78_498]] as const) {
      expect(sieveJs(n, new Uint8Array(n + 1))).toBe(primes);
      expect(wasm.sieve(n)).toBe(primes);
    }
    // The wasm sieve grows its memory as needed and still clears it between runs.
    expect(wasm.sieve(100)).toBe(25);
  });

  it('fnv1a: both match the published FNV-1a 64 test vectors and each other', async () => {
    const exports = await instance('ch13-kernels.wasm');
    const memory = exports.memory as WebAssembly.Memory;
    const fnv1a = exports.fnv1a as (ptr: number, len: number) => bigint;
    const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);
    const vectors: [string, bigint][] = [
      ['', 0xcbf29ce484222325n],
      ['a', 0xaf63dc4c8601ec8cn],
      ['foobar', 0x85944171f73967e8n],
    ];
    for (const [text, hash] of vectors) {
      const bytes = new TextEncoder().encode(text);
      new Uint8Array(memory.buffer).set(bytes, 0);
      expect(fnv1aJs(bytes)).toBe(hash);
      expect(u64(fnv1a(0, bytes.length))).toBe(hash);
    }
    const data = testBytes(50_000);
    new Uint8Array(memory.buffer).set(data, 0);
    expect(u64(fnv1a(0, data.length))).toBe(fnv1aJs(data));
  });

  it('test data is the same every time and not trivial', () => {
    expect([...testBytes(8)]).toEqual([...testBytes(8)]);
    expect(new Set(testBytes(4096)).size).toBeGreaterThan(200);
  });

  it('median and speedup', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
    expect(speedup(30, 10)).toBe(3);
    expect(speedup(10, 20)).toBe(0.5);
  });
});

describe('the deployment checker', () => {
  const base: WasmHeaders = { contentType: 'application/wasm', contentEncoding: null, cacheControl: 'no-cache', etag: null, lastModified: null };
  const verdict = (h: Partial<WasmHeaders>, topic: string) => assessHeaders({ ...base, ...h }).find((f) => f.topic === topic)?.verdict;

  it('wants exactly application/wasm, in any case, without parameters', () => {
    expect(mediaType('Application/WASM; charset=binary')).toBe('application/wasm');
    expect(mediaType(null)).toBeNull();
    // The web-platform tests' valid and invalid Content-Types (wasm/webapi/contenttype.any.js).
    for (const ok of ['application/wasm', 'APPLICATION/wasm', 'APPLICATION/WASM']) expect(streamable(ok)).toBe(true);
    for (const bad of [null, '', 'application/javascript', 'application/octet-stream', 'text/wasm', 'application/wasm;', 'application/wasm;x', 'application/wasm;charset=UTF-8']) {
      expect(streamable(bad), String(bad)).toBe(false);
    }
    expect(verdict({ contentType: 'application/wasm; charset=utf-8' }, 'Content-Type')).toBe('problem');
    expect(verdict({}, 'Content-Type')).toBe('good');
    expect(verdict({ contentType: 'application/octet-stream' }, 'Content-Type')).toBe('problem');
    expect(verdict({ contentType: null }, 'Content-Type')).toBe('problem');
  });

  it('reports compression, caching and validators', () => {
    expect(verdict({}, 'Compression')).toBe('note');
    expect(verdict({ contentEncoding: 'br' }, 'Compression')).toBe('good');
    expect(verdict({}, 'Caching')).toBe('good');
    expect(verdict({ cacheControl: null }, 'Caching')).toBe('note');
    expect(verdict({ cacheControl: 'public, max-age=31536000, immutable' }, 'Caching')).toBe('note');
    expect(verdict({ cacheControl: 'max-age=600' }, 'Caching')).toBe('good');
    expect(verdict({}, 'Revalidation')).toBe('note');
    expect(verdict({ etag: '"abc"' }, 'Revalidation')).toBe('good');
  });

  it("reads whether a page's CSP allows compiling WebAssembly", () => {
    expect(assessCsp(null).verdict).toBe('note');
    expect(assessCsp("default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-abc='").verdict).toBe('good');
    expect(assessCsp("script-src 'self' 'unsafe-eval'").verdict).toBe('good');
    expect(assessCsp("default-src 'self'").verdict).toBe('problem');
    expect(assessCsp("default-src 'self' 'wasm-unsafe-eval'; img-src *").verdict).toBe('good');
    // script-src replaces default-src, it does not add to it.
    expect(assessCsp("default-src 'wasm-unsafe-eval'; script-src 'self'").verdict).toBe('problem');
    // Only restricting images leaves scripts alone.
    expect(assessCsp("img-src 'self'").verdict).toBe('good');
    // Two policies: both must allow it.
    expect(assessCsp("script-src 'wasm-unsafe-eval', script-src 'self'").verdict).toBe('problem');
  });

  it('summarises the script sources of a policy', () => {
    expect(cspSummary(null)).toBe('(none)');
    expect(cspSummary("default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-a=' 'sha256-b='; img-src data:")).toBe(
      "script-src 'self' 'wasm-unsafe-eval' + 2 hashes",
    );
    expect(cspSummary("default-src 'self'")).toBe("default-src 'self'");
    expect(cspSummary("img-src 'self'")).toBe('no script-src or default-src');
  });

  it('formats sizes', () => {
    expect(formatBytes(41)).toBe('41 B');
    expect(formatBytes(2458)).toBe('2.4 KiB');
    expect(formatBytes(1_363_149)).toBe('1.3 MiB');
  });
});
