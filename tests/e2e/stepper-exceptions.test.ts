// The Stepper's Exceptions panel in headless Chromium, on the Playground's try_table
// example: the panel is there only for a module that uses exception handling; stepping
// (with the keyboard) to a throw, it names the clause that will catch it; stepping over
// the throw, it lists the unwinding (frames and labels popped, the catching clause), the
// Call frames view marks the frames the throw will leave, the popped frames leave the Call frames view and the narration tells it; stepping back
// restores the thrower's stack and frames exactly. axe-core finds nothing serious in light
// or dark, nothing scrolls sideways at 390 px, and screenshots at desktop and phone sizes
// in both themes go to $WASMSTEP_SHOTS (when set) for a person to look at.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { axe, describeBrowser, open } from './harness.ts';
import { useBrowserSite } from './harness.ts';
import { SITES } from './sites.ts';

const POLL = { timeout: 5_000 };
const shots = process.env.WASMSTEP_SHOTS;

async function step(fig: Locator): Promise<string> {
  return (await fig.locator('.timeline .num').textContent()) ?? '';
}

async function state(fig: Locator): Promise<{ stack: string[]; frames: string[]; step: string }> {
  return {
    stack: await fig.locator('.v-stack li.cell:not(.leaving) .val').allTextContents(),
    frames: await fig.locator('.v-frames li.frame:not(.leaving) .fname').allTextContents(),
    step: await step(fig),
  };
}

/** Presses a key for the stepper and waits until the step counter moved. */
async function press(page: Page, fig: Locator, key: string): Promise<void> {
  const before = await step(fig);
  await page.keyboard.press(key);
  await expect.poll(() => step(fig), POLL).not.toBe(before);
}

async function openExample(page: Page): Promise<Locator> {
  await page.locator('.playground .cm-content').waitFor();
  const fig = page.locator('figure.stepper');
  await fig.locator('.v-stack').waitFor({ timeout: 15_000 });
  // The program a first visit starts with uses no exceptions: no panel.
  expect(await fig.locator('.v-exceptions').count()).toBe(0);
  await page.getByLabel('Example').selectOption({ label: 'Exceptions: throw and try_table' });
  await expect.poll(() => fig.locator('.title').textContent(), POLL).toBe('Stepper: safe_scale');
  await fig.locator('.v-exceptions').waitFor();
  return fig;
}

/** Steps (S) until the panel announces a throw. */
async function toThrow(page: Page, fig: Locator): Promise<void> {
  const panel = fig.locator('.v-exceptions');
  await fig.locator('.v-stack').click();
  for (let i = 0; i < 80 && (await panel.locator('li[data-fact="next"]').count()) === 0; i++) await press(page, fig, 's');
  await panel.locator('li[data-fact="next"]').waitFor({ timeout: 1_000 });
}

/**
 * axe's findings, less the Playground editor's own: a text longer than the editor's box
 * makes CodeMirror's scroller a scrollable region axe does not see as focusable (its
 * content is contenteditable). That is the editor's, not the stepper's.
 */
async function axeStepper(page: Page): Promise<string[]> {
  return (await axe(page)).filter((v) => !/scrollable-region-focusable .* at \.cm-scroller$/.test(v));
}

const fact = (fig: Locator, key: string) => fig.locator(`.v-exceptions li[data-fact="${key}"] .v`).textContent();

