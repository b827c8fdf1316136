// A cursor over a module's bytes for the decoder: fixed-width values, LEB128 integers,
// lengths and names (https://webassembly.github.io/spec/core/binary/values.html).
// It reads straight from the Uint8Array without allocating per byte, and decodes u32/s32
// LEB128 with plain numbers; only i64 needs bigint. Strictness and error wording follow
// engine/binary/leb128.ts and the reference interpreter, whose messages the spec tests
// check: each error names the offset of the offending byte.

import { DecodeError } from './error.ts';

/** Message when the input ends inside a section or function (the reference interpreter's wording). */
export const END_IN_SECTION = 'unexpected end of section or function';
/** Message when the input ends in the header or between sections. */
export const END = 'unexpected end';

export class Reader {
  readonly bytes: Uint8Array;
  /** Offset of the next byte to read. */
  pos: number;
  /** The error message for running off the end; the decoder switches it per context. */
  endMessage: string;

  constructor(bytes: Uint8Array, pos = 0) {
    this.bytes = bytes;
    this.pos = pos;
    this.endMessage = END_IN_SECTION;
  }

  get length(): number {
    return this.bytes.length;
  }

  atEnd(): boolean {
    return this.pos >= this.bytes.length;
  }

  /** Raises the end-of-input error (always at the end of the bytes, like the reference). */
  eof(): never {
    throw new DecodeError(this.endMessage, this.bytes.length);
  }

  /** The next byte without consuming it, or -1 at the end. */
  peek(): number {
    const p = this.pos;
    return p < this.bytes.length ? (this.bytes[p] as number) : -1;
  }

  u8(): number {
    const p = this.pos;
    if (p >= this.bytes.length) this.eof();
    this.pos = p + 1;
    return this.bytes[p] as number;
  }

  /** A byte that must be 0x00 (reserved memory indices in 2.0). */
  zero(): void {
    const at = this.pos;
    if (this.u8() !== 0) throw new DecodeError('zero byte expected', at);
  }

  /** Little-endian u32 (magic, version, f32 bits). */
  fixedU32(): number {
    const p = this.pos;
    const b = this.bytes;
    if (p + 4 > b.length) {
      this.pos = b.length;
      this.eof();
    }
    this.pos = p + 4;
    return ((b[p] as number) | ((b[p + 1] as number) << 8) | ((b[p + 2] as number) << 16) | ((b[p + 3] as number) << 24)) >>> 0;
  }

  /** Little-endian u64 as a bigint (f64 bits). */
  fixedU64(): bigint {
    const lo = this.fixedU32();
    const hi = this.fixedU32();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** `n` raw bytes, copied so the AST does not pin the whole file. */
  take(n: number): Uint8Array {
    const p = this.pos;
    if (p + n > this.bytes.length) {
      this.pos = this.bytes.length;
      this.eof();
    }
    this.pos = p + n;
    return this.bytes.slice(p, p + n);
  }

  /** Skips `n` bytes. */
  skip(n: number): void {
    if (n < 0 || this.pos + n > this.bytes.length) this.eof();
    this.pos += n;
  }

  /** Unsigned LEB128, at most 32 bits. */
  u32(): number {
    const b = this.bytes;
    let p = this.pos;
    if (p >= b.length) this.eof();
    let byte = b[p++] as number;
    if (byte < 0x80) {
      this.pos = p;
      return byte;
    }
    let result = byte & 0x7f;
    for (let shift = 7; shift < 28; shift += 7) {
      if (p >= b.length) this.eof();
      byte = b[p++] as number;
      result |= (byte & 0x7f) << shift;
      if (byte < 0x80) {
        this.pos = p;
        return result >>> 0;
      }
    }
    // Fifth byte: only 4 payload bits remain for a 32-bit value.
    if (p >= b.length) this.eof();
    byte = b[p++] as number;
    if ((byte & 0x70) !== 0) throw new DecodeError('integer too large', p - 1);
    if (byte & 0x80) throw new DecodeError('integer representation too long', p);
    this.pos = p;
    return (result >>> 0) + (byte & 0x0f) * 0x1000_0000;
  }

  /** Signed LEB128, at most 32 bits. */
  s32(): number {
    const b = this.bytes;
    let p = this.pos;
    let result = 0;
    let shift = 0;
    let byte: number;
    for (; shift < 28; shift += 7) {
      if (p >= b.length) this.eof();
      byte = b[p++] as number;
      result |= (byte & 0x7f) << shift;
      if (byte < 0x80) {
        this.pos = p;
        // Sign-extend from the last payload bit.
        const width = shift + 7;
        return (result << (32 - width)) >> (32 - width);
      }
    }
    if (p >= b.length) this.eof();
    byte = b[p++] as number;
    // The bits above bit 31 must repeat the sign bit (0x08 of the fifth byte).
    const high = byte & 0x78;
    if (high !== 0 && high !== 0x78) throw new DecodeError('integer too large', p - 1);
    if (byte & 0x80) throw new DecodeError('integer representation too long', p);
    this.pos = p;
    return result | (byte << 28);
  }

  /**
   * Unsigned LEB128, at most 64 bits (memory64 offsets and limits): a number when it is at
   * most 2^53, else a bigint. Short encodings take a number-only path.
   */
  u64(): number | bigint {
    const b = this.bytes;
    let p = this.pos;
    let result = 0;
    let scale = 1;
    // Up to 7 bytes (49 bits) fit exactly in a double.
    for (let i = 0; i < 7; i++) {
      if (p >= b.length) this.eof();
      const byte = b[p++] as number;
      result += (byte & 0x7f) * scale;
      scale *= 128;
      if (byte < 0x80) {
        this.pos = p;
        return result;
      }
    }
    let big = BigInt(result);
    let shift = 49n;
    for (let i = 7; i < 10; i++) {
      if (p >= b.length) this.eof();
      const byte = b[p++] as number;
      if (i === 9) {
        // Tenth byte: one value bit left.
        if ((byte & 0x7e) !== 0) throw new DecodeError('integer too large', p - 1);
        if (byte & 0x80) throw new DecodeError('integer representation too long', p);
      }
      big |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
      if (byte < 0x80) {
        this.pos = p;
        return big <= 2n ** 53n ? Number(big) : big;
      }
    }
    /* c8 ignore next */
    throw new DecodeError('integer representation too long', p);
  }

  /** Signed LEB128, at most 33 bits (block type indices); returns a number. */
  s33(): number {
    const b = this.bytes;
    let p = this.pos;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 4; i++) {
      if (p >= b.length) this.eof();
      const byte = b[p++] as number;
      result += (byte & 0x7f) * scale;
      scale *= 128;
      if (byte < 0x80) {
        this.pos = p;
        return byte & 0x40 ? result - scale : result;
      }
    }
    if (p >= b.length) this.eof();
    const byte = b[p++] as number;
    const high = byte & 0x70;
    if (high !== 0 && high !== 0x70) throw new DecodeError('integer too large', p - 1);
    if (byte & 0x80) throw new DecodeError('integer representation too long', p);
    this.pos = p;
    result += (byte & 0x7f) * scale;
    scale *= 128;
    return byte & 0x40 ? result - scale : result;
  }

