// Runs one file of the official JS API conformance tests (the testsuite's js-api/*.any.js,
// web-platform-tests style) against a given `WebAssembly` namespace, in this realm, and
// returns every subtest's result.
//
// How: testharness.js, the file's `// META: script=` helpers and the file itself are
// compiled together as one function body (so each file gets its own harness and its
// top-level declarations stay local), run with `this` and `self` bound to globalThis, as
// a JS shell runs them (files whose `META: global=` leaves out jsshell are not run). The
// tests use the global `WebAssembly`, so it is swapped for the
// namespace under test while the file runs and restored afterwards; files must therefore
// run one at a time. The harness's globals (`test`, `assert_equals`, ...) are removed
// again when the file is done.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

/** One subtest: testharness's status names (PASS, FAIL, TIMEOUT, NOTRUN, PRECONDITION_FAILED). */
export interface SubtestResult {
  readonly name: string;
  readonly status: string;
  readonly message: string | null;
}

export interface FileResult {
  /** Path below js-api/, with forward slashes. */
  readonly file: string;
  readonly subtests: SubtestResult[];
  /** Why the file as a whole failed (threw at top level, harness error, timed out), or null. */
  readonly error: string | null;
}

const STATUS = ['PASS', 'FAIL', 'TIMEOUT', 'NOTRUN', 'PRECONDITION_FAILED'];

/** The `// META: key=value` lines at the top of a test file. */
export function metaOf(source: string): { scripts: string[]; globals: string[]; long: boolean } {
  const scripts: string[] = [];
  let globals = ['window', 'dedicatedworker'];
  let long = false;
  for (const line of source.split('\n')) {
    const m = /^\/\/ META: (\w+)=(.*)$/.exec(line.trim());
    if (m === null) {
      if (line.trim() === '' || line.startsWith('//')) continue;
      break;
    }
    const [, key, value] = m as unknown as [string, string, string];
    if (key === 'script') scripts.push(value.trim());
    else if (key === 'global') globals = value.split(',').map((s) => s.trim());
    else if (key === 'timeout') long = value.trim() === 'long';
  }
  return { scripts, globals, long };
}

/** Where a META script lives: `/wasm/jsapi/X` is js-api/X, anything else is relative to the file. */
function scriptPath(jsApiDir: string, testFile: string, src: string): string {
  const prefix = '/wasm/jsapi/';
  if (src.startsWith(prefix)) return path.join(jsApiDir, src.slice(prefix.length));
  return path.resolve(path.dirname(testFile), src);
}

/**
 * Runs one test file with `namespace` as the global WebAssembly. A file still unfinished
 * after `timeoutMs` (10 s, or 60 s for `META: timeout=long`, as web-platform-tests allow)
 * is reported as timed out, with the subtests finished so far.
 */
export async function runJsApiFile(
  testsuiteRoot: string,
  testFile: string,
  namespace: object,
  options: { timeoutMs?: number } = {},
): Promise<FileResult> {
  const jsApiDir = path.join(testsuiteRoot, 'js-api');
  const file = path.relative(jsApiDir, testFile).split(path.sep).join('/');
  const source = readFileSync(testFile, 'utf8');
  const meta = metaOf(source);
  const timeoutMs = options.timeoutMs ?? (meta.long ? 60_000 : 10_000);
  // Only tests meant for a JS shell can run here: the others need a window or a worker.
  if (!meta.globals.includes('jsshell')) return { file, subtests: [], error: `not run: META: global=${meta.globals.join(',')} has no jsshell` };
  const harness = readFileSync(path.join(testsuiteRoot, 'harness', 'testharness.js'), 'utf8');
  const parts = [
    harness,
    // testharness.js has no shell-specific report script; these hooks are ours.
    '__jsapi_hooks(add_result_callback, add_completion_callback, setup);',
    ...meta.scripts.map((s) => readFileSync(scriptPath(jsApiDir, testFile, s), 'utf8')),
    source,
  ];
  const body = `(function (self) {\n${parts.join('\n;\n')}\n})`;

  const subtests: SubtestResult[] = [];
  const before = new Set(Reflect.ownKeys(globalThis));
  const original = Object.getOwnPropertyDescriptor(globalThis, 'WebAssembly');
  let finish!: (error: string | null) => void;
  const done = new Promise<string | null>((resolve) => (finish = resolve));
  const g = globalThis as Record<string, unknown>;
  g.__jsapi_hooks = (
    onResult: (cb: (t: { name: string; status: number; message: string | null }) => void) => void,
    onComplete: (cb: (tests: unknown, status: { status: number; message: string | null }) => void) => void,
    setup: (props: object) => void,
  ) => {
    // No per-test timeout: the whole file is bounded by timeoutMs below.
    setup({ explicit_timeout: true });
    onResult((t) => subtests.push({ name: t.name, status: STATUS[t.status] ?? String(t.status), message: t.message }));
    onComplete((_tests, status) => finish(status.status === 0 ? null : `harness status ${status.status}: ${status.message ?? ''}`));
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    Object.defineProperty(globalThis, 'WebAssembly', { ...original, value: namespace });
    const fn = vm.runInThisContext(body, { filename: testFile }) as (self: object) => void;
    try {
      fn.call(globalThis, globalThis);
    } catch (e) {
      finish(`threw at top level: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    }
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`timed out after ${timeoutMs} ms (${subtests.length} subtests had finished)`), timeoutMs);
    });
    const error = await Promise.race([done, timeout]);
    // A `test` whose body starts a promise without returning it (exception/identity and
    // the legacy identity test start a `WebAssembly.instantiate`) is reported before the
    // promise's callbacks run: let those jobs run while the harness's globals still exist,
    // so their assertions run instead of failing on a missing `assert_equals`. An
    // instantiation may take several macrotasks on a loaded machine, hence a few rounds.
    for (let i = 0; i < 10; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    return { file, subtests, error };
  } finally {
    clearTimeout(timer);
    if (original) Object.defineProperty(globalThis, 'WebAssembly', original);
    for (const key of Reflect.ownKeys(globalThis)) if (!before.has(key)) delete g[key as string];
  }
}
