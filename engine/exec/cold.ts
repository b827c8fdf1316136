// The interpreter's cold instructions, kept out of the main dispatch loop so it stays
// small enough to optimize: table instructions, bulk memory, saturating truncation
// (https://webassembly.github.io/spec/core/exec/instructions.html#table-instructions,
// #memory-instructions, #numeric-instructions), and SIMD through engine/exec/vector.ts.
//
// Each takes the stack pointer and returns the new one; when it traps it leaves the stack
// as it was, so a paused view shows the operands of the failing instruction.

import { segmentIndex, tableCopySource, tableIndex } from './layout.ts';
import type { Machine } from './machine.ts';
import { truncSatI32S, truncSatI32U, truncSatI64S, truncSatI64U } from './numeric.ts';
import type { Instance } from './runtime.ts';
import { Trap, TrapMessage } from './trap.ts';
import { execVector } from './vector.ts';

const EMPTY_BYTES = new Uint8Array(0);
const EMPTY_REFS: unknown[] = [];

function memoryOob(): never {
  throw new Trap(TrapMessage.memoryOutOfBounds);
}

function tableOob(): never {
  throw new Trap(TrapMessage.tableOutOfBounds);
}

export function execCold(m: Machine, op: number, code: Int32Array, pc: number, sp: number, inst: Instance): number {
  if (op >= 0x100) return execVector(m, op, code, pc, sp, inst);
  const i32 = m.i32;
  const refs = m.refs;
  switch (op) {
    case 0x25: { // table.get
      const t = inst.tables[tableIndex(code, pc)]!;
      const i = i32[2 * sp - 2]! >>> 0;
      if (i >= t.elements.length) tableOob();
      refs[sp - 1] = t.elements[i];
      return sp;
    }
    case 0x26: { // table.set
      const t = inst.tables[tableIndex(code, pc)]!;
      const i = i32[2 * sp - 4]! >>> 0;
      if (i >= t.elements.length) tableOob();
      t.elements[i] = refs[sp - 1];
      refs[sp - 1] = null;
      return sp - 2;
    }

    // 0xFC 0-7: saturating truncation
    case 0xe0:
      i32[2 * sp - 2] = truncSatI32S(m.f32[2 * sp - 2]!);
      return sp;
    case 0xe1:
      i32[2 * sp - 2] = truncSatI32U(m.f32[2 * sp - 2]!);
      return sp;
    case 0xe2:
      i32[2 * sp - 2] = truncSatI32S(m.f64[sp - 1]!);
      return sp;
    case 0xe3:
      i32[2 * sp - 2] = truncSatI32U(m.f64[sp - 1]!);
      return sp;
    case 0xe4:
      m.i64[sp - 1] = truncSatI64S(m.f32[2 * sp - 2]!);
      return sp;
    case 0xe5:
      m.i64[sp - 1] = truncSatI64U(m.f32[2 * sp - 2]!);
      return sp;
    case 0xe6:
      m.i64[sp - 1] = truncSatI64S(m.f64[sp - 1]!);
      return sp;
    case 0xe7:
      m.i64[sp - 1] = truncSatI64U(m.f64[sp - 1]!);
      return sp;

    case 0xe8: { // memory.init data: [dest src n]
      const mem = inst.mems[0];
      const data = inst.datas[segmentIndex(code, pc)] ?? EMPTY_BYTES;
      const d = i32[2 * sp - 6]! >>> 0;
      const s = i32[2 * sp - 4]! >>> 0;
      const n = i32[2 * sp - 2]! >>> 0;
      if (mem === undefined || s + n > data.length || d + n > mem.byteLength) memoryOob();
      mem.bytes.set(data.subarray(s, s + n), d);
      return sp - 3;
    }
    case 0xe9: // data.drop
      inst.datas[segmentIndex(code, pc)] = EMPTY_BYTES;
      return sp;
    case 0xea: { // memory.copy: [dest src n], overlapping regions copy as if through a buffer
      const mem = inst.mems[0];
      const d = i32[2 * sp - 6]! >>> 0;
      const s = i32[2 * sp - 4]! >>> 0;
      const n = i32[2 * sp - 2]! >>> 0;
      if (mem === undefined || s + n > mem.byteLength || d + n > mem.byteLength) memoryOob();
      mem.bytes.copyWithin(d, s, s + n);
      return sp - 3;
    }
    case 0xeb: { // memory.fill: [dest value n]
      const mem = inst.mems[0];
      const d = i32[2 * sp - 6]! >>> 0;
      const v = i32[2 * sp - 4]! & 0xff;
      const n = i32[2 * sp - 2]! >>> 0;
      if (mem === undefined || d + n > mem.byteLength) memoryOob();
      mem.bytes.fill(v, d, d + n);
      return sp - 3;
    }
    case 0xec: { // table.init elem table: [dest src n]
      const elem = inst.elems[segmentIndex(code, pc)] ?? EMPTY_REFS;
      const t = inst.tables[tableIndex(code, pc)]!;
      const d = i32[2 * sp - 6]! >>> 0;
      const s = i32[2 * sp - 4]! >>> 0;
      const n = i32[2 * sp - 2]! >>> 0;
      if (s + n > elem.length || d + n > t.elements.length) tableOob();
      for (let k = 0; k < n; k++) t.elements[d + k] = elem[s + k];
      return sp - 3;
    }
    case 0xed: // elem.drop
      inst.elems[segmentIndex(code, pc)] = EMPTY_REFS;
      return sp;
    case 0xee: { // table.copy dst src: [dest src n]
      const dst = inst.tables[tableIndex(code, pc)]!;
      const src = inst.tables[tableCopySource(code, pc)]!;
      const d = i32[2 * sp - 6]! >>> 0;
      const s = i32[2 * sp - 4]! >>> 0;
      const n = i32[2 * sp - 2]! >>> 0;
      if (s + n > src.elements.length || d + n > dst.elements.length) tableOob();
      if (dst === src) dst.elements.copyWithin(d, s, s + n);
      else for (let k = 0; k < n; k++) dst.elements[d + k] = src.elements[s + k];
      return sp - 3;
    }
    case 0xef: { // table.grow: [init n] → old size or -1
      const t = inst.tables[tableIndex(code, pc)]!;
      const r = t.grow(i32[2 * sp - 2]! >>> 0, refs[sp - 2]);
      i32[2 * sp - 4] = r;
      refs[sp - 2] = null;
      return sp - 1;
    }
    case 0xf0: // table.size
      i32[2 * sp] = inst.tables[tableIndex(code, pc)]!.elements.length;
      return sp + 1;
    case 0xf1: { // table.fill: [i value n]
      const t = inst.tables[tableIndex(code, pc)]!;
      const i = i32[2 * sp - 6]! >>> 0;
      const v = refs[sp - 2];
      const n = i32[2 * sp - 2]! >>> 0;
      if (i + n > t.elements.length) tableOob();
      t.elements.fill(v, i, i + n);
      refs[sp - 2] = null;
      return sp - 3;
    }
    default:
      throw new Trap(`internal error: unknown opcode 0x${op.toString(16)}`);
  }
}
