// The interpreter: one thread of execution with explicit stacks
// (https://webassembly.github.io/spec/core/exec/instructions.html,
// https://webassembly.github.io/spec/core/exec/runtime.html#stack).
//
// No host recursion per wasm call or block: the value stack is one ArrayBuffer of 8-byte
// slots (seen as Int32/Float32/Float64/BigInt64 arrays, plus a parallel JS array for
// references), frames are three parallel arrays, and labels need no run-time stack at all
// because branches carry precomputed targets and heights (engine/exec/compile.ts writes
// them, engine/exec/layout.ts says where they are). So a Machine can stop after any
// instruction and resume later: `step()` runs exactly one, `run(budget)` up to `budget`,
// and both share one dispatch loop.
//
// Values are raw bits (engine/exec/values.ts): a slot's first word holds an i32/f32, both
// words an i64/f64 (low first), two slots a v128. Stack words assume a little-endian host
// (every JS engine in practice); memory goes through DataView with explicit endianness.
//
// The loop keeps its state (code, pc, frame pointer, stack pointer, the current instance's
// memory view) in locals and writes it back when it stops, so views read `fn`, `pc`, `fp`,
// `sp` and the frame arrays of a stopped machine (see engine/exec/inspect.ts). The loop
// runs the `fast` copy of the code, with superinstructions (engine/exec/fuse.ts), and
// handles the common SIMD instructions (v128.load, v128.store, v128.const, the bitwise
// ops, i32x4 shifts, add, sub, mul and f32x4 arithmetic) itself; cold instructions (the other SIMD instructions,
// bulk memory, tables, saturating truncation) live in engine/exec/cold.ts and
// engine/exec/vector.ts, so that this function stays small enough for the optimizing
// compiler. It reads immediates straight from the code array (layout.ts documents where
// each is), because a call per read would cost time in the hottest cases.

import { positionOf } from './compile.ts';
import { brTableEntry, OP_LENGTH, OPC } from './layout.ts';
import { DEFAULT_LIMITS, type ResourceLimits } from './limits.ts';
import type { ValType } from '../syntax/index.ts';
import type { MemoryInstance } from './memory.ts';
import {
  CANONICAL_NAN_F32, CANONICAL_NAN_F64_HI, bigintToF32, ctz32, divS64, divU64, mul64, nearest, popcnt32, remS64,
  remU64, rotl64, rotr64, shl64, shrS64, shrU64, truncI32S, truncI32U, truncI64S, truncI64U,
} from './numeric.ts';
import { HostFunction, type FuncInstance, type Instance, WasmFunction } from './runtime.ts';
import { execCold } from './cold.ts';
import { tailCall } from './tail-call.ts';
import { ExceptionInstance, WasmThrow } from './exceptions.ts';
import { execException, unwind, type ThrowRecord } from './throw.ts';
import { execVector } from './vector.ts';
import { execTable64 } from './table64.ts';
import { bin32 } from './fuse.ts';
import { Trap, TrapMessage } from './trap.ts';
import { hostToWords, isRef, slotsOf, typedValue, wordsToHost, type HostValue, type TypedValue } from './values.ts';

/**
 * 'idle': nothing started; 'paused': can continue (also right after start);
 * 'done': the invoked function returned (see results); 'trapped': see `trap`.
 */
export type Status = 'idle' | 'paused' | 'done' | 'trapped';
export type StepResult = Status;

/** An exception thrown by a host function, carried out of the interpreter unchanged. */
export class HostError extends Error {
  readonly error: unknown;
  constructor(error: unknown) {
    super(error instanceof Error ? error.message : String(error));
    this.name = 'HostError';
    this.error = error;
  }
}

const OPC_MEM_GROW = OPC.MEM_GROW;
const EMPTY_BUFFER = new ArrayBuffer(0);
const EMPTY_VIEW = new DataView(EMPTY_BUFFER);
const EMPTY_BYTES = new Uint8Array(EMPTY_BUFFER);
/** Largest budget one dispatch loop gets, so its counter stays a small integer. */
const CHUNK = 0x3fff_ffff;
const INITIAL_SLOTS = 1 << 12;

const OPC_THROW = OPC.THROW;
const OPC_THROW_REF = OPC.THROW_REF;
const OPC_RETHROW = OPC.RETHROW;

/** How many machines are running on the JS stack (host functions may re-enter wasm). */
let activeRuns = 0;

function memOf(inst: Instance): MemoryInstance | undefined {
  return inst.mems[0];
}

/**
 * A reference argument for a parameter of another reference type: the script's externref
 * and funcref values carry no finer type, so a non-null one passes for any reference
 * type; a null one only for a nullable parameter.
 */
function refArgFits(t: ValType, a: TypedValue): boolean {
  return isRef(t) && isRef(a.type) && (a.value !== null || !t.startsWith('(ref ') || t.startsWith('(ref null '));
}

export class Machine {
  readonly limits: ResourceLimits;

  // --- The value stack: `capacity` slots of 8 bytes, and a reference beside each slot.
  capacity = 0;
  i32: Int32Array = new Int32Array(0);
  f32: Float32Array = new Float32Array(0);
  f64: Float64Array = new Float64Array(0);
  i64: BigInt64Array = new BigInt64Array(0);
  refs: unknown[] = [];

  // --- The frame stack: frame k runs frameFn[k] with frame pointer frameFp[k]; a caller's
  // framePc is its return address (the code offset after its call instruction).
  frameFn: (WasmFunction | undefined)[] = [];
  frameFp: Int32Array;
  framePc: Int32Array;
  /** Number of frames; the current one is depth - 1. */
  depth = 0;

  // --- The current frame's registers, valid whenever the machine is stopped.
  fn: WasmFunction | undefined = undefined;
  pc = 0;
  fp = 0;
  sp = 0;

  status: Status = 'idle';
  /** Instructions executed since start (a trapping instruction counts). */
  steps = 0;
  trap: Trap | undefined = undefined;
  /**
   * An exception no wasm handler caught (engine/exec/throw.ts): the machine is then
   * 'trapped' with the trap "uncaught exception", and callers throw this instead.
   */
  thrown: WasmThrow | undefined = undefined;
  /** The latest throw's unwinding (its step, frames searched, handler), for views. */
  lastThrow: ThrowRecord | undefined = undefined;
  /** The function started, for its result types. */
  entry: FuncInstance | undefined = undefined;
  /** True while run() is on the JS stack (a host function must not restart or re-run this machine). */
  running = false;
  /**
   * When set, host function calls go through this instead of `f.callback(...args)`: a
   * time-travelling debugger (engine/trace) records a host call's results the first time
   * and replays them afterwards, so going back and forward never calls the host twice.
   * It is consulted once per host call, never per instruction.
   */
  hostHook: ((f: HostFunction, args: HostValue[]) => unknown) | undefined = undefined;

  constructor(limits: ResourceLimits = DEFAULT_LIMITS) {
    this.limits = limits;
    const frames = Math.min(limits.maxCallDepth, 1024) + 1;
    this.frameFp = new Int32Array(frames);
    this.framePc = new Int32Array(frames);
    this.growStack(INITIAL_SLOTS);
  }

  /** Makes room for `slots` slots, or traps when that exceeds the configured limit. */
  growStack(slots: number): void {
    if (slots <= this.capacity) return;
    if (slots > this.limits.maxStackSlots) throw new Trap(TrapMessage.callStackExhausted);
    const cap = Math.min(Math.max(slots, this.capacity * 2), this.limits.maxStackSlots);
    const buf = new ArrayBuffer(cap * 8);
    const i32 = new Int32Array(buf);
    i32.set(this.i32);
    this.i32 = i32;
    this.f32 = new Float32Array(buf);
    this.f64 = new Float64Array(buf);
    this.i64 = new BigInt64Array(buf);
    for (let i = this.capacity; i < cap; i++) this.refs.push(null);
    this.capacity = cap;
  }

  /** Makes room for one more frame, or traps at the configured call depth. */
  growFrames(): void {
    if (this.depth >= this.limits.maxCallDepth) throw new Trap(TrapMessage.callStackExhausted);
    if (this.depth < this.frameFp.length) return;
    const n = Math.min(this.frameFp.length * 2, this.limits.maxCallDepth + 1);
    const fp = new Int32Array(n);
    fp.set(this.frameFp);
    const pc = new Int32Array(n);
    pc.set(this.framePc);
    this.frameFp = fp;
    this.framePc = pc;
  }

  /**
   * Prepares a call of `func` with JS arguments (engine/exec/values.ts); run or step it
   * afterwards. A host function runs at once (it cannot be paused).
   */
  start(func: FuncInstance, args: readonly HostValue[]): void {
    if (!this.begin(func, args.length)) return;
    const params = func.type.params;
    let slot = 0;
    for (let i = 0; i < params.length; i++) {
      const t = params[i]!;
      if (isRef(t)) this.refs[slot] = args[i] ?? null;
      else hostToWords(t, args[i], this.i32, 2 * slot);
      slot += slotsOf(t);
    }
    this.enter(func);
  }

  /** Like start, with typed arguments: floats are taken from their bits, so NaN payloads pass exactly. */
  startTyped(func: FuncInstance, args: readonly TypedValue[]): void {
    if (!this.begin(func, args.length)) return;
    const params = func.type.params;
    let slot = 0;
    for (let i = 0; i < params.length; i++) {
      const t = params[i]!;
      const a = args[i]!;
      if (a.type !== t && !refArgFits(t, a)) throw new TypeError(`argument ${i}: expected ${t}, got ${a.type}`);
      if (a.type === 'f32') this.i32[2 * slot] = a.bits | 0;
      else if (a.type === 'f64') {
        this.i32[2 * slot] = Number(a.bits & 0xffff_ffffn) | 0;
        this.i32[2 * slot + 1] = Number((a.bits >> 32n) & 0xffff_ffffn) | 0;
      } else if (isRef(t)) this.refs[slot] = a.value;
      else hostToWords(t, a.value, this.i32, 2 * slot);
      slot += slotsOf(t);
    }
    this.enter(func);
  }

