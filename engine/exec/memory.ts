// Memory instances (https://webassembly.github.io/spec/core/exec/runtime.html#memory-instances)
// and growing them (https://webassembly.github.io/spec/core/exec/modules.html#grow-mem).
// The bytes live in one ArrayBuffer; growing moves them into a larger buffer and re-creates
// the views, so holders of `bytes`/`view` must re-read them after anything that can grow the
// memory (the interpreter does so after memory.grow and every call).
//
// The move is ArrayBuffer.prototype.transfer, which detaches the old buffer (its
// byteLength becomes 0), exactly what the JS API requires of a grown memory's old buffer
// (https://webassembly.github.io/spec/js-api/#grow-the-memory-buffer): a JS holder of the
// old buffer sees it emptied at the moment wasm's memory.grow runs, as in a browser.

import type { MemType } from '../syntax/index.ts';

export const PAGE_SIZE = 65536;

/** ArrayBuffer with ES2024's transfer, which the project's TypeScript lib does not declare yet. */
type Transferable = ArrayBuffer & { transfer(length?: number): ArrayBuffer };
/** The spec's bound on memory size in 2.0 (4 GiB). */
export const MAX_PAGES = 65536;

export class MemoryInstance {
  /** The type it was created with; `limits.min` is the initial size, not the current one. */
  readonly type: MemType;
  /** The smaller of the declared maximum and the configured cap, in pages. */
  readonly cap: number;
  buffer: ArrayBuffer;
  bytes: Uint8Array;
  view: DataView;
  /** Current size in bytes. */
  byteLength: number;

  constructor(type: MemType, cap: number = MAX_PAGES) {
    this.type = type;
    this.cap = Math.min(type.limits.max ?? MAX_PAGES, cap, MAX_PAGES);
    if (type.limits.min > this.cap) throw new RangeError(`memory of ${type.limits.min} pages exceeds the limit of ${this.cap}`);
    this.buffer = new ArrayBuffer(type.limits.min * PAGE_SIZE);
    this.bytes = new Uint8Array(this.buffer);
    this.view = new DataView(this.buffer);
    this.byteLength = this.buffer.byteLength;
  }

  /** Current size in pages. */
  get pages(): number {
    return this.byteLength / PAGE_SIZE;
  }

  /** Grows by `delta` pages; returns the old size in pages, or -1 (and changes nothing). */
  grow(delta: number): number {
    const old = this.pages;
    if (delta < 0 || old + delta > this.cap) return -1;
    if (delta === 0) return old;
    let next: ArrayBuffer;
    try {
      // Copies the bytes, zero-fills the rest, detaches the old buffer (see the header).
      next = (this.buffer as Transferable).transfer((old + delta) * PAGE_SIZE);
    } catch {
      // The host could not allocate (transfer allocates before it detaches, so the old
      // buffer is intact): that is a failed grow, not a crash.
      return -1;
    }
    this.buffer = next;
    this.bytes = new Uint8Array(next);
    this.view = new DataView(next);
    this.byteLength = next.byteLength;
    return old;
  }
}
