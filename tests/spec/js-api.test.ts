// The official JS API conformance tests (the testsuite's js-api/*.any.js, with
// testharness.js; https://webassembly.github.io/spec/js-api/) run twice per file: on the
// facade (engine/api, `WasmStep`) and, as the reference, on V8's own `WebAssembly`.
//
// The rule: every subtest V8 passes, the facade passes too, except those listed in
// js-api-expected-failures.ts (features the engine does not execute yet, each with its
// reason). The list is asserted exactly, so a subtest that starts passing must be taken off
// it. The totals of both runs are asserted too, as the core suite's are, so a drop in what
// runs is noticed. A per-group table is printed at the end.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WasmStep } from '../../engine/index.ts';
import { type FileResult, metaOf, runJsApiFile } from '../support/js-api.ts';
import { testsuiteRoot } from '../support/testsuite.ts';
import { EXPECTED_FAILURES } from './js-api-expected-failures.ts';

const jsApiDir = path.join(testsuiteRoot, 'js-api');
const present = existsSync(jsApiDir) && existsSync(path.join(testsuiteRoot, 'harness', 'testharness.js'));
const suite = present ? describe : describe.skip;

if (!present && process.env.CI) {
  throw new Error(`The JS API tests must be present in CI, but ${jsApiDir} was not found.`);
}

/** Every *.any.js below js-api/, sorted, as paths relative to it. */
const files = present
  ? (readdirSync(jsApiDir, { recursive: true }) as string[])
      .map((f) => f.split(path.sep).join('/'))
      .filter((f) => f.endsWith('.any.js'))
      .sort()
  : [];

/** Counts at testsuite commit 285a903 with Node 22's V8. A drop means subtests went unrun. */
const EXPECTED = {
  files: 52,
  facade: { passed: 1075, total: 1182 },
  v8: { passed: 1103, total: 1228 },
  /** Subtests passed in the 2.0 files, and the expected failures among them. */
  twoPointZero: { facade: 1015, v8: 1016, excused: 10 },
};

/**
 * The suite's 2.0 parts: everything but the tests of later proposals (the testsuite's
 * README names them: *.tentative.any.js, exception/, tag/, gc/, js-string/, *memory64*).
 */
function isTwoPointZero(file: string): boolean {
  return !/\.tentative\.any\.js$|^(exception|tag|gc|js-string)\/|memory64/.test(file);
}

const V8_WEBASSEMBLY = globalThis.WebAssembly;
const results: { file: string; ours: FileResult; v8: FileResult }[] = [];

const expectedFailures = new Set(Object.values(EXPECTED_FAILURES).flatMap((group) => group.tests));

const passed = (r: FileResult): Set<string> => new Set(r.subtests.filter((s) => s.status === 'PASS').map((s) => s.name));

