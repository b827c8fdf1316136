// SIMD in the interpreter (https://webassembly.github.io/spec/core/exec/instructions.html#vector-instructions):
// the vector memory instructions (loads with extension, splat, zero and lane; stores) are
// here; every other vector instruction goes to the lane operations of engine/exec/simd.ts
// through its agreed interface, simdOp/simdArity.
//
// A v128 takes two value-stack slots (four little-endian words). Vector operands sit
// below a scalar operand; results replace the operands from the lowest one up.

import { laneIndex, memLane, memOffset, OPC, v128Word } from './layout.ts';
import type { Machine } from './machine.ts';
import { execMemory } from './memories.ts';
import type { MemoryInstance } from './memory.ts';
import type { Instance } from './runtime.ts';
import { simdArity, simdOp } from './simd.ts';
import { Trap, TrapMessage } from './trap.ts';

// Scratch 16-byte registers for simdOp's operands and result (no allocation per op).
function reg(): { u8: Uint8Array; i32: Int32Array } {
  const buf = new ArrayBuffer(16);
  return { u8: new Uint8Array(buf), i32: new Int32Array(buf) };
}
const RA = reg();
const RB = reg();
const RC = reg();
const RO = reg();
const IMM: { lane?: number; bytes?: Uint8Array } = { lane: 0, bytes: new Uint8Array(16) };
const IMM_BYTES = reg();

function oob(): never {
  throw new Trap(TrapMessage.memoryOutOfBounds);
}

/** Bytes per memory access of the v128 load/store instructions by sub-opcode, for the bounds check. */
export function accessSize(sub: number): number {
  switch (sub) {
    case 0x00: case 0x0b: return 16; // v128.load, v128.store
    case 0x01: case 0x02: case 0x03: case 0x04: case 0x05: case 0x06: return 8; // loadNxM
    case 0x07: case 0x54: case 0x58: return 1; // load8_splat, load8_lane, store8_lane
    case 0x08: case 0x55: case 0x59: return 2;
    case 0x09: case 0x56: case 0x5a: case 0x5c: return 4;
    case 0x0a: case 0x57: case 0x5b: case 0x5d: return 8;
    default: return 0;
  }
}

/** Copies the v128 at `slot` of the value stack into a scratch register. */
function vec(i32: Int32Array, r: { u8: Uint8Array; i32: Int32Array }, slot: number): Uint8Array {
  for (let k = 0; k < 4; k++) r.i32[k] = i32[2 * slot + k]!;
  return r.u8;
}

const CANON32 = 0x7fc0_0000;
const CANON64_HI = 0x7ff8_0000;

/**
 * The most common vector instructions, computed in place on the value stack without the
 * scratch registers and the general lane functions of simd.ts, which give the same bits
 * (simd.test.ts checks simdOp; the spec suite's simd_*.wast scripts run through here).
 * Returns the new stack pointer, or -1 for any other op.
 */
