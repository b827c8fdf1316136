// Table instances (https://webassembly.github.io/spec/core/exec/runtime.html#table-instances)
// and growing them (https://webassembly.github.io/spec/core/exec/modules.html#grow-table).
// Elements are references as the interpreter represents them (engine/exec/values.ts):
// null, a function instance, or a host value.

import type { TableType } from '../syntax/index.ts';

/** Table sizes are u32 in 2.0. */
export const MAX_TABLE_SIZE = 0xffff_ffff;

export class TableInstance {
  readonly type: TableType;
  /** The smaller of the declared maximum and the configured cap. */
  readonly cap: number;
  elements: unknown[];
  /** The element type as a type code (engine/valid/types.ts), set by instantiation; see GlobalInstance.typeCode. */
  elemCode = -1;

  constructor(type: TableType, init: unknown = null, cap: number = MAX_TABLE_SIZE) {
    this.type = type;
    this.cap = Math.min(type.limits.max ?? MAX_TABLE_SIZE, cap);
    if (type.limits.min > this.cap) throw new RangeError(`table of ${type.limits.min} elements exceeds the limit of ${this.cap}`);
    this.elements = new Array<unknown>(type.limits.min).fill(init);
  }

  get size(): number {
    return this.elements.length;
  }

  /** Grows by `delta` elements set to `init`; returns the old size, or -1 (and changes nothing). */
  grow(delta: number, init: unknown): number {
    const old = this.elements.length;
    if (delta < 0 || old + delta > this.cap) return -1;
    try {
      for (let i = 0; i < delta; i++) this.elements.push(init);
    } catch {
      this.elements.length = old;
      return -1;
    }
    return old;
  }
}