  /** Resets the machine for a new call; false when even the first frame does not fit (then it is trapped). */
  private begin(func: FuncInstance, argc: number): boolean {
    if (this.running) throw new Error('the machine is running: a host function cannot restart it');
    if (argc !== func.type.params.length) throw new TypeError(`expected ${func.type.params.length} arguments, got ${argc}`);
    this.depth = 0;
    this.fn = undefined;
    this.pc = 0;
    this.fp = 0;
    this.sp = 0;
    this.steps = 0;
    this.trap = undefined;
    this.thrown = undefined;
    this.lastThrow = undefined;
    this.entry = func;
    // 'paused' only once enter() has set up the frame: a bad argument leaves it idle.
    this.status = 'idle';
    const need = Math.max(
      func.kind === 'wasm' ? func.code.maxSlots : 0,
      sumSlots(func.type.params), sumSlots(func.type.results),
    );
    try {
      this.growStack(need);
    } catch (e) {
      this.fail(e);
      return false;
    }
    return true;
  }

  private enter(func: FuncInstance): void {
    if (func.kind === 'host') {
      this.status = 'paused';
      try {
        // The arguments are already in the bottom slots.
        this.sp = this.callHost(func, sumSlots(func.type.params));
        this.status = 'done';
      } catch (e) {
        this.fail(e);
      }
      return;
    }
    const c = func.code;
    this.frameFn[0] = func;
    this.frameFp[0] = 0;
    this.depth = 1;
    this.fn = func;
    this.i32.fill(0, 2 * c.paramSlots, 2 * c.localSlots);
    for (let k = 0; k < c.refLocals.length; k++) this.refs[c.refLocals[k]!] = null;
    this.sp = c.localSlots;
    this.status = 'paused';
  }

  /** Runs exactly one instruction. */
  step(): StepResult {
    return this.run(1);
  }

  /** Runs up to `budget` instructions: returns 'paused' when the budget ran out first. */
  run(budget = Infinity): StepResult {
    if (this.running) throw new Error('the machine is already running: a host function cannot re-enter it');
    if (this.status !== 'paused') return this.status;
    if (activeRuns >= this.limits.maxHostReentry) {
      this.fail(new Trap(TrapMessage.callStackExhausted));
      return this.status;
    }
    activeRuns++;
    this.running = true;
    try {
      let left = budget;
      while (left > 0 && this.status === 'paused') {
        const chunk = left > CHUNK ? CHUNK : Math.floor(left);
        if (chunk <= 0) break;
        const before = this.steps;
        this.execute(chunk);
        left -= this.steps - before;
        // A caught exception ends a chunk early and leaves the machine paused at its handler.
        if (this.steps - before < chunk && this.status !== 'paused') break;
      }
    } finally {
      activeRuns--;
      this.running = false;
    }
    return this.status;
  }

  /** The results of a finished call, as JS values. */
  results(): HostValue[] {
    if (this.status !== 'done' || this.entry === undefined) return [];
    const out: HostValue[] = [];
    let slot = 0;
    for (const t of this.entry.type.results) {
      out.push(isRef(t) ? this.refs[slot] : wordsToHost(t, this.i32, 2 * slot));
      slot += slotsOf(t);
    }
    return out;
  }

  /** The results of a finished call with their types (floats with their exact bits). */
  typedResults(): TypedValue[] {
    if (this.status !== 'done' || this.entry === undefined) return [];
    const out: TypedValue[] = [];
    let slot = 0;
    for (const t of this.entry.type.results) {
      out.push(typedValue(t, this.i32, 2 * slot, this.refs[slot]));
      slot += slotsOf(t);
    }
    return out;
  }

  /** Body position of the current instruction (body.length at the function's final `end`). */
  get position(): number {
    return this.fn === undefined ? -1 : positionOf(this.fn.code.offsets, this.pc);
  }

  private fail(e: unknown): void {
    if (e instanceof ExceptionInstance) {
      // No handler caught it (unwind left every frame as it was at the throw).
      this.thrown = new WasmThrow(e);
      const trap = new Trap('uncaught exception');
      if (this.fn !== undefined) trap.locate(this.fn.index, positionOf(this.fn.code.offsets, this.pc));
      this.trap = trap;
      this.status = 'trapped';
      return;
    }
    if (e instanceof HostError) {
      this.status = 'trapped';
      this.trap = new Trap(`host function failed: ${e.message}`);
      throw e.error;
    }
    let trap: Trap;
    if (e instanceof Trap) trap = e;
    else if (e instanceof RangeError && /call stack/i.test(e.message)) trap = new Trap(TrapMessage.callStackExhausted);
    else trap = new Trap(`internal error: ${e instanceof Error ? e.message : String(e)}`);
    if (this.fn !== undefined) trap.locate(this.fn.index, positionOf(this.fn.code.offsets, this.pc));
    this.trap = trap;
    this.status = 'trapped';
  }

  /**
   * Calls a host function whose arguments are the top slots ending at `top`; returns the
   * new stack pointer with its results in place of the arguments.
   */
  callHost(f: HostFunction, top: number): number {
    const params = f.type.params;
    const results = f.type.results;
    const base = top - sumSlots(params);
    const args: HostValue[] = [];
    let slot = base;
    for (const t of params) {
      args.push(isRef(t) ? this.refs[slot] : wordsToHost(t, this.i32, 2 * slot));
      slot += slotsOf(t);
    }
    let r: unknown;
    try {
      const hook = this.hostHook;
      r = hook === undefined ? f.callback(...args) : hook(f, args);
    } catch (e) {
      if (e instanceof Trap) throw e;
      // A WasmThrow is thrown into wasm at the call; another error, when the calling
      // instance's hook makes it an exception, too (engine/exec/exceptions.ts).
      if (e instanceof WasmThrow) throw e.exception;
      const exn = this.fn?.instance.onHostError?.(e);
      if (exn !== undefined) throw exn;
      throw new HostError(e);
    }
    let values: readonly unknown[];
    if (results.length === 0) values = [];
    else if (results.length === 1) values = [r];
    else if (r !== null && typeof r === 'object' && Symbol.iterator in r) values = [...(r as Iterable<unknown>)];
    else throw new HostError(new TypeError(`host function ${f.name} must return ${results.length} values`));
    if (values.length !== results.length) {
      throw new HostError(new TypeError(`host function ${f.name} returned ${values.length} values, expected ${results.length}`));
    }
    if (base + sumSlots(results) > this.capacity) this.growStack(base + sumSlots(results));
    slot = base;
    for (let i = 0; i < results.length; i++) {
      const t = results[i]!;
      if (isRef(t)) this.refs[slot] = values[i] ?? null;
      else {
        try {
          hostToWords(t, values[i], this.i32, 2 * slot);
        } catch (e) {
          throw new HostError(e);
        }
      }
      slot += slotsOf(t);
    }
    return slot;
  }

