// Loads the self-hosted Pyodide (site/integrations/pyodide.ts copies it to
// <base>vendor/pyodide/) on demand and runs Python source in it, collecting what
// print() writes and any error as plain text. Nothing is fetched until load() is called;
// then one interpreter is shared by every Python cell on the page.
// Pyodide's JS API: https://pyodide.org/en/stable/usage/api/js-api.html
import { siteUrl } from './load-wasm.ts';

/** The part of Pyodide's API the cell uses. */
export interface Pyodide {
  readonly version: string;
  runPythonAsync(code: string): Promise<unknown>;
  setStdout(options: { batched: (line: string) => void }): void;
  setStderr(options: { batched: (line: string) => void }): void;
}

interface PyodideModule {
  loadPyodide(options: { indexURL: string; stdout?: (line: string) => void; stderr?: (line: string) => void }): Promise<Pyodide>;
}

/** The directory of the Pyodide files, as a URL under the site's base path. */
export const pyodideIndexUrl = (): string => siteUrl('vendor/pyodide/').href;

let loading: Promise<Pyodide> | undefined;

/** Downloads and starts Pyodide once; later calls get the same interpreter. */
export function loadPython(): Promise<Pyodide> {
  if (!loading) {
    loading = (async () => {
      const indexURL = pyodideIndexUrl();
      // A runtime URL, not a bundled dependency: the bundler must leave this import alone.
      const mod = (await import(/* @vite-ignore */ `${indexURL}pyodide.mjs`)) as PyodideModule;
      return mod.loadPyodide({ indexURL });
    })();
    // A failed load (offline, blocked by a policy) may be retried.
    loading.catch(() => {
      loading = undefined;
    });
  }
  return loading;
}

export interface RunResult {
  /** Everything written to stdout and stderr, in order, one entry per line. */
  readonly lines: readonly { readonly stream: 'out' | 'err'; readonly text: string }[];
  /** The value of the last expression as text (str() for Python objects); absent for None. */
  readonly value?: string;
  /** The error and its traceback, when the code raised. */
  readonly error?: string;
}

/** Runs `code` and returns what it printed, its value and any error, all as text. */
export async function runPython(py: Pyodide, code: string): Promise<RunResult> {
  const lines: { stream: 'out' | 'err'; text: string }[] = [];
  py.setStdout({ batched: (text) => lines.push({ stream: 'out', text }) });
  py.setStderr({ batched: (text) => lines.push({ stream: 'err', text }) });
  try {
    const value = await py.runPythonAsync(code);
    if (value === undefined || value === null) return { lines };
    const text = String(value);
    // A Python object comes back as a proxy that holds a reference: release it.
    if (typeof value === 'object' && 'destroy' in value && typeof value.destroy === 'function') value.destroy();
    return { lines, value: text };
  } catch (e) {
    // A PythonError's message is the traceback Python would print.
    return { lines, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Bytes as a short size, e.g. 9.6 MB (decimal megabytes, as download sizes usually are). */
export function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes >= 1e7 ? 0 : 1)} MB`;
}
