// Validation of memory instructions with multiple memories and memory64
// (https://webassembly.github.io/spec/core/valid/instructions.html#memory-instructions):
// each memory instruction names a memory (memarg's memory index, or its own immediates),
// which must exist, and takes its addresses as that memory's address type `at` (i32 or
// i64). The instruction table's signatures (engine/valid/signatures.ts) are the i32 forms;
// this file swaps in i64 where an i64 memory's addresses, sizes and lengths go:
//   load   [at] → [t]            store  [at t] → []        memory.size [] → [at]
//   memory.grow [at] → [at]      memory.fill [at i32 at] → []
//   memory.copy x y [at_x at_y min(at_x, at_y)] → []       memory.init x y [at i32 i32] → []
// and refuses a memarg offset that does not fit the address type.

import type { Instr } from '../syntax/index.ts';
import type { CodeContext } from './code.ts';
import type { ValidationSig } from './signatures.ts';
import { I32, I64, type Types } from './types.ts';

const MEMORY_SIZE = 0x3f;
const MEMORY_GROW = 0x40;
const MEMORY_COPY = 0xfc000a;
const MEMORY_FILL = 0xfc000b;

/** The memory an instruction uses (memory.copy: its destination). */
export function memoryOf(ins: Instr): number {
  if (ins.memarg !== undefined) return ins.memarg.memory ?? 0;
  if (ins.code === MEMORY_SIZE || ins.code === MEMORY_GROW) return ins.index ?? 0;
  return ins.index2 ?? 0;
}

/**
 * What is wrong with a memory instruction's memory indices and memarg in context `c`, in
 * the spec suite's wording, or undefined. `natural` is the memarg's natural alignment (-1: none).
 */
export function memoryProblem(c: CodeContext, ins: Instr, natural: number): string | undefined {
  const x = memoryOf(ins);
  if (x >= c.memCount) return `unknown memory ${x}`;
  if (ins.code === MEMORY_COPY && (ins.index3 ?? 0) >= c.memCount) return `unknown memory ${ins.index3}`;
  const m = ins.memarg;
  if (m === undefined) return undefined;
  if (natural >= 0 && m.align > natural) return `alignment must not be larger than natural: 2^${m.align} > ${1 << natural} bytes`;
  if (c.mem64[x] !== 1 && (m.offset64 !== undefined || m.offset > 0xffff_ffff)) {
    return `offset out of range: ${m.offset64 ?? m.offset} does not fit memory ${x}'s 32-bit addresses`;
  }
  return undefined;
}

// The i64 forms of the signatures, made once per opcode (the table's arrays are shared).
const wide = new Map<ValidationSig, ValidationSig>();
const copies = new Map<string, ValidationSig>();

function swap(types: Types, positions: readonly number[]): Types {
  const out = Int32Array.from(types);
  for (const p of positions) out[p] = I64;
  return out;
}

/** The signature of memory instruction `ins` (valid per memoryProblem) with its memories' address types. */
export function memorySig(c: CodeContext, ins: Instr, s: ValidationSig): ValidationSig {
  const x = memoryOf(ins);
  if (ins.code === MEMORY_COPY) {
    const at1 = c.mem64[x] === 1;
    const at2 = c.mem64[ins.index3 ?? 0] === 1;
    if (!at1 && !at2) return s;
    const key = `${at1 ? 1 : 0}${at2 ? 1 : 0}`;
    let hit: ValidationSig | undefined = copies.get(key);
    if (hit === undefined) {
      const params = Int32Array.from([at1 ? I64 : I32, at2 ? I64 : I32, at1 && at2 ? I64 : I32]);
      hit = { ...s, params };
      copies.set(key, hit);
    }
    return hit;
  }
  if (c.mem64[x] !== 1) return s;
  let hit: ValidationSig | undefined = wide.get(s);
  if (hit === undefined) {
    if (ins.code === MEMORY_SIZE) hit = { ...s, results: swap(s.results, [0]) };
    else if (ins.code === MEMORY_GROW) hit = { ...s, params: swap(s.params, [0]), results: swap(s.results, [0]) };
    else if (ins.code === MEMORY_FILL) hit = { ...s, params: swap(s.params, [0, 2]) };
    else hit = { ...s, params: swap(s.params, [0]) }; // loads and stores: the address comes first
    wide.set(s, hit);
  }
  return hit;
}

/** memory.init x y: [at i32 i32] → []. */
export function memoryInitParams(c: CodeContext, ins: Instr): Types {
  return c.mem64[ins.index2 ?? 0] === 1 ? INIT64 : INIT32;
}
const INIT32 = Int32Array.from([I32, I32, I32]);
const INIT64 = Int32Array.from([I64, I32, I32]);
