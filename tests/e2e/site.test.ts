// The built course in headless Chromium, under both bases: every page loads without
// console errors or failed requests and passes axe-core (no serious or critical
// violation) in light and dark; search finds a lesson; the theme toggles; the mobile
// menu opens; the island hydrates and responds; .wasm streams as application/wasm.
import { expect, it } from 'vitest';
import { axe, describeBrowser, open, useBrowserSite } from './harness.ts';
import { SITES, pagesOf } from './sites.ts';

describeBrowser.each(SITES)('the $name site (base $base) in Chromium', (site) => {
  const s = useBrowserSite(site);

  for (const theme of ['light', 'dark'] as const) {
    it(`every page loads cleanly and passes axe-core (${theme})`, async () => {
      // axe is injected as an inline script, which the site's CSP forbids; csp.test.ts checks the policy.
      const context = await s.browser.newContext({ colorScheme: theme, bypassCSP: true });
      const report: string[] = [];
      const pages = pagesOf(site);
      expect(pages.length).toBeGreaterThanOrEqual(4);
      for (const path of pages) {
        const { page, problems } = await open(context, s.url + path);
        // The 404 page is served with status 404 on purpose.
        const expectedProblems = path === '404.html' ? problems.filter((p) => !/404/.test(p)) : problems;
        expect(await page.locator('html').getAttribute('data-theme')).toBe(theme);
        for (const problem of expectedProblems) report.push(`${path || '(home)'}: ${problem}`);
        for (const v of await axe(page)) report.push(`${path || '(home)'}: ${v}`);
        await page.close();
      }
      await context.close();
      expect(report).toEqual([]);
    }, 600_000); // every page of the course, one after another
  }

  it('search finds a lesson by a word in its body', async () => {
    const context = await s.browser.newContext();
    const { page, problems } = await open(context, s.url);
    await page.getByRole('button', { name: /search/i }).first().click();
    const input = page.locator('dialog[open] input[type="search"], dialog[open] input').first();
    await input.fill('LEB128');
    // Several lessons explain LEB128; the first one to introduce it must be among the results.
    const result = page.locator('dialog[open] .pagefind-ui__result-link', { hasText: 'Your first module' }).first();
    await result.waitFor({ timeout: 15_000 });
    await result.click();
    await page.waitForURL(/lessons\/01-start\/02-first-module/);
    expect(new URL(page.url()).pathname.startsWith(site.base)).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('the theme select switches light and dark, and remembers it', async () => {
    const context = await s.browser.newContext({ colorScheme: 'light' });
    const { page } = await open(context, `${s.url}lessons/01-start/01-welcome/`);
    const select = page.locator('starlight-theme-select select').first();
    await select.selectOption('dark');
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    await page.reload({ waitUntil: 'networkidle' });
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    await page.locator('starlight-theme-select select').first().selectOption('light');
    expect(await page.locator('html').getAttribute('data-theme')).toBe('light');
    await context.close();
  });

  it('the first Tab reaches the skip link, which leads to the content', async () => {
    const context = await s.browser.newContext();
    const { page } = await open(context, `${s.url}lessons/01-start/01-welcome/`);
    await page.keyboard.press('Tab');
    const skip = page.locator('a[href="#_top"]').first();
    expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await skip.isVisible()).toBe(true);
    expect(await page.locator('#_top').count()).toBe(1);
    await context.close();
  });

  it('on a phone the menu button opens the chapter list', async () => {
    const context = await s.browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true });
    const { page } = await open(context, `${s.url}lessons/01-start/01-welcome/`);
    const sidebarLink = page.locator('#starlight__sidebar a', { hasText: 'Your first module' });
    expect(await sidebarLink.isVisible()).toBe(false);
    await page.getByRole('button', { name: /menu/i }).click();
    await sidebarLink.waitFor({ state: 'visible' });
    await sidebarLink.click();
    await page.waitForURL(/02-first-module/);
    await context.close();
  });

  it('the island hydrates: clicking redraws the bytes with D3', async () => {
    const context = await s.browser.newContext();
    const { page, problems } = await open(context, `${s.url}lessons/01-start/02-first-module/`);
    const figure = page.locator('figure.const-bytes');
    await figure.scrollIntoViewIfNeeded();
    const cells = figure.locator('svg g.byte');
    // 624485 is 3 bytes of signed LEB128 (e5 8e 26), after the 0x41 opcode; × 128 shifts in a 0x80.
    await expect.poll(() => cells.count(), { timeout: 10_000 }).toBe(4);
    await figure.getByRole('button', { name: '× 128' }).click();
    await expect.poll(() => cells.count()).toBe(5);
    await expect.poll(() => figure.locator('figcaption').textContent()).toContain('41 80 e5 8e 26');
    await figure.getByLabel('Value').fill('-1');
    await expect.poll(() => cells.count()).toBe(2);
    expect(await figure.locator('svg').getAttribute('aria-label')).toBe('i32.const -1 is 2 bytes: 41 7f');
    await figure.getByLabel('Value').fill('abc');
    await expect.poll(() => figure.getByRole('alert').textContent()).toContain('whole number');
    expect(await figure.locator('pre.wat span').count()).toBeGreaterThan(1); // highlighted by Shiki
    expect(problems).toEqual([]);
    await context.close();
  });

  it('serves .wasm as application/wasm, so instantiateStreaming works in the browser', async () => {
    const context = await s.browser.newContext();
    const { page } = await open(context, s.url);
    const result = await page.evaluate(async (url) => {
      const response = await fetch(url);
      const type = response.headers.get('content-type');
      const { instance } = await WebAssembly.instantiateStreaming(response);
      return { type, sum: (instance.exports.add as (a: number, b: number) => number)(2, 3) };
    }, `${s.url}examples/add.wasm`);
    expect(result).toEqual({ type: 'application/wasm', sum: 5 });
    await context.close();
  });

  it('an unknown address shows the 404 page with a way home', async () => {
    const context = await s.browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(`${s.url}no/such/lesson/`);
    expect(response?.status()).toBe(404);
    expect(await page.locator('h1').first().textContent()).toMatch(/404|not found/i);
    expect(await page.locator(`a[href="${site.base}"]`).count()).toBeGreaterThan(0);
    await context.close();
  });
});