  /** The dispatch loop: runs at most `budget` (≤ 2^30) instructions. */
  private execute(budget: number): void {
    let fn = this.fn!;
    let code = fn.code.fast;
    let pc = this.pc;
    let fp = this.fp;
    let sp = this.sp;
    let depth = this.depth;
    let inst = fn.instance;
    let funcs = inst.funcs;
    let globals = inst.globals;
    let mem = memOf(inst);
    let dv = mem === undefined ? EMPTY_VIEW : mem.view;
    let u8 = mem === undefined ? EMPTY_BYTES : mem.bytes;
    let memLen = mem === undefined ? 0 : mem.byteLength;
    let i32 = this.i32;
    let f32 = this.f32;
    let f64 = this.f64;
    let i64 = this.i64;
    const refs = this.refs;
    const maxDepth = this.limits.maxCallDepth;
    let left = budget;
    let finished = false;
    try {
      loop: for (;;) {
        if (left === 0) break;
        left--;
        const op = code[pc]!;
        switch (op) {
          // ---------------------------------------------------------------- control
          case 0x00: // unreachable
            throw new Trap(TrapMessage.unreachable);
          case 0x01: // nop
          case 0x02: // block
          case 0x03: // loop
          case 0x0b: // end (of a block: the values are already in place)
            pc++;
            break;
          case 0x04: // if [else-target]
            sp--;
            pc = i32[2 * sp] !== 0 ? pc + 2 : code[pc + 1]!;
            break;
          case 0x05: // else [end-target]: the then-branch is done
          case 0x0c: // br [target]
            pc = code[pc + 1]!;
            break;
          case 0x0d: // br_if [target]
            sp--;
            pc = i32[2 * sp] !== 0 ? code[pc + 1]! : pc + 2;
            break;
          case 0x07: { // br_if [target height carry refs], with a stack adjustment
            sp--;
            if (i32[2 * sp] === 0) {
              pc += 5;
              break;
            }
            const to = fp + code[pc + 2]!;
            const n = code[pc + 3]!;
            const from = sp - n;
            if (from !== to) {
              // Values only ever move down (to < from), so a forward copy is safe; a loop
              // beats copyWithin's call for the usual one or two words.
              for (let k = 2 * to, j = 2 * from, end = 2 * sp; j < end; k++, j++) i32[k] = i32[j]!;
              if (code[pc + 4] !== 0) for (let k = 0; k < n; k++) refs[to + k] = refs[from + k];
            }
            sp = to + n;
            pc = code[pc + 1]!;
            break;
          }
          case 0x06: { // br [target height carry refs]
            const to = fp + code[pc + 2]!;
            const n = code[pc + 3]!;
            const from = sp - n;
            if (from !== to) {
              for (let k = 2 * to, j = 2 * from, end = 2 * sp; j < end; k++, j++) i32[k] = i32[j]!;
              if (code[pc + 4] !== 0) for (let k = 0; k < n; k++) refs[to + k] = refs[from + k];
            }
            sp = to + n;
            pc = code[pc + 1]!;
            break;
          }
          case 0x2a1: // ref.as_non_null
            if (refs[sp - 1] === null) throw new Trap(TrapMessage.nullReference);
            pc++;
            break;
          case 0x2a2: // br_on_null [target height carry refs]
          case 0x2a3: { // br_on_non_null [target height carry refs]
            const isNull = refs[sp - 1] === null;
            if (op === 0x2a2) {
              if (!isNull) {
                pc += 5;
                break;
              }
              sp--; // the null goes; the label's values move as br moves them
            } else if (isNull) {
              sp--;
              pc += 5;
              break;
            }
            const to = fp + code[pc + 2]!;
            const n = code[pc + 3]!;
            const from = sp - n;
            if (from !== to) {
              for (let k = 2 * to, j = 2 * from, end = 2 * sp; j < end; k++, j++) i32[k] = i32[j]!;
              if (code[pc + 4] !== 0) for (let k = 0; k < n; k++) refs[to + k] = refs[from + k];
            }
            sp = to + n;
            pc = code[pc + 1]!;
            break;
          }
          case 0x0e: { // br_table [max (target height carry refs)*]
            sp--;
            const e = brTableEntry(code, pc, i32[2 * sp]! >>> 0);
            const to = fp + code[e + 1]!;
            const n = code[e + 2]!;
            const from = sp - n;
            if (from !== to) {
              for (let k = 2 * to, j = 2 * from, end = 2 * sp; j < end; k++, j++) i32[k] = i32[j]!;
              if (code[e + 3] !== 0) for (let k = 0; k < n; k++) refs[to + k] = refs[from + k];
            }
            sp = to + n;
            pc = code[e]!;
            break;
          }
          case 0xdf: // local.get x; then one of the three below (fuse.ts)
          case 0xd7: // end; return
          case 0xde: // else or br [target]; (end;) return
          case 0x0f: { // return (also the function's final end)
            let r: number = op;
            if (r === 0xdf) {
              i32[2 * sp] = i32[2 * (fp + code[pc + 1]!)]!;
              sp++;
              pc += 2;
              if (left < 1) break;
              left--;
              r = code[pc]!;
            }
            if (r !== 0x0f) {
              if (r === 0xd7) {
                if (left < 1) {
                  pc++;
                  break;
                }
                left--;
              } else {
                const t = code[pc + 1]!;
                const more = code[t] === 0x0f ? 1 : 2; // return, or end; return
                if (left < more) {
                  pc = t;
                  break;
                }
                left -= more;
              }
            }
            const c = fn.code;
            const n = c.resultSlots;
            const from = sp - n;
            if (n === 1) { // the usual single result: its two words, unrolled
              i32[2 * fp] = i32[2 * from]!;
              i32[2 * fp + 1] = i32[2 * from + 1]!;
              if (c.resultRefs) refs[fp] = refs[from];
            } else if (from !== fp) {
              for (let k = 2 * fp, j = 2 * from, end = 2 * sp; j < end; k++, j++) i32[k] = i32[j]!;
              if (c.resultRefs) for (let k = 0; k < n; k++) refs[fp + k] = refs[from + k];
            }
            sp = fp + n;
            depth--;
            if (depth === 0) {
              finished = true;
              break loop;
            }
            fn = this.frameFn[depth - 1]!;
            this.frameFn[depth] = undefined;
            code = fn.code.fast;
            pc = this.framePc[depth - 1]!;
            fp = this.frameFp[depth - 1]!;
            // Within one instance the memory locals are current (memory.grow and host
            // calls refresh them); another instance may have grown a shared memory.
            if (fn.instance !== inst) {
              inst = fn.instance;
              funcs = inst.funcs;
              globals = inst.globals;
              mem = memOf(inst);
              if (mem !== undefined) {
                dv = mem.view;
                u8 = mem.bytes;
                memLen = mem.byteLength;
              } else {
                dv = EMPTY_VIEW;
                u8 = EMPTY_BYTES;
                memLen = 0;
              }
            }
            break;
          }
          case 0xd4: // local.get x; i32.const c; binop; call [func] (fuse.ts)
          case 0x10: // call [func]
          case 0x287: // call_indirect on an i64 table (table64) [type table]
          case 0x2a0: // call_ref [type] (typed function references)
          case 0x11: { // call_indirect [type table]
            if (op === 0xd4) {
              const x = i32[2 * (fp + code[pc + 1]!)]!;
              if (left < 3) {
                i32[2 * sp] = x;
                sp++;
                pc += 2;
                break;
              }
              left -= 3;
              const k = code[pc + 3]!;
              i32[2 * sp + 2] = k;
              const b = code[pc + 4]!;
              i32[2 * sp] = b === 0x6b ? (x - k) | 0 : bin32(b, x, k); // mostly n - c
              sp++;
              pc += 5; // the call
            }
            let callee: FuncInstance;
            let top = sp;
            let next: number;
            if (op === 0x10 || op === 0xd4) {
              callee = funcs[code[pc + 1]!]!;
              next = pc + 2;
            } else if (op === 0x2a0) {
              top = sp - 1;
              const f = refs[top];
              if (f === null || f === undefined) throw new Trap(TrapMessage.nullFunctionReference);
              callee = f as FuncInstance;
              next = pc + 2;
            } else {
              const table = inst.tables[code[pc + 2]!]!;
              top = sp - 1;
              // table64: an i64 index of 2^32 or more is out of range, as 0xffffffff is.
              const i = op === 0x11 || i32[2 * top + 1] === 0 ? i32[2 * top]! >>> 0 : 0xffff_ffff;
              if (i >= table.elements.length) throw new Trap(`${TrapMessage.undefinedElement} ${i}`);
              const f = table.elements[i];
              if (f === null || f === undefined) throw new Trap(`${TrapMessage.uninitializedElement} ${i}`);
              callee = f as FuncInstance;
              if (callee.typeId !== inst.typeIds[code[pc + 1]!]) throw new Trap(TrapMessage.indirectCallTypeMismatch);
              next = pc + 3;
            }
            if (callee.kind === 'host') {
              this.sp = sp;
              this.fn = fn; // the caller, for its instance's onHostError
              sp = this.callHost(callee, top);
              pc = next;
              // The host may have grown a memory or re-entered wasm.
              mem = memOf(inst);
              if (mem !== undefined) {
                dv = mem.view;
                u8 = mem.bytes;
                memLen = mem.byteLength;
              }
              i32 = this.i32;
              f32 = this.f32;
              f64 = this.f64;
              i64 = this.i64;
              break;
            }
            const c = callee.code;
            const nfp = top - c.paramSlots;
            if (depth >= maxDepth) throw new Trap(TrapMessage.callStackExhausted);
            if (depth >= this.frameFp.length) {
              this.depth = depth;
              this.growFrames();
            }
            if (nfp + c.maxSlots > this.capacity) {
              this.growStack(nfp + c.maxSlots);
              i32 = this.i32;
              f32 = this.f32;
              f64 = this.f64;
              i64 = this.i64;
            }
            this.framePc[depth - 1] = next;
            this.frameFn[depth] = callee;
            this.frameFp[depth] = nfp;
            depth++;
            fn = callee;
            code = c.fast;
            pc = 0;
            fp = nfp;
            sp = nfp + c.localSlots;
            if (sp !== top) { // declared locals start at zero (and null)
              for (let k = 2 * top, end = 2 * sp; k < end; k++) i32[k] = 0;
              const rl = c.refLocals;
              for (let k = 0; k < rl.length; k++) refs[nfp + rl[k]!] = null;
            }
            if (callee.instance !== inst) {
              inst = callee.instance;
              funcs = inst.funcs;
              globals = inst.globals;
              mem = memOf(inst);
              if (mem !== undefined) {
                dv = mem.view;
                u8 = mem.bytes;
                memLen = mem.byteLength;
              } else {
                dv = EMPTY_VIEW;
                u8 = EMPTY_BYTES;
                memLen = 0;
              }
            }
            break;
          }

          // ---------------------------------------------------------------- superinstructions
          // engine/exec/fuse.ts: a fused op covers 3 (or 2) instructions, and with fewer
          // steps left than that it runs only its first one. The binop is read from its own
          // place in the code; the slot above the top gets what the separate ops leave there.
          case 0xc8: // local.get x; i32.const c; binop
          case 0xcc: { // local.get x; i32.const c; i32.add
            const x = i32[2 * (fp + code[pc + 1]!)]!;
            if (left < 2) {
              i32[2 * sp] = x;
              sp++;
              pc += 2;
              break;
            }
            left -= 2;
            const c = code[pc + 3]!;
            i32[2 * sp + 2] = c;
            i32[2 * sp] = op === 0xcc ? (x + c) | 0 : bin32(code[pc + 4]!, x, c);
            sp++;
            pc += 5;
            break;
          }
          case 0xd3: // local.get x; i32.const c; <i32 comparison>; if [else-target]
          case 0xd6: // local.get x; i32.const c; <i32 comparison>; br_if [target]
          case 0xd5: { // i32.const c; <i32 comparison>; br_if [target]
            let a: number;
            let c: number;
            let at: number; // the comparison's position
            if (op === 0xd5) {
              c = code[pc + 1]!;
              i32[2 * sp] = c;
              if (left < 2) {
                sp++;
                pc += 2;
                break;
              }
              left -= 2;
              sp--;
              a = i32[2 * sp]!;
              at = pc + 2;
            } else {
              a = i32[2 * (fp + code[pc + 1]!)]!;
              if (left < 3) {
                i32[2 * sp] = a;
                sp++;
                pc += 2;
                break;
              }
              left -= 3;
              c = code[pc + 3]!;
              i32[2 * sp + 2] = c;
              at = pc + 4;
            }
            // The comparison in line (no call: the loop's call sites compete for inlining).
            const b = code[at]!;
            let r: boolean;
            if (b < 0x48) r = (a === c) === (b === 0x46); // eq, ne
            else {
              const k = b - 0x48; // lt, gt, le, ge; odd k: unsigned
              const x = (k & 1) !== 0 ? a >>> 0 : a;
              const y = (k & 1) !== 0 ? c >>> 0 : c;
              r = k < 2 ? x < y : k < 4 ? x > y : k < 6 ? x <= y : x >= y;
            }
            i32[2 * sp] = r ? 1 : 0;
            if (op === 0xd3) pc = r ? at + 3 : code[at + 2]!;
            else pc = r ? code[at + 2]! : at + 3;
            break;
          }
          case 0xd8: // local.get x; i32.const c; binop; local.tee y
          case 0xd9: // local.get x; local.get z; binop; local.tee y
          case 0xda: // local.get x; i32.const c; binop; local.set y
          case 0xdb: { // local.get x; local.get z; binop; local.set y
            const x = i32[2 * (fp + code[pc + 1]!)]!;
            if (left < 3) {
              i32[2 * sp] = x;
              sp++;
              pc += 2;
              break;
            }
            left -= 3;
            const y = op === 0xd8 || op === 0xda ? code[pc + 3]! : i32[2 * (fp + code[pc + 3]!)]!;
            i32[2 * sp + 2] = y;
            const b = code[pc + 4]!;
            const r = b === 0x6a ? (x + y) | 0 : bin32(b, x, y);
            i32[2 * sp] = r;
            i32[2 * (fp + code[pc + 6]!)] = r;
            if (op <= 0xd9) sp++; // local.tee leaves the value
            pc += 7;
            break;
          }
          case 0xdc: { // f64.load o; f64.add|sub|mul
            const a = 2 * sp - 2;
            const ea = (i32[a]! >>> 0) + (code[pc + 1]! >>> 0);
            if (ea > memLen - 8) throw new Trap(TrapMessage.memoryOutOfBounds);
            i32[a] = dv.getInt32(ea, true);
            i32[a + 1] = dv.getInt32(ea + 4, true);
            if (left < 1) {
              pc += 2;
              break;
            }
            left--;
            sp--;
            const b = code[pc + 2]!;
            const x = f64[sp - 1]!;
            const y = dv.getFloat64(ea, true);
            const r = b === 0xa0 ? x + y : b === 0xa2 ? x * y : x - y;
            if (r !== r) {
              i32[2 * sp - 2] = 0;
              i32[2 * sp - 1] = CANONICAL_NAN_F64_HI;
            } else f64[sp - 1] = r;
            pc += 3;
            break;
          }
          case 0xdd: { // local.get x; f64.load o; f64.add|sub|mul
            const x = i32[2 * (fp + code[pc + 1]!)]!;
            if (left < 2) {
              i32[2 * sp] = x;
              sp++;
              pc += 2;
              break;
            }
            const ea = (x >>> 0) + (code[pc + 3]! >>> 0);
            if (ea > memLen - 8) {
              // As separately: local.get done, the load traps.
              i32[2 * sp] = x;
              sp++;
              pc += 2;
              left--;
              throw new Trap(TrapMessage.memoryOutOfBounds);
            }
            left -= 2;
            const w = 2 * sp;
            i32[w] = dv.getInt32(ea, true);
            i32[w + 1] = dv.getInt32(ea + 4, true);
            const b = code[pc + 4]!;
            const u = f64[sp - 1]!;
            const v = dv.getFloat64(ea, true);
            const r = b === 0xa0 ? u + v : b === 0xa2 ? u * v : u - v;
            if (r !== r) {
              i32[w - 2] = 0;
              i32[w - 1] = CANONICAL_NAN_F64_HI;
            } else f64[sp - 1] = r;
            pc += 5;
            break;
          }
          case 0xc9: // local.get x; local.get y; binop
          case 0xcd: { // local.get x; local.get y; i32.add
            const x = i32[2 * (fp + code[pc + 1]!)]!;
            if (left < 2) {
              i32[2 * sp] = x;
              sp++;
              pc += 2;
              break;
            }
            left -= 2;
            const y = i32[2 * (fp + code[pc + 3]!)]!;
            i32[2 * sp + 2] = y;
            i32[2 * sp] = op === 0xcd ? (x + y) | 0 : bin32(code[pc + 4]!, x, y);
            sp++;
            pc += 5;
            break;
          }
          case 0xca: // local.get x; binop
          case 0xce: { // local.get x; i32.add
            const x = i32[2 * (fp + code[pc + 1]!)]!;
            i32[2 * sp] = x;
            if (left < 1) {
              sp++;
              pc += 2;
              break;
            }
            left--;
            const a = i32[2 * sp - 2]!;
            i32[2 * sp - 2] = op === 0xce ? (a + x) | 0 : bin32(code[pc + 2]!, a, x);
            pc += 3;
            break;
          }
          case 0xcb: // i32.const c; binop
          case 0xcf: { // i32.const c; i32.add
            const c = code[pc + 1]!;
            i32[2 * sp] = c;
            if (left < 1) {
              sp++;
              pc += 2;
              break;
            }
            left--;
            const a = i32[2 * sp - 2]!;
            i32[2 * sp - 2] = op === 0xcf ? (a + c) | 0 : bin32(code[pc + 2]!, a, c);
            pc += 3;
            break;
          }

          // ---------------------------------------------------------------- parametric
          case 0x1a: // drop
            sp--;
            pc++;
            break;
          case 0x08: // drop (v128)
            sp -= 2;
            pc++;
            break;
          case 0x1b: { // select (i32, f32)
            sp -= 2;
            if (i32[2 * sp + 2] === 0) i32[2 * sp - 2] = i32[2 * sp]!;
            pc++;
            break;
          }
          case 0x09: { // select (i64, f64)
            sp -= 2;
            if (i32[2 * sp + 2] === 0) {
              i32[2 * sp - 2] = i32[2 * sp]!;
              i32[2 * sp - 1] = i32[2 * sp + 1]!;
            }
            pc++;
            break;
          }
          case 0x0a: { // select (v128)
            sp -= 3;
            if (i32[2 * sp + 4] === 0) {
              const d = 2 * sp - 4;
              i32[d] = i32[d + 4]!;
              i32[d + 1] = i32[d + 5]!;
              i32[d + 2] = i32[d + 6]!;
              i32[d + 3] = i32[d + 7]!;
            }
            pc++;
            break;
          }
          case 0x1c: { // select (reference)
            sp -= 2;
            if (i32[2 * sp + 2] === 0) refs[sp - 1] = refs[sp];
            pc++;
            break;
          }

          // ---------------------------------------------------------------- variables
          case 0x20: // local.get (32-bit)
            i32[2 * sp] = i32[2 * (fp + code[pc + 1]!)]!;
            sp++;
            pc += 2;
            break;
          case 0x12: { // local.get (64-bit)
            const l = 2 * (fp + code[pc + 1]!);
            i32[2 * sp] = i32[l]!;
            i32[2 * sp + 1] = i32[l + 1]!;
            sp++;
            pc += 2;
            break;
          }
          case 0x13: { // local.get (v128)
            const l = 2 * (fp + code[pc + 1]!);
            const d = 2 * sp;
            i32[d] = i32[l]!;
            i32[d + 1] = i32[l + 1]!;
            i32[d + 2] = i32[l + 2]!;
            i32[d + 3] = i32[l + 3]!;
            sp += 2;
            pc += 2;
            break;
          }
          case 0x14: // local.get (reference)
            refs[sp] = refs[fp + code[pc + 1]!];
            sp++;
            pc += 2;
            break;
          case 0x21: // local.set (32-bit)
            sp--;
            i32[2 * (fp + code[pc + 1]!)] = i32[2 * sp]!;
            pc += 2;
            break;
          case 0x15: { // local.set (64-bit)
            sp--;
            const l = 2 * (fp + code[pc + 1]!);
            i32[l] = i32[2 * sp]!;
            i32[l + 1] = i32[2 * sp + 1]!;
            pc += 2;
            break;
          }
          case 0x16: { // local.set (v128)
            sp -= 2;
            const l = 2 * (fp + code[pc + 1]!);
            const v = 2 * sp;
            i32[l] = i32[v]!;
            i32[l + 1] = i32[v + 1]!;
            i32[l + 2] = i32[v + 2]!;
            i32[l + 3] = i32[v + 3]!;
            pc += 2;
            break;
          }
          case 0x17: // local.set (reference)
            sp--;
            refs[fp + code[pc + 1]!] = refs[sp];
            pc += 2;
            break;
          case 0x22: // local.tee (32-bit)
            i32[2 * (fp + code[pc + 1]!)] = i32[2 * sp - 2]!;
            pc += 2;
            break;
          case 0x18: { // local.tee (64-bit)
            const l = 2 * (fp + code[pc + 1]!);
            i32[l] = i32[2 * sp - 2]!;
            i32[l + 1] = i32[2 * sp - 1]!;
            pc += 2;
            break;
          }
          case 0x19: { // local.tee (v128)
            const l = 2 * (fp + code[pc + 1]!);
            const v = 2 * sp - 4;
            i32[l] = i32[v]!;
            i32[l + 1] = i32[v + 1]!;
            i32[l + 2] = i32[v + 2]!;
            i32[l + 3] = i32[v + 3]!;
            pc += 2;
            break;
          }
          case 0x1d: // local.tee (reference)
            refs[fp + code[pc + 1]!] = refs[sp - 1];
            pc += 2;
            break;
          case 0x23: // global.get (32-bit)
            i32[2 * sp] = globals[code[pc + 1]!]!.words[0]!;
            sp++;
            pc += 2;
            break;
          case 0x1e: { // global.get (64-bit)
            const g = globals[code[pc + 1]!]!.words;
            i32[2 * sp] = g[0]!;
            i32[2 * sp + 1] = g[1]!;
            sp++;
            pc += 2;
            break;
          }
          case 0x1f: // global.get (v128)
            i32.set(globals[code[pc + 1]!]!.words, 2 * sp);
            sp += 2;
            pc += 2;
            break;
          case 0x27: // global.get (reference)
            refs[sp] = globals[code[pc + 1]!]!.ref;
            sp++;
            pc += 2;
            break;
          case 0x24: // global.set (32-bit)
            sp--;
            globals[code[pc + 1]!]!.words[0] = i32[2 * sp]!;
            pc += 2;
            break;
          case 0xc5: { // global.set (64-bit)
            sp--;
            const g = globals[code[pc + 1]!]!.words;
            g[0] = i32[2 * sp]!;
            g[1] = i32[2 * sp + 1]!;
            pc += 2;
            break;
          }
          case 0xc6: // global.set (v128)
            sp -= 2;
            globals[code[pc + 1]!]!.words.set(i32.subarray(2 * sp, 2 * sp + 4));
            pc += 2;
            break;
          case 0xc7: // global.set (reference)
            sp--;
            globals[code[pc + 1]!]!.ref = refs[sp];
            pc += 2;
            break;

          // ---------------------------------------------------------------- memory
          // Effective address: the u32 operand plus the u32 offset, as an exact double, so
          // it can exceed 2^32 and is then simply out of bounds.
          case 0x28: { // i32.load
            const a = 2 * sp - 2;
            const ea = (i32[a]! >>> 0) + (code[pc + 1]! >>> 0);
            if (ea > memLen - 4) throw new Trap(TrapMessage.memoryOutOfBounds);
            i32[a] = dv.getInt32(ea, true);
            pc += 2;
            break;
          }
          case 0x29: // i64.load
          case 0x2b: { // f64.load
            const a = 2 * sp - 2;
            const ea = (i32[a]! >>> 0) + (code[pc + 1]! >>> 0);
            if (ea > memLen - 8) throw new Trap(TrapMessage.memoryOutOfBounds);
            i32[a] = dv.getInt32(ea, true);
            i32[a + 1] = dv.getInt32(ea + 4, true);
            pc += 2;
            break;
          }
          case 0x2a: { // f32.load (bits, so NaN payloads survive)
            const a = 2 * sp - 2;
            const ea = (i32[a]! >>> 0) + (code[pc + 1]! >>> 0);
            if (ea > memLen - 4) throw new Trap(TrapMessage.memoryOutOfBounds);
            i32[a] = dv.getInt32(ea, true);
            pc += 2;
            break;
          }
          case 0x2c: // i32.load8_s
          case 0x2d: // i32.load8_u
          case 0x30: // i64.load8_s
          case 0x31: { // i64.load8_u
            const a = 2 * sp - 2;
            const ea = (i32[a]! >>> 0) + (code[pc + 1]! >>> 0);
            if (ea >= memLen) throw new Trap(TrapMessage.memoryOutOfBounds);
            const v = op === 0x2c || op === 0x30 ? (u8[ea]! << 24) >> 24 : u8[ea]!;
            i32[a] = v;
            if (op >= 0x30) i32[a + 1] = op === 0x30 ? v >> 31 : 0;
            pc += 2;
            break;
          }
          case 0x2e: // i32.load16_s
          case 0x2f: // i32.load16_u
          case 0x32: // i64.load16_s
          case 0x33: { // i64.load16_u
            const a = 2 * sp - 2;
            const ea = (i32[a]! >>> 0) + (code[pc + 1]! >>> 0);
            if (ea > memLen - 2) throw new Trap(TrapMessage.memoryOutOfBounds);
            const v = op === 0x2e || op === 0x32 ? dv.getInt16(ea, true) : dv.getUint16(ea, true);
            i32[a] = v;
            if (op >= 0x32) i32[a + 1] = op === 0x32 ? v >> 31 : 0;
            pc += 2;
            break;
          }
          case 0x34: // i64.load32_s
          case 0x35: { // i64.load32_u
            const a = 2 * sp - 2;
            const ea = (i32[a]! >>> 0) + (code[pc + 1]! >>> 0);
            if (ea > memLen - 4) throw new Trap(TrapMessage.memoryOutOfBounds);
            const v = dv.getInt32(ea, true);
            i32[a] = v;
            i32[a + 1] = op === 0x34 ? v >> 31 : 0;
            pc += 2;
            break;
          }
          case 0x36: // i32.store
          case 0x38: // f32.store
          case 0x3e: { // i64.store32
            const a = 2 * sp - 4;
            const ea = (i32[a]! >>> 0) + (code[pc + 1]! >>> 0);
            if (ea > memLen - 4) throw new Trap(TrapMessage.memoryOutOfBounds);
            dv.setInt32(ea, i32[a + 2]!, true);
            sp -= 2;
            pc += 2;
            break;
          }
          case 0x37: // i64.store
          case 0x39: { // f64.store
            const a = 2 * sp - 4;
            const ea = (i32[a]! >>> 0) + (code[pc + 1]! >>> 0);
            if (ea > memLen - 8) throw new Trap(TrapMessage.memoryOutOfBounds);
            dv.setInt32(ea, i32[a + 2]!, true);
            dv.setInt32(ea + 4, i32[a + 3]!, true);
            sp -= 2;
            pc += 2;
            break;
          }
          case 0x3a: // i32.store8
          case 0x3c: { // i64.store8
            const a = 2 * sp - 4;
            const ea = (i32[a]! >>> 0) + (code[pc + 1]! >>> 0);
            if (ea >= memLen) throw new Trap(TrapMessage.memoryOutOfBounds);
            u8[ea] = i32[a + 2]!;
            sp -= 2;
            pc += 2;
            break;
          }
          case 0x3b: // i32.store16
          case 0x3d: { // i64.store16
            const a = 2 * sp - 4;
            const ea = (i32[a]! >>> 0) + (code[pc + 1]! >>> 0);
            if (ea > memLen - 2) throw new Trap(TrapMessage.memoryOutOfBounds);
            dv.setInt16(ea, i32[a + 2]!, true);
            sp -= 2;
            pc += 2;
            break;
          }
          case 0x3f: // memory.size
            i32[2 * sp] = memLen / 65536;
            sp++;
            pc++;
            break;
          case 0x40: { // memory.grow
            const a = 2 * sp - 2;
            i32[a] = mem === undefined ? -1 : mem.grow(i32[a]! >>> 0);
            if (mem !== undefined) {
              dv = mem.view;
              u8 = mem.bytes;
              memLen = mem.byteLength;
            }
            pc++;
            break;
          }


          // ---------------------------------------------------------------- constants
          case 0x41: // i32.const
          case 0x43: // f32.const (bits)
            i32[2 * sp] = code[pc + 1]!;
            sp++;
            pc += 2;
            break;
          case 0x42: // i64.const
          case 0x44: // f64.const (bits)
            i32[2 * sp] = code[pc + 1]!;
            i32[2 * sp + 1] = code[pc + 2]!;
            sp++;
            pc += 3;
            break;

          // ---------------------------------------------------------------- i32
          case 0x45: // i32.eqz
            i32[2 * sp - 2] = i32[2 * sp - 2] === 0 ? 1 : 0;
            pc++;
            break;
          case 0x46: // i32.eq
            sp--;
            i32[2 * sp - 2] = i32[2 * sp - 2] === i32[2 * sp] ? 1 : 0;
            pc++;
            break;
          case 0x47: // i32.ne
            sp--;
            i32[2 * sp - 2] = i32[2 * sp - 2] !== i32[2 * sp] ? 1 : 0;
            pc++;
            break;
          case 0x48: // i32.lt_s
            sp--;
            i32[2 * sp - 2] = i32[2 * sp - 2]! < i32[2 * sp]! ? 1 : 0;
            pc++;
            break;
          case 0x49: // i32.lt_u
            sp--;
            i32[2 * sp - 2] = i32[2 * sp - 2]! >>> 0 < i32[2 * sp]! >>> 0 ? 1 : 0;
            pc++;
            break;
          case 0x4a: // i32.gt_s
            sp--;
            i32[2 * sp - 2] = i32[2 * sp - 2]! > i32[2 * sp]! ? 1 : 0;
            pc++;
            break;
          case 0x4b: // i32.gt_u
            sp--;
            i32[2 * sp - 2] = i32[2 * sp - 2]! >>> 0 > i32[2 * sp]! >>> 0 ? 1 : 0;
            pc++;
            break;
          case 0x4c: // i32.le_s
            sp--;
            i32[2 * sp - 2] = i32[2 * sp - 2]! <= i32[2 * sp]! ? 1 : 0;
            pc++;
            break;
          case 0x4d: // i32.le_u
            sp--;
            i32[2 * sp - 2] = i32[2 * sp - 2]! >>> 0 <= i32[2 * sp]! >>> 0 ? 1 : 0;
            pc++;
            break;
          case 0x4e: // i32.ge_s
            sp--;
            i32[2 * sp - 2] = i32[2 * sp - 2]! >= i32[2 * sp]! ? 1 : 0;
            pc++;
            break;
          case 0x4f: // i32.ge_u
            sp--;
            i32[2 * sp - 2] = i32[2 * sp - 2]! >>> 0 >= i32[2 * sp]! >>> 0 ? 1 : 0;
            pc++;
            break;
          case 0x67: // i32.clz
            i32[2 * sp - 2] = Math.clz32(i32[2 * sp - 2]!);
            pc++;
            break;
          case 0x68: // i32.ctz
            i32[2 * sp - 2] = ctz32(i32[2 * sp - 2]!);
            pc++;
            break;
          case 0x69: // i32.popcnt
            i32[2 * sp - 2] = popcnt32(i32[2 * sp - 2]!);
            pc++;
            break;
          case 0x6a: // i32.add
            sp--;
            i32[2 * sp - 2] = (i32[2 * sp - 2]! + i32[2 * sp]!) | 0;
            pc++;
            break;
          case 0x6b: // i32.sub
            sp--;
            i32[2 * sp - 2] = (i32[2 * sp - 2]! - i32[2 * sp]!) | 0;
            pc++;
            break;
          case 0x6c: // i32.mul
            sp--;
            i32[2 * sp - 2] = Math.imul(i32[2 * sp - 2]!, i32[2 * sp]!);
            pc++;
            break;
          case 0x6d: { // i32.div_s
            const a = i32[2 * sp - 4]!;
            const b = i32[2 * sp - 2]!;
            if (b === 0) throw new Trap(TrapMessage.divideByZero);
            if (b === -1 && a === -0x8000_0000) throw new Trap(TrapMessage.overflow);
            sp--;
            i32[2 * sp - 2] = (a / b) | 0;
            pc++;
            break;
          }
          case 0x6e: { // i32.div_u
            const b = i32[2 * sp - 2]! >>> 0;
            if (b === 0) throw new Trap(TrapMessage.divideByZero);
            sp--;
            i32[2 * sp - 2] = ((i32[2 * sp - 2]! >>> 0) / b) | 0;
            pc++;
            break;
          }
          case 0x6f: { // i32.rem_s
            const b = i32[2 * sp - 2]!;
            if (b === 0) throw new Trap(TrapMessage.divideByZero);
            sp--;
            i32[2 * sp - 2] = i32[2 * sp - 2]! % b | 0;
            pc++;
            break;
          }
          case 0x70: { // i32.rem_u
            const b = i32[2 * sp - 2]! >>> 0;
            if (b === 0) throw new Trap(TrapMessage.divideByZero);
            sp--;
            i32[2 * sp - 2] = (i32[2 * sp - 2]! >>> 0) % b | 0;
            pc++;
            break;
          }
          case 0x71: // i32.and
            sp--;
            i32[2 * sp - 2] = i32[2 * sp - 2]! & i32[2 * sp]!;
            pc++;
            break;
          case 0x72: // i32.or
            sp--;
            i32[2 * sp - 2] = i32[2 * sp - 2]! | i32[2 * sp]!;
            pc++;
            break;
          case 0x73: // i32.xor
            sp--;
            i32[2 * sp - 2] = i32[2 * sp - 2]! ^ i32[2 * sp]!;
            pc++;
            break;
          case 0x74: // i32.shl
            sp--;
            i32[2 * sp - 2] = i32[2 * sp - 2]! << i32[2 * sp]!;
            pc++;
            break;
          case 0x75: // i32.shr_s
            sp--;
            i32[2 * sp - 2] = i32[2 * sp - 2]! >> i32[2 * sp]!;
            pc++;
            break;
          case 0x76: // i32.shr_u
            sp--;
            i32[2 * sp - 2] = i32[2 * sp - 2]! >>> i32[2 * sp]!;
            pc++;
            break;
          case 0x77: { // i32.rotl
            sp--;
            const a = i32[2 * sp - 2]!;
            const k = i32[2 * sp]! & 31;
            i32[2 * sp - 2] = (a << k) | (a >>> (32 - k));
            pc++;
            break;
          }
          case 0x78: { // i32.rotr
            sp--;
            const a = i32[2 * sp - 2]!;
            const k = i32[2 * sp]! & 31;
            i32[2 * sp - 2] = (a >>> k) | (a << (32 - k));
            pc++;
            break;
          }

          // ---------------------------------------------------------------- i64
          // Mostly on 32-bit halves (numeric.ts); division goes through BigInt.
          case 0x50: // i64.eqz
            i32[2 * sp - 2] = (i32[2 * sp - 2]! | i32[2 * sp - 1]!) === 0 ? 1 : 0;
            pc++;
            break;
          case 0x51: // i64.eq
          case 0x52: { // i64.ne
            sp--;
            const a = 2 * sp - 2;
            const eq = i32[a] === i32[a + 2] && i32[a + 1] === i32[a + 3];
            i32[a] = eq === (op === 0x51) ? 1 : 0;
            pc++;
            break;
          }
          case 0x53: // i64.lt_s
          case 0x54: // i64.lt_u
          case 0x55: // i64.gt_s
          case 0x56: // i64.gt_u
          case 0x57: // i64.le_s
          case 0x58: // i64.le_u
          case 0x59: // i64.ge_s
          case 0x5a: { // i64.ge_u
            sp--;
            const a = 2 * sp - 2;
            const signed = (op & 1) === 1;
            const ahi = signed ? i32[a + 1]! : i32[a + 1]! >>> 0;
            const bhi = signed ? i32[a + 3]! : i32[a + 3]! >>> 0;
            // -1, 0, 1 as a compared with b
            const c = ahi < bhi ? -1 : ahi > bhi ? 1 : i32[a]! >>> 0 < i32[a + 2]! >>> 0 ? -1 : i32[a] === i32[a + 2] ? 0 : 1;
            let r: boolean;
            if (op <= 0x54) r = c < 0;
            else if (op <= 0x56) r = c > 0;
            else if (op <= 0x58) r = c <= 0;
            else r = c >= 0;
            i32[a] = r ? 1 : 0;
            pc++;
            break;
          }
          case 0x79: { // i64.clz
            const a = 2 * sp - 2;
            const hi = i32[a + 1]!;
            i32[a] = hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(i32[a]!);
            i32[a + 1] = 0;
            pc++;
            break;
          }
          case 0x7a: { // i64.ctz
            const a = 2 * sp - 2;
            const lo = i32[a]!;
            i32[a] = lo !== 0 ? ctz32(lo) : 32 + ctz32(i32[a + 1]!);
            i32[a + 1] = 0;
            pc++;
            break;
          }
          case 0x7b: { // i64.popcnt
            const a = 2 * sp - 2;
            i32[a] = popcnt32(i32[a]!) + popcnt32(i32[a + 1]!);
            i32[a + 1] = 0;
            pc++;
            break;
          }
          case 0x7c: { // i64.add
            sp--;
            const a = 2 * sp - 2;
            const alo = i32[a]!;
            const lo = (alo + i32[a + 2]!) | 0;
            i32[a + 1] = (i32[a + 1]! + i32[a + 3]! + (lo >>> 0 < alo >>> 0 ? 1 : 0)) | 0;
            i32[a] = lo;
            pc++;
            break;
          }
          case 0x7d: { // i64.sub
            sp--;
            const a = 2 * sp - 2;
            const alo = i32[a]!;
            const blo = i32[a + 2]!;
            i32[a + 1] = (i32[a + 1]! - i32[a + 3]! - (alo >>> 0 < blo >>> 0 ? 1 : 0)) | 0;
            i32[a] = (alo - blo) | 0;
            pc++;
            break;
          }
          case 0x7e: // i64.mul
            sp--;
            mul64(i32, 2 * sp - 2, 2 * sp);
            pc++;
            break;
          case 0x7f: // i64.div_s
            i64[sp - 2] = divS64(i64[sp - 2]!, i64[sp - 1]!);
            sp--;
            pc++;
            break;
          case 0x80: // i64.div_u
            i64[sp - 2] = divU64(i64[sp - 2]!, i64[sp - 1]!);
            sp--;
            pc++;
            break;
          case 0x81: // i64.rem_s
            i64[sp - 2] = remS64(i64[sp - 2]!, i64[sp - 1]!);
            sp--;
            pc++;
            break;
          case 0x82: // i64.rem_u
            i64[sp - 2] = remU64(i64[sp - 2]!, i64[sp - 1]!);
            sp--;
            pc++;
            break;
          case 0x83: // i64.and
            sp--;
            i32[2 * sp - 2] = i32[2 * sp - 2]! & i32[2 * sp]!;
            i32[2 * sp - 1] = i32[2 * sp - 1]! & i32[2 * sp + 1]!;
            pc++;
            break;
          case 0x84: // i64.or
            sp--;
            i32[2 * sp - 2] = i32[2 * sp - 2]! | i32[2 * sp]!;
            i32[2 * sp - 1] = i32[2 * sp - 1]! | i32[2 * sp + 1]!;
            pc++;
            break;
          case 0x85: // i64.xor
            sp--;
            i32[2 * sp - 2] = i32[2 * sp - 2]! ^ i32[2 * sp]!;
            i32[2 * sp - 1] = i32[2 * sp - 1]! ^ i32[2 * sp + 1]!;
            pc++;
            break;
          case 0x86: // i64.shl
            sp--;
            shl64(i32, 2 * sp - 2, i32[2 * sp]!);
            pc++;
            break;
          case 0x87: // i64.shr_s
            sp--;
            shrS64(i32, 2 * sp - 2, i32[2 * sp]!);
            pc++;
            break;
          case 0x88: // i64.shr_u
            sp--;
            shrU64(i32, 2 * sp - 2, i32[2 * sp]!);
            pc++;
            break;
          case 0x89: // i64.rotl
            sp--;
            rotl64(i32, 2 * sp - 2, i32[2 * sp]!);
            pc++;
            break;
          case 0x8a: // i64.rotr
            sp--;
            rotr64(i32, 2 * sp - 2, i32[2 * sp]!);
            pc++;
            break;

          // ---------------------------------------------------------------- f32
          // Arithmetic in doubles is exact before the one rounding of the Float32Array store.
          // A NaN result becomes the canonical NaN (numeric.ts); neg/abs/copysign use bits.
          case 0x5b: // f32.eq
            sp--;
            i32[2 * sp - 2] = f32[2 * sp - 2] === f32[2 * sp] ? 1 : 0;
            pc++;
            break;
          case 0x5c: // f32.ne
            sp--;
            i32[2 * sp - 2] = f32[2 * sp - 2] !== f32[2 * sp] ? 1 : 0;
            pc++;
            break;
          case 0x5d: // f32.lt
            sp--;
            i32[2 * sp - 2] = f32[2 * sp - 2]! < f32[2 * sp]! ? 1 : 0;
            pc++;
            break;
          case 0x5e: // f32.gt
            sp--;
            i32[2 * sp - 2] = f32[2 * sp - 2]! > f32[2 * sp]! ? 1 : 0;
            pc++;
            break;
          case 0x5f: // f32.le
            sp--;
            i32[2 * sp - 2] = f32[2 * sp - 2]! <= f32[2 * sp]! ? 1 : 0;
            pc++;
            break;
          case 0x60: // f32.ge
            sp--;
            i32[2 * sp - 2] = f32[2 * sp - 2]! >= f32[2 * sp]! ? 1 : 0;
            pc++;
            break;
          case 0x8b: // f32.abs
            i32[2 * sp - 2] = i32[2 * sp - 2]! & 0x7fff_ffff;
            pc++;
            break;
          case 0x8c: // f32.neg
            i32[2 * sp - 2] = i32[2 * sp - 2]! ^ -0x8000_0000;
            pc++;
            break;
          case 0x8d: // f32.ceil
          case 0x8e: // f32.floor
          case 0x8f: // f32.trunc
          case 0x90: // f32.nearest
          case 0x91: { // f32.sqrt
            const a = 2 * sp - 2;
            const x = f32[a]!;
            const r =
              op === 0x8d ? Math.ceil(x) : op === 0x8e ? Math.floor(x) : op === 0x8f ? Math.trunc(x) : op === 0x90 ? nearest(x) : Math.sqrt(x);
            if (r !== r) i32[a] = CANONICAL_NAN_F32;
            else f32[a] = r;
            pc++;
            break;
          }
          case 0x92: { // f32.add
            sp--;
            const a = 2 * sp - 2;
            const r = f32[a]! + f32[a + 2]!;
            if (r !== r) i32[a] = CANONICAL_NAN_F32;
            else f32[a] = r;
            pc++;
            break;
          }
          case 0x93: { // f32.sub
            sp--;
            const a = 2 * sp - 2;
            const r = f32[a]! - f32[a + 2]!;
            if (r !== r) i32[a] = CANONICAL_NAN_F32;
            else f32[a] = r;
            pc++;
            break;
          }
          case 0x94: { // f32.mul
            sp--;
            const a = 2 * sp - 2;
            const r = f32[a]! * f32[a + 2]!;
            if (r !== r) i32[a] = CANONICAL_NAN_F32;
            else f32[a] = r;
            pc++;
            break;
          }
          case 0x95: { // f32.div
            sp--;
            const a = 2 * sp - 2;
            const r = f32[a]! / f32[a + 2]!;
            if (r !== r) i32[a] = CANONICAL_NAN_F32;
            else f32[a] = r;
            pc++;
            break;
          }
          case 0x96: { // f32.min (Math.min: NaN if either is, and -0 < +0)
            sp--;
            const a = 2 * sp - 2;
            const r = Math.min(f32[a]!, f32[a + 2]!);
            if (r !== r) i32[a] = CANONICAL_NAN_F32;
            else f32[a] = r;
            pc++;
            break;
          }
          case 0x97: { // f32.max
            sp--;
            const a = 2 * sp - 2;
            const r = Math.max(f32[a]!, f32[a + 2]!);
            if (r !== r) i32[a] = CANONICAL_NAN_F32;
            else f32[a] = r;
            pc++;
            break;
          }
          case 0x98: // f32.copysign
            sp--;
            i32[2 * sp - 2] = (i32[2 * sp - 2]! & 0x7fff_ffff) | (i32[2 * sp]! & -0x8000_0000);
            pc++;
            break;

          // ---------------------------------------------------------------- f64
          case 0x61: // f64.eq
            sp--;
            i32[2 * sp - 2] = f64[sp - 1] === f64[sp] ? 1 : 0;
            pc++;
            break;
          case 0x62: // f64.ne
            sp--;
            i32[2 * sp - 2] = f64[sp - 1] !== f64[sp] ? 1 : 0;
            pc++;
            break;
          case 0x63: // f64.lt
            sp--;
            i32[2 * sp - 2] = f64[sp - 1]! < f64[sp]! ? 1 : 0;
            pc++;
            break;
          case 0x64: // f64.gt
            sp--;
            i32[2 * sp - 2] = f64[sp - 1]! > f64[sp]! ? 1 : 0;
            pc++;
            break;
          case 0x65: // f64.le
            sp--;
            i32[2 * sp - 2] = f64[sp - 1]! <= f64[sp]! ? 1 : 0;
            pc++;
            break;
          case 0x66: // f64.ge
            sp--;
            i32[2 * sp - 2] = f64[sp - 1]! >= f64[sp]! ? 1 : 0;
            pc++;
            break;
          case 0x99: // f64.abs
            i32[2 * sp - 1] = i32[2 * sp - 1]! & 0x7fff_ffff;
            pc++;
            break;
          case 0x9a: // f64.neg
            i32[2 * sp - 1] = i32[2 * sp - 1]! ^ -0x8000_0000;
            pc++;
            break;
          case 0x9b: // f64.ceil
          case 0x9c: // f64.floor
          case 0x9d: // f64.trunc
          case 0x9e: // f64.nearest
          case 0x9f: { // f64.sqrt
            const x = f64[sp - 1]!;
            const r =
              op === 0x9b ? Math.ceil(x) : op === 0x9c ? Math.floor(x) : op === 0x9d ? Math.trunc(x) : op === 0x9e ? nearest(x) : Math.sqrt(x);
            if (r !== r) {
              i32[2 * sp - 2] = 0;
              i32[2 * sp - 1] = CANONICAL_NAN_F64_HI;
            } else f64[sp - 1] = r;
            pc++;
            break;
          }
          case 0xa0: { // f64.add
            sp--;
            const r = f64[sp - 1]! + f64[sp]!;
            if (r !== r) {
              i32[2 * sp - 2] = 0;
              i32[2 * sp - 1] = CANONICAL_NAN_F64_HI;
            } else f64[sp - 1] = r;
            pc++;
            break;
          }
          case 0xa1: { // f64.sub
            sp--;
            const r = f64[sp - 1]! - f64[sp]!;
            if (r !== r) {
              i32[2 * sp - 2] = 0;
              i32[2 * sp - 1] = CANONICAL_NAN_F64_HI;
            } else f64[sp - 1] = r;
            pc++;
            break;
          }
          case 0xa2: { // f64.mul
            sp--;
            const r = f64[sp - 1]! * f64[sp]!;
            if (r !== r) {
              i32[2 * sp - 2] = 0;
              i32[2 * sp - 1] = CANONICAL_NAN_F64_HI;
            } else f64[sp - 1] = r;
            pc++;
            break;
          }
          case 0xa3: { // f64.div
            sp--;
            const r = f64[sp - 1]! / f64[sp]!;
            if (r !== r) {
              i32[2 * sp - 2] = 0;
              i32[2 * sp - 1] = CANONICAL_NAN_F64_HI;
            } else f64[sp - 1] = r;
            pc++;
            break;
          }
          case 0xa4: { // f64.min
            sp--;
            const r = Math.min(f64[sp - 1]!, f64[sp]!);
            if (r !== r) {
              i32[2 * sp - 2] = 0;
              i32[2 * sp - 1] = CANONICAL_NAN_F64_HI;
            } else f64[sp - 1] = r;
            pc++;
            break;
          }
          case 0xa5: { // f64.max
            sp--;
            const r = Math.max(f64[sp - 1]!, f64[sp]!);
            if (r !== r) {
              i32[2 * sp - 2] = 0;
              i32[2 * sp - 1] = CANONICAL_NAN_F64_HI;
            } else f64[sp - 1] = r;
            pc++;
            break;
          }
          case 0xa6: // f64.copysign (high words)
            sp--;
            i32[2 * sp - 1] = (i32[2 * sp - 1]! & 0x7fff_ffff) | (i32[2 * sp + 1]! & -0x8000_0000);
            pc++;
            break;

          // ---------------------------------------------------------------- conversions
          case 0xa7: // i32.wrap_i64: the low word already is the result
          case 0xbc: // i32.reinterpret_f32: values are bits already
          case 0xbd: // i64.reinterpret_f64
          case 0xbe: // f32.reinterpret_i32
          case 0xbf: // f64.reinterpret_i64
            pc++;
            break;
          case 0xa8: // i32.trunc_f32_s
            i32[2 * sp - 2] = truncI32S(f32[2 * sp - 2]!);
            pc++;
            break;
          case 0xa9: // i32.trunc_f32_u
            i32[2 * sp - 2] = truncI32U(f32[2 * sp - 2]!);
            pc++;
            break;
          case 0xaa: // i32.trunc_f64_s
            i32[2 * sp - 2] = truncI32S(f64[sp - 1]!);
            pc++;
            break;
          case 0xab: // i32.trunc_f64_u
            i32[2 * sp - 2] = truncI32U(f64[sp - 1]!);
            pc++;
            break;
          case 0xac: // i64.extend_i32_s
            i32[2 * sp - 1] = i32[2 * sp - 2]! >> 31;
            pc++;
            break;
          case 0xad: // i64.extend_i32_u
            i32[2 * sp - 1] = 0;
            pc++;
            break;
          case 0xae: // i64.trunc_f32_s
            i64[sp - 1] = truncI64S(f32[2 * sp - 2]!);
            pc++;
            break;
          case 0xaf: // i64.trunc_f32_u
            i64[sp - 1] = truncI64U(f32[2 * sp - 2]!);
            pc++;
            break;
          case 0xb0: // i64.trunc_f64_s
            i64[sp - 1] = truncI64S(f64[sp - 1]!);
            pc++;
            break;
          case 0xb1: // i64.trunc_f64_u
            i64[sp - 1] = truncI64U(f64[sp - 1]!);
            pc++;
            break;
          case 0xb2: // f32.convert_i32_s (int → double is exact, the store rounds once)
            f32[2 * sp - 2] = i32[2 * sp - 2]!;
            pc++;
            break;
          case 0xb3: // f32.convert_i32_u
            f32[2 * sp - 2] = i32[2 * sp - 2]! >>> 0;
            pc++;
            break;
          case 0xb4: // f32.convert_i64_s
            f32[2 * sp - 2] = bigintToF32(i64[sp - 1]!);
            pc++;
            break;
          case 0xb5: // f32.convert_i64_u
            f32[2 * sp - 2] = bigintToF32(BigInt.asUintN(64, i64[sp - 1]!));
            pc++;
            break;
          case 0xb6: { // f32.demote_f64
            const r = f64[sp - 1]!;
            if (r !== r) i32[2 * sp - 2] = CANONICAL_NAN_F32;
            else f32[2 * sp - 2] = r;
            pc++;
            break;
          }
          case 0xb7: // f64.convert_i32_s
            f64[sp - 1] = i32[2 * sp - 2]!;
            pc++;
            break;
          case 0xb8: // f64.convert_i32_u
            f64[sp - 1] = i32[2 * sp - 2]! >>> 0;
            pc++;
            break;
          case 0xb9: // f64.convert_i64_s: hi·2^32 is exact, the addition rounds once
            f64[sp - 1] = i32[2 * sp - 1]! * 4294967296 + (i32[2 * sp - 2]! >>> 0);
            pc++;
            break;
          case 0xba: // f64.convert_i64_u
            f64[sp - 1] = (i32[2 * sp - 1]! >>> 0) * 4294967296 + (i32[2 * sp - 2]! >>> 0);
            pc++;
            break;
          case 0xbb: { // f64.promote_f32
            const r = f32[2 * sp - 2]!;
            if (r !== r) {
              i32[2 * sp - 2] = 0;
              i32[2 * sp - 1] = CANONICAL_NAN_F64_HI;
            } else f64[sp - 1] = r;
            pc++;
            break;
          }
          case 0xc0: // i32.extend8_s
            i32[2 * sp - 2] = (i32[2 * sp - 2]! << 24) >> 24;
            pc++;
            break;
          case 0xc1: // i32.extend16_s
            i32[2 * sp - 2] = (i32[2 * sp - 2]! << 16) >> 16;
            pc++;
            break;
          case 0xc2: { // i64.extend8_s
            const v = (i32[2 * sp - 2]! << 24) >> 24;
            i32[2 * sp - 2] = v;
            i32[2 * sp - 1] = v >> 31;
            pc++;
            break;
          }
          case 0xc3: { // i64.extend16_s
            const v = (i32[2 * sp - 2]! << 16) >> 16;
            i32[2 * sp - 2] = v;
            i32[2 * sp - 1] = v >> 31;
            pc++;
            break;
          }
          case 0xc4: // i64.extend32_s
            i32[2 * sp - 1] = i32[2 * sp - 2]! >> 31;
            pc++;
            break;

          // ---------------------------------------------------------------- references
          case 0xd0: // ref.null
            refs[sp] = null;
            sp++;
            pc++;
            break;
          case 0xd1: // ref.is_null
            i32[2 * sp - 2] = refs[sp - 1] === null ? 1 : 0;
            refs[sp - 1] = null;
            pc++;
            break;
          case 0xd2: // ref.func
            refs[sp] = funcs[code[pc + 1]!];
            sp++;
            pc += 2;
            break;

          // ---------------------------------------------------------------- vector
          // The commonest vector instructions, here rather than behind execVector's call;
          // vector.ts (fastVector, memoryOp) computes the same bits for them.
          case 0x100: { // v128.load
            const w = 2 * sp - 2;
            const ea = (i32[w]! >>> 0) + (code[pc + 1]! >>> 0);
            if (ea > memLen - 16) throw new Trap(TrapMessage.memoryOutOfBounds);
            i32[w] = dv.getInt32(ea, true);
            i32[w + 1] = dv.getInt32(ea + 4, true);
            i32[w + 2] = dv.getInt32(ea + 8, true);
            i32[w + 3] = dv.getInt32(ea + 12, true);
            sp++;
            pc += 2;
            break;
          }
          case 0x10b: { // v128.store
            const v = 2 * sp - 4;
            const ea = (i32[v - 2]! >>> 0) + (code[pc + 1]! >>> 0);
            if (ea > memLen - 16) throw new Trap(TrapMessage.memoryOutOfBounds);
            dv.setInt32(ea, i32[v]!, true);
            dv.setInt32(ea + 4, i32[v + 1]!, true);
            dv.setInt32(ea + 8, i32[v + 2]!, true);
            dv.setInt32(ea + 12, i32[v + 3]!, true);
            sp -= 3;
            pc += 2;
            break;
          }
          case 0x10c: { // v128.const
            const w = 2 * sp;
            i32[w] = code[pc + 1]!;
            i32[w + 1] = code[pc + 2]!;
            i32[w + 2] = code[pc + 3]!;
            i32[w + 3] = code[pc + 4]!;
            sp += 2;
            pc += 5;
            break;
          }
          case 0x14e: // v128.and
          case 0x14f: // v128.andnot
          case 0x150: // v128.or
          case 0x151: { // v128.xor
            const w = 2 * sp - 8;
            for (let k = w; k < w + 4; k++) {
              const a = i32[k]!;
              const b = i32[k + 4]!;
              i32[k] = op === 0x14e ? a & b : op === 0x14f ? a & ~b : op === 0x150 ? a | b : a ^ b;
            }
            sp -= 2;
            pc++;
            break;
          }
          case 0x1ab: // i32x4.shl
          case 0x1ac: // i32x4.shr_s
          case 0x1ad: { // i32x4.shr_u
            const n = i32[2 * sp - 2]! & 31;
            const v = 2 * sp - 6;
            for (let k = v; k < v + 4; k++) {
              const x = i32[k]!;
              i32[k] = op === 0x1ab ? x << n : op === 0x1ac ? x >> n : x >>> n;
            }
            sp--;
            pc++;
            break;
          }
          case 0x1ae: // i32x4.add
          case 0x1b1: // i32x4.sub
          case 0x1b5: { // i32x4.mul
            const w = 2 * sp - 8;
            for (let k = w; k < w + 4; k++) {
              const a = i32[k]!;
              const b = i32[k + 4]!;
              i32[k] = op === 0x1ae ? (a + b) | 0 : op === 0x1b1 ? (a - b) | 0 : Math.imul(a, b);
            }
            sp -= 2;
            pc++;
            break;
          }
          case 0x1e4: // f32x4.add
          case 0x1e5: // f32x4.sub
          case 0x1e6: // f32x4.mul
          case 0x1e7: // f32x4.div
          case 0x1e8: // f32x4.min (Math.min is fmin: NaN if either is, -0 below +0)
          case 0x1e9: { // f32x4.max
            // Double arithmetic and one rounding on the Float32Array store: correctly rounded.
            const w = 2 * sp - 8;
            for (let k = w; k < w + 4; k++) {
              const x = f32[k]!;
              const y = f32[k + 4]!;
              const r = op === 0x1e4 ? x + y : op === 0x1e5 ? x - y : op === 0x1e6 ? x * y : op === 0x1e7 ? x / y : op === 0x1e8 ? Math.min(x, y) : Math.max(x, y);
              if (r !== r) i32[k] = CANONICAL_NAN_F32;
              else f32[k] = r;
            }
            sp -= 2;
            pc++;
            break;
          }

          // table64: table instructions on i64 tables (engine/exec/table64.ts).
          case 0x280: case 0x281: case 0x282: case 0x283: case 0x284: case 0x285: case 0x286:
            sp = execTable64(this, op, code, pc, sp, inst);
            pc += OP_LENGTH[op]!;
            break;

          default: {
            if (op >= 0x2c0 && op < 0x2d0) { // tail calls replace the frame (tail-call.ts)
              this.fn = fn; this.pc = pc; this.fp = fp; this.sp = sp; this.depth = depth;
              finished = tailCall(this, op, code, pc);
              sp = this.sp; depth = this.depth;
              if (finished) break loop;
              fn = this.fn!; code = fn.code.fast; pc = this.pc; fp = this.fp;
              inst = fn.instance; funcs = inst.funcs; globals = inst.globals; mem = memOf(inst);
              dv = mem === undefined ? EMPTY_VIEW : mem.view; u8 = mem === undefined ? EMPTY_BYTES : mem.bytes;
              memLen = mem === undefined ? 0 : mem.byteLength;
              i32 = this.i32; f32 = this.f32; f64 = this.f64; i64 = this.i64;
              break;
            }
            // Cold instructions: they may trap, so the stack is only updated on success.
            const len = OP_LENGTH[op]!;
            if (len === 0) throw new Trap(`internal error: unknown opcode 0x${op.toString(16)}`);
            if (op >= 0x2d0 && op < 0x300) { // exception handling (layout.ts OPC.TRY_TABLE…)
              pc = execException(this, op, code, pc, sp, fp, inst);
              break;
            }
            sp = op >= 0x100 ? execVector(this, op, code, pc, sp, inst) : execCold(this, op, code, pc, sp, inst);
            pc += len;
            if (op === OPC_MEM_GROW) {
              // memory.grow on an i64 or other memory (engine/exec/memories.ts): memory 0 may be the one that grew.
              mem = memOf(inst);
              if (mem !== undefined) {
                dv = mem.view;
                u8 = mem.bytes;
                memLen = mem.byteLength;
              }
            }
            break;
          }
        }
      }
    } catch (e) {
      this.fn = fn;
      this.pc = pc;
      this.fp = fp;
      this.sp = sp;
      this.depth = depth;
      this.steps += budget - left;
      // A wasm exception: unwinding finds its handler, or it is uncaught (fail).
      if (e instanceof ExceptionInstance && unwind(this, e, code[pc] !== OPC_THROW && code[pc] !== OPC_THROW_REF && code[pc] !== OPC_RETHROW)) return;
      this.fail(e);
      return;
    }
    if (finished) {
      this.status = 'done';
      this.fn = undefined;
      this.frameFn[0] = undefined;
      this.steps += budget - left;
      this.sp = sp;
      this.fp = 0;
      this.pc = 0;
      this.depth = 0;
      return;
    }
    this.fn = fn;
    this.pc = pc;
    this.fp = fp;
    this.sp = sp;
    this.depth = depth;
    this.steps += budget - left;
  }
}

function sumSlots(types: readonly string[]): number {
  let n = 0;
  for (const t of types) n += t === 'v128' ? 2 : 1;
  return n;
}
