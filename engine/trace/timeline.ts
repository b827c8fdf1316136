// The timeline of a session: what is known of the run so far, and how to get back to any
// step of it.
//
// Going back works by determinism. Execution (https://webassembly.github.io/spec/core/exec/instructions.html)
// is a pure function of the state, except for host functions — and those are recorded the
// first time and replayed afterwards (engine/trace/host-log.ts), so the host is never
// called twice. So the timeline keeps checkpoints of the full state (machine stacks, the
// per-step tracker's ids, and the store through copy-on-write pages, engine/trace/world.ts)
// every `interval` steps, and going to step i means restoring the nearest checkpoint at or
// before i and running forward. Checkpoints are thinned so their spacing grows with the
// distance from the current step: memory stays bounded over millions of steps while going
// back one step stays a short replay.

import type { HostFunction, HostValue, Machine, ThrowRecord, WasmFunction } from '../exec/index.ts';
import { TraceError } from './error.ts';
import { HostLog } from './host-log.ts';
import { GRANULE, pageAt } from './pages.ts';
import type { StepTracker } from './tracker.ts';
import type { World, WorldImage } from './world.ts';

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
  /** The machine's latest throw (a view of the step that ends here may show it). */
  readonly lastThrow: ThrowRecord | undefined;
  readonly world: WorldImage;
  /** Page granules whose copies this checkpoint owns, per memory (for accounting). */
  readonly pages: number[][];
  bytes: number;
}

export interface TimelineOptions {
  /** Steps between checkpoints near the current step; it grows when checkpoints get expensive. */
  readonly interval: number;
  readonly maxCheckpoints: number;
  /** Most bytes of checkpoint data kept beyond one copy of the memories, roughly. */
  readonly maxBytes: number;
  /** 'diff': record what host calls change in the store; 'results': only their results. */
  readonly hostEffects: 'diff' | 'results';
}

const MAX_INTERVAL = 1 << 20;

export class Timeline {
  private readonly m: Machine;
  private readonly world: World;
  private readonly tracker: StepTracker;
  private readonly log = new HostLog();
  private readonly hostEffects: 'diff' | 'results';
  private readonly maxCheckpoints: number;
  private readonly maxBytes: number;
  private interval: number;

  /** Host calls made in steps [0, stepIndex). */
  private hostIndex = 0;
  /** The step being executed (for host calls within it); set before each step. */
  curStep = 0;

  private readonly checkpoints: Checkpoint[] = [];
  private checkpointBytes = 0;
  /** The next step at which to take or pass a checkpoint: checked before each step. */
  nextBoundary = 0;
  /** Replays create checkpoints only from this step on (near their target). */
  private createFrom = 0;

  /** The furthest step executed so far (as of the last `reached` or boundary). */
  known = 0;
  /** The step at which the call ends (done or trapped), once execution got there. */
  final: number | null = null;

  constructor(m: Machine, world: World, tracker: StepTracker, options: TimelineOptions) {
    this.m = m;
    this.world = world;
    this.tracker = tracker;
    this.interval = options.interval;
    this.maxCheckpoints = options.maxCheckpoints;
    this.maxBytes = options.maxBytes;
    this.hostEffects = options.hostEffects;
  }

  /** Step 0, once the machine started: its checkpoint, or the end if the call already ended. */
  started(): void {
    if (this.m.status === 'paused') this.addCheckpoint(0);
    else this.final = 0;
    this.nextBoundary = this.boundaryAfter(0);
  }

  /**
   * Notes that execution got to step `step`, with the machine in `status`. Told after each
   * command, not each step: checkpoint decisions, the only reads within a command, first
   * bring `known` up to their own step (see boundary).
   */
  reached(step: number, status: string): void {
    if (step <= this.known) return;
    this.known = step;
    if (status !== 'paused') this.final = step;
  }

  /** Host calls recorded so far (each ran exactly once). */
  get hostCalls(): number {
    return this.log.length;
  }

  /** Checkpoint bookkeeping, for tests and tuning. */
  stats(): { count: number; bytes: number; interval: number; steps: number[] } {
    return { count: this.checkpoints.length, bytes: this.checkpointBytes, interval: this.interval, steps: this.checkpoints.map((c) => c.step) };
  }

  // ---------------------------------------------------------------- host calls

  /** The machine's host hook: the first time a host call really runs and is recorded; after that it is replayed. */
  onHost(f: HostFunction, args: HostValue[]): unknown {
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

  // ---------------------------------------------------------------- going back

  /**
   * Before replaying towards `target` from step `from`: restores the last checkpoint at or
   * before `from` when that is nearer than the current step (true if it did), and keeps
   * the checkpoints the replay creates near the target.
   */
  rewind(from: number, target: number): boolean {
    const m = this.m;
    this.createFrom = Math.max(0, target - 16 * this.interval);
    const cp = this.checkpoints[this.checkpointAt(from)];
    if (cp === undefined || (from >= m.steps && cp.step <= m.steps)) return false;
    this.restore(cp);
    return true;
  }

  /** After the replay `rewind` prepared. */
  replayed(): void {
    this.createFrom = 0;
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
  boundary(t: number): void {
    if (t > this.known) this.known = t;
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
    const ids = this.tracker.capture(sp, depth);
    const cp: Checkpoint = {
      step: t,
      words: m.i32.slice(0, 2 * sp),
      refs: m.refs.slice(0, sp),
      pushStep: ids.pushSteps,
      frameFn: m.frameFn.slice(0, depth) as WasmFunction[],
      frameFp: m.frameFp.slice(0, depth),
      framePc: m.framePc.slice(0, depth),
      frameIds: ids.frameIds,
      fn: m.fn!,
      pc: m.pc,
      fp: m.fp,
      sp,
      depth,
      hostIndex: this.hostIndex,
      lastThrow: m.lastThrow,
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
    m.thrown = undefined;
    m.lastThrow = cp.lastThrow;
    m.steps = cp.step;
    this.tracker.restore(cp.pushStep, cp.frameIds);
    this.hostIndex = cp.hostIndex;
    this.world.restore(cp.world, cp.step);
    this.nextBoundary = this.boundaryAfter(cp.step);
  }
}
