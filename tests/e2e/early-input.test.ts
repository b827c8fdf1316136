// Answers given before an island has hydrated are kept, in both builds. A client:visible
// island's code is fetched only when it scrolls into view, and until it runs the learner
// sees (and can type into) the server-rendered form. Here the island's chunk is held back
// until the learner has typed, so hydration certainly comes after the input: the typed
// text and the picked choice must survive it and be what Check grades, and code typed
// into an exercise's plain textarea must reach the editor that replaces it.
import type { Page, Route } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeBrowser, open, useBrowserSite } from './harness.ts';
import { SITES } from './sites.ts';

const ARITHMETIC = 'lessons/03-stack-machine/01-constants-and-arithmetic/';

/** Holds every request for the island chunk `name` (e.g. "Quiz") until `release()` is called. */
async function holdChunk(page: Page, name: string): Promise<{ requested: Promise<void>; release: () => void }> {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let requested!: () => void;
  const seen = new Promise<void>((resolve) => (requested = resolve));
  await page.route(new RegExp(`/_astro/${name}\\.[\\w-]+\\.js$`), async (route: Route) => {
    requested();
    await gate;
    await route.continue();
  });
  return { requested: seen, release };
}

describeBrowser.each(SITES)('input before hydration on the $name site (base $base)', (site) => {
  const s = useBrowserSite(site, { context: { viewport: { width: 1280, height: 900 } } });

  it('a quiz keeps a typed answer and a picked choice given while its code was loading, and grades them', async () => {
    const { page, problems } = await open(s.context, s.url + ARITHMETIC);
    const held = await holdChunk(page, 'Quiz');
    const typed = page.locator('section.quiz form', { has: page.locator('legend', { hasText: 'after these three instructions' }) });
    const chosen = page.locator('section.quiz form', { has: page.locator('legend', { hasText: 'What does this leave on the stack?' }) });
    const island = typed.locator('xpath=ancestor::astro-island');
    await typed.scrollIntoViewIfNeeded();
    await held.requested;
    expect(await island.getAttribute('ssr')).not.toBeNull();

    const input = typed.getByRole('textbox', { name: 'Your answer' });
    await input.click();
    await page.keyboard.type('7 1 2');
    await chosen.getByRole('radio', { name: '7', exact: true }).check();
    // Still the server's HTML: nothing has run yet.
    expect(await island.getAttribute('ssr')).not.toBeNull();

    held.release();
    await expect.poll(() => island.getAttribute('ssr'), { timeout: 15_000 }).toBeNull();
    expect(await input.inputValue()).toBe('7 1 2');
    expect(await chosen.getByRole('radio', { name: '7', exact: true }).isChecked()).toBe(true);

    await typed.getByRole('button', { name: 'Check' }).click();
    await expect.poll(() => typed.getByRole('status').textContent()).toMatch(/Right\./);
    expect(await typed.getByRole('status').textContent()).not.toMatch(/Type an answer first/);
    await chosen.getByRole('button', { name: 'Check' }).click();
    await expect.poll(() => chosen.getByRole('status').textContent()).toMatch(/Right\./);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('an exercise keeps code typed into its textarea before the editor loaded', async () => {
    const { page, problems } = await open(s.context, s.url + ARITHMETIC);
    const held = await holdChunk(page, 'Exercise');
    const ex = page.locator('section.exercise', { hasText: 'the order of operands' });
    const island = ex.locator('xpath=ancestor::astro-island');
    await ex.scrollIntoViewIfNeeded();
    await held.requested;
    const textarea = ex.locator('textarea');
    await textarea.click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type('\n;; mine');
    expect(await island.getAttribute('ssr')).not.toBeNull();

    held.release();
    const editor = ex.locator('.cm-content');
    await editor.waitFor({ timeout: 15_000 });
    expect(await editor.textContent()).toContain(';; mine');
    expect(problems).toEqual([]);
    await page.close();
  });
});
