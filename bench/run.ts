// `npm run bench [-- section… --reps N]`: speed measurements as medians and ratios, never
// pass/fail tests — except that every engine must compute the same checksum for each
// kernel (a wrong answer fails the run). Machines are shared and noisy: compare ratios
// measured in one run. Sections (all by default):
//   kernels     run mode on bench/wasm/*.wasm: ours vs wabt's wasm-interp (native and npm) vs V8 (kernels.ts)
//   decode      decode + validate three large real modules (decode.ts)
//   text        parse + encode a large .wat (text.ts)
//   timetravel  a 10M-step traced run: memory kept, back one step (memory.ts)
//   stepper     step-to-render in Chromium (stepper.ts; needs a built site)
// Results are printed and written to bench/results.json. See docs/PERFORMANCE.md.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { benchDecode, type Timing } from './decode.ts';
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
  const decodeReps = Math.min(reps, 3);
  heading(`Decode + validate real modules: median of ${decodeReps}`);
  const show = (t: Timing) => ('ms' in t ? ms(t.ms) : `error: ${t.error}`);
  const rows = await benchDecode(root, decodeReps);
  table(
    ['module', 'MB', 'ours decode', 'ours validate', 'V8 validate', 'wabt read+validate', 'ours / V8', 'ours / wabt'],
    rows.map((r) => {
      const ours = 'ms' in r.oursDecode && 'ms' in r.oursValidate ? r.oursDecode.ms + r.oursValidate.ms : undefined;
      return [
        r.module.replace(/^node_modules\//, ''), (r.bytes / 1e6).toFixed(1), show(r.oursDecode), show(r.oursValidate),
        show(r.v8Validate), show(r.wabtReadValidate),
        ours !== undefined && 'ms' in r.v8Validate ? ratio(ours, r.v8Validate.ms) : '—',
        ours !== undefined && 'ms' in r.wabtReadValidate ? ratio(ours, r.wabtReadValidate.ms) : '—',
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
writeFileSync(resultsPath, `${JSON.stringify({ ...previous, ...results }, null, 2)}\n`);
console.log('\nwrote bench/results.json');
if (failed) {
  console.error('FAILED: the engines disagree on a checksum');
  process.exitCode = 1;
}
