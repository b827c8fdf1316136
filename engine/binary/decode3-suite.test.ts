// The WebAssembly 3.0 spec suite's binary modules through the decoder and disassembler:
// every `(module binary …)` that is not asserted malformed decodes and prints, and every
// assert_malformed one is rejected with a DecodeError. The 3.0 text modules are not used:
// the text parser reads 2.0 only.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testsuiteRoot, suiteFiles, suiteTitle } from '../../tests/support/testsuite.ts';
import { DecodeError } from './error.ts';
import { printModule } from '../text/index.ts';
import { decodeModule } from './decode.ts';
import { decodeOutline } from './outline.ts';
import { suiteModules } from './test-support/wast-modules.ts';

const present = suiteFiles('3.0') !== undefined;
const modules = present ? suiteModules(path.join(testsuiteRoot, 'wasm-3.0')).filter((m) => m.kind === 'binary') : [];
const wellFormed = modules.filter((m) => m.command !== 'assert_malformed');
const malformed = modules.filter((m) => m.command === 'assert_malformed');

/** Counts in wasm-3.0 of the testsuite checkout; a change means modules went missing or appeared. */
const WELL_FORMED = 99;
const MALFORMED = 711;

(present ? describe : describe.skip)(suiteTitle('spec suite 3.0 binary modules', '3.0'), () => {
  it(`decodes, outlines and prints all ${WELL_FORMED} binary modules that are not malformed`, () => {
    const failures: string[] = [];
    for (const m of wellFormed) {
      const where = `${path.basename(m.file)}:${m.line}`;
      try {
        const module = decodeModule(m.bytes!);
        const text = printModule(module, { offsets: true });
        expect(text.startsWith('(;@')).toBe(true);
        const outline = decodeOutline(m.bytes!);
        expect(outline.functions.length).toBe(module.funcs.length + module.imports.filter((i) => i.desc.kind === 'func').length);
      } catch (e) {
        failures.push(`${where}: ${(e as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
    expect(wellFormed.length).toBe(WELL_FORMED);
  });

  it(`rejects all ${MALFORMED} assert_malformed binary modules with a DecodeError`, () => {
    const accepted: string[] = [];
    for (const m of malformed) {
      try {
        decodeModule(m.bytes!);
        accepted.push(`${path.basename(m.file)}:${m.line} (expected "${m.expected}")`);
      } catch (e) {
        if (!(e instanceof DecodeError)) throw e;
      }
    }
    expect(accepted).toEqual([]);
    expect(malformed.length).toBe(MALFORMED);
  });
});
