// The Stepper's driver: it sends commands to an engine Session (engine/trace/session.ts)
// and publishes the Session's snapshot to the views — at most once per animation frame.
// It never changes engine state itself.
//
// Anything that may run long (continue, run, step over a call, step out) is time-sliced:
// the session runs for a few milliseconds per slice (`continue(budget)`), then the driver
// yields to the browser, so an endless loop never freezes the page and Pause answers at
// once. The Session's own stepOver/stepOut run to completion in one call, which an
// endless loop would never give back, so the driver builds them from budgeted `continue`
// and temporary instruction breakpoints at every place execution can come out, checking
// the frame depth when one is hit (same stopping rule as the Session's).
//
// The learner's breakpoints are the stepper model's (stepper-model.svelte.ts); the driver
// writes them into the session and keeps no copy of its own: which of the session's
// breakpoints are the learner's it reads back from the session (all but the running job's
// temporary ones).

import type { Breakpoint, Location, Module, Session, Snapshot, Stop } from '../../../engine/index.ts';
import { instrKey, parseInstrKey, type Breakpoints } from './breakpoints.ts';

export type Speed = 1 | 2 | 5 | 10 | 25 | 'max';
export type Job = 'run' | 'continue' | 'over' | 'out' | null;

/** How far the run has been explored: the timeline's extent. */
export interface Progress {
  /** The furthest step executed so far. */
  readonly known: number;
  /** The step at which the call ended (done or trapped), once reached. */
  readonly final: number | null;
}

export interface DriverEvents {
  /** A new snapshot to show (called from an animation frame). */
  update(snap: Snapshot, job: Job, progress: Progress): void;
  /** The session failed in a way it should not (a bug): show it, stop. */
  failure(message: string): void;
}

/** Milliseconds of engine work per slice before yielding to the browser. */
const SLICE_MS = 10;

interface Until {
  /** Temporary breakpoints where execution may come out: (function index, body position). */
  readonly temps: readonly { readonly funcIndex: number; readonly instrIndex: number }[];
  /** At a temporary breakpoint: is this the place to stop? */
  accept(s: Snapshot): boolean;
}

/** Position of the `end` matching the block/loop/if at `start` of a body. */
export function blockEnd(module: Module, funcIndex: number, start: number): number {
  const imported = module.imports.filter((i) => i.desc.kind === 'func').length;
  const body = module.funcs[funcIndex - imported]?.body ?? [];
  let depth = 0;
  for (let k = start; k < body.length; k++) {
    const op = body[k]!.op;
    if (op === 'block' || op === 'loop' || op === 'if') depth++;
    else if (op === 'end' && --depth === 0) return k;
  }
  return body.length;
}

function bodyLength(module: Module, funcIndex: number): number {
  const imported = module.imports.filter((i) => i.desc.kind === 'func').length;
  return module.funcs[funcIndex - imported]?.body.length ?? 0;
}

export class Driver {
  readonly session: Session;
  readonly module: Module;
  private readonly events: DriverEvents;
  private job: Job = null;
  private jobToken = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private frame = 0;
  private chunk = 2000;
  private speed: Speed = 5;
  /** Session ids of the running job's temporary breakpoints (the rest are the learner's). */
  private readonly temps = new Set<number>();
  private pendingGoTo: number | null = null;
  private disposed = false;
  /** Undoes a job's temporary breakpoints when it ends or is stopped. */
  private cleanup: (() => void) | undefined;

  constructor(session: Session, module: Module, events: DriverEvents) {
    this.session = session;
    this.module = module;
    this.events = events;
  }

  get running(): Job {
    return this.job;
  }

  progress(): Progress {
    return { known: this.session.knownSteps, final: this.session.finalStep };
  }

  /** The current snapshot (cached by the session). */
  snapshot(): Snapshot {
    return this.session.snapshot();
  }

  // ------------------------------------------------------------ publishing

