// The stepper benchmark: Step command to finished render in Chromium with 30 frames on the
// stack (target < 16 ms). Needs a built site in dist/ (`npm run build`), or the directory
// named by WASMSTEP_DIST, and Chromium; otherwise it is skipped with a message.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serve } from '../bin/serve.ts';
import { launchBrowser } from '../tests/e2e/browser.ts';
import { median, row } from './lib/stats.ts';

export async function benchStepper(root: string, results: Record<string, unknown>): Promise<void> {
  const dist = join(root, process.env.WASMSTEP_DIST ?? 'dist');
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
}
