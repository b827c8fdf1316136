// `npm run bench [-- section… --reps N]`: speed measurements as medians and ratios, never
// pass/fail tests — except that every engine must compute the same checksum for each
// kernel (a wrong answer fails the run). Machines are shared and noisy: compare ratios
// measured in one run. Sections (all by default):
//   kernels     run mode on bench/wasm/*.wasm: ours vs wabt's wasm-interp (native and npm) vs V8 (kernels.ts)
//   decode      validate three large real modules: validateBinary vs V8 and wabt; AST decode + validate (decode.ts)
//   text        parse + encode a large .wat (text.ts)
//   timetravel  a 10M-step traced run: memory kept, back one step (memory.ts)
//   stepper     step-to-render in Chromium (stepper.ts; needs a built site)
// Results are printed and written to bench/results.json. See docs/PERFORMANCE.md.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { benchDecode, type BinaryTiming, type TargetCheck, type Timing, V8_TARGET } from './decode.ts';
import { benchKernels, type KernelResult } from './kernels.ts';
import { heading, ms, ratio, row, table } from './lib/stats.ts';
import { benchTimeTravel } from './memory.ts';
import { benchStepper } from './stepper.ts';
import type { WabtTextRun } from './peers/wabt-npm-text.ts';
import { benchText } from './text.ts';

const root = join(import.meta.dirname, '..');
const SECTIONS = ['kernels', 'decode', 'text', 'timetravel', 'stepper'] as const;
type Section = (typeof SECTIONS)[number];

const args = process.argv.slice(2);
let reps = 5;
const chosen: Section[] = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === '--reps') reps = Math.max(1, Number(args[++i]));
  else if ((SECTIONS as readonly string[]).includes(a)) chosen.push(a as Section);
  else {
    console.error(`unknown argument ${a}; sections: ${SECTIONS.join(' ')}; options: --reps N`);
    process.exit(2);
  }
}
const run = new Set<Section>(chosen.length > 0 ? chosen : SECTIONS);

const results: Record<string, unknown> = {
  date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, reps,
};
let failed = false;
const perSecond = (instructions: number, t: number) => `${(instructions / t / 1000).toFixed(0)} M/s`;

if (run.has('kernels')) {
  heading(`Run mode: median CPU time of ${reps}; instructions counted by our machine (docs/PERFORMANCE.md)`);
  const { kernels, wabtVersion, wabtClock } = benchKernels(root, reps);
  const peerMs = (p: KernelResult['wabt']) => ('ms' in p ? p.ms : undefined);
  table(
    ['kernel', 'instructions', 'ours', 'ours instr/s', 'wabt', 'wabt instr/s', 'wabt npm', 'V8', 'ours / wabt', 'ours / wabt npm', 'ours / V8', 'checksums'],
    kernels.map((k) => {
      const w = peerMs(k.wabt);
      const wn = peerMs(k.wabtNpm);
      return [
        k.name, `${(k.instructions / 1e6).toFixed(1)} M`, ms(k.oursMs), perSecond(k.instructions, k.oursMs),
        w !== undefined ? ms(w) : '—', w !== undefined ? perSecond(k.instructions, w) : '—', wn !== undefined ? ms(wn) : '—', ms(k.v8Ms),
        w !== undefined ? ratio(k.oursMs, w) : '—', wn !== undefined ? ratio(k.oursMs, wn) : '—', ratio(k.oursMs, k.v8Ms),
        k.agree ? 'agree' : `DIFFER: ${k.mismatch}`,
      ];
    }),
  );
  for (const [label, p] of [['wabt', kernels[0]?.wabt], ['wabt npm', kernels[0]?.wabtNpm]] as const) {
    if (p !== undefined && 'skipped' in p) console.log(`${label} skipped: ${p.skipped}`);
  }
  console.log(`wabt = native wasm-interp ${wabtVersion ?? ''}; wabt npm = the wabt package's wasm-interp (wasm, run by Node).`);
  console.log('ours / X is a time ratio: above 1 means ours is slower.');
  if (wabtClock === 'wall') console.log('wabt times are wall-clock (perf stat unavailable): compare on an idle machine.');
  if (kernels.some((k) => !k.agree)) failed = true;
  results.kernels = { wabtVersion, wabtClock, kernels };
}

