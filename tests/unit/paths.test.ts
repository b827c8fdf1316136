import { describe, expect, it } from 'vitest';
import { chapterOf, entryUrl, joinBase, normalizeBase } from '../../site/lib/paths.ts';

describe('base-aware paths', () => {
  it('normalises every way of writing a base', () => {
    expect(normalizeBase('')).toBe('/');
    expect(normalizeBase('/')).toBe('/');
    expect(normalizeBase('course')).toBe('/course/');
    expect(normalizeBase('/course')).toBe('/course/');
    expect(normalizeBase('//a/b//')).toBe('/a/b/');
  });

  it('joins base and path with exactly one slash', () => {
    expect(joinBase('/', 'lessons/x/')).toBe('/lessons/x/');
    expect(joinBase('/course/', '/lessons/x/')).toBe('/course/lessons/x/');
    expect(joinBase('/course', 'examples/add.wasm')).toBe('/course/examples/add.wasm');
  });

  it('builds lesson URLs with a trailing slash and finds their chapter', () => {
    expect(entryUrl('/course/', 'lessons/01-start/01-welcome')).toBe('/course/lessons/01-start/01-welcome/');
    expect(chapterOf('lessons/03-stack-machine/01-push')).toBe('03-stack-machine');
    expect(chapterOf('index')).toBeUndefined();
  });
});
