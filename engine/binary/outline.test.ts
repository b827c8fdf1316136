// The outline (engine/binary/outline.ts) and the full decoder on six real toolchain
// modules, including the 3.0 ones: pyodide (emscripten, legacy exceptions and tags),
// esbuild (Go), @swc/wasm (Rust), sql.js, resvg and brotli. Their imports and exports must
// match V8's view of the same bytes (WebAssembly.Module.imports/exports), the outline must
// agree with the full decode, and bodies decoded on demand must equal the full decode's.
// On the spec suites' malformed binary modules, the outline must raise decodeModule's error.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { suiteFiles, suiteTitle, testsuiteRoot } from '../../tests/support/testsuite.ts';
import { DecodeError } from './error.ts';
import { detectFeatures, type Module } from '../syntax/index.ts';
import { validateModule } from '../valid/index.ts';
import { parseWat } from '../text/index.ts';
import { decodeModule, type DecodeOptions } from './decode.ts';
import { encodeModule } from './encode.ts';
import { decodeOutline, decodeOutlineFunction } from './outline.ts';
import { repoRoot } from './test-support/fixtures.ts';
import { suiteModules } from './test-support/wast-modules.ts';

const MODULES = [
  'node_modules/pyodide/pyodide.asm.wasm',
  'node_modules/esbuild-wasm/esbuild.wasm',
  'node_modules/@swc/wasm/wasm_bg.wasm',
  'node_modules/sql.js/dist/sql-wasm.wasm',
  'node_modules/@resvg/resvg-wasm/index_bg.wasm',
  'node_modules/brotli-wasm/pkg.node/brotli_wasm_bg.wasm',
];

const HOST_KIND = { func: 'function', table: 'table', memory: 'memory', global: 'global', tag: 'tag' } as const;

function hostView(m: Module): { imports: string[]; exports: string[] } {
  return {
    imports: m.imports.map((i) => `${i.module}.${i.name}:${HOST_KIND[i.desc.kind]}`),
    exports: m.exports.map((e) => `${e.name}:${HOST_KIND[e.kind]}`),
  };
}

describe('real modules: outline and full decode', () => {
  for (const file of MODULES) {
    const full = path.join(repoRoot, file);
    const title = existsSync(full) ? file : `${file} (SKIPPED: not installed)`;
    (existsSync(full) ? it : it.skip)(title, () => {
      const bytes = new Uint8Array(readFileSync(full));
      const seen: number[] = [];
      const outline = decodeOutline(bytes, { onProgress: (done, total) => {
        expect(total).toBe(bytes.length);
        seen.push(done);
      } });
      expect(seen.at(-1)).toBe(bytes.length);
      expect(seen.every((v, i) => i === 0 || v >= seen[i - 1]!)).toBe(true);

      const m = decodeModule(bytes);
      // V8 reads the same imports and exports (kinds included, tags too).
      const host = new WebAssembly.Module(bytes);
      expect(hostView(m)).toEqual({
        imports: WebAssembly.Module.imports(host).map((i) => `${i.module}.${i.name}:${i.kind}`),
        exports: WebAssembly.Module.exports(host).map((e) => `${e.name}:${e.kind}`),
      });

      const funcImports = m.imports.filter((i) => i.desc.kind === 'func').length;
      expect(outline.functions.length).toBe(funcImports + m.funcs.length);
      expect(outline.imports).toEqual(m.imports);
      expect(outline.exports).toEqual(m.exports);
      expect(outline.types).toEqual(m.types);
      expect(outline.features).toEqual(detectFeatures(m));
      m.funcs.forEach((f, i) => {
        const o = outline.functions[funcImports + i]!;
        expect(o.typeIndex).toBe(f.type);
        expect(o.body).toMatchObject({ offset: f.span.bytes!.offset, size: f.span.bytes!.length });
      });
      // Bodies on demand equal the full decode's, spans included.
      for (const i of [0, Math.floor(m.funcs.length / 2), m.funcs.length - 1]) {
        expect(decodeOutlineFunction(bytes, outline, funcImports + i)).toEqual(m.funcs[i]);
      }
      if (m.names !== undefined) {
        const named = outline.functions.filter((f) => f.name !== undefined).length;
        expect(named).toBe([...m.names.functions.keys()].filter((k) => k < outline.functions.length).length);
      }
    }, 600_000);
  }

  it('validates pyodide, which uses legacy exception handling', () => {
    const file = path.join(repoRoot, MODULES[0]!);
    if (!existsSync(file)) return;
    const m = decodeModule(new Uint8Array(readFileSync(file)));
    expect(() => validateModule(m)).not.toThrow();
    expect(detectFeatures(m).map((f) => f.id)).toContain('legacy-exceptions');
  }, 600_000);
});

describe('outline sections', () => {
  it('give the count each non-custom section starts with, and the binary version', () => {
    const m = parseWat(`(module
      (type (func)) (type (func (param i32)))
      (import "env" "f" (func (type 1)))
      (func (type 0)) (func (type 0)) (func (type 1))
      (memory 1) (export "m" (memory 0)) (start 1))`);
    const outline = decodeOutline(encodeModule(m));
    expect(outline.version).toBe(1);
    expect(outline.sections.map((s) => [s.name, s.count])).toEqual([
      ['type', 2], ['import', 1], ['function', 3], ['memory', 1], ['export', 1], ['start', 1], ['code', 3],
    ]);
  });
});

