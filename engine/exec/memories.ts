// Memory instructions on any memory, with i32 or i64 addresses: multiple memories and
// memory64 (https://webassembly.github.io/spec/core/exec/instructions.html#memory-instructions).
//
// Memory 0 with i32 addresses keeps its own internal opcodes in the dispatch loop
// (engine/exec/machine.ts), so 2.0 code runs exactly as before. Every other memory
// instruction is compiled to one of the MEM_* opcodes (engine/exec/layout.ts) and runs here.
//
// Addresses are exact: an i64 address is read from its two words, and the effective address
// `address + offset` is compared with the memory's size without wrapping. Both fit a double
// exactly below 2^53; anything at or above that is beyond every memory (sizes are capped by
// the configured page limit), so it is treated as infinitely far and traps with
// "out of bounds memory access", never wrapping around to a small address.

import type { Instr } from '../syntax/index.ts';
import { internalOp, memAccessOffset, OPC } from './layout.ts';
import type { Machine } from './machine.ts';
import type { MemoryInstance } from './memory.ts';
import type { Instance } from './runtime.ts';
import { Trap, TrapMessage } from './trap.ts';
import { accessSize, vectorAccess } from './vector.ts';

const TWO32 = 0x1_0000_0000;
const EMPTY_BYTES = new Uint8Array(0);

function oob(): never {
  throw new Trap(TrapMessage.memoryOutOfBounds);
}

/** The unsigned address (or size, length) in stack slot `slot`: i64 when `wide`; Infinity from 2^53 up. */
function operand(i32: Int32Array, slot: number, wide: boolean): number {
  const lo = i32[2 * slot]! >>> 0;
  if (!wide) return lo;
  const hi = i32[2 * slot + 1]! >>> 0;
  return hi >= 0x20_0000 ? Infinity : hi * TWO32 + lo;
}

function is64(mem: MemoryInstance): boolean {
  return mem.type.limits.index64 === true;
}

/** Bytes a scalar load or store (internal opcode 0x28–0x3e) accesses. */
function scalarSize(op: number): number {
  switch (op) {
    case 0x29: case 0x2b: case 0x37: case 0x39: return 8;
    case 0x2c: case 0x2d: case 0x30: case 0x31: case 0x3a: case 0x3c: return 1;
    case 0x2e: case 0x2f: case 0x32: case 0x33: case 0x3b: case 0x3d: return 2;
    default: return 4;
  }
}

/** Runs the MEM_* instruction at `pc`; returns the new stack pointer (unchanged when it traps). */
export function execMemory(m: Machine, op: number, code: Int32Array, pc: number, sp: number, inst: Instance): number {
  const i32 = m.i32;
  switch (op) {
    case OPC.MEM_ACCESS: {
      const access = code[pc + 1]!;
      const mem = inst.mems[code[pc + 2]!]!;
      const offset = memAccessOffset(code, pc);
      if (access >= OPC.FD) {
        const sub = access - OPC.FD;
        const size = accessSize(sub);
        const store = sub === 0x0b || sub >= 0x54; // v128.store and the lane instructions
        const ea = operand(i32, store ? sp - 3 : sp - 1, is64(mem)) + offset;
        if (ea + size > mem.byteLength) oob();
        return vectorAccess(m, sub, size, mem, ea, code[pc + 5]!, sp);
      }
      const store = access >= 0x36;
      const a = store ? sp - 2 : sp - 1;
      const ea = operand(i32, a, is64(mem)) + offset;
      if (ea + scalarSize(access) > mem.byteLength) oob();
      scalar(access, mem, ea, i32, 2 * a);
      return store ? sp - 2 : sp;
    }
    case OPC.MEM_SIZE: {
      const mem = inst.mems[code[pc + 1]!]!;
      i32[2 * sp] = mem.pages;
      i32[2 * sp + 1] = 0;
      return sp + 1;
    }
    case OPC.MEM_GROW: {
      const mem = inst.mems[code[pc + 1]!]!;
      const wide = is64(mem);
      const delta = operand(i32, sp - 1, wide);
      const old = delta > mem.cap ? -1 : mem.grow(delta);
      i32[2 * sp - 2] = old;
      if (wide) i32[2 * sp - 1] = old < 0 ? -1 : 0; // i64 result: -1 stays -1
      return sp;
    }
    case OPC.MEM_FILL: {
      const mem = inst.mems[code[pc + 1]!]!;
      const wide = is64(mem);
      const d = operand(i32, sp - 3, wide);
      const v = i32[2 * sp - 4]! & 0xff;
      const n = operand(i32, sp - 1, wide);
      if (d + n > mem.byteLength) oob();
      mem.bytes.fill(v, d, d + n);
      return sp - 3;
    }
    case OPC.MEM_COPY: {
      const dst = inst.mems[code[pc + 1]!]!;
      const src = inst.mems[code[pc + 2]!]!;
      const d = operand(i32, sp - 3, is64(dst));
      const s = operand(i32, sp - 2, is64(src));
      const n = operand(i32, sp - 1, is64(dst) && is64(src));
      if (s + n > src.byteLength || d + n > dst.byteLength) oob();
      if (dst === src) dst.bytes.copyWithin(d, s, s + n);
      else dst.bytes.set(src.bytes.subarray(s, s + n), d);
      return sp - 3;
    }
    case OPC.MEM_INIT: {
      const data = inst.datas[code[pc + 1]!] ?? EMPTY_BYTES;
      const mem = inst.mems[code[pc + 2]!]!;
      const d = operand(i32, sp - 3, is64(mem));
      const s = i32[2 * sp - 4]! >>> 0;
      const n = i32[2 * sp - 2]! >>> 0;
      if (s + n > data.length || d + n > mem.byteLength) oob();
      mem.bytes.set(data.subarray(s, s + n), d);
      return sp - 3;
    }
    default:
      throw new Trap(`internal error: unknown memory opcode 0x${op.toString(16)}`);
  }
}