function fastVector(m: Machine, sub: number, code: Int32Array, pc: number, sp: number): number {
  const i32 = m.i32;
  // Two vector operands a (words w..w+3) and b (w+4..w+7); the result replaces a.
  const w = 2 * sp - 8;
  switch (sub) {
    case 0x0c: // v128.const
      for (let k = 0; k < 4; k++) i32[2 * sp + k] = v128Word(code, pc, k);
      return sp + 2;
    case 0x11: // i32x4.splat
    case 0x13: { // f32x4.splat (bits)
      const x = i32[2 * sp - 2]!;
      const o = 2 * sp - 2;
      i32[o] = x;
      i32[o + 1] = x;
      i32[o + 2] = x;
      i32[o + 3] = x;
      return sp + 1;
    }
    case 0x1b: { // i32x4.extract_lane
      const l = laneIndex(code, pc);
      if (!(l >= 0 && l < 4)) return -1;
      i32[2 * sp - 4] = i32[2 * sp - 4 + l]!;
      return sp - 1;
    }
    case 0x4d: // v128.not
      for (let k = 2 * sp - 4; k < 2 * sp; k++) i32[k] = ~i32[k]!;
      return sp;
    case 0x4e: // v128.and
      for (let k = 0; k < 4; k++) i32[w + k] = i32[w + k]! & i32[w + 4 + k]!;
      return sp - 2;
    case 0x4f: // v128.andnot
      for (let k = 0; k < 4; k++) i32[w + k] = i32[w + k]! & ~i32[w + 4 + k]!;
      return sp - 2;
    case 0x50: // v128.or
      for (let k = 0; k < 4; k++) i32[w + k] = i32[w + k]! | i32[w + 4 + k]!;
      return sp - 2;
    case 0x51: // v128.xor
      for (let k = 0; k < 4; k++) i32[w + k] = i32[w + k]! ^ i32[w + 4 + k]!;
      return sp - 2;
    case 0xab: // i32x4.shl
    case 0xac: // i32x4.shr_s
    case 0xad: { // i32x4.shr_u
      const s = i32[2 * sp - 2]! & 31;
      const v = 2 * sp - 6;
      for (let k = v; k < v + 4; k++) {
        const x = i32[k]!;
        i32[k] = sub === 0xab ? x << s : sub === 0xac ? x >> s : x >>> s;
      }
      return sp - 1;
    }
    case 0xae: // i32x4.add
      for (let k = 0; k < 4; k++) i32[w + k] = (i32[w + k]! + i32[w + 4 + k]!) | 0;
      return sp - 2;
    case 0xb1: // i32x4.sub
      for (let k = 0; k < 4; k++) i32[w + k] = (i32[w + k]! - i32[w + 4 + k]!) | 0;
      return sp - 2;
    case 0xb5: // i32x4.mul
      for (let k = 0; k < 4; k++) i32[w + k] = Math.imul(i32[w + k]!, i32[w + 4 + k]!);
      return sp - 2;
    case 0xe4: // f32x4.add
    case 0xe5: // f32x4.sub
    case 0xe6: // f32x4.mul
    case 0xe7: // f32x4.div
    case 0xe8: // f32x4.min (Math.min is fmin: NaN if either is, -0 below +0)
    case 0xe9: { // f32x4.max
      // Double arithmetic and one rounding on the Float32Array store: correctly rounded.
      const f32 = m.f32;
      for (let k = w; k < w + 4; k++) {
        const x = f32[k]!;
        const y = f32[k + 4]!;
        const r = sub === 0xe4 ? x + y : sub === 0xe5 ? x - y : sub === 0xe6 ? x * y : sub === 0xe7 ? x / y : sub === 0xe8 ? Math.min(x, y) : Math.max(x, y);
        if (r !== r) i32[k] = CANON32;
        else f32[k] = r;
      }
      return sp - 2;
    }
    case 0xf0: // f64x2.add
    case 0xf1: // f64x2.sub
    case 0xf2: // f64x2.mul
    case 0xf3: // f64x2.div
    case 0xf4: // f64x2.min
    case 0xf5: { // f64x2.max
      const f64 = m.f64;
      for (let k = sp - 4; k < sp - 2; k++) {
        const x = f64[k]!;
        const y = f64[k + 2]!;
        const r = sub === 0xf0 ? x + y : sub === 0xf1 ? x - y : sub === 0xf2 ? x * y : sub === 0xf3 ? x / y : sub === 0xf4 ? Math.min(x, y) : Math.max(x, y);
        if (r !== r) {
          i32[2 * k] = 0;
          i32[2 * k + 1] = CANON64_HI;
        } else f64[k] = r;
      }
      return sp - 2;
    }
  }
  return -1;
}

export function execVector(m: Machine, op: number, code: Int32Array, pc: number, sp: number, inst: Instance): number {
  // The memory instructions on other memories and i64 addresses (MEM_*) share this cold path.
  if (op >= OPC.MEM_ACCESS && op <= OPC.MEM_FILL) return execMemory(m, op, code, pc, sp, inst);
  const sub = op - 0x100;
  const i32 = m.i32;
  const size = accessSize(sub);
  if (size > 0) return memoryOp(m, sub, size, code, pc, sp, inst);
  const fast = fastVector(m, sub, code, pc, sp);
  if (fast >= 0) return fast;
  const arity = simdArity(0xfd0000 | sub);
  if (arity === undefined) throw new Trap(`internal error: unknown SIMD opcode 0x${sub.toString(16)}`);
  const used = 2 * arity.vectors + (arity.scalarIn !== undefined ? 1 : 0);
  const base = sp - used;
  const a = arity.vectors >= 1 ? vec(i32, RA, base) : undefined;
  const b = arity.vectors >= 2 ? vec(i32, RB, base + 2) : undefined;
  const c = arity.vectors >= 3 ? vec(i32, RC, base + 4) : undefined;
  let scalar: number | bigint | undefined;
  const top = sp - 1;
  switch (arity.scalarIn) {
    case 'i32': scalar = i32[2 * top]!; break;
    case 'f32': scalar = i32[2 * top]! >>> 0; break;
    case 'i64': scalar = m.i64[top]!; break;
    case 'f64': scalar = BigInt.asUintN(64, m.i64[top]!); break;
  }
  if (sub === 0x0d) { // i8x16.shuffle: 16 lane indices as 4 words
    for (let k = 0; k < 4; k++) IMM_BYTES.i32[k] = v128Word(code, pc, k);
    IMM.bytes = IMM_BYTES.u8;
  } else IMM.lane = laneIndex(code, pc);
  const r = simdOp(0xfd0000 | sub, a, b, c, IMM, scalar, RO.u8);
  switch (arity.scalarOut) {
    case undefined:
      for (let k = 0; k < 4; k++) i32[2 * base + k] = RO.i32[k]!;
      return base + 2;
    case 'i32':
    case 'f32':
      i32[2 * base] = Number(r) | 0;
      return base + 1;
    default: // i64 lanes and f64 bits: a BigInt64Array store wraps to 64 bits
      m.i64[base] = BigInt(r as bigint);
      return base + 1;
  }
}

