// Screenshots of built pages in headless Chromium, light and dark, for looking at what
// the site shows a person:  node bin/screenshot.ts [path ...]  (writes screenshots/*.png)
import { mkdir } from 'node:fs/promises';
import { launchBrowser } from '../tests/e2e/browser.ts';
import { serve } from './serve.ts';

const paths = process.argv.slice(2).length ? process.argv.slice(2) : ['', 'lessons/01-start/02-first-module/'];
const width = Number(process.env.WIDTH ?? 1280);
const site = await serve({ dir: process.env.SITE_OUT ?? 'dist', base: process.env.SITE_BASE ?? '/' });
const browser = await launchBrowser();
if (!browser) throw new Error('No Chromium found (set CHROMIUM_PATH).');
await mkdir('screenshots', { recursive: true });
try {
  for (const theme of ['light', 'dark'] as const) {
    const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: theme });
    const page = await context.newPage();
    for (const path of paths) {
      await page.goto(site.url + path, { waitUntil: 'networkidle' });
      await page.waitForTimeout(400);
      const name = (path.replace(/\/$/, '').replace(/\//g, '_') || 'home') + `-${theme}-${width}.png`;
      await page.screenshot({ path: `screenshots/${name}`, fullPage: process.env.FULL === '1' });
      console.log(`screenshots/${name}`);
    }
    await context.close();
  }
} finally {
  await browser.close();
  await site.close();
}
