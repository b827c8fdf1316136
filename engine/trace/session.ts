// A time-travelling debugging session over one call of a WebAssembly function: step into,
// over and out, continue to breakpoints, and go back to any earlier step.
//
// Going back works by determinism. Execution (https://webassembly.github.io/spec/core/exec/instructions.html)
// is a pure function of the state, except for host functions — and those are recorded the
// first time and replayed afterwards (engine/trace/host-log.ts), so the host is never
// called twice. So the session keeps checkpoints of the full state (machine stacks, and
// the store through copy-on-write pages, engine/trace/world.ts) every `interval` steps,
// and going to step i means restoring the nearest checkpoint at or before i and running
// forward. Checkpoints are thinned so their spacing grows with the distance from the
// current step: memory stays bounded over millions of steps while going back one step
// stays a short replay.
//
// The session runs the interpreter one instruction at a time (Machine.step) and does its
// bookkeeping around each: which stack slots the step pushed (for stable value ids),
// which frames it created (stable frame ids), which memory it wrote (for copy-on-write
// and changedSince), breakpoints and stepping conditions. The interpreter's own loop is
// untouched; `Machine.run` stays as fast as it was for everyone else.

import { recordByteSpans } from '../binary/encode.ts';
import { positionOf } from '../exec/compile.ts';
import { exportedFunction } from '../exec/invoke.ts';
import { DEFAULT_LIMITS, type Limits } from '../exec/limits.ts';
import { branchEntry, callFunc, callType, entryCarry, entryHeight, memOffset, OPC, tableIndex } from '../exec/layout.ts';
import { Machine } from '../exec/machine.ts';
import { HostFunction, WasmFunction, type FuncInstance, type Instance } from '../exec/runtime.ts';
import { Trap } from '../exec/trap.ts';
import { typedValue, type HostValue, type TypedValue } from '../exec/values.ts';
import type { Module } from '../syntax/ast.ts';
import { FLAG_INSTR, FLAG_LINE, flagsFor, lineOf, resolve, type Breakpoint, type BreakpointSpec } from './breakpoints.ts';
import { after, before } from './effects.ts';
import { analysisAt, blocksOf } from './frames.ts';
import { HostLog } from './host-log.ts';
import { namesOf } from './names.ts';
import { GRANULE, pageAt, type ByteRange, type MemoryTracker } from './pages.ts';
import { buildSnapshot, type LastStep, type Snapshot } from './snapshot.ts';
import {
  RES, RES_BRANCH, RES_CALL, RES_PUSH, RES_TOP1, RES_TOP2, W_BULK, W_GROW, W_NONE, W_STORE, W_TABLE, W_TABLE2, W_VSTORE, WRITE, WSIZE,
} from './track.ts';
import { Viewer } from './view.ts';
import { World, type WorldImage } from './world.ts';
import type { CompiledFunc } from '../exec/compile.ts';

export interface SessionOptions {
  readonly limits?: Limits;
  /** Arguments with exact types (floats by their bits); replaces the JS-value arguments. */
  readonly typedArgs?: readonly TypedValue[];
  /** The source text of the module, for label names in snapshots. */
  readonly source?: string;
  /** Steps between checkpoints near the current step (default 1000); it grows when checkpoints get expensive. */
  readonly checkpointInterval?: number;
  /** Most checkpoints kept (default 1000). */
  readonly maxCheckpoints?: number;
  /** Most bytes of checkpoint data kept beyond one copy of the memories, roughly (default 64 MiB). */
  readonly maxCheckpointBytes?: number;
  /**
   * 'diff' (default): compare memories, tables and globals around each host call the
   * first time, so replay reproduces what the host wrote. 'results': only record results,
   * for hosts known not to write to the store (faster when host calls are very frequent).
   */
  readonly hostEffects?: 'diff' | 'results';
  /** Fill in missing byte spans of text-parsed code by encoding the module (default true). */
  readonly byteSpans?: boolean;
  /** Most frames in a snapshot (the innermost ones; default 256). */
  readonly maxFrames?: number;
  /** Most table entries in a snapshot (default 256). */
  readonly maxTableEntries?: number;
}

export type SessionStatus = 'running' | 'paused' | 'done' | 'trapped';

export type StopReason =
  /** stepInto, or a step/over/out that ended normally */
  | 'step'
  | 'breakpoint'
  | 'done'
  | 'trapped'
  /** continue(budget) ran its budget */
  | 'budget'
  /** goTo / back / reset reached their step */
  | 'target';

