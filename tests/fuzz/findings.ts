// A finding: which fuzzer, the campaign seed and case number that reproduce it, what went
// wrong, and the input. Findings are saved raw (in the findings folder) and minimized as
// regression inputs in tests/fuzz/regressions/, which regressions.test.ts replays.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type FuzzKind = 'decoder' | 'text' | 'v8-validate' | 'exec' | 'watgen' | 'v8-validate-3';

export interface Finding {
  readonly kind: FuzzKind;
  readonly seed: number;
  readonly index: number;
  readonly problem: string;
  readonly input: Uint8Array | string;
  /** The minimized input, when minimization applies. */
  readonly minimized?: Uint8Array | string;
}

/** What a regression file's .json sidecar holds. */
export interface RegressionMeta {
  readonly kind: FuzzKind;
  readonly seed: number;
  readonly case: number;
  readonly problem: string;
  /** True while the bug is not fixed: the regression test then expects the failure. */
  readonly open?: boolean;
  /** For exec regressions: the binaryen seed the module came from. */
  readonly binaryenSeed?: number;
}

export const REGRESSIONS = path.join(import.meta.dirname, 'regressions');

export function findingName(f: Pick<Finding, 'kind' | 'seed' | 'index'>): string {
  return `${f.kind}-s${f.seed}-c${f.index}`;
}

const ext = (x: Uint8Array | string): string => (typeof x === 'string' ? '.wat' : '.wasm');

/** Writes the raw input to `dir` and the minimized one (with its sidecar) to the regressions folder; returns the paths. */
export function saveFinding(f: Finding, dir: string, extra: Partial<RegressionMeta> = {}): string[] {
  mkdirSync(dir, { recursive: true });
  mkdirSync(REGRESSIONS, { recursive: true });
  const name = findingName(f);
  const raw = path.join(dir, name + ext(f.input));
  writeFileSync(raw, f.input);
  writeFileSync(path.join(dir, `${name}.txt`), `${f.kind} seed ${f.seed} case ${f.index}\n${f.problem}\n`);
  const min = f.minimized ?? f.input;
  const reg = path.join(REGRESSIONS, name + ext(min));
  writeFileSync(reg, min);
  const meta: RegressionMeta = { kind: f.kind, seed: f.seed, case: f.index, problem: f.problem, open: true, ...extra };
  writeFileSync(path.join(REGRESSIONS, `${name}.json`), JSON.stringify(meta, null, 2) + '\n');
  return [raw, reg];
}
