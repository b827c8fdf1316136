// The Module explorer page in headless Chromium, under the site's Content-Security-Policy
// (its worker included): a course example opens from the list and by drag and drop, its
// sections, functions and disassembly show, and an instruction and its bytes select each
// other; the real modules in node_modules (pyodide, esbuild, swc, sql.js, resvg, brotli)
// open through the file input, each timed from file chosen to outline shown (printed),
// with a progress bar on the way, and one function of each disassembles; names and custom
// sections carrying HTML and script show as text and run nothing; the Playground offers
// the explorer for a module too large for it; the sub-path build opens ?example=;
// no console errors or CSP violations; axe-core finds nothing serious in light or dark.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeModule } from '../../engine/binary/encode.ts';
import { parseWat } from '../../engine/text/parser.ts';
import { serve, type RunningServer } from '../../bin/serve.ts';
import { launchBrowser } from './browser.ts';
import { haveBrowser } from './browser-guard.ts';
import { SITES, assertBuilt } from './sites.ts';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');
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

const utf8 = (s: string): number[] => [...new TextEncoder().encode(s)];
const u32 = (n: number): number[] => {
  const out: number[] = [];
  do {
    out.push((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
    n >>>= 7;
  } while (n > 0);
  return out;
};
const str = (s: string): number[] => [...u32(utf8(s).length), ...utf8(s)];
const custom = (name: string, content: number[]): number[] => {
  const body = [...str(name), ...content];
  return [0, ...u32(body.length), ...body];
};

/** A module whose export, import, function names, module name and custom sections carry markup. */
function hostileModule(): Uint8Array {
  const wat = `(module
    (import ${JSON.stringify(SCRIPT)} ${JSON.stringify(IMG)} (func (param i32)))
    (func (export ${JSON.stringify(IMG)}) (param i32 i32) (result i32)
      local.get 0 local.get 1 i32.add))`;
  const sub = (id: number, content: number[]) => [id, ...u32(content.length), ...content];
  const names = [...sub(0, str(SCRIPT)), ...sub(1, [2, 0, ...str(SCRIPT), 1, ...str(IMG)])];
  return Uint8Array.from([...encodeModule(parseWat(wat)), ...custom('name', names), ...custom(SCRIPT, utf8(IMG + SCRIPT))]);
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

async function axe(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe.run();
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `axe ${v.impact} ${v.id} — ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Opens a page, collecting console errors, uncaught exceptions and CSP violations. */
async function open(context: BrowserContext, url: string, problems: string[]): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`exception: ${e.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(url, { waitUntil: 'networkidle' });
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

const describeBrowser = haveBrowser ? describe : describe.skip;
const [ROOT, SUB] = SITES as [(typeof SITES)[number], (typeof SITES)[number]];

describeBrowser('the Module explorer (root site, under its Content-Security-Policy)', () => {
  let browser: Browser;
  let server: RunningServer;
  let url: string;
  let context: BrowserContext;

  beforeAll(async () => {
    assertBuilt(ROOT);
    server = await serve({ dir: ROOT.dir, base: ROOT.base });
    url = server.url + PAGE;
    const launched = await launchBrowser();
    if (!launched) throw new Error('Chromium failed to launch');
    browser = launched;
    context = await browser.newContext({ reducedMotion: 'reduce', viewport: { width: 1280, height: 900 } });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it('opens a course example, and links each instruction to its bytes both ways', async () => {
    const problems: string[] = [];
    const page = await open(context, url, problems);
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
    const page = await open(context, url, problems);
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
    const page = await open(context, url, problems);
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

  it('reports the features a module uses (pyodide: legacy exceptions)', async () => {
    const page = await open(context, url, []);
    await page.locator('.explorer input[type="file"]').setInputFiles(REAL[0]!.path);
    await expect.poll(() => page.locator('.explorer .module .title').textContent(), { timeout: 60_000 }).toBe('pyodide.asm.wasm');
    const features = await page.locator('.explorer .features').textContent();
    expect(features).toMatch(/legacy exception/i);
    expect(await page.locator('.explorer .module').textContent()).toContain('dylink.0');
    await page.close();
  }, 120_000);

  it('shows names and custom sections that carry HTML as text, and runs none of them', async () => {
    const problems: string[] = [];
    const page = await open(context, url, problems);
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
    const page = await context.newPage();
    await page.goto(server.url + 'playground/', { waitUntil: 'networkidle' });
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

  for (const theme of ['light', 'dark'] as const) {
    it(`passes axe-core with a module and a function open (${theme})`, async () => {
      // axe is injected as an inline script, which the policy forbids.
      const themed = await browser.newContext({ colorScheme: theme, bypassCSP: true, reducedMotion: 'reduce', viewport: { width: 1280, height: 900 } });
      const page = await open(themed, url, []);
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
    assertBuilt(SUB);
    const server = await serve({ dir: SUB.dir, base: SUB.base });
    const browser = await launchBrowser();
    if (!browser) throw new Error('Chromium failed to launch');
    try {
      const context = await browser.newContext();
      const problems: string[] = [];
      const page = await open(context, `${server.url}${PAGE}?example=ch07-greet`, problems);
      await expect.poll(() => page.locator('.explorer .module .title').textContent(), POLL).toBe('ch07-greet.wasm');
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
