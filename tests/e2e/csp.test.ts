// Every page of both builds under the Content-Security-Policy that bin/serve.ts sends
// (bin/csp.ts): no violation is reported while a page loads, hydrates all its islands
// (scrolled through, since they hydrate when visible) and runs; search (Pagefind, which
// compiles WebAssembly) works; and the stepper still steps.
import type { BrowserContext, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeBrowser, useBrowserSite } from './harness.ts';
import { SITES, pagesOf } from './sites.ts';

const TOUR = 'lessons/01-start/03-stepper/';

/** Collects CSP violations (the DOM event and the console report) from the page's start. */
async function watched(context: BrowserContext, url: string): Promise<{ page: Page; violations: () => Promise<string[]> }> {
  const page = await context.newPage();
  const fromConsole: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) fromConsole.push(`console: ${m.text()}`);
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective}: ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`));
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  const violations = async () => [...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)), ...fromConsole];
  return { page, violations };
}

/** Scrolls to the bottom in screen-sized steps, so every client:visible island hydrates. */
async function scrollThrough(page: Page): Promise<void> {
  await page.evaluate(async () => {
    for (let y = 0; y < document.body.scrollHeight; y += window.innerHeight / 2) {
      window.scrollTo(0, y);
      await new Promise((r) => setTimeout(r, 60));
    }
  });
  await page.waitForLoadState('networkidle');
}

describeBrowser.each(SITES)('the $name site (base $base) under its Content-Security-Policy', (site) => {
  const s = useBrowserSite(site, { context: { reducedMotion: 'reduce', viewport: { width: 1280, height: 900 } } });

  it('is sent with every page, and allows no inline script by anything but its hash', async () => {
    const policy = (await fetch(s.url)).headers.get('content-security-policy') ?? '';
    const script = policy.split('; ').find((d) => d.startsWith('script-src ')) ?? '';
    expect(script).toMatch(/^script-src 'self' 'wasm-unsafe-eval'( 'sha256-[A-Za-z0-9+/=]+')+$/);
  });

  it('loads every page with no violation', { timeout: 600_000 }, async () => {
    const report: string[] = [];
    for (const path of pagesOf(site)) {
      const { page, violations } = await watched(s.context, s.url + path);
      await scrollThrough(page);
      for (const v of await violations()) report.push(`${path || '/'}: ${v}`);
      await page.close();
    }
    expect(report).toEqual([]);
  });

  it('search works: Pagefind loads its index and WebAssembly and finds a lesson', async () => {
    const { page, violations } = await watched(s.context, s.url);
    await page.locator('button[data-open-modal]').first().click();
    await page.locator('dialog[open] input').first().fill('memory');
    await expect.poll(() => page.locator('dialog[open] .pagefind-ui__result').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await violations()).toEqual([]);
    await page.close();
  });

  it('the stepper still steps', async () => {
    const { page, violations } = await watched(s.context, s.url + TOUR);
    const fig = page.locator('figure.stepper').first();
    await fig.scrollIntoViewIfNeeded();
    await fig.locator('.v-stack').waitFor({ timeout: 15_000 });
    const stepNo = () => fig.locator('.timeline .num').textContent();
    const before = await stepNo();
    await fig.getByRole('button', { name: 'Step into', exact: true }).click();
    await expect.poll(stepNo).not.toBe(before);
    await expect.poll(() => fig.locator('.v-stack li.cell:not(.leaving) .val').count()).toBeGreaterThan(0);
    expect(await violations()).toEqual([]);
    await page.close();
  });
});
