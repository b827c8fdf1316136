// WebAssembly.validate on WebAssembly 3.0 modules the facade decides from their bytes
// (engine/valid/binary.ts): real toolchain output with legacy exception handling, and small
// modules each way, expected the same from V8 and from WasmStep.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WasmStep } from './index.ts';

const pyodide = path.resolve(import.meta.dirname, '../../node_modules/pyodide/pyodide.asm.wasm');

const apis: [string, { validate(bytes: unknown): boolean }][] = [
  ['V8', WebAssembly],
  ['WasmStep', WasmStep],
];

// One function [] -> [] with the given instructions (and its final end), tag 0 of type [i32] -> [].
const withTag = (...code: number[]) =>
  new Uint8Array([
    0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 2, 96, 0, 0, 96, 1, 127, 0, 3, 2, 1, 0, 13, 3, 1, 0, 1,
    10, code.length + 4, 1, code.length + 2, 0, ...code, 11,
  ]);

describe.each(apis)('%s validate on WebAssembly 3.0', (_, W) => {
  it.skipIf(!existsSync(pyodide))("accepts Pyodide's CPython (legacy exception handling)", () => {
    expect(W.validate(readFileSync(pyodide))).toBe(true);
  });

  it('accepts legacy try/catch and rejects a catch after catch_all', () => {
    expect(W.validate(withTag(0x06, 0x40, 0x07, 0x00, 0x1a, 0x19, 0x0b))).toBe(true);
    expect(W.validate(withTag(0x41, 0, 0x08, 0x00))).toBe(true);
    expect(W.validate(withTag(0x06, 0x40, 0x19, 0x07, 0x00, 0x1a, 0x0b))).toBe(false);
    expect(W.validate(withTag(0x08, 0x00))).toBe(false);
  });
});
