// LEB128 variable-length integers, as used everywhere in the binary format
// (https://webassembly.github.io/spec/core/binary/values.html#integers).
// Decoding is strict like the spec: an encoding may use at most ceil(N/7) bytes,
// and the unused bits of the last byte must be a sign (or zero) extension.

import { DecodeError } from './error.ts';

/** A decoded value and the number of bytes it occupied. */
export interface Decoded<T> {
  readonly value: T;
  readonly length: number;
}

/** Encodes an unsigned 32-bit integer (0 … 2^32-1) as unsigned LEB128. */
export function encodeU32(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) {
    throw new RangeError(`not an unsigned 32-bit integer: ${value}`);
  }
  const bytes: number[] = [];
  let rest = value;
  do {
    let byte = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (rest !== 0);
  return Uint8Array.from(bytes);
}

/** Encodes a signed integer (any bigint) as signed LEB128. */
export function encodeSigned(value: bigint): Uint8Array {
  const bytes: number[] = [];
  let rest = value;
  for (;;) {
    const byte = Number(rest & 0x7fn);
    rest >>= 7n; // arithmetic shift: keeps the sign
    const signBitSet = (byte & 0x40) !== 0;
    if ((rest === 0n && !signBitSet) || (rest === -1n && signBitSet)) {
      bytes.push(byte);
      return Uint8Array.from(bytes);
    }
    bytes.push(byte | 0x80);
  }
}

/** Decodes an unsigned LEB128 integer of at most `bits` bits (32 or 64) at `offset`. */
export function decodeUnsigned(bytes: Uint8Array, offset: number, bits: 32 | 64): Decoded<bigint> {
  const maxLength = Math.ceil(bits / 7);
  let result = 0n;
  for (let i = 0; i < maxLength; i++) {
    const at = offset + i;
    const byte = bytes[at];
    if (byte === undefined) throw new DecodeError('unexpected end', at);
    const payload = BigInt(byte & 0x7f);
    if (i === maxLength - 1) {
      // Last permitted byte: its payload may not hold bits beyond `bits`.
      const usedBits = bits - 7 * i;
      if ((byte & 0x7f) >> usedBits !== 0) throw new DecodeError('integer too large', at);
    }
    result |= payload << BigInt(7 * i);
    if ((byte & 0x80) === 0) return { value: result, length: i + 1 };
  }
  // The last permitted byte still said "more follows" (the spec reports the next position).
  throw new DecodeError('integer representation too long', offset + maxLength);
}

/** Decodes a signed LEB128 integer of at most `bits` bits (32 or 64) at `offset`. */
export function decodeSigned(bytes: Uint8Array, offset: number, bits: 32 | 64): Decoded<bigint> {
  const maxLength = Math.ceil(bits / 7);
  let result = 0n;
  for (let i = 0; i < maxLength; i++) {
    const at = offset + i;
    const byte = bytes[at];
    if (byte === undefined) throw new DecodeError('unexpected end', at);
    if (i === maxLength - 1) {
      // The payload bits past `bits` must all equal the value's sign bit.
      const usedBits = bits - 7 * i; // bits of this byte that carry the value (incl. sign)
      const rest = (byte & 0x7f) >> (usedBits - 1); // sign bit and everything above it
      const allowed = rest === 0 || rest === (0x7f >> (usedBits - 1));
      if (!allowed) throw new DecodeError('integer too large', at);
    }
    result |= BigInt(byte & 0x7f) << BigInt(7 * i);
    if ((byte & 0x80) === 0) {
      const width = BigInt(7 * (i + 1));
      if ((byte & 0x40) !== 0) result -= 1n << width; // sign-extend
      return { value: result, length: i + 1 };
    }
  }
  // The last permitted byte still said "more follows" (the spec reports the next position).
  throw new DecodeError('integer representation too long', offset + maxLength);
}

/** One byte of an LEB128 encoding, explained for the byte view. */
export interface LebByte {
  readonly byte: number;
  /** true when the high bit says another byte follows. */
  readonly continues: boolean;
  /** The 7 payload bits of this byte. */
  readonly payload: number;
  /** Where those 7 bits land in the value: bit index of the lowest one. */
  readonly shift: number;
}

/** Splits an encoding into its bytes with their continuation bit and payload. */
export function explain(encoding: Uint8Array): LebByte[] {
  return Array.from(encoding, (byte, i) => ({
    byte,
    continues: (byte & 0x80) !== 0,
    payload: byte & 0x7f,
    shift: 7 * i,
  }));
}
