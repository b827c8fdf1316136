// The course machinery in headless Chromium, in both builds: every lesson page loads
// without console errors, all its islands hydrated; a quiz answers a wrong and a right answer (typed and
// chosen) through its live region; an exercise fails with its starter, shows a located
// parse error, and passes once the solution is typed, and is remembered as solved; a
// lesson read to the end gets a ✓ (named "read") in the sidebar that survives a reload,
// and the reset control forgets it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { axe, describeBrowser, open, useBrowserSite } from './harness.ts';
import { SITES, pagesOf } from './sites.ts';

const root = join(import.meta.dirname, '..', '..');
const ARITHMETIC = 'lessons/03-stack-machine/01-constants-and-arithmetic/';
const subSolution = readFileSync(join(root, 'lessons/03-stack-machine/_exercises/sub.solution.wat'), 'utf8');

/** A quiz's question form by its prompt, scrolled into view and hydrated. */
async function question(page: Page, prompt: string | RegExp): Promise<Locator> {
  const form = page.locator('section.quiz form', { has: page.locator('legend', { hasText: prompt }) });
  await form.scrollIntoViewIfNeeded();
  // Astro removes `ssr` from the island once Svelte has hydrated it (and wired the submit handler).
  const island = form.locator('xpath=ancestor::astro-island');
  await expect.poll(() => island.getAttribute('ssr'), { timeout: 15_000 }).toBeNull();
  return form;
}

