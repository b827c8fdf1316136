// The per-step bookkeeping of a session: around each instruction the interpreter runs
// (Machine.step, https://webassembly.github.io/spec/core/exec/instructions.html), which
// value-stack slots it pushed (so every value has a stable id: the step that pushed it and
// its position), which frames it created (stable frame ids), and which memory or table it
// wrote (for the copy-on-write checkpoints and changedSince, engine/trace/pages.ts). The
// interpreter's own loop is untouched: what an instruction does to the stack and the store
// is read from engine/trace/track.ts, and where its immediates are from
// engine/exec/layout.ts.
//
// `before` looks at the machine just before a step and `after` just after it. Both run for
// every traced step, so they keep what they need in fields, never in new objects.

import { branchEntry, callFunc, callType, entryCarry, entryHeight, memOffset, OPC, tableIndex } from '../exec/layout.ts';
import type { Machine } from '../exec/machine.ts';
import type { WasmFunction } from '../exec/runtime.ts';
import type { MemoryTracker } from './pages.ts';
import {
  RES, RES_BRANCH, RES_CALL, RES_PUSH, RES_TOP1, RES_TOP2, W_BULK, W_GROW, W_NONE, W_STORE, W_TABLE, W_TABLE2, W_VSTORE, WRITE, WSIZE,
} from './track.ts';
import type { World } from './world.ts';

export class StepTracker {
  /** Per value slot: the step after which the value starting there was pushed. */
  pushSteps: Float64Array;
  /** Per frame depth: the frame's id (the step after which it was created). */
  frameIds = new Float64Array(64);
  private readonly m: Machine;
  private readonly world: World;

  // The step being tracked, as `before` saw it.
  private fn: WasmFunction | undefined;
  private code: Int32Array = new Int32Array(0);
  private pc = 0;
  private op = 0;
  private sp = 0;
  private fp = 0;
  private depth = 0;
  /** What kind of write it may make (track.ts W_*), and where. */
  private wk = W_NONE;
  private wAddr = 0;
  private wLen = 0;
  /** A branch that moves the values it carries: where to, and how many slots (-1: none). */
  private bTo = -1;
  private bN = 0;
  // Memory of the last store (most steps use the same one).
  private lastMem: unknown = undefined;
  private lastTracker: MemoryTracker | undefined;

  constructor(m: Machine, world: World) {
    this.m = m;
    this.world = world;
    this.pushSteps = new Float64Array(m.capacity);
  }

  /** After the machine started (its stack may have grown). */
  started(): void {
    if (this.pushSteps.length < this.m.capacity) this.pushSteps = new Float64Array(this.m.capacity);
  }

  /** Notes what the next instruction may write and move, before it moves its operands. */
  before(): void {
    const m = this.m;
    const fn = m.fn!;
    const pc = m.pc;
    const code = fn.code.code;
    const op = code[pc]!;
    const sp = m.sp;
    const words = m.i32;
    this.fn = fn;
    this.code = code;
    this.pc = pc;
    this.op = op;
    this.sp = sp;
    this.fp = m.fp;
    this.depth = m.depth;

    // Where it may write.
    const wk = WRITE[op]!;
    this.wk = wk;
    if (wk === W_STORE) {
      this.wAddr = (words[2 * (sp - 2)]! >>> 0) + memOffset(code, pc);
      this.wLen = WSIZE[op]!;
    } else if (wk === W_VSTORE) {
      this.wAddr = (words[2 * (sp - 3)]! >>> 0) + memOffset(code, pc);
      this.wLen = WSIZE[op]!;
    } else if (wk === W_BULK) {
      this.wAddr = words[2 * (sp - 3)]! >>> 0;
      this.wLen = words[2 * (sp - 1)]! >>> 0;
    }
    // A branch that moves the values it carries gives them new positions.
    this.bTo = -1;
    if (RES[op] === RES_BRANCH) {
      // br_if and br_table pop an operand: the condition, or the index of the entry.
      const pops = op === OPC.BR_ADJ ? 0 : 1;
      const operand = pops === 0 ? 0 : words[2 * (sp - 1)]!;
      if (op !== OPC.BR_IF_ADJ || operand !== 0) {
        const e = branchEntry(code, pc, operand >>> 0);
        const to = this.fp + entryHeight(code, e);
        const n = entryCarry(code, e);
        if (sp - pops - n !== to) {
          this.bTo = to;
          this.bN = n;
        }
      }
    }
  }

