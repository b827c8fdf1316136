// The fuzzing loops, shared by `npm run fuzz` (bin/fuzz.ts, time-bounded, in a watched
// worker) and the fixed-seed slice in the unit tests. Case `index` of campaign `seed` is a
// pure function of the two, so any finding is reproduced with `--seed S --only KIND:INDEX`.
import { decodeModule, encodeModule } from '../../engine/index.ts';
import { corpus } from './corpus.ts';
import { binaryenSeed, EXEC_FEATURES, execCase, generate, validateAgainstV8 } from './differential.ts';
import type { Finding, FuzzKind } from './findings.ts';
import { minimizeSeq, signature } from './minimize.ts';
import { decoderInput } from './mutate-binary.ts';
import { textInput } from './mutate-text.ts';
import { checkBinary, checkText, timed } from './oracles.ts';
import { caseSeed, rng } from './rng.ts';
import { checkWatgen, watgenCase, type Wabt } from './watgen.ts';

export interface Tally {
  cases: number;
  /** How cases ended, e.g. malformed / invalid / valid, or agree / budget / outside. */
  readonly verdicts: Record<string, number>;
  readonly findings: Finding[];
}

export const newTally = (): Tally => ({ cases: 0, verdicts: {}, findings: [] });
const count = (t: Tally, v: string): void => void (t.verdicts[v] = (t.verdicts[v] ?? 0) + 1);

/** Called before each case (the CLI's watchdog uses it). */
export type OnCase = (kind: FuzzKind, index: number) => void;

/** The decoder input of a case. */
export function decoderCase(seed: number, index: number): Uint8Array {
  return decoderInput(corpus(), rng(caseSeed(seed, index)));
}

/** The text input of a case. */
export function textCase(seed: number, index: number): string {
  return textInput(corpus(), rng(caseSeed(seed, index)));
}

function minimizeFinding<T extends Uint8Array | string>(check: (x: T) => ReturnType<typeof checkBinary>, input: T, problem: string): T {
  if (problem.startsWith('took ')) return input; // slowness does not shrink reliably
  const sig = signature(problem);
  return minimizeSeq(input, (x) => {
    const o = check(x);
    return !o.ok && signature(o.problem) === sig;
  });
}

/**
 * Decoder cases [start, start + n): each must end in a typed error or a valid module; every
 * `v8Every` cases, the batch's verdicts are compared with V8's WebAssembly.validate.
 */
export function runDecoder(seed: number, start: number, n: number, tally: Tally, v8Tally: Tally, onCase?: OnCase, v8Every = 250): void {
  let batch: { index: number; bytes: Uint8Array }[] = [];
  const flush = () => {
    if (batch.length === 0) return;
    onCase?.('v8-validate', batch[0]!.index);
    const bad = validateAgainstV8(batch.map((b) => b.bytes));
    v8Tally.cases += batch.length;
    v8Tally.verdicts.agree = (v8Tally.verdicts.agree ?? 0) + batch.length - bad.size;
    for (const [i, problem] of bad) {
      const { index, bytes } = batch[i]!;
      // Shrinking needs a V8 child per attempt: a small budget, with a heartbeat per attempt.
      const minimized = minimizeSeq(bytes, (x) => (onCase?.('v8-validate', index), validateAgainstV8([x]).get(0) === problem), 150);
      v8Tally.findings.push({ kind: 'v8-validate', seed, index, problem, input: bytes, minimized });
    }
    batch = [];
  };
  for (let index = start; index < start + n; index++) {
    onCase?.('decoder', index);
    const bytes = decoderCase(seed, index);
    const o = timed(checkBinary, bytes);
    tally.cases++;
    if (o.ok) count(tally, o.verdict);
    else tally.findings.push({ kind: 'decoder', seed, index, problem: o.problem, input: bytes, minimized: minimizeFinding(checkBinary, bytes, o.problem) });
    batch.push({ index, bytes });
    if (batch.length >= v8Every) flush();
  }
  flush();
}

/** Text cases [start, start + n): each must end in a located error or a valid module. */
export function runText(seed: number, start: number, n: number, tally: Tally, onCase?: OnCase): void {
  for (let index = start; index < start + n; index++) {
    onCase?.('text', index);
    const src = textCase(seed, index);
    const o = timed(checkText, src);
    tally.cases++;
    if (o.ok) count(tally, o.verdict);
    else tally.findings.push({ kind: 'text', seed, index, problem: o.problem, input: src, minimized: minimizeFinding(checkText, src, o.problem) });
  }
}

/** A disagreeing module with exports dropped while the disagreement stays. */
function minimizeExec(bytes: Uint8Array, seed: number): Uint8Array {
  let cur = bytes;
  let m;
  try {
    m = decodeModule(bytes);
  } catch {
    return bytes; // the finding is that it does not decode: nothing to drop
  }
  for (let i = m.exports.length - 1; i >= 0; i--) {
    const trial = decodeModule(cur);
    if (trial.exports[i]?.kind !== 'func') continue;
    trial.exports.splice(i, 1);
    let candidate: Uint8Array;
    try {
      candidate = encodeModule(trial);
    } catch {
      return cur; // the module does not re-encode: keep it whole
    }
    if (execCase(seed, candidate).verdict === 'finding') cur = candidate;
  }
  return cur;
}

/** Differential cases [start, start + n): binaryen modules run on both engines. */
export function runExec(seed: number, start: number, n: number, tally: Tally, onCase?: OnCase): void {
  const first = binaryenSeed(seed, start);
  const modules = generate(first, n, EXEC_FEATURES);
  for (let index = start; index < start + n; index++) {
    onCase?.('exec', index);
    const bytes = modules.get(first + index - start);
    tally.cases++;
    if (bytes === undefined) {
      count(tally, 'not generated');
      continue;
    }
    const o = execCase(first + index - start, bytes);
    onCase?.('exec', index);
    if (o.verdict !== 'finding') count(tally, o.verdict);
    else tally.findings.push({ kind: 'exec', seed, index, problem: o.problem, input: bytes, minimized: minimizeExec(bytes, first + index - start) });
  }
}

/** A watgen finding with module fields (one a line) dropped while it fails the same way. */
function minimizeWatgen(wabt: Wabt, src: string, problem: string): string {
  const sig = signature(problem);
  const lines = src.split('\n');
  // The first and last lines are `(module` and `)`; try dropping each field, last first.
  for (let i = lines.length - 3; i >= 1; i--) {
    const candidate = [...lines.slice(0, i), ...lines.slice(i + 1)];
    const o = checkWatgen(wabt, candidate.join('\n'));
    if (!o.ok && signature(o.problem) === sig) lines.splice(i, 1);
  }
  return lines.join('\n');
}

/** wat2wasm differential cases [start, start + n): generated modules, our bytes vs wabt's. */
export function runWatgen(wabt: Wabt, seed: number, start: number, n: number, tally: Tally, onCase?: OnCase): void {
  for (let index = start; index < start + n; index++) {
    onCase?.('watgen', index);
    const src = watgenCase(seed, index);
    const o = checkWatgen(wabt, src);
    tally.cases++;
    if (o.ok) count(tally, o.verdict);
    else tally.findings.push({ kind: 'watgen', seed, index, problem: o.problem, input: src, minimized: minimizeWatgen(wabt, src, o.problem) });
  }
}

export function summary(name: string, t: Tally): string {
  const v = Object.entries(t.verdicts)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return `${name}: ${t.cases} cases (${v}), ${t.findings.length} findings`;
}