function memoryOp(m: Machine, sub: number, size: number, code: Int32Array, pc: number, sp: number, inst: Instance): number {
  const i32 = m.i32;
  const mem = inst.mems[0];
  const isStore = sub === 0x0b || (sub >= 0x58 && sub <= 0x5b);
  const hasLane = sub >= 0x54 && sub <= 0x5b;
  // The address is below the vector operand for load_lane and the stores.
  const addrSlot = hasLane || isStore ? sp - 3 : sp - 1;
  const ea = (i32[2 * addrSlot]! >>> 0) + memOffset(code, pc);
  if (mem === undefined || ea > mem.byteLength - size) oob();
  return vectorAccess(m, sub, size, mem, ea, hasLane ? memLane(code, pc) : 0, sp);
}

/**
 * The vector load or store `sub` (0xFD sub-opcode) of `size` bytes at effective address
 * `ea` of `mem`, already checked to be in bounds; returns the new stack pointer. Also runs
 * those on other memories and i64 addresses (engine/exec/memories.ts).
 */
export function vectorAccess(m: Machine, sub: number, size: number, mem: MemoryInstance, ea: number, lane: number, sp: number): number {
  const i32 = m.i32;
  const isStore = sub === 0x0b || (sub >= 0x58 && sub <= 0x5b);
  const hasLane = sub >= 0x54 && sub <= 0x5b;
  const addrSlot = hasLane || isStore ? sp - 3 : sp - 1;
  const dv = mem.view;
  const w = 2 * addrSlot; // where the result vector goes (loads)
  const v = 2 * (sp - 2); // the vector operand (load_lane, stores)
  switch (sub) {
    case 0x00: // v128.load
      for (let k = 0; k < 4; k++) i32[w + k] = dv.getInt32(ea + 4 * k, true);
      return sp + 1;
    case 0x01: // v128.load8x8_s
    case 0x02: { // v128.load8x8_u
      const r = new Int16Array(8);
      for (let k = 0; k < 8; k++) r[k] = sub === 0x01 ? dv.getInt8(ea + k) : dv.getUint8(ea + k);
      i32.set(new Int32Array(r.buffer), w);
      return sp + 1;
    }
    case 0x03: // v128.load16x4_s
    case 0x04: { // v128.load16x4_u
      for (let k = 0; k < 4; k++) i32[w + k] = sub === 0x03 ? dv.getInt16(ea + 2 * k, true) : dv.getUint16(ea + 2 * k, true);
      return sp + 1;
    }
    case 0x05: // v128.load32x2_s
    case 0x06: { // v128.load32x2_u
      const lo = dv.getInt32(ea, true);
      const hi = dv.getInt32(ea + 4, true);
      i32[w] = lo;
      i32[w + 1] = sub === 0x05 ? lo >> 31 : 0;
      i32[w + 2] = hi;
      i32[w + 3] = sub === 0x05 ? hi >> 31 : 0;
      return sp + 1;
    }
    case 0x07: { // v128.load8_splat
      const b = dv.getUint8(ea);
      const x = b * 0x0101_0101 | 0;
      for (let k = 0; k < 4; k++) i32[w + k] = x;
      return sp + 1;
    }
    case 0x08: { // v128.load16_splat
      const h = dv.getUint16(ea, true);
      const x = (h | (h << 16)) | 0;
      for (let k = 0; k < 4; k++) i32[w + k] = x;
      return sp + 1;
    }
    case 0x09: { // v128.load32_splat
      const x = dv.getInt32(ea, true);
      for (let k = 0; k < 4; k++) i32[w + k] = x;
      return sp + 1;
    }
    case 0x0a: { // v128.load64_splat
      const lo = dv.getInt32(ea, true);
      const hi = dv.getInt32(ea + 4, true);
      i32[w] = lo;
      i32[w + 1] = hi;
      i32[w + 2] = lo;
      i32[w + 3] = hi;
      return sp + 1;
    }
    case 0x5c: // v128.load32_zero
      i32[w] = dv.getInt32(ea, true);
      i32[w + 1] = 0;
      i32[w + 2] = 0;
      i32[w + 3] = 0;
      return sp + 1;
    case 0x5d: // v128.load64_zero
      i32[w] = dv.getInt32(ea, true);
      i32[w + 1] = dv.getInt32(ea + 4, true);
      i32[w + 2] = 0;
      i32[w + 3] = 0;
      return sp + 1;
    case 0x0b: // v128.store
      for (let k = 0; k < 4; k++) dv.setInt32(ea + 4 * k, i32[v + k]!, true);
      return sp - 3;
  }
  // Lane loads and stores: the lane's bytes are at byte lane*size of the vector.
  const bytes = new Uint8Array(i32.buffer, 8 * (sp - 2), 16);
  if (lane < 0 || (lane + 1) * size > 16) throw new Trap(`internal error: invalid lane index ${lane}`);
  if (isStore) {
    mem.bytes.set(bytes.subarray(lane * size, (lane + 1) * size), ea);
    return sp - 3;
  }
  bytes.set(mem.bytes.subarray(ea, ea + size), lane * size);
  i32.copyWithin(w, v, v + 4); // the updated vector replaces address and operand
  return sp - 1;
}