export interface Stop {
  readonly reason: StopReason;
  readonly stepIndex: number;
  /** The breakpoint that stopped execution. */
  readonly breakpoint: number | null;
}

interface Checkpoint {
  readonly step: number;
  readonly words: Int32Array;
  readonly refs: readonly unknown[];
  readonly pushStep: Float64Array;
  readonly frameFn: readonly WasmFunction[];
  readonly frameFp: Int32Array;
  readonly framePc: Int32Array;
  readonly frameIds: Float64Array;
  readonly fn: WasmFunction;
  readonly pc: number;
  readonly fp: number;
  readonly sp: number;
  readonly depth: number;
  readonly hostIndex: number;
  readonly world: WorldImage;
  /** Page granules whose copies this checkpoint owns, per memory (for accounting). */
  readonly pages: number[][];
  bytes: number;
}

interface RunSpec {
  /** Stop before executing when the step count reaches this. */
  readonly limit: number;
  readonly breakpoints: boolean;
  /** Stop when the frame depth drops below this (0: never). */
  readonly floor: number;
  /** Stop when at this depth the pc leaves [lo, hi) (-1: no region). */
  readonly regionDepth: number;
  readonly lo: number;
  readonly hi: number;
}

type Ended = 'limit' | 'breakpoint' | 'left' | 'done' | 'trapped';

/** Thrown for a broken invariant of the session itself; never caught as a host failure. */
export class TraceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TraceError';
  }
}

const MAX_INTERVAL = 1 << 20;
/** Recent LastSteps kept (each a few hundred bytes of JSON). */
const LAST_CACHE = 256;
const spanned = new WeakSet<Module>();

function fillByteSpans(module: Module): void {
  if (spanned.has(module)) return;
  spanned.add(module);
  const missing = module.funcs.some((f) => f.body.some((i) => i.span.bytes === undefined) || f.endSpan?.bytes === undefined);
  if (!missing) return;
  try {
    recordByteSpans(module, 'missing');
  } catch {
    // A module the encoder cannot write still runs; its instructions just have no byte spans.
  }
}

export class Session {
  readonly entry: FuncInstance;
  readonly instance: Instance;
  /** The arguments the call started with. */
  readonly args: readonly TypedValue[];
  private readonly m: Machine;
  private readonly world: World;
  private readonly viewer: Viewer;
  private readonly log = new HostLog();
  private readonly hostEffects: 'diff' | 'results';
  private readonly maxCheckpoints: number;
  private readonly maxBytes: number;
  private readonly maxFrames: number;
  private readonly maxTableEntries: number;
  private interval: number;

  /** Per value slot: the step after which the value starting there was pushed. */
  private pushSteps: Float64Array;
  /** Per frame depth: the frame's id (the step after which it was created). */
  private frameIdArr = new Float64Array(64);
  /** Host calls made in steps [0, stepIndex). */
  private hostIndex = 0;
  /** The step being executed (for host calls within it). */
  private curStep = 0;

  private readonly checkpoints: Checkpoint[] = [];
  private checkpointBytes = 0;
  private nextBoundary = 0;
  /** Replays create checkpoints only from this step on (near their target). */
  private createFrom = 0;

  private known = 0;
  private final: number | null = null;
  private executing = false;
  private hostError: unknown = undefined;

  /**
   * What recent steps did, by the step they led to. A step's LastStep depends only on the
   * step, so entries never go stale; the cache only spares replays when going back and
   * forth over recent steps.
   */
  private readonly lastCache = new Map<number, LastStep>();
  private snapCache: { step: number; snap: Snapshot } | undefined;

  // Breakpoints
  private readonly bps: Breakpoint[] = [];
  private bpSeq = 0;
  private bpFlags = new Map<CompiledFunc, Uint8Array>();
  private bpCode: CompiledFunc | undefined;
  private bpCur: Uint8Array | undefined;
  private bpHit: number | null = null;
  // The instruction executed last (for line breakpoints).
  private prevFn: WasmFunction | undefined;
  private prevPc = -1;
  private prevFrame = -1;
  // Memory of the last store (most steps use the same one).
  private lastMem: unknown = undefined;
  private lastTracker: MemoryTracker | undefined;

