// The Stepper's model: one per Stepper island (so several steppers on a page never share
// anything). It owns what the figure shows and does: the module loaded (load.ts), the
// engine Session over the chosen call (engine/trace/session.ts), the Driver that sends the
// session commands (driver.ts), the snapshot on screen, the console, and the learner's
// breakpoints — stored here and nowhere else in the site: the driver writes them into the
// session. Its fields are Svelte state the island and its views read; its methods are the
// commands they send. Nothing else calls the session, and nothing changes engine state
// except through the session's own commands.

import { detectFeatures, instantiate, Session, type Snapshot } from '../../../engine/index.ts';
import { siteUrl } from '../load-wasm.ts';
import { argText, parseArg } from './args.ts';
import { lineMarks, toggleInstr, toggleLine, type Breakpoints, type InstrRef } from './breakpoints.ts';
import { Driver, type Job, type Progress, type Speed } from './driver.ts';
import { WriteLog, type LastWrite } from './last-write.ts';
import { HOST_ERRORS, makeImports, type ConsoleLine, type HostConsole } from './imports.ts';
import type { Action } from './keys.ts';
import { STEPPER_LIMITS } from './limits.ts';
import { loadBinary, loadText, problemOf, type Disassembled, type Loaded, type LoadResult, type SourceProblem } from './load.ts';

/** What the stepper runs: WebAssembly text, a .wasm file of the site, or the bytes of one in hand. */
export type StepperInput =
  | { readonly kind: 'text'; readonly source: string }
  /** A path relative to the site base, e.g. "examples/add.wasm". */
  | { readonly kind: 'file'; readonly path: string }
  /** With `disassembled` when the caller has decoded, validated and printed them already. */
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array; readonly disassembled?: Disassembled };

export interface StepperOptions {
  /** The exported function to call (default: the first exported function). */
  readonly invoke?: string;
  /** Its arguments (numbers, or strings for i64 and exact floats). */
  readonly args?: readonly (number | string | bigint)[];
  /** Line numbers with a breakpoint at the start. */
  readonly breakpoints?: readonly number[];
}

/** The commands of the controls and the keyboard (the rest of the shortcuts only change the view). */
export type Command = Exclude<Action, 'help' | 'radix'>;

const NO_INPUT: SourceProblem = { kind: 'Error', message: 'the Stepper needs a src, wasm or bytes prop', line: null, column: null, offset: null };
const NO_EXPORT: SourceProblem = { kind: 'Error', message: 'the module exports no function to call', line: null, column: null, offset: null };

export class StepperModel {
  /** What to run; null when the island was given nothing. */
  readonly input: StepperInput | null;

  loading = $state(true);
  loaded = $state.raw<Loaded | null>(null);
  /** Why the module could not be loaded, instantiated or called. */
  problem = $state.raw<SourceProblem | null>(null);
  /** The session failed in a way it should not (a bug). */
  failure = $state('');
  /** The state on screen; null until a session exists. */
  snap = $state.raw<Snapshot | null>(null);
  /** The last write to memory 0 at or before the step on screen (last-write.ts), or null. */
  lastWrite = $state.raw<LastWrite | null>(null);
  progress = $state.raw<Progress>({ known: 0, final: null });
  /** The long command running (sliced by the driver), or null. */
  job: Job = $state(null);
  speed: Speed = $state(5);
  breakpoints = $state.raw<Breakpoints>({ lines: new Set(), instrs: new Set() });
  consoleLines = $state.raw<readonly ConsoleLine[]>([]);
  /** The call: an export and its arguments as typed (the call picker binds them). */
  exportName = $state('');
  argTexts = $state<string[]>([]);

