// A time-travelling debugging session over one call of a WebAssembly function: step into,
// over and out, continue to breakpoints, and go back to any earlier step.
//
// The session runs the interpreter one instruction at a time (Machine.step) and is made
// of parts with one job each:
//
// - this file: the commands, the run loop that checks stepping conditions and breakpoints
//   before each instruction, and snapshots;
// - the timeline (engine/trace/timeline.ts): checkpoints with copy-on-write pages and the
//   record and replay of host calls, which make going back a restore and a short replay;
// - the step tracker (engine/trace/tracker.ts): around each instruction, which values it
//   pushed, which frames it entered and what it wrote (stable value and frame ids, dirty
//   pages);
// - the breakpoint set (engine/trace/breakpoints.ts).
//
// The interpreter's own loop is untouched; `Machine.run` stays as fast as it was for
// everyone else.

import { recordByteSpans } from '../binary/index.ts';
import {
  DEFAULT_LIMITS, exportedFunction, type FuncInstance, type HostValue, type Instance, Machine, positionOf, type ResourceLimits, Trap, typedValue, type TypedValue, WasmFunction,
} from '../exec/index.ts';
import type { Module } from '../syntax/index.ts';
import { BreakpointSet, type Breakpoint, type BreakpointSpec } from './breakpoints.ts';
import { after, before } from './effects.ts';
import { TraceError } from './error.ts';
import { analysisAt, blocksOf } from './frames.ts';
import type { ByteRange } from './pages.ts';
import { buildSnapshot, type LastStep, type Snapshot } from './snapshot.ts';
import { Timeline } from './timeline.ts';
import { StepTracker } from './tracker.ts';
import { Viewer } from './view.ts';
import { World } from './world.ts';

export { TraceError };

export interface SessionOptions {
  readonly limits?: ResourceLimits;
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
  private readonly tracker: StepTracker;
  private readonly timeline: Timeline;
  private readonly bps: BreakpointSet;
  private readonly maxFrames: number;
  private readonly maxTableEntries: number;

  private executing = false;
  private hostError: unknown = undefined;

  /**
   * What recent steps did, by the step they led to. A step's LastStep depends only on the
   * step, so entries never go stale; the cache only spares replays when going back and
   * forth over recent steps.
   */
  private readonly lastCache = new Map<number, LastStep>();
  private snapCache: { step: number; snap: Snapshot } | undefined;

