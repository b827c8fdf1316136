// The live figures of "Python in the browser" and "Older browsers" in headless Chromium,
// served by bin/serve.ts with the site's Content-Security-Policy, in both builds:
// the Python cell requests nothing under vendor/pyodide/ until its button is pressed,
// then loads the self-hosted Pyodide and shows what print() wrote, and errors as text;
// the wasm2js figure runs the .wasm and its JavaScript translation side by side.
import { expect, it } from 'vitest';
import { describeBrowser, figure, open, useBrowserSite } from './harness.ts';
import { SITES } from './sites.ts';

const PYODIDE = 'lessons/10-python/02-pyodide/';
const WASM2JS = 'lessons/11-wasm2js/01-wasm2js/';

describeBrowser.each(SITES)('Python and wasm2js figures on the $name site (base $base)', (site) => {
  const s = useBrowserSite(site, { context: { viewport: { width: 1280, height: 900 } } });

  it('loads Pyodide from this site only when asked, then runs print() and shows errors as text', async () => {
    const { page, problems, requests } = await open(s.context, s.url + PYODIDE);
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
    expect(problems).toEqual([]);
    await page.close();
  }, 150_000);

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