  /** A session over `instance`'s export `name` called with `args` (JS values, engine/exec/values.ts). */
  constructor(instance: Instance, name: string, args: readonly HostValue[] = [], options: SessionOptions = {}) {
    this.instance = instance;
    this.entry = exportedFunction(instance, name);
    const limits = options.limits ?? DEFAULT_LIMITS;
    this.hostEffects = options.hostEffects ?? 'diff';
    this.interval = Math.max(1, Math.floor(options.checkpointInterval ?? 1000));
    this.maxCheckpoints = Math.max(4, options.maxCheckpoints ?? 1000);
    this.maxBytes = options.maxCheckpointBytes ?? 64 * 1024 * 1024;
    this.maxFrames = options.maxFrames ?? 256;
    this.maxTableEntries = options.maxTableEntries ?? 256;
    const m = new Machine(limits);
    this.m = m;
    m.hostHook = (f, a) => this.onHost(f, a);
    const home = this.entry instanceof WasmFunction ? this.entry.instance : instance;
    this.world = new World(home, 0);
    if (options.byteSpans !== false) for (const inst of this.world.instances) fillByteSpans(inst.module);
    this.pushSteps = new Float64Array(m.capacity);
    const self = this;
    this.viewer = new Viewer({
      m,
      world: this.world,
      entry: this.entry,
      get args() {
        return self.args;
      },
      source: options.source,
      pushStep: () => this.pushSteps,
      frameIds: () => this.frameIdArr,
    });
    this.executing = true;
    try {
      if (options.typedArgs !== undefined) m.startTyped(this.entry, options.typedArgs);
      else m.start(this.entry, args);
    } catch (e) {
      if (m.status !== 'trapped' && m.status !== 'done') throw e;
      this.hostError = e;
    } finally {
      this.executing = false;
    }
    this.args = options.typedArgs ?? this.readArgs(args);
    if (this.pushSteps.length < m.capacity) this.pushSteps = new Float64Array(m.capacity);
    if (m.status === 'paused') this.addCheckpoint(0);
    else this.final = 0;
    this.nextBoundary = this.boundaryAfter(0);
  }

  private readArgs(args: readonly HostValue[]): TypedValue[] {
    const m = this.m;
    if (m.status !== 'paused' || !(this.entry instanceof WasmFunction)) return [];
    const code = this.entry.code;
    return this.entry.type.params.map((t, i) => {
      const slot = code.localOffsets[i]!;
      return typedValue(t, m.i32, 2 * slot, m.refs[slot] ?? args[i]);
    });
  }

  // ---------------------------------------------------------------- state

  /** Instructions executed to reach the current state. */
  get stepIndex(): number {
    return this.m.steps;
  }

  /** The furthest step executed so far. */
  get knownSteps(): number {
    return this.known;
  }

  /** The step at which the call ends (done or trapped), once execution got there; else null. */
  get finalStep(): number | null {
    return this.final;
  }

  get status(): SessionStatus {
    if (this.executing) return 'running';
    const s = this.m.status;
    return s === 'done' ? 'done' : s === 'trapped' ? 'trapped' : 'paused';
  }

  /** The trap, when trapped. */
  get trap(): Trap | undefined {
    return this.m.status === 'trapped' ? this.m.trap : undefined;
  }

  /** What a host function threw when it made the call trap (the trap says "host function failed"). */
  get hostFailure(): unknown {
    return this.m.status === 'trapped' ? this.hostError : undefined;
  }

  /** The call's results as JS values, once done. */
  results(): HostValue[] {
    return this.m.results();
  }

  typedResults(): TypedValue[] {
    return this.m.typedResults();
  }

  /** Host calls recorded so far (each ran exactly once). */
  get hostCalls(): number {
    return this.log.length;
  }

  /** Checkpoint bookkeeping, for tests and tuning. */
  checkpointStats(): { count: number; bytes: number; interval: number; steps: number[] } {
    return { count: this.checkpoints.length, bytes: this.checkpointBytes, interval: this.interval, steps: this.checkpoints.map((c) => c.step) };
  }

  // ---------------------------------------------------------------- commands

  /** Runs exactly one instruction. */
  stepInto(): Stop {
    if (this.m.status !== 'paused') return this.stop('step');
    this.guard(() => this.stepCaptured());
    return this.stop('step');
  }

