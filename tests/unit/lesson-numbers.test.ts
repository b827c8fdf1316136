// Every instruction count, byte offset and size that a lesson's prose quotes is produced
// here — by the course engine from the module the sentence is about, or from the file it
// describes — and compared with the text. A number typed by hand that disagrees fails;
// so does a new quoted number that no claim below computes (add a claim, or, for a number
// that is a definition rather than a measurement, an entry in `notMeasured` saying why).
// Code blocks are checked elsewhere (tests/unit/lesson-samples.test.ts).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decodeModule, decodeOutline, DEFAULT_LIMITS, encodeModule, exportedFunction, frames, instantiate, Machine, PAGE_SIZE,
  parseWat, validateModule, type HostValue, type Instance, type Module,
} from '../../engine/index.ts';
import { measure } from '../../site/lib/brotli-demo.ts';
import { exportedConst } from '../support/lesson-samples.ts';
import { proseOf, quotedQuantities } from '../support/lesson-numbers.ts';

const root = join(import.meta.dirname, '..', '..');
const lessonsDir = join(root, 'lessons');
const file = (path: string): Uint8Array => new Uint8Array(readFileSync(join(root, path)));
const text = (path: string): string => readFileSync(join(root, path), 'utf8');
const mdxOf = (lesson: string): string => text(join('lessons', lesson));
const wat = (source: string): Uint8Array => encodeModule(parseWat(source));
const utf8 = (s: string): number => new TextEncoder().encode(s).length;

/** What one call does on the engine: instructions run, calls made, deepest frame count, and the lowest value a global took. */
interface Run {
  readonly steps: number;
  readonly calls: number;
  readonly depth: number;
  readonly results: HostValue[];
  lowest(global: number): number;
  readonly instance: Instance;
}

function run(module: Module, name: string, args: HostValue[]): Run {
  validateModule(module);
  const instance = instantiate(module, {}, { limits: DEFAULT_LIMITS });
  const machine = new Machine(DEFAULT_LIMITS);
  machine.start(exportedFunction(instance, name), args);
  let calls = 1;
  let depth = frames(machine).length;
  let deepest = depth;
  const lowest = instance.globals.map((g) => g.words[0]!);
  while (machine.status === 'paused' || machine.status === 'idle') {
    machine.step();
    const now = frames(machine).length;
    if (now > depth) calls++;
    depth = now;
    deepest = Math.max(deepest, now);
    instance.globals.forEach((g, i) => (lowest[i] = Math.min(lowest[i]!, g.words[0]!)));
  }
  if (machine.status !== 'done') throw new Error(`${name}(${args.join(', ')}) did not return: ${machine.status}`);
  return { steps: machine.steps, calls, depth: deepest, results: machine.results(), lowest: (g) => lowest[g]!, instance };
}

const fib = (): Module => parseWat(text('public/examples/ch04-fib.wat'));
const fac = (): Module => parseWat(text('public/examples/ch04-fac.wat'));
const digits = (): Module => decodeModule(file('public/examples/ch09-digits.wasm'));
const globalInit = (m: Module, i: number): number => Number((m.globals[i]!.init[0] as { value: number }).value);
const sectionSize = (bytes: Uint8Array, name: string): number => decodeOutline(bytes).sections.find((s) => s.name === name)!.size;
const answerWat = (): Uint8Array => wat(exportedConst(mdxOf('02-formats/01-text-and-binary.mdx'), 'answerWat') as string);
const dataAt = (m: Module, text: string): number => {
  const d = m.datas.find((x) => new TextDecoder().decode(x.bytes).startsWith(text))!;
  return Number((d.mode as { offset: { value: number }[] }).offset[0]!.value);
};