  /** A session over `instance`'s export `name` called with `args` (JS values, engine/exec/values.ts). */
  constructor(instance: Instance, name: string, args: readonly HostValue[] = [], options: SessionOptions = {}) {
    this.instance = instance;
    this.entry = exportedFunction(instance, name);
    const limits = options.limits ?? DEFAULT_LIMITS;
    this.maxFrames = options.maxFrames ?? 256;
    this.maxTableEntries = options.maxTableEntries ?? 256;
    const m = new Machine(limits);
    this.m = m;
    const home = this.entry instanceof WasmFunction ? this.entry.instance : instance;
    this.world = new World(home, 0);
    if (options.byteSpans !== false) for (const inst of this.world.instances) fillByteSpans(inst.module);
    const tracker = new StepTracker(m, this.world);
    this.tracker = tracker;
    this.timeline = new Timeline(m, this.world, tracker, {
      interval: Math.max(1, Math.floor(options.checkpointInterval ?? 1000)),
      maxCheckpoints: Math.max(4, options.maxCheckpoints ?? 1000),
      maxBytes: options.maxCheckpointBytes ?? 64 * 1024 * 1024,
      hostEffects: options.hostEffects ?? 'diff',
    });
    m.hostHook = (f, a) => this.timeline.onHost(f, a);
    this.bps = new BreakpointSet(instance);
    const self = this;
    this.viewer = new Viewer({
      m,
      world: this.world,
      entry: this.entry,
      get args() {
        return self.args;
      },
      source: options.source,
      pushStep: () => tracker.pushSteps,
      frameIds: () => tracker.frameIds,
      replacedFn: () => tracker.replacedFn,
      replacedStep: () => tracker.replacedStep,
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
    tracker.started();
    this.timeline.started();
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
    // Within a command (a host function asking) the timeline has not caught up yet.
    return Math.max(this.timeline.known, this.m.steps);
  }

  /** The step at which the call ends (done or trapped), once execution got there; else null. */
  get finalStep(): number | null {
    return this.timeline.final;
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
    return this.timeline.hostCalls;
  }

  /** Checkpoint bookkeeping, for tests and tuning. */
  checkpointStats(): { count: number; bytes: number; interval: number; steps: number[] } {
    return this.timeline.stats();
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
    if (code === 0x10 || code === 0x11 || code === 0x14) return this.runStop({ limit: Infinity, breakpoints: true, floor: d + 1, regionDepth: -1, lo: 0, hi: 0 });
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
    const final = this.timeline.final;
    if (final !== null) target = Math.min(target, final);
    const m = this.m;
    if (target === m.steps) return this.stop('target');
    // The step into the target runs with capture, so the snapshot there needs no replay.
    const capture = target > 0 && !this.lastCache.has(target);
    const before = capture ? target - 1 : target;
    if (this.timeline.rewind(before, target)) this.hostError = undefined;
    try {
      this.guard(() => {
        this.run({ limit: before, breakpoints: false, floor: 0, regionDepth: -1, lo: 0, hi: 0 });
        if (capture && m.status === 'paused' && m.steps === before) this.stepCaptured();
        else this.run({ limit: target, breakpoints: false, floor: 0, regionDepth: -1, lo: 0, hi: 0 });
      });
    } finally {
      this.timeline.replayed();
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
    return this.bps.add(spec);
  }

  removeBreakpoint(id: number): boolean {
    return this.bps.remove(id);
  }

  clearBreakpoints(): void {
    this.bps.clear();
  }

  breakpoints(): readonly Breakpoint[] {
    return this.bps.all();
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
    return { reason: r, stepIndex: this.m.steps, breakpoint: r === 'breakpoint' ? this.bps.hit : null };
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
      // The timeline learns how far execution got once per command, not once per step.
      this.timeline.reached(this.m.steps, this.m.status);
    }
  }

  /** Runs tracked steps until `spec` says stop (checked before each instruction but the first). */
  private run(spec: RunSpec): Ended {
    const m = this.m;
    const timeline = this.timeline;
    const tracker = this.tracker;
    const bps = spec.breakpoints && this.bps.size > 0 ? this.bps : undefined;
    const { floor, regionDepth, lo, hi, limit } = spec;
    let first = true;
    for (;;) {
      if (m.status !== 'paused') return m.status === 'done' ? 'done' : 'trapped';
      const t = m.steps;
      if (t >= timeline.nextBoundary) timeline.boundary(t);
      if (!first) {
        const d = m.depth;
        if (d < floor) return 'left';
        if (d === regionDepth && (m.pc < lo || m.pc >= hi)) return 'left';
        if (bps !== undefined && bps.stopsAt(m, tracker.frameIds[d - 1]!)) return 'breakpoint';
      }
      if (t >= limit) return 'limit';
      first = false;
      if (bps !== undefined) bps.passing(m, tracker.frameIds[m.depth - 1]!);
      this.step1();
    }
  }

  /** One step with its effects captured (what a snapshot's `last` shows). */
  private stepCaptured(): void {
    const m = this.m;
    const t = m.steps;
    if (t >= this.timeline.nextBoundary) this.timeline.boundary(t);
    const b = before(this.viewer, t);
    this.step1();
    const cache = this.lastCache;
    cache.delete(t + 1);
    cache.set(t + 1, after(this.viewer, b));
    if (cache.size > LAST_CACHE) cache.delete(cache.keys().next().value!);
  }

  /** Runs one instruction with the tracker's bookkeeping around it. */
  private step1(): void {
    this.timeline.curStep = this.m.steps;
    const thrown = this.tracker.step();
    if (thrown !== undefined) this.hostError = thrown;
  }
}
