// The mutable store a traced call can change besides its own stacks: the memories, tables
// and globals of every instance its code can reach, and those instances' element and data
// segments (which data.drop / elem.drop empty)
// (https://webassembly.github.io/spec/core/exec/runtime.html#store).
//
// `capture` makes an immutable WorldImage for a checkpoint (memories copy-on-write through
// engine/trace/pages.ts; a table is copied only when it changed since the last image);
// `restore` puts one back. Host functions can change memories, tables and globals behind
// the interpreter's back, so around a host call `beginHost` / `endHost` diff them and
// return the change as a HostEffect that replay applies instead of calling the host again.

import {
  type GlobalInstance, type Instance, type MemoryInstance, PAGE_SIZE, type TableInstance, WasmFunction,
} from '../exec/index.ts';
import { MemoryTracker, type MemoryImage } from './pages.ts';

export interface WorldImage {
  readonly mems: readonly MemoryImage[];
  /** Each table's elements; the same array as the previous image's when unchanged. */
  readonly tables: readonly (readonly unknown[])[];
  readonly globalWords: Int32Array;
  readonly globalRefs: readonly unknown[];
  readonly datas: readonly (readonly Uint8Array[])[];
  readonly elems: readonly (readonly unknown[][])[];
}

/** What a host call changed, to replay it without calling the host. */
export interface HostEffect {
  readonly mems: readonly { readonly index: number; readonly byteLength: number; readonly patches: readonly { readonly offset: number; readonly bytes: Uint8Array }[] }[];
  readonly globals: readonly { readonly index: number; readonly words: Int32Array; readonly ref: unknown }[];
  readonly tables: readonly { readonly index: number; readonly elements: readonly unknown[] }[];
}

interface HostBefore {
  readonly mems: Uint8Array[];
  readonly globalWords: Int32Array;
  readonly globalRefs: unknown[];
  readonly tables: unknown[][];
}

/** Instances whose code or state a call starting in `start` can reach. */
export function reachableInstances(start: Instance): Instance[] {
  const seen = new Set<Instance>([start]);
  const queue = [start];
  const visit = (v: unknown): void => {
    if (v instanceof WasmFunction && !seen.has(v.instance)) {
      seen.add(v.instance);
      queue.push(v.instance);
    }
  };
  while (queue.length > 0) {
    const inst = queue.pop()!;
    inst.funcs.forEach(visit);
    for (const t of inst.tables) t.elements.forEach(visit);
    for (const g of inst.globals) visit(g.ref);
    for (const e of inst.elems) e.forEach(visit);
  }
  return [...seen];
}

export class World {
  readonly instances: readonly Instance[];
  readonly memories: readonly MemoryTracker[];
  readonly tables: readonly TableInstance[];
  readonly globals: readonly GlobalInstance[];
  private readonly memIndex = new Map<MemoryInstance, MemoryTracker>();
  private readonly tableIndex = new Map<TableInstance, number>();
  /** Tables changed since the last image. */
  private readonly tableDirty: Uint8Array;
  private base: WorldImage | undefined;
  /** Reused buffers for diffing memories around host calls. */
  private scratch: Uint8Array[] = [];

  constructor(start: Instance, step: number) {
    this.instances = reachableInstances(start);
    // The start instance's memories, tables and globals come first, in its index order
    // (so world index = the module's index for them); other instances' follow, once each.
    const mems: MemoryTracker[] = [];
    const tables: TableInstance[] = [];
    const globals: GlobalInstance[] = [];
    const seenGlobals = new Set<GlobalInstance>();
    this.instances.forEach((inst, k) => {
      for (const m of inst.mems) {
        let t = this.memIndex.get(m);
        if (t === undefined) {
          t = new MemoryTracker(m, step);
          this.memIndex.set(m, t);
        } else if (k > 0) continue;
        mems.push(t);
      }
      for (const t of inst.tables) {
        if (this.tableIndex.has(t) && k > 0) continue;
        if (!this.tableIndex.has(t)) this.tableIndex.set(t, tables.length);
        tables.push(t);
      }
      for (const g of inst.globals) {
        if (seenGlobals.has(g) && k > 0) continue;
        seenGlobals.add(g);
        globals.push(g);
      }
    });
    this.memories = mems;
    this.tables = tables;
    this.globals = globals;
    this.tableDirty = new Uint8Array(tables.length).fill(1);
  }

