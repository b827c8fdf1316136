// Binary inputs for the decoder fuzzer: random bytes, and mutations of valid modules that
// aim at the decoder's soft spots — bit flips, truncation, LEB128 edits (overlong, padded,
// out-of-range), section swaps/drops/duplicates, and sizes or vector counts that claim far
// more than the file holds (a section of 4 GiB, a vector of 2^32-1 entries).
// https://webassembly.github.io/spec/core/binary/modules.html#sections
import type { Corpus } from './corpus.ts';
import type { Rng } from './rng.ts';

interface Section {
  readonly id: number;
  /** Offset of the id byte, of the content, and the end of the content. */
  readonly at: number;
  readonly content: number;
  readonly end: number;
}

function readLeb(b: Uint8Array, p: number): { value: number; next: number } | undefined {
  let value = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (p >= b.length) return undefined;
    const x = b[p++]!;
    value += (x & 0x7f) * 2 ** shift;
    if ((x & 0x80) === 0) return { value, next: p };
  }
  return undefined;
}

/** The sections of a module, as far as they parse. */
export function sections(b: Uint8Array): Section[] {
  const out: Section[] = [];
  let p = 8;
  while (p < b.length) {
    const at = p;
    const id = b[p++]!;
    const size = readLeb(b, p);
    if (size === undefined || size.next + size.value > b.length) break;
    out.push({ id, at, content: size.next, end: size.next + size.value });
    p = size.next + size.value;
  }
  return out;
}

/** An unsigned LEB128 of `value`, optionally padded to `width` bytes. */
export function leb(value: number, width = 0): number[] {
  const out: number[] = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0 || out.length + 1 < width) byte |= 0x80;
    out.push(byte);
  } while (value > 0 || out.length < width);
  return out;
}

const concat = (...parts: ArrayLike<number>[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

/** LEB128 encodings that stress a reader: huge, overlong, over 32 bits, unterminated. */
function oddLeb(r: Rng): number[] {
  switch (r.int(7)) {
    case 0:
      return leb(0xffff_ffff); // 2^32-1
    case 1:
      return leb(0x1_0000_0000); // 2^32: too large for u32
    case 2:
      return leb(r.int(128), 5); // padded to the maximum width
    case 3:
      return leb(r.int(128), 6); // overlong
    case 4:
      return [0x80, 0x80, 0x80, 0x80, 0x80]; // unterminated
    case 5:
      return [0xff, 0xff, 0xff, 0xff, 0x7f]; // unused high bits set
    default:
      return leb(r.int(1 << 20));
  }
}

const INTERESTING = [0x00, 0x01, 0x0b, 0x40, 0x41, 0x60, 0x70, 0x7b, 0x7f, 0x80, 0xfc, 0xfd, 0xff];

/** One mutation of `b`; the result may or may not still be a valid module. */
export function mutateOnce(b: Uint8Array, r: Rng): Uint8Array {
  const secs = sections(b);
  const pos = () => (b.length === 0 ? 0 : r.int(b.length));
  switch (r.int(12)) {
    case 0: {
      const c = b.slice();
      if (c.length > 0) c[pos()]! ^= 1 << r.int(8);
      return c;
    }
    case 1: {
      const c = b.slice();
      if (c.length > 0) c[pos()] = r.chance(0.5) ? r.int(256) : r.pick(INTERESTING);
      return c;
    }
    case 2:
      return b.slice(0, pos()); // truncation
    case 3: {
      // Replace what may be a LEB128 (any position: most bytes in a module are in one).
      const p = pos();
      const old = readLeb(b, p);
      return concat(b.subarray(0, p), oddLeb(r), b.subarray(old?.next ?? Math.min(p + 1, b.length)));
    }
    case 4: {
      // A section's size: 4 GiB, 2^32-1, off by one, or padded.
      if (secs.length === 0) return mutateOnce(b, r);
      const s = r.pick(secs);
      const size = s.end - s.content;
      const fresh = r.pick([leb(0xffff_ffff), leb(0x1_0000_0000), leb(size + 1), leb(Math.max(0, size - 1)), leb(size, 5)]);
      return concat(b.subarray(0, s.at + 1), fresh, b.subarray(s.content));
    }
    case 5: {
      // A section's first vector count (most sections start with one): 2^32-1 or just huge.
      const withCount = secs.filter((s) => s.id !== 0 && s.id !== 8 && s.end > s.content);
      if (withCount.length === 0) return mutateOnce(b, r);
      const s = r.pick(withCount);
      const old = readLeb(b, s.content);
      const count = r.pick([0xffff_ffff, 0x1000_0000, 0x7fff_ffff, 65_536]);
      const body = concat(leb(count), b.subarray(old?.next ?? s.content, s.end));
      return concat(b.subarray(0, s.at + 1), leb(body.length), body, b.subarray(s.end));
    }
    case 6: {
      // Swap two sections.
      if (secs.length < 2) return mutateOnce(b, r);
      const i = r.int(secs.length - 1);
      const [x, y] = [secs[i]!, secs[i + 1]!];
      return concat(b.subarray(0, x.at), b.subarray(y.at, y.end), b.subarray(x.at, x.end), b.subarray(y.end));
    }
    case 7: {
      // Duplicate or drop a section.
      if (secs.length === 0) return mutateOnce(b, r);
      const s = r.pick(secs);
      return r.chance(0.5) ? concat(b.subarray(0, s.end), b.subarray(s.at, s.end), b.subarray(s.end)) : concat(b.subarray(0, s.at), b.subarray(s.end));
    }
    case 8: {
      // Insert random bytes.
      const p = pos();
      return concat(b.subarray(0, p), Array.from({ length: 1 + r.int(8) }, () => r.int(256)), b.subarray(p));
    }
    case 9: {
      // Delete a few bytes.
      const p = pos();
      return concat(b.subarray(0, p), b.subarray(Math.min(b.length, p + 1 + r.int(8))));
    }
    case 10: {
      // Copy a run of bytes over another place (moves real opcodes and types around).
      const c = b.slice();
      const run = b.subarray(pos()).subarray(0, 1 + r.int(16));
      const to = pos();
      c.set(run.subarray(0, c.length - to), to);
      return c;
    }
    default: {
      // A custom section with an odd name length or a huge size, at the front or the end.
      const body = r.chance(0.5) ? concat(oddLeb(r), [0x61]) : concat([4], [0x6e, 0x61, 0x6d, 0x65], Array.from({ length: r.int(24) }, () => r.int(256)));
      const sec = concat([0], leb(body.length), body);
      return r.chance(0.5) ? concat(b.subarray(0, 8), sec, b.subarray(8)) : concat(b, sec);
    }
  }
}

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** One decoder input: mostly mutated corpus modules, some random bytes behind a valid header. */
export function decoderInput(c: Corpus, r: Rng): Uint8Array {
  const roll = r.next();
  if (roll < 0.08) {
    const n = r.int(r.chance(0.8) ? 64 : 4096);
    const tail = Array.from({ length: n }, () => r.int(256));
    return r.chance(0.8) ? concat(HEADER, tail) : new Uint8Array(tail);
  }
  const seeds = roll < 0.11 && c.large.length > 0 ? c.large : c.small;
  let b = r.pick(seeds);
  const n = 1 + (r.chance(0.3) ? r.int(6) : 0);
  for (let i = 0; i < n; i++) b = mutateOnce(b, r);
  return b;
}
