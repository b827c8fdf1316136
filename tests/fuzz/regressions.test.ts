// Replays every fuzzing finding kept in tests/fuzz/regressions/: the (minimized) input,
// and a .json sidecar saying which fuzzer found it and what went wrong. Each must now pass
// its fuzzer's oracle. A sidecar with "open": true is a known, unfixed bug: its test
// expects the failure (it.fails), so fixing the bug means deleting that flag.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { execCase, validateAgainstV8 } from './differential.ts';
import { REGRESSIONS, type RegressionMeta } from './findings.ts';
import { validate3Problems } from './validate3.ts';
import { checkBinary, checkText, timed } from './oracles.ts';
import { checkWatgen, loadWabt } from './watgen.ts';

const entries = existsSync(REGRESSIONS)
  ? readdirSync(REGRESSIONS)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => {
        const meta = JSON.parse(readFileSync(path.join(REGRESSIONS, f), 'utf8')) as RegressionMeta;
        const base = f.slice(0, -'.json'.length);
        const file = ['.wasm', '.wat'].map((e) => path.join(REGRESSIONS, base + e)).find((p) => existsSync(p));
        if (file === undefined) throw new Error(`regression ${f} has no .wasm or .wat input`);
        return { name: base, meta, file };
      })
  : [];

/** What is still wrong with the input, or undefined when its oracle passes. */
async function problem(meta: RegressionMeta, file: string): Promise<string | undefined> {
  if (meta.kind === 'watgen') {
    const o = checkWatgen(await loadWabt(), readFileSync(file, 'utf8'));
    return o.ok ? undefined : o.problem;
  }
  if (file.endsWith('.wat')) {
    const o = timed(checkText, readFileSync(file, 'utf8'));
    return o.ok ? undefined : o.problem;
  }
  const bytes = new Uint8Array(readFileSync(file));
  if (meta.kind === 'v8-validate') return validateAgainstV8([bytes]).get(0);
  if (meta.kind === 'v8-validate-3') return validate3Problems([bytes]).get(0);
  if (meta.kind === 'exec') {
    const o = execCase(meta.binaryenSeed ?? meta.seed, bytes);
    return o.verdict === 'finding' ? o.problem : undefined;
  }
  const o = timed(checkBinary, bytes);
  return o.ok ? undefined : o.problem;
}

describe('fuzzing regressions', () => {
  it('has its inputs in place', () => {
    expect(entries.length).toBeGreaterThan(0);
  });
  for (const { name, meta, file } of entries) {
    (meta.open === true ? it.fails : it)(`${name}: ${meta.problem.slice(0, 120)}`, { timeout: 60_000 }, async () => {
      expect(await problem(meta, file)).toBeUndefined();
    });
  }
});
