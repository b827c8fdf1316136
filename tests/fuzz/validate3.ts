// Differential fuzzing of validation on WebAssembly 3.0 modules: binaryen's translate-to-fuzz
// (`wasm-opt -ttf`) with 3.0 features switched on — exception handling, tail calls,
// reference types, multiple memories, memory64, each a switch — and byte mutations of each
// module (tests/fuzz/mutate-binary.ts); validateBinary's verdict must be V8's
// WebAssembly.validate's (V8 in a child process with those proposals on) wherever both decide.
//
// validateBinary decides a module valid in place or through the reference validator, or
// invalid with a DecodeError or ValidationError; the reference's refusal of a feature the
// interpreter does not run yet ("wasmstep does not execute …") is no verdict and is counted
// as 'undecided'. So today every in-place "valid" is checked, and every rejection not
// caused by a missing feature; as the features land, fewer cases are undecided.
import { decodeModule } from '../../engine/binary/index.ts';
import { BINARYEN_FEATURES, type BinaryenFeature, generate } from '../support/fuzz.ts';
import { ourVerdict, v8Validate } from '../support/v8-validate.ts';
import { binaryenSeed } from './differential.ts';
import type { Finding } from './findings.ts';
import { minimizeSeq } from './minimize.ts';
import { mutateOnce } from './mutate-binary.ts';
import { caseSeed, rng } from './rng.ts';
import type { OnCase, Tally } from './campaign.ts';

/** Every feature binaryen can add: the default of `npm run fuzz -- --features`. */
export const ALL_FEATURES = Object.keys(BINARYEN_FEATURES) as BinaryenFeature[];

/**
 * Cases per feature group: with features f1 … fn, cases 0–9 enable f1 alone, the next ten
 * f2, …, then ten all of them, and round again. Each feature alone keeps most modules
 * within what the in-place checker reads (binaryen's exception handling uses exnref, which
 * it leaves to the reference), all together mixes them.
 */
export const BLOCK = 10;

/** Case `index`'s group: a feature's position, or features.length for all of them. */
function group(features: readonly BinaryenFeature[], index: number): number {
  return features.length <= 1 ? features.length : Math.floor(index / BLOCK) % (features.length + 1);
}

/** The binaryen features of case `index`. */
export function caseFeatures(features: readonly BinaryenFeature[], index: number): readonly BinaryenFeature[] {
  const g = group(features, index);
  return g < features.length ? [features[g]!] : features;
}

/** Byte mutants per generated module (the generated module itself is always checked). */
export const MUTANTS = 3;

/** V8 with every proposal the features need (on by default in Node 22; explicit here). */
const V8_FLAGS_3 = [
  '--experimental-wasm-legacy-eh', '--experimental-wasm-exnref', '--experimental-wasm-multi-memory', '--experimental-wasm-memory64',
];

/** The disagreement on each module, by position; also counts each verdict into `tally`. */
export function validate3Problems(modules: readonly Uint8Array[], tally?: Tally): Map<number, string> {
  const theirs = v8Validate(modules, V8_FLAGS_3);
  const out = new Map<number, string>();
  modules.forEach((bytes, i) => {
    const ours = ourVerdict(bytes);
    const v8 = theirs[i] ? 'valid' : 'invalid';
    if (tally !== undefined) {
      const key = ours.verdict === 'valid' ? `valid (${ours.by})` : ours.verdict;
      tally.verdicts[key] = (tally.verdicts[key] ?? 0) + 1;
    }
    if (ours.verdict === 'undecided' || ours.verdict === v8) return;
    // Node 22's V8 (12.4) has memory64 but not yet table64, whose 64-bit table limits it
    // calls malformed ("invalid table elements limits flags"); binaryen gives memory64
    // modules i64 tables. There V8 is no oracle: the spec suite's table64 files are.
    if (ours.verdict === 'valid' && usesTable64(bytes)) {
      if (tally !== undefined) tally.verdicts['outside V8 (table64)'] = (tally.verdicts['outside V8 (table64)'] ?? 0) + 1;
      return;
    }
    out.set(i, `validateBinary says ${ours.verdict}${ours.message === undefined ? '' : ` (${ours.message})`}, V8 says ${v8}`);
  });
  return out;
}

/** Whether a module declares or imports a 64-bit table (table64). */
function usesTable64(bytes: Uint8Array): boolean {
  try {
    const m = decodeModule(bytes);
    return m.tables.some((t) => t.type.limits.index64 === true)
      || m.imports.some((imp) => imp.desc.kind === 'table' && imp.desc.type.limits.index64 === true);
  } catch {
    return false;
  }
}

/** Case `index`'s modules: binaryen's (when it generated one) and its byte mutants. */
export function validate3Case(seed: number, index: number, generated: Uint8Array): Uint8Array[] {
  const r = rng(caseSeed(seed, index));
  const out = [generated];
  for (let i = 0; i < MUTANTS; i++) {
    let m = generated;
    const rounds = 1 + Math.floor(r.next() * 3);
    for (let k = 0; k < rounds; k++) m = mutateOnce(m, r);
    out.push(m);
  }
  return out;
}

/** Case `index`'s binaryen module, or undefined when binaryen made none. */
export function validate3Module(seed: number, index: number, features: readonly BinaryenFeature[]): Uint8Array | undefined {
  const b = binaryenSeed(seed, index);
  return generate(b, 1, caseFeatures(features, index)).get(b);
}

/** Validation cases [start, start + n) with binaryen `features` (in groups: caseFeatures). */
export function runValidate3(seed: number, start: number, n: number, tally: Tally, features: readonly BinaryenFeature[], onCase?: OnCase): void {
  // One binaryen run per stretch of cases with the same features.
  const generated = new Map<number, Uint8Array>();
  for (let from = start; from < start + n; ) {
    let to = from + 1;
    while (to < start + n && group(features, to) === group(features, from)) to++;
    const first = binaryenSeed(seed, from);
    for (const [s, bytes] of generate(first, to - from, caseFeatures(features, from))) generated.set(from + s - first, bytes);
    from = to;
  }
  const batch: { index: number; bytes: Uint8Array }[] = [];
  for (let index = start; index < start + n; index++) {
    onCase?.('v8-validate-3', index);
    tally.cases++;
    const bytes = generated.get(index);
    if (bytes === undefined) {
      tally.verdicts['not generated'] = (tally.verdicts['not generated'] ?? 0) + 1;
      continue;
    }
    for (const m of validate3Case(seed, index, bytes)) batch.push({ index, bytes: m });
  }
  if (batch.length === 0) return;
  onCase?.('v8-validate-3', start);
  const problems = validate3Problems(batch.map((b) => b.bytes), tally);
  for (const [i, problem] of problems) {
    const { index, bytes } = batch[i]!;
    const same = (x: Uint8Array) => (onCase?.('v8-validate-3', index), validate3Problems([x]).get(0) === problem);
    const finding: Finding = { kind: 'v8-validate-3', seed, index, problem, input: bytes, minimized: minimizeSeq(bytes, same, 150) };
    tally.findings.push(finding);
  }
}