  /** The tracker of a memory (undefined for one no reachable instance has). */
  tracker(mem: MemoryInstance): MemoryTracker | undefined {
    return this.memIndex.get(mem);
  }

  tableNumber(t: TableInstance): number {
    return this.tableIndex.get(t) ?? -1;
  }

  /** A table was (possibly) changed by the current step. */
  markTable(t: TableInstance): void {
    // A table imported twice appears twice; tables are few, so a scan is fine.
    for (let i = 0; i < this.tables.length; i++) if (this.tables[i] === t) this.tableDirty[i] = 1;
  }

  /** The image of the whole world at `step`; it becomes the base of later images. `bytes` is its own cost. */
  capture(step: number): { image: WorldImage; bytes: number; pages: number[][] } {
    let bytes = 0;
    const pages: number[][] = [];
    const mems = this.memories.map((t) => {
      const r = t.image(step);
      bytes += r.bytes;
      pages.push(r.pages);
      return r.image;
    });
    const tables = this.tables.map((t, i) => {
      const prev = this.base?.tables[i];
      if (prev !== undefined && this.tableDirty[i] === 0) return prev;
      bytes += 8 * t.elements.length + 32;
      return t.elements.slice();
    });
    this.tableDirty.fill(0);
    const globalWords = new Int32Array(4 * this.globals.length);
    const globalRefs = this.globals.map((g, i) => {
      globalWords.set(g.words, 4 * i);
      return g.ref;
    });
    const datas = this.instances.map((inst) => inst.datas.slice());
    const elems = this.instances.map((inst) => inst.elems.slice());
    bytes += 24 * this.globals.length + 16 * this.instances.length * 2 + 64;
    const image: WorldImage = { mems, tables, globalWords, globalRefs, datas, elems };
    this.base = image;
    return { image, bytes, pages };
  }

  /** Replay reached the step of `image`: the live world equals it, so it becomes the base. */
  rebase(image: WorldImage, step: number): void {
    this.memories.forEach((t, i) => t.rebase(image.mems[i]!, step));
    this.tableDirty.fill(0);
    this.base = image;
  }

  /** Makes the live world equal to `image`. */
  restore(image: WorldImage, step: number): void {
    this.memories.forEach((t, i) => t.restore(image.mems[i]!, step));
    this.tables.forEach((t, i) => {
      const src = image.tables[i]!;
      if (this.tableDirty[i] === 0 && this.base?.tables[i] === src) return;
      // In place: other holders of the elements array (e.g. a JS API Table) keep seeing it.
      t.elements.length = src.length;
      for (let k = 0; k < src.length; k++) t.elements[k] = src[k];
    });
    this.tableDirty.fill(0);
    this.globals.forEach((g, i) => {
      g.words.set(image.globalWords.subarray(4 * i, 4 * i + 4));
      g.ref = image.globalRefs[i];
    });
    this.instances.forEach((inst, i) => {
      const d = image.datas[i]!;
      for (let k = 0; k < d.length; k++) inst.datas[k] = d[k]!;
      const e = image.elems[i]!;
      for (let k = 0; k < e.length; k++) inst.elems[k] = e[k]!;
    });
    this.base = image;
  }

  /** Remembers what a host function could change, to diff it afterwards. */
  beginHost(): HostBefore {
    const mems = this.memories.map((t, i) => {
      const live = t.mem.bytes;
      let s = this.scratch[i];
      if (s === undefined || s.length !== live.length) {
        s = new Uint8Array(live.length);
        this.scratch[i] = s;
      }
      s.set(live);
      return s;
    });
    const globalWords = new Int32Array(4 * this.globals.length);
    const globalRefs = this.globals.map((g, i) => {
      globalWords.set(g.words, 4 * i);
      return g.ref;
    });
    return { mems, globalWords, globalRefs, tables: this.tables.map((t) => t.elements.slice()) };
  }