/** The --stack-first build of ch09-digits.c, when clang-14 and wasm-ld-14 are installed (else undefined). */
const stackFirst: Module | undefined = (() => {
  const dir = mkdtempSync(join(tmpdir(), 'ch09-sf-'));
  try {
    const obj = join(dir, 'd.o');
    const out = join(dir, 'd.wasm');
    execFileSync('clang-14', ['--target=wasm32', '-O1', '-c', '-o', obj, join(root, 'public/examples/ch09-digits.c')], { stdio: 'ignore' });
    execFileSync('wasm-ld-14', ['--stack-first', '--no-entry', '--export=digit_sum', '--export=gcd', '--export=calls', '-o', out, obj], { stdio: 'ignore' });
    return decodeModule(new Uint8Array(readFileSync(out)));
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})();

/**
 * The pages of brotli-wasm's memory after the lesson's BrotliDemo has compressed its starting
 * text once at quality 11, as it does on load: the package's own pkg.web glue and module
 * (what the browser runs), freshly instantiated here so no earlier call has grown it.
 */
const brotliPagesAfterDemo: number = await (async () => {
  const glue = await import('../../node_modules/brotli-wasm/pkg.web/brotli_wasm.js');
  const exports = (await glue.default(file('node_modules/brotli-wasm/pkg.web/brotli_wasm_bg.wasm'))) as unknown as { memory: WebAssembly.Memory };
  const demoText = /<BrotliDemo client:visible text="([^"]*)"/.exec(mdxOf('08-rust/01-wasm-bindgen.mdx'))![1]!;
  measure(glue, demoText, 11);
  return exports.memory.buffer.byteLength / PAGE_SIZE;
})();

/**
 * A quoted number and how to compute it. `quote` is matched against the lesson's prose
 * (whitespace collapsed, code blocks left out); its first group is the number, written as
 * the lesson writes it (commas allowed, 0x for hex). `value` computes it, or returns
 * undefined when the tool it needs is not installed (the claim is then skipped).
 */
interface Claim {
  readonly lesson: string;
  readonly quote: RegExp;
  readonly how: string;
  readonly value: () => number | undefined;
}

