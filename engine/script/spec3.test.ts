// The official WebAssembly 3.0 spec test suite (wasm-3.0/, custom/ included) and the legacy
// exception-handling scripts (legacy-exceptions/core/), every command through the whole
// engine as version '3.0' (https://webassembly.github.io/spec/core/). A file that uses
// garbage collection (struct, array, i31 and the other GC types and instructions) is run
// too, but only its passing count is pinned (it may only grow) until the engine runs GC;
// every other file must pass every command.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runWast } from './run-wast.ts';
import { testsuiteRoot } from '../../tests/support/testsuite.ts';

const root = testsuiteRoot;
const dir3 = path.join(root, 'wasm-3.0');
const legacyDir = path.join(root, 'legacy-exceptions', 'core');
const present = existsSync(dir3) && existsSync(legacyDir);
const suite = present ? describe : describe.skip;

if (!present && process.env.CI) {
  throw new Error(`The 3.0 spec suite must be present in CI, but ${dir3} or ${legacyDir} was not found.`);
}

const list = (dir: string, prefix = ''): string[] =>
  readdirSync(dir).filter((f) => f.endsWith('.wast')).sort().map((f) => path.join(prefix, f));
const files3 = present ? [...list(dir3), ...list(path.join(dir3, 'custom'), 'custom')] : [];
const legacy = present ? list(legacyDir) : [];

/**
 * Whether a script uses garbage collection: a GC type, heap type or instruction in its text
 * (binary-only GC modules are in binary-gc.wast, named as such).
 */
const GC_WORDS =
  /\b(struct|array|i31|anyref|eqref|structref|arrayref|nullref|ref\.test|ref\.cast|br_on_cast|br_on_cast_fail|any\.convert_extern|extern\.convert_any|ref\.eq|ref\.i31)\b|\((rec|sub)\b|\(ref (null )?(any|eq|none|struct|array|i31)\)/;
const usesGc = (file: string, source: string): boolean => GC_WORDS.test(source) || file === 'binary-gc.wast';

const counts: { file: string; gc: boolean; passed: number; failed: number }[] = [];

/** Files in wasm-3.0 (testsuite commit 193e551) and legacy-exceptions/core. */
const EXPECTED_FILES = { wasm3: 260, gc: 25, legacy: 4 };
/** Commands passed: every command of the non-GC files, and the GC files' passing count so far. */
const EXPECTED_PASSED = { nonGc: 62_457, gc: 1_902, legacy: 96 };

suite(`spec suite 3.0 (${present ? dir3 : `skipped: ${dir3} not found; set WASM_TESTSUITE`})`, () => {
  it.each(files3)('%s', (file) => {
    const source = readFileSync(path.join(dir3, file), 'utf8');
    const report = runWast(source, { version: '3.0' });
    const gc = usesGc(path.basename(file), source);
    counts.push({ file, gc, passed: report.passed, failed: report.failed });
    if (gc) return;
    const failures = report.results.filter((r) => !r.passed).map((r) => `${file}:${r.line} ${r.type}: ${r.reason}`);
    expect(failures).toEqual([]);
    expect(report.passed).toBeGreaterThan(0);
  }, 120_000);

  it.each(legacy)('legacy-exceptions/core/%s', (file) => {
    const report = runWast(readFileSync(path.join(legacyDir, file), 'utf8'), { version: '3.0' });
    counts.push({ file: `legacy/${file}`, gc: false, passed: report.passed, failed: report.failed });
    const failures = report.results.filter((r) => !r.passed).map((r) => `${file}:${r.line} ${r.type}: ${r.reason}`);
    expect(failures).toEqual([]);
    expect(report.passed).toBeGreaterThan(0);
  }, 120_000);

  it('runs every file, and passes every command outside garbage collection', () => {
    const sum = (pick: (c: (typeof counts)[number]) => boolean, key: 'passed' | 'failed') =>
      counts.filter(pick).reduce((n, c) => n + c[key], 0);
    const isLegacy = (c: (typeof counts)[number]) => c.file.startsWith('legacy/');
    expect({
      wasm3: files3.length,
      gc: counts.filter((c) => c.gc).length,
      legacy: legacy.length,
    }).toEqual(EXPECTED_FILES);
    expect({
      nonGc: sum((c) => !c.gc && !isLegacy(c), 'passed'),
      gc: sum((c) => c.gc, 'passed'),
      legacy: sum(isLegacy, 'passed'),
    }).toEqual(EXPECTED_PASSED);
    expect(sum((c) => !c.gc, 'failed')).toBe(0);
  });

  afterAll(() => {
    if (counts.length === 0) return;
    const lines = counts.map((c) => `${c.file.padEnd(40)} ${String(c.passed).padStart(6)} passed ${String(c.failed).padStart(4)} failed${c.gc ? '  (GC)' : ''}`);
    console.log(lines.join('\n'));
  });
});
