// Layout on real screens, in headless Chromium: no page scrolls sideways on a 390 px phone
// (light or dark).
import { expect, it } from 'vitest';
import { describeBrowser, open, useBrowserSite } from './harness.ts';
import { SITES, pagesOf } from './sites.ts';

const PHONE = { width: 390, height: 844 };

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

});