describeBrowser.each(SITES.filter((s) => s.name === 'root'))('the Exceptions panel on the $name site', (site) => {
  const s = useBrowserSite(site);

  it('names the catching clause, shows the unwinding, and going back restores the thrower', async () => {
    const context = await s.browser.newContext({ reducedMotion: 'reduce', viewport: { width: 1280, height: 900 } });
    const { page, problems } = await open(context, s.url + 'playground/');
    const fig = await openExample(page);
    const panel = fig.locator('.v-exceptions');
    await toThrow(page, fig);
    expect(await fact(fig, 'next')).toBe('$too_big (200)');
    expect(await fact(fig, 'catcher')).toBe('catch_ref $too_big 0 of the try_table in $counted');
    // The catching clause is marked in words, in the innermost handler of $counted.
    const handlers = panel.locator('ol.handlers > li');
    expect(await handlers.locator('.hkind').allTextContents()).toEqual(['try_table', 'try_table']);
    expect(await handlers.nth(0).locator('li.catching').textContent()).toBe('catch_ref $too_big 0← catches the pending $too_big');
    expect(await handlers.nth(1).locator('li.catching').count()).toBe(0);
    const thrower = await state(fig);
    expect(thrower.frames).toEqual(['$check', '$scale', '$counted', '$safe_scale']);
    expect(thrower.stack).toEqual(['200']);
    // The Call frames view marks the frames the throw will leave.
    expect(await fig.locator('.v-frames li.frame.unwinds .fname').allTextContents()).toEqual(['$check', '$scale']);
    expect(await fig.locator('.v-frames li.frame.unwinds .where').first().textContent()).toContain('the throw leaves it');

    // The line button brings the handler's line of the source into view and focuses it.
    const line = await panel.locator('li[data-fact="catcher"] button.goto').getAttribute('data-line');
    await panel.locator('li[data-fact="catcher"] button.goto').click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[data-line]')?.getAttribute('data-line')), POLL).toBe(line);

    // Step over the throw (N): the unwinding.
    await press(page, fig, 'n');
    await expect.poll(() => fact(fig, 'frames'), POLL).toBe('2: $check, $scale');
    expect(await fig.locator('.v-frames li.frame.unwinds').count()).toBe(0);
    expect(await fact(fig, 'tag')).toBe('$too_big (200)');
    expect(await fact(fig, 'at')).toBe('throw in $check');
    expect(Number(await fact(fig, 'labels'))).toBeGreaterThan(0);
    expect(await fact(fig, 'caught')).toMatch(/^catch_ref \$too_big 0 of the try_table in \$counted; goes on at /);
    expect(await panel.locator('li[data-fact="next"]').count()).toBe(0);
    const narration = (await fig.locator('.narration .said').textContent()) ?? '';
    expect(narration).toContain('throw');
    expect(narration).toContain('$too_big');
    expect(narration).toContain('$counted');
    await expect.poll(async () => (await state(fig)).frames, POLL).toEqual(['$counted', '$safe_scale']);
    if (shots !== undefined) {
      mkdirSync(shots, { recursive: true });
      await fig.screenshot({ path: join(shots, 'exceptions-desktop-light.png') });
    }

    // Back (B): the thrower's state exactly, and the pending throw again.
    await press(page, fig, 'b');
    await expect.poll(() => state(fig), POLL).toEqual(thrower);
    expect(await fact(fig, 'catcher')).toBe('catch_ref $too_big 0 of the try_table in $counted');
    expect(await panel.locator('li[data-fact="frames"]').count()).toBe(0);
    expect(await fig.locator('.v-frames li.frame.unwinds .fname').allTextContents()).toEqual(['$check', '$scale']);

    // On to throw_ref: caught by $safe_scale's clause, one frame up.
    await press(page, fig, 'n');
    await toThrow(page, fig);
    expect(await fact(fig, 'catcher')).toBe('catch $too_big 0 of the try_table in $safe_scale');
    await press(page, fig, 's');
    await expect.poll(() => fact(fig, 'frames'), POLL).toBe('1: $counted');
    expect(await fact(fig, 'at')).toBe('throw_ref in $counted');
    expect(problems).toEqual([]);
    await context.close();
  });

  for (const theme of ['light', 'dark'] as const) {
    for (const [size, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]] as const) {
      it(`passes axe-core and fits at ${size} size (${theme})`, async () => {
        const context = await s.browser.newContext({ reducedMotion: 'reduce', viewport, colorScheme: theme, bypassCSP: true });
        const { page, problems } = await open(context, s.url + 'playground/');
        const fig = await openExample(page);
        await toThrow(page, fig);
        expect(await axeStepper(page)).toEqual([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
        if (shots !== undefined) {
          mkdirSync(shots, { recursive: true });
          await fig.locator('.v-exceptions').scrollIntoViewIfNeeded();
          await fig.screenshot({ path: join(shots, `exceptions-${size}-${theme}-pending.png`) });
        }
        await press(page, fig, 'n');
        await fig.locator('.v-exceptions li[data-fact="caught"]').waitFor();
        expect(await axeStepper(page)).toEqual([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
        if (shots !== undefined) await fig.locator('.v-exceptions').screenshot({ path: join(shots, `exceptions-${size}-${theme}-caught.png`) });
        expect(problems).toEqual([]);
        await context.close();
      });
    }
  }
});
