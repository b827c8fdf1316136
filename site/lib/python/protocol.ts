// The messages between a Python cell (site/lib/python/client.ts, on the page) and its worker
// (site/lib/python/worker.ts), which downloads, starts and runs Pyodide off the page's
// thread. All plain data: code goes in as text; progress, printed lines and results come
// back as numbers and text.

/** One file the worker downloads, with its size in bytes (from the build's manifest). */
export interface PythonFile {
  readonly name: string;
  readonly bytes: number;
}

/** One line written to stdout or stderr. */
export interface OutputLine {
  readonly stream: 'out' | 'err';
  readonly text: string;
}

export type ToWorker =
  /** Download Pyodide's files from `indexURL` and start Python. */
  | { readonly kind: 'load'; readonly indexURL: string; readonly files: readonly PythonFile[] }
  /** Run `code` in the interpreter started by `load`. */
  | { readonly kind: 'run'; readonly id: number; readonly code: string };

export type FromWorker =
  /** Bytes of Pyodide's files received so far, of `total`. */
  | { readonly kind: 'progress'; readonly received: number; readonly total: number }
  /** Everything has arrived; the interpreter is being compiled and started. */
  | { readonly kind: 'starting' }
  | { readonly kind: 'ready'; readonly version: string }
  | { readonly kind: 'load-failed'; readonly message: string }
  /** Lines the running code printed since the last such message. */
  | { readonly kind: 'output'; readonly id: number; readonly lines: readonly OutputLine[] }
  /** The run ended: the last expression's value as text (absent for None), or the error's (trimmed) traceback. */
  | { readonly kind: 'done'; readonly id: number; readonly value?: string; readonly error?: string };
