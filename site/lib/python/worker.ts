// The Python cell's worker: downloads Pyodide (CPython compiled to WebAssembly) from this
// site, starts it and runs the cell's code, all off the page's thread — compiling and
// starting the interpreter takes seconds of CPU, and a cell's loop may never end; the page
// must keep painting and answering meanwhile (and can stop a run by ending the worker).
// It reports bytes received while it downloads, then that Python is starting; printed
// lines stream back in batches; errors come back as tracebacks trimmed to the cell's code.
// Pyodide's JS API: https://pyodide.org/en/stable/usage/api/js-api.html

import { fetchCounted } from './fetch-progress.ts';
import type { FromWorker, OutputLine, PythonFile, ToWorker } from './protocol.ts';
import { CELL_FILE, trimTraceback } from './traceback.ts';

/** The part of Pyodide's API the worker uses. */
interface Pyodide {
  readonly version: string;
  runPythonAsync(code: string, options?: { filename?: string }): Promise<unknown>;
  setStdout(options: { batched: (line: string) => void }): void;
  setStderr(options: { batched: (line: string) => void }): void;
}

interface PyodideModule {
  loadPyodide(options: { indexURL: string; lockFileContents?: string }): Promise<Pyodide>;
}

/** The worker's global scope, as much of it as is used (the DOM typings describe a window). */
const scope = self as unknown as {
  postMessage(message: FromWorker): void;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
  addEventListener(type: 'unhandledrejection', listener: (e: PromiseRejectionEvent) => void): void;
  fetch: typeof fetch;
};

const post = (message: FromWorker): void => scope.postMessage(message);

/** Printed lines are sent at most this often (ms), so a printing loop cannot flood the page. */
const OUTPUT_EVERY = 100;

const realFetch = scope.fetch.bind(scope);
/** Files already downloaded (with progress), by URL, until Pyodide asks for them. */
const downloaded = new Map<string, { bytes: Uint8Array<ArrayBuffer>; type: string }>();

// Pyodide fetches the .wasm and the standard library itself, with no option to hand it
// bytes: its requests for the files this worker has already downloaded are answered from
// memory (once each; everything else goes to the network as usual).
scope.fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const url = input instanceof Request ? input.url : new URL(String(input), location.href).href;
  const file = downloaded.get(url);
  if (!file) return realFetch(input, init);
  downloaded.delete(url);
  return Promise.resolve(new Response(file.bytes, { headers: { 'content-type': file.type } }));
};

let python: Pyodide | undefined;

async function load(indexURL: string, files: readonly PythonFile[]): Promise<void> {
  const total = files.reduce((sum, f) => sum + f.bytes, 0);
  let received = 0;
  let lastSent = 0;
  const count = (n: number): void => {
    received += n;
    // About one message per percent, and the last one.
    if (received - lastSent < total / 100 && received < total) return;
    lastSent = received;
    post({ kind: 'progress', received: Math.min(received, total), total });
  };
  post({ kind: 'progress', received: 0, total });
  let pyodide: PyodideModule | undefined;
  let lockFile = '';
  await Promise.all(
    files.map(async ({ name, bytes }) => {
      const url = `${indexURL}${name}`;
      if (name.endsWith('.mjs')) {
        // The loader and Emscripten's glue are modules; import() shows no progress, so
        // each counts whole when it has arrived. Pyodide's own import of the glue later
        // finds it already loaded.
        const mod: unknown = await import(/* @vite-ignore */ url);
        if (name === 'pyodide.mjs') pyodide = mod as PyodideModule;
        count(bytes);
      } else if (name.endsWith('.json')) {
        const file = await fetchCounted(url, count, realFetch);
        lockFile = new TextDecoder().decode(file.bytes);
      } else {
        downloaded.set(url, await fetchCounted(url, count, realFetch));
      }
    }),
  );
  if (!pyodide) throw new Error('pyodide.mjs was not among the files to load');
  post({ kind: 'starting' });
  python = await pyodide.loadPyodide({ indexURL, ...(lockFile ? { lockFileContents: lockFile } : {}) });
  downloaded.clear();
  post({ kind: 'ready', version: python.version });
}

async function run(id: number, code: string): Promise<void> {
  const py = python;
  if (!py) {
    post({ kind: 'done', id, error: 'Python is not loaded.' });
    return;
  }
  let pending: OutputLine[] = [];
  let lastFlush = performance.now();
  const flush = (): void => {
    if (pending.length) post({ kind: 'output', id, lines: pending });
    pending = [];
    lastFlush = performance.now();
  };
  const write = (stream: OutputLine['stream']) => (text: string) => {
    pending.push({ stream, text });
    // Python may print from a loop that never yields: send from here, not from a timer.
    if (performance.now() - lastFlush >= OUTPUT_EVERY) flush();
  };
  py.setStdout({ batched: write('out') });
  py.setStderr({ batched: write('err') });
  try {
    const value = await py.runPythonAsync(code, { filename: CELL_FILE });
    flush();
    if (value === undefined || value === null) {
      post({ kind: 'done', id });
      return;
    }
    const text = String(value);
    // A Python object comes back as a proxy that holds a reference: release it.
    if (typeof value === 'object' && 'destroy' in value && typeof value.destroy === 'function') value.destroy();
    post({ kind: 'done', id, value: text });
  } catch (e) {
    flush();
    // A PythonError's message is the traceback Python would print.
    post({ kind: 'done', id, error: e instanceof Error ? trimTraceback(e.message) : String(e) });
  }
}

// sys.exit() raises SystemExit, which the run reports as its error like any other; but
// Pyodide's event loop also rejects a promise of its own with it, which nobody awaits.
// That second report is the same error: without this it would reach the page's console
// as an uncaught error of the worker.
scope.addEventListener('unhandledrejection', (e) => {
  if ((e.reason as { type?: unknown } | null)?.type === 'SystemExit') e.preventDefault();
});

scope.onmessage = (e) => {
  const m = e.data;
  if (m.kind === 'load') {
    load(m.indexURL, m.files).catch((error: unknown) => post({ kind: 'load-failed', message: error instanceof Error ? error.message : String(error) }));
  } else {
    void run(m.id, m.code);
  }
};
