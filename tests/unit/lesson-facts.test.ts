// Facts in the lessons that were once wrong or dated, each pinned to what its primary
// source says — the installed package, the engine, the JavaScript engine Node runs on — so
// that the corrected wording stays and the old claim does not come back. The sources are
// listed in each lesson's "Sources" section.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeModule, encodeModule, parseWat, readProducers } from '../../engine/index.ts';
import { shortAnswerIsRight, type ShortQuestion } from '../../site/lib/quiz.ts';
import { exportedConst, watBlocks } from '../support/lesson-samples.ts';

const root = join(import.meta.dirname, '..', '..');
const lesson = (path: string): string => readFileSync(join(root, 'lessons', path), 'utf8');
/** The lesson as one line of prose: line breaks and runs of spaces become one space. */
const prose = (path: string): string => lesson(path).replace(/\s+/g, ' ');
const pkg = (path: string): string => readFileSync(join(root, 'node_modules', path), 'utf8');
type Question = { prompt: string; explain: string; answer: unknown; choices?: (string | { text: string; why?: string })[]; hint?: string };
const quiz = (path: string, name: string): Question[] => exportedConst(lesson(path), name) as Question[];
const whys = (q: Question): string => (q.choices ?? []).map((c) => (typeof c === 'string' ? '' : (c.why ?? ''))).join(' ');

describe('12-deploying/02-server-config: nginx', () => {
  const text = prose('12-deploying/02-server-config.mdx');

  it('dates application/wasm in mime.types to nginx 1.21.0, not "before 2017"', () => {
    expect(text).not.toMatch(/before 2017/);
    expect(text).toContain('only since nginx 1.21.0 (May 2021)');
    expect(text).toContain('nginx 1.18, still the version in older long-term-support distributions');
  });

  it('calls the line in a types block a mapping, and types the directive', () => {
    const q = quiz('12-deploying/02-server-config.mdx', 'serverQuiz').find((x) => x.prompt.includes('types { }'))!;
    expect(q.prompt).not.toMatch(/directive/);
    expect(q.explain).toMatch(/`types` is the directive/);
    expect(q.explain).toMatch(/not a directive but a mapping/);
    expect(text).not.toMatch(/nginx directive, in a `types/);
  });
});

describe('09-c/02-emscripten: the default file system and the version', () => {
  const q = quiz('09-c/02-emscripten.mdx', 'emscriptenQuiz')[0]!;
  const fsCode = pkg('pyodide/pyodide.asm.mjs');

  it('Emscripten creates /tmp but no /data (its own FS code, as built into Pyodide)', () => {
    const dirs = /createDefaultDirectories\(\)\{([^}]*)\}/.exec(fsCode)?.[1] ?? '';
    expect(dirs).toContain('FS.mkdir("/tmp")');
    expect(dirs).toContain('FS.mkdir("/home/web_user")');
    expect(fsCode).not.toContain('mkdir("/data")');
  });

  it('asks about /tmp, where fopen succeeds, and explains why /data would fail', () => {
    expect(q.prompt).toContain('fopen("/tmp/scores.txt", "w")');
    expect(q.prompt).not.toContain('/data/');
    expect(q.explain).toMatch(/`\/data\/scores\.txt`, fails/);
    expect(q.explain).toContain('ENOENT');
  });

  it('points to emsdk and names the Emscripten that Pyodide’s lock file names', () => {
    const lock = JSON.parse(pkg('pyodide/pyodide-lock.json')) as { info: { platform: string } };
    const version = /^emscripten_(\d+)_(\d+)_(\d+)$/.exec(lock.info.platform)!.slice(1).join('.');
    const text = prose('09-c/02-emscripten.mdx');
    expect(text).toContain(`names Emscripten ${version} as its platform`);
    expect(text).toContain('./emsdk install latest');
    expect(text).toContain('version 3.1.6, released in February 2022');
  });
});

describe('10-python/02-pyodide: the standard library stays zipped', () => {
  const text = prose('10-python/02-pyodide.mdx');
  const map = JSON.parse(pkg('pyodide/pyodide.mjs.map')) as { sourcesContent: string[] };
  const loader = map.sourcesContent.find((s) => s.includes('function installStdlib')) ?? '';
  const lock = JSON.parse(pkg('pyodide/pyodide-lock.json')) as { info: { python: string } };
  const [major, minor] = lock.info.python.split('.');

  it('Pyodide’s installStdlib writes the zip whole', () => {
    expect(loader).toContain('Module.FS.writeFile(`/lib/python${pymajor}${pyminor}.zip`, stdlib)');
  });

  it('the lesson and its quiz say so, with the file name for this Python', () => {
    expect(text).not.toMatch(/unpacked into|unpacks the standard library|was unpacked/);
    expect(text).toContain(`\`/lib/python${major}${minor}.zip\``);
    expect(text).toContain('zipimport');
    for (const q of quiz('10-python/02-pyodide.mdx', 'pyodideQuiz')) expect(q.explain).not.toMatch(/unpack/);
  });
});

