// The official WebAssembly 2.0 spec tests against the validator
// (https://webassembly.github.io/spec/core/valid/index.html): every `assert_invalid`
// module is rejected with a message starting with the suite's text, and every module the
// suite expects to validate does — plain `module` commands and those under
// assert_unlinkable / assert_uninstantiable / assert_trap (which fail later, when linked
// or instantiated, so they must be valid).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeModule } from '../binary/index.ts';
import type { Module } from '../syntax/index.ts';
import { parseQuoted, parseWast, parseWat, type WastModule } from '../text/index.ts';
import { ValidationError } from './error.ts';
import { validateModule } from './validate.ts';
import { testsuiteRoot } from '../../tests/support/testsuite.ts';

const suiteRoot = testsuiteRoot;
const suiteDir = path.join(suiteRoot, 'wasm-2.0');
const present = existsSync(suiteDir);
const suite = present ? describe : describe.skip;
const title = present
  ? `validator on the spec suite ${suiteDir}`
  : `validator on the spec suite (skipped: ${suiteDir} not found; set WASM_TESTSUITE to the wasm-testsuite folder)`;

interface Case {
  readonly where: string;
  readonly expected?: string;
  readonly load: () => Module;
}

/** The 2.0 suite under 2.0's rules (3.0 allows, e.g., several memories). */
const V2 = { version: '2.0' } as const;

function loader(m: WastModule): () => Module {
  switch (m.kind) {
    case 'text':
      return () => m.module;
    case 'binary':
      return () => decodeModule(m.bytes, V2);
    case 'quote':
      return () => parseQuoted(m, V2);
    case 'text-error':
      return () => {
        throw m.error;
      };
  }
}

function collect(): { invalid: Case[]; valid: Case[] } {
  const invalid: Case[] = [];
  const valid: Case[] = [];
  for (const file of readdirSync(suiteDir).filter((f) => f.endsWith('.wast')).sort()) {
    const source = readFileSync(path.join(suiteDir, file), 'utf8');
    let commands;
    try {
      commands = parseWast(source, V2);
    } catch {
      // A script that is only module fields is one inline module (inline-module.wast).
      valid.push({ where: `${file} (inline module)`, load: () => parseWat(source, V2) });
      continue;
    }
    for (const c of commands) {
      const where = `${file}:${c.line}`;
      if (c.type === 'assert_invalid') invalid.push({ where, expected: c.message, load: loader(c.module) });
      else if (
        c.type === 'module' ||
        c.type === 'assert_unlinkable' ||
        c.type === 'assert_uninstantiable' ||
        c.type === 'assert_trap_module'
      ) {
        valid.push({ where, load: loader(c.module) });
      }
    }
  }
  return { invalid, valid };
}

suite(title, () => {
  const { invalid, valid } = present ? collect() : { invalid: [], valid: [] };

  it('rejects every assert_invalid module with the expected message', () => {
    const mismatches: string[] = [];
    let matched = 0;
    for (const c of invalid) {
      try {
        validateModule(c.load(), V2);
        mismatches.push(`${c.where}: expected "${c.expected}", but the module validated`);
      } catch (e) {
        if (e instanceof ValidationError && e.specMessage.startsWith(c.expected!)) matched++;
        else mismatches.push(`${c.where}: expected "${c.expected}", got ${(e as Error).name}: ${(e as Error).message}`);
      }
    }
    console.log(`assert_invalid: ${matched} of ${invalid.length} rejected with the expected message`);
    expect(mismatches).toEqual([]);
    expect(invalid.length).toBeGreaterThan(2000);
  });

  it('validates every module the suite expects to be valid', () => {
    const failures: string[] = [];
    for (const c of valid) {
      try {
        const v = validateModule(c.load(), V2);
        expect(v.funcs.length).toBe(v.module.funcs.length);
      } catch (e) {
        failures.push(`${c.where}: ${(e as Error).name}: ${(e as Error).message}`);
      }
    }
    console.log(`valid modules: ${valid.length - failures.length} of ${valid.length} validated`);
    expect(failures).toEqual([]);
    expect(valid.length).toBeGreaterThan(1500);
  });
});
