// The outline (engine/binary/outline.ts) and the full decoder on six real toolchain
// modules, including the 3.0 ones: pyodide (emscripten, legacy exceptions and tags),
// esbuild (Go), @swc/wasm (Rust), sql.js, resvg and brotli. Their imports and exports must
// match V8's view of the same bytes (WebAssembly.Module.imports/exports), the outline must
// agree with the full decode, and bodies decoded on demand must equal the full decode's.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFeatures, type Module } from '../syntax/index.ts';
import { validateModule, ValidationError } from '../valid/index.ts';
import { parseWat } from '../text/index.ts';
import { decodeModule } from './decode.ts';
import { encodeModule } from './encode.ts';
import { decodeOutline, decodeOutlineFunction } from './outline.ts';
import { repoRoot } from './test-support/fixtures.ts';

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

  it('refuses to validate pyodide, naming exception handling', () => {
    const file = path.join(repoRoot, MODULES[0]!);
    if (!existsSync(file)) return;
    const m = decodeModule(new Uint8Array(readFileSync(file)));
    expect(() => validateModule(m)).toThrow(ValidationError);
    expect(() => validateModule(m)).toThrow(/wasmstep does not execute exception handling yet \(tag section at byte 0x/);
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
});
