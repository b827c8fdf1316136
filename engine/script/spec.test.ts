// The official WebAssembly 2.0 spec test suite, every command of every .wast file, through
// the whole engine: parser, decoder, validator, instantiation and the interpreter
// (https://webassembly.github.io/spec/core/exec/index.html). One test per file; a failing
// file lists its failing commands with line and reason. A per-file table of pass/fail
// counts is printed at the end.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runWast } from './run-wast.ts';
import { testsuiteRoot } from '../../tests/support/testsuite.ts';

const suiteRoot = testsuiteRoot;
const suiteDir = path.join(suiteRoot, 'wasm-2.0');
const present = existsSync(suiteDir);
const suite = present ? describe : describe.skip;
const files = present ? readdirSync(suiteDir).filter((f) => f.endsWith('.wast')).sort() : [];

const counts: { file: string; passed: number; failed: number }[] = [];

/** Commands in wasm-2.0 (testsuite commit 5a2e289). A drop means commands went unrun. */
const EXPECTED_COMMANDS = 53_891;

if (!present && process.env.CI) {
  throw new Error(`The spec suite must be present in CI, but ${suiteDir} was not found.`);
}

suite(`spec suite 2.0 (${present ? suiteDir : `skipped: ${suiteDir} not found; set WASM_TESTSUITE`})`, () => {
  it('has the suite files', () => {
    expect(files.length).toBe(147);
  });

  it.each(files)('%s', (file) => {
    const report = runWast(readFileSync(path.join(suiteDir, file), 'utf8'), { version: '2.0' });
    counts.push({ file, passed: report.passed, failed: report.failed });
    const failures = report.results.filter((r) => !r.passed).map((r) => `${file}:${r.line} ${r.type}: ${r.reason}`);
    expect(failures).toEqual([]);
    expect(report.passed).toBeGreaterThan(0);
  }, 120_000);

  it(`passes all ${EXPECTED_COMMANDS} commands`, () => {
    const passed = counts.reduce((n, c) => n + c.passed, 0);
    const failed = counts.reduce((n, c) => n + c.failed, 0);
    expect(counts.length).toBe(files.length);
    expect({ passed, failed }).toEqual({ passed: EXPECTED_COMMANDS, failed: 0 });
  });

  afterAll(() => {
    if (counts.length === 0) return;
    const passed = counts.reduce((n, c) => n + c.passed, 0);
    const failed = counts.reduce((n, c) => n + c.failed, 0);
    const lines = counts.map((c) => `${c.file.padEnd(40)} ${String(c.passed).padStart(6)} passed ${String(c.failed).padStart(4)} failed`);
    console.log([...lines, `${'total'.padEnd(40)} ${String(passed).padStart(6)} passed ${String(failed).padStart(4)} failed`].join('\n'));
  });
});