  /**
   * Runs one instruction, but a call as a whole (to its return) and a block, loop or if
   * as a whole (until execution leaves it). Breakpoints inside still stop it.
   */
  stepOver(): Stop {
    const m = this.m;
    if (m.status !== 'paused') return this.stop('step');
    const fn = m.fn!;
    const pos = positionOf(fn.code.offsets, m.pc);
    const code = fn.code.func.body[pos]?.code;
    const d = m.depth;
    if (code === 0x10 || code === 0x11) return this.runStop({ limit: Infinity, breakpoints: true, floor: d + 1, regionDepth: -1, lo: 0, hi: 0 });
    if (code === 0x02 || code === 0x03 || code === 0x04) return this.runStop(this.region(fn, pos, d));
    return this.stepInto();
  }

  /**
   * Runs until execution leaves the innermost block, loop or if (scope 'block', the
   * default), or the current function (scope 'function', or when not inside a block):
   * it stops at the instruction after the block, or after the call in the caller.
   */
  stepOut(scope: 'block' | 'function' = 'block'): Stop {
    const m = this.m;
    if (m.status !== 'paused') return this.stop('step');
    const fn = m.fn!;
    const pos = positionOf(fn.code.offsets, m.pc);
    const labels = analysisAt(fn, pos).labels;
    const inner = labels[labels.length - 1];
    const d = m.depth;
    if (scope === 'block' && inner !== undefined && inner.kind !== 'func') return this.runStop(this.region(fn, inner.start, d));
    return this.runStop({ limit: Infinity, breakpoints: true, floor: d, regionDepth: -1, lo: 0, hi: 0 });
  }

  /** Runs to the next breakpoint, trap or the end, or for at most `budget` instructions. */
  continue(budget = Infinity): Stop {
    if (this.m.status !== 'paused') return this.stop('step');
    const stop = this.runStop({ limit: this.m.steps + budget, breakpoints: true, floor: 0, regionDepth: -1, lo: 0, hi: 0 });
    return stop;
  }

  /** Goes back n instructions (to step 0 at most). */
  back(n = 1): Stop {
    return this.goTo(this.m.steps - n);
  }

  /** Goes to the state after `stepIndex` instructions (clamped to the run's end). */
  goTo(stepIndex: number): Stop {
    let target = Math.max(0, Math.floor(stepIndex));
    if (this.final !== null) target = Math.min(target, this.final);
    const m = this.m;
    if (target === m.steps) return this.stop('target');
    // The step into the target runs with capture, so the snapshot there needs no replay.
    const capture = target > 0 && !this.lastCache.has(target);
    const before = capture ? target - 1 : target;
    const cp = this.checkpoints[this.checkpointAt(before)];
    if (cp !== undefined && (before < m.steps || cp.step > m.steps)) this.restore(cp);
    this.createFrom = Math.max(0, target - 16 * this.interval);
    try {
      this.guard(() => {
        this.run({ limit: before, breakpoints: false, floor: 0, regionDepth: -1, lo: 0, hi: 0 });
        if (capture && m.status === 'paused' && m.steps === before) this.stepCaptured();
        else this.run({ limit: target, breakpoints: false, floor: 0, regionDepth: -1, lo: 0, hi: 0 });
      });
    } finally {
      this.createFrom = 0;
    }
    return this.stop(m.steps === target ? 'target' : 'step');
  }

  /** Back to the start. */
  reset(): Stop {
    return this.goTo(0);
  }

  // ---------------------------------------------------------------- breakpoints

  /** Adds a breakpoint; its locations say where it applies (none: it never stops). */
  addBreakpoint(spec: BreakpointSpec): Breakpoint {
    const funcs = this.instance.funcs.filter((f): f is WasmFunction => f instanceof WasmFunction && f.instance === this.instance);
    const where = resolve(spec, funcs, (f) => namesOf(f.instance.module));
    const bp: Breakpoint = { id: ++this.bpSeq, spec, locations: where.map((w) => ({ funcIndex: w.func.index, instrIndex: w.pos })) };
    this.bps.push(bp);
    this.rebuildFlags();
    return bp;
  }

  removeBreakpoint(id: number): boolean {
    const i = this.bps.findIndex((b) => b.id === id);
    if (i < 0) return false;
    this.bps.splice(i, 1);
    this.rebuildFlags();
    return true;
  }

  clearBreakpoints(): void {
    this.bps.length = 0;
    this.rebuildFlags();
  }

  breakpoints(): readonly Breakpoint[] {
    return [...this.bps];
  }

