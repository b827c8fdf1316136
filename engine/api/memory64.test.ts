// The facade's WebAssembly.Memory with an i64 address type (memory64,
// https://webassembly.github.io/memory64/js-api/): BigInt sizes in the descriptor and in
// grow, ToBigInt's conversions, and i64 memories shared with wasm.
import { describe, expect, it } from 'vitest';
import { instantiateWat, WasmStep } from './index.ts';

describe('WebAssembly.Memory({ address: "i64" })', () => {
  it('takes and returns sizes as BigInts', () => {
    const m = new WasmStep.Memory({ address: 'i64', initial: 1n, maximum: 3n });
    expect(m.buffer.byteLength).toBe(65536);
    expect(m.grow(2n)).toBe(1n);
    expect(m.buffer.byteLength).toBe(3 * 65536);
    expect(() => m.grow(1n)).toThrow(RangeError);
    expect(new WasmStep.Memory({ address: 'i64', initial: '2' as unknown as bigint }).buffer.byteLength).toBe(2 * 65536);
    expect(new WasmStep.Memory({ address: 'i64', initial: true as unknown as bigint }).buffer.byteLength).toBe(65536);
  });

  it('refuses Numbers, negative and too large sizes, and other address types', () => {
    expect(() => new WasmStep.Memory({ address: 'i64', initial: 1 })).toThrow(TypeError);
    expect(() => new WasmStep.Memory({ address: 'i64', initial: -1n })).toThrow(TypeError);
    expect(() => new WasmStep.Memory({ address: 'i64', initial: 0n, maximum: 1n << 64n })).toThrow(TypeError);
    expect(() => new WasmStep.Memory({ address: 'i64', initial: 10n, maximum: 9n })).toThrow(RangeError);
    expect(() => new WasmStep.Memory({ address: 'i128' as 'i64', initial: 1n })).toThrow(TypeError);
    // An i32 memory keeps Numbers.
    expect(() => new WasmStep.Memory({ initial: 1n })).toThrow(TypeError);
    expect(new WasmStep.Memory({ address: 'i32', initial: 1 }).grow(0)).toBe(1);
  });

  it('is imported by an i64 memory import and not by an i32 one', () => {
    const mem = new WasmStep.Memory({ address: 'i64', initial: 1n });
    new Uint8Array(mem.buffer)[65535] = 7;
    const inst = instantiateWat('(module (import "m" "mem" (memory i64 1)) (func (export "load") (param i64) (result i32) (i32.load8_u (local.get 0))))', { m: { mem } });
    expect(((inst.exports as Record<string, unknown>).load as (a: bigint) => number)(65535n)).toBe(7);
    expect(() => instantiateWat('(module (import "m" "mem" (memory 1)))', { m: { mem } })).toThrow(WasmStep.LinkError);
  });
});