  /** The chosen export, once the module is loaded. */
  readonly fn = $derived(this.loaded?.exports.find((e) => e.name === this.exportName) ?? null);
  /** Per parameter: why its text is not a value of its type ('' when it is). */
  readonly argErrors = $derived(
    this.fn === null ? [] : this.fn.type.params.map((t, i) => { const r = parseArg(this.argTexts[i] ?? '', t); return r.ok ? '' : r.error; }),
  );
  /** How the Source view marks each line: fully, or in part (some of its instructions, set from the Bytes view). */
  readonly marks = $derived(lineMarks(this.breakpoints, this.loaded?.module ?? null));
  /** Which of the optional views this module needs. */
  readonly needs = $derived.by(() => {
    const m = this.loaded?.module;
    const imp = (k: string) => m?.imports.some((i) => i.desc.kind === k) ?? false;
    return {
      memory: (m?.mems.length ?? 0) > 0 || imp('memory'),
      globals: (m?.globals.length ?? 0) + (m?.tables.length ?? 0) > 0 || imp('global') || imp('table'),
      imports: imp('func'),
      // Tags, try_table or try (3.0 or legacy exception handling): the Exceptions panel.
      exceptions: m !== undefined && detectFeatures(m).some((f) => f.id === 'exceptions' || f.id === 'legacy-exceptions'),
    };
  });

  private session: Session | null = null;
  private driver: Driver | null = null;
  private readonly writeLog = new WriteLog();

  constructor(input: StepperInput | null, options: StepperOptions = {}) {
    this.input = input;
    this.exportName = options.invoke ?? '';
    this.argTexts = (options.args ?? []).map(argText);
    this.breakpoints = { lines: new Set(options.breakpoints ?? []), instrs: new Set() };
  }

  /** Loads the module (fetching a file), then starts the chosen call. */
  async load(): Promise<void> {
    this.loading = true;
    const r = await this.read();
    this.loading = false;
    if (!r.ok) {
      this.problem = r.problem;
      return;
    }
    this.loaded = r.loaded;
    const chosen = r.loaded.exports.find((e) => e.name === this.exportName) ?? r.loaded.exports[0];
    if (chosen === undefined) {
      this.problem = NO_EXPORT;
      return;
    }
    if (chosen.name !== this.exportName) this.exportName = chosen.name;
    this.argTexts = chosen.type.params.map((_, i) => this.argTexts[i] ?? '0');
    this.start();
  }

  private async read(): Promise<LoadResult> {
    const input = this.input;
    if (input === null) return { ok: false, problem: NO_INPUT };
    if (input.kind === 'text') return loadText(input.source);
    if (input.kind === 'bytes') return loadBinary(input.bytes, input.disassembled);
    try {
      const res = await fetch(siteUrl(input.path));
      if (!res.ok) throw new Error(`could not load ${input.path}: HTTP ${res.status}`);
      return loadBinary(new Uint8Array(await res.arrayBuffer()));
    } catch (e) {
      return { ok: false, problem: problemOf(e) };
    }
  }

  /** Makes a fresh instance and a session over the chosen call (the call picker's Call). */
  start(): void {
    this.driver?.dispose();
    this.driver = null;
    this.session = null;
    this.show(null);
    this.writeLog.clear();
    this.failure = '';
    const l = this.loaded;
    const fn = this.fn;
    if (l === null || fn === null) return;
    const parsed = fn.type.params.map((t, i) => parseArg(this.argTexts[i] ?? '', t));
    if (parsed.some((p) => !p.ok)) return;
    // Host functions may print while the module is instantiated (its start function),
    // before the session exists: those lines belong before step 1.
    let s: Session | undefined;
    const out: HostConsole = {
      lines: [],
      stepIndex: () => s?.stepIndex ?? -1,
      onLine: () => (this.consoleLines = [...out.lines]),
    };
    this.consoleLines = [];
    try {
      const instance = instantiate(l.module, makeImports(l.module, out), { limits: STEPPER_LIMITS, ...HOST_ERRORS });
      s = new Session(instance, fn.name, parsed.map((p) => (p.ok ? p.value : 0)), { source: l.source ?? undefined, checkpointInterval: 500, limits: STEPPER_LIMITS });
    } catch (e) {
      this.problem = problemOf(e);
      return;
    }
    this.problem = null;
    const d = new Driver(s, l.module, {
      update: (snap, job, progress) => {
        this.show(snap);
        this.job = job;
        this.progress = progress;
      },
      failure: (message) => (this.failure = message),
    });
    d.setSpeed(this.speed);
    d.setBreakpoints(this.breakpoints);
    this.driver = d;
    this.session = s;
    this.show(s.snapshot());
    this.progress = d.progress();
    this.job = null;
  }