  private rebuildFlags(): void {
    const funcs = new Map<number, WasmFunction>();
    for (const f of this.instance.funcs) if (f instanceof WasmFunction && f.instance === this.instance) funcs.set(f.index, f);
    const resolved: { func: WasmFunction; pos: number; flag: number }[] = [];
    for (const bp of this.bps) {
      for (const l of bp.locations) resolved.push({ func: funcs.get(l.funcIndex)!, pos: l.instrIndex, flag: 'line' in bp.spec ? FLAG_LINE : FLAG_INSTR });
    }
    this.bpFlags = flagsFor(resolved);
    this.bpCode = undefined;
    this.bpCur = undefined;
  }

  /** Whether a breakpoint stops execution before the current instruction. */
  private atBreakpoint(): boolean {
    const m = this.m;
    const fn = m.fn!;
    if (fn.code !== this.bpCode) {
      this.bpCode = fn.code;
      this.bpCur = this.bpFlags.get(fn.code);
    }
    const flags = this.bpCur;
    if (flags === undefined) return false;
    const f = flags[m.pc]!;
    if (f === 0) return false;
    const pos = positionOf(fn.code.offsets, m.pc);
    const here = this.bps.filter((b) => b.locations.some((l) => l.funcIndex === fn.index && l.instrIndex === pos));
    const instr = here.find((b) => !('line' in b.spec));
    if (instr !== undefined) {
      this.bpHit = instr.id;
      return true;
    }
    // A line breakpoint: only on entering the line.
    const sameFrame = this.prevFn === fn && this.prevFrame === this.frameIdArr[m.depth - 1];
    if (sameFrame && lineOf(fn, positionOf(fn.code.offsets, this.prevPc)) === lineOf(fn, pos)) return false;
    this.bpHit = here[0]?.id ?? null;
    return true;
  }

  // ---------------------------------------------------------------- memory views

  /** A copy of `length` bytes of a memory (an index into Snapshot.memories) from `address`, clipped to its size. */
  memoryBytes(address: number, length: number, memory = 0): Uint8Array {
    const t = this.world.memories[memory];
    if (t === undefined) throw new RangeError(`no memory ${memory}`);
    const start = Math.max(0, Math.min(address, t.mem.byteLength));
    const end = Math.max(start, Math.min(address + Math.max(0, length), t.mem.byteLength));
    return t.mem.bytes.slice(start, end);
  }

  /**
   * Byte ranges of a memory written after step `stepIndex` (≤ the current step), at the
   * granularity of 4 KiB pages, merged when adjacent. Nothing is copied.
   */
  changedSince(stepIndex: number, memory = 0): ByteRange[] {
    if (stepIndex > this.m.steps) throw new RangeError(`step ${stepIndex} is after the current step ${this.m.steps}`);
    const t = this.world.memories[memory];
    if (t === undefined) throw new RangeError(`no memory ${memory}`);
    return t.changedSince(stepIndex);
  }

  // ---------------------------------------------------------------- snapshots

  /** The snapshot of the current step (engine/trace/snapshot.ts, docs/TRACE.md). */
  snapshot(): Snapshot {
    if (this.executing) throw new Error('the session is running: take snapshots between commands');
    const t = this.m.steps;
    if (this.snapCache?.step === t) return this.snapCache.snap;
    let last: LastStep | null = null;
    if (t > 0) {
      last = this.lastCache.get(t) ?? null;
      if (last === null) {
        // The last step ran without capture (inside a longer command, or before going
        // back): run it again with capture.
        this.goTo(t - 1);
        this.guard(() => this.stepCaptured());
        if (this.m.steps !== t) throw new TraceError(`replay ended at step ${this.m.steps}, expected ${t}`);
        last = this.lastCache.get(t)!;
      }
    }
    const snap = buildSnapshot(this.viewer, { stepIndex: t, last, maxFrames: this.maxFrames, maxTableEntries: this.maxTableEntries });
    this.snapCache = { step: t, snap };
    return snap;
  }

  // ---------------------------------------------------------------- execution

  private stop(reason: StopReason): Stop {
    const s = this.m.status;
    const r: StopReason = s === 'done' ? 'done' : s === 'trapped' ? 'trapped' : reason;
    return { reason: r, stepIndex: this.m.steps, breakpoint: r === 'breakpoint' ? this.bpHit : null };
  }

