// A module whose names carry HTML and script — export names, function and local names in
// the name section, a custom section's name and content — shown in the Stepper: every
// string must appear as text, and none may become markup or run. The page's example
// module (examples/add.wasm) is swapped for the hostile one on the wire.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeModule } from '../../engine/binary/encode.ts';
import { parseWat } from '../../engine/text/parser.ts';
import { serve, type RunningServer } from '../../bin/serve.ts';
import { launchBrowser } from './browser.ts';
import { haveBrowser } from './browser-guard.ts';
import { SITES, assertBuilt } from './sites.ts';

const TOUR = 'lessons/01-start/03-stepper/';
const IMG = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = '<script>window.__pwned=2</script>';
const SVG = '<svg onload="window.__pwned=3">';

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

/** add(a, b) exported as "add" (what the page invokes) and under a hostile name, with hostile names inside. */
function hostileModule(): Uint8Array {
  const wat = `(module
    (func (export "add") (export ${JSON.stringify(IMG)}) (param i32 i32) (result i32)
      (local i32)
      local.get 0 local.get 1 i32.add))`;
  const base = [...encodeModule(parseWat(wat))];
  const sub = (id: number, content: number[]) => [id, ...u32(content.length), ...content];
  const names = [
    ...sub(0, str(SCRIPT)), // module name
    ...sub(1, [1, 0, ...str(IMG)]), // function 0
    ...sub(2, [1, 0, 3, 0, ...str(SVG), 1, ...str(IMG), 2, ...str(SCRIPT)]), // its locals
  ];
  return Uint8Array.from([...base, ...custom('name', names), ...custom(SCRIPT, utf8(IMG + SVG))]);
}

const describeBrowser = haveBrowser ? describe : describe.skip;

describeBrowser.each(SITES)('hostile names in the Stepper on the $name site', (site) => {
  let browser: Browser;
  let server: RunningServer;
  let context: BrowserContext;

  beforeAll(async () => {
    assertBuilt(site);
    // Without the Content-Security-Policy, which would stop an injected handler by itself:
    // this checks that nothing is injected in the first place.
    server = await serve({ dir: site.dir, base: site.base, csp: false });
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

  it('shows them as text and runs none of them', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const bytes = hostileModule();
    let served = 0;
    await page.route('**/examples/add.wasm', (route) => {
      served++;
      return route.fulfill({ status: 200, contentType: 'application/wasm', body: Buffer.from(bytes) });
    });
    await page.goto(server.url + TOUR, { waitUntil: 'networkidle' });
    const fig = page.locator('figure.stepper', { has: page.locator('.title', { hasText: 'add.wasm' }) });
    await fig.scrollIntoViewIfNeeded();
    await fig.locator('.v-stack').waitFor({ timeout: 15_000 });
    expect(served).toBeGreaterThan(0);
    // Run into the function, so its frame (with its name and locals) is on screen.
    for (let i = 0; i < 3; i++) await fig.getByRole('button', { name: 'Step into', exact: true }).click();
    await page.waitForTimeout(300);

    const text = (await fig.textContent()) ?? '';
    // The disassembly and the views carry the hostile names as characters.
    expect(text).toContain('onerror=');
    expect(text.includes(IMG) || text.includes('<img src=x')).toBe(true);
    // None of it became an element, and nothing ran.
    expect(await page.locator('img[src="x"], svg[onload], script:has-text("__pwned")').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(errors).toEqual([]);
    await page.close();
  });
});