  /** Puts a snapshot on screen (the session is at its step), with the last write up to it. */
  private show(snap: Snapshot | null): void {
    this.snap = snap;
    const s = this.session;
    if (snap === null || s === null || snap.memories.length === 0) {
      this.lastWrite = null;
      return;
    }
    const t = snap.stepIndex;
    this.writeLog.see(t, (snap.last?.memoryWrites ?? []).filter((a) => a.memory === 0));
    this.lastWrite = this.writeLog.lastAt(t, (after) => s.changedSince(after, 0).length > 0);
  }

  /** Picks another export to call (keeping the argument texts that still fit) and starts it. */
  chooseExport(name: string): void {
    this.exportName = name;
    const f = this.loaded?.exports.find((e) => e.name === name);
    this.argTexts = f === undefined ? [] : f.type.params.map((_, i) => this.argTexts[i] ?? '0');
    this.start();
  }

  /** Runs a control's command. */
  command(c: Command): void {
    const d = this.driver;
    if (d === null) return;
    switch (c) {
      case 'into': return d.stepInto();
      case 'over': return d.stepOver();
      case 'out': return d.stepOut();
      case 'back': return d.back();
      case 'play': return this.job === null ? d.run() : d.pause();
      case 'continue': return this.job === null ? d.continue() : d.pause();
      case 'reset': return d.reset();
      case 'first': return d.goTo(0);
      case 'last': return d.goTo(this.progress.known);
    }
  }

  /** Goes to a step (the timeline). */
  goTo(step: number): void {
    this.driver?.goTo(step);
  }

  /** Stops the running job. */
  pause(): void {
    this.driver?.pause();
  }

  setSpeed(s: Speed): void {
    this.speed = s;
    this.driver?.setSpeed(s);
    // Playing goes on at the new speed.
    if (this.job === 'run') this.driver?.run();
  }

  /** The Source view's line-number button. */
  toggleLine(line: number): void {
    this.setBreakpoints(toggleLine(this.breakpoints, this.loaded?.module ?? null, line));
  }

  /** A row of the Bytes view. */
  toggleInstr(r: InstrRef): void {
    const m = this.loaded?.module;
    if (m !== undefined) this.setBreakpoints(toggleInstr(this.breakpoints, m, r));
  }

  private setBreakpoints(next: Breakpoints): void {
    this.breakpoints = next;
    this.driver?.setBreakpoints(next);
  }

  /** A copy of `length` bytes of a memory from `address`, clipped to its size (the hex dump's window). */
  memoryBytes(address: number, length: number, memory = 0): Uint8Array {
    return this.session?.memoryBytes(address, length, memory) ?? new Uint8Array(0);
  }

  /** Stops the driver for good (the island is gone). */
  dispose(): void {
    this.driver?.dispose();
  }
}

/** The input an island's props describe: `src` text, a `wasm` file of the site, or `bytes` in hand. */
export function inputOf(props: { src?: string; wasm?: string; bytes?: Uint8Array; disassembled?: Disassembled }): StepperInput | null {
  if (props.src !== undefined) return { kind: 'text', source: props.src };
  if (props.bytes !== undefined) return { kind: 'bytes', bytes: props.bytes, disassembled: props.disassembled };
  if (props.wasm !== undefined) return { kind: 'file', path: props.wasm };
  return null;
}