  private region(fn: WasmFunction, start: number, depth: number): RunSpec {
    const end = blocksOf(fn.code.func).end[start]!;
    const offsets = fn.code.offsets;
    return { limit: Infinity, breakpoints: true, floor: depth, regionDepth: depth, lo: offsets[start + 1]!, hi: offsets[end + 1]! };
  }

  private runStop(spec: RunSpec): Stop {
    const box: { ended: Ended } = { ended: 'limit' };
    this.guard(() => {
      box.ended = this.run(spec);
    });
    const ended = box.ended;
    const reason: StopReason = ended === 'breakpoint' ? 'breakpoint' : ended === 'limit' && spec.limit !== Infinity ? 'budget' : 'step';
    return this.stop(reason);
  }

  /** Runs `f` as the session's execution (status 'running'); not re-entrant. */
  private guard(f: () => void): void {
    if (this.executing) throw new Error('the session is running: a host function cannot drive it');
    this.executing = true;
    this.snapCache = undefined;
    try {
      f();
    } finally {
      this.executing = false;
    }
  }

  /** Runs tracked steps until `spec` says stop (checked before each instruction but the first). */
  private run(spec: RunSpec): Ended {
    const m = this.m;
    const bps = spec.breakpoints && this.bps.length > 0;
    const { floor, regionDepth, lo, hi, limit } = spec;
    let first = true;
    for (;;) {
      if (m.status !== 'paused') return m.status === 'done' ? 'done' : 'trapped';
      const t = m.steps;
      if (t >= this.nextBoundary) this.boundary(t);
      if (!first) {
        const d = m.depth;
        if (d < floor) return 'left';
        if (d === regionDepth && (m.pc < lo || m.pc >= hi)) return 'left';
        if (bps && this.atBreakpoint()) return 'breakpoint';
      }
      if (t >= limit) return 'limit';
      first = false;
      if (bps) {
        // What a line breakpoint compares the next instruction with.
        this.prevFn = m.fn;
        this.prevPc = m.pc;
        this.prevFrame = this.frameIdArr[m.depth - 1]!;
      }
      this.step1();
    }
  }

  /** One step with its effects captured (what a snapshot's `last` shows). */
  private stepCaptured(): void {
    const m = this.m;
    const t = m.steps;
    if (t >= this.nextBoundary) this.boundary(t);
    const b = before(this.viewer, t);
    this.step1();
    const cache = this.lastCache;
    cache.delete(t + 1);
    cache.set(t + 1, after(this.viewer, b));
    if (cache.size > LAST_CACHE) cache.delete(cache.keys().next().value!);
  }

