// The Module explorer page in headless Chromium, under the site's Content-Security-Policy
// (its worker included): a course example opens from the list and by drag and drop, its
// sections, functions and disassembly show, and an instruction and its bytes select each
// other; the real modules in node_modules (pyodide, esbuild, swc, sql.js, resvg, brotli)
// open through the file input, each timed from file chosen to outline shown (printed),
// with a progress bar on the way, and one function of each disassembles; names and custom
// sections carrying HTML and script show as text and run nothing; the Playground offers
// the explorer for a module too large for it; the sub-path build opens ?example=;
// no console errors or CSP violations; axe-core finds nothing serious in light or dark.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { encodeModule, parseWat } from '../../engine/index.ts';
import { axe, describeBrowser, open, startBrowser, startServer, useBrowserSite } from './harness.ts';
import { SITES } from './sites.ts';
import { custom, nameSubsection as sub, str, u32, utf8 } from './wasm-bytes.ts';

const PAGE = 'explorer/';
const POLL = { timeout: 10_000 };

const modulePath = (p: string): string => join(import.meta.dirname, '..', '..', 'node_modules', p);

/** The real modules, by path (opened from where they are: nothing is copied). */
const REAL = [
  { name: 'pyodide.asm.wasm', path: modulePath('pyodide/pyodide.asm.wasm') },
  { name: 'esbuild.wasm', path: modulePath('esbuild-wasm/esbuild.wasm') },
  { name: 'wasm_bg.wasm', path: modulePath('@swc/wasm/wasm_bg.wasm') },
  { name: 'sql-wasm.wasm', path: modulePath('sql.js/dist/sql-wasm.wasm') },
  { name: 'index_bg.wasm', path: modulePath('@resvg/resvg-wasm/index_bg.wasm') },
  { name: 'brotli_wasm_bg.wasm', path: modulePath('brotli-wasm/pkg.web/brotli_wasm_bg.wasm') },
];

const IMG = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = '<script>window.__pwned=2</script>';

/** A module whose export, import, function names, module name and custom sections carry markup. */
function hostileModule(): Uint8Array {
  const wat = `(module
    (import ${JSON.stringify(SCRIPT)} ${JSON.stringify(IMG)} (func (param i32)))
    (func (export ${JSON.stringify(IMG)}) (param i32 i32) (result i32)
      local.get 0 local.get 1 i32.add))`;
  const names = [...sub(0, str(SCRIPT)), ...sub(1, [2, 0, ...str(SCRIPT), 1, ...str(IMG)])];
  return Uint8Array.from([...encodeModule(parseWat(wat)), ...custom('name', names), ...custom(SCRIPT, utf8(IMG + SCRIPT))]);
}

/** Opens the explorer, adding what goes wrong on it (CSP violations included) to `problems`. */
async function openExplorer(context: BrowserContext, url: string, problems: string[]): Promise<Page> {
  const { page } = await open(context, url, { problems, csp: true });
  await page.locator('.explorer').waitFor();
  return page;
}

/** Waits until the explorer shows `name`'s outline; returns ms since the file input changed (measured in the page). */
async function outlineShown(page: Page, name: string): Promise<number> {
  const handle = await page.waitForFunction(
    (n) => {
      const title = document.querySelector('.explorer .module .title');
      const rows = document.querySelectorAll('.explorer .functions .fn');
      const w = window as unknown as { __chosen?: number };
      return title?.textContent === n && rows.length > 0 && w.__chosen !== undefined ? performance.now() - w.__chosen : false;
    },
    name,
    { timeout: 60_000, polling: 'raf' },
  );
  return (await handle.jsonValue()) as number;
}

/** Records when the file input changes, the progress bar's values, and the longest main-thread task. */
async function instrument(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __chosen?: number; __progress: number[]; __longest: number };
    w.__progress = [];
    w.__longest = 0;
    delete w.__chosen;
    document.querySelector('.explorer input[type="file"]')?.addEventListener('change', () => (w.__chosen = performance.now()), { capture: true, once: true });
    new MutationObserver(() => {
      const bar = document.querySelector('.explorer [role="progressbar"]');
      const v = bar?.getAttribute('aria-valuenow');
      if (v != null) w.__progress.push(Number(v));
    }).observe(document.querySelector('.explorer')!, { subtree: true, childList: true, attributes: true });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longest = Math.max(w.__longest, e.duration);
    }).observe({ type: 'longtask' });
  });
}