  /** Shows the current state on the next animation frame (coalesced). */
  private publish(): void {
    if (this.frame !== 0 || this.disposed) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      if (this.disposed) return;
      try {
        if (this.pendingGoTo !== null) {
          const k = this.pendingGoTo;
          this.pendingGoTo = null;
          this.session.goTo(k);
        }
        this.events.update(this.session.snapshot(), this.job, this.progress());
      } catch (e) {
        this.fail(e);
      }
    });
  }

  private fail(e: unknown): void {
    this.stopJob();
    this.events.failure(e instanceof Error ? e.message : String(e));
  }

  /**
   * Runs an immediate command (bounded work) and shows its result at once: a learner's
   * single step should not wait for the next animation frame. Long jobs still coalesce.
   */
  private now(f: () => unknown): void {
    this.stopJob();
    if (this.frame !== 0) {
      cancelAnimationFrame(this.frame);
      this.frame = 0;
    }
    try {
      f();
      if (this.pendingGoTo !== null) this.pendingGoTo = null;
      this.events.update(this.session.snapshot(), this.job, this.progress());
    } catch (e) {
      this.fail(e);
    }
  }

  dispose(): void {
    this.stopJob();
    this.disposed = true;
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
  }

  // ------------------------------------------------------------ immediate commands

  stepInto(): void {
    this.now(() => this.session.stepInto());
  }

  back(): void {
    this.now(() => this.session.back(1));
  }

  reset(): void {
    this.now(() => this.session.reset());
  }

  /** Goes to a step; repeated calls within a frame (a dragged scrubber) cost one goTo. */
  goTo(step: number): void {
    this.stopJob();
    this.pendingGoTo = step;
    this.publish();
  }

  // ------------------------------------------------------------ breakpoints

  /** Makes the session's breakpoints exactly the learner's `bps`. */
  setBreakpoints(bps: Breakpoints): void {
    this.setLineBreakpoints(bps.lines);
    this.setInstrBreakpoints(bps.instrs);
  }

  /** Makes the session's line breakpoints exactly `lines`. */
  setLineBreakpoints(lines: ReadonlySet<number>): void {
    const have = new Set<number>();
    for (const bp of this.userBreakpoints()) {
      if (!('line' in bp.spec)) continue;
      if (lines.has(bp.spec.line)) have.add(bp.spec.line);
      else this.session.removeBreakpoint(bp.id);
    }
    for (const line of lines) if (!have.has(line)) this.session.addBreakpoint({ line });
  }

  /** Makes the session's instruction breakpoints exactly `instrs` ("funcIndex:instrIndex" keys). */
  setInstrBreakpoints(instrs: ReadonlySet<string>): void {
    const have = new Set<string>();
    for (const bp of this.userBreakpoints()) {
      if ('line' in bp.spec || typeof bp.spec.func !== 'number') continue;
      const key = instrKey({ funcIndex: bp.spec.func, instrIndex: bp.spec.instr });
      if (instrs.has(key)) have.add(key);
      else this.session.removeBreakpoint(bp.id);
    }
    for (const key of instrs) {
      if (have.has(key)) continue;
      const r = parseInstrKey(key);
      this.session.addBreakpoint({ func: r.funcIndex, instr: r.instrIndex });
    }
  }

  /** The learner's breakpoints in the session: all but the running job's temporary ones. */
  private userBreakpoints(): Breakpoint[] {
    return this.session.breakpoints().filter((bp) => !this.temps.has(bp.id));
  }

  /** Whether one of the learner's breakpoints (of one kind, or either) applies at a location. */
  private userBreakpointAt(at: Location | null, kind?: 'line' | 'instr'): boolean {
    if (at === null) return false;
    for (const bp of this.session.breakpoints()) {
      if (this.temps.has(bp.id) || (kind !== undefined && ('line' in bp.spec) !== (kind === 'line'))) continue;
      if (bp.locations.some((l) => l.funcIndex === at.funcIndex && l.instrIndex === at.instrIndex)) return true;
    }
    return false;
  }

  // ------------------------------------------------------------ sliced commands

  /** Stops whatever is running (Pause). */
  pause(): void {
    if (this.job === null) return;
    this.stopJob();
    this.publish();
  }

  private stopJob(): void {
    this.jobToken++;
    this.job = null;
    const cleanup = this.cleanup;
    this.cleanup = undefined;
    cleanup?.();
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Runs `slice` repeatedly, yielding between slices, until it returns false or the job is stopped. */
  private startJob(job: Job, slice: (deadline: number) => boolean, delay = 0, cleanup?: () => void): void {
    this.stopJob();
    this.job = job;
    this.cleanup = cleanup;
    const token = this.jobToken;
    const tick = (): void => {
      if (token !== this.jobToken) return;
      let more = false;
      try {
        more = slice(performance.now() + SLICE_MS);
      } catch (e) {
        this.fail(e);
        return;
      }
      if (token !== this.jobToken) return;
      if (!more) {
        this.job = null;
        const done = this.cleanup;
        this.cleanup = undefined;
        done?.();
      }
      this.publish();
      if (more) this.timer = setTimeout(tick, delay);
    };
    this.publish();
    this.timer = setTimeout(tick, 0);
  }

  /** session.continue in chunks until the deadline; the stop that ended it, or null at the deadline. */
  private continueUntil(deadline: number): Stop | null {
    for (;;) {
      const t0 = performance.now();
      const stop = this.session.continue(this.chunk);
      const took = performance.now() - t0;
      // Aim for chunks of about 2 ms.
      if (took < 1) this.chunk = Math.min(this.chunk * 2, 1 << 20);
      else if (took > 4) this.chunk = Math.max(64, Math.floor(this.chunk / 2));
      if (stop.reason !== 'budget') return stop;
      if (performance.now() >= deadline) return null;
    }
  }

  /** Run to the next breakpoint, the end or a trap. */
  continue(): void {
    if (this.session.status !== 'paused') return;
    this.startJob('continue', (deadline) => this.continueUntil(deadline) === null);
  }

  setSpeed(speed: Speed): void {
    this.speed = speed;
  }

  /** Play: one step per tick at the chosen speed, stopping at breakpoints; 'max' is continue. */
  run(): void {
    if (this.session.status !== 'paused') return;
    if (this.speed === 'max') {
      this.startJob('run', (deadline) => this.continueUntil(deadline) === null);
      return;
    }
    const delay = 1000 / this.speed;
    this.startJob(
      'run',
      () => {
        this.session.stepInto();
        if (this.session.status !== 'paused') return false;
        const s = this.session.snapshot();
        if (this.userBreakpointAt(s.current, 'instr') || (this.userBreakpointAt(s.current, 'line') && this.entersLine(s))) return false;
        return true;
      },
      delay,
    );
  }

  /** Line breakpoints stop on entering a line (as in the session): not between instructions of one line. */
  private entersLine(s: Snapshot): boolean {
    const last = s.last;
    const cur = s.current;
    if (last === null || cur === null) return true;
    const top = s.frames[s.frames.length - 1];
    if (top === undefined || last.frameId !== top.id) return true;
    return last.at.text?.line !== cur.text?.line;
  }

  /** Runs with temporary breakpoints until `until` accepts a stop (or a user breakpoint, the end, a trap). */
  private runUntil(job: Job, until: Until): void {
    const ids = new Set(until.temps.map((t) => this.session.addBreakpoint({ func: t.funcIndex, instr: t.instrIndex }).id));
    for (const id of ids) this.temps.add(id);
    const cleanup = (): void => {
      for (const id of ids) {
        this.session.removeBreakpoint(id);
        this.temps.delete(id);
      }
    };
    this.startJob(
      job,
      (deadline) => {
        for (;;) {
          const stop = this.continueUntil(deadline);
          if (stop === null) return true;
          if (stop.reason === 'breakpoint' && stop.breakpoint !== null && ids.has(stop.breakpoint)) {
            const s = this.session.snapshot();
            if (!until.accept(s) && !this.userBreakpointAt(s.current)) {
              if (performance.now() >= deadline) return true;
              continue;
            }
          }
          return false;
        }
      },
      0,
      cleanup,
    );
  }

  /** Region rule: stop when, at depth d, execution is outside [start + 1, end] of the function, or the frame returned. */
  private region(s: Snapshot, funcIndex: number, start: number): Until {
    const d = s.frameCount;
    const end = blockEnd(this.module, funcIndex, start);
    const n = bodyLength(this.module, funcIndex);
    const temps: { funcIndex: number; instrIndex: number }[] = [];
    for (let k = 0; k <= n; k++) if (k <= start || k > end) temps.push({ funcIndex, instrIndex: k });
    const caller = s.frames[s.frames.length - 2];
    if (caller !== undefined) temps.push({ funcIndex: caller.funcIndex, instrIndex: caller.at.instrIndex + 1 });
    return {
      temps,
      accept: (x) => {
        if (x.frameCount < d) return true;
        if (x.frameCount > d || x.current === null) return false;
        const k = x.current.instrIndex;
        return x.current.funcIndex === funcIndex && (k <= start || k > end);
      },
    };
  }

  /** Step over: a call or a whole block/loop/if runs as one step. */
  stepOver(): void {
    const s = this.session.snapshot();
    const cur = s.current;
    if (cur === null || s.status !== 'paused') return;
    if (cur.op === 'call' || cur.op === 'call_indirect') {
      const d = s.frameCount;
      this.runUntil('over', { temps: [{ funcIndex: cur.funcIndex, instrIndex: cur.instrIndex + 1 }], accept: (x) => x.frameCount <= d });
    } else if (cur.op === 'block' || cur.op === 'loop' || cur.op === 'if') {
      this.runUntil('over', this.region(s, cur.funcIndex, cur.instrIndex));
    } else {
      this.stepInto();
    }
  }

  /** Step out of the innermost block, loop or if, or out of the function when in none. */
  stepOut(): void {
    const s = this.session.snapshot();
    const cur = s.current;
    if (cur === null || s.status !== 'paused') return;
    const inner = s.labels[0];
    if (inner !== undefined && inner.kind !== 'func' && inner.start >= 0) {
      this.runUntil('out', this.region(s, cur.funcIndex, inner.start));
      return;
    }
    const d = s.frameCount;
    const caller = s.frames[s.frames.length - 2];
    const temps = caller === undefined ? [] : [{ funcIndex: caller.funcIndex, instrIndex: caller.at.instrIndex + 1 }];
    this.runUntil('out', { temps, accept: (x) => x.frameCount < d });
  }
}