describeBrowser.each(SITES)('the course on the $name site (base $base)', (site) => {
  const s = useBrowserSite(site);

  it('every lesson loads without console errors, its islands hydrated', async () => {
    const context = await s.browser.newContext();
    const report: string[] = [];
    const lessons = pagesOf(site).filter((path) => path.startsWith('lessons/'));
    expect(lessons.length).toBeGreaterThanOrEqual(30);
    for (const path of lessons) {
      const { page, problems } = await open(context, s.url + path);
      // Scroll through so every client:visible island hydrates.
      for (let y = 0; y < (await page.evaluate(() => document.body.scrollHeight)); y += 600) {
        await page.evaluate((to) => window.scrollTo(0, to), y);
        await page.waitForTimeout(60);
      }
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(300);
      const unhydrated = await page.locator('astro-island[ssr]').count();
      if (unhydrated > 0) report.push(`${path}: ${unhydrated} island(s) never hydrated`);
      for (const p of problems) report.push(`${path}: ${p}`);
      await page.close();
    }
    await context.close();
    expect(report).toEqual([]);
  }, 600_000);

  it('a quiz gives feedback on a wrong and a right answer', async () => {
    const context = await s.browser.newContext();
    const { page, problems } = await open(context, s.url + ARITHMETIC);
    const typed = await question(page, 'after these three instructions');
    const input = typed.getByRole('textbox', { name: 'Your answer' });
    const status = typed.getByRole('status');
    await input.fill('7 2 1');
    await typed.getByRole('button', { name: 'Check' }).click();
    await expect.poll(() => status.textContent()).toMatch(/Not quite/);
    await typed.getByRole('button', { name: 'Show the answer' }).waitFor();
    await input.fill('[7, 1, 2]');
    await input.press('Enter');
    await expect.poll(() => status.textContent()).toMatch(/Right\..*last one on top/);

    const chosen = await question(page, 'What does this leave on the stack?');
    const chosenStatus = chosen.getByRole('status');
    await chosen.getByRole('radio', { name: '-7' }).check();
    await chosen.getByRole('button', { name: 'Check' }).click();
    await expect.poll(() => chosenStatus.textContent()).toMatch(/Not quite.*left-hand operand/);
    await chosen.getByRole('radio', { name: '7', exact: true }).check();
    // A new choice clears the old verdict.
    await expect.poll(() => chosenStatus.textContent()).toBe('');
    await chosen.getByRole('button', { name: 'Check' }).click();
    await expect.poll(() => chosenStatus.textContent()).toMatch(/Right\./);
    // The radios are one group, named by the question.
    expect(await page.getByRole('group', { name: /What does this leave on the stack/ }).count()).toBe(1);
    expect(await page.locator('section.quiz .score').first().textContent()).toMatch(/^2 of 4/);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('an exercise fails with its starter, locates a parse error, and passes with the solution', async () => {
    const context = await s.browser.newContext();
    const { page, problems } = await open(context, s.url + ARITHMETIC);
    const ex = page.locator('section.exercise', { hasText: 'the order of operands' });
    await ex.scrollIntoViewIfNeeded();
    const editor = ex.locator('.cm-content');
    await editor.waitFor({ timeout: 15_000 });
    expect(await editor.getAttribute('aria-label')).toMatch(/WebAssembly text/);
    const check = ex.getByRole('button', { name: 'Check' });
    const status = ex.getByRole('status');

    await check.click();
    await expect.poll(() => status.textContent()).toMatch(/0 of 4 tests pass/);
    expect(await ex.locator('.cases li.fail').count()).toBe(4);
    expect(await ex.locator('.cases li.fail').first().textContent()).toMatch(/sub\(10, 3\).*expected 7, got -7/);

    await editor.click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.insertText('(module\n  (func (export "sub")\n    i32.sdd))');
    await check.click();
    await expect.poll(() => status.textContent()).toMatch(/Parse error at line 3, column 5/);
    await ex.getByRole('button', { name: 'Go to line 3' }).waitFor();
    expect(await ex.locator('.cm-lintRange-error').count()).toBe(1);

    await editor.click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.insertText(subSolution);
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect.poll(() => status.textContent()).toMatch(/Solved: all 4 tests pass/);
    expect(await ex.locator('.cases li.pass').count()).toBe(4);
    expect(await ex.locator('.badge').textContent()).toMatch(/Solved/);

    // Remembered: after a reload the exercise says so and keeps the code.
    await page.reload({ waitUntil: 'networkidle' });
    const again = page.locator('section.exercise', { hasText: 'the order of operands' });
    await again.scrollIntoViewIfNeeded();
    await again.locator('.cm-content').waitFor({ timeout: 15_000 });
    expect(await again.locator('.badge').textContent()).toMatch(/Solved/);
    expect(await again.locator('.cm-content').textContent()).toContain('local.get $a    local.get $b');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('a lesson read to the end is marked read in the sidebar, after a reload too, until reset', async () => {
    const context = await s.browser.newContext();
    const { page, problems } = await open(context, s.url + 'lessons/01-start/01-welcome/');
    const link = (p: Page, name: string | RegExp) => p.locator('#starlight__sidebar').getByRole('link', { name });
    expect(await link(page, 'Welcome (read)').count()).toBe(0);
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await expect.poll(() => link(page, 'Welcome (read)').count()).toBe(1);
    // Only the lesson read: the next one is not marked.
    expect(await link(page, /^Your first module/).textContent()).not.toContain('read');

    const next = await context.newPage();
    await next.goto(s.url + 'lessons/02-formats/01-text-and-binary/', { waitUntil: 'networkidle' });
    await expect.poll(() => link(next, 'Welcome (read)').count()).toBe(1);
    await next.reload({ waitUntil: 'networkidle' });
    await expect.poll(() => link(next, 'Welcome (read)').count()).toBe(1);
    const href = await link(next, 'Welcome (read)').getAttribute('href');
    expect(href).toBe(`${site.base}lessons/01-start/01-welcome/`);
    expect(await next.locator('[data-ws-summary]').textContent()).toMatch(/^1 of \d+ lessons read/);

    await next.getByRole('button', { name: 'Reset progress' }).click();
    await next.getByRole('button', { name: 'Cancel' }).click();
    expect(await link(next, 'Welcome (read)').count()).toBe(1);
    await next.getByRole('button', { name: 'Reset progress' }).click();
    await next.getByRole('button', { name: 'Yes, reset' }).click();
    await expect.poll(() => link(next, 'Welcome (read)').count()).toBe(0);
    await next.reload({ waitUntil: 'networkidle' });
    expect(await link(next, /^Welcome/).textContent()).not.toContain('read');
    expect(problems).toEqual([]);
    await context.close();
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`quizzes with feedback, a checked exercise and the progress box pass axe-core (${theme})`, async () => {
      // The site's Content-Security-Policy forbids inline scripts, which is how axe is injected.
      const context = await s.browser.newContext({ colorScheme: theme, bypassCSP: true });
      await context.addInitScript(() =>
        localStorage.setItem('wasmstep:progress:v1', JSON.stringify({ read: { 'lessons/01-start/01-welcome/': 1 }, solved: {} })),
      );
      const { page, problems } = await open(context, s.url + ARITHMETIC);
      const typed = await question(page, 'after these three instructions');
      await typed.getByRole('textbox', { name: 'Your answer' }).fill('1');
      await typed.getByRole('button', { name: 'Check' }).click();
      const chosen = await question(page, 'What does this leave on the stack?');
      await chosen.getByRole('radio', { name: '7', exact: true }).check();
      await chosen.getByRole('button', { name: 'Check' }).click();
      const ex = page.locator('section.exercise');
      await ex.scrollIntoViewIfNeeded();
      await ex.locator('.cm-content').waitFor({ timeout: 15_000 });
      await ex.getByRole('button', { name: 'Check' }).click();
      await ex.locator('.cases li').first().waitFor();
      await page.locator('[data-ws-progress]:not([hidden])').waitFor();
      expect(await axe(page)).toEqual([]);
      expect(problems).toEqual([]);
      await context.close();
    });
  }
});
