// The Playground page in headless Chromium, in both builds: a typo is underlined at the
// right place with the engine's message on hover and in the status line, and fixing it
// lets the program run and step; a share link re-opens exactly the program in a fresh
// browser, and a damaged one leaves the draft alone; a reload keeps the draft; an example
// loads and the replaced draft can be brought back; .wasm downloads are the engine's
// encoding (and are off while the text has an error); a .wasm opened through the file
// input shows its disassembly (with names) and the stubs for its imports, and steps;
// a large real module (sql.js) opens and steps within generous time limits, its views drawing
// only the lines in view; each button has a name of its own (one "Load into stepper", one
// "Run"); an edit clears the last action's notice; a field after the module's closing paren
// is explained; restarts (also several within a frame, with a long text that does not parse)
// leave no derived_inert warning; no console errors; axe-core finds
// nothing serious in light or dark.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import wabtInit from 'wabt';
import { axe, describeBrowser, open, useBrowserSite } from './harness.ts';
import { SITES } from './sites.ts';

const sqlWasmPath = createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm');
const PAGE = 'playground/';
/** How long a poll waits: the machine may be busy, and a page does more work than a unit test. */
const POLL = { timeout: 5_000 };

const BROKEN = `(module
  (func $square (export "square") (param $x i32) (result i32)
    local.get $x
    local.get $x
    i32.mull))`;

const SHARED = `;; shared: ünïcode ✓
(module
  (func $answer (export "answer") (result i32)
    i32.const 6
    i32.const 7
    i32.mul))`;

/** Opens the page, adding what goes wrong on it to `problems`, once the editor is there. */
async function openPlayground(context: BrowserContext, url: string, problems: string[]): Promise<Page> {
  const { page } = await open(context, url, { problems });
  await page.locator('.playground .cm-content').waitFor();
  return page;
}

/** The editor's text, line by line (the documents here are short, so every line is drawn). */
async function editorText(page: Page): Promise<string> {
  return (await page.locator('.playground .cm-content .cm-line').allTextContents()).join('\n');
}