  /**
   * What the host changed since beginHost, marked as written by the step ending at `step`;
   * undefined when it changed nothing (the common case: most imports only read or print).
   */
  endHost(before: HostBefore, step: number): HostEffect | undefined {
    const mems: { index: number; byteLength: number; patches: { offset: number; bytes: Uint8Array }[] }[] = [];
    this.memories.forEach((t, i) => {
      const old = before.mems[i]!;
      const live = t.mem.bytes;
      const patches = diffBytes(old, live);
      if (patches.length === 0 && live.length === old.length) return;
      if (live.length !== old.length) t.grew(step);
      for (const p of patches) t.mark(p.offset, p.bytes.length, step);
      mems.push({ index: i, byteLength: live.length, patches });
    });
    const globals: { index: number; words: Int32Array; ref: unknown }[] = [];
    this.globals.forEach((g, i) => {
      const w = before.globalWords;
      if (g.ref !== before.globalRefs[i] || g.words[0] !== w[4 * i] || g.words[1] !== w[4 * i + 1] || g.words[2] !== w[4 * i + 2] || g.words[3] !== w[4 * i + 3]) {
        globals.push({ index: i, words: g.words.slice(), ref: g.ref });
      }
    });
    const tables: { index: number; elements: unknown[] }[] = [];
    this.tables.forEach((t, i) => {
      const old = before.tables[i]!;
      const now = t.elements;
      let same = old.length === now.length;
      for (let k = 0; same && k < now.length; k++) same = old[k] === now[k];
      if (!same) {
        tables.push({ index: i, elements: now.slice() });
        this.tableDirty[i] = 1;
      }
    });
    if (mems.length === 0 && globals.length === 0 && tables.length === 0) return undefined;
    return { mems, globals, tables };
  }

  /** Replays a recorded host effect (as if the host ran again), marked at `step`. */
  applyHost(effect: HostEffect, step: number): void {
    for (const m of effect.mems) {
      const t = this.memories[m.index]!;
      if (t.mem.byteLength < m.byteLength) {
        t.mem.grow((m.byteLength - t.mem.byteLength) / PAGE_SIZE);
        t.grew(step);
      }
      for (const p of m.patches) {
        t.mem.bytes.set(p.bytes, p.offset);
        t.mark(p.offset, p.bytes.length, step);
      }
    }
    for (const g of effect.globals) {
      const gi = this.globals[g.index]!;
      gi.words.set(g.words);
      gi.ref = g.ref;
    }
    for (const tb of effect.tables) {
      const t = this.tables[tb.index]!;
      t.elements.length = tb.elements.length;
      for (let k = 0; k < tb.elements.length; k++) t.elements[k] = tb.elements[k];
      this.tableDirty[tb.index] = 1;
    }
  }
}

/** Runs of differing bytes between two memories (bytes beyond `a` compare against zero). */
function diffBytes(a: Uint8Array, b: Uint8Array): { offset: number; bytes: Uint8Array }[] {
  const out: { offset: number; bytes: Uint8Array }[] = [];
  // Memories are whole 64 KiB pages, so whole 32-bit words compare (and patch) at a time.
  // Tight loops: this runs over all of memory on every first-time host call.
  const wa = new Int32Array(a.buffer, a.byteOffset, a.length >> 2);
  const wb = new Int32Array(b.buffer, b.byteOffset, b.length >> 2);
  // Skimming equal stretches 8 bytes at a time is twice as fast; a NaN pattern compares
  // unequal to itself, so a mismatch there is settled on the 32-bit words below.
  const da = new Float64Array(a.buffer, a.byteOffset, a.length >> 3);
  const db = new Float64Array(b.buffer, b.byteOffset, b.length >> 3);
  const common = Math.min(wa.length, wb.length);
  const commonD = common >> 1;
  let k = 0;
  while (k < common) {
    if ((k & 1) === 0) {
      let d = k >> 1;
      while (d < commonD && da[d] === db[d]) d++;
      k = 2 * d;
      if (k >= common) break;
    }
    if (wa[k] === wb[k]) {
      k++;
      continue;
    }
    const start = k;
    while (k < common && wa[k] !== wb[k]) k++;
    out.push({ offset: 4 * start, bytes: b.slice(4 * start, 4 * k) });
  }
  // Memory the host grew: only what is not zero.
  for (k = common; k < wb.length; ) {
    while (k < wb.length && wb[k] === 0) k++;
    if (k >= wb.length) break;
    const start = k;
    while (k < wb.length && wb[k] !== 0) k++;
    out.push({ offset: 4 * start, bytes: b.slice(4 * start, 4 * k) });
  }
  return out;
}
