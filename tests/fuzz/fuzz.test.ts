// A fixed-seed slice of `npm run fuzz` (bin/fuzz.ts): 2,000 decoder inputs (their
// verdicts also compared with V8's WebAssembly.validate, with validateBinary's, which
// must match decode + validate exactly, and with decodeOutline's, which must reject what
// decodeModule rejects with the same error), 500 text inputs, 100 binaryen
// modules run on our engine and on V8, 300 generated text modules encoded by us and by
// wabt's wat2wasm to the same bytes, and 60 binaryen modules with 3.0 features (each
// feature alone, then all; with 3 byte mutants of each module) validated by validateBinary
// and V8 alike, with zero findings. The seeds never change, so a
// failure here reproduces with `npm run fuzz -- --seed <seed> --only <kind>:<case>`.
import { afterAll, describe, expect, it } from 'vitest';
import { corpus } from './corpus.ts';
import { newTally, runDecoder, runExec, runText, runWatgen, summary, type Tally } from './campaign.ts';
import { loadWabt } from './watgen.ts';
import { ALL_FEATURES, runValidate3 } from './validate3.ts';
import type { Finding } from './findings.ts';

const SEED = 20251125;
const DECODER = Number(process.env.FUZZ_DECODER ?? 2000);
const TEXT = Number(process.env.FUZZ_TEXT ?? 500);
const EXEC = Number(process.env.FUZZ_EXEC ?? 100);
const WATGEN = Number(process.env.FUZZ_WATGEN ?? 300);
const VALIDATE3 = Number(process.env.FUZZ_VALIDATE3 ?? 60);

const show = (f: Finding): string =>
  `${f.kind} case ${f.index}: ${f.problem}\n  reproduce: npm run fuzz -- --seed ${f.seed} --only ${f.kind === 'v8-validate' ? 'decoder' : f.kind === 'v8-validate-3' ? 'validate3' : f.kind}:${f.index}`;

describe(`fuzzing slice (seed ${SEED})`, () => {
  const tallies: [string, Tally][] = [];
  afterAll(() => {
    for (const n of corpus().notes) console.log(`fuzz corpus: ${n}`);
    for (const [name, t] of tallies) console.log(summary(name, t));
  });

  it(`${DECODER} decoder inputs end in a typed error or a valid module, and V8 agrees on each`, { timeout: 240_000 }, () => {
    const t = newTally();
    const v8 = newTally();
    tallies.push(['decoder', t], ['validator vs V8', v8]);
    runDecoder(SEED, 0, DECODER, t, v8);
    expect(t.cases).toBe(DECODER);
    expect(v8.cases).toBe(DECODER);
    expect([...t.findings, ...v8.findings].map(show)).toEqual([]);
    // The mix reaches all three outcomes, not only early rejections.
    expect(t.verdicts.valid ?? 0).toBeGreaterThan(DECODER / 50);
    expect(t.verdicts.invalid ?? 0).toBeGreaterThan(DECODER / 200);
  });

  it(`${TEXT} text inputs end in a located error or a valid module`, { timeout: 120_000 }, () => {
    const t = newTally();
    tallies.push(['text', t]);
    runText(SEED, 0, TEXT, t);
    expect(t.cases).toBe(TEXT);
    expect(t.findings.map(show)).toEqual([]);
    expect(t.verdicts.valid ?? 0).toBeGreaterThan(0);
  });

  it(`${EXEC} binaryen modules behave the same on our engine and on V8`, { timeout: 300_000 }, () => {
    const t = newTally();
    tallies.push(['exec vs V8', t]);
    runExec(SEED, 0, EXEC, t);
    expect(t.cases).toBe(EXEC);
    expect(t.findings.map(show)).toEqual([]);
    expect(t.verdicts.agree ?? 0).toBeGreaterThan(EXEC / 2);
  });

  it(`${WATGEN} generated text modules encode to wabt's bytes, up to the documented rewrites`, { timeout: 120_000 }, async () => {
    const t = newTally();
    tallies.push(['wat2wasm vs wabt', t]);
    runWatgen(await loadWabt(), SEED, 0, WATGEN, t);
    expect(t.cases).toBe(WATGEN);
    expect(t.findings.map(show)).toEqual([]);
    // Most modules need no rewrite at all: the allow-list explains the exceptions only.
    expect(t.verdicts.identical ?? 0).toBeGreaterThan(WATGEN / 2);
  });

  it(`${VALIDATE3} binaryen modules with 3.0 features, and their mutants, get V8's verdict from validateBinary`, { timeout: 300_000 }, () => {
    const t = newTally();
    tallies.push(['3.0 validation vs V8', t]);
    // Each feature alone, then all together, ten cases each (caseFeatures).
    runValidate3(SEED, 0, VALIDATE3, t, ALL_FEATURES);
    expect(t.cases).toBe(VALIDATE3);
    expect(t.findings.map(show)).toEqual([]);
    // Not vacuous: many modules are decided in place (tail calls, memory indices; exnref,
    // which binaryen's exception handling uses, and 64-bit memories go to the reference),
    // and many mutants are rejected.
    expect(t.verdicts['valid (bytes)'] ?? 0).toBeGreaterThan(VALIDATE3 / 4);
    expect(t.verdicts.invalid ?? 0).toBeGreaterThan(VALIDATE3 / 4);
  });
});
