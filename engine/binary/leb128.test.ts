import { describe, expect, it } from 'vitest';
import { DecodeError } from './error.ts';
import { decodeSigned, decodeUnsigned, encodeSigned, encodeU32, explain } from './leb128.ts';

const bytes = (...b: number[]) => Uint8Array.from(b);

function decodeError(run: () => unknown): DecodeError {
  try {
    run();
  } catch (error) {
    if (error instanceof DecodeError) return error;
    throw error;
  }
  throw new Error('expected a DecodeError');
}

describe('LEB128 encoding', () => {
  it('encodes the textbook examples', () => {
    expect([...encodeU32(0)]).toEqual([0x00]);
    expect([...encodeU32(127)]).toEqual([0x7f]);
    expect([...encodeU32(128)]).toEqual([0x80, 0x01]);
    expect([...encodeU32(624485)]).toEqual([0xe5, 0x8e, 0x26]);
    expect([...encodeU32(0xffff_ffff)]).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect([...encodeSigned(-123456n)]).toEqual([0xc0, 0xbb, 0x78]);
    expect([...encodeSigned(63n)]).toEqual([0x3f]);
    expect([...encodeSigned(64n)]).toEqual([0xc0, 0x00]);
    expect([...encodeSigned(-64n)]).toEqual([0x40]);
    expect([...encodeSigned(-65n)]).toEqual([0xbf, 0x7f]);
  });

  it('rejects values that are not u32', () => {
    expect(() => encodeU32(-1)).toThrow(RangeError);
    expect(() => encodeU32(2 ** 32)).toThrow(RangeError);
    expect(() => encodeU32(1.5)).toThrow(RangeError);
  });

  it('round-trips signed values at the edges of i32 and i64', () => {
    const values = [0n, 1n, -1n, 2n ** 31n - 1n, -(2n ** 31n), 2n ** 63n - 1n, -(2n ** 63n), 0x1234_5678_9abcn];
    for (const v of values) {
      const bits = v >= -(2n ** 31n) && v < 2n ** 31n ? 32 : 64;
      const encoded = encodeSigned(v);
      expect(decodeSigned(encoded, 0, bits)).toEqual({ value: v, length: encoded.length });
    }
  });

  it('round-trips 10,000 pseudo-random u32 values', () => {
    let seed = 12345;
    for (let i = 0; i < 10_000; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const encoded = encodeU32(seed);
      expect(decodeUnsigned(encoded, 0, 32).value).toBe(BigInt(seed));
    }
  });
});

describe('strict LEB128 decoding (spec wording and byte offsets)', () => {
  it('accepts padded encodings within the length limit', () => {
    expect(decodeUnsigned(bytes(0x80, 0x80, 0x80, 0x80, 0x00), 0, 32)).toEqual({ value: 0n, length: 5 });
    expect(decodeSigned(bytes(0xff, 0xff, 0xff, 0xff, 0x7f), 0, 32)).toEqual({ value: -1n, length: 5 });
  });

  it('reports "unexpected end" at the missing byte', () => {
    const error = decodeError(() => decodeUnsigned(bytes(0x00, 0x80, 0x80), 1, 32));
    expect(error.specMessage).toBe('unexpected end');
    expect(error.offset).toBe(3);
  });

  it('reports "integer representation too long" for a sixth byte', () => {
    const error = decodeError(() => decodeUnsigned(bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x00), 0, 32));
    expect(error.specMessage).toBe('integer representation too long');
    expect(error.offset).toBe(5);
    const signed = decodeError(() => decodeSigned(bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0x7f), 0, 32));
    expect(signed.specMessage).toBe('integer representation too long');
  });

  it('reports "integer too large" for unused bits that are set', () => {
    const unsigned = decodeError(() => decodeUnsigned(bytes(0xff, 0xff, 0xff, 0xff, 0x1f), 0, 32));
    expect(unsigned.specMessage).toBe('integer too large');
    expect(unsigned.offset).toBe(4);
    const signed = decodeError(() => decodeSigned(bytes(0xff, 0xff, 0xff, 0xff, 0x4f), 0, 32));
    expect(signed.specMessage).toBe('integer too large');
    const signed64 = decodeError(() => decodeSigned(bytes(...Array(9).fill(0x80), 0x02), 0, 64));
    expect(signed64.specMessage).toBe('integer too large');
    expect(signed64.message).toBe('integer too large (at byte 0x9)');
  });
});

describe('explain', () => {
  it('splits an encoding into continuation bits and payloads', () => {
    expect(explain(encodeU32(624485))).toEqual([
      { byte: 0xe5, continues: true, payload: 0x65, shift: 0 },
      { byte: 0x8e, continues: true, payload: 0x0e, shift: 7 },
      { byte: 0x26, continues: false, payload: 0x26, shift: 14 },
    ]);
  });
});