describe('08-rust/01-wasm-bindgen: today’s glue beside brotli-wasm’s', () => {
  const mdx = lesson('08-rust/01-wasm-bindgen.mdx');
  const text = prose('08-rust/01-wasm-bindgen.mdx');
  const glue = pkg('@swc/wasm/wasm.js');
  const version = (JSON.parse(pkg('@swc/wasm/package.json')) as { version: string }).version;
  const module = decodeModule(new Uint8Array(readFileSync(join(root, 'node_modules/@swc/wasm/wasm_bg.wasm'))));
  const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

  it('quotes @swc/wasm’s glue verbatim, under its version', () => {
    const title = `@swc/wasm ${version}, wasm.js — minifySync`;
    const lines = mdx.split('\n');
    const start = lines.findIndex((l) => l.startsWith('```') && l.includes(`title="${title}"`));
    expect(start, `a block titled "${title}"`).toBeGreaterThan(0);
    const end = lines.findIndex((l, i) => i > start && l.startsWith('```'));
    expect(squash(glue)).toContain(squash(lines.slice(start + 1, end).join('\n')));
    for (const quoted of ['malloc(len, 1)', 'wasm.__wbindgen_export_3(arg0, arg1, 1)', 'new FinalizationRegistry']) expect(glue).toContain(quoted);
    expect(text).toContain('`wasm.__wbindgen_export_3(arg0, arg1, 1)`');
    expect(text).toContain('`FinalizationRegistry`');
  });

  it('names the wasm-bindgen version its producers section carries', () => {
    const producers = readProducers(module.customs.find((c) => c.name === 'producers')!.bytes)!;
    const bindgen = producers.find((f) => f.name === 'processed-by')!.values.find((v) => v.name === 'wasm-bindgen')!.version;
    expect(bindgen).toMatch(/^0\.2\.100 /);
    expect(text).toContain('names wasm-bindgen 0.2.100 (2025)');
  });

  it('says rightly that this module has no externref table and no multi-value function', () => {
    expect(module.tables.every((t) => t.type.elem === 'funcref')).toBe(true);
    expect(module.types.every((t) => ((t.type as unknown as { results?: unknown[] }).results?.length ?? 0) <= 1)).toBe(true);
    expect(text).toContain('it has no `externref` table and no function with more than one result');
    expect(text).toContain('Rust 1.82 turned both on by default');
    expect(text).not.toMatch(/the wasm-bindgen convention|is \*the\* convention/);
  });
});

describe('09-c/01-clang-by-hand: which wasm-ld, and no -nostdlib that was never passed', () => {
  const text = prose('09-c/01-clang-by-hand.mdx');
  const script = readFileSync(join(root, 'public/examples/ch09-build.sh'), 'utf8');

  it('says the layout is wasm-ld 14’s default and what LLVM 22 changed', () => {
    expect(text).toContain('is the default of the wasm-ld 14 this build uses');
    expect(text).toContain('since LLVM 22 (2026) it is the default');
  });

  it('mentions -nostdlib only for the one-command form, which the script does not use', () => {
    expect(script).not.toContain('-nostdlib');
    expect(text).not.toMatch(/`-nostdlib` said there is none/);
    expect(text).toContain('it is `-nostdlib` that keeps the driver from adding a C library');
  });
});

describe('08-rust/02-what-works: WASI, dated', () => {
  it('has WASI 0.3 (June 2026) and the date it was checked', () => {
    const text = prose('08-rust/02-what-works.mdx');
    expect(text).toContain('On 11 June 2026 the WASI Subgroup ratified **WASI 0.3**');
    expect(text).toContain('As of 4 December 2026');
    expect(text).toContain('`wasm32-wasip3`');
  });
});

