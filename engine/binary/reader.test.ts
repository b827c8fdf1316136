import { describe, expect, it } from 'vitest';
import { DecodeError } from './error.ts';
import { decodeSigned, decodeUnsigned, encodeSigned, encodeU32 } from './leb128.ts';
import { Reader, decodeUtf8 } from './reader.ts';
import { Writer } from './writer.ts';

type Outcome = { value: string; length: number } | { error: string; offset: number };

function outcome(run: () => { value: bigint | number; length: number }): Outcome {
  try {
    const { value, length } = run();
    return { value: String(value), length };
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    return { error: error.specMessage, offset: error.offset };
  }
}

function viaReader(bytes: Uint8Array, read: (r: Reader) => bigint | number): Outcome {
  return outcome(() => {
    const r = new Reader(bytes);
    r.endMessage = 'unexpected end';
    const value = read(r);
    return { value, length: r.pos };
  });
}

/** Byte strings that probe every length and the boundary bits of the last byte. */
function samples(): Uint8Array[] {
  let state = 7;
  const random = () => {
    state = (state * 1103515245 + 12345) >>> 0;
    return state >>> 8;
  };
  const out: Uint8Array[] = [];
  const lastBytes = [0x00, 0x01, 0x07, 0x08, 0x0f, 0x10, 0x1f, 0x3f, 0x40, 0x70, 0x78, 0x7e, 0x7f, 0x80, 0xff];
  for (let length = 1; length <= 11; length++) {
    for (const last of lastBytes) {
      out.push(Uint8Array.from({ length }, (_, i) => (i === length - 1 ? last : 0x80 | (random() & 0x7f))));
      out.push(Uint8Array.from({ length }, (_, i) => (i === length - 1 ? last : 0xff)));
      out.push(Uint8Array.from({ length }, (_, i) => (i === length - 1 ? last : 0x80)));
    }
  }
  for (let i = 0; i < 2000; i++) out.push(Uint8Array.from({ length: 1 + (random() % 11) }, () => random() & 0xff));
  return out;
}

describe('Reader LEB128 fast paths', () => {
  const inputs = samples();

  it('u32 agrees with the strict reference decoder', () => {
    for (const bytes of inputs) {
      expect(viaReader(bytes, (r) => r.u32()), Array.from(bytes).join()).toEqual(outcome(() => decodeUnsigned(bytes, 0, 32)));
    }
  });

  it('s32 agrees with the strict reference decoder', () => {
    for (const bytes of inputs) {
      expect(viaReader(bytes, (r) => r.s32()), Array.from(bytes).join()).toEqual(outcome(() => decodeSigned(bytes, 0, 32)));
    }
  });

  it('s64 agrees with the strict reference decoder', () => {
    for (const bytes of inputs) {
      expect(viaReader(bytes, (r) => r.s64()), Array.from(bytes).join()).toEqual(outcome(() => decodeSigned(bytes, 0, 64)));
    }
  });

  it('s33 accepts exactly the 33-bit signed range', () => {
    const cases: [number[], number | string][] = [
      [[0x00], 0],
      [[0x7f], -1],
      [[0xff, 0xff, 0xff, 0xff, 0x0f], 0xffff_ffff],
      [[0x80, 0x80, 0x80, 0x80, 0x70], -(2 ** 32)],
      [[0x80, 0x80, 0x80, 0x80, 0x10], 'integer too large'],
      [[0x80, 0x80, 0x80, 0x80, 0x80, 0x00], 'integer representation too long'],
    ];
    for (const [bytes, expected] of cases) {
      const result = viaReader(Uint8Array.from(bytes), (r) => r.s33());
      if (typeof expected === 'number') expect(result).toEqual({ value: String(expected), length: bytes.length });
      else expect(result).toMatchObject({ error: expected });
    }
  });

  it('writes what it reads, minimally', () => {
    const w = new Writer(4);
    const values = [0, 1, -1, 63, 64, -64, -65, 2 ** 31 - 1, -(2 ** 31), 624485, -123456];
    for (const v of values) w.s32(v);
    for (const v of [0, 127, 128, 2 ** 32 - 1]) w.u32(v);
    for (const v of [0n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 40n, -(2n ** 50n) - 3n]) w.s64(v);
    const bytes = w.finish();
    const expected = [
      ...values.flatMap((v) => [...encodeSigned(BigInt(v))]),
      ...[0, 127, 128, 2 ** 32 - 1].flatMap((v) => [...encodeU32(v)]),
      ...[0n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 40n, -(2n ** 50n) - 3n].flatMap((v) => [...encodeSigned(v)]),
    ];
    expect(Array.from(bytes)).toEqual(expected);
    const r = new Reader(bytes);
    expect(values.map(() => r.s32())).toEqual(values);
    expect([0, 1, 2, 3].map(() => r.u32())).toEqual([0, 127, 128, 2 ** 32 - 1]);
    expect([0, 1, 2, 3, 4, 5].map(() => r.s64())).toEqual([0n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 40n, -(2n ** 50n) - 3n]);
    expect(r.atEnd()).toBe(true);
  });

  it('reserves and back-fills sizes minimally', () => {
    const w = new Writer(2);
    w.u8(0xaa);
    const mark = w.beginSized();
    for (let i = 0; i < 200; i++) w.u8(i);
    expect(w.endSized(mark)).toBe(3); // 200 takes 2 bytes, not 5
    const bytes = w.finish();
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0xaa, 0xc8, 0x01, 0]);
    expect(bytes.length).toBe(1 + 2 + 200);
    expect(bytes[bytes.length - 1]).toBe(199);
  });
});

describe('names and lengths', () => {
  it('checks lengths against the bytes left', () => {
    const r = new Reader(Uint8Array.of(0x00, 0x04, 0x61, 0x62));
    r.pos = 1;
    expect(() => r.len32()).toThrow('length out of bounds');
    // Counted from the length byte itself, as the reference interpreter does.
    const ok = new Reader(Uint8Array.of(0x03, 0x61, 0x62));
    expect(ok.len32()).toBe(3);
  });

  it('decodes strict UTF-8', () => {
    const text = 'aé€😀';
    const bytes = new TextEncoder().encode(text);
    expect(decodeUtf8(bytes, 0, bytes.length)).toBe(text);
    const bad: [number[], number][] = [
      [[0x61, 0x80], 1], // stray continuation byte
      [[0xc0, 0x80], 0], // overlong
      [[0xe0, 0x80, 0x80], 0], // overlong 3-byte
      [[0xed, 0xa0, 0x80], 0], // surrogate
      [[0xf4, 0x90, 0x80, 0x80], 0], // above U+10FFFF
      [[0xf5, 0x80, 0x80, 0x80], 0], // invalid lead
      [[0x61, 0xe2, 0x82], 1], // truncated
      [[0xe2, 0x28, 0xa1], 1], // bad continuation
    ];
    for (const [input, offset] of bad) {
      const error = (() => {
        try {
          decodeUtf8(Uint8Array.from(input), 0, input.length);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error, input.join()).toBeInstanceOf(DecodeError);
      expect((error as DecodeError).specMessage).toBe('malformed UTF-8 encoding');
      expect((error as DecodeError).offset, input.join()).toBe(offset);
    }
  });
});
