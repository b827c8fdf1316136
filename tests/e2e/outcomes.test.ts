// The learning outcomes under each lesson's title, over every built page of both builds:
// `backticks` in the frontmatter become <code> elements (site/components/LessonTitle.astro),
// so no rendered outcome shows a literal backtick, and the code stays text, never markup.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertBuilt, pagesOf, SITES } from './sites.ts';

/** The inner HTML of each lesson page's outcomes list. */
function outcomesOf(dir: string, page: string): string | null {
  const html = readFileSync(join(dir, page, 'index.html'), 'utf8');
  return /<section[^>]*class="ws-outcomes[^"]*"[^>]*>([\s\S]*?)<\/section>/.exec(html)?.[1] ?? null;
}

describe.each(SITES)('lesson outcomes on the $name site (base $base)', (site) => {
  it('render `code` as <code> on every lesson, with no literal backtick left', () => {
    assertBuilt(site);
    const lessons = pagesOf(site).filter((p) => p.startsWith('lessons/'));
    expect(lessons.length).toBeGreaterThanOrEqual(30);
    const report: string[] = [];
    for (const page of lessons) {
      const outcomes = outcomesOf(site.dir, page);
      if (outcomes === null) report.push(`${page}: no outcomes`);
      else if (outcomes.includes('`')) report.push(`${page}: ${outcomes.replace(/<[^>]+>/g, '').trim().split('\n').find((l) => l.includes('`'))}`);
    }
    expect(report).toEqual([]);

    const bindgen = outcomesOf(site.dir, 'lessons/08-rust/01-wasm-bindgen/')!;
    expect(bindgen).toMatch(/<code[^>]*>__wbindgen_malloc<\/code>, <code[^>]*>__wbindgen_free<\/code> and <code[^>]*>retptr<\/code>/);
  });
});
