// `npm run bench`: speed measurements, as medians and ratios, never as pass/fail tests.
// Machines are shared and noisy; compare ratios measured in the same process.
//   1. run mode: recursive fib on our interpreter vs the host's own WebAssembly (V8)
//   2. time travel: going back one step after a 10-million-step run (target < 50 ms)
//   3. stepper: Step command to finished render in Chromium with 30 frames on the stack
//      (target < 16 ms); needs a built site in dist/ (`npm run build`) and Chromium.
// Results are printed and written to bench/results.json.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeModule } from '../engine/binary/encode.ts';
import { instantiate } from '../engine/exec/instantiate.ts';
import { invoke } from '../engine/exec/invoke.ts';
import { parseWat } from '../engine/text/parser.ts';
import { Session } from '../engine/trace/session.ts';
import { serve } from '../bin/serve.ts';
import { launchBrowser } from '../tests/e2e/browser.ts';

const root = join(import.meta.dirname, '..');
const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version };

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

function row(name: string, value: string, note = ''): void {
  console.log(`${name.padEnd(46)} ${value.padStart(14)}  ${note}`);
}

// --- 1. Run mode -------------------------------------------------------------
const FIB = `(module (func $fib (export "fib") (param $n i32) (result i32)
  (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
    (then (local.get $n))
    (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                   (call $fib (i32.sub (local.get $n) (i32.const 2))))))))`;
{
  const module = parseWat(FIB);
  const bytes = encodeModule(module);
  const ours = instantiate(module);
  const v8 = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>)).exports.fib as (n: number) => number;
  // Instructions executed by fib(n): counted once with a session-free machine run.
  const session = new Session(instantiate(parseWat(FIB)), 'fib', [20]);
  session.continue();
  const stepsFib20 = session.stepIndex;
  const n = 27;
  const ratio = (1.618033988749895 ** (n - 20)); // fib's call tree grows by φ per level
  const ourTimes: number[] = [];
  const v8Times: number[] = [];
  for (let i = 0; i < 7; i++) {
    let t = performance.now();
    invoke(ours, 'fib', [n]);
    ourTimes.push(performance.now() - t);
    t = performance.now();
    v8(n);
    v8Times.push(performance.now() - t);
  }
  const instructions = stepsFib20 * ratio;
  const perSecond = instructions / (median(ourTimes) / 1000);
  row(`run mode: fib(${n}), median of 7`, `${median(ourTimes).toFixed(1)} ms`, `≈ ${(perSecond / 1e6).toFixed(0)} M instructions/s`);
  row(`  V8 on the same module`, `${median(v8Times).toFixed(2)} ms`, `ours / V8 = ${(median(ourTimes) / median(v8Times)).toFixed(0)}×`);
  results.runMode = { fibN: n, oursMs: median(ourTimes), v8Ms: median(v8Times), approxInstructionsPerSecond: Math.round(perSecond) };
}

// --- 2. Time travel ------------------------------------------------------------
const LOOP = `(module (memory 4)
  (global $g (mut i32) (i32.const 0))
  (func $f (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))
  (func (export "loop") (param $n i32) (result i32) (local $i i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (call $f (local.get $i))))
      (i32.store (i32.and (i32.shl (local.get $i) (i32.const 2)) (i32.const 0x3ffff)) (local.get $s))
      (global.set $g (local.get $i))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $s)))`;
{
  const session = new Session(instantiate(parseWat(LOOP)), 'loop', [400_000]);
  let t = performance.now();
  session.continue();
  const runMs = performance.now() - t;
  const backs: number[] = [];
  const withSnapshot: number[] = [];
  for (let k = 0; k < 11; k++) {
    t = performance.now();
    session.back(1);
    const back = performance.now() - t;
    session.snapshot();
    backs.push(back);
    withSnapshot.push(performance.now() - t);
  }
  row(`time travel: traced run of ${session.stepIndex + 11} steps`, `${runMs.toFixed(0)} ms`);
  row('  back one step after 10M steps, median of 11', `${median(backs).toFixed(2)} ms`, 'target < 50 ms');
  row('  … and its snapshot', `${median(withSnapshot).toFixed(2)} ms`);
  results.timeTravel = { steps: session.stepIndex + 11, runMs, backMedianMs: median(backs), backWithSnapshotMedianMs: median(withSnapshot) };
}

// --- 3. Stepper: step command to finished render -----------------------------------
const dist = join(root, 'dist');
const browser = existsSync(join(dist, 'index.html')) ? await launchBrowser() : undefined;
if (!browser) {
  row('stepper: step to render', 'skipped', existsSync(dist) ? 'no Chromium found' : 'no dist/: run npm run build first');
} else {
  const site = await serve({ dir: dist });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${site.url}lessons/01-start/03-stepper/`, { waitUntil: 'networkidle' });
    const fig = page.locator('figure.stepper', { has: page.locator('.title', { hasText: 'fib' }) }).first();
    await fig.scrollIntoViewIfNeeded();
    await fig.locator('.v-stack').waitFor({ timeout: 15_000 });
    await fig.locator('form.call input').first().fill('30');
    await fig.locator('form.call').getByRole('button', { name: 'Call', exact: true }).click();
    const frames = fig.getByText(/\d+ frames?, newest on top/);
    for (let i = 0; i < 600; i++) {
      const depth = Number(/(\d+) frame/.exec((await frames.textContent()) ?? '')?.[1] ?? 0);
      if (depth >= 30) break;
      await fig.getByRole('button', { name: 'Step into', exact: true }).click();
    }
    const times = await page.evaluate(async () => {
      const figure = [...document.querySelectorAll('figure.stepper')].find((f) => /fib/.test(f.querySelector('.title')?.textContent ?? ''))!;
      const byName = (name: string) => figure.querySelector(`button[aria-label="${name}"]`) as HTMLButtonElement;
      const counter = figure.querySelector('.timeline .num')!;
      // Svelte applies state and runs the D3 renderers in microtasks after the click; a
      // macrotask boundary means all of that has finished (paint itself is not included).
      const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
      const out: number[] = [];
      for (let i = 0; i < 40; i++) {
        const before = counter.textContent;
        performance.mark('step-start');
        byName(i % 2 === 0 ? 'Step into' : 'Step back').click();
        while (counter.textContent === before) await tick();
        performance.mark('step-rendered');
        out.push(performance.measure('step-to-render', 'step-start', 'step-rendered').duration);
      }
      return out;
    });
    const depth = (await frames.textContent()) ?? '';
    row(`stepper: step/back to render (${depth.split(',')[0]})`, `${median(times).toFixed(1)} ms`, 'median of 40, DOM updated (paint excluded), target < 16 ms');
    results.stepper = { stepToRenderMedianMs: median(times), samples: times.length, frames: depth };
  } finally {
    await browser.close();
    await site.close();
  }
}

writeFileSync(join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log('\nwrote bench/results.json');
