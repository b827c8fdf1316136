// A module whose names carry HTML and script — export names, function and local names in
// the name section, a custom section's name and content — shown in the Stepper: every
// string must appear as text, and none may become markup or run. The page's example
// module (examples/add.wasm) is swapped for the hostile one on the wire.
import { expect, it } from 'vitest';
import { encodeModule, parseWat } from '../../engine/index.ts';
import { describeBrowser, useBrowserSite } from './harness.ts';
import { SITES } from './sites.ts';
import { custom, nameSubsection as sub, str, u32, utf8 } from './wasm-bytes.ts';

const TOUR = 'lessons/01-start/03-stepper/';
const IMG = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = '<script>window.__pwned=2</script>';
const SVG = '<svg onload="window.__pwned=3">';

/** add(a, b) exported as "add" (what the page invokes) and under a hostile name, with hostile names inside. */
function hostileModule(): Uint8Array {
  const wat = `(module
    (func (export "add") (export ${JSON.stringify(IMG)}) (param i32 i32) (result i32)
      (local i32)
      local.get 0 local.get 1 i32.add))`;
  const base = [...encodeModule(parseWat(wat))];
  const names = [
    ...sub(0, str(SCRIPT)), // module name
    ...sub(1, [1, 0, ...str(IMG)]), // function 0
    ...sub(2, [1, 0, 3, 0, ...str(SVG), 1, ...str(IMG), 2, ...str(SCRIPT)]), // its locals
  ];
  return Uint8Array.from([...base, ...custom('name', names), ...custom(SCRIPT, utf8(IMG + SVG))]);
}

describeBrowser.each(SITES)('hostile names in the Stepper on the $name site', (site) => {
  // Without the Content-Security-Policy, which would stop an injected handler by itself:
  // this checks that nothing is injected in the first place.
  const s = useBrowserSite(site, { csp: false, context: { reducedMotion: 'reduce', viewport: { width: 1280, height: 900 } } });

  it('shows them as text and runs none of them', async () => {
    const page = await s.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const bytes = hostileModule();
    let served = 0;
    await page.route('**/examples/add.wasm', (route) => {
      served++;
      return route.fulfill({ status: 200, contentType: 'application/wasm', body: Buffer.from(bytes) });
    });
    await page.goto(s.url + TOUR, { waitUntil: 'networkidle' });
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