suite(`JS API tests (${present ? jsApiDir : `skipped: ${jsApiDir} not found; set WASM_TESTSUITE`})`, () => {
  it('has the test files', () => {
    expect(files.length).toBe(EXPECTED.files);
  });

  it('lists each expected failure once', () => {
    const all = Object.values(EXPECTED_FAILURES).flatMap((group) => group.tests);
    expect(all.length).toBe(expectedFailures.size);
  });

  it.each(files)('%s', async (file) => {
    const testFile = path.join(jsApiDir, file);
    // limits.any.js (META: timeout=long) builds and compiles modules at every limit:
    // minutes on a busy two-core machine, for V8 too.
    const timeoutMs = metaOf(readFileSync(testFile, 'utf8')).long ? 480_000 : 60_000;
    const ours = await runJsApiFile(testsuiteRoot, testFile, WasmStep, { timeoutMs });
    const v8 = await runJsApiFile(testsuiteRoot, testFile, V8_WEBASSEMBLY, { timeoutMs });
    results.push({ file, ours, v8 });

    expect(v8.error ?? '').not.toMatch(/timed out/);
    expect(ours.error ?? '').not.toMatch(/timed out/);
    const oursPassed = passed(ours);
    // Subtests V8 passes and the facade does not (failed, or never ran because the file
    // stopped), beyond the expected failures; and expected failures that now pass.
    const unexpected: string[] = [];
    for (const name of passed(v8)) {
      const key = `${file} :: ${name}`;
      const failing = !oursPassed.has(name);
      if (failing && !expectedFailures.has(key)) {
        const s = ours.subtests.find((t) => t.name === name);
        unexpected.push(`${key}: ${s ? `${s.status} ${s.message ?? ''}` : `did not run (${ours.error ?? 'no result'})`}`);
      }
      if (!failing && expectedFailures.has(key)) unexpected.push(`${key}: passes now, take it off js-api-expected-failures.ts`);
    }
    for (const key of expectedFailures) {
      if (key.startsWith(`${file} :: `) && !passed(v8).has(key.slice(file.length + 4))) {
        unexpected.push(`${key}: listed as an expected failure, but V8 does not pass it (or it does not exist)`);
      }
    }
    expect(unexpected).toEqual([]);
  }, 1_000_000);

  it('totals: the facade passes what V8 passes, but for the expected failures', () => {
    expect(results.length).toBe(files.length);
    const sum = (pick: (r: (typeof results)[number]) => FileResult) => ({
      passed: results.reduce((n, r) => n + passed(pick(r)).size, 0),
      total: results.reduce((n, r) => n + pick(r).subtests.length, 0),
    });
    expect({ facade: sum((r) => r.ours), v8: sum((r) => r.v8) }).toEqual({ facade: EXPECTED.facade, v8: EXPECTED.v8 });
  });

  it("the suite's 2.0 parts: the facade passes as many subtests as V8, counting the expected failures", () => {
    // 2.0's files still hold a few subtests of features the engine does not execute
    // (shared memories, via limits.any.js's module builder); everything else V8 passes
    // there, the facade passes.
    const two = results.filter((r) => isTwoPointZero(r.file));
    const facade = two.reduce((n, r) => n + passed(r.ours).size, 0);
    const v8 = two.reduce((n, r) => n + passed(r.v8).size, 0);
    const excused = [...expectedFailures].filter((key) => isTwoPointZero(key.slice(0, key.indexOf(' :: ')))).length;
    expect({ facade, v8, excused }).toEqual(EXPECTED.twoPointZero);
    expect(facade + excused).toBeGreaterThanOrEqual(v8);
  });

  afterAll(() => {
    if (results.length === 0) return;
    const groups = new Map<string, { ours: number; v8: number; total: number }>();
    for (const r of results) {
      const group = r.file.includes('/') ? r.file.slice(0, r.file.indexOf('/')) : r.file;
      const g = groups.get(group) ?? { ours: 0, v8: 0, total: 0 };
      g.ours += passed(r.ours).size;
      g.v8 += passed(r.v8).size;
      g.total += Math.max(r.ours.subtests.length, r.v8.subtests.length);
      groups.set(group, g);
    }
    const rows = [...groups].map(([g, c]) => `${g.padEnd(28)} facade ${String(c.ours).padStart(5)}   V8 ${String(c.v8).padStart(5)}   of ${c.total}`);
    console.log(['JS API tests, subtests passed:', ...rows].join('\n'));
  });
});

// The legacy exception-handling proposal's two JS API tests (legacy-exceptions/js-api/,
// try/catch/catch_all/rethrow as toolchains still emit them): same harness, same rule,
// with no expected failures.
const legacyDir = path.join(testsuiteRoot, 'legacy-exceptions', 'js-api');
const legacyFiles = present && existsSync(legacyDir) ? readdirSync(legacyDir).filter((f) => f.endsWith('.any.js')).sort() : [];
/** Subtests in those files, and how many each side passes. */
const LEGACY_EXPECTED = { files: 2, facade: 6, v8: 6 };

(legacyFiles.length > 0 ? describe : describe.skip)('legacy exception handling: JS API tests', () => {
  const totals = { facade: 0, v8: 0 };

  it.each(legacyFiles)('%s', async (file) => {
    const testFile = path.join(legacyDir, file);
    const ours = await runJsApiFile(testsuiteRoot, testFile, WasmStep, { timeoutMs: 60_000 });
    const v8 = await runJsApiFile(testsuiteRoot, testFile, V8_WEBASSEMBLY, { timeoutMs: 60_000 });
    totals.facade += passed(ours).size;
    totals.v8 += passed(v8).size;
    const oursPassed = passed(ours);
    const missing = [...passed(v8)].filter((name) => !oursPassed.has(name)).map((name) => {
      const s = ours.subtests.find((t) => t.name === name);
      return `${file} :: ${name}: ${s ? `${s.status} ${s.message ?? ''}` : `did not run (${ours.error ?? 'no result'})`}`;
    });
    expect(missing).toEqual([]);
  }, 120_000);

  it('totals', () => {
    expect({ files: legacyFiles.length, ...totals }).toEqual(LEGACY_EXPECTED);
  });
});
