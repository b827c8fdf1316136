// table64 (WebAssembly 3.0): the table instructions on a table indexed by i64
// (https://webassembly.github.io/spec/core/exec/instructions.html#table-instructions,
// address types: https://webassembly.github.io/spec/core/syntax/types.html#address-types).
//
// An i64 index takes one value-stack slot, as an i32 does, with its high word beside the
// low one. A table never holds 2^32 - 1 elements (engine/exec/limits.ts caps it far below),
// so an index of 2^32 or more is out of bounds exactly as 0xffffffff is: each i64 operand
// is narrowed to 32 bits, saturating, and the instruction runs as its 2.0 form
// (engine/exec/cold.ts). Results that are i64 (table.size, table.grow) get their high
// word. On a trap the operands are put back, so the stack shows what the instruction saw.
// call_indirect on an i64 table is the machine's own call_indirect with the same rule
// (engine/exec/machine.ts).

import { execCold } from './cold.ts';
import { TABLE64, TABLE64_BASE } from './layout.ts';
import type { Machine } from './machine.ts';
import type { Instance } from './runtime.ts';

// The low words replaced by narrowing, to put back on a trap (no allocation per instruction).
const savedSlot = new Int32Array(3);
const savedLow = new Int32Array(3);
let saved = 0;

/** Narrows the i64 in `slot` to 32 bits: 0xffffffff when it is 2^32 or more. */
function narrow(i32: Int32Array, slot: number): void {
  if (i32[2 * slot + 1] === 0) return;
  savedSlot[saved] = slot;
  savedLow[saved++] = i32[2 * slot]!;
  i32[2 * slot] = -1;
}

function is64(inst: Instance, table: number): boolean {
  return inst.tables[table]!.type.limits.index64 === true;
}

/** Executes the TABLE64 instruction `op` at `pc` (all but call_indirect); returns the new stack pointer. */
export function execTable64(m: Machine, op: number, code: Int32Array, pc: number, sp: number, inst: Instance): number {
  const i32 = m.i32;
  saved = 0;
  switch (op) {
    case TABLE64.GET: narrow(i32, sp - 1); break; // [i]
    case TABLE64.SET: narrow(i32, sp - 2); break; // [i value]
    case TABLE64.INIT: narrow(i32, sp - 3); break; // [dest:at src:i32 n:i32]
    case TABLE64.COPY: { // [dest src n]: n is i64 only when both tables are
      const dst = is64(inst, code[pc + 1]!);
      const src = is64(inst, code[pc + 2]!);
      if (dst) narrow(i32, sp - 3);
      if (src) narrow(i32, sp - 2);
      if (dst && src) narrow(i32, sp - 1);
      break;
    }
    case TABLE64.GROW: narrow(i32, sp - 1); break; // [value n]
    case TABLE64.FILL: narrow(i32, sp - 3); narrow(i32, sp - 1); break; // [i value n]
  }
  let out: number;
  try {
    out = execCold(m, TABLE64_BASE[op - TABLE64.GET]!, code, pc, sp, inst);
  } catch (e) {
    for (let k = 0; k < saved; k++) i32[2 * savedSlot[k]!] = savedLow[k]!;
    throw e;
  }
  // table.size and table.grow push an i64: the old size (or -1) sign-extended.
  if (op === TABLE64.SIZE || op === TABLE64.GROW) i32[2 * out - 1] = i32[2 * out - 2]! < 0 ? -1 : 0;
  return out;
}
