// The claims of the chapters "Rust and WebAssembly" and "C and C++" that are about real
// binaries: the import and export listing of brotli-wasm's module in the lesson is what
// our engine decodes from the installed package, and the glue excerpts are verbatim; the
// demo's arithmetic and the memory growth the lesson mentions, on the package's Node build;
// and public/examples/ch09-digits.wasm validates on our engine, runs to the results and
// memory layout the lesson describes, and is what ch09-build.sh makes from ch09-digits.c
// with clang 14 and wasm-ld 14 (when both are installed).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectModule } from '../../bin/inspect.ts';
import { engineInstanceOf, WasmStep } from '../../engine/api/index.ts';
import { decodeModule } from '../../engine/index.ts';
import { bytesText, hexHead, measure, ratioText, type Brotli } from '../../site/lib/brotli-demo.ts';

const root = join(import.meta.dirname, '..', '..');
const examples = join(root, 'public', 'examples');
const brotliWasm = join(root, 'node_modules', 'brotli-wasm', 'pkg.web', 'brotli_wasm_bg.wasm');

/** The lines of the fenced block whose opening line contains `title="…"`. */
function block(mdx: string, title: string): string[] {
  const lines = mdx.split('\n');
  const start = lines.findIndex((l) => l.startsWith('```') && l.includes(`title="${title}"`));
  if (start < 0) throw new Error(`no block titled ${title}`);
  const end = lines.findIndex((l, i) => i > start && l.startsWith('```'));
  return lines.slice(start + 1, end);
}

/** An import or export as the lesson writes it, e.g. `(func (param i32) (result i32))`. */
function desc(kind: string, type: string): string {
  if (kind !== 'func') return `(${kind} ${type})`;
  const sig = type.replace(/^\(type \d+\) ?/, '');
  return sig === '(func)' ? '(func)' : `(func ${sig})`;
}

describe('lesson 08-rust/01-wasm-bindgen', () => {
  const mdx = readFileSync(join(root, 'lessons', '08-rust', '01-wasm-bindgen.mdx'), 'utf8');
  const bytes = new Uint8Array(readFileSync(brotliWasm));
  const report = inspectModule(brotliWasm, bytes);

  it('lists exactly the imports of brotli_wasm_bg.wasm', () => {
    const expected = report.imports.map((i) => `(import "${i.module}" "${i.name}" ${desc(i.kind, i.type)})`);
    expect(block(mdx, 'brotli_wasm_bg.wasm: imports')).toEqual(expected);
    expect(expected).toHaveLength(10);
  });

  it('lists exactly the exports of brotli_wasm_bg.wasm', () => {
    const expected = report.exports.map((e) => `(export "${e.name}" ${desc(e.kind, e.type)})`);
    expect(block(mdx, 'brotli_wasm_bg.wasm: exports')).toEqual(expected);
    expect(expected).toHaveLength(22);
  });

  it('states the size, function count and tool versions the module carries', () => {
    expect(mdx).toContain(`(${bytes.length.toLocaleString('en')} bytes)`);
    expect(mdx).toContain(`${report.counts.functions} functions`);
    const tools = report.customSections.find((c) => c.name === 'producers')?.producers?.find((f) => f.name === 'processed-by');
    const version = (name: string): string | undefined => tools?.values.find((v) => v.name === name)?.version;
    expect(version('rustc')).toMatch(/^1\.68\.2 /);
    expect(version('wasm-bindgen')).toMatch(/^0\.2\.80 /);
    expect(mdx).toContain('rustc 1.68.2 and wasm-bindgen 0.2.80');
  });

  it('quotes the generated glue as it is', () => {
    const glue = readFileSync(join(root, 'node_modules', 'brotli-wasm', 'pkg.web', 'brotli_wasm.js'), 'utf8');
    const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();
    for (const title of [
      'brotli_wasm.js — passArray8ToWasm0',
      'brotli_wasm.js — getStringFromWasm0',
      'brotli_wasm.js — passStringToWasm0 (excerpt)',
      'brotli_wasm.js — compress (excerpt)',
    ]) {
      expect(squash(glue), title).toContain(squash(block(mdx, title).join('\n')));
    }
  });
});

