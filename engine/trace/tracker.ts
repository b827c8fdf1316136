// The per-step bookkeeping of a session: around each instruction the interpreter runs
// (Machine.step, https://webassembly.github.io/spec/core/exec/instructions.html), which
// value-stack slots it pushed (so every value has a stable id: the step that pushed it and
// its position), which frames it created (stable frame ids), and which memory or table it
// wrote (for the copy-on-write checkpoints and changedSince, engine/trace/pages.ts). The
// interpreter's own loop is untouched: what an instruction does to the stack and the store
// is read from engine/trace/track.ts, and where its immediates are from
// engine/exec/layout.ts.
//
// `step` runs for every traced instruction, so it keeps what it needs in locals and
// allocates nothing.

import {
  branchEntry, callFunc, callType, entryCarry, entryHeight, type Machine, memAccessOp, memIndex, memOffset, OPC, positionOf, tableIndex, type WasmFunction,
} from '../exec/index.ts';
import { TraceError } from './error.ts';
import type { MemoryTracker } from './pages.ts';
import {
  RES, RES_BRANCH, RES_CALL, RES_PUSH, RES_TOP1, RES_TOP2, W_BULK, W_GROW, W_MEMORY, W_NONE, W_STORE, W_TABLE, W_TABLE2, W_VSTORE, WRITE, WSIZE,
} from './track.ts';
import type { World } from './world.ts';

/** What a checkpoint keeps of the tracker (StepTracker.capture). */
export interface TrackerImage {
  readonly pushSteps: Float64Array;
  readonly frameIds: Float64Array;
  readonly replacedFn: readonly (WasmFunction | undefined)[];
  readonly replacedStep: Float64Array;
}

export class StepTracker {
  /** Per value slot: the step after which the value starting there was pushed. */
  pushSteps: Float64Array;
  /** Per frame depth: the frame's id (the step after which it was created). */
  frameIds = new Float64Array(64);
  /**
   * Per frame depth: the function whose frame the last tail call there replaced (the frame
   * keeps its id and depth), and the step after which that happened; undefined when no
   * tail call replaced the frame.
   */
  replacedFn: (WasmFunction | undefined)[] = [];
  replacedStep = new Float64Array(64);
  private readonly m: Machine;
  private readonly world: World;
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

  /**
   * Runs the machine's next instruction (Machine.step) with the bookkeeping around it.
   * Returns what a host function threw when that made the instruction trap (else
   * undefined); rethrows anything else, and a TraceError always.
   */
  step(): unknown {
    const m = this.m;
    const fn = m.fn!;
    const pc = m.pc;
    const code = fn.code.code;
    const op = code[pc]!;
    const sp0 = m.sp;
    const d0 = m.depth;
    const fp0 = m.fp;
    const t = m.steps;
    const s1 = t + 1;
    const words = m.i32;

    // Where it may write (before the step moves the operands).
    // MEM_ACCESS is read as the load or store it performs (engine/trace/track.ts, W_MEMORY).
    const access = op === OPC.MEM_ACCESS ? memAccessOp(code, pc) : op;
    const wk = access !== op ? (WRITE[access] === W_NONE ? W_NONE : W_MEMORY) : WRITE[op]!;
    let wAddr = 0;
    let wLen = 0;
    if (wk !== W_NONE) {
      if (wk === W_STORE) {
        wAddr = (words[2 * (sp0 - 2)]! >>> 0) + memOffset(code, pc);
        wLen = WSIZE[op]!;
      } else if (wk === W_VSTORE) {
        wAddr = (words[2 * (sp0 - 3)]! >>> 0) + memOffset(code, pc);
        wLen = WSIZE[op]!;
      } else if (wk === W_BULK) {
        wAddr = words[2 * (sp0 - 3)]! >>> 0;
        wLen = words[2 * (sp0 - 1)]! >>> 0;
      }
    }
    // A branch that moves the values it carries gives them new positions.
    const rk = RES[access]!;
    let bTo = -1;
    let bN = 0;
    if (rk === RES_BRANCH) {
      // br_if and br_table pop an operand: the condition, or the index of the entry.
      // br_on_null pops the null it branches on; br_on_non_null carries its reference.
      const onRef = op === OPC.BR_ON_NULL || op === OPC.BR_ON_NON_NULL;
      const pops = op === OPC.BR_ADJ || op === OPC.BR_ON_NON_NULL ? 0 : 1;
      const operand = pops === 0 || onRef ? 0 : words[2 * (sp0 - 1)]!;
      const taken = onRef ? (m.refs[sp0 - 1] === null) === (op === OPC.BR_ON_NULL) : op !== OPC.BR_IF_ADJ || operand !== 0;
      if (taken) {
        const e = branchEntry(code, pc, operand >>> 0);
        const to = fp0 + entryHeight(code, e);
        const n = entryCarry(code, e);
        if (sp0 - pops - n !== to) {
          bTo = to;
          bN = n;
        }
      }
    }

    let thrown: unknown = undefined;
    try {
      m.step();
    } catch (e) {
      if (e instanceof TraceError || m.status !== 'trapped') throw e;
      thrown = e;
    }
    if (m.steps !== s1) throw new TraceError(`a step ran ${m.steps - t} instructions`);

    const status = m.status;
    if (status === 'trapped') {
      const trap = m.trap;
      // A failing host function's trap is not located by the interpreter; locate it here
      // so that every way to this step gives the same trap.
      if (trap !== undefined && trap.funcIndex === undefined) trap.locate(fn.index, positionOf(fn.code.offsets, pc));
      return thrown;
    }
    if (wk !== W_NONE) this.wrote(fn, code, pc, wk, wAddr, wLen, s1);
    const d1 = status === 'done' ? 0 : m.depth;
    const sp1 = m.sp;
    // pushSteps is at least as long as the value stack except right after a call
    // (handled by pushed/entered), so the common cases write it directly.
    const ps = this.pushSteps;
    const thrown1 = m.lastThrow;
    if (thrown1 !== undefined && thrown1.step === s1) {
      // A caught exception: its payload (and exnref) were pushed at the handler's label height.
      if (thrown1.caught !== undefined) this.pushed(m.fp + thrown1.caught.clause.height, sp1, s1);
    } else if (d1 === d0 && op >= OPC.RETURN_CALL && op <= OPC.RETURN_CALL_REF) this.replaced(d0 - 1, fn, s1);
    else if (d1 < d0) this.pushed(fp0, sp1, s1);
    else if (d1 > d0) this.entered(d1 - 1, s1);
    else if (rk !== 0) {
      if (rk === RES_TOP1) ps[sp1 - 1] = s1;
      else if (rk === RES_PUSH) {
        for (let k = sp0; k < sp1; k++) ps[k] = s1;
      } else if (rk === RES_TOP2) {
        ps[sp1 - 2] = s1;
        ps[sp1 - 1] = s1;
      } else if (rk === RES_BRANCH) {
        if (bTo >= 0) this.pushed(bTo, bTo + bN, s1);
      } else if (rk === RES_CALL) {
        // A host call: its results replace the arguments.
        const type = op === OPC.CALL ? fn.instance.funcs[callFunc(code, pc)]!.type : fn.instance.module.types[callType(code, pc)]!.type;
        let n = 0;
        for (const r of type.results) n += r === 'v128' ? 2 : 1;
        this.pushed(sp1 - n, sp1, s1);
      }
    }
    return thrown;
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
    this.replacedFn[depth] = undefined;
    // A call may have grown the value stack.
    if (this.pushSteps.length < this.m.capacity) {
      const a = new Float64Array(this.m.capacity);
      a.set(this.pushSteps);
      this.pushSteps = a;
    }
  }

