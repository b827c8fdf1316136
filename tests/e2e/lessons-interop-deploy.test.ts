// The live demos of "Talking to JavaScript", "Deploying" and "When to reach for
// WebAssembly" in headless Chromium, each running the browser's real WebAssembly: the
// interop demo round-trips a typed string through linear memory; the deployment checker
// reports application/wasm and working streaming from bin/serve.ts (both bases), Pyodide's
// imports as information (not a failure), and
// streaming refused but the fallback working behind a server that mislabels .wasm; the
// comparison does not run until asked, then shows two medians and their ratio.
import { createServer, request as httpRequest, type Server } from 'node:http';
import { expect, it } from 'vitest';
import type { RunningServer } from '../../bin/serve.ts';
import { describeBrowser, figure, open, useBrowserSite } from './harness.ts';
import { SITES } from './sites.ts';

const STRINGS = 'lessons/07-javascript/02-strings/';
const SHIPPING = 'lessons/12-deploying/01-shipping-the-files/';
const MEASURE = 'lessons/13-when/01-heavy-lifting/';

/**
 * A proxy in front of a running site that relabels every .wasm response as
 * application/octet-stream — the misconfigured server the lesson warns about.
 */
function mislabellingProxy(target: RunningServer): Promise<{ url: string; close(): Promise<void> }> {
  const upstream = new URL(target.url);
  const server: Server = createServer((req, res) => {
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        const headers = { ...answer.headers };
        if (req.url?.split('?')[0]?.endsWith('.wasm')) headers['content-type'] = 'application/octet-stream';
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
      },
    );
    req.pipe(forward);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}${upstream.pathname}`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

describeBrowser.each(SITES)('live WebAssembly demos on the $name site (base $base)', (site) => {
  const s = useBrowserSite(site, { context: { viewport: { width: 1280, height: 900 } } });

  it('the interop demo sends a typed string through linear memory and reads the answer back', async () => {
    const { page, problems } = await open(s.context, s.url + STRINGS);
    const fig = await figure(page, 'figure.interop');
    const send = fig.getByRole('button', { name: 'Send to WebAssembly' });
    await expect.poll(() => send.isEnabled(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => fig.locator('.ws-status').first().textContent()).toContain('instantiateStreaming');

    await fig.getByLabel('Name').fill('Grüße 🦀');
    await send.click();
    await expect.poll(() => fig.locator('output.result').textContent()).toBe('Hello, Grüße 🦀!');
    // "Grüße 🦀" is 12 bytes of UTF-8: G r ü(2) ß(2) e space 🦀(4).
    await expect.poll(() => fig.locator('.steps').textContent()).toContain('12 bytes of UTF-8');
    const dumps = await fig.locator('pre.ws-dump').allTextContents();
    expect(dumps[0]).toContain('0x00400  47 72 c3 bc c3 9f 65 20 f0 9f a6 80');
    expect(dumps[1]).toContain('48 65 6c 6c 6f 2c 20 47'); // "Hello, G"
    expect(await fig.locator('code.pair').textContent()).toBe('[1036, 20]');

    // A second call allocates after the first; a new instance starts over.
    await fig.getByLabel('Name').fill('Ada');
    await send.click();
    await expect.poll(() => fig.locator('output.result').textContent()).toBe('Hello, Ada!');
    expect(await fig.locator('code.ptr-in').textContent()).toBe('1056');
    await fig.getByRole('button', { name: 'New instance' }).click();
    await expect.poll(() => send.isEnabled()).toBe(true);
    await send.click();
    await expect.poll(() => fig.locator('code.ptr-in').textContent()).toBe('1024');

    // Text that looks like markup is shown as text.
    await fig.getByLabel('Name').fill('<img src=x onerror=alert(1)>');
    await send.click();
    await expect.poll(() => fig.locator('output.result').textContent()).toBe('Hello, <img src=x onerror=alert(1)>!');
    expect(await fig.locator('output.result img').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the deployment checker reports application/wasm and working streaming from bin/serve.ts', async () => {
    const { page, problems } = await open(s.context, s.url + SHIPPING);
    const fig = await figure(page, 'figure.deploy-check');
    const check = fig.getByRole('button', { name: 'Check' });
    await expect.poll(() => check.isVisible(), { timeout: 15_000 }).toBe(true);
    await check.click();
    await expect.poll(() => fig.locator('.streaming').textContent(), { timeout: 15_000 }).toContain('Streaming works');
    expect(await fig.locator('.content-type').textContent()).toBe('application/wasm');
    expect(await fig.locator('.size').textContent()).toContain('41 B (41 bytes)');
    expect(await fig.locator('.verdict').textContent()).toContain('add(2, 3) = 5');
    expect(await fig.locator('.findings').textContent()).toContain('Caching: no-cache');
    // The URL was resolved against the site's base path.
    expect(await fig.locator('td').first().textContent()).toContain(`${site.base}examples/add.wasm`);

    // A file that is not there is reported, not thrown.
    await fig.getByLabel('File on this site').fill('examples/missing.wasm');
    await check.click();
    await expect.poll(() => fig.locator('.ws-error').textContent()).toContain('HTTP 404');
    expect(problems.filter((p) => !/404/.test(p))).toEqual([]);
    await page.close();
  });

  it("checks the site's own Pyodide module: every server check passes, its imports are information", async () => {
    const { page, problems } = await open(s.context, s.url + SHIPPING);
    const fig = await figure(page, 'figure.deploy-check');
    const check = fig.getByRole('button', { name: 'Check' });
    await expect.poll(() => check.isVisible(), { timeout: 15_000 }).toBe(true);
    await fig.getByLabel('File on this site').fill('vendor/pyodide/pyodide.asm.wasm');
    await check.click();
    await expect.poll(() => fig.locator('.streaming').textContent(), { timeout: 60_000 }).toContain('Streaming works');
    expect(await fig.locator('.content-type').textContent()).toBe('application/wasm');
    // A module with imports is not a server fault: no ✗ anywhere, the imports as information.
    expect(await fig.textContent()).not.toContain('✗');
    expect(await fig.locator('.findings').textContent()).toContain('Content-Security-Policy: this page');
    const imports = (await fig.locator('.imports').textContent()) ?? '';
    expect(imports).toMatch(/ℹ Imports:\s*this module needs \d+ imports from modules env, /);
    expect(imports).toContain('it runs only with its JavaScript glue');
    // Not instantiated, so nothing was called.
    expect(await fig.locator('.verdict').textContent()).not.toContain('The instance runs');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('behind a server that mislabels .wasm, streaming is refused and the fallback works', async () => {
    const proxy = await mislabellingProxy(s.server);
    try {
      const { page } = await open(s.context, proxy.url + SHIPPING);
      const fig = await figure(page, 'figure.deploy-check');
      await fig.getByRole('button', { name: 'Check' }).click();
      await expect.poll(() => fig.locator('.streaming').textContent(), { timeout: 15_000 }).toContain('Streaming refused');
      expect(await fig.locator('.content-type').textContent()).toBe('application/octet-stream');
      expect(await fig.locator('.verdict').textContent()).toContain('the fallback worked');
      expect(await fig.locator('.verdict').textContent()).toContain('add(2, 3) = 5');
      // The interop demo loads through the same fallback.
      await page.goto(proxy.url + STRINGS, { waitUntil: 'networkidle' });
      const interop = await figure(page, 'figure.interop');
      await expect.poll(() => interop.textContent(), { timeout: 15_000 }).toContain('streaming was refused');
      await interop.getByRole('button', { name: 'Send to WebAssembly' }).click();
      await expect.poll(() => interop.locator('output.result').textContent()).toBe('Hello, Zoë!');
      await page.close();
    } finally {
      await proxy.close();
    }
  });

  it('the comparison runs only on request, then shows two medians and their ratio', async () => {
    const { page, problems } = await open(s.context, s.url + MEASURE);
    const fig = await figure(page, 'figure.js-vs-wasm');
    const run = fig.getByRole('button', { name: 'Run' });
    await expect.poll(() => run.isVisible(), { timeout: 15_000 }).toBe(true);
    await page.waitForTimeout(300);
    expect(await fig.locator('.median-js').count()).toBe(0); // nothing ran by itself

    for (const kernel of ['sieve', 'fnv1a']) {
      await fig.getByLabel('Kernel').selectOption(kernel);
      await fig.getByLabel('Timed runs').selectOption('3');
      await run.click();
      await expect.poll(() => fig.locator('.median-js').count(), { timeout: 60_000 }).toBe(1);
      const js = parseFloat((await fig.locator('.median-js').textContent()) ?? '');
      const wasm = parseFloat((await fig.locator('.median-wasm').textContent()) ?? '');
      const ratio = parseFloat((await fig.locator('.ratio-value').textContent()) ?? '');
      expect(js).toBeGreaterThan(0);
      expect(wasm).toBeGreaterThan(0);
      // The ratio is computed from the unrounded medians; allow for the display rounding.
      expect(Math.abs(ratio - js / wasm)).toBeLessThan(0.05 * Math.max(1, js / wasm) + 0.02);
      expect((await fig.locator('.runs').allTextContents()).every((t) => t.split(',').length === 3)).toBe(true);
      expect(await fig.textContent()).toContain(kernel === 'sieve' ? 'same answer: 348513' : 'same answer: 0x');
    }
    expect(problems).toEqual([]);
    await page.close();
  });
});