async function setEditorText(page: Page, text: string): Promise<void> {
  await page.locator('.playground .cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(text);
  await expect.poll(() => editorText(page), POLL).toBe(text);
}

async function stack(fig: Locator): Promise<string[]> {
  return fig.locator('.v-stack li.cell:not(.leaving) .val').allTextContents();
}

describeBrowser.each(SITES)('the Playground on the $name site (base $base)', (site) => {
  const s = useBrowserSite(site);
  let url: string;

  beforeAll(() => {
    url = s.url + PAGE;
  });

  it('underlines a typo where it is, explains it on hover, and runs once it is fixed', async () => {
    const context = await s.browser.newContext({ reducedMotion: 'reduce', viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    const page = await openPlayground(context, url, problems);
    await setEditorText(page, BROKEN);
    const mark = page.locator('.playground .cm-lintRange-error');
    await mark.waitFor({ timeout: 5_000 });
    expect(await mark.allTextContents()).toEqual(['i32.mull']);
    const status = page.locator('.playground .check');
    await expect.poll(() => status.textContent(), POLL).toMatch(/Parse error at 5:5: unknown operator i32\.mull/);
    await mark.hover();
    const tip = page.locator('.cm-tooltip-lint');
    await tip.waitFor({ timeout: 5_000 });
    expect(await tip.textContent()).toContain('5:5: unknown operator i32.mull');
    // .wasm needs a valid module.
    expect(await page.getByRole('button', { name: 'Download .wasm' }).isDisabled()).toBe(true);

    // The status line's location selects the problem; typing replaces it.
    await status.getByRole('button', { name: '5:5' }).click();
    await page.keyboard.type('i32.mul');
    await page.keyboard.press('Escape'); // close the completion list, if open
    await expect.poll(() => status.textContent(), POLL).toMatch(/No problems/);
    expect(await mark.count()).toBe(0);
    expect(await status.textContent()).toMatch(/press Load into stepper/);

    await page.getByRole('button', { name: 'Load into stepper' }).click();
    const fig = page.locator('figure.stepper');
    await expect.poll(() => fig.locator('.title').textContent(), POLL).toBe('Stepper: square');
    await fig.getByLabel(/\$x/).fill('9');
    await fig.getByRole('button', { name: 'Call', exact: true }).click();
    for (let i = 0; i < 3; i++) await fig.getByRole('button', { name: 'Step into', exact: true }).click();
    await expect.poll(() => stack(fig), POLL).toEqual(['81']);

    // The fixed text downloads as the engine's binary, which V8 runs.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download .wasm' }).click()]);
    expect(download.suggestedFilename()).toBe('program.wasm');
    const bytes = readFileSync((await download.path())!);
    const { instance } = await WebAssembly.instantiate(bytes);
    expect((instance.exports.square as (x: number) => number)(12)).toBe(144);

    expect(problems).toEqual([]);
    await context.close();
  });

  it('a share link opens exactly the program in a fresh browser; a damaged one leaves the draft alone', async () => {
    const problems: string[] = [];
    const author = await s.browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await openPlayground(author, url, problems);
    await setEditorText(page, SHARED);
    await page.getByRole('button', { name: 'Share link' }).click();
    const box = page.getByLabel(/^Share link/);
    await box.waitFor();
    const link = await box.inputValue();
    expect(link.startsWith(url + '#wat=')).toBe(true);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await author.close();

    const reader = await s.browser.newContext();
    const opened = await openPlayground(reader, link, problems);
    await expect.poll(() => editorText(opened), POLL).toBe(SHARED);
    await expect.poll(() => opened.locator('figure.stepper .title').textContent(), POLL).toBe('Stepper: answer');
    // The fragment is dropped once read, so a reload shows the (saved) draft.
    expect(new URL(opened.url()).hash).toBe('');
    await opened.reload({ waitUntil: 'networkidle' });
    await expect.poll(() => editorText(opened), POLL).toBe(SHARED);

    // A damaged link: a clear message, and the draft is still there.
    await opened.goto(url + '#wat=not*base64', { waitUntil: 'networkidle' });
    await expect.poll(() => opened.getByRole('alert').first().textContent(), POLL).toMatch(/damaged.*draft is unchanged/);
    await expect.poll(() => editorText(opened), POLL).toBe(SHARED);
    await reader.close();
    expect(problems).toEqual([]);
  });

  it('a reload keeps the draft; an example replaces it and it can be brought back', async () => {
    const context = await s.browser.newContext();
    const problems: string[] = [];
    const page = await openPlayground(context, url, problems);
    const draft = '(module\n  (func (export "mine") (result i32)\n    i32.const 1))';
    await setEditorText(page, draft);
    await page.waitForTimeout(600); // the draft is saved 400 ms after the last edit
    await page.reload({ waitUntil: 'networkidle' });
    await expect.poll(() => editorText(page), POLL).toBe(draft);

    await page.getByLabel('Example').selectOption({ label: 'br_table' });
    await expect.poll(() => editorText(page), POLL).toContain('br_table $invalid');
    await expect.poll(() => page.locator('figure.stepper .title').textContent(), POLL).toBe('Stepper: days');
    await page.getByRole('button', { name: 'Bring back the text it replaced' }).click();
    await expect.poll(() => editorText(page), POLL).toBe(draft);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('opens a .wasm file: its disassembly with names, the stubs for its imports, and the stepper', async () => {
    const wabt = await wabtInit();
    const m = wabt.parseWat(
      'clock.wat',
      `(module
        (import "env" "now" (func $now (result i32)))
        (import "env" "mem" (memory 1))
        (func $later (export "later") (param $seconds i32) (result i32)
          call $now
          local.get $seconds
          i32.add))`,
    );
    const bytes = Buffer.from(m.toBinary({ write_debug_names: true }).buffer);
    m.destroy();

    const context = await s.browser.newContext({ reducedMotion: 'reduce', viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    const page = await openPlayground(context, url, problems);
    const before = await editorText(page);
    await page.locator('.playground input[type="file"]').setInputFiles({ name: 'clock.wasm', mimeType: 'application/wasm', buffer: bytes });
    await expect.poll(() => editorText(page), POLL).toContain('(func $later');
    const text = await editorText(page);
    expect(text).toContain('local.get $seconds');
    expect(text).toContain('call $now');
    expect(await page.locator('.playground .cm-content').getAttribute('aria-readonly')).toBe('true');
    const note = page.getByRole('region', { name: 'Opened binary' });
    expect(await note.textContent()).toContain('clock.wasm');
    expect(await note.locator('li').allTextContents()).toEqual([
      'env.now — function () → i32: a stub that returns 0 and logs each call in the Console',
      'env.mem — a new memory of 1 page, all zeros',
    ]);
    const fig = page.locator('figure.stepper');
    await expect.poll(() => fig.locator('.title').textContent(), POLL).toBe('Stepper: later');
    await fig.getByRole('button', { name: 'Step into', exact: true }).click();
    await expect.poll(() => stack(fig), POLL).toEqual(['0']);
    await expect.poll(() => fig.locator('.v-console li').allTextContents(), POLL).toEqual(['step 1 stub env.now() → 0']);

    // The reader's text draft was not touched, and is one click away.
    await note.getByRole('button', { name: 'Back to my draft' }).click();
    await expect.poll(() => editorText(page), POLL).toBe(before);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('steps a large real module (sql.js, 672 KiB) opened as a .wasm file, drawing only the lines in view', async () => {
    const bytes = readFileSync(sqlWasmPath);
    expect(bytes.length).toBeGreaterThan(600_000);
    const context = await s.browser.newContext({ reducedMotion: 'reduce', viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    const page = await openPlayground(context, url, problems);
    await page.locator('.playground input[type="file"]').setInputFiles({ name: 'sql-wasm.wasm', mimeType: 'application/wasm', buffer: bytes });
    const fig = page.locator('figure.stepper');
    // Generous limits: a loaded two-core machine is several times slower than a desk.
    await fig.locator('button[aria-label="Step into"]').waitFor({ timeout: 60_000 });
    const into = fig.locator('button[aria-label="Step into"]');
    for (const k of [1, 2, 3]) {
      await into.click();
      await expect.poll(() => fig.locator('.timeline .num').textContent(), { timeout: 15_000 }).toBe(String(k));
    }
    // The step shows in both views: its line in the Source view, its row in the Bytes view.
    const line = Number(await fig.locator('.v-source .line.current').getAttribute('data-line'));
    expect(line).toBeGreaterThan(1000);
    expect(await fig.locator('.v-bytes .brow.current .blabel').textContent()).not.toBe('');
    // Of some 300,000 lines and rows, only those near the scroll positions are drawn.
    expect(await fig.locator('.v-source .line').count()).toBeLessThan(1000);
    expect(await fig.locator('.v-bytes .brow').count()).toBeLessThan(1000);
    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);

  it('steps the Exceptions example: a wasm tag caught in wasm, and with 0 a JS Error caught with the JS tag', async () => {
    const context = await s.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    const page = await openPlayground(context, url, problems);
    await page.getByLabel('Example').selectOption({ label: 'Exceptions' });
    const fig = page.locator('figure.stepper');
    await expect.poll(() => fig.locator('.title').textContent(), POLL).toBe('Stepper: collatz');
    await fig.getByRole('button', { name: /^Continue/ }).click();
    await expect.poll(() => fig.locator('.narration .outcome').textContent(), POLL).toBe('The call returned 8 (i32).');
    const logged = (await fig.locator('.v-console li').allTextContents()).map((t) => t.replace(/^step \d+ /, ''));
    expect(logged).toEqual(['6', '3', '10', '5', '16', '8', '4', '2', '1']);

    // collatz(0): the JS import throws; its Error comes back and the JS tag's handler returns -1.
    const picker = fig.locator('form.call');
    await picker.locator('input').first().fill('0');
    await picker.getByRole('button', { name: 'Call', exact: true }).click();
    await fig.getByRole('button', { name: /^Continue/ }).click();
    await expect.poll(() => fig.locator('.narration .outcome').textContent(), POLL).toBe('The call returned -1 (i32).');
    await expect.poll(() => fig.locator('.v-console li').allTextContents(), POLL).toEqual([
      expect.stringMatching(/^step \d+ env\.throw_error\(0\) throws a JS Error$/),
    ]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('gives each button a name of its own: one "Load into stepper", one "Run" (the stepper\'s)', async () => {
    const context = await s.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    const page = await openPlayground(context, url, problems);
    const fig = page.locator('figure.stepper');
    await fig.getByRole('button', { name: 'Step into', exact: true }).waitFor(POLL);
    const run = page.getByRole('button', { name: 'Run', exact: true });
    expect(await run.count()).toBe(1);
    expect(await fig.getByRole('button', { name: 'Run', exact: true }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Load into stepper', exact: true }).count()).toBe(1);
    // No two buttons on the page share an accessible name (each name is one action).
    const snapshot = await page.locator('body').ariaSnapshot();
    const names = [...snapshot.matchAll(/- button "((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(10);
    const seen = new Map<string, number>();
    for (const n of names) seen.set(n, (seen.get(n) ?? 0) + 1);
    expect([...seen].filter(([, k]) => k > 1).map(([n]) => n)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('drops the "Loaded the example" notice once the text is edited', async () => {
    const context = await s.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    const page = await openPlayground(context, url, problems);
    const notice = page.locator('.playground .notice');
    await page.getByLabel('Example').selectOption({ label: 'br_table' });
    await expect.poll(() => notice.textContent(), POLL).toContain('Loaded the example “br_table”');
    await page.locator('.playground .cm-content').click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type(' ;; mine now');
    await expect.poll(() => notice.textContent(), POLL).not.toContain('Loaded the example');
    expect(await notice.isVisible()).toBe(false);
    // A draft the example replaced can still be brought back after editing.
    await setEditorText(page, '(module (func (export "mine")))');
    await page.getByLabel('Example').selectOption({ label: 'Fibonacci' });
    await expect.poll(() => notice.textContent(), POLL).toContain('Loaded the example “Fibonacci”');
    await page.locator('.playground .cm-content').click();
    await page.keyboard.type(';; x');
    await expect.poll(() => notice.textContent(), POLL).not.toContain('Loaded the example');
    await page.getByRole('button', { name: 'Bring back the text it replaced' }).click();
    await expect.poll(() => editorText(page), POLL).toBe('(module (func (export "mine")))');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('says a function written after the module is outside it, at the closing paren', async () => {
    const context = await s.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    const page = await openPlayground(context, url, problems);
    await setEditorText(page, '(module\n  (func (export "a") (result i32)\n    i32.const 1)\n)\n(func (export "b"))');
    const status = page.locator('.playground .check');
    await expect.poll(() => status.textContent(), POLL).toContain("Parse error at 4:1: (func …) is outside the module: move it before the module's closing `)`");
    expect(problems).toEqual([]);
    await context.close();
  });

  it('restarts, steps and switches examples without reading a destroyed stepper (no derived_inert warning)', async () => {
    // With motion: the views animate their changes, and a restart may land mid-animation.
    const context = await s.browser.newContext({ viewport: { width: 1280, height: 900 } });
    // Svelte warns (console.warn, in a production build too) when a $derived whose owner
    // was destroyed is read; each restart destroys a Stepper and makes a new one.
    const warnings: string[] = [];
    context.on('console', (m) => {
      if (m.type() === 'warning') warnings.push(m.text());
    });
    const problems: string[] = [];
    const page = await openPlayground(context, url, problems);
    const fig = page.locator('figure.stepper');
    const load = page.getByRole('button', { name: 'Load into stepper' });
    const into = fig.getByRole('button', { name: 'Step into', exact: true });
    await into.waitFor(POLL);
    for (const label of ['br_table', 'Strings in memory', 'Loops']) {
      await page.getByLabel('Example').selectOption({ label });
      await into.waitFor(POLL);
      await into.click();
      // Restart while the stepper plays, then after an edit, in quick succession.
      await fig.getByRole('button', { name: 'Run', exact: true }).click();
      await load.click();
      await into.waitFor(POLL);
      await page.locator('.playground .cm-content').click();
      await page.keyboard.press('ControlOrMeta+End');
      await page.keyboard.type(' ;; edited');
      for (let k = 0; k < 3; k++) await load.click();
      await into.waitFor(POLL);
      await into.click();
    }
    await setEditorText(page, SHARED);
    await load.click();
    await into.click();
    await into.click();
    await expect.poll(() => stack(fig), POLL).toEqual(['6', '7']);
    // A source long enough for the Source view to draw only the lines in view.
    // (CodeMirror draws only the lines in view too, so the text is typed, not compared.)
    await page.locator('.playground .cm-content').click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.insertText(`(module\n  (func (export "long") (result i32)\n${'    nop\n'.repeat(1600)}    i32.const 42))`);
    await load.click();
    await expect.poll(() => fig.locator('.title').textContent(), POLL).toBe('Stepper: long');
    await into.waitFor(POLL);
    await into.click();
    await load.click();
    await into.waitFor(POLL);
    // The same long source with a parse error: the stepper shows the text in a Source view
    // of its own, which measures a line on the next animation frame. Restarts closer together
    // than a frame (a microtask, a timer or a frame apart) destroy that view before its frame
    // comes. That late measurement must not recompute the destroyed view's line count from
    // the new program: when the stepper took its text from the Playground's current program
    // (a prop getter, not a per-restart model), this burst logged 11 derived_inert warnings.
    await page.locator('.playground .cm-content').click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.insertText(`(module\n  (func (export "long") (result i32)\n${'    nop\n'.repeat(1600)}    i32.const 42 i32.mull))`);
    await load.evaluate(async (button: HTMLElement) => {
      const frame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));
      const timer = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
      for (let k = 0; k < 12; k++) {
        button.click();
        await [frame, timer, () => Promise.resolve()][k % 3]!();
      }
    });
    await expect.poll(() => fig.getByRole('alert').first().textContent(), POLL).toContain('i32.mull');
    await page.waitForTimeout(300);
    expect(warnings.filter((w) => /derived_inert/.test(w))).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
   }, 120_000);

  for (const theme of ['light', 'dark'] as const) {
    it(`passes axe-core with a diagnostic, its tooltip and a share link showing (${theme})`, async () => {
      // axe is injected as an inline script, which the site's Content-Security-Policy forbids.
      const context = await s.browser.newContext({ colorScheme: theme, reducedMotion: 'reduce', bypassCSP: true });
      const problems: string[] = [];
      const page = await openPlayground(context, url, problems);
      expect(await page.locator('html').getAttribute('data-theme')).toBe(theme);
      await setEditorText(page, BROKEN);
      await page.locator('figure.stepper .v-stack').waitFor();
      // With the share box open and the diagnostic's tooltip showing.
      await page.getByRole('button', { name: 'Share link' }).click();
      await page.getByLabel(/^Share link/).waitFor();
      await page.locator('.playground .cm-lintRange-error').hover();
      await page.locator('.cm-tooltip-lint').waitFor();
      expect(await axe(page)).toEqual([]);
      expect(problems).toEqual([]);
      await context.close();
    });
  }
});
