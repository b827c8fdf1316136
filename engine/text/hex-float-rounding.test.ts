// Hexadecimal float literals with more significant bits than the format holds are rounded
// to nearest, ties to even (https://webassembly.github.io/spec/core/text/values.html#floating-point).
// Checked against a small exact model here rather than wat2wasm: wabt rounds some of
// them one unit too low (the cases below are ones it gets wrong), which is why the
// wat2wasm fuzzer (tests/support/wat-gen-literals.ts) only writes exact hex mantissas.
import { describe, expect, it } from 'vitest';
import { rng } from '../../tests/fuzz/rng.ts';
import { parseF32, parseF64 } from './numbers.ts';

/** The bits of a positive hex literal `0xI.FpE` in a binary format, for normal results only. */
function exactBits(lit: string, mantBits: number, expBits: number): bigint {
  const m = /^0x([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?$/i.exec(lit.replaceAll('_', ''))!;
  const frac = m[2] ?? '';
  let sig = BigInt('0x' + (m[1]! + frac || '0'));
  let exp = Number(m[3] ?? 0) - 4 * frac.length; // value = sig · 2^exp
  const width = sig.toString(2).length;
  const keep = mantBits + 1; // with the implicit leading 1
  if (width > keep) {
    const drop = BigInt(width - keep);
    const rest = sig & ((1n << drop) - 1n);
    const half = 1n << (drop - 1n);
    sig >>= drop;
    exp += Number(drop);
    if (rest > half || (rest === half && (sig & 1n) === 1n)) sig += 1n;
    if (sig >> BigInt(keep) !== 0n) {
      sig >>= 1n;
      exp += 1;
    }
  } else {
    exp -= keep - width;
    sig <<= BigInt(keep - width);
  }
  const bias = (1 << (expBits - 1)) - 1;
  const e = BigInt(exp + mantBits + bias);
  if (e <= 0n || e >= (1n << BigInt(expBits)) - 1n) throw new Error(`${lit}: not a normal number`);
  return (e << BigInt(mantBits)) | (sig & ((1n << BigInt(mantBits)) - 1n));
}

const f32 = (lit: string): bigint => BigInt(parseF32(lit)!);

describe('hex float literals round to nearest, ties to even', () => {
  it('cases wabt writes one unit too low', () => {
    expect(f32('0x4.439856').toString(16)).toBe('4088730b'); // dropped bits 110: up
    expect(f32('0xCfE50.0d0').toString(16)).toBe('494fe501'); // dropped bits 1101: up
    for (const lit of ['0x4.439856', '0xCfE50.0d0', '0xBA.ba72ap+33', '0xcF12.aaep-16', '0x646.0305p-127']) expect(f32(lit)).toBe(exactBits(lit, 23, 8));
    for (const lit of ['0xB65F.d0909b94f7', '0x9BaeF.b3e9c3e56p-314', '0x5a52A058.7a4243P+243']) expect(parseF64(lit)).toBe(exactBits(lit, 52, 11));
  });

  it('ties go to even', () => {
    expect(f32('0x1.000001p+0')).toBe(0x3f80_0000n); // exactly half an ulp above 1: stays
    expect(f32('0x1.000003p+0')).toBe(0x3f80_0002n); // half above an odd significand: up
  });

  it('5,000 random literals match the exact model', () => {
    const r = rng(42);
    const hex = '0123456789abcdef';
    for (let i = 0; i < 5000; i++) {
      const d = (n: number): string => Array.from({ length: n }, () => hex[r.int(16)]).join('');
      const lit = `0x${1 + r.int(15)}${d(r.int(8))}.${d(r.int(16))}p${r.int(120) - 60}`;
      expect(f32(lit), lit).toBe(exactBits(lit, 23, 8));
      expect(parseF64(lit), lit).toBe(exactBits(lit, 52, 11));
    }
  });
});
