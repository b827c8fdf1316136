// Lessons are data: this checks their layout and frontmatter against the same schema the
// site uses (site/lib/lesson-schema.ts), and the example module a lesson links to.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import wabtInit from 'wabt';
import { chapterSchema, lessonFrontmatter } from '../../site/lib/lesson-schema.ts';

const root = join(import.meta.dirname, '..', '..');
const lessonsDir = join(root, 'lessons');
const chapters = chapterSchema.array().parse(JSON.parse(readFileSync(join(lessonsDir, 'chapters.json'), 'utf8')));
const chapterDirs = readdirSync(lessonsDir, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);
const lessonFiles = chapterDirs.flatMap((dir) =>
  readdirSync(join(lessonsDir, dir))
    .filter((name) => !name.startsWith('_'))
    .map((name) => `${dir}/${name}`),
);

function frontmatter(path: string): unknown {
  const text = readFileSync(join(lessonsDir, path), 'utf8');
  const match = /^---\n([\s\S]*?)\n---\n/.exec(text);
  if (!match) throw new Error(`${path} has no frontmatter`);
  return parseYaml(match[1] ?? '');
}

describe('course content', () => {
  it('lists each chapter once, in order', () => {
    const ids = chapters.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(chapters.map((c) => c.order)).toEqual(chapters.map((_, i) => i + 1));
  });

  it('has a chapters.json entry for every chapter folder', () => {
    const known = new Set(chapters.map((c) => c.id));
    for (const dir of chapterDirs) expect(known.has(dir), `lessons/${dir} is not in chapters.json`).toBe(true);
  });

  it('has at least the two opening lessons', () => {
    expect(lessonFiles).toContain('01-start/01-welcome.mdx');
    expect(lessonFiles).toContain('01-start/02-first-module.mdx');
  });

  it.each(lessonFiles)('%s is named NN-name.mdx and its frontmatter is valid', (path) => {
    expect(path).toMatch(/^\d\d-[a-z0-9-]+\/\d\d-[a-z0-9-]+\.mdx?$/);
    const result = lessonFrontmatter.safeParse(frontmatter(path));
    expect(result.success, result.success ? '' : JSON.stringify(result.error.issues)).toBe(true);
  });

  it('rejects a lesson without minutes or outcomes', () => {
    expect(lessonFrontmatter.safeParse({ title: 'x', description: 'A description long enough.' }).success).toBe(false);
  });
});

describe('the example module of "Your first module"', () => {
  it('public/examples/add.wasm is exactly add.wat assembled, 41 bytes, and adds', async () => {
    const wabt = await wabtInit();
    const wat = readFileSync(join(root, 'public/examples/add.wat'), 'utf8');
    const expected = wabt.parseWat('add.wat', wat).toBinary({}).buffer;
    const committed = readFileSync(join(root, 'public/examples/add.wasm'));
    expect([...committed]).toEqual([...expected]);
    expect(committed.length).toBe(41);
    const { instance } = await WebAssembly.instantiate(committed);
    expect((instance.exports.add as (a: number, b: number) => number)(2, 3)).toBe(5);
  });

  it('the byte listing in the lesson matches the file', () => {
    const lesson = readFileSync(join(lessonsDir, '01-start/02-first-module.mdx'), 'utf8');
    const listing = /```text title="add.wasm"\n([\s\S]*?)```/.exec(lesson)?.[1] ?? '';
    // Each line starts with its bytes; the explanation follows.
    const hex = listing.split('\n').flatMap((line) => /^(?:[0-9a-f]{2} ?)+/.exec(line)?.[0].trim().split(' ') ?? []);
    const committed = readFileSync(join(root, 'public/examples/add.wasm'));
    expect(hex?.map((h) => parseInt(h, 16))).toEqual([...committed]);
  });
});
