// The page's side of a Python cell: one worker per cell (site/lib/python/worker.ts), started
// when the learner first presses Run. `load` downloads and starts Pyodide in it, reporting
// bytes received and then that Python is starting; `run` sends code and collects what it
// prints (as it prints) and its value or error. `stop` ends the worker — the only way to
// end a Python loop that never returns — and the next `load` starts a new one.

import type { FromWorker, OutputLine, PythonFile, ToWorker } from './protocol.ts';

export type LoadProgress = { readonly stage: 'download'; readonly received: number; readonly total: number } | { readonly stage: 'starting' };

export interface RunResult {
  /** Everything written to stdout and stderr, in order, one entry per line. */
  readonly lines: readonly OutputLine[];
  /** The value of the last expression as text (str() for Python objects); absent for None. */
  readonly value?: string;
  /** The error and its traceback (trimmed to the cell's own frames), when the code raised. */
  readonly error?: string;
}

/** What a promise of the client rejects with when `stop` ended the worker. */
export class StoppedError extends Error {
  constructor() {
    super('Python was stopped.');
    this.name = 'StoppedError';
  }
}

interface Loading {
  resolve(version: string): void;
  reject(error: Error): void;
  progress(p: LoadProgress): void;
}

interface Running {
  readonly id: number;
  resolve(result: RunResult): void;
  reject(error: Error): void;
  output(lines: readonly OutputLine[]): void;
}

export class PythonClient {
  private worker: Worker | undefined;
  private loading: Loading | undefined;
  private running: Running | undefined;
  private nextId = 1;

  /** The directory of Pyodide's files, with a trailing slash. */
  readonly indexURL: string;
  /** The files to download from it. */
  readonly files: readonly PythonFile[];

  constructor(indexURL: string, files: readonly PythonFile[]) {
    this.indexURL = indexURL;
    this.files = files;
  }

  /** Whether the worker is there (false before `load`, after `stop`, and after it failed). */
  get alive(): boolean {
    return this.worker !== undefined;
  }

  /** Downloads and starts Pyodide in a new worker; resolves with its version. */
  load(progress: (p: LoadProgress) => void): Promise<string> {
    this.stop();
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'python' });
    this.worker = worker;
    worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
    worker.onerror = (e) => {
      e.preventDefault();
      this.fail(new Error(`Python's worker failed: ${e.message || 'it could not start'}`));
    };
    return new Promise<string>((resolve, reject) => {
      this.loading = { resolve, reject, progress };
      this.send({ kind: 'load', indexURL: this.indexURL, files: this.files });
    });
  }

  /** Runs `code`; `output` receives printed lines as they arrive (they are in the result too). */
  run(code: string, output: (lines: readonly OutputLine[]) => void = () => {}): Promise<RunResult> {
    if (!this.worker) return Promise.reject(new Error('Python is not running: load it first.'));
    const id = this.nextId++;
    const lines: OutputLine[] = [];
    return new Promise<RunResult>((resolve, reject) => {
      this.running = {
        id,
        reject,
        resolve: (result) => resolve({ ...result, lines }),
        output: (more) => {
          lines.push(...more);
          output(more);
        },
      };
      this.send({ kind: 'run', id, code });
    });
  }

  /** Ends the worker, and with it Python and whatever it was doing; pending calls reject with StoppedError. */
  stop(): void {
    if (!this.worker) return;
    this.worker.terminate();
    this.worker = undefined;
    this.fail(new StoppedError());
  }

  private send(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  private fail(error: Error): void {
    const { loading, running } = this;
    this.loading = undefined;
    this.running = undefined;
    loading?.reject(error);
    running?.reject(error);
    if (!(error instanceof StoppedError)) {
      this.worker?.terminate();
      this.worker = undefined;
    }
  }

  private receive(m: FromWorker): void {
    switch (m.kind) {
      case 'progress':
        this.loading?.progress({ stage: 'download', received: m.received, total: m.total });
        return;
      case 'starting':
        this.loading?.progress({ stage: 'starting' });
        return;
      case 'ready':
        this.loading?.resolve(m.version);
        this.loading = undefined;
        return;
      case 'load-failed':
        this.fail(new Error(m.message));
        return;
      case 'output':
        if (this.running?.id === m.id) this.running.output(m.lines);
        return;
      case 'done': {
        const r = this.running;
        if (r?.id !== m.id) return;
        this.running = undefined;
        r.resolve({ lines: [], ...(m.value === undefined ? {} : { value: m.value }), ...(m.error === undefined ? {} : { error: m.error }) });
      }
    }
  }
}

/** Bytes as a short size, e.g. 9.6 MB (decimal megabytes, as download sizes usually are). */
export function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes >= 1e7 ? 0 : 1)} MB`;
}