if (run.has('decode')) {
  const astReps = Math.min(reps, 3);
  const rows = await benchDecode(root, reps, astReps);
  const show = (t: Timing) => ('ms' in t ? ms(t.ms) : `error: ${t.error}`);
  const name = (m: string) => m.replace(/^node_modules\//, '');
  const shown = (c: TargetCheck) => (c.ratio !== undefined ? ratio(c.ratio, 1) : '—');
  // The reason a target is not comparable is printed under the table, once per module.
  const verdict = (c: TargetCheck) => (c.verdict.startsWith('not comparable') ? 'not comparable' : c.verdict);
  heading(`Validate real modules (WebAssembly.validate): median CPU time of ${reps} after a warm-up`);
  table(
    ['module', 'MB', 'ours validateBinary', 'decided by', 'instructions', 'V8 validate', 'wabt read+validate',
      'ours / V8', `≤ ${V8_TARGET}× V8`, 'ours / wabt', 'faster than wabt'],
    rows.map((r) => {
      const b = r.oursValidateBinary;
      return [
        name(r.module), (r.bytes / 1e6).toFixed(1), 'rejected' in b ? `${ms(b.ms)} (rejects)` : ms(b.ms),
        'rejected' in b ? '—' : b.decidedBy, 'rejected' in b || b.decidedBy !== 'bytes' ? '—' : `${(b.instructions / 1e6).toFixed(1)} M`,
        show(r.v8Validate), show(r.wabtReadValidate), shown(r.vsV8), verdict(r.vsV8), shown(r.vsWabt), verdict(r.vsWabt),
      ];
    }),
  );
  for (const r of rows) {
    const b = r.oursValidateBinary;
    const why = [...new Set([r.vsV8.verdict, r.vsWabt.verdict].filter((v) => v.startsWith('not comparable')))];
    if (why.length > 0) console.log(`${name(r.module)}: targets ${why.join('; ')}`);
    if ('rejected' in b) console.log(`${name(r.module)}: ours rejects it in ${ms(b.ms)}: ${b.rejected}`);
  }
  console.log(`validateBinary's first call on each module, the warm-up (on the first module, also while its JavaScript is compiled): ${rows.map((r) => `${name(r.module)} ${ms(r.oursValidateBinary.firstMs)}`).join(', ')}.`);
  console.log('validateBinary decodes the module shell and checks bodies and data segments in place ("bytes");');
  console.log('a module it is unsure of goes to decodeModule + validateModule ("reference"), whose verdict it returns.');
  heading(`Compile (new WebAssembly.Module): our AST decode + validate, median CPU time of ${astReps} after a warm-up`);
  // The AST validator's error is the one validateBinary reported (it is its fallback).
  const showAst = (t: Timing, b: BinaryTiming) => ('error' in t && 'rejected' in b && b.rejected === t.error ? 'rejects, as above' : show(t));
  table(
    ['module', 'ours decode', 'ours validate', 'decode + validate', '/ V8 validate', '/ ours validateBinary'],
    rows.map((r) => {
      const ast = 'ms' in r.oursDecode && 'ms' in r.oursValidate ? r.oursDecode.ms + r.oursValidate.ms : undefined;
      const b = r.oursValidateBinary;
      return [
        name(r.module), show(r.oursDecode), showAst(r.oursValidate, b), ast !== undefined ? ms(ast) : '—',
        ast !== undefined && 'ms' in r.v8Validate ? ratio(ast, r.v8Validate.ms) : '—',
        ast !== undefined && !('rejected' in b) ? ratio(ast, b.ms) : '—',
      ];
    }),
  );
  results.decode = rows;
}

if (run.has('text')) {
  heading(`Text: parse + encode, median of ${reps} (wabt npm: one run)`);
  const r = benchText(root, reps);
  const show = (w: WabtTextRun) => ('ms' in w ? ms(w.ms) : `error: ${w.error}`);
  row(`${r.source.replace(/^node_modules\//, '')} printed`, `${(r.textBytes / 1e6).toFixed(1)} MB`, `${r.lines} lines, printModule ${ms(r.printMs)}`);
  row('  ours: parseWat + encodeModule', ms(r.oursMs), `${r.oursBinaryBytes} bytes`);
  row(`  wabt native: wat2wasm (process, ${'clock' in r.wabtNative ? r.wabtNative.clock : 'wall'})`, show(r.wabtNative), 'bytes' in r.wabtNative ? `${r.wabtNative.bytes} bytes; ours / wabt = ${ratio(r.oursMs, r.wabtNative.ms)}` : '');
  row('  wabt npm: parseWat + resolveNames + toBinary', show(r.wabtNpm), 'bytes' in r.wabtNpm ? `${r.wabtNpm.bytes} bytes; ours / wabt npm = ${ratio(r.oursMs, r.wabtNpm.ms)}` : '');
  results.text = r;
}

if (run.has('timetravel')) {
  heading('Time travel at scale');
  const r = benchTimeTravel();
  row(`traced run of ${r.steps} steps`, ms(r.runMs), `${r.checkpoints} checkpoints`);
  row('  memory kept: heap + array buffers', `${(r.heapMB + r.arrayBuffersMB).toFixed(1)} MB`, `heap ${r.heapMB.toFixed(1)} MB, buffers ${r.arrayBuffersMB.toFixed(1)} MB; target < 200 MB`);
  row('  back one step, median of 11', ms(r.backMedianMs), 'target < 50 ms');
  row('  … and its snapshot', ms(r.backWithSnapshotMedianMs));
  results.timeTravel = r;
}

if (run.has('stepper')) {
  heading('Stepper');
  await benchStepper(root, results);
}

// A run of some sections updates those sections of the last results and keeps the others.
const resultsPath = join(root, 'bench', 'results.json');
const previous = chosen.length > 0 && existsSync(resultsPath) ? (JSON.parse(readFileSync(resultsPath, 'utf8')) as Record<string, unknown>) : {};
// When each section was last measured, and with how many repetitions: the top-level date
// and reps describe only the latest run, which may have left other sections as they were.
const measured: Record<string, unknown> = { ...((previous.measured as Record<string, unknown> | undefined) ?? {}) };
for (const section of run) measured[section] = { date: results.date, reps };
writeFileSync(resultsPath, `${JSON.stringify({ ...previous, ...results, measured }, null, 2)}\n`);
console.log('\nwrote bench/results.json');
if (failed) {
  console.error('FAILED: the engines disagree on a checksum');
  process.exitCode = 1;
}
