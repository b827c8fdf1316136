// The Stepper island in headless Chromium, in both builds: stepping changes the operand
// stack and stepping back restores it; a breakpoint stops a run; memory.grow adds a page
// to the page map; a store lights up its bytes in the hex dump; a trap is shown with its
// message; an endless loop pauses promptly (Pause answers within 100 ms); a validation
// error is located; a breakpoint set in the Bytes view stops a run; the call picker runs
// another export with typed arguments and refuses invalid ones; two steppers
// on one page do not interfere; keyboard shortcuts act on one stepper only (the focused
// one, or with focus outside them the one last used); the
// help overlay and the pages with steppers open (axe-clean) in light and dark.
import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { axe, describeBrowser, open, useBrowserSite } from './harness.ts';
import { SITES } from './sites.ts';

const FIRST = 'lessons/01-start/02-first-module/';
const TOUR = 'lessons/01-start/03-stepper/';

/** The stepper figure with this caption, scrolled into view and hydrated. */
async function stepper(page: Page, title: string): Promise<Locator> {
  const fig = page.locator('figure.stepper', { has: page.locator('.title', { hasText: title }) });
  await fig.scrollIntoViewIfNeeded();
  await fig.locator('.v-stack').waitFor({ timeout: 15_000 });
  return fig;
}

/** The operand stack's values, bottom first (cells still leaving are not counted). */
async function stack(fig: Locator): Promise<string[]> {
  return fig.locator('.v-stack li.cell:not(.leaving) .val').allTextContents();
}

async function step(fig: Locator): Promise<string> {
  return (await fig.locator('.timeline .num').textContent()) ?? '';
}

const button = (fig: Locator, name: string | RegExp): Locator => fig.getByRole('button', { name, exact: typeof name === 'string' });

