// A growable byte buffer for the encoder: fixed-width values and minimal LEB128 integers
// (https://webassembly.github.io/spec/core/binary/values.html).
// Sizes that precede their content (sections, function bodies) are written by reserving
// five bytes, writing the content, then storing the minimal LEB128 size and sliding the
// content back — so the output matches the canonical encoding (wabt's `toBinary`) without
// encoding anything twice.

export class Writer {
  buf: Uint8Array;
  pos: number;

  constructor(capacity = 1 << 16) {
    this.buf = new Uint8Array(capacity);
    this.pos = 0;
  }

  private grow(need: number): void {
    let size = this.buf.length * 2;
    while (size < this.pos + need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  u8(byte: number): void {
    if (this.pos >= this.buf.length) this.grow(1);
    this.buf[this.pos++] = byte;
  }

  bytes(data: Uint8Array): void {
    if (this.pos + data.length > this.buf.length) this.grow(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }

  /** Unsigned LEB128 of a u32. */
  u32(value: number): void {
    if (this.pos + 5 > this.buf.length) this.grow(5);
    const buf = this.buf;
    let v = value >>> 0;
    while (v >= 0x80) {
      buf[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[this.pos++] = v;
  }

  /** Signed LEB128 of an i32 (accepts the unsigned form too: it is reinterpreted). */
  s32(value: number): void {
    if (this.pos + 5 > this.buf.length) this.grow(5);
    const buf = this.buf;
    let v = value | 0;
    for (;;) {
      const byte = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
        buf[this.pos++] = byte;
        return;
      }
      buf[this.pos++] = byte | 0x80;
    }
  }

  /** Signed LEB128 of any safe integer (block type indices are s33). */
  sNumber(value: number): void {
    let v = value;
    for (;;) {
      const byte = ((v % 128) + 128) % 128;
      v = Math.floor(v / 128);
      if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
        this.u8(byte);
        return;
      }
      this.u8(byte | 0x80);
    }
  }

  /** Signed LEB128 of an i64; small values avoid bigint arithmetic. */
  s64(value: bigint): void {
    if (value >= -0x8000_0000n && value <= 0x7fff_ffffn) {
      this.s32(Number(value));
      return;
    }
    let v = BigInt.asIntN(64, value);
    for (;;) {
      const byte = Number(v & 0x7fn);
      v >>= 7n;
      if ((v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0)) {
        this.u8(byte);
        return;
      }
      this.u8(byte | 0x80);
    }
  }

  fixedU32(value: number): void {
    if (this.pos + 4 > this.buf.length) this.grow(4);
    const v = value >>> 0;
    const buf = this.buf;
    buf[this.pos++] = v & 0xff;
    buf[this.pos++] = (v >>> 8) & 0xff;
    buf[this.pos++] = (v >>> 16) & 0xff;
    buf[this.pos++] = v >>> 24;
  }

  fixedU64(value: bigint): void {
    const v = BigInt.asUintN(64, value);
    this.fixedU32(Number(v & 0xffff_ffffn));
    this.fixedU32(Number(v >> 32n));
  }

  /** A name: its UTF-8 length, then the bytes. */
  name(text: string): void {
    const encoded = utf8Encoder.encode(text);
    this.u32(encoded.length);
    this.bytes(encoded);
  }

  /** Reserves room for a size that is only known once its content is written. */
  beginSized(): number {
    if (this.pos + 5 > this.buf.length) this.grow(5);
    const mark = this.pos;
    this.pos += 5;
    return mark;
  }

  /**
   * Stores the size of everything written since `beginSized` as a minimal LEB128 and
   * moves the content back to follow it. Returns how far the content moved.
   */
  endSized(mark: number): number {
    const contentStart = mark + 5;
    const size = this.pos - contentStart;
    let v = size;
    let at = mark;
    while (v >= 0x80) {
      this.buf[at++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[at++] = v;
    const shift = contentStart - at;
    if (shift > 0) {
      this.buf.copyWithin(at, contentStart, this.pos);
      this.pos -= shift;
    }
    return shift;
  }

  /** A copy of the bytes written. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

const utf8Encoder = new TextEncoder();
