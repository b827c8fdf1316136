// How an exercise paces its help, in headless Chromium, in both builds: Check on the
// untouched starter earns no hint and no solution, only "change the code first"; each
// distinct wrong attempt reveals the next hint (a repeat does not); the solution is
// offered after three real attempts, and the state survives a reload; "Give up" shows
// the solution only after a confirmation. Hints and the confirmation pass axe-core, in
// the dark theme and the light one (axe goes in as an inline script: CSP bypassed).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { axe, describeBrowser, open, useBrowserSite } from './harness.ts';
import { SITES } from './sites.ts';

const root = join(import.meta.dirname, '..', '..');
const ARITHMETIC = 'lessons/03-stack-machine/01-constants-and-arithmetic/';
const dir = join(root, 'lessons/03-stack-machine/_exercises');
const sub = JSON.parse(readFileSync(join(dir, 'sub.json'), 'utf8')) as { hints: string[] };
const starter = readFileSync(join(dir, 'sub.wat'), 'utf8');
const solution = readFileSync(join(dir, 'sub.solution.wat'), 'utf8');
const wrong = [starter.replace('i32.sub', 'i32.add'), starter.replace('i32.sub', 'i32.mul'), starter.replace('local.get $a', 'i32.const 0')];

/** The "order of operands" exercise, scrolled into view, with its editor loaded. */
async function exercise(page: Page): Promise<Locator> {
  const ex = page.locator('section.exercise', { hasText: 'the order of operands' });
  await ex.scrollIntoViewIfNeeded();
  await ex.locator('.cm-content').waitFor({ timeout: 15_000 });
  return ex;
}

async function checkWith(page: Page, ex: Locator, code: string): Promise<void> {
  await ex.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(code);
  await ex.getByRole('button', { name: 'Check' }).click();
}

const hintsOf = (ex: Locator) => ex.getByRole('list', { name: 'Hints' }).locator('li');
const solutionToggle = (ex: Locator) => ex.locator('details.solution summary');

describeBrowser.each(SITES)('exercise hints on the $name site (base $base)', (site) => {
  const s = useBrowserSite(site);

  it('the starter earns nothing; three distinct wrong attempts reveal the hints, then the solution', async () => {
    const context = await s.browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark', bypassCSP: true });
    const { page, problems } = await open(context, s.url + ARITHMETIC);
    const ex = await exercise(page);
    const status = ex.getByRole('status');
    const check = ex.getByRole('button', { name: 'Check' });

    await check.click();
    await expect.poll(() => status.textContent()).toMatch(/0 of 4 tests pass/);
    expect(await status.textContent()).toMatch(/change the code first/);
    await check.click();
    await check.click();
    expect(await hintsOf(ex).count()).toBe(0);
    expect(await solutionToggle(ex).count()).toBe(0);
    expect(await ex.locator('pre').count()).toBe(0);

    await checkWith(page, ex, wrong[0]!);
    await expect.poll(() => hintsOf(ex).count()).toBe(1);
    expect(await hintsOf(ex).first().textContent()).toContain(sub.hints[0]!.replace(/`/g, ''));
    expect(await status.textContent()).toMatch(/Hint 1 of 2/);
    expect(await solutionToggle(ex).count()).toBe(0);

    // The same code again is not a new attempt.
    await check.click();
    await expect.poll(() => status.textContent()).toMatch(/checked this code before/);
    expect(await hintsOf(ex).count()).toBe(1);

    await checkWith(page, ex, wrong[1]!);
    await expect.poll(() => hintsOf(ex).count()).toBe(2);
    expect(await hintsOf(ex).nth(1).textContent()).toContain(sub.hints[1]!.replace(/`/g, ''));
    expect(await solutionToggle(ex).count()).toBe(0);
    expect(await ex.textContent()).toMatch(/offered after 1 more attempt of your own/);
    expect(await axe(page)).toEqual([]);

    await checkWith(page, ex, wrong[2]!);
    await expect.poll(() => solutionToggle(ex).count()).toBe(1);
    await solutionToggle(ex).click();
    expect(await ex.locator('details.solution pre').textContent()).toBe(solution);

    // Kept in this browser: after a reload the hints and the offer are still there.
    await page.reload({ waitUntil: 'networkidle' });
    const again = await exercise(page);
    await expect.poll(() => hintsOf(again).count()).toBe(2);
    expect(await solutionToggle(again).count()).toBe(1);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('giving up shows the solution only after confirming', async () => {
    const context = await s.browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light', bypassCSP: true });
    const { page, problems } = await open(context, s.url + ARITHMETIC);
    const ex = await exercise(page);
    const giveUp = ex.getByRole('button', { name: 'Give up and show the solution' });

    await giveUp.click();
    const keepTrying = ex.getByRole('button', { name: 'Keep trying' });
    await keepTrying.waitFor();
    expect(await keepTrying.evaluate((b) => b === document.activeElement)).toBe(true);
    expect(await axe(page)).toEqual([]);
    expect(await solutionToggle(ex).count()).toBe(0);
    await keepTrying.click();
    expect(await solutionToggle(ex).count()).toBe(0);
    // Focus goes back to the button that asked, not to the top of the page.
    expect(await giveUp.evaluate((b) => b === document.activeElement)).toBe(true);

    await giveUp.click();
    await ex.getByRole('button', { name: 'Yes, show the solution' }).click();
    const shown = ex.locator('details.solution[open] pre');
    await shown.waitFor();
    expect(await shown.textContent()).toBe(solution);
    expect(await ex.locator('details.solution summary').evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await shown.isVisible()).toBe(true);

    await page.reload({ waitUntil: 'networkidle' });
    const again = await exercise(page);
    await again.locator('details.solution[open] pre').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});