  /** A tail call replaced the frame at `depth`, which ran `fn`, after step `step`. */
  private replaced(depth: number, fn: WasmFunction, step: number): void {
    if (depth >= this.replacedStep.length) {
      const a = new Float64Array(Math.max(2 * this.replacedStep.length, depth + 1));
      a.set(this.replacedStep);
      this.replacedStep = a;
    }
    this.replacedFn[depth] = fn;
    this.replacedStep[depth] = step;
  }

  /** Records a step's writes to a memory or table. */
  private wrote(fn: WasmFunction, code: Int32Array, pc: number, wk: number, addr: number, len: number, step: number): void {
    const inst = fn.instance;
    if (wk === W_MEMORY) {
      const mem = inst.mems[memIndex(code, pc)];
      const t = mem === undefined ? undefined : this.world.tracker(mem);
      if (t === undefined) return;
      if (code[pc] === OPC.MEM_GROW) t.grew(step);
      else t.mark(0, mem!.byteLength, step);
      return;
    }
    if (wk === W_TABLE || wk === W_TABLE2) {
      const t = inst.tables[tableIndex(code, pc)];
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
    else tracker.mark(addr, len, step);
  }

  /** Copies of the ids of the bottom `sp` slots and `depth` frames (and the frames' tail calls), for a checkpoint. */
  capture(sp: number, depth: number): TrackerImage {
    return {
      pushSteps: this.pushSteps.slice(0, sp),
      frameIds: this.frameIds.slice(0, depth),
      replacedFn: this.replacedFn.slice(0, depth),
      replacedStep: this.replacedStep.slice(0, depth),
    };
  }

  /** Puts back what `capture` copied. */
  restore(image: TrackerImage): void {
    const { pushSteps, frameIds } = image;
    if (this.pushSteps.length < this.m.capacity) this.pushSteps = new Float64Array(this.m.capacity);
    this.pushSteps.set(pushSteps);
    if (this.frameIds.length < frameIds.length) this.frameIds = new Float64Array(Math.max(frameIds.length, 64));
    this.frameIds.set(frameIds);
    this.replacedFn = image.replacedFn.slice();
    if (this.replacedStep.length < image.replacedStep.length) this.replacedStep = new Float64Array(Math.max(image.replacedStep.length, 64));
    this.replacedStep.set(image.replacedStep);
  }
}
