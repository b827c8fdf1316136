// The live figures of "Python in the browser" and "Older browsers" in headless Chromium,
// served by bin/serve.ts with the site's Content-Security-Policy, in both builds:
// the Python cell requests nothing under vendor/pyodide/ until its button is pressed,
// then loads the self-hosted Pyodide in a worker — the page showing the bytes arrive and
// never blocked for more than 200 ms — and shows what print() wrote, and errors as text
// with tracebacks trimmed to the cell's own frames; its labelled progress bar passes axe;
// Stop ends a loop that never returns;
// the wasm2js figure runs the .wasm and its JavaScript translation side by side.
import { expect, it } from 'vitest';
import { axe, describeBrowser, figure, open, useBrowserSite } from './harness.ts';
import { SITES } from './sites.ts';

const PYODIDE = 'lessons/10-python/02-pyodide/';
const WASM2JS = 'lessons/11-wasm2js/01-wasm2js/';

describeBrowser.each(SITES)('Python and wasm2js figures on the $name site (base $base)', (site) => {
  const s = useBrowserSite(site, { context: { viewport: { width: 1280, height: 900 } } });

  it('loads Pyodide from this site only when asked, then runs print() and shows errors as text', async () => {
    const { page, problems, requests } = await open(s.context, s.url + PYODIDE, { csp: true });
    const fig = await figure(page, 'figure.python-cell');
    const button = fig.getByRole('button', { name: /^Load Python \(about \d+ MB\) and run$/ });
    await expect.poll(() => button.isEnabled(), { timeout: 15_000 }).toBe(true);
    expect(requests.filter((url) => url.includes('vendor/pyodide/'))).toEqual([]);

    await fig.getByLabel('Python code').fill('print(sum(range(10)))');
    await button.click();
    const output = fig.locator('[data-python-output]');
    await expect.poll(() => output.textContent(), { timeout: 90_000, interval: 500 }).toBe('45\n');
    // Everything came from this site's own copy, under its base path; nothing from a CDN.
    const origin = new URL(s.url).origin;
    expect(requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:'))).toEqual([]);
    const fetched = requests.filter((url) => url.startsWith(`${s.url}vendor/pyodide/`));
    for (const name of ['pyodide.mjs', 'pyodide.asm.mjs', 'pyodide.asm.wasm', 'python_stdlib.zip']) {
      expect(fetched.some((url) => url.endsWith(`/${name}`)), name).toBe(true);
    }

    // The same interpreter again: an error comes back as its traceback, as text.
    const run = fig.getByRole('button', { name: 'Run', exact: true });
    await fig.getByLabel('Python code').fill('x = "<b>not bold</b>"\nprint(x)\n1 / 0');
    await run.click();
    await expect.poll(() => output.textContent(), { timeout: 30_000 }).toContain('ZeroDivisionError');
    expect(await output.textContent()).toContain('<b>not bold</b>');
    expect(await output.locator('b').count()).toBe(0);
    // The traceback is the learner's: Pyodide's own frames (its _pyodide package) are gone.
    expect(await output.textContent()).toBe(
      ['<b>not bold</b>', 'Traceback (most recent call last):', '  File "cell.py", line 3, in <module>', '    1 / 0', '    ~~^~~', 'ZeroDivisionError: division by zero', ''].join('\n'),
    );
    await fig.getByLabel('Python code').fill('def half(n):\n    return n / 0\n\nhalf(3)');
    await run.click();
    await expect.poll(() => output.textContent(), { timeout: 30_000 }).toContain('ZeroDivisionError');
    const traceback = (await output.textContent()) ?? '';
    expect(traceback).not.toContain('_pyodide');
    expect(traceback.split('\n').filter((line) => line.startsWith('  File '))).toEqual(['  File "cell.py", line 4, in <module>', '  File "cell.py", line 2, in half']);

    // sys.exit() is an error like the others, and the interpreter stays: the next run reuses it.
    await fig.getByLabel('Python code').fill('import sys\nprint("bye")\nsys.exit(3)');
    await run.click();
    await expect.poll(() => output.textContent(), { timeout: 30_000 }).toContain('SystemExit: 3');
    await fig.getByLabel('Python code').fill('print(2 + 2)');
    await run.click();
    await expect.poll(() => output.textContent(), { timeout: 30_000 }).toBe('4\n');
    expect(requests.filter((url) => url.endsWith('/pyodide.asm.wasm'))).toHaveLength(1);
    expect(problems).toEqual([]);
    await page.close();
  }, 150_000);

  it('keeps the page responsive while Python downloads, starts and runs: no task over 200 ms after the click', async () => {
    // A context of its own, so the long-task observer is in place before the page's first script.
    const context = await s.browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(() => {
      const w = window as unknown as { __longTasks: { start: number; duration: number }[] };
      w.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
    const { page, problems } = await open(context, s.url + PYODIDE);
    const fig = await figure(page, 'figure.python-cell');
    const button = fig.getByRole('button', { name: /^Load Python \(about \d+ MB\) and run$/ });
    await expect.poll(() => button.isEnabled(), { timeout: 15_000 }).toBe(true);
    await fig.getByLabel('Python code').fill('print(sum(range(10)))');
    // What the cell shows while it loads: each new value of the progress bar, and its label.
    await page.evaluate(() => {
      const w = window as unknown as { __progress: string[] };
      w.__progress = [];
      const cell = document.querySelector('figure.python-cell')!;
      const note = () => {
        const bar = cell.querySelector('progress');
        const seen = bar ? `${bar.getAttribute('aria-label')} ${bar.getAttribute('value') ?? '-'}/${bar.getAttribute('max') ?? '-'}` : '';
        if (seen && w.__progress.at(-1) !== seen) w.__progress.push(seen);
      };
      new MutationObserver(note).observe(cell, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    // The page's own load may have had long tasks; only what follows the click counts.
    const clickedAt = await page.evaluate(() => performance.now());
    await button.click();
    const bar = fig.getByRole('progressbar', { name: /^(Downloading|Starting) Python$/ });
    await bar.waitFor({ timeout: 10_000 });
    const output = fig.locator('[data-python-output]');
    await expect.poll(() => output.textContent(), { timeout: 90_000, interval: 500 }).toBe('45\n');
    expect(await bar.count()).toBe(0);

    // A long task is reported once it has ended: give the last one a moment to arrive.
    await page.waitForTimeout(500);
    const tasks = await page.evaluate(() => (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks);
    const after = tasks.filter((t) => t.start >= clickedAt);
    console.log(`${site.name}: longest task after the click ${Math.round(Math.max(0, ...after.map((t) => t.duration)))} ms (${after.length} over 50 ms)`);
    expect(after.filter((t) => t.duration > 200).map((t) => `${Math.round(t.duration)} ms`)).toEqual([]);

    // The bar moved: bytes went up from 0 to the whole size in several steps, then Python started.
    const progress = await page.evaluate(() => (window as unknown as { __progress: string[] }).__progress);
    const downloads = progress.filter((p) => p.startsWith('Downloading Python ')).map((p) => p.slice('Downloading Python '.length).split('/').map(Number));
    const received = downloads.map(([value]) => value!);
    const total = downloads[0]![1]!;
    expect(total).toBeGreaterThan(10_000_000);
    expect(received[0]).toBe(0);
    expect(received.at(-1)).toBe(total);
    expect(new Set(received).size).toBeGreaterThan(5);
    expect(received).toEqual([...received].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe('Starting Python -/-');
    expect(problems).toEqual([]);
    await context.close();
  }, 150_000);

  it('labels its progress bar, which stands still while a file is held back, and passes axe while loading and after an error', async () => {
    // axe goes in as an inline script: this context bypasses the CSP (the tests above keep it).
    const context = await s.browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true });
    let release = (): void => {};
    const held = new Promise<void>((done) => (release = done));
    // The worker's own request for the standard library waits until released.
    await context.route('**/vendor/pyodide/python_stdlib.zip', async (route) => {
      await held;
      await route.continue();
    });
    const { page, problems } = await open(context, s.url + PYODIDE);
    const fig = await figure(page, 'figure.python-cell');
    await fig.getByLabel('Python code').fill('def half(n):\n    return n / 0\n\nhalf(3)');
    await fig.getByRole('button', { name: /^Load Python/ }).click();
    const bar = fig.getByRole('progressbar', { name: 'Downloading Python' });
    // Everything but the held file arrives: the bar shows it, and says how much of how much.
    await expect.poll(async () => Number(await bar.getAttribute('value')), { timeout: 30_000 }).toBeGreaterThan(5_000_000);
    const total = Number(await bar.getAttribute('max'));
    expect(Number(await bar.getAttribute('value'))).toBeLessThan(total);
    expect(await fig.textContent()).toMatch(/Downloading Python: \d+(\.\d)? MB of \d+ MB/);
    expect(await fig.getByRole('button', { name: 'Stop' }).isVisible()).toBe(true);
    expect(await axe(page)).toEqual([]);
    release();
    const output = fig.locator('[data-python-output]');
    await expect.poll(() => output.textContent(), { timeout: 90_000, interval: 500 }).toContain('ZeroDivisionError');
    expect(await axe(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  }, 150_000);

  it('Stop ends a loop that never returns; the page answers meanwhile, and the next run starts Python again', async () => {
    const { page, problems } = await open(s.context, s.url + PYODIDE);
    const fig = await figure(page, 'figure.python-cell');
    const code = fig.getByLabel('Python code');
    const output = fig.locator('[data-python-output]');
    await code.fill('print("ready")');
    await fig.getByRole('button', { name: /^Load Python/ }).click();
    await expect.poll(() => output.textContent(), { timeout: 90_000, interval: 500 }).toBe('ready\n');

    await code.fill('n = 0\nwhile True:\n    n += 1\n    if n % 1000000 == 0: print(n)');
    await fig.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => output.textContent(), { timeout: 30_000 }).toContain('1000000\n');
    // The loop runs in the worker: the page still paints and takes input.
    const frame = await page.evaluate(() => {
      const asked = performance.now();
      return new Promise<number>((done) => requestAnimationFrame(() => done(performance.now() - asked)));
    });
    expect(frame).toBeLessThan(500);
    expect(await fig.getByRole('button', { name: 'Running…' }).isDisabled()).toBe(true);
    // Stop sits beside Run, on the same line.
    const runBox = await fig.getByRole('button', { name: 'Running…' }).boundingBox();
    const stopBox = await fig.getByRole('button', { name: 'Stop' }).boundingBox();
    expect(stopBox!.y).toBeCloseTo(runBox!.y, 0);
    expect(stopBox!.x).toBeGreaterThan(runBox!.x + runBox!.width);
    await fig.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => fig.locator('[data-python-stopped]').textContent()).toBe('Stopped: Python was ended, and starts again on the next run.');
    // What it printed before it was stopped stays.
    expect(await output.textContent()).toMatch(/^1000000\n/);
    await code.fill('print("again")');
    await fig.getByRole('button', { name: /^Load Python \(about \d+ MB\) and run$/ }).click();
    await expect.poll(() => output.textContent(), { timeout: 90_000, interval: 500 }).toBe('again\n');
    expect(await fig.locator('[data-python-stopped]').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  }, 200_000);

  it('runs the .wasm and its wasm2js JavaScript side by side and shows where they differ', async () => {
    const { page, problems } = await open(s.context, s.url + WASM2JS);
    const fig = await figure(page, 'figure.wasm2js');
    const run = fig.getByRole('button', { name: 'Run both' });
    await run.click();
    const rows = fig.locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(3);
    expect(await rows.nth(0).textContent()).toContain('gcd(1071, 462)');
    expect(await rows.nth(0).locator('[data-side="wasm"]').textContent()).toBe('21');
    expect(await rows.nth(0).locator('[data-side="js"]').textContent()).toBe('21');
    expect(await rows.nth(2).locator('[data-side="js"]').textContent()).toBe('-4249290049419214848');
    expect(await rows.nth(2).textContent()).toContain('✓ same');

    await fig.getByLabel('b', { exact: true }).fill('0');
    await run.click();
    await expect.poll(() => rows.nth(1).locator('[data-side="wasm"]').textContent()).toMatch(/^RuntimeError/);
    expect(await rows.nth(1).locator('[data-side="js"]').textContent()).toBe('0');
    expect(await rows.nth(1).textContent()).toContain('✗ differs');
    expect(problems).toEqual([]);
    await page.close();
  });
});
