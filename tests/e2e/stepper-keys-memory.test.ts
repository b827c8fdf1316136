// The Stepper in headless Chromium, in both builds: its shortcuts answer without a click
// (site/lib/stepper/page-keys.ts) — on the lesson that says "press S", from the stepper
// last used among several, and never from a text box; a trap note under the last line is
// scrolled into the source pane; the Memory view's Address box names the address the dump
// shows, "Show" presses that address's page, and the last write stays marked until the next.
import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeBrowser, figure, open, useBrowserSite } from './harness.ts';
import { SITES } from './sites.ts';

const FIRST = 'lessons/01-start/02-first-module/';
const TOUR = 'lessons/01-start/03-stepper/';
const POLL = { timeout: 5_000 };

/** The stepper figure with this caption, scrolled into view and hydrated. */
async function stepper(page: Page, title: string): Promise<Locator> {
  const fig = page.locator('figure.stepper', { has: page.locator('.title', { hasText: title }) });
  await fig.scrollIntoViewIfNeeded();
  await fig.locator('.v-stack').waitFor({ timeout: 15_000 });
  return fig;
}

async function step(fig: Locator): Promise<string> {
  return (await fig.locator('.timeline .num').textContent()) ?? '';
}

const button = (fig: Locator, name: string | RegExp): Locator => fig.getByRole('button', { name, exact: typeof name === 'string' });

/** Focus goes back to the page itself, as after clicking its text. */
async function blur(page: Page): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

/** A module whose last line traps, long enough that its source pane scrolls. */
const LONG_TRAP = `(module
  (func $fall (export "fall")
${Array.from({ length: 30 }, (_, i) => `    nop ;; ${i + 1}`).join('\n')}
    unreachable))`;