  /** Runs one instruction with the session's bookkeeping. */
  private step1(): void {
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
    const wk = WRITE[op]!;
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
    const rk = RES[op]!;
    let bTo = -1;
    let bN = 0;
    if (rk === RES_BRANCH) {
      // br_if and br_table pop an operand: the condition, or the index of the entry.
      const pops = op === OPC.BR_ADJ ? 0 : 1;
      const operand = pops === 0 ? 0 : words[2 * (sp0 - 1)]!;
      if (op !== OPC.BR_IF_ADJ || operand !== 0) {
        const e = branchEntry(code, pc, operand >>> 0);
        const to = fp0 + entryHeight(code, e);
        const n = entryCarry(code, e);
        const from = sp0 - pops - n;
        if (from !== to) {
          bTo = to;
          bN = n;
        }
      }
    }

    this.curStep = t;
    try {
      m.step();
    } catch (e) {
      if (e instanceof TraceError || m.status !== 'trapped') throw e;
      this.hostError = e;
    }
    if (m.steps !== s1) throw new TraceError(`a step ran ${m.steps - t} instructions`);

    const status = m.status;
    if (status === 'trapped') {
      const trap = m.trap;
      // A failing host function's trap is not located by the interpreter; locate it here
      // so that every way to this step gives the same trap.
      if (trap !== undefined && trap.funcIndex === undefined) trap.locate(fn.index, positionOf(fn.code.offsets, pc));
    } else {
      if (wk !== W_NONE) this.wrote(fn, code, pc, wk, wAddr, wLen, s1);
      const d1 = status === 'done' ? 0 : m.depth;
      const sp1 = m.sp;
      // pushSteps is at least as long as the value stack except right after a call
      // (handled by pushed/entered), so the common cases write it directly.
      const ps = this.pushSteps;
      if (d1 < d0) this.pushed(fp0, sp1, s1);
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
    }
    if (s1 > this.known) {
      this.known = s1;
      if (status !== 'paused') this.final = s1;
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
    if (depth >= this.frameIdArr.length) {
      const a = new Float64Array(Math.max(2 * this.frameIdArr.length, depth + 1));
      a.set(this.frameIdArr);
      this.frameIdArr = a;
    }
    this.frameIdArr[depth] = step;
    // A call may have grown the value stack.
    if (this.pushSteps.length < this.m.capacity) {
      const a = new Float64Array(this.m.capacity);
      a.set(this.pushSteps);
      this.pushSteps = a;
    }
  }

  /** Records a step's writes to a memory or table. */
  private wrote(fn: WasmFunction, code: Int32Array, pc: number, wk: number, addr: number, len: number, step: number): void {
    const inst = fn.instance;
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

  /** The host hook: the first time a host call really runs and is recorded; after that it is replayed. */
  private onHost(f: HostFunction, args: HostValue[]): unknown {
    const k = this.hostIndex++;
    const step = this.curStep + 1;
    if (k < this.log.length) {
      if (this.log.fn(k) !== f) throw new TraceError(`replay diverged: host call ${k} was ${this.log.fn(k).name}, now ${f.name}`);
      const effect = this.log.effect(k);
      if (effect !== undefined) this.world.applyHost(effect, step);
      const err = this.log.error(k);
      if (err !== undefined) throw err.error;
      return this.log.value(k);
    }
    const prior = this.hostEffects === 'diff' ? this.world.beginHost() : undefined;
    let r: unknown;
    try {
      r = f.callback(...args);
    } catch (e) {
      this.log.threw(f, e, prior === undefined ? undefined : this.world.endHost(prior, step));
      throw e;
    }
    // Several results may come as any iterable; keep an array so replay can give it again.
    if (f.type.results.length > 1 && r !== null && typeof r === 'object' && !Array.isArray(r) && Symbol.iterator in r) {
      r = [...(r as Iterable<unknown>)];
    }
    this.log.returned(f, r, prior === undefined ? undefined : this.world.endHost(prior, step));
    return r;
  }

  // ---------------------------------------------------------------- checkpoints

  /** Index of the last checkpoint at or before `step` (-1 if none). */
  private checkpointAt(step: number): number {
    const cps = this.checkpoints;
    let lo = 0;
    let hi = cps.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (cps[mid]!.step <= step) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** The next step after `step` at which to take or pass a checkpoint. */
  private boundaryAfter(step: number): number {
    const aligned = (Math.floor(step / this.interval) + 1) * this.interval;
    const next = this.checkpoints[this.checkpointAt(step) + 1];
    return next === undefined ? aligned : Math.min(aligned, next.step);
  }

  /** At a checkpoint's step: rebase on it; at an aligned step without one: take one. */
  private boundary(t: number): void {
    const i = this.checkpointAt(t);
    const cp = this.checkpoints[i];
    if (cp !== undefined && cp.step === t) this.world.rebase(cp.world, t);
    else if (t % this.interval === 0 && (t >= this.createFrom || t >= this.known) && this.m.status === 'paused') {
      this.addCheckpoint(t);
      this.thin();
    }
    this.nextBoundary = this.boundaryAfter(t);
  }

  private addCheckpoint(t: number): void {
    const m = this.m;
    const sp = m.sp;
    const depth = m.depth;
    const { image, bytes, pages } = this.world.capture(t);
    const cp: Checkpoint = {
      step: t,
      words: m.i32.slice(0, 2 * sp),
      refs: m.refs.slice(0, sp),
      pushStep: this.pushSteps.slice(0, sp),
      frameFn: m.frameFn.slice(0, depth) as WasmFunction[],
      frameFp: m.frameFp.slice(0, depth),
      framePc: m.framePc.slice(0, depth),
      frameIds: this.frameIdArr.slice(0, depth),
      fn: m.fn!,
      pc: m.pc,
      fp: m.fp,
      sp,
      depth,
      hostIndex: this.hostIndex,
      world: image,
      pages,
      bytes: bytes + 24 * sp + 24 * depth + 256,
    };
    const i = this.checkpointAt(t);
    this.checkpoints.splice(i + 1, 0, cp);
    this.checkpointBytes += cp.bytes;
  }

  /**
   * Drops checkpoints far from the current step until within the count and byte budgets.
   * The spacing kept grows with the distance from the current step: each pass drops the
   * checkpoints whose removal leaves the smallest gap relative to their distance. Passes
   * remove many at once (down to 3/4 of the count budget) so that thinning costs
   * O(log n) per checkpoint taken, not O(n).
   */
  private thin(): void {
    const cps = this.checkpoints;
    // One image of the memories is the state itself, not overhead: the budget is for the rest.
    let budget = this.maxBytes;
    for (const t of this.world.memories) budget += t.mem.byteLength;
    const overCount = cps.length > this.maxCheckpoints;
    if (!overCount && this.checkpointBytes <= budget) return;
    const keep = overCount ? Math.floor(this.maxCheckpoints * 0.75) : cps.length;
    const cur = this.m.steps;
    while (cps.length > 2 && (cps.length > keep || this.checkpointBytes > budget)) {
      const n = cps.length;
      const order: { i: number; score: number }[] = [];
      for (let i = 1; i < n; i++) {
        const prev = cps[i - 1]!.step;
        const next = i + 1 < n ? cps[i + 1]!.step : Math.max(this.known, cps[i]!.step + this.interval);
        order.push({ i, score: (next - prev) / (Math.abs(cps[i]!.step - cur) + this.interval) });
      }
      order.sort((a, b) => a.score - b.score);
      const removed = new Uint8Array(n + 1);
      let count = n;
      for (const { i } of order) {
        if (count <= keep && this.checkpointBytes <= budget) break;
        // Not next to one removed in this pass: holes grow gradually, and i + 1 survives.
        if (removed[i - 1] === 1 || removed[i + 1] === 1) continue;
        removed[i] = 1;
        count--;
        this.release(cps[i]!, cps[i + 1]);
      }
      let w = 0;
      for (let i = 0; i < n; i++) if (removed[i] === 0) cps[w++] = cps[i]!;
      cps.length = w;
    }
    // Checkpoints too costly for the byte budget at this spacing: space new ones further apart.
    if (!overCount && cps.length < this.maxCheckpoints / 2 && this.interval < MAX_INTERVAL) this.interval *= 2;
  }

  /** Accounts for dropping a checkpoint: page copies its successor still shares become the successor's. */
  private release(cp: Checkpoint, next: Checkpoint | undefined): void {
    this.checkpointBytes -= cp.bytes;
    if (next === undefined) return;
    cp.pages.forEach((list, mi) => {
      for (const p of list) {
        const page = pageAt(cp.world.mems[mi]!, p);
        if (page !== undefined && pageAt(next.world.mems[mi]!, p) === page) {
          next.pages[mi]!.push(p);
          next.bytes += GRANULE;
          this.checkpointBytes += GRANULE;
        }
      }
    });
  }

  /** Puts the machine, the store and the bookkeeping back to a checkpoint. */
  private restore(cp: Checkpoint): void {
    const m = this.m;
    if (m.capacity < cp.sp) m.growStack(cp.sp);
    m.i32.set(cp.words);
    for (let k = 0; k < cp.sp; k++) m.refs[k] = cp.refs[k];
    if (m.frameFp.length < cp.depth) {
      const fp = new Int32Array(cp.depth);
      const pc = new Int32Array(cp.depth);
      m.frameFp = fp;
      m.framePc = pc;
    }
    for (let d = 0; d < cp.depth; d++) {
      m.frameFn[d] = cp.frameFn[d];
      m.frameFp[d] = cp.frameFp[d]!;
      m.framePc[d] = cp.framePc[d]!;
    }
    for (let d = cp.depth; d < m.frameFn.length; d++) m.frameFn[d] = undefined;
    m.depth = cp.depth;
    m.fn = cp.fn;
    m.pc = cp.pc;
    m.fp = cp.fp;
    m.sp = cp.sp;
    m.status = 'paused';
    m.trap = undefined;
    m.steps = cp.step;
    if (this.pushSteps.length < m.capacity) this.pushSteps = new Float64Array(m.capacity);
    this.pushSteps.set(cp.pushStep);
    if (this.frameIdArr.length < cp.depth) this.frameIdArr = new Float64Array(Math.max(cp.depth, 64));
    this.frameIdArr.set(cp.frameIds);
    this.hostIndex = cp.hostIndex;
    this.hostError = undefined;
    this.world.restore(cp.world, cp.step);
    this.nextBoundary = this.boundaryAfter(cp.step);
  }
}
