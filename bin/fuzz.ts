// `npm run fuzz`: time-bounded fuzzing of the engine (see docs/ARCHITECTURE.md, Robustness).
//
//   node bin/fuzz.ts [--minutes 5] [--seed S] [--kinds decoder,text,exec,watgen,validate3] [--out .out/fuzz-findings] [--heap-mb 1024]
//                    [--features exception-handling,tail-call,reference-types,multimemory,memory64]
//   node bin/fuzz.ts --seed S --only decoder:123     # re-run one case and print its outcome
//
// Decoder, text, differential (vs V8), wat2wasm (vs wabt, on generated modules) and 3.0
// validation (validateBinary vs V8 on binaryen modules with --features, tests/fuzz/validate3.ts)
// cases run in a worker thread (tests/fuzz/worker.ts)
// with a heap cap; this process watches a heartbeat. A case that stops the heartbeat for
// too long (a hang) or kills the worker (e.g. out of memory) is a finding too, and the
// worker is restarted after it. Each finding is saved raw under --out, and minimized as a
// regression input in tests/fuzz/regressions/ (replayed by the unit tests). Exit status 1
// when there were findings.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { decoderCase, newTally, runExec, runWatgen, summary, textCase, type Tally } from '../tests/fuzz/campaign.ts';
import { corpus } from '../tests/fuzz/corpus.ts';
import { binaryenSeed, EXEC_FEATURES, generate } from '../tests/fuzz/differential.ts';
import { findingName, saveFinding, type Finding, type FuzzKind } from '../tests/fuzz/findings.ts';
import { checkBinary, checkText, timed } from '../tests/fuzz/oracles.ts';
import type { ChunkMessage, WorkerInput } from '../tests/fuzz/worker.ts';
import { checkWatgen, loadWabt, watgenCase } from '../tests/fuzz/watgen.ts';
import { ALL_FEATURES, runValidate3, validate3Case, validate3Module, validate3Problems } from '../tests/fuzz/validate3.ts';
import { BINARYEN_FEATURES, type BinaryenFeature } from '../tests/support/fuzz.ts';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '5' },
    seed: { type: 'string' },
    kinds: { type: 'string', default: 'decoder,text,exec,watgen,validate3' },
    features: { type: 'string', default: ALL_FEATURES.join(',') },
    out: { type: 'string', default: '.out/fuzz-findings' },
    only: { type: 'string' },
    'heap-mb': { type: 'string', default: '1024' },
  },
});

const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 1_000_000);
const out = path.resolve(values.out);
const KINDS = ['decoder', 'text', 'exec', 'watgen', 'validate3'] as const;
const features = values.features.split(',').filter(Boolean) as BinaryenFeature[];
for (const f of features) if (!(f in BINARYEN_FEATURES)) throw new Error(`--features: unknown feature ${f}; known: ${ALL_FEATURES.join(', ')}`);
type Kind = (typeof KINDS)[number];
/** Silence after which a case counts as hung: a decoder or text case is bounded far below this. */
const HANG_MS: Record<FuzzKind, number> = { decoder: 30_000, text: 30_000, exec: 180_000, 'v8-validate': 120_000, watgen: 30_000, 'v8-validate-3': 180_000 };
const KIND_CODES: readonly FuzzKind[] = ['decoder', 'text', 'exec', 'v8-validate', 'watgen', 'v8-validate-3'];

if (values.only !== undefined) {
  const [kind, index] = values.only.split(':') as [Kind, string];
  const i = Number(index);
  if (kind === 'decoder') {
    const bytes = decoderCase(seed, i);
    console.log(`decoder seed ${seed} case ${i}: ${bytes.length} bytes`, timed(checkBinary, bytes));
  } else if (kind === 'text') {
    const src = textCase(seed, i);
    console.log(`text seed ${seed} case ${i}: ${src.length} characters`, timed(checkText, src));
    if (src.length < 2000) console.log(src);
  } else if (kind === 'exec') {
    const t = newTally();
    runExec(seed, i, 1, t);
    console.log(summary('exec', t));
    for (const f of t.findings) console.log(f.problem);
  } else if (kind === 'watgen') {
    const src = watgenCase(seed, i);
    const wabt = await loadWabt();
    console.log(`watgen seed ${seed} case ${i}: ${src.length} characters`, checkWatgen(wabt, src));
    const t = newTally();
    runWatgen(wabt, seed, i, 1, t);
    for (const f of t.findings) console.log(`minimized:\n${String(f.minimized)}`);
    if (t.findings.length === 0) console.log(src);
  } else if (kind === 'validate3') {
    const t = newTally();
    runValidate3(seed, i, 1, t, features);
    console.log(summary('validate3', t));
    for (const f of t.findings) console.log(f.problem);
  } else throw new Error(`--only takes decoder:N, text:N, exec:N, watgen:N or validate3:N, not ${values.only}`);
  process.exit(0);
}

