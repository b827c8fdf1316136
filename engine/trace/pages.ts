// Copy-on-write images of a linear memory (https://webassembly.github.io/spec/core/exec/runtime.html#memory-instances)
// for checkpoints, and which parts of it were written when.
//
// The memory is cut into 4 KiB granules. A MemoryImage is the memory's content at one
// checkpoint: for each granule a reference to an immutable 4 KiB copy. Consecutive images
// share every granule that was not written in between, so a checkpoint costs only the
// granules written since the previous one (plus one shared all-zero granule for untouched
// memory) — never a whole-memory copy. Granules are grouped in chunks of 256 (1 MiB), and
// a chunk's arrays are shared too, so an image of a large, mostly idle memory is a short
// array of shared chunks.
//
// The tracker keeps, for the live memory, the step after which each granule was last
// written (`written`), and the `base` image the live memory derives from: live = base
// with the granules in `dirty` changed. The session reports every write (stores, bulk
// memory, memory.grow, a host function's changes) through mark(); the interpreter itself
// pays nothing.

import type { MemoryInstance } from '../exec/index.ts';

export const GRANULE_SHIFT = 12;
export const GRANULE = 1 << GRANULE_SHIFT;
const CHUNK_SHIFT = 8;
const CHUNK = 1 << CHUNK_SHIFT;

/** One shared granule of zeros: never written to, so any number of images may refer to it. */
const ZERO = new Uint8Array(GRANULE);

interface Chunk {
  readonly pages: Uint8Array[];
  /** The step after which each granule was last written. */
  readonly written: Float64Array;
}

/** The content of a memory at one step; immutable once made. */
export interface MemoryImage {
  readonly byteLength: number;
  readonly chunks: readonly Chunk[];
}

/** A contiguous byte range [start, end). */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** Whether the granule at byte `at` is all zeros (`words` views the whole memory). */
function isZero(words: Int32Array, at: number): boolean {
  for (let k = at >> 2, end = (at + GRANULE) >> 2; k < end; k++) if (words[k] !== 0) return false;
  return true;
}

export class MemoryTracker {
  readonly mem: MemoryInstance;
  /** Per granule of the live memory: the step after which it was last written. */
  written: Float64Array;
  /** Granules written since `base` (each once). */
  dirty: number[] = [];
  base: MemoryImage;
  baseStep: number;

  /** Starts tracking: the current content becomes the image at `step`. */
  constructor(mem: MemoryInstance, step: number) {
    this.mem = mem;
    this.written = new Float64Array(mem.byteLength >>> GRANULE_SHIFT);
    this.base = { byteLength: 0, chunks: [] };
    this.baseStep = step;
    for (let p = 0; p < this.written.length; p++) this.dirty.push(p);
    this.base = this.image(step).image;
  }

  /** Records that bytes [addr, addr + len) were written by the step ending at `step`. */
  mark(addr: number, len: number, step: number): void {
    if (len <= 0) return;
    const last = (addr + len - 1) >>> GRANULE_SHIFT;
    const w = this.written;
    for (let p = addr >>> GRANULE_SHIFT; p <= last; p++) {
      if (w[p]! <= this.baseStep) this.dirty.push(p);
      w[p] = step;
    }
  }

  /** After the live memory grew (by memory.grow or a host): the new granules count as written. */
  grew(step: number): void {
    const n = this.mem.byteLength >>> GRANULE_SHIFT;
    if (n <= this.written.length) return;
    const w = new Float64Array(n);
    w.set(this.written);
    const old = this.written.length;
    this.written = w;
    this.mark(old << GRANULE_SHIFT, (n - old) << GRANULE_SHIFT, step);
  }

