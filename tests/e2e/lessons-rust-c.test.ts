// The live demo of "Rust and WebAssembly" in headless Chromium, in both builds: the page
// loads brotli-wasm's own wasm-bindgen glue and module (emitted by the build from
// node_modules), compresses the starting text and then a typed one, reports sizes and an
// exact round trip, and shows markup-looking text as text.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type RunningServer } from '../../bin/serve.ts';
import { launchBrowser } from './browser.ts';
import { haveBrowser } from './browser-guard.ts';
import { SITES, assertBuilt } from './sites.ts';

const BINDGEN = 'lessons/08-rust/01-wasm-bindgen/';

async function open(context: BrowserContext, url: string): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`exception: ${e.message}`));
  await page.goto(url, { waitUntil: 'networkidle' });
  return { page, problems };
}

/** A figure, scrolled into view and hydrated (Astro drops the island's `ssr` attribute). */
async function figure(page: Page, selector: string): Promise<Locator> {
  const fig = page.locator(selector);
  await fig.scrollIntoViewIfNeeded();
  await page.locator(`astro-island:not([ssr]) ${selector}`).waitFor({ timeout: 15_000 });
  return fig;
}

const describeBrowser = haveBrowser ? describe : describe.skip;

describeBrowser.each(SITES)('the brotli-wasm demo on the $name site (base $base)', (site) => {
  let browser: Browser;
  let server: RunningServer;
  let context: BrowserContext;

  beforeAll(async () => {
    assertBuilt(site);
    server = await serve({ dir: site.dir, base: site.base });
    const launched = await launchBrowser();
    if (!launched) throw new Error('Chromium failed to launch');
    browser = launched;
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it('compresses with the real package and round-trips exactly', async () => {
    const { page, problems } = await open(context, server.url + BINDGEN);
    const fig = await figure(page, 'figure.brotli');
    // The starting text is compressed as soon as the module is in.
    await expect.poll(() => fig.locator('[data-roundtrip]').textContent(), { timeout: 20_000 }).toContain('the round trip is exact');
    const wasmRequests = await page.evaluate(() =>
      performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.wasm')),
    );
    expect(wasmRequests.some((n) => /brotli_wasm_bg\.[\w-]+\.wasm$/.test(n))).toBe(true);

    await fig.getByLabel('Text to compress').fill('abc'.repeat(1000));
    await fig.getByLabel('Quality').fill('11');
    await fig.getByRole('button', { name: 'Compress' }).click();
    await expect.poll(() => fig.locator('.sizes').textContent()).toContain('3,000 bytes of UTF-8');
    const compressed = Number((await fig.locator('[data-compressed]').textContent())?.replace(/\D/g, ''));
    expect(compressed).toBeGreaterThan(0);
    expect(compressed).toBeLessThan(40);

    // Text that looks like markup stays text; accented letters count two bytes.
    await fig.getByLabel('Text to compress').fill('<img src=x onerror=alert(1)> é');
    await fig.getByRole('button', { name: 'Compress' }).click();
    await expect.poll(() => fig.locator('.sizes').textContent()).toContain('31 bytes of UTF-8');
    expect(await fig.locator('img').count()).toBe(0);
    expect(await fig.locator('[data-roundtrip]').textContent()).toContain('exact');
    expect(problems).toEqual([]);
    await page.close();
  });
});
