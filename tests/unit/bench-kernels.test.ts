// The benchmark kernels (bench/wasm/*.wasm, built from bench/c/) compute the right
// checksum on our engine: the same as V8 running the same module. A correctness test,
// not a timing one (speed is `npm run bench`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KERNEL_DIR, kernelNames, runOurs } from '../../bench/kernels.ts';

describe('benchmark kernels', () => {
  const names = kernelNames();

  it('are all present', () => {
    expect(names).toEqual(expect.arrayContaining(['fib', 'sieve', 'matmul', 'crc32', 'sha256', 'simd']));
  });

  for (const name of names) {
    it(`${name}: our checksum is V8's`, () => {
      const bytes = new Uint8Array(readFileSync(join(KERNEL_DIR, `${name}.wasm`)));
      const v8 = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.run as () => number;
      const ours = runOurs(bytes);
      expect(ours.checksum).toBe(v8() >>> 0);
      expect(ours.instructions).toBeGreaterThan(1_000_000);
    }, 120_000);
  }
});
