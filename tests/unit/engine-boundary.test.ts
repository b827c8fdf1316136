// The engine's boundary (docs/ARCHITECTURE.md): engine/ is plain TypeScript with no DOM,
// UI or bundler dependencies, erasable syntax only, and relative imports ending in .ts,
// so that plain Node runs it with no build step. This test checks all of that.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const engine = join(root, 'engine');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    // test-support/ folders hold helpers for the engine's own tests (they may read files).
    if (entry.isDirectory()) return entry.name === 'test-support' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const files = sourceFiles(engine);
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

describe('engine boundary', () => {
  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files.map((f) => [relative(root, f), f]))('%s imports only engine modules by .ts path', (_, file) => {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2] ?? '';
      expect(specifier, `${specifier} must be a relative import`).toMatch(/^\.\.?\//);
      expect(specifier, `${specifier} must end in .ts`).toMatch(/\.ts$/);
      const target = join(file, '..', specifier);
      expect(relative(engine, target).startsWith('..'), `${specifier} leaves engine/`).toBe(false);
    }
    expect(text).not.toMatch(/\b(document|window|navigator|localStorage)\./);
  });

  it('loads in plain Node with no build step (type stripping rejects non-erasable syntax)', () => {
    const script = files.map((f) => `await import(${JSON.stringify(f)});`).join('\n');
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('the check itself catches an enum', () => {
    const result = spawnSync(
      process.execPath,
      ['--input-type=module-typescript', '-e', 'enum Op { Nop } console.log(Op.Nop)'],
      { encoding: 'utf8' },
    );
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/enum|strip-only|not supported/i);
  });
});
