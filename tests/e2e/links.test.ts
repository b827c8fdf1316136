// No broken internal link in either built site: every href/src that points into the site
// resolves to a file under the site's base, and every #fragment to an element id.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SITES, assertBuilt, pagesOf, type BuiltSite } from './sites.ts';

const ATTRIBUTE = /\s(?:href|src|action|poster)=(?:"([^"]*)"|'([^']*)')|\ssrcset="([^"]*)"/g;

function fileFor(site: BuiltSite, pathname: string): string | undefined {
  if (!pathname.startsWith(site.base)) return undefined;
  const rest = decodeURIComponent(pathname.slice(site.base.length));
  const candidate = join(site.dir, rest);
  if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  const index = join(candidate, 'index.html');
  return existsSync(index) ? index : undefined;
}

function idsIn(html: string): Set<string> {
  return new Set([...html.matchAll(/\sid=(?:"([^"]*)"|'([^']*)')/g)].map((m) => m[1] ?? m[2] ?? ''));
}

describe.each(SITES)('links in the $name site (base $base)', (site) => {
  it('has pages', () => {
    assertBuilt(site);
    expect(pagesOf(site)).toEqual(expect.arrayContaining(['', '404.html', 'lessons/01-start/01-welcome/']));
  });

  it('every internal link and asset resolves under the base', () => {
    assertBuilt(site);
    const origin = 'http://site.test';
    const broken: string[] = [];
    let checked = 0;
    for (const page of pagesOf(site)) {
      const pageUrl = new URL(site.base + page, origin);
      const html = readFileSync(fileFor(site, pageUrl.pathname) ?? '', 'utf8');
      const values = [...html.matchAll(ATTRIBUTE)].flatMap((m) =>
        m[3] !== undefined ? m[3].split(',').map((part) => part.trim().split(/\s+/)[0] ?? '') : [m[1] ?? m[2] ?? ''],
      );
      for (const value of values) {
        if (value === '' || /^(mailto:|tel:|data:|javascript:)/i.test(value)) continue;
        const url = new URL(value.replaceAll('&amp;', '&'), pageUrl);
        if (url.origin !== origin) continue;
        checked++;
        const file = fileFor(site, url.pathname);
        if (!file) {
          broken.push(`${page || '(home)'} → ${value}`);
          continue;
        }
        if (url.hash.length > 1 && file.endsWith('.html')) {
          const id = decodeURIComponent(url.hash.slice(1));
          if (!idsIn(readFileSync(file, 'utf8')).has(id)) broken.push(`${page || '(home)'} → ${value} (no #${id})`);
        }
      }
    }
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(20);
  });
});