const kinds = values.kinds.split(',').filter((k): k is Kind => (KINDS as readonly string[]).includes(k));
const deadline = Date.now() + Number(values.minutes) * 60_000;
const tallies = new Map<string, Tally>();
const findings: Finding[] = [];
const next: Partial<Record<Kind, number>> = Object.fromEntries(kinds.map((k) => [k, 0]));

function record(f: Finding): void {
  findings.push(f);
  const [raw, reg] = saveFinding(f, out);
  console.log(`FINDING ${findingName(f)}: ${f.problem}\n  input: ${raw}\n  regression: ${reg}`);
}

function merge(name: string, t: Tally): void {
  const into = tallies.get(name) ?? newTally();
  into.cases += t.cases;
  for (const [k, n] of Object.entries(t.verdicts)) into.verdicts[k] = (into.verdicts[k] ?? 0) + n;
  tallies.set(name, into);
  for (const f of t.findings) {
    into.findings.push(f);
    record(f);
  }
}

/** The input of a case that hung or crashed the worker, regenerated here. */
function lostCase(kind: FuzzKind, index: number, problem: string): Finding {
  if (kind === 'decoder' || kind === 'v8-validate') return { kind, seed, index, problem, input: decoderCase(seed, index) };
  if (kind === 'text') return { kind, seed, index, problem, input: textCase(seed, index) };
  if (kind === 'watgen') return { kind, seed, index, problem, input: watgenCase(seed, index) };
  const b = binaryenSeed(seed, index);
  if (kind === 'v8-validate-3') {
    // The first of the case's modules V8 and we disagree on (or its generated module).
    const generated = validate3Module(seed, index, features);
    const modules = generated === undefined ? [] : validate3Case(seed, index, generated);
    const bad = modules.length === 0 ? undefined : [...validate3Problems(modules).keys()][0];
    return { kind, seed, index, problem, input: bad === undefined ? (generated ?? new Uint8Array(0)) : modules[bad]! };
  }
  return { kind, seed, index, problem, input: generate(b, 1, EXEC_FEATURES).get(b) ?? new Uint8Array(0) };
}

/** Runs workers until the deadline, restarting after a case that hangs or kills one. */
async function campaign(): Promise<void> {
  while (Date.now() < deadline) {
    const heartbeat = new SharedArrayBuffer(12);
    const beat = new Int32Array(heartbeat);
    const input: WorkerInput = { seed, next, deadline, heartbeat, features };
    const worker = new Worker(new URL('../tests/fuzz/worker.ts', import.meta.url), {
      workerData: input,
      resourceLimits: { maxOldGenerationSizeMb: Number(values['heap-mb']) },
    });
    worker.on('message', (m: ChunkMessage) => {
      next[m.kind] = m.next;
      for (const [name, t] of m.tallies) merge(name, t);
    });
    const lost = await new Promise<{ kind: FuzzKind; index: number; problem: string } | undefined>((resolve) => {
      let last = -1;
      let since = Date.now();
      const current = () => ({ kind: KIND_CODES[Atomics.load(beat, 0)]!, index: Atomics.load(beat, 1) });
      const timer = setInterval(() => {
        const counter = Atomics.load(beat, 2);
        if (counter !== last) {
          last = counter;
          since = Date.now();
          return;
        }
        const { kind, index } = current();
        if (counter > 0 && Date.now() - since > HANG_MS[kind]) {
          clearInterval(timer);
          void worker.terminate();
          resolve({ kind, index, problem: `no answer after ${HANG_MS[kind] / 1000} s (hang)` });
        }
      }, 1000);
      worker.on('error', (e) => {
        clearInterval(timer);
        const { kind, index } = current();
        resolve({ kind, index, problem: `worker died: ${e.message}` });
      });
      worker.on('exit', () => {
        clearInterval(timer);
        resolve(undefined);
      });
    });
    if (lost === undefined) break;
    record(lostCase(lost.kind, lost.index, lost.problem));
    // A V8 batch or its minimization belongs to the decoder cases: they resume after it.
    next[lost.kind === 'v8-validate' ? 'decoder' : lost.kind === 'v8-validate-3' ? 'validate3' : lost.kind] = lost.index + 1;
  }
}

console.log(`fuzzing for ${values.minutes} min with seed ${seed} (${kinds.join(', ')}${kinds.includes('validate3') ? `; validate3 features: ${features.join(', ')}` : ''}); findings go to ${out}`);
for (const n of corpus().notes) console.log(`corpus: ${n}`);
await campaign();
let total = 0;
for (const [name, t] of tallies) {
  console.log(summary(name, t));
  if (name !== 'v8-validate') total += t.cases;
}
console.log(`${total} cases in all, ${findings.length} findings (seed ${seed})`);
mkdirSync(out, { recursive: true });
writeFileSync(path.join(out, `last-run.json`), JSON.stringify({ seed, minutes: Number(values.minutes), cases: Object.fromEntries([...tallies].map(([k, t]) => [k, t.cases])), findings: findings.map(findingName) }, null, 2));
process.exit(findings.length > 0 ? 1 : 0);
