// Our text → binary path against wabt's wat2wasm (a dev-only oracle) on every text module
// of the 2.0 spec suite: parse with engine/text, encode with engine/binary, and compare
// bytes with wabt's toBinary. Where wabt encodes differently, the difference must be one
// of the documented cases in tests/support/wabt-canonical.ts — each is still a correct encoding of the same module —
// and after applying exactly those rewrites the bytes must be identical.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import wabtInit from 'wabt';
import { describe, expect, it } from 'vitest';
import { type Command, decodeModule, encodeModule, parseWast, type WastModule } from '../../engine/index.ts';
import { ALLOWED } from '../support/wabt-canonical.ts';
import { suiteFiles, suiteTitle } from '../support/testsuite.ts';

const files = suiteFiles('2.0');
const FEATURES = {
  sat_float_to_int: true,
  sign_extension: true,
  simd: true,
  multi_value: true,
  bulk_memory: true,
  reference_types: true,
  mutable_globals: true,
};

function moduleOf(command: Command): WastModule | undefined {
  // `register` also has a `module` field: the name of the module it registers.
  return 'module' in command && typeof command.module === 'object' ? command.module : undefined;
}

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((byte, i) => byte === b[i]);

describe.skipIf(!files)(suiteTitle('text modules of the 2.0 suite, encoded by us and by wabt', '2.0'), () => {
  it('encode to the same bytes, up to the documented differences', { timeout: 300_000 }, async () => {
    const wabt = await wabtInit();
    const encoder = new TextEncoder();
    const counts: Record<string, number> = Object.fromEntries(Object.keys(ALLOWED).map((k) => [k, 0]));
    const unexplained: string[] = [];
    let identical = 0;
    let compared = 0;
    for (const file of files ?? []) {
      const source = readFileSync(file, 'utf8');
      for (const command of parseWast(source)) {
        const wast = moduleOf(command);
        if (wast?.kind !== 'text') continue;
        const text = source.slice(wast.span.start, wast.span.end);
        let theirs: Uint8Array;
        const parsed = wabt.parseWat('m.wat', encoder.encode(text), FEATURES);
        try {
          parsed.resolveNames();
          theirs = new Uint8Array(parsed.toBinary({}).buffer);
        } catch {
          continue; // wabt cannot write it (e.g. an invalid module wabt rejects); nothing to compare
        } finally {
          parsed.destroy();
        }
        compared++;
        const where = `${path.basename(file)}:${wast.line}`;
        const ours = encodeModule(wast.module);
        if (same(ours, theirs)) {
          identical++;
          continue;
        }
        // Re-parse (the AST is ours to rewrite), apply the documented rewrites, compare again.
        const copy = parseWast(text)[0];
        const module = copy && moduleOf(copy);
        if (module?.kind !== 'text') throw new Error(`${where}: does not re-parse on its own`);
        const applied = Object.entries(ALLOWED).filter(([, rule]) => rule.rewrite(module.module)).map(([name]) => name);
        if (applied.length > 0 && same(encodeModule(module.module), theirs)) {
          for (const name of applied) counts[name] = (counts[name] ?? 0) + 1;
        } else {
          unexplained.push(`${where} (rewrites tried: ${applied.join(', ') || 'none'})`);
        }
      }
    }
    console.log(
      `text → binary vs wabt: ${compared} modules, ${identical} byte-identical, ` +
        Object.entries(counts).map(([name, n]) => `${n} ${name}`).join(', '),
    );
    expect(unexplained).toEqual([]);
    expect(compared).toBeGreaterThan(3700);
    expect(identical / compared).toBeGreaterThan(0.98);
  });

  it('round-trip: text → binary → decode → encode gives the same bytes', { timeout: 300_000 }, () => {
    let checked = 0;
    const mismatches: string[] = [];
    for (const file of files ?? []) {
      const source = readFileSync(file, 'utf8');
      for (const command of parseWast(source)) {
        const wast = moduleOf(command);
        if (wast?.kind !== 'text') continue;
        const bytes = encodeModule(wast.module);
        let again: Uint8Array;
        try {
          again = encodeModule(decodeModule(bytes));
        } catch (error) {
          // Some invalid modules are rejected already by the decoder, as the spec allows
          // (e.g. "data count section required"); a valid one must always decode.
          if (command.type !== 'assert_invalid') mismatches.push(`${path.basename(file)}:${wast.line}: ${(error as Error).message}`);
          continue;
        }
        checked++;
        if (!same(bytes, again)) mismatches.push(`${path.basename(file)}:${wast.line}: bytes differ`);
      }
    }
    console.log(`text → binary → decode → encode: ${checked} modules identical`);
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThan(3700);
  });
});