  /** Records what the step noted by `before` did, now that it ran without trapping; it led to step `step`. */
  after(step: number): void {
    const m = this.m;
    const op = this.op;
    if (this.wk !== W_NONE) this.wrote(step);
    const d0 = this.depth;
    const d1 = m.status === 'done' ? 0 : m.depth;
    const sp0 = this.sp;
    const sp1 = m.sp;
    // pushSteps is at least as long as the value stack except right after a call
    // (handled by pushed/entered), so the common cases write it directly.
    const ps = this.pushSteps;
    const rk = RES[op]!;
    if (d1 < d0) this.pushed(this.fp, sp1, step);
    else if (d1 > d0) this.entered(d1 - 1, step);
    else if (rk !== 0) {
      if (rk === RES_TOP1) ps[sp1 - 1] = step;
      else if (rk === RES_PUSH) {
        for (let k = sp0; k < sp1; k++) ps[k] = step;
      } else if (rk === RES_TOP2) {
        ps[sp1 - 2] = step;
        ps[sp1 - 1] = step;
      } else if (rk === RES_BRANCH) {
        if (this.bTo >= 0) this.pushed(this.bTo, this.bTo + this.bN, step);
      } else if (rk === RES_CALL) {
        // A host call: its results replace the arguments.
        const fn = this.fn!;
        const code = this.code;
        const pc = this.pc;
        const type = op === OPC.CALL ? fn.instance.funcs[callFunc(code, pc)]!.type : fn.instance.module.types[callType(code, pc)]!.type;
        let n = 0;
        for (const r of type.results) n += r === 'v128' ? 2 : 1;
        this.pushed(sp1 - n, sp1, step);
      }
    }
  }

  private pushed(from: number, to: number, step: number): void {
    if (to > this.pushSteps.length) {
      const a = new Float64Array(Math.max(to, this.m.capacity));
      a.set(this.pushSteps);
      this.pushSteps = a;
    }
    for (let k = from; k < to; k++) this.pushSteps[k] = step;
  }

  private entered(depth: number, step: number): void {
    if (depth >= this.frameIds.length) {
      const a = new Float64Array(Math.max(2 * this.frameIds.length, depth + 1));
      a.set(this.frameIds);
      this.frameIds = a;
    }
    this.frameIds[depth] = step;
    // A call may have grown the value stack.
    if (this.pushSteps.length < this.m.capacity) {
      const a = new Float64Array(this.m.capacity);
      a.set(this.pushSteps);
      this.pushSteps = a;
    }
  }

  /** Records a step's writes to a memory or table. */
  private wrote(step: number): void {
    const wk = this.wk;
    const inst = this.fn!.instance;
    if (wk === W_TABLE || wk === W_TABLE2) {
      const t = inst.tables[tableIndex(this.code, this.pc)];
      if (t !== undefined) this.world.markTable(t);
      return;
    }
    const mem = inst.mems[0];
    if (mem !== this.lastMem) {
      this.lastMem = mem;
      this.lastTracker = mem === undefined ? undefined : this.world.tracker(mem);
    }
    const tracker = this.lastTracker;
    if (tracker === undefined) return;
    if (wk === W_GROW) tracker.grew(step);
    else tracker.mark(this.wAddr, this.wLen, step);
  }

  /** Copies of the ids of the bottom `sp` slots and `depth` frames, for a checkpoint. */
  capture(sp: number, depth: number): { pushSteps: Float64Array; frameIds: Float64Array } {
    return { pushSteps: this.pushSteps.slice(0, sp), frameIds: this.frameIds.slice(0, depth) };
  }

  /** Puts back ids that `capture` copied. */
  restore(pushSteps: Float64Array, frameIds: Float64Array): void {
    if (this.pushSteps.length < this.m.capacity) this.pushSteps = new Float64Array(this.m.capacity);
    this.pushSteps.set(pushSteps);
    if (this.frameIds.length < frameIds.length) this.frameIds = new Float64Array(Math.max(frameIds.length, 64));
    this.frameIds.set(frameIds);
  }
}
