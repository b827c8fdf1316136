// A real toolchain program on the interpreter: brotli-wasm (Rust, wasm-bindgen; a
// devDependency's binary, read-only) compresses and decompresses through our engine, and
// Node's own brotli checks the bytes both ways. It exercises what small tests do not:
// ~1000 functions, deep call chains, a shadow stack in linear memory, i64 arithmetic.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeModule } from '../binary/index.ts';
import { instantiate } from './instantiate.ts';
import { exportedFunction, invoke } from './invoke.ts';
import { Machine } from './machine.ts';
import type { MemoryInstance } from './memory.ts';
import type { Instance } from './runtime.ts';

const file = path.resolve(import.meta.dirname, '../../node_modules/brotli-wasm/pkg.node/brotli_wasm_bg.wasm');

/** The few wasm-bindgen imports the (de)compress paths use; the error paths throw. */
function load(): Instance {
  const heap: unknown[] = new Array(32).fill(undefined);
  const unexpected = (what: string) => () => {
    throw new Error(`unexpected call to ${what}`);
  };
  return instantiate(decodeModule(readFileSync(file)), (module, name) => {
    if (module !== '__wbindgen_placeholder__') return undefined;
    if (name === '__wbindgen_is_undefined') return (i: unknown) => (heap[i as number] === undefined ? 1 : 0);
    if (name === '__wbindgen_is_object') return () => 0;
    if (name === '__wbindgen_object_drop_ref') return () => {};
    return unexpected(name);
  });
}

/** Calls `fn(retptr, ptr, len, …extra)` on a copy of `input`; returns the output bytes. */
function run(inst: Instance, fn: string, input: Uint8Array, extra: number[] = []): { out: Uint8Array; steps: number } {
  const mem = inst.exports.get('memory') as MemoryInstance;
  const retptr = invoke(inst, '__wbindgen_add_to_stack_pointer', [-16])[0] as number;
  const ptr = invoke(inst, '__wbindgen_malloc', [input.length])[0] as number;
  mem.bytes.set(input, ptr);
  const m = new Machine();
  m.start(exportedFunction(inst, fn), [retptr, ptr, input.length, ...extra]);
  expect(m.run()).toBe('done');
  const dv = new DataView(mem.buffer);
  const [p, len, , failed] = [0, 1, 2, 3].map((k) => dv.getInt32(retptr + 4 * k, true));
  expect(failed).toBe(0);
  const out = mem.bytes.slice(p!, p! + len!);
  invoke(inst, '__wbindgen_add_to_stack_pointer', [16]);
  return { out, steps: m.steps };
}

const text = new TextEncoder().encode(
  'WebAssembly, one instruction at a time. '.repeat(40) + Array.from({ length: 400 }, (_, i) => ((i * 7919) % 1000).toString()).join(','),
);

describe.skipIf(!existsSync(file))('brotli-wasm on the interpreter', () => {
  const inst = existsSync(file) ? load() : undefined;

  it('decompresses what Node compressed', () => {
    const { out, steps } = run(inst!, 'decompress', brotliCompressSync(text));
    expect(Buffer.from(out).equals(Buffer.from(text))).toBe(true);
    expect(steps).toBeGreaterThan(10_000);
  });

  it('compresses into what Node decompresses', () => {
    const { out } = run(inst!, 'compress', text, [31]); // heap slot 31: `undefined` options
    expect(out.length).toBeLessThan(text.length / 2);
    expect(Buffer.from(brotliDecompressSync(out)).equals(Buffer.from(text))).toBe(true);
  }, 60_000);
});