describeBrowser.each(SITES)('Stepper shortcuts and memory on the $name site (base $base)', (site) => {
  const s = useBrowserSite(site, { context: { reducedMotion: 'reduce', viewport: { width: 1280, height: 900 } } });

  it('"Press Step (or S)" works without a click, and S typed in a quiz answer stays there', async () => {
    const { page, problems } = await open(s.context, s.url + FIRST);
    expect(await page.locator('main').textContent()).toContain('Press Step (or S)');
    const fig = await stepper(page, 'Stepper: add');
    expect(await step(fig)).toBe('0');
    await page.keyboard.press('s');
    await expect.poll(() => step(fig), POLL).toBe('1');
    await page.keyboard.press('s');
    await expect.poll(() => step(fig), POLL).toBe('2');
    await page.keyboard.press('b');
    await expect.poll(() => step(fig), POLL).toBe('1');
    // Ctrl, Alt or Meta with a letter is the browser's or the page's, never the stepper's.
    await page.keyboard.press('Alt+s');
    // Typing in the quiz's answer box: the letters go into the box, the stepper stays.
    const quiz = await figure(page, '.quiz');
    const answer = quiz.getByLabel('Your answer').first();
    await answer.click();
    await page.keyboard.type('sb');
    expect(await answer.inputValue()).toBe('sb');
    await page.waitForTimeout(200);
    expect(await step(fig)).toBe('1');
    // The help says so.
    await button(fig, 'Keyboard shortcuts (?)').click();
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    const help = (await dialog.textContent())!.replace(/\s+/g, ' ');
    expect(help).toMatch(/With focus elsewhere on the page, the letter keys go to one stepper only: the one you last used, if it is still on screen, else the one most in view/);
    expect(help).toMatch(/Keys typed in a text box, an editor, a dialog or another widget stay there/);
    // A modal in the middle of the screen (the page's reset CSS must not pin it to a corner).
    const box = (await dialog.boundingBox())!;
    const view = page.viewportSize()!;
    expect(Math.abs(box.x + box.width / 2 - view.width / 2)).toBeLessThan(2);
    expect(box.y).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('of two steppers on screen, the one last used answers the page-wide keys, and only it', async () => {
    const { page, problems } = await open(s.context, s.url + TOUR);
    const fib = await stepper(page, 'Recursion: fib');
    const loop = await stepper(page, 'A loop that counts');
    /** Scrolls so that only the last 120 px of fib show, at the top: the loop fills the rest. */
    const fibAtTop = (): Promise<void> => fib.evaluate((el) => window.scrollBy(0, el.getBoundingClientRect().bottom - 120));
    /** Scrolls so that only the first 120 px of the loop show, at the bottom: fib fills the rest. */
    const loopAtBottom = (): Promise<void> => loop.evaluate((el) => window.scrollBy(0, el.getBoundingClientRect().top - (window.innerHeight - 120)));
    // Neither used yet: the one most in view answers.
    await fibAtTop();
    await page.keyboard.press('s');
    await expect.poll(() => step(loop), POLL).toBe('1');
    expect(await step(fib)).toBe('0');
    // Using fib (a pointer inside it) makes it the owner, also once focus has left it and
    // the loop fills most of the screen.
    await fib.locator('.v-stack').click();
    await blur(page);
    await fibAtTop();
    await page.keyboard.press('s');
    await expect.poll(() => step(fib), POLL).toBe('1');
    expect(await step(loop)).toBe('1');
    // And the loop again, with fib filling most of the screen.
    await loop.locator('.v-stack').click();
    await blur(page);
    await loopAtBottom();
    await page.keyboard.press('s');
    await expect.poll(() => step(loop), POLL).toBe('2');
    await page.keyboard.press('s');
    await expect.poll(() => step(loop), POLL).toBe('3');
    expect(await step(fib)).toBe('1');
    // Once the loop is off screen, the keys go to the one in view (fib), not to it.
    await loop.evaluate((el) => window.scrollBy(0, el.getBoundingClientRect().top - window.innerHeight - 10));
    await page.keyboard.press('s');
    await expect.poll(() => step(fib), POLL).toBe('2');
    expect(await step(loop)).toBe('3');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a trap note under the last line is scrolled into the source pane', async () => {
    const { page, problems } = await open(s.context, s.url + 'playground/');
    await page.locator('.playground .cm-content').waitFor();
    await page.locator('.playground .cm-content').click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.insertText(LONG_TRAP);
    await page.getByRole('button', { name: 'Load into stepper' }).click();
    const fig = page.locator('figure.stepper');
    await expect.poll(() => fig.locator('.title').textContent(), POLL).toBe('Stepper: fall');
    // Run to the last line (a breakpoint there), so it is already in view; then trap on it.
    const last = LONG_TRAP.split('\n').length;
    await fig.getByRole('button', { name: `Breakpoint on line ${last}` }).click();
    await button(fig, /^Continue/).click();
    await expect.poll(() => fig.locator('.v-source .line.current').getAttribute('data-line'), POLL).toBe(String(last));
    await page.waitForTimeout(100);
    await button(fig, 'Step into').click();
    const note = fig.locator('.v-source .trapnote');
    await expect.poll(() => note.textContent(), POLL).toMatch(/^trap: unreachable/);
    // The note's box is inside the pane's visible box (its client area).
    const inside = async (): Promise<boolean> =>
      note.evaluate((n) => {
        const pane = n.closest('.code')!;
        const p = pane.getBoundingClientRect();
        const r = n.getBoundingClientRect();
        const top = p.top + pane.clientTop;
        return pane.scrollHeight > pane.clientHeight && r.top >= top && r.bottom <= top + pane.clientHeight;
      });
    await expect.poll(inside, POLL).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  /** The "Memory: keep a value" stepper and the parts of its Memory view the tests read. */
  async function memoryView(page: Page) {
    const mem = await stepper(page, 'Memory: keep a value');
    return {
      mem,
      box: mem.getByLabel('Address'),
      follow: mem.getByLabel('follow the last access'),
      pressed: (): Promise<string[]> => mem.locator('.v-memory .pages .page[aria-pressed="true"]').allTextContents(),
      firstRow: (): Promise<string | null> => mem.locator('.v-memory .dump .addr').first().textContent(),
      rowOf: (addr: string): Locator => mem.locator('.v-memory .dump .hexrow', { has: page.locator('.addr', { hasText: addr }) }),
      written: (): Promise<string[]> => mem.locator('.v-memory .dump .hex span.w').allTextContents(),
    };
  }

  it('the Address box names the address the dump follows, and typing one stops following', async () => {
    const { page, problems } = await open(s.context, s.url + TOUR);
    const { mem, box, follow, firstRow, rowOf } = await memoryView(page);
    // i32.const 0x100, local.get $value, i32.store: the dump follows the store to 0x100,
    // and the box says so.
    for (let k = 0; k < 3; k++) await button(mem, 'Step into').click();
    await expect.poll(() => rowOf('00000100').count(), POLL).toBe(1);
    expect(await box.inputValue()).toBe('0x00000100');
    // Typing an address stops following (the box is the reader's now); Show goes there.
    await box.fill('0x2000');
    expect(await follow.isChecked()).toBe(false);
    await mem.getByRole('button', { name: 'Show', exact: true }).click();
    await expect.poll(() => box.inputValue(), POLL).toBe('0x00002000');
    expect(await rowOf('00002000').count()).toBe(1);
    // Following again, the next access moves box and dump together.
    await follow.check();
    await button(mem, 'Reset to the first step').click();
    for (let k = 0; k < 3; k++) await button(mem, 'Step into').click();
    await expect.poll(() => box.inputValue(), POLL).toBe('0x00000100');
    expect(await rowOf('00000100').count()).toBe(1);
    // A page's square: the box names its first byte, the dump starts there.
    await mem.locator('.v-memory .pages .page[data-page="0"]').click();
    await expect.poll(() => box.inputValue(), POLL).toBe('0x00000000');
    expect(await firstRow()).toBe('00000000');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('Show 0x10000 presses page 1 in the page map', async () => {
    const { page, problems } = await open(s.context, s.url + TOUR);
    const { mem, box, pressed, rowOf } = await memoryView(page);
    await button(mem, /^Continue/).click();
    await expect.poll(() => mem.locator('.v-memory .pages .page.live').count(), POLL).toBe(2);
    expect(await pressed()).toEqual(['0']);
    await box.fill('0x10000');
    await mem.getByRole('button', { name: 'Show', exact: true }).click();
    await expect.poll(() => rowOf('00010000').count(), POLL).toBe(1);
    expect(await pressed()).toEqual(['1']);
    expect(await box.inputValue()).toBe('0x00010000');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('when the dump narrows to 8 columns, the address in the box stays in it', async () => {
    const { page, problems } = await open(s.context, s.url + TOUR);
    const { mem, box, rowOf } = await memoryView(page);
    // Near the end of the one page, the 16-row window is pinned to the end: 0xfff0 is far down it.
    await box.fill('0xfff0');
    await mem.getByRole('button', { name: 'Show', exact: true }).click();
    await expect.poll(() => rowOf('0000fff0').count(), POLL).toBe(1);
    await page.setViewportSize({ width: 390, height: 844 });
    await mem.scrollIntoViewIfNeeded();
    await expect.poll(() => mem.locator('.v-memory .dump .hexrow').first().locator('.hex span').count(), POLL).toBe(8);
    await expect.poll(() => rowOf('0000fff0').count(), POLL).toBe(1);
    expect(await box.inputValue()).toBe('0x0000fff0');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the last write stays marked after a step that touches no memory, until stepping back before it', async () => {
    const { page, problems } = await open(s.context, s.url + TOUR);
    const { mem, written } = await memoryView(page);
    for (let k = 0; k < 3; k++) await button(mem, 'Step into').click();
    await expect.poll(written, POLL).toEqual(['e8', '03', '00', '00']);
    // global.get $stored touches no memory: the store is still the last write, still marked.
    await button(mem, 'Step into').click();
    await expect.poll(() => step(mem), POLL).toBe('4');
    await expect.poll(() => mem.locator('.narration').textContent(), POLL).toContain('global.get');
    expect(await written()).toEqual(['e8', '03', '00', '00']);
    expect(await mem.locator('.v-memory .dump .hex span.w').first().getAttribute('title')).toBe('0x00000100: 232 (0xe8), last written');
    expect(await mem.locator('.v-memory .pages .page[data-page="0"]').getAttribute('aria-label')).toContain('has the last write');
    // Back to before the store: nothing written yet.
    for (let k = 0; k < 2; k++) await button(mem, 'Step back').click();
    await expect.poll(() => step(mem), POLL).toBe('2');
    await expect.poll(written, POLL).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