  /**
   * The image of the live memory at `step`, sharing every unwritten granule with the base
   * image; it becomes the new base. `bytes` is what the new granule copies and chunk
   * arrays cost, `pages` the granules copied.
   */
  image(step: number): { image: MemoryImage; bytes: number; pages: number[] } {
    const live = this.mem.bytes;
    const n = this.mem.byteLength >>> GRANULE_SHIFT;
    const nChunks = (n + CHUNK - 1) >>> CHUNK_SHIFT;
    const chunks = this.base.chunks.slice(0, nChunks);
    const fresh = new Uint8Array(nChunks);
    let bytes = 0;
    const own = (ci: number): Chunk => {
      if (fresh[ci] === 0) {
        fresh[ci] = 1;
        const size = Math.min(CHUNK, n - (ci << CHUNK_SHIFT));
        const old = chunks[ci];
        let c: Chunk;
        if (old !== undefined && old.pages.length === size) c = { pages: old.pages.slice(), written: old.written.slice() };
        else {
          c = { pages: new Array<Uint8Array>(size).fill(ZERO), written: new Float64Array(size) };
          if (old !== undefined) {
            for (let j = 0; j < Math.min(size, old.pages.length); j++) c.pages[j] = old.pages[j]!;
            c.written.set(old.written.subarray(0, Math.min(size, old.written.length)));
          }
        }
        chunks[ci] = c;
        bytes += size * 12 + 64;
      }
      return chunks[ci]!;
    };
    // A chunk whose size changed (the memory grew inside it) must be re-made.
    for (let ci = 0; ci < nChunks; ci++) {
      const want = Math.min(CHUNK, n - (ci << CHUNK_SHIFT));
      if (chunks[ci] === undefined || chunks[ci]!.pages.length !== want) own(ci);
    }
    const pages: number[] = [];
    const words = new Int32Array(live.buffer, live.byteOffset, live.length >> 2);
    for (const p of this.dirty) {
      if (p >= n) continue;
      const c = own(p >>> CHUNK_SHIFT);
      const j = p & (CHUNK - 1);
      const at = p << GRANULE_SHIFT;
      if (isZero(words, at)) c.pages[j] = ZERO;
      else {
        c.pages[j] = live.slice(at, at + GRANULE);
        bytes += GRANULE;
        pages.push(p);
      }
      c.written[j] = this.written[p]!;
    }
    const image: MemoryImage = { byteLength: this.mem.byteLength, chunks };
    this.base = image;
    this.baseStep = step;
    this.dirty = [];
    return { image, bytes, pages };
  }

  /** The live memory is known to equal `image` (replay reached its step): make it the base. */
  rebase(image: MemoryImage, step: number): void {
    this.base = image;
    this.baseStep = step;
    this.dirty = [];
  }

  /** Makes the live memory equal to `image` (copying only granules that differ) and rebases on it. */
  restore(image: MemoryImage, step: number): void {
    const mem = this.mem;
    const n = image.byteLength >>> GRANULE_SHIFT;
    if (mem.byteLength !== image.byteLength) {
      // A different size: rebuild the buffer (memories only grow, so this is going back
      // before a memory.grow). Holders of the old buffer see the old one, as after a grow.
      const buf = new ArrayBuffer(image.byteLength);
      mem.buffer = buf;
      mem.bytes = new Uint8Array(buf);
      mem.view = new DataView(buf);
      mem.byteLength = image.byteLength;
      this.written = new Float64Array(n);
      image.chunks.forEach((c, ci) => {
        const first = ci << CHUNK_SHIFT;
        for (let j = 0; j < c.pages.length; j++) {
          if (c.pages[j] !== ZERO) mem.bytes.set(c.pages[j]!, (first + j) << GRANULE_SHIFT);
        }
        this.written.set(c.written, first);
      });
    } else {
      const live = mem.bytes;
      const copy = (p: number): void => {
        const c = image.chunks[p >>> CHUNK_SHIFT]!;
        const j = p & (CHUNK - 1);
        live.set(c.pages[j]!, p << GRANULE_SHIFT);
        this.written[p] = c.written[j]!;
      };
      const base = this.base;
      for (let ci = 0; ci < image.chunks.length; ci++) {
        const a = image.chunks[ci]!;
        const b = base.chunks[ci];
        if (a === b) continue;
        const first = ci << CHUNK_SHIFT;
        for (let j = 0; j < a.pages.length; j++) {
          if (b === undefined || a.pages[j] !== b.pages[j] || a.written[j] !== b.written[j]) copy(first + j);
        }
      }
      for (const p of this.dirty) if (p < n) copy(p);
    }
    this.rebase(image, step);
  }

  /** Byte ranges of granules written after state `step` (merged when adjacent). */
  changedSince(step: number): ByteRange[] {
    const out: ByteRange[] = [];
    const w = this.written;
    let start = -1;
    for (let p = 0; p <= w.length; p++) {
      const changed = p < w.length && w[p]! > step;
      if (changed && start < 0) start = p;
      else if (!changed && start >= 0) {
        out.push({ start: start << GRANULE_SHIFT, end: p << GRANULE_SHIFT });
        start = -1;
      }
    }
    return out;
  }
}

/** Whether a page copy is referred to by an image at granule p (for checkpoint accounting). */
export function pageAt(image: MemoryImage, p: number): Uint8Array | undefined {
  return image.chunks[p >>> CHUNK_SHIFT]?.pages[p & (CHUNK - 1)];
}
