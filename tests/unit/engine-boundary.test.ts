// The engine's boundary (docs/ARCHITECTURE.md, "Layers and front doors"):
// - engine/ is plain TypeScript with no DOM, UI or bundler dependencies, erasable syntax
//   only, and relative imports ending in .ts, so plain Node runs it with no build step;
// - each layer (engine/<layer>/) has one front door, its index.ts: an import that crosses
//   from one layer into another names that index.ts, never a file behind it;
// - layers import only layers below them: syntax ← text, binary ← valid ← exec ← trace,
//   api, script (siblings do not import each other); a layer's tests may use any layer,
//   through its front door;
// - code outside engine/ (site, bin, bench, tests) imports engine/index.ts, or a layer's
//   index.ts where a bundle should not carry the rest of the engine.
// There are no exceptions to list: a new one fails this test.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const engine = join(root, 'engine');

/** Rank of each layer: a layer may import only layers of a lower rank. */
const RANK: Readonly<Record<string, number>> = {
  syntax: 0, text: 1, binary: 1, valid: 2, exec: 3, script: 4, api: 4, trace: 4,
};

function walk(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name.startsWith('.') || entry.name.startsWith('dist')) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return walk(path, keep);
    return keep(entry.name) ? [path] : [];
  });
}

const isTs = (name: string) => name.endsWith('.ts') && !name.endsWith('.d.ts');
/** Engine files that ship: not tests, not the tests' helpers. */
const sources = walk(engine, (n) => isTs(n) && !n.endsWith('.test.ts')).filter((f) => !f.includes(`${sep}test-support${sep}`));
/** Every engine file, tests included: front doors and layer order hold for them too. */
const engineFiles = walk(engine, isTs);
const outsideFiles = ['site', 'bin', 'bench', 'tests']
  .flatMap((d) => walk(join(root, d), (n) => /\.(ts|mts|mjs|js|svelte|astro)$/.test(n) && !n.endsWith('.d.ts')))
  .concat(['astro.config.mjs', 'vitest.config.ts'].map((f) => join(root, f)));

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g;

