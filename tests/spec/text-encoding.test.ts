// Our text → binary path against wabt's wat2wasm (a dev-only oracle) on every text module
// of the 2.0 spec suite: parse with engine/text, encode with engine/binary, and compare
// bytes with wabt's toBinary. Where wabt encodes differently, the difference must be one
// of the documented cases below — each is still a correct encoding of the same module —
// and after applying exactly those rewrites the bytes must be identical.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import wabtInit from 'wabt';
import { describe, expect, it } from 'vitest';
import {
  type Command, decodeModule, encodeModule, type Instr, type Module, opByName, parseWast, type WastModule,
} from '../../engine/index.ts';
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

/**
 * Encodings where wabt and we legitimately differ. Each rewrites our AST the way wabt
 * writes the same module; the result must then match wabt byte for byte.
 */
const ALLOWED: Record<string, { reason: string; rewrite(module: Module): boolean }> = {
  'empty else': {
    reason:
      'An `else` with an empty branch may be omitted in the binary (spec 5.4.1). We keep it because the learner wrote it and the stepper shows it; wabt drops it.',
    rewrite: (module) => rewriteBodies(module, (body) => dropEmptyElse(body)),
  },
  'short block type': {
    reason:
      'A block type `(type n)` whose function type is [] → [] or [] → [t] may be encoded by index or in the short form; both denote the same type. We keep the index the text gave; wabt shortens it.',
    rewrite: (module) =>
      rewriteBodies(module, (body) => {
        let changed = false;
        for (const instr of body) {
          const bt = instr.blockType;
          if (bt?.kind !== 'index') continue;
          const type = module.types[bt.index]?.type;
          if (!type || type.params.length > 0 || type.results.length > 1) continue;
          const result = type.results[0];
          instr.blockType = result === undefined ? { kind: 'empty' } : { kind: 'value', type: result };
          changed = true;
        }
        return changed;
      }),
  },
  'typed select without types': {
    reason:
      '`select (result)` with an empty result list is the typed select opcode 0x1c with zero types in the text; wabt writes the untyped 0x1b. The validator rejects both the same way.',
    rewrite: (module) =>
      rewriteBodies(module, (body) => {
        let changed = false;
        body.forEach((instr, i) => {
          if (instr.op === 'select' && instr.types && instr.types.length === 0) {
            body[i] = { op: 'select', code: opByName('select')!.code, span: instr.span };
            changed = true;
          }
        });
        return changed;
      }),
  },
  'data count without data': {
    reason:
      'A module using memory.init or data.drop needs a data count section (spec 5.5.16); we write it even when the count is 0, wabt omits it then (making such modules undecodable).',
    rewrite: (module) => {
      if (module.dataCount === undefined || module.datas.length > 0) return false;
      module.dataCount = undefined;
      return true;
    },
  },
};

function rewriteBodies(module: Module, rewrite: (body: Instr[]) => boolean): boolean {
  let changed = false;
  for (const func of module.funcs) changed = rewrite(func.body) || changed;
  return changed;
}

function dropEmptyElse(body: Instr[]): boolean {
  let changed = false;
  for (let i = body.length - 2; i >= 0; i--) {
    if (body[i]!.op === 'else' && body[i + 1]!.op === 'end') {
      body.splice(i, 1);
      changed = true;
    }
  }
  return changed;
}

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
