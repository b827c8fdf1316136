// Layout on real screens, in headless Chromium: no page scrolls sideways on a 390 px phone
// (light or dark); the header leads to the Playground and the Module explorer on a desktop
// and from the mobile menu on a phone, under either base path; the LEB128 widget's three
// buttons sit on one line.
import { expect, it } from 'vitest';
import { axe, describeBrowser, open, useBrowserSite } from './harness.ts';
import { SITES, pagesOf } from './sites.ts';

const PHONE = { width: 390, height: 844 };
const LESSON = 'lessons/02-formats/02-sections-and-leb128/';
const TOOLS = [
  { name: 'Playground', path: 'playground/', heading: /Playground/ },
  { name: 'Module explorer', path: 'explorer/', heading: /explorer/i },
] as const;

describeBrowser.each(SITES)('the $name site (base $base): layout', (site) => {
  const s = useBrowserSite(site);

  if (site.base === '/') {
    for (const theme of ['light', 'dark'] as const) {
      it(`no page scrolls sideways at 390 px (${theme})`, async () => {
        const context = await s.browser.newContext({ viewport: PHONE, colorScheme: theme });
        const wide: string[] = [];
        for (const path of pagesOf(site)) {
          const { page } = await open(context, s.url + path);
          expect(await page.locator('html').getAttribute('data-theme')).toBe(theme);
          const { scrollWidth, clientWidth } = await page.evaluate(() => ({
            scrollWidth: document.documentElement.scrollWidth,
            clientWidth: document.documentElement.clientWidth,
          }));
          if (scrollWidth > clientWidth) wide.push(`${path || '(home)'}: scrollWidth ${scrollWidth} > ${clientWidth}`);
          await page.close();
        }
        await context.close();
        expect(wide).toEqual([]);
      }, 600_000); // every page of the course, one after another
    }
  }

  it('a lesson header links to the Playground and the Module explorer (desktop)', async () => {
    const context = await s.browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    const { page, problems } = await open(context, s.url + LESSON);
    const header = page.getByRole('banner');
    for (const tool of TOOLS) {
      const link = header.getByRole('link', { name: tool.name, exact: true });
      await expect.poll(() => link.isVisible()).toBe(true);
      expect(await link.getAttribute('href')).toBe(`${site.base}${tool.path}`);
    }
    expect(await axe(page)).toEqual([]);
    for (const tool of TOOLS) {
      await page.goto(s.url + LESSON);
      await header.getByRole('link', { name: tool.name, exact: true }).click();
      await page.waitForURL(`${s.url}${tool.path}`);
      expect(await page.locator('h1').first().textContent()).toMatch(tool.heading);
    }
    expect(problems).toEqual([]);
    await context.close();
  });

  it('on a phone the mobile menu links to the Playground and the Module explorer', async () => {
    const context = await s.browser.newContext({ viewport: PHONE, hasTouch: true, bypassCSP: true });
    const { page, problems } = await open(context, s.url + LESSON);
    for (const tool of TOOLS) {
      await page.goto(s.url + LESSON);
      const link = page.getByRole('link', { name: tool.name, exact: true });
      // Hidden until the menu opens: the header has no room for them on a phone.
      expect(await link.first().isVisible()).toBe(false);
      await page.getByRole('button', { name: /menu/i }).click();
      const visible = link.locator('visible=true');
      await visible.waitFor({ state: 'visible' });
      if (tool === TOOLS[0]) expect(await axe(page)).toEqual([]);
      await visible.click();
      await page.waitForURL(`${s.url}${tool.path}`);
      expect(await page.locator('h1').first().textContent()).toMatch(tool.heading);
    }
    expect(problems).toEqual([]);
    await context.close();
  });

  it('the LEB128 widget lines its three buttons up', async () => {
    const context = await s.browser.newContext();
    const { page } = await open(context, s.url + LESSON);
    const fig = page.locator('figure.const-bytes').first();
    await fig.scrollIntoViewIfNeeded();
    const tops: number[] = [];
    for (const name of ['× 128', '+ 1', '± sign']) {
      const box = await fig.getByRole('button', { name, exact: true }).boundingBox();
      expect(box, name).not.toBeNull();
      tops.push(box!.y);
    }
    expect(Math.max(...tops) - Math.min(...tops), `tops ${tops.join(', ')}`).toBeLessThanOrEqual(1);
    await context.close();
  });
});