const claims: Claim[] = [
  // 01-start
  { lesson: '01-start/02-first-module.mdx', quote: /This module is exactly (\d+) bytes/, how: 'length of add.wat encoded', value: () => wat(text('public/examples/add.wat')).length },
  { lesson: '01-start/04-sandbox.mdx', quote: /The memory has one page \(([\d,]+) bytes\)/, how: 'PAGE_SIZE', value: () => PAGE_SIZE },
  { lesson: '01-start/04-sandbox.mdx', quote: /The memory is one page, ([\d,]+) bytes/, how: 'PAGE_SIZE', value: () => PAGE_SIZE },
  { lesson: '01-start/04-sandbox.mdx', quote: /`i32\.load` reads (\d+) bytes/, how: 'width of i32.load: the i32 memory argument of peek', value: () => 4 },
  // 02-formats
  { lesson: '02-formats/01-text-and-binary.mdx', quote: /turns that into (\d+) bytes/, how: 'length of answerWat encoded', value: () => answerWat().length },
  { lesson: '02-formats/02-sections-and-leb128.mdx', quote: /turned a four-line module into (\d+) bytes/, how: 'length of the previous lesson’s answerWat encoded', value: () => answerWat().length },
  { lesson: '02-formats/02-sections-and-leb128.mdx', quote: /reads: section 1, (\d+) bytes/, how: 'size of the type section of this lesson’s answerWat', value: () => sectionSize(wat(exportedConst(mdxOf('02-formats/02-sections-and-leb128.mdx'), 'answerWat') as string), 'type') },
  { lesson: '02-formats/02-sections-and-leb128.mdx', quote: /0x10 = (\d+) bytes follow it/, how: 'the size byte 0x10 of the quiz’s export section', value: () => 0x10 },
  // 04-functions: the engine counts, as `wasmstep run --trace` prints them
  { lesson: '04-functions/02-recursion.mdx', quote: /`fib\(4\)` runs (\d+) instructions/, how: 'Machine.steps for fib(4)', value: () => run(fib(), 'fib', [4]).steps },
  { lesson: '04-functions/02-recursion.mdx', quote: /`fib\(10\)` runs ([\d,]+)\./, how: 'Machine.steps for fib(10)', value: () => run(fib(), 'fib', [10]).steps },
  { lesson: '04-functions/02-recursion.mdx', quote: /`fib\(10\)` makes (\d+) calls in all/, how: 'calls of $fib during fib(10)', value: () => run(fib(), 'fib', [10]).calls },
  { lesson: '04-functions/02-recursion.mdx', quote: /That is 1 \+ 2 \+ 2 = (\d+) calls/, how: 'calls of $fib during fib(3)', value: () => run(fib(), 'fib', [3]).calls },
  { lesson: '04-functions/02-recursion.mdx', quote: /This course's engine allows ([\d,]+) nested calls/, how: 'DEFAULT_LIMITS.maxCallDepth', value: () => DEFAULT_LIMITS.maxCallDepth },
  // 06-memory
  { lesson: '06-memory/01-bytes-and-pages.mdx', quote: /pushes the old size, 2; the memory now has (\d+) pages/, how: 'memory.size after (memory 2 5) grows by 3', value: () => Number(run(parseWat('(module (memory 2 5) (func (export "f") (result i32) (drop (memory.grow (i32.const 3))) memory.size))'), 'f', []).results[0]) },
  { lesson: '06-memory/01-bytes-and-pages.mdx', quote: /'The last 4 bytes start at (\d+)\.'/, how: 'PAGE_SIZE − 4', value: () => PAGE_SIZE - 4 },
  { lesson: '06-memory/01-bytes-and-pages.mdx', quote: /A page is 64 KiB, ([\d,]+) bytes; three are/, how: 'PAGE_SIZE', value: () => PAGE_SIZE },
  { lesson: '06-memory/01-bytes-and-pages.mdx', quote: /three are ([\d,]+) bytes \(192 KiB\)/, how: '3 × PAGE_SIZE', value: () => 3 * PAGE_SIZE },
  { lesson: '06-memory/01-bytes-and-pages.mdx', quote: /pages\*\* of 64 KiB \(([\d,]+) bytes each\)/, how: 'PAGE_SIZE', value: () => PAGE_SIZE },
  { lesson: '06-memory/01-bytes-and-pages.mdx', quote: /a memory can have at most ([\d,]+) pages/, how: '2³² / PAGE_SIZE', value: () => 2 ** 32 / PAGE_SIZE },
  { lesson: '06-memory/01-bytes-and-pages.mdx', quote: /One page is bytes 0 to (\d+)\./, how: 'PAGE_SIZE − 1', value: () => PAGE_SIZE - 1 },
  { lesson: '06-memory/03-strings-and-data.mdx', quote: /Here the (\d+) bytes of `Hello, wasm!`/, how: 'length of the data segment holding Hello, wasm! in ch06-strings.wat', value: () => parseWat(text('public/examples/ch06-strings.wat')).datas.find((d) => new TextDecoder().decode(d.bytes) === 'Hello, wasm!')!.bytes.length },
  { lesson: '06-memory/03-strings-and-data.mdx', quote: /with `Hello, wasm!` at (0x[0-9a-f]+)\?/, how: 'offset of that data segment', value: () => dataAt(parseWat(text('public/examples/ch06-strings.wat')), 'Hello, wasm!') },
  // 07-javascript
  { lesson: '07-javascript/02-strings.mdx', quote: /'`Hello, ` is (\d+) bytes/, how: 'UTF-8 length of "Hello, "', value: () => utf8('Hello, ') },
  { lesson: '07-javascript/02-strings.mdx', quote: /`"Zoë"\.length` is 3, but its UTF-8 encoding is (\d+) bytes/, how: 'UTF-8 length of Zoë', value: () => utf8('Zoë') },
  { lesson: '07-javascript/02-strings.mdx', quote: /`"🦀"` is (\d+) bytes/, how: 'UTF-8 length of 🦀', value: () => utf8('🦀') },
  { lesson: '07-javascript/03-handles.mdx', quote: /three rectangles live at (0x[0-9a-f]+), eight bytes each/, how: 'offset of the data segment of ch07-handles.wat', value: () => Number((parseWat(text('public/examples/ch07-handles.wat')).datas[0]!.mode as { offset: { value: number }[] }).offset[0]!.value) },
  // 08-rust: the installed brotli-wasm
  { lesson: '08-rust/01-wasm-bindgen.mdx', quote: /`brotli_wasm_bg\.wasm` \(([\d,]+) bytes\)/, how: 'file size', value: () => file('node_modules/brotli-wasm/pkg.web/brotli_wasm_bg.wasm').length },
  { lesson: '08-rust/01-wasm-bindgen.mdx', quote: /compiled to the (\d+) functions of the module's code section/, how: 'functions in the code section', value: () => decodeModule(file('node_modules/brotli-wasm/pkg.web/brotli_wasm_bg.wasm')).funcs.length },
  { lesson: '08-rust/01-wasm-bindgen.mdx', quote: /The memory is the module's own \((\d+) pages minimum, 1\.75 MiB\)/, how: 'minimum of the exported memory', value: () => decodeModule(file('node_modules/brotli-wasm/pkg.web/brotli_wasm_bg.wasm')).mems[0]!.type.limits.min },
  { lesson: '08-rust/01-wasm-bindgen.mdx', quote: /that first compression grows it to (\d+) pages/, how: 'pages of the pkg.web module’s memory after measure(demo text, quality 11)', value: () => brotliPagesAfterDemo },
  { lesson: '08-rust/01-wasm-bindgen.mdx', quote: /the module's memory starts at (\d+) pages/, how: 'minimum of the exported memory', value: () => decodeModule(file('node_modules/brotli-wasm/pkg.web/brotli_wasm_bg.wasm')).mems[0]!.type.limits.min },
  { lesson: '08-rust/01-wasm-bindgen.mdx', quote: /1\. \*\*(\d+) bytes of the module's stack\*\*/, how: 'the glue’s __wbindgen_add_to_stack_pointer(-16)', value: () => -Number(/__wbindgen_add_to_stack_pointer\((-\d+)\)/.exec(text('node_modules/brotli-wasm/pkg.web/brotli_wasm.js'))![1]) },
  // 09-c: ch09-digits.wasm on the engine, and its --stack-first build
  { lesson: '09-c/01-clang-by-hand.mdx', quote: /is (\d+) bytes: three functions/, how: 'file size', value: () => file('public/examples/ch09-digits.wasm').length },
  { lesson: '09-c/01-clang-by-hand.mdx', quote: /put the data \((\d+) bytes for `calls`/, how: 'size of int calls (the data ends 4 bytes after it)', value: () => 4 },
  { lesson: '09-c/01-clang-by-hand.mdx', quote: /for `calls`, at (\d+)\) first/, how: 'initial value of global 1, the address of calls', value: () => globalInit(digits(), 1) },
  { lesson: '09-c/01-clang-by-hand.mdx', quote: /= ([\d,]+)\. The stack grows down from there/, how: 'initial value of global 0, __stack_pointer', value: () => globalInit(digits(), 0) },
  { lesson: '09-c/01-clang-by-hand.mdx', quote: /the answer would be ([\d,]+)\.\)/, how: '__stack_pointer of the --stack-first build', value: () => stackFirst && globalInit(stackFirst, 0) },
  { lesson: '09-c/01-clang-by-hand.mdx', quote: /Look at memory at (\d+) after a call/, how: 'address of calls', value: () => globalInit(digits(), 1) },
  { lesson: '09-c/01-clang-by-hand.mdx', quote: /Watch it go from ([\d,]+) to [\d,]+ in the Globals view/, how: '__stack_pointer before digit_sum', value: () => globalInit(digits(), 0) },
  { lesson: '09-c/01-clang-by-hand.mdx', quote: /Watch it go from [\d,]+ to ([\d,]+) in the Globals view/, how: 'lowest __stack_pointer during digit_sum(1234)', value: () => run(digits(), 'digit_sum', [1234]).lowest(0) },
  { lesson: '09-c/01-clang-by-hand.mdx', quote: /The (\d+) bytes are the frame/, how: 'initial minus lowest __stack_pointer during digit_sum(1234)', value: () => globalInit(digits(), 0) - run(digits(), 'digit_sum', [1234]).lowest(0) },
  { lesson: '09-c/01-clang-by-hand.mdx', quote: /\*\*`calls\+\+` is a load and a store\*\* at address (\d+)/, how: 'address of calls', value: () => globalInit(digits(), 1) },
  { lesson: '09-c/01-clang-by-hand.mdx', quote: /\(`i32\.load offset=(\d+)` on a base of 0\)/, how: 'address of calls', value: () => globalInit(digits(), 1) },
  { lesson: '09-c/01-clang-by-hand.mdx', quote: /In the Memory view, the bytes at (\d+) become/, how: 'address of calls', value: () => globalInit(digits(), 1) },
  { lesson: '09-c/01-clang-by-hand.mdx', quote: /Look at memory just below ([\d,]+)\./, how: '__stack_pointer before the call', value: () => globalInit(digits(), 0) },
  { lesson: '09-c/01-clang-by-hand.mdx', quote: /stack pointer is ([\d,]+) again/, how: '__stack_pointer after digit_sum(1234) returns', value: () => {
    const r = run(digits(), 'digit_sum', [1234]);
    return r.instance.globals[0]!.words[0];
  } },
  { lesson: '09-c/01-clang-by-hand.mdx', quote: /\| memory 0 \| (\d+) pages, exported as `memory`/, how: 'minimum of memory 0', value: () => digits().mems[0]!.type.limits.min },
  { lesson: '09-c/01-clang-by-hand.mdx', quote: /\| `\(mut i32\)`, starts at ([\d,]+) \|/, how: 'initial __stack_pointer', value: () => globalInit(digits(), 0) },
  { lesson: '09-c/01-clang-by-hand.mdx', quote: /\| `i32` (\d+), exported as `calls`/, how: 'initial value of global 1', value: () => globalInit(digits(), 1) },
  { lesson: '09-c/01-clang-by-hand.mdx', quote: /\| address (\d+) \| 4 bytes \|/, how: 'address of calls', value: () => globalInit(digits(), 1) },
  { lesson: '09-c/01-clang-by-hand.mdx', quote: /\| address \d+ \| (\d+) bytes \|/, how: 'size of int calls', value: () => 4 },
  { lesson: '09-c/01-clang-by-hand.mdx', quote: /data starts at (\d+) by default/, how: 'address of calls, the first data', value: () => globalInit(digits(), 1) },
  { lesson: '09-c/01-clang-by-hand.mdx', quote: /data first, from address (\d+), then the stack/, how: 'address of calls', value: () => globalInit(digits(), 1) },
  { lesson: '09-c/01-clang-by-hand.mdx', quote: /stack fills addresses 0 to ([\d,]+),/, how: 'the --stack-first __stack_pointer − 1', value: () => stackFirst && globalInit(stackFirst, 0) - 1 },
  { lesson: '09-c/01-clang-by-hand.mdx', quote: /`__stack_pointer` starts at ([\d,]+), and the data comes after it/, how: '__stack_pointer of the --stack-first build', value: () => stackFirst && globalInit(stackFirst, 0) },
  { lesson: '09-c/01-clang-by-hand.mdx', quote: /`calls` at ([\d,]+)\. A stack that overflows/, how: 'address of calls in the --stack-first build', value: () => stackFirst && globalInit(stackFirst, 1) },
  // 11-wasm2js
  { lesson: '11-wasm2js/01-wasm2js.mdx', quote: /this module is (\d+) bytes of WebAssembly/, how: 'length of ch11-gcd-fac.wat encoded (= the committed .wasm)', value: () => wat(text('public/examples/ch11-gcd-fac.wat')).length },
];

/**
 * Quoted numbers that are not measurements of a module — the premise of a question, a
 * wrong choice, a width fixed by the instruction set, the text of a code comment — each
 * with the words around it and why it is not computed.
 */
const notMeasured: { lesson: string; near: string; why: string }[] = [
  { lesson: '01-start/01-welcome.mdx', near: 'stores a value 10 bytes past the end', why: 'the premise of a question' },
  { lesson: '01-start/04-sandbox.mdx', near: 'step it with the address 65,534, and watch the trap', why: 'an example argument: the stepper below it passes 65534 and is tested to trap (tests/unit/lesson-samples.test.ts)' },
  { lesson: '01-start/03-stepper.mdx', near: ';; write the value at address 0x100', why: 'a comment in the module’s own source, next to the i32.const 0x100 it describes' },
  { lesson: '06-memory/01-bytes-and-pages.mdx', near: 'does `i32.load` at address 65533 do?', why: 'the premise of a question' },
  { lesson: '06-memory/01-bytes-and-pages.mdx', near: 'Reads the last 4 bytes of the page', why: 'a wrong choice; 4 is the width of i32.load' },
  { lesson: '06-memory/01-bytes-and-pages.mdx', near: 'it needs bytes 65533 to 65536, and 65536', why: 'the answer, from the premise and the width of i32.load' },
  { lesson: '06-memory/01-bytes-and-pages.mdx', near: 'Reads 3 bytes and a zero', why: 'a wrong choice' },
  { lesson: '06-memory/01-bytes-and-pages.mdx', near: 'A 4-byte load at 65533 touches', why: 'the premise of the question again' },
  { lesson: '06-memory/01-bytes-and-pages.mdx', near: 'How many bytes are in 3 pages?', why: 'the premise of a question (its answer is computed above)' },
  { lesson: '06-memory/02-loads-and-stores.mdx', near: 'An `i32.load` reads 4 bytes, and the offset', why: 'the width of i32.load, fixed by the instruction set' },
  { lesson: '06-memory/02-loads-and-stores.mdx', near: 'an `i32.load` reads 4 bytes from there', why: 'the width of i32.load' },
  { lesson: '06-memory/02-loads-and-stores.mdx', near: "'Loads the 4 bytes at 3 to 6", why: 'the width of i32.load, in a choice' },
  { lesson: '06-memory/02-loads-and-stores.mdx', near: '(`2` means 4 bytes)', why: 'the alignment encoding: 2^2 bytes' },
  { lesson: '06-memory/03-strings-and-data.mdx', near: 'which byte is at address 0x202?', why: 'the premise of a question about the data segment in its code' },
  { lesson: '06-memory/03-strings-and-data.mdx', near: 'at 0x200, 0x201 and 0x202', why: 'the offsets of the question’s own data segment, shown in its code' },
  { lesson: '06-memory/03-strings-and-data.mdx', near: 'The first 5 bytes are `Hello`', why: 'the length argument of the question’s call, upper(0x100, 5)' },
  { lesson: '06-memory/03-strings-and-data.mdx', near: 'only for those 26 bytes', why: 'the 26 letters a to z' },
  { lesson: '07-javascript/02-strings.mdx', near: 'send a name of 5 bytes', why: 'the premise of a question' },
  { lesson: '07-javascript/02-strings.mdx', near: 'then the 5 bytes of the name', why: 'the premise of the question again' },
  { lesson: '07-javascript/03-handles.mdx', near: 'Its width is at 0x110 and its height at 0x114', why: 'worked arithmetic in an explanation: 0x100 + 2 × 8, and 4 more (`offset=4`)' },
];

const lessons = readdirSync(lessonsDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && /^\d/.test(d.name))
  .flatMap((d) => readdirSync(join(lessonsDir, d.name)).filter((f) => /^\d.*\.mdx$/.test(f)).map((f) => `${d.name}/${f}`));

const asNumber = (written: string): number => Number(written.replace(/[,_]/g, ''));

describe('numbers quoted in lesson prose', () => {
  it.for(claims.map((c) => ({ ...c, name: `${c.lesson}: ${c.quote.source.slice(0, 60)}` })))('$name', (c, ctx) => {
    const prose = proseOf(mdxOf(c.lesson));
    const m = c.quote.exec(prose);
    expect(m, `${c.lesson} no longer says ${c.quote}`).not.toBeNull();
    const value = c.value();
    if (value === undefined) {
      ctx.skip(`cannot compute (${c.how}): a tool it needs is not installed`);
      return;
    }
    expect(asNumber(m![1]!), `${c.lesson}: "${m![0]}" — computed: ${c.how}`).toBe(value);
  });

  it.each(lessons)('%s quotes no number that is neither computed nor explained', (lesson) => {
    const prose = proseOf(mdxOf(lesson));
    const covered: [number, number][] = [];
    for (const c of claims.filter((x) => x.lesson === lesson)) {
      const m = c.quote.exec(prose);
      if (m) covered.push([m.index, m.index + m[0].length]);
    }
    for (const n of notMeasured.filter((x) => x.lesson === lesson)) {
      for (let i = prose.indexOf(n.near); i >= 0; i = prose.indexOf(n.near, i + 1)) covered.push([i, i + n.near.length]);
    }
    const loose = quotedQuantities(prose).filter((q) => !covered.some(([a, b]) => a <= q.index && q.index + q.text.length <= b));
    expect(loose.map((q) => `"${q.text}" in …${prose.slice(Math.max(0, q.index - 40), q.index + q.text.length + 20)}…`)).toEqual([]);
  });

  it('every explanation of an unmeasured number still matches its lesson', () => {
    for (const n of notMeasured) expect(proseOf(mdxOf(n.lesson)), `${n.lesson}: ${n.near}`).toContain(n.near);
  });
});

describe('the quantity finder', () => {
  it('finds counts, sizes, addresses and offsets, and skips code blocks and years', () => {
    const prose = proseOf('---\ntitle: x\n---\nIt runs 2,032 of them; `fib(4)` runs 100 instructions in 2026.\nThe module is 41 bytes, at address 1024 and @0x3a.\n```wat\n(module) ;; 999 bytes\n```\nfrom 66,576 to 66,560');
    expect(quotedQuantities(prose).map((q) => q.text)).toEqual(['runs 2,032', 'runs 100', '100 instructions', '41 bytes', 'address 1024', '@0x3a', 'from 66,576', 'to 66,560']);
  });
});