describeBrowser.each(SITES)('the Stepper on the $name site (base $base)', (site) => {
  const s = useBrowserSite(site, { context: { reducedMotion: 'reduce', viewport: { width: 1280, height: 900 } } });

  it('steps through add(2, 3): the stack changes, and stepping back restores it', async () => {
    const { page, problems } = await open(s.context, s.url + FIRST);
    const fig = await stepper(page, 'Stepper: add');
    expect(await stack(fig)).toEqual([]);
    await button(fig, 'Step into').click();
    await expect.poll(() => stack(fig)).toEqual(['2']);
    await button(fig, 'Step into').click();
    await expect.poll(() => stack(fig)).toEqual(['2', '3']);
    // The bytes of the next instruction (i32.add, 0x6a) are highlighted in step with the source.
    await expect.poll(() => fig.locator('.v-bytes .brow.current .bhex').textContent()).toBe('6a');
    expect((await fig.locator('.v-source .t.m2').allTextContents()).join('')).toBe('i32.add');
    await button(fig, 'Step into').click();
    await expect.poll(() => stack(fig)).toEqual(['5']);
    await expect.poll(() => fig.locator('.narration').textContent()).toContain('i32.add popped 2 and 3 and pushed 5');
    await button(fig, 'Step back').click();
    await expect.poll(() => stack(fig)).toEqual(['2', '3']);
    await button(fig, 'Step back').click();
    await expect.poll(() => stack(fig)).toEqual(['2']);
    // The timeline goes anywhere run so far.
    await fig.getByRole('slider', { name: 'Step' }).fill('3');
    await expect.poll(() => stack(fig)).toEqual(['5']);
    // The hex toggle changes how values read.
    await fig.getByRole('button', { name: 'hex', exact: true }).click();
    await expect.poll(() => stack(fig)).toEqual(['0x00000005']);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a breakpoint stops a run, and a line number toggles one', async () => {
    const { page, problems } = await open(s.context, s.url + TOUR);
    const loop = await stepper(page, 'A loop that counts');
    // The lesson sets a breakpoint on line 17 (call $log).
    expect(await loop.getByRole('button', { name: 'Breakpoint on line 17' }).getAttribute('aria-pressed')).toBe('true');
    await button(loop, /^Continue/).click();
    await expect.poll(() => loop.locator('.v-source .line.current').getAttribute('data-line')).toBe('17');
    const first = Number(await step(loop));
    await button(loop, /^Continue/).click();
    await expect.poll(async () => Number(await step(loop))).toBeGreaterThan(first);
    expect(await loop.locator('.v-source .line.current').getAttribute('data-line')).toBe('17');
    // env.log printed 1 before the second stop.
    await expect.poll(() => loop.locator('.v-console li').allTextContents()).toEqual(['step ' + (first + 1) + ' 1']);

    // In fib, a breakpoint set by clicking line 16 (the second call) stops Continue there.
    const fib = await stepper(page, 'Recursion: fib');
    await fib.getByRole('button', { name: 'Breakpoint on line 16' }).click();
    expect(await fib.getByRole('button', { name: 'Breakpoint on line 16' }).getAttribute('aria-pressed')).toBe('true');
    await button(fib, /^Continue/).click();
    await expect.poll(() => fib.locator('.v-source .line.current').getAttribute('data-line')).toBe('16');
    expect(Number(await step(fib))).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a breakpoint set on an instruction in the Bytes view, by click or by keyboard, stops a run there', async () => {
    const { page, problems } = await open(s.context, s.url + TOUR);
    const fib = await stepper(page, 'Recursion: fib');
    const row = (label: RegExp): Locator => fib.locator('.v-bytes .brow.instr', { has: page.locator('.blabel', { hasText: label }) });
    const pressed = (l: Locator): Promise<string | null> => l.getByRole('button').getAttribute('aria-pressed');
    const line = (n: number): Locator => fib.getByRole('button', { name: `Breakpoint on line ${n}`, exact: true });
    // Click the row of i32.add: a breakpoint on it, shown in both views (line 17 holds only that instruction).
    const add = row(/^\s*i32\.add$/);
    await add.click();
    await expect.poll(() => pressed(add)).toBe('true');
    expect(await add.getAttribute('class')).toContain('bp');
    expect(await line(17).getAttribute('aria-pressed')).toBe('true');
    await button(fib, /^Continue/).click();
    await expect.poll(() => fib.locator('.v-bytes .brow.current .blabel').textContent()).toMatch(/^\s*i32\.add$/);
    expect(await fib.locator('.v-bytes .brow.current').getAttribute('class')).toContain('bp');
    expect(await fib.locator('.v-source .line.current').getAttribute('data-line')).toBe('17');
    const stoppedAt = Number(await step(fib));
    expect(stoppedAt).toBeGreaterThan(0);
    // A second click takes it away, in both views.
    await add.click();
    await expect.poll(() => pressed(add)).toBe('false');
    expect(await line(17).getAttribute('aria-pressed')).toBe('false');

    // Keyboard: the Bytes view is one tab stop; ↓ goes to the next row (the if's `end`, which
    // shares line 18 with the function's own end) and Enter sets a breakpoint on it alone.
    const bytes = fib.getByRole('group', { name: /^Module bytes/ });
    await bytes.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const marked = fib.locator('.v-bytes .brow.bp');
    await expect.poll(() => marked.count()).toBe(1);
    expect(await marked.locator('.blabel').textContent()).toMatch(/^\s*end$/);
    expect(await line(18).getAttribute('aria-pressed')).toBe('mixed');
    expect(await step(fib)).toBe(String(stoppedAt)); // Enter toggled, it did not step
    await button(fib, /^Continue/).click();
    await expect.poll(async () => Number(await step(fib))).toBe(stoppedAt + 1);
    expect(await fib.locator('.v-bytes .brow.current').getAttribute('class')).toContain('bp');
    expect(await fib.locator('.v-source .line.current').getAttribute('data-line')).toBe('18');
    // The line-number button clears a partly marked line.
    await line(18).click();
    await expect.poll(() => marked.count()).toBe(0);
    expect(await line(18).getAttribute('aria-pressed')).toBe('false');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the call picker runs another export with typed arguments, and refuses text that is not one', async () => {
    const { page, problems } = await open(s.context, s.url + TOUR);
    const fig = await stepper(page, 'Several exports');
    const picker = fig.locator('form.call');
    const inputs = picker.locator('input');
    const call = picker.getByRole('button', { name: 'Call', exact: true });
    expect(await picker.locator('select option').allTextContents()).toEqual(['square', 'mean', 'shift']);
    expect(await inputs.count()).toBe(1);

    // mean(1.5, 2): two f64 boxes.
    await picker.locator('select').selectOption('mean');
    await expect.poll(() => picker.locator('.arg label').allTextContents()).toEqual(['$a f64', '$b f64']);
    await inputs.nth(0).fill('1.5');
    await inputs.nth(1).fill('2');
    await call.click();
    await expect.poll(() => fig.locator('.narration').textContent()).toContain('Ready to call $mean(1.5, 2)');
    await button(fig, /^Continue/).click();
    await expect.poll(() => fig.locator('.narration .outcome').textContent()).toBe('The call returned 1.75 (f64).');
    expect(await stack(fig)).toEqual(['1.75']);

    // shift(0x10, 4): i64 boxes take hex; Enter in a box calls.
    await picker.locator('select').selectOption('shift');
    await expect.poll(() => picker.locator('.arg label').allTextContents()).toEqual(['$bits i64', '$by i64']);
    await inputs.nth(0).fill('0x10');
    await inputs.nth(1).fill('4');
    await inputs.nth(1).press('Enter');
    await expect.poll(() => fig.locator('.narration').textContent()).toContain('Ready to call $shift(16, 4)');
    await button(fig, /^Continue/).click();
    await expect.poll(() => fig.locator('.narration .outcome').textContent()).toBe('The call returned 256 (i64).');
    const finished = await step(fig);

    // Text that is not an i64: a clear message, the box marked, and nothing runs.
    await inputs.nth(0).fill('ten');
    const error = picker.getByRole('alert');
    await expect.poll(() => error.textContent()).toBe('$bits: an i64 is a whole number, like 42, -7 or 0xff');
    expect(await inputs.nth(0).getAttribute('aria-invalid')).toBe('true');
    expect(await call.isDisabled()).toBe(true);
    await inputs.nth(0).press('Enter');
    await page.waitForTimeout(200);
    expect(await step(fig)).toBe(finished);
    expect(await fig.locator('.narration .outcome').textContent()).toBe('The call returned 256 (i64).');
    await inputs.nth(0).fill('0x1_0000_0000_0000_0000');
    await expect.poll(() => error.textContent()).toBe('$bits: too big for an i64');
    // Fixed, it runs again.
    await inputs.nth(0).fill('-1');
    await expect.poll(() => error.count()).toBe(0);
    await call.click();
    await expect.poll(() => fig.locator('.narration').textContent()).toContain('Ready to call $shift(-1, 4)');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('memory.grow adds a page to the page map, and a store lights up its bytes', async () => {
    const { page, problems } = await open(s.context, s.url + TOUR);
    const mem = await stepper(page, 'Memory: keep a value');
    const pages = mem.locator('.v-memory .pages .page.live');
    expect(await pages.count()).toBe(1);
    expect(await mem.locator('.v-memory .pages .page.spare').count()).toBe(3); // maximum 4
    // i32.const 0x100, local.get $value, i32.store: 1000 = e8 03 00 00 at 0x100.
    for (let k = 0; k < 3; k++) await button(mem, 'Step into').click();
    await expect.poll(() => mem.locator('.v-memory .dump .hex span.w').allTextContents()).toEqual(['e8', '03', '00', '00']);
    expect(await mem.locator('.v-memory .dump .hexrow', { has: page.locator('.addr', { hasText: '00000100' }) }).count()).toBe(1);
    await button(mem, /^Continue/).click();
    await expect.poll(() => pages.count()).toBe(2);
    await expect.poll(() => mem.locator('.narration').textContent()).toContain('returned 1000');
    // Back before the grow: the page goes away again.
    for (let k = 0; k < 5; k++) await button(mem, 'Step back').click();
    await expect.poll(() => pages.count()).toBe(1);
    // An address jumps the dump there.
    await mem.getByLabel('Address').fill('0x2000');
    await mem.getByRole('button', { name: 'Show', exact: true }).click();
    await expect.poll(() => mem.locator('.v-memory .dump .addr').first().textContent()).toBe('00001fe0');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a trap is shown where it happened, with its message', async () => {
    const { page, problems } = await open(s.context, s.url + TOUR);
    const fig = await stepper(page, 'A trap: average');
    await button(fig, /^Continue/).click();
    await expect.poll(() => fig.locator('.v-source .trapnote').textContent()).toBe('trap: integer divide by zero');
    expect(await fig.locator('.v-source .line.trap').getAttribute('data-line')).toBe('5');
    expect(await fig.locator('.narration').textContent()).toContain('trap at line 5:5: integer divide by zero');
    expect(await fig.locator('.timeline output').textContent()).toContain('trapped');
    await button(fig, 'Step back').click();
    await expect.poll(() => stack(fig)).toEqual(['7', '0']);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('an endless loop runs without freezing the page and pauses at once', async () => {
    const { page, problems } = await open(s.context, s.url + TOUR);
    const fig = await stepper(page, 'An endless loop');
    await fig.getByLabel('Speed').selectOption('max');
    await button(fig, 'Run').click();
    await expect.poll(async () => Number(await step(fig)), { timeout: 10_000 }).toBeGreaterThan(10_000);
    // The page stays responsive while it runs: a timer fires on time.
    const lag = await page.evaluate(() => new Promise<number>((resolve) => {
      const t0 = performance.now();
      setTimeout(() => resolve(performance.now() - t0 - 50), 50);
    }));
    expect(lag).toBeLessThan(100);
    // Pause answers within a frame or two of the click.
    const took = await fig.evaluate((root) => new Promise<number>((resolve) => {
      const pause = [...root.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === 'Pause')!;
      const t0 = performance.now();
      pause.click();
      const check = (): void => {
        if (pause.getAttribute('aria-label') === 'Run') resolve(performance.now() - t0);
        else requestAnimationFrame(check);
      };
      check();
    }));
    expect(took).toBeLessThan(100);
    const stopped = await step(fig);
    await page.waitForTimeout(300);
    expect(await step(fig)).toBe(stopped);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a module that does not validate is shown with the line and column of the problem', async () => {
    const { page, problems } = await open(s.context, s.url + TOUR);
    const fig = page.locator('figure.stepper', { has: page.locator('.title', { hasText: 'Not valid: half' }) });
    await fig.scrollIntoViewIfNeeded();
    const alert = fig.getByRole('alert');
    await expect.poll(() => alert.textContent(), { timeout: 15_000 }).toMatch(/Validation error at 5:\d+: .*type mismatch/);
    expect(await fig.locator('.v-source .line.problem').getAttribute('data-line')).toBe('5');
    expect(await button(fig, 'Step into').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('opens a .wasm file relative to the site base, with its own bytes', async () => {
    const { page, problems } = await open(s.context, s.url + TOUR);
    const fig = await stepper(page, 'From a file: add.wasm');
    expect(await fig.locator('.v-bytes .ph .sub').textContent()).toBe('41 bytes of .wasm');
    expect((await fig.locator('.v-source code').allTextContents()).some((line) => line.includes('i32.add'))).toBe(true);
    for (let k = 0; k < 3; k++) await button(fig, 'Step into').click();
    await expect.poll(() => stack(fig)).toEqual(['42']);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('two steppers on one page do not interfere, and keys act on one of them only', async () => {
    const { page, problems } = await open(s.context, s.url + TOUR);
    const fib = await stepper(page, 'Recursion: fib');
    const loop = await stepper(page, 'A loop that counts');
    await button(fib, 'Step into').click();
    await button(fib, 'Step into').click();
    await expect.poll(() => step(fib)).toBe('2');
    expect(await step(loop)).toBe('0');
    expect(await stack(loop)).toEqual([]);
    // Keyboard: S steps the stepper that has focus.
    await loop.locator('.v-stack').click();
    await page.keyboard.press('s');
    await expect.poll(() => step(loop)).toBe('1');
    expect(await step(fib)).toBe('2');
    await page.keyboard.press('b');
    await expect.poll(() => step(loop)).toBe('0');
    // Outside any stepper, the keys still act on one stepper only: the one last used,
    // while it is on screen (site/lib/stepper/page-keys.ts), never the other.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('s');
    await expect.poll(() => step(loop)).toBe('1');
    expect(await step(fib)).toBe('2');
    await page.keyboard.press('b');
    await expect.poll(() => step(loop)).toBe('0');
    // With Alt (or Ctrl, or Meta) the key is not the stepper's.
    await page.keyboard.press('Alt+s');
    await page.waitForTimeout(200);
    expect(await step(loop)).toBe('0');
    expect(await step(fib)).toBe('2');
    // Ids are unique on the page.
    const ids = await page.evaluate(() => [...document.querySelectorAll('[id]')].map((e) => e.id));
    expect(ids.length).toBe(new Set(ids).size);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('? opens the shortcut list; step over and out keep the frames in view', async () => {
    const { page, problems } = await open(s.context, s.url + TOUR);
    const fib = await stepper(page, 'Recursion: fib');
    await fib.locator('.v-stack').click();
    await page.keyboard.press('Shift+?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    expect(await dialog.locator('tbody tr').count()).toBeGreaterThan(8);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    // Step into fib until the first call, then into it: two frames.
    for (let k = 0; k < 20 && (await fib.locator('.narration .next').textContent())?.includes('call') !== true; k++) {
      await page.keyboard.press('s');
      await page.waitForTimeout(30);
    }
    await page.keyboard.press('s');
    await expect.poll(() => fib.locator('.v-frames li.frame').count()).toBe(2);
    // Out of the function: back in the caller, one frame, fib(3) = 2 on its stack.
    await page.keyboard.press('u');
    await expect.poll(() => fib.locator('.v-frames li.frame').count()).toBe(1);
    await expect.poll(() => stack(fib)).toEqual(['2']);
    // Out of the else block: fib(3) + fib(2) = 3.
    await page.keyboard.press('u');
    await expect.poll(() => stack(fib)).toEqual(['3']);
    expect(await fib.locator('.narration .next').textContent()).toContain('end');
    expect(problems).toEqual([]);
    await page.close();
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`the stepper pages are axe-clean with every stepper hydrated and one stepped (${theme})`, async () => {
      // axe is injected as an inline script, which the site's Content-Security-Policy forbids.
      const ctx = await s.browser.newContext({ colorScheme: theme, reducedMotion: 'reduce', bypassCSP: true });
      for (const path of [FIRST, TOUR]) {
        const { page, problems } = await open(ctx, s.url + path);
        const figs = page.locator('figure.stepper');
        const n = await figs.count();
        for (let i = 0; i < n; i++) await figs.nth(i).scrollIntoViewIfNeeded();
        await page.waitForTimeout(500);
        const first = figs.first();
        await first.locator('.v-stack').waitFor();
        await button(first, 'Step into').click();
        await button(first, 'Step into').click();
        expect(await axe(page), path).toEqual([]);
        expect(problems, path).toEqual([]);
        await page.close();
      }
      await ctx.close();
    });
  }

  it('fits a 390 px phone: the views stack and nothing overflows the page', async () => {
    const ctx = await s.browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, reducedMotion: 'reduce' });
    const { page, problems } = await open(ctx, s.url + TOUR);
    const fig = await stepper(page, 'Memory: keep a value');
    await button(fig, 'Step into').click();
    const [source, stackBox] = await Promise.all([fig.locator('.v-source').boundingBox(), fig.locator('.v-stack').boundingBox()]);
    expect(stackBox!.y).toBeGreaterThan(source!.y + source!.height - 1); // stacked, not side by side
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
    await ctx.close();
  });
});