function specifiers(text: string): string[] {
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

/** The layer a path lies in: a folder name, '' for engine/ itself, null outside engine/. */
function layerOf(path: string): string | null {
  const rel = relative(engine, path);
  if (rel.startsWith('..')) return null;
  const parts = rel.split(sep);
  return parts.length === 1 ? '' : parts[0]!;
}

const isDoor = (path: string) => path === join(engine, 'index.ts') || (dirname(dirname(path)) === engine && path.endsWith(`${sep}index.ts`));

/**
 * What is wrong with one import, or undefined. Pure, so the test can check the checker.
 * A test may use any layer through its front door (a binary test writes its modules as
 * text), so the layer order binds what ships, not the tests.
 */
function violation(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const target = resolve(dirname(from), specifier);
  const to = layerOf(target);
  if (to === null) return undefined; // not into the engine
  const fromLayer = layerOf(from);
  if (fromLayer === null) {
    return isDoor(target) ? undefined : `${specifier} reaches past the engine's front door: import engine/index.ts (or a layer's index.ts)`;
  }
  if (to === '' && target !== join(engine, 'index.ts')) return `${specifier}: engine/ holds only index.ts; every other file belongs to a layer`;
  if (fromLayer === '') return to !== '' && target === join(engine, to, 'index.ts') ? undefined : `${specifier}: engine/index.ts re-exports the layers' front doors only`;
  if (to === fromLayer) return undefined;
  if (!(to in RANK) || !(fromLayer in RANK)) return `${specifier}: unknown layer ${!(to in RANK) ? to : fromLayer}`;
  if (to === '') return `${specifier}: a layer may not import engine/index.ts`;
  if (target !== join(engine, to, 'index.ts')) return `${specifier} reaches past the ${to} layer's front door (engine/${to}/index.ts)`;
  if (RANK[to]! >= RANK[fromLayer]! && !from.endsWith('.test.ts')) return `${specifier}: ${fromLayer} may not import ${to} (layers import only layers below them)`;
  return undefined;
}

/** Every import of these files that breaks a rule, as "file: why". */
function violations(files: readonly string[]): string[] {
  return files.flatMap((file) =>
    specifiers(readFileSync(file, 'utf8')).flatMap((specifier) => {
      const v = violation(file, specifier);
      return v === undefined ? [] : [`${relative(root, file)}: ${v}`];
    }),
  );
}

describe('engine boundary', () => {
  it('has source files to check', () => {
    expect(sources.length).toBeGreaterThan(50);
    expect(outsideFiles.length).toBeGreaterThan(50);
  });

  it('every layer has a front door, and engine/ holds only index.ts and the layers', () => {
    const top = readdirSync(engine, { withFileTypes: true });
    expect(top.filter((e) => e.isFile()).map((e) => e.name)).toEqual(['index.ts']);
    expect(top.filter((e) => e.isDirectory()).map((e) => e.name).sort()).toEqual(Object.keys(RANK).sort());
    for (const layer of Object.keys(RANK)) expect(readFileSync(join(engine, layer, 'index.ts'), 'utf8')).toMatch(/export/);
  });

  it.each(sources.map((f) => [relative(root, f), f]))('%s imports only engine modules by .ts path', (_, file) => {
    const text = readFileSync(file, 'utf8');
    for (const specifier of specifiers(text)) {
      expect(specifier, `${specifier} must be a relative import`).toMatch(/^\.\.?\//);
      expect(specifier, `${specifier} must end in .ts`).toMatch(/\.ts$/);
      expect(relative(engine, join(file, '..', specifier)).startsWith('..'), `${specifier} leaves engine/`).toBe(false);
    }
    expect(text).not.toMatch(/\b(document|window|navigator|localStorage)\./);
  });

  it('imports between layers go through front doors (sources and tests), downwards only (sources)', () => {
    expect(violations(engineFiles)).toEqual([]);
  });

  it('code outside engine/ enters only by a front door', () => {
    expect(violations(outsideFiles)).toEqual([]);
  });

  it('the check itself catches each kind of violation', () => {
    const at = (p: string) => join(root, p);
    expect(violation(at('site/lib/x.ts'), '../../engine/exec/machine.ts')).toMatch(/front door/);
    expect(violation(at('site/lib/x.ts'), '../../engine/index.ts')).toBeUndefined();
    expect(violation(at('site/lib/x.ts'), '../../engine/binary/index.ts')).toBeUndefined();
    expect(violation(at('engine/trace/x.ts'), '../exec/machine.ts')).toMatch(/exec layer's front door/);
    expect(violation(at('engine/trace/x.ts'), '../exec/index.ts')).toBeUndefined();
    expect(violation(at('engine/exec/x.ts'), '../trace/index.ts')).toMatch(/may not import trace/);
    expect(violation(at('engine/text/x.ts'), '../binary/index.ts')).toMatch(/may not import binary/);
    expect(violation(at('engine/api/x.ts'), '../trace/index.ts')).toMatch(/may not import trace/);
    expect(violation(at('engine/valid/x.ts'), '../errors.ts')).toMatch(/only index.ts/);
    expect(violation(at('engine/valid/x.ts'), './code.ts')).toBeUndefined();
    expect(violation(at('engine/binary/x.test.ts'), '../text/index.ts')).toBeUndefined();
    expect(violation(at('engine/binary/x.test.ts'), '../text/parser.ts')).toMatch(/text layer's front door/);
    expect(specifiers("import {\n  a,\n  b,\n} from '../x/y.ts';\nconst m = await import('../z.ts');")).toEqual(['../x/y.ts', '../z.ts']);
  });

  it('loads in plain Node with no build step (type stripping rejects non-erasable syntax)', () => {
    const script = sources.map((f) => `await import(${JSON.stringify(f)});`).join('\n');
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