/** A scalar load or store at `ea` (in bounds); the address is at word `w`, the value after it. */
function scalar(op: number, mem: MemoryInstance, ea: number, i32: Int32Array, w: number): void {
  const dv = mem.view;
  switch (op) {
    case 0x28: case 0x2a: // i32.load, f32.load (bits)
      i32[w] = dv.getInt32(ea, true);
      return;
    case 0x29: case 0x2b: // i64.load, f64.load
      i32[w] = dv.getInt32(ea, true);
      i32[w + 1] = dv.getInt32(ea + 4, true);
      return;
    case 0x2c: case 0x2d: case 0x30: case 0x31: { // load8_s/u
      const v = op === 0x2c || op === 0x30 ? dv.getInt8(ea) : dv.getUint8(ea);
      i32[w] = v;
      i32[w + 1] = op === 0x30 ? v >> 31 : 0;
      return;
    }
    case 0x2e: case 0x2f: case 0x32: case 0x33: { // load16_s/u
      const v = op === 0x2e || op === 0x32 ? dv.getInt16(ea, true) : dv.getUint16(ea, true);
      i32[w] = v;
      i32[w + 1] = op === 0x32 ? v >> 31 : 0;
      return;
    }
    case 0x34: case 0x35: { // i64.load32_s/u
      const v = dv.getInt32(ea, true);
      i32[w] = v;
      i32[w + 1] = op === 0x34 ? v >> 31 : 0;
      return;
    }
    case 0x36: case 0x38: case 0x3e: // i32.store, f32.store, i64.store32
      dv.setInt32(ea, i32[w + 2]!, true);
      return;
    case 0x37: case 0x39: // i64.store, f64.store
      dv.setInt32(ea, i32[w + 2]!, true);
      dv.setInt32(ea + 4, i32[w + 3]!, true);
      return;
    case 0x3a: case 0x3c: // store8
      dv.setInt8(ea, i32[w + 2]!);
      return;
    case 0x3b: case 0x3d: // store16
      dv.setInt16(ea, i32[w + 2]!, true);
      return;
    default:
      throw new Trap(`internal error: unknown memory access 0x${op.toString(16)}`);
  }
}

/**
 * The code for a load or store `ins` (wasm opcode `op`) when it needs a MEM_* opcode — a
 * memory other than 0, or an i64 memory — or undefined for memory 0's own opcodes.
 */
export function memAccessCode(ins: Instr, op: number, mem64: readonly boolean[]): number[] | undefined {
  const m = ins.memarg!;
  const x = m.memory ?? 0;
  if (x === 0 && mem64[0] !== true) return undefined;
  const offset = m.offset64 ?? BigInt(m.offset);
  const lane = ins.index !== undefined && op >>> 16 === 0xfd ? ins.index : 0;
  return [OPC.MEM_ACCESS, internalOp(op), x, Number(offset & 0xffff_ffffn) | 0, Number(offset >> 32n) | 0, lane];
}