describe('the brotli demo (site/lib/brotli-demo.ts) on brotli-wasm’s Node build', () => {
  const brotli = createRequire(import.meta.url)('brotli-wasm') as Brotli & { __wasm: { memory: WebAssembly.Memory } };

  it('grows the module’s memory from 28 pages to hundreds at quality 11, as the lesson says', () => {
    const pages = (): number => brotli.__wasm.memory.buffer.byteLength / 65536;
    expect(pages()).toBe(28);
    measure(brotli, 'WebAssembly WebAssembly WebAssembly — déjà vu, déjà vu, déjà vu!', 11);
    expect(pages()).toBeGreaterThanOrEqual(100);
  });

  it('compresses repetitive text, and the round trip is exact', () => {
    const text = 'WebAssembly '.repeat(200);
    const m = measure(brotli, text, 11);
    expect(m.inputBytes).toBe(2400);
    expect(m.compressedBytes).toBeLessThan(60);
    expect(m.roundTrip).toBe(true);
    expect(m.ratio).toBeCloseTo(m.compressedBytes / 2400);
  });

  it('counts UTF-8 bytes, not UTF-16 units', () => {
    const m = measure(brotli, 'déjà 🦀', 5);
    expect(m.utf16Units).toBe(7);
    expect(m.inputBytes).toBe(11);
    expect(m.roundTrip).toBe(true);
  });

  it('handles the empty text and rejects an impossible quality', () => {
    const m = measure(brotli, '', 11);
    expect(m.inputBytes).toBe(0);
    expect(m.compressedBytes).toBeGreaterThan(0);
    expect(ratioText(m.ratio)).toBe('—');
    expect(() => measure(brotli, 'x', 12)).toThrow(/0 to 11/);
    expect(() => measure(brotli, 'x', 1.5)).toThrow(RangeError);
  });

  it('formats sizes, ratios and the first bytes', () => {
    expect(bytesText(1)).toBe('1 byte');
    expect(bytesText(12345)).toBe('12,345 bytes');
    expect(ratioText(0.2345)).toBe('23.4 %');
    expect(hexHead(new Uint8Array([1, 0xab, 0x10]), 2)).toBe('01 ab …');
    expect(hexHead(new Uint8Array([1, 0xab]), 2)).toBe('01 ab');
  });
});

describe('public/examples/ch09-digits.wasm', () => {
  const wasm = new Uint8Array(readFileSync(join(examples, 'ch09-digits.wasm')));

  async function fresh() {
    const instance = await WasmStep.instantiate(await WasmStep.compile(wasm));
    return instance.exports as unknown as {
      memory: { buffer: ArrayBuffer };
      calls: { value: number };
      digit_sum(n: number): number;
      gcd(a: number, b: number): number;
    };
  }

  it('validates on our engine, with the exports and names the lesson shows', () => {
    expect(WasmStep.validate(wasm)).toBe(true);
    const m = decodeModule(wasm);
    expect(m.exports.map((e) => `${e.kind} ${e.name}`)).toEqual(['memory memory', 'func digit_sum', 'global calls', 'func gcd']);
    expect(m.mems[0]?.type.limits.min).toBe(2);
    expect(m.globals.map((g) => g.type.mutable)).toEqual([true, false]);
    expect(wasm.length).toBe(427);
    const report = inspectModule('ch09-digits.wasm', wasm);
    expect(report.customSections.find((c) => c.name === 'name')?.names?.functions).toBe(3);
  });

  it('runs to the documented results', async () => {
    const x = await fresh();
    expect(x.digit_sum(1234)).toBe(10);
    expect(x.digit_sum(-1)).toBe(57); // 4294967295 as C's unsigned
    expect(x.gcd(1071, 462)).toBe(21);
    expect(x.gcd(84, 0)).toBe(84);
  });

  it('keeps calls at address 1024, the stack below 66576, and the digits in the frame', async () => {
    const x = await fresh();
    expect(x.calls.value).toBe(1024);
    x.digit_sum(1234);
    x.gcd(6, 4);
    const view = new DataView(x.memory.buffer);
    expect(view.getInt32(1024, true)).toBe(2);
    expect(x.calls.value).toBe(1024);
    // digit_sum's frame was 66576 − 16; the digits at frame + 6, lowest first.
    expect([...new Uint8Array(x.memory.buffer, 66560 + 6, 4)]).toEqual([4, 3, 2, 1]);
  });

  it('starts the stack pointer at 66576 and restores it after a call', async () => {
    const instance = await WasmStep.instantiate(await WasmStep.compile(wasm));
    // __stack_pointer is not exported: read it from the engine's own instance.
    const stackPointer = (): number | undefined => engineInstanceOf(instance)?.globals[0]?.words[0];
    expect(stackPointer()).toBe(66576);
    expect((instance.exports as unknown as { digit_sum(n: number): number }).digit_sum(99)).toBe(18);
    expect(stackPointer()).toBe(66576);
  });

  const haveClang = (() => {
    try {
      execFileSync('clang-14', ['--version'], { stdio: 'ignore' });
      execFileSync('wasm-ld-14', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it('is what ch09-build.sh makes from ch09-digits.c', (ctx) => {
    if (!haveClang) {
      ctx.skip('clang-14 or wasm-ld-14 is not installed: cannot rebuild ch09-digits.wasm to compare');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'ch09-'));
    try {
      const out = join(dir, 'again.wasm');
      const log = execFileSync('sh', [join(examples, 'ch09-build.sh'), out], { encoding: 'utf8' });
      expect(log).toMatch(/clang version 14\./);
      expect(log).toMatch(/LLD 14\./);
      expect([...readFileSync(out)]).toEqual([...wasm]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