  /** Signed LEB128, at most 64 bits. Short encodings take a number-only path. */
  s64(): bigint {
    const b = this.bytes;
    let p = this.pos;
    let result = 0;
    let scale = 1;
    // Up to 7 bytes (49 bits) fit exactly in a double.
    for (let i = 0; i < 7; i++) {
      if (p >= b.length) this.eof();
      const byte = b[p++] as number;
      result += (byte & 0x7f) * scale;
      scale *= 128;
      if (byte < 0x80) {
        this.pos = p;
        return BigInt(byte & 0x40 ? result - scale : result);
      }
    }
    let big = BigInt(result);
    let shift = 49n;
    for (let i = 7; i < 10; i++) {
      if (p >= b.length) this.eof();
      const byte = b[p++] as number;
      if (i === 9) {
        // Tenth byte: one value bit left; the rest must copy it.
        const high = byte & 0x7f;
        if (high !== 0 && high !== 0x7f) throw new DecodeError('integer too large', p - 1);
        if (byte & 0x80) throw new DecodeError('integer representation too long', p);
      }
      big |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
      if (byte < 0x80) {
        this.pos = p;
        return byte & 0x40 ? big - (1n << shift) : big;
      }
    }
    /* c8 ignore next */
    throw new DecodeError('integer representation too long', p);
  }

  /** A one-bit unsigned LEB128 (the limits flag in 2.0). */
  u1(): number {
    const at = this.pos;
    const byte = this.u8();
    if ((byte & 0x7f) > 1) throw new DecodeError('integer too large', at);
    if (byte & 0x80) throw new DecodeError('integer representation too long', at + 1);
    return byte;
  }

  /** A 7-bit signed LEB128 read as its single byte (type constructors such as 0x7f = i32). */
  s7Byte(): number {
    const byte = this.u8();
    if (byte & 0x80) throw new DecodeError('integer representation too long', this.pos);
    return byte;
  }

  /**
   * A u32 length that must fit in the bytes left (counted from the length's own first
   * byte, as the reference interpreter does): vector counts, name and data lengths, sizes.
   */
  len32(): number {
    const at = this.pos;
    const n = this.u32();
    if (n > this.bytes.length - at) throw new DecodeError('length out of bounds', at);
    return n;
  }

  /** A name: a length-prefixed UTF-8 string (https://webassembly.github.io/spec/core/binary/values.html#names). */
  name(): string {
    const n = this.len32();
    const start = this.pos;
    if (start + n > this.bytes.length) {
      this.pos = this.bytes.length;
      this.eof();
    }
    this.pos = start + n;
    return decodeUtf8(this.bytes, start, start + n);
  }
}

/**
 * Decodes strict UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF),
 * raising "malformed UTF-8 encoding" at the first bad byte.
 */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  let out = '';
  let i = start;
  let chunk: number[] | undefined;
  while (i < end) {
    const b0 = bytes[i] as number;
    let cp: number;
    if (b0 < 0x80) {
      cp = b0;
      i += 1;
    } else {
      let need: number;
      let min: number;
      if (b0 >= 0xc2 && b0 <= 0xdf) {
        need = 1;
        min = 0x80;
        cp = b0 & 0x1f;
      } else if (b0 >= 0xe0 && b0 <= 0xef) {
        need = 2;
        min = 0x800;
        cp = b0 & 0x0f;
      } else if (b0 >= 0xf0 && b0 <= 0xf4) {
        need = 3;
        min = 0x10000;
        cp = b0 & 0x07;
      } else {
        throw new DecodeError('malformed UTF-8 encoding', i);
      }
      for (let k = 1; k <= need; k++) {
        const at = i + k;
        const b = at < end ? (bytes[at] as number) : -1;
        if ((b & 0xc0) !== 0x80) throw new DecodeError('malformed UTF-8 encoding', at < end ? at : i);
        cp = (cp << 6) | (b & 0x3f);
      }
      if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        throw new DecodeError('malformed UTF-8 encoding', i);
      }
      i += need + 1;
    }
    (chunk ??= []).push(cp);
    if (chunk.length >= 4096) {
      out += String.fromCodePoint(...chunk);
      chunk.length = 0;
    }
  }
  if (chunk && chunk.length > 0) out += String.fromCodePoint(...chunk);
  return out;
}