describe('outline features', () => {
  it('place and word a use in a body as detectFeatures does', () => {
    // Locals at their function; block and select types at their instruction.
    const local = `(module
      (func (local i32 v128) (local externref) i32.const 0 drop)
      (func (result v128) v128.const i64x2 0 0))`;
    const block = `(module
      (func (result i32) (block (result v128) v128.const i64x2 0 0) drop
        i32.const 1 (block (param i32) (result i32))))`;
    const select = `(module (func (result v128) v128.const i64x2 0 0 v128.const i64x2 0 0 i32.const 0 select (result v128)))`;
    for (const [wat, ids] of [
      [local, ['reference-types', 'simd']],
      [block, ['multi-value', 'simd']],
      [select, ['reference-types', 'simd']],
    ] as const) {
      const bytes = encodeModule(parseWat(wat));
      const outline = decodeOutline(bytes);
      expect(outline.features.map((f) => f.id)).toEqual(ids);
      expect(outline.features).toEqual(detectFeatures(decodeModule(bytes)));
    }
  });

  it('count memory and table indices in instructions, and empty local groups, as detectFeatures does', () => {
    // Two tables, two memories, and one function: (local v128) zero times, memory.copy
    // into memory 1 from memory 0, memory.fill of memory 1, return_call_indirect through table 1.
    const body = [
      0x01, 0x00, 0x7b,
      0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x0a, 0x01, 0x00,
      0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x0b, 0x01,
      0x41, 0x00, 0x13, 0x00, 0x01,
      0x0b,
    ];
    const bytes = Uint8Array.from([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
      0x03, 0x02, 0x01, 0x00,
      0x04, 0x07, 0x02, 0x70, 0x00, 0x00, 0x70, 0x00, 0x00,
      0x05, 0x05, 0x02, 0x00, 0x00, 0x00, 0x00,
      0x0a, body.length + 2, 0x01, body.length, ...body,
    ]);
    const features = detectFeatures(decodeModule(bytes));
    expect(features.map((f) => f.id)).toEqual(['reference-types', 'bulk-memory', 'tail-call', 'multi-memory']);
    expect(decodeOutline(bytes).features).toEqual(features);
  });
});

/** How a reader ended on some bytes: its DecodeError's message (which says where), or 'accepted'. */
function verdict(read: () => unknown): string {
  try {
    read();
    return 'accepted';
  } catch (e) {
    if (e instanceof DecodeError) return e.message;
    throw e;
  }
}

describe('outline of malformed modules', () => {
  // The assert_malformed binary modules of each suite, and the readings they are checked
  // under: the 2.0 suite's under 2.0 too, where a few more (reserved zero bytes) are malformed.
  const suites = [
    { version: '2.0', modules: 691, readings: [{}, { version: '2.0' }] },
    { version: '3.0', modules: 711, readings: [{}] },
  ] as const;
  for (const suite of suites) {
    const present = suiteFiles(suite.version) !== undefined;
    const title = suiteTitle(`raises decodeModule's error on each assert_malformed binary module of the ${suite.version} suite`, suite.version);
    (present ? it : it.skip)(title, () => {
      const malformed = suiteModules(path.join(testsuiteRoot, `wasm-${suite.version}`)).filter(
        (m) => m.kind === 'binary' && m.command === 'assert_malformed',
      );
      expect(malformed.length).toBe(suite.modules);
      const wrong: string[] = [];
      let rejected = 0;
      for (const m of malformed) {
        for (const options of suite.readings as readonly DecodeOptions[]) {
          const expected = verdict(() => decodeModule(m.bytes!, options));
          if (expected !== 'accepted') rejected++;
          const got = verdict(() => decodeOutline(m.bytes!, options));
          if (got !== expected) {
            wrong.push(`${path.basename(m.file)}:${m.line} (${options.version ?? '3.0'}): outline ${got}, decodeModule ${expected}`);
          }
        }
      }
      expect(wrong).toEqual([]);
      // decodeModule rejects nearly all: under 3.0, ten of 2.0's have memory indices where 2.0 wants zero bytes.
      expect(rejected).toBe(suite.readings.length * suite.modules - (suite.version === '2.0' ? 10 : 0));
    });
  }

  it('accepts a well-formed module and tolerates a malformed body when asked', () => {
    // (func (result i32) i32.const 1) and (func) whose i32.const has an overlong LEB128.
    const good = [0x41, 0x01, 0x0b];
    const bad = [0x41, 0x81, 0x80, 0x80, 0x80, 0x80, 0x00, 0x1a, 0x0b];
    const module = (...bodies: number[][]) =>
      Uint8Array.from([
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
        0x01, 0x08, 0x02, 0x60, 0x00, 0x01, 0x7f, 0x60, 0x00, 0x00, // types: [] -> [i32], [] -> []
        0x03, 0x03, 0x02, 0x00, 0x01, // functions of type 0 and 1
        0x0a, 1 + bodies.reduce((n, b) => n + b.length + 2, 0), bodies.length,
        ...bodies.flatMap((b) => [b.length + 1, 0x00, ...b]),
      ]);
    expect(decodeOutline(module(good, [0x0b])).functions).toHaveLength(2);
    const bytes = module(good, bad);
    const error = verdict(() => decodeModule(bytes));
    expect(error).toMatch(/^integer representation too long \(at byte 0x/);
    expect(verdict(() => decodeOutline(bytes))).toBe(error);
    const tolerated = decodeOutline(bytes, { tolerateBodies: true });
    expect(tolerated.functions.map((f) => f.body !== undefined)).toEqual([true, true]);
    expect(tolerated.bodyError?.message).toBe(error);
  });
});