const [ROOT, SUB] = SITES as [(typeof SITES)[number], (typeof SITES)[number]];

describeBrowser('the Module explorer (root site, under its Content-Security-Policy)', () => {
  const s = useBrowserSite(ROOT, { context: { reducedMotion: 'reduce', viewport: { width: 1280, height: 900 } } });
  let url: string;

  beforeAll(() => {
    url = s.url + PAGE;
  });

  it('opens a course example, and links each instruction to its bytes both ways', async () => {
    const problems: string[] = [];
    const page = await openExplorer(s.context, url, problems);
    await page.getByRole('button', { name: 'ch11-gcd-fac.wasm' }).click();
    const module = page.locator('.explorer .module');
    await expect.poll(() => module.locator('.title').textContent(), POLL).toBe('ch11-gcd-fac.wasm');
    // Sections as text: name, bytes and share.
    const rows = module.locator('table.sections tbody tr');
    expect(await rows.count()).toBe(4);
    expect(await rows.nth(3).textContent()).toMatch(/^code68\d+%$/);
    // Functions by size, with names; choose gcd.
    await module.getByRole('button', { name: /gcd/ }).click();
    const view = module.locator('.function-view');
    await view.waitFor(POLL);
    const line = view.getByRole('button', { name: /i32\.rem_u/ });
    await line.click();
    expect(await line.getAttribute('aria-pressed')).toBe('true');
    // i32.rem_u is the one byte 0x70.
    await expect.poll(() => view.locator('.byte.hl').allTextContents(), POLL).toEqual(['70']);
    // The second byte of `local.set 2` (0x21 0x02) selects that instruction.
    const texts = await view.locator('.line .text').allTextContents();
    const k = texts.findIndex((t) => /^\s*local\.set 2$/.test(t));
    expect(k).toBeGreaterThan(0);
    const offset = (await view.locator('.line .off').nth(k).textContent()) ?? '';
    await view.locator(`.byte[data-at="${parseInt(offset, 16) + 1}"]`).click();
    await expect.poll(() => view.locator('.line[aria-pressed="true"]').textContent(), POLL).toMatch(/local\.set 2$/);
    expect(await view.locator('.byte.hl').allTextContents()).toEqual(['21', '02']);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('opens a .wasm dropped on the page', async () => {
    const problems: string[] = [];
    const page = await openExplorer(s.context, url, problems);
    const bytes = [...readFileSync(new URL('../../public/examples/add.wasm', import.meta.url))];
    await page.evaluate((data) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], 'dropped.wasm', { type: 'application/wasm' }));
      const target = document.querySelector('.explorer')!;
      target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, bytes);
    await expect.poll(() => page.locator('.explorer .module .title').textContent(), POLL).toBe('dropped.wasm');
    expect(await page.locator('.explorer .module').textContent()).toContain('add');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('opens the real modules in node_modules, timed, and disassembles a function of each', async () => {
    const problems: string[] = [];
    const page = await openExplorer(s.context, url, problems);
    const input = page.locator('.explorer input[type="file"]');
    const times: string[] = [];
    for (const m of REAL) {
      await instrument(page);
      const wall = performance.now();
      await input.setInputFiles(m.path);
      const ms = await outlineShown(page, m.name);
      const wallMs = performance.now() - wall;
      const { progress, longest } = await page.evaluate(() => {
        const w = window as unknown as { __progress: number[]; __longest: number };
        return { progress: w.__progress, longest: w.__longest };
      });
      const size = readFileSync(m.path).length;
      times.push(`${m.name} (${(size / 1e6).toFixed(1)} MB): outline shown ${ms.toFixed(0)} ms after the file was chosen (${wallMs.toFixed(0)} ms as the test sees it, setInputFiles included); longest main-thread task ${longest.toFixed(0)} ms`);
      // The target is 2 s for the 18 MB module on an idle machine; a loaded one gets slack.
      expect(ms, m.name).toBeLessThan(5_000);
      // The progress bar was there.
      expect(progress.length, m.name).toBeGreaterThan(0);
      // The largest function, disassembled on demand.
      const first = page.locator('.explorer .functions .fn').first();
      const label = (await first.locator('.label').textContent()) ?? '';
      await first.click();
      const view = page.locator('.explorer .function-view');
      await expect.poll(() => view.locator('.meta strong').textContent(), { timeout: 30_000 }).toContain(label);
      expect(await view.locator('.line').count(), m.name).toBeGreaterThan(10);
      expect(await view.locator('.byte').count(), m.name).toBeGreaterThan(16);
    }
    console.log(`Module explorer, file chosen → outline shown:\n  ${times.join('\n  ')}`);
    // pyodide uses the legacy exception instructions, and says so.
    expect(problems).toEqual([]);
  }, 300_000);

  it('reports the features a module uses (pyodide: legacy exceptions), and finds it valid', async () => {
    const page = await openExplorer(s.context, url, []);
    await page.locator('.explorer input[type="file"]').setInputFiles(REAL[0]!.path);
    await expect.poll(() => page.locator('.explorer .module .title').textContent(), { timeout: 60_000 }).toBe('pyodide.asm.wasm');
    const features = await page.locator('.explorer .features').textContent();
    expect(features).toMatch(/legacy exception/i);
    await expect
      .poll(() => page.locator('.explorer .module .verdict').textContent(), { timeout: 60_000 })
      .toMatch(/^\s*Valid WebAssembly 3\.0 module \(it uses [^)]*legacy exception handling[^)]*\) — 16,958 function\s+bodies checked in/);
    expect(await page.locator('.explorer .module').textContent()).toContain('dylink.0');
    await page.close();
  }, 120_000);

  it('shows names and custom sections that carry HTML as text, and runs none of them', async () => {
    const problems: string[] = [];
    const page = await openExplorer(s.context, url, problems);
    await page.locator('.explorer input[type="file"]').setInputFiles({ name: 'hostile.wasm', mimeType: 'application/wasm', buffer: Buffer.from(hostileModule()) });
    const module = page.locator('.explorer .module');
    await expect.poll(() => module.locator('.title').textContent(), POLL).toBe('hostile.wasm');
    await module.locator('.functions .fn').first().click();
    await module.locator('.function-view').waitFor(POLL);
    await module.locator('details summary').first().click();
    const text = (await module.textContent()) ?? '';
    expect(text).toContain('<img');
    expect(text).toContain(IMG);
    expect(text).toContain(SCRIPT);
    expect(await page.locator('.explorer img, .explorer script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('is offered by the Playground for a module too large for it', async () => {
    const page = await s.context.newPage();
    await page.goto(s.url + 'playground/', { waitUntil: 'networkidle' });
    await page.locator('.playground .cm-content').waitFor();
    const brotli = REAL[5]!.path;
    await page.locator('.playground input[type="file"]').setInputFiles(brotli);
    const link = page.locator('.playground .alert').getByRole('link', { name: 'Open in the module explorer' });
    await link.waitFor(POLL);
    await link.click();
    await page.waitForURL(/\/explorer\/$/);
    await page.locator('.explorer').waitFor();
    await page.close();
  });

  it('says a module is valid once its outline shows, in a polite live region', async () => {
    const problems: string[] = [];
    const page = await openExplorer(s.context, url, problems);
    await page.getByRole('button', { name: 'ch11-gcd-fac.wasm' }).click();
    const verdict = page.locator('.explorer .module .verdict');
    expect(await verdict.getAttribute('aria-live')).toBe('polite');
    await expect.poll(() => verdict.textContent(), POLL).toMatch(/^\s*Valid WebAssembly 2\.0 module — 3 function\s+bodies checked in \d+(\.\d\d)? m?s\.\s*$/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('validates an 18 MB module (swc) in its worker after the outline, and says so', async () => {
    const page = await openExplorer(s.context, url, []);
    await page.locator('.explorer input[type="file"]').setInputFiles(REAL[2]!.path);
    await expect.poll(() => page.locator('.explorer .module .title').textContent(), { timeout: 60_000 }).toBe('wasm_bg.wasm');
    const verdict = page.locator('.explorer .module .verdict');
    await expect.poll(() => verdict.textContent(), { timeout: 60_000 }).toMatch(/Valid WebAssembly 2\.0 module — 16,346 function\s+bodies checked in/);
    console.log(`Module explorer, swc: ${(await verdict.textContent())?.replace(/\s+/g, ' ').trim()}`);
    await page.close();
  }, 120_000);

  it("keeps the instruction column in view when a function's locals line is long (swc's function 69)", async () => {
    const problems: string[] = [];
    const page = await openExplorer(s.context, url, problems);
    await page.locator('.explorer input[type="file"]').setInputFiles(REAL[2]!.path);
    await expect.poll(() => page.locator('.explorer .module .title').textContent(), { timeout: 60_000 }).toBe('wasm_bg.wasm');
    await page.locator('.explorer .functions input[type="search"]').fill('69');
    await page.locator('.explorer .functions .fn', { has: page.locator('.idx', { hasText: /^69$/ }) }).click();
    const view = page.locator('.explorer .function-view');
    await view.waitFor(POLL);
    const pane = view.locator('.vrows').first();
    // The locals (over 300 characters as printed) are shown with each run of a type
    // counted, fitting the pane; the full declaration is in the line's title.
    const locals = view.locator('.line', { hasText: '(local' }).first();
    const full = (await locals.getAttribute('title')) ?? '';
    expect(full.length).toBeGreaterThan(300);
    const shown = (await locals.locator('.text').textContent())?.trim() ?? '';
    expect(shown).toMatch(/^\(local i32 ×\d+( [a-z0-9]+( ×\d+)?)+\)$/);
    const expanded = shown.replace(/([a-z0-9]+) ×(\d+)/g, (_, t: string, n: string) => Array<string>(Number(n)).fill(t).join(' '));
    expect(expanded).toBe(full);
    const fits = await locals.locator('.text').evaluate((el) => ({
      right: el.getBoundingClientRect().right,
      box: el.closest('.vrows')!.getBoundingClientRect().right,
    }));
    expect(fits.right).toBeLessThanOrEqual(fits.box);
    // Choosing an instruction does not scroll the pane sideways: every short line stays readable.
    const line = view.getByRole('button', { name: /i32\.const 4576/ }).first();
    await line.click();
    expect(await line.getAttribute('aria-pressed')).toBe('true');
    await page.waitForTimeout(200);
    expect(await pane.evaluate((box) => box.scrollLeft)).toBe(0);
    const seen = await line.locator('.text').evaluate((el) => {
      const box = el.closest('.vrows')!.getBoundingClientRect();
      const r = el.getBoundingClientRect();
      return r.left >= box.left && r.right <= box.right;
    });
    expect(seen).toBe(true);
    // The keyboard too: moving to the locals line and back keeps the offsets column in view.
    await locals.click();
    await page.waitForTimeout(200);
    expect(await pane.evaluate((box) => box.scrollLeft)).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  /** Two functions after an import; the second adds an i64 to an i32. */
  const invalidModule = (): Buffer =>
    Buffer.from(
      encodeModule(
        parseWat(`(module
          (import "env" "f" (func))
          (func $ok (result i32) i32.const 1)
          (func $bad (param i32) (result i32) local.get 0 i64.const 1 i32.add))`),
      ),
    );

  it('says where an invalid module goes wrong, and shows that byte in the disassembly', async () => {
    const problems: string[] = [];
    const page = await openExplorer(s.context, url, problems);
    await page.locator('.explorer input[type="file"]').setInputFiles({ name: 'invalid.wasm', mimeType: 'application/wasm', buffer: invalidModule() });
    const verdict = page.locator('.explorer .module .verdict');
    await expect.poll(() => verdict.textContent(), POLL).toMatch(
      /Not a valid module: func 2, instr 2 \(i32\.add\) at byte 0x[0-9a-f]+: type mismatch: expected \[i32 i32\], found \[i32 i64\]/,
    );
    const offset = /at byte 0x([0-9a-f]+)/.exec((await verdict.textContent()) ?? '')![1]!;
    await verdict.getByRole('button', { name: `Show byte 0x${offset}` }).click();
    const view = page.locator('.explorer .function-view');
    await expect.poll(() => view.locator('.meta strong').textContent(), POLL).toContain('(func 2)');
    const line = view.locator('.line[aria-pressed="true"]');
    await expect.poll(() => line.textContent(), POLL).toMatch(/i32\.add$/);
    expect(await view.locator('.byte.hl').allTextContents()).toEqual(['6a']);
    expect(await view.locator('.byte.hl').getAttribute('data-at')).toBe(String(parseInt(offset, 16)));
    // The keyboard is where the error is.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? ''), POLL).toMatch(/i32\.add$/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('judges a WebAssembly 3.0 module it can read, and passes no judgement on one it cannot', async () => {
    const page = await openExplorer(s.context, url, []);
    // (func $f return_call $f): a tail call.
    const tail = Buffer.from([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 6, 1, 4, 0, 0x12, 0, 11]);
    await page.locator('.explorer input[type="file"]').setInputFiles({ name: 'tail.wasm', mimeType: 'application/wasm', buffer: tail });
    await expect
      .poll(() => page.locator('.explorer .module .verdict').textContent(), POLL)
      .toMatch(/^\s*Valid WebAssembly 3\.0 module\s+\(it uses tail calls\) — 1 function\s+body checked in/);
    // (func (local (ref func))): a typed function reference.
    const typed = Buffer.from([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 7, 1, 5, 1, 1, 0x64, 0x70, 11]);
    await page.locator('.explorer input[type="file"]').setInputFiles({ name: 'typed.wasm', mimeType: 'application/wasm', buffer: typed });
    await expect
      .poll(() => page.locator('.explorer .module .verdict').textContent(), POLL)
      .toMatch(/^\s*This module uses WebAssembly 3\.0 features \(typed function references\) that wasmstep cannot fully validate yet: no verdict\.\s*$/);
    await page.close();
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`passes axe-core with an invalid module's verdict shown (${theme})`, async () => {
      const themed = await s.browser.newContext({ colorScheme: theme, bypassCSP: true, reducedMotion: 'reduce', viewport: { width: 1280, height: 900 } });
      const page = await openExplorer(themed, url, []);
      await page.locator('.explorer input[type="file"]').setInputFiles({ name: 'invalid.wasm', mimeType: 'application/wasm', buffer: invalidModule() });
      const verdict = page.locator('.explorer .module .verdict');
      await expect.poll(() => verdict.textContent(), POLL).toContain('Not a valid module');
      await verdict.getByRole('button').click();
      await page.locator('.explorer .function-view .line.selected').waitFor(POLL);
      expect(await axe(page)).toEqual([]);
      await themed.close();
    }, 120_000);
  }

  for (const theme of ['light', 'dark'] as const) {
    it(`passes axe-core with a module and a function open (${theme})`, async () => {
      // axe is injected as an inline script, which the policy forbids.
      const themed = await s.browser.newContext({ colorScheme: theme, bypassCSP: true, reducedMotion: 'reduce', viewport: { width: 1280, height: 900 } });
      const page = await openExplorer(themed, url, []);
      await page.locator('.explorer input[type="file"]').setInputFiles(REAL[4]!.path);
      await expect.poll(() => page.locator('.explorer .module .title').textContent(), { timeout: 30_000 }).toBe('index_bg.wasm');
      await page.locator('.explorer .functions .fn').first().click();
      await page.locator('.explorer .function-view .line').first().click();
      await page.locator('.explorer .module details summary').first().click().catch(() => undefined);
      expect(await axe(page)).toEqual([]);
      await themed.close();
    }, 120_000);
  }
});

describeBrowser('the Module explorer on the sub-path site', () => {
  it('opens ?example= with the worker served from under the base', async () => {
    const server = await startServer(SUB);
    const browser = await startBrowser();
    try {
      const context = await browser.newContext();
      const problems: string[] = [];
      const page = await openExplorer(context, `${server.url}${PAGE}?example=ch07-greet`, problems);
      await expect.poll(() => page.locator('.explorer .module .title').textContent(), POLL).toBe('ch07-greet.wasm');
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
