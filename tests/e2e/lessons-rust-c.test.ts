// The live demo of "Rust and WebAssembly" in headless Chromium, in both builds: the page
// loads brotli-wasm's own wasm-bindgen glue and module (emitted by the build from
// node_modules), compresses the starting text and then a typed one, reports sizes and an
// exact round trip, and shows markup-looking text as text; the memory line gives the pages
// at instantiation and after the compression, and each result label sits level with its
// value, on a laptop and on a phone.
import { expect, it } from 'vitest';
import { describeBrowser, figure, open, useBrowserSite } from './harness.ts';
import { SITES } from './sites.ts';

const BINDGEN = 'lessons/08-rust/01-wasm-bindgen/';

describeBrowser.each(SITES)('the brotli-wasm demo on the $name site (base $base)', (site) => {
  const s = useBrowserSite(site, { context: { viewport: { width: 1280, height: 900 } } });

  it('shows the memory at instantiation and after compressing, each label level with its value', async () => {
    for (const width of [1280, 390]) {
      const { page, problems } = await open(s.context, s.url + BINDGEN);
      await page.setViewportSize({ width, height: 900 });
      const fig = await figure(page, 'figure.brotli');
      await expect.poll(() => fig.locator('[data-roundtrip]').textContent(), { timeout: 20_000 }).toContain('exact');
      // The lesson's two numbers (tests/unit/lesson-numbers.test.ts computes them).
      expect(await fig.locator('[data-pages]').textContent()).toMatch(/^28 × 64 KiB pages when instantiated, 551 now \(grown by memory\.grow/);
      const rows = await fig.locator('.sizes dt').evaluateAll((dts) =>
        dts.map((dt) => {
          const dd = dt.nextElementSibling!;
          return { label: dt.textContent, dt: dt.getBoundingClientRect().top, dd: dd.getBoundingClientRect().top };
        }),
      );
      expect(rows).toHaveLength(5);
      for (const r of rows) expect(Math.abs(r.dt - r.dd), `${r.label} at ${width} px: label at ${r.dt}, value at ${r.dd}`).toBeLessThanOrEqual(1);
      expect(problems).toEqual([]);
      await page.close();
    }
  });

  it('compresses with the real package and round-trips exactly', async () => {
    const { page, problems } = await open(s.context, s.url + BINDGEN);
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
