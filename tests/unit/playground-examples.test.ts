// The Playground's example gallery (site/lib/playground/examples.ts): every .wat file in
// the examples folder is in the gallery, parses and validates, and its call does what the
// gallery says — the results, what env.log printed, or the trap — on the engine, with the
// same imports and argument parsing the stepper uses.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { instantiate, invoke, parseWat, Trap, validateModule } from '../../engine/index.ts';
import { EXAMPLES } from '../../site/lib/playground/examples.ts';
import { parseArg } from '../../site/lib/stepper/args.ts';
import { HOST_ERRORS, makeImports, type HostConsole } from '../../site/lib/stepper/imports.ts';

const dir = join(import.meta.dirname, '..', '..', 'site', 'lib', 'playground', 'examples');

describe('the Playground examples', () => {
  it('lists every example file once, under its file name', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.wat')).map((f) => f.slice(0, -4)).sort();
    expect(EXAMPLES.map((e) => e.id).sort()).toEqual(files);
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  it.each(EXAMPLES.map((e) => [e.id, e] as const))('%s parses, validates and runs to its documented result', (_id, example) => {
    const module = parseWat(example.source);
    validateModule(module);
    const out: HostConsole = { lines: [], stepIndex: () => 0, onLine: () => {} };
    const instance = instantiate(module, makeImports(module, out), HOST_ERRORS);
    const exp = module.exports.find((e) => e.name === example.invoke && e.kind === 'func');
    expect(exp, `export ${example.invoke}`).toBeDefined();
    const fn = module.funcs[exp!.index - module.imports.filter((i) => i.desc.kind === 'func').length]!;
    const params = module.types[fn.type]!.type.params;
    expect(example.args.length).toBe(params.length);
    const args = params.map((t, i) => {
      const p = parseArg(example.args[i]!, t);
      if (!p.ok) throw new Error(`argument ${i}: ${p.error}`);
      return p.value;
    });
    const call = (): unknown => invoke(instance, example.invoke, args);
    if ('trap' in example.expect) {
      expect(call).toThrow(Trap);
      expect(call).toThrow(example.expect.trap);
      return;
    }
    expect(call()).toEqual(example.expect.results);
    expect(out.lines.map((l) => l.text)).toEqual(example.expect.log ?? []);
  });

  it('each example has a summary and a distinct title', () => {
    expect(new Set(EXAMPLES.map((e) => e.title)).size).toBe(EXAMPLES.length);
    for (const e of EXAMPLES) expect(e.summary.length).toBeGreaterThan(10);
  });
});
