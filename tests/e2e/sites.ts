// The built sites the browser tests run against: dist/ (base /) and dist-course/
// (base /course/), both written by bin/test.ts before the tests start.
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export interface BuiltSite {
  readonly name: string;
  readonly dir: string;
  readonly base: string;
}

const root = join(import.meta.dirname, '..', '..');

export const SITES: readonly BuiltSite[] = [
  { name: 'root', dir: join(root, process.env.WASMSTEP_DIST ?? 'dist'), base: '/' },
  { name: 'sub-path', dir: join(root, process.env.WASMSTEP_DIST_COURSE ?? 'dist-course'), base: '/course/' },
];

export function assertBuilt(site: BuiltSite): void {
  if (!existsSync(join(site.dir, 'index.html'))) {
    throw new Error(`No built site in ${site.dir}: run "npm test" (it builds both sites) or "npm run build".`);
  }
}

/** Every HTML page of a built site, as a path relative to its base ('' for the home page). */
export function pagesOf(site: BuiltSite): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return walk(path);
      return entry.name.endsWith('.html') ? [path] : [];
    });
  return walk(site.dir)
    .map((file) => relative(site.dir, file).split(sep).join('/'))
    .map((file) => (file === 'index.html' ? '' : file.replace(/(^|\/)index\.html$/, '$1')))
    .sort();
}