describe('06-memory/03-strings-and-data: values are not only numbers', () => {
  it('names v128 and the reference types', () => {
    const text = prose('06-memory/03-strings-and-data.mdx');
    expect(text).not.toMatch(/four number types are all WebAssembly has/);
    for (const t of ['`v128`', '`funcref`', '`externref`']) expect(text).toContain(t);
  });
});

describe('03-stack-machine/01-constants-and-arithmetic: every arithmetic trap', () => {
  const mdx = lesson('03-stack-machine/01-constants-and-arithmetic.mdx');

  it('no longer says division is the only operation that can fail', () => {
    expect(mdx.replace(/\s+/g, ' ')).not.toMatch(/Division is the one arithmetic operation that can fail/);
  });

  it('shows the remainder by zero and −2³¹ ÷ −1 trapping, in a block whose claims are run', () => {
    const block = watBlocks(mdx).find((b) => b.meta.title === 'div.wat');
    expect(block?.meta.run).toContain("rem(7, 0) traps 'integer divide by zero'");
    expect(block?.meta.run).toContain("div(-2147483648, -1) traps 'integer overflow'");
    expect(prose('03-stack-machine/01-constants-and-arithmetic.mdx')).toMatch(/trunc_f32_s.*trap as well/);
  });
});

describe('04-functions/02-recursion: stack exhaustion and tail calls', () => {
  const text = prose('04-functions/02-recursion.mdx');

  it('V8, under Node, reports endless WebAssembly recursion as a RangeError, not a RuntimeError', async () => {
    const bytes = encodeModule(parseWat('(module (func $f (export "f") (param i32) (result i32) (call $f (local.get 0))))'));
    const { instance } = (await WebAssembly.instantiate(bytes as BufferSource)) as unknown as WebAssembly.WebAssemblyInstantiatedSource;
    let error: unknown;
    try {
      (instance.exports.f as (n: number) => number)(1);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RangeError);
    expect(error).not.toBeInstanceOf(WebAssembly.RuntimeError);
  });

  it('says so, names Firefox’s InternalError and mentions return_call', () => {
    expect(text).toContain('a `RangeError` ("Maximum call stack size exceeded") in Chrome, Edge, Node.js and Safari');
    expect(text).toContain('an `InternalError` ("too much recursion") in Firefox');
    expect(text).toContain('`return_call`');
  });
});

describe('01-start/01-welcome and 06-memory/01-bytes-and-pages: JavaScript can grow memory', () => {
  it('a WebAssembly.Memory grows from JavaScript', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 2 });
    expect(memory.grow(1)).toBe(1);
    expect(() => memory.grow(1)).toThrow(RangeError);
  });

  it.each([
    ['01-start/01-welcome.mdx', 'welcomeQuiz'],
    ['06-memory/01-bytes-and-pages.mdx', 'pagesQuiz'],
  ])('%s does not say only the module can grow it', (path, name) => {
    const all = quiz(path, name).map(whys).join(' ');
    expect(all).not.toMatch(/only (grows )?when the (module|program) (asks|runs)/);
    expect(all).toMatch(/JavaScript calling `grow\(\)`/);
  });
});

describe('13-when/01-heavy-lifting: JavaScript has shared-memory threads', () => {
  it('does not list threads among what JavaScript lacks', () => {
    const text = prose('13-when/01-heavy-lifting.mdx');
    expect(text).not.toMatch(/128-bit SIMD, and shared-memory threads/);
    expect(text).toContain('JavaScript has shared-memory threads too');
    expect(text).toContain('`SharedArrayBuffer`');
    expect(text).toContain('`Atomics`');
  });
});

describe('02-formats/02-sections-and-leb128: the id of the code section', () => {
  const q = quiz('02-formats/02-sections-and-leb128.mdx', 'bytesQuiz').find((x) => x.prompt.includes('code section')) as unknown as ShortQuestion;

  it('accepts 10 in decimal and 0x0a in hex, and nothing else', () => {
    for (const typed of ['10', '0x0a', '0xa', '0x0A', '0a', 'a']) expect(shortAnswerIsRight(q, typed), typed).toBe(true);
    for (const typed of ['16', '0x10', '1', '11']) expect(shortAnswerIsRight(q, typed), typed).toBe(false);
  });

  it('says which base is expected', () => {
    expect(q.prompt).toMatch(/decimal, or in hexadecimal with `0x`/);
  });
});
