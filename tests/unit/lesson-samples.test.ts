// The WebAssembly in the lessons is real: every ```wat block parses and validates with the
// course engine (unless marked `fragment`, or `invalid="…"` with the error it must give),
// every claim in a `run="f(1, 2) = 3"` meta holds, every module given to a <Stepper>
// validates and its call runs to completion (or does what a `{/* expect: … */}` comment
// before it says), and every <Quiz> is well formed. See docs/AUTHORING.md, “Check your lesson”.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  callFunction, decodeModule, encodeModule, exportedFunction, instantiate, type Module, parseWat, Trap, validateModule,
} from '../../engine/index.ts';
import { checkExercise } from '../../site/lib/exercise.ts';
import { quizProblems } from '../../site/lib/quiz.ts';
import { parseArg } from '../../site/lib/stepper/args.ts';
import { makeImports } from '../../site/lib/stepper/imports.ts';
import { problemOf } from '../../site/lib/stepper/load.ts';
import wabtInit from 'wabt';
import { exportedConst, listedBytes, parseMeta, parseRun, quizUses, stepperUses, tagProps, watBlocks } from '../support/lesson-samples.ts';

const root = join(import.meta.dirname, '..', '..');
const lessonsDir = join(root, 'lessons');
const publicDir = join(root, 'public');

const lessons = readdirSync(lessonsDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    readdirSync(join(lessonsDir, d.name))
      .filter((f) => /^[^_].*\.mdx$/.test(f))
      .map((f) => join(lessonsDir, d.name, f)),
  )
  .map((path) => ({ name: relative(lessonsDir, path), path, mdx: readFileSync(path, 'utf8') }));

/** Most instructions a Stepper's call may run before it counts as endless. */
const STEPPER_BUDGET = 5_000_000;

/** Parse + validate; the error's message with its location, or null when the module is valid. */
function problem(source: string): string | null {
  try {
    validateModule(parseWat(source));
    return null;
  } catch (e) {
    const p = problemOf(e);
    return `${p.kind} at ${p.line}:${p.column}: ${p.message}`;
  }
}

const blocks = lessons.flatMap((l) => watBlocks(l.mdx).map((b) => ({ ...b, lesson: l.name, where: `${l.name}:${b.line}` })));
const steppers = lessons.flatMap((l) => stepperUses(l.mdx, l.path, publicDir).map((s) => ({ ...s, lesson: l.name, where: `${l.name}:${s.line}` })));
const quizzes = lessons.flatMap((l) => quizUses(l.mdx).map((q) => ({ ...q, where: `${l.name}:${q.line}` })));

describe('```wat blocks in the lessons', () => {
  it('there are some, and each has a known meta', () => {
    expect(blocks.length).toBeGreaterThan(5);
    const known = new Set(['title', 'run', 'invalid', 'fragment', 'frame', 'showLineNumbers', 'wrap', 'ins', 'del', 'mark', 'collapse']);
    for (const b of blocks) for (const key of Object.keys(b.meta)) expect(known.has(key) || /^\{/.test(key), `${b.where}: unknown meta "${key}"`).toBe(true);
  });

  it.each(blocks.filter((b) => b.meta.fragment === undefined && b.meta.invalid === undefined))('$where parses and validates', (b) => {
    expect(problem(b.code)).toBeNull();
  });

  it.each(blocks.filter((b) => b.meta.invalid !== undefined))('$where is rejected as its meta says', (b) => {
    const p = problem(b.code);
    expect(p, `${b.where} was expected to be invalid`).not.toBeNull();
    expect(p).toContain(b.meta.invalid);
  });

  it.each(blocks.filter((b) => b.meta.run !== undefined))('$where does what its run="…" claims', (b) => {
    const calls = parseRun(b.meta.run!);
    expect(calls.length).toBeGreaterThan(0);
    const report = checkExercise(b.code, calls);
    expect(report.ok ? report.cases.filter((c) => !c.pass) : report.problem).toEqual([]);
  });
});

const listings = lessons.flatMap((l) =>
  watBlocks(l.mdx, 'text')
    .filter((b) => b.meta.bytes !== undefined)
    .map((b) => ({ ...b, mdx: l.mdx, where: `${l.name}:${b.line}` })),
);

describe('byte listings in the lessons', () => {
  it.each(listings)('$where shows exactly the bytes of its module', async (b) => {
    const source = exportedConst(b.mdx, b.meta.bytes!);
    expect(typeof source, `${b.where}: bytes="${b.meta.bytes}" must name an export const of the lesson`).toBe('string');
    const ours = [...encodeModule(parseWat(source as string))];
    expect(listedBytes(b.code)).toEqual(ours);
    // And the reference toolchain agrees, so the listing is what `wat2wasm` prints too.
    const wabt = await wabtInit();
    expect([...wabt.parseWat('listing.wat', source as string).toBinary({}).buffer]).toEqual(ours);
  });
});

function firstExport(m: Module): string | undefined {
  return m.exports.find((e) => e.kind === 'func')?.name;
}

describe('modules in the lessons\' steppers', () => {
  it('there are some', () => {
    expect(steppers.length).toBeGreaterThan(5);
  });

  it.each(steppers)('$where ($origin) validates and runs as expected', (s) => {
    const expectation = s.expect ?? 'returns';
    const invalid = /^invalid(?:\s+"([^"]*)")?$/.exec(expectation);
    let module: Module;
    try {
      if (s.wasmFile !== undefined) module = decodeModule(new Uint8Array(readFileSync(s.wasmFile)));
      else module = parseWat(s.source!);
      validateModule(module);
    } catch (e) {
      const p = problemOf(e);
      expect(invalid, `${s.where}: ${p.kind} at ${p.line}:${p.column}: ${p.message}`).not.toBeNull();
      if (invalid?.[1] !== undefined) expect(p.message).toContain(invalid[1]);
      return;
    }
    expect(invalid, `${s.where} is marked invalid but validates`).toBeNull();
    const name = s.invoke ?? firstExport(module);
    expect(name, `${s.where}: the module exports no function`).toBeDefined();
    const instance = instantiate(module, makeImports(module, { lines: [], stepIndex: () => 0, onLine: () => {} }));
    const f = exportedFunction(instance, name!);
    const e = module.exports.find((x) => x.name === name)!;
    const imported = module.imports.filter((i) => i.desc.kind === 'func').length;
    const type = module.types[module.funcs[e.index - imported]?.type ?? -1]?.type;
    expect(type, `${s.where}: "${name}" is not a function defined in the module`).toBeDefined();
    expect(s.args.length, `${s.where}: ${name} takes ${type!.params.length} arguments`).toBe(type!.params.length);
    const args = type!.params.map((t, i) => {
      const a = parseArg(String(s.args[i]), t);
      if (!a.ok) throw new Error(`${s.where}: argument ${i + 1}: ${a.error}`);
      return a.value;
    });
    let outcome: string;
    try {
      const results = callFunction(f, args, { budget: STEPPER_BUDGET });
      outcome = `returns ${results.map(String).join(', ')}`;
    } catch (err) {
      if (!(err instanceof Trap)) throw err;
      outcome = err.specMessage === 'step budget exhausted' ? 'endless' : `trap "${err.specMessage}"`;
    }
    if (expectation === 'returns') expect(outcome, `${s.where}: add {/* expect: … */} if this is on purpose`).toMatch(/^returns/);
    else if (expectation.startsWith('trap')) expect(outcome).toMatch(/^trap/), expect(outcome).toContain(expectation.slice(4).trim().replace(/^"|"$/g, ''));
    else expect(outcome, s.where).toBe(expectation);
  });
});

describe('quizzes in the lessons', () => {
  it.each(quizzes)('$where ($name) is well formed', (q) => {
    expect(q.questions, `${q.where}: questions={…} must name an export const of the lesson`).toBeDefined();
    expect(quizProblems(q.questions)).toEqual([]);
  });
});

describe('the sample finder', () => {
  it('reads code-block meta', () => {
    expect(parseMeta('title="add.wat" run="add(2, 3) = 5" fragment')).toEqual({ title: 'add.wat', run: 'add(2, 3) = 5', fragment: '' });
  });

  it('reads run claims', () => {
    expect(parseRun('add(2, 3) = 5; div(1, 0) traps "divide by zero"; f() traps; g(1) = 1, 2')).toEqual([
      { invoke: 'add', args: ['2', '3'], expect: ['5'] },
      { invoke: 'div', args: ['1', '0'], trap: 'divide by zero' },
      { invoke: 'f', args: [], trap: true },
      { invoke: 'g', args: ['1'], expect: ['1', '2'] },
    ]);
    expect(() => parseRun('add 2 3 is 5')).toThrow(/cannot read/);
  });

  it('finds blocks, steppers and their modules, and expectations', () => {
    const mdx = [
      "import Stepper from '../../site/islands/Stepper.svelte';",
      'export const aWat = `(module (func (export "f") (result i32) i32.const 1))`;',
      '',
      '```wat run="f() = 1"',
      '(module (func (export "f") (result i32) i32.const 1))',
      '```',
      '',
      '{/* expect: trap "unreachable" */}',
      '<Stepper client:visible src={aWat} invoke="f" args={[1, "0x10"]} />',
      '<Stepper client:visible wasm="examples/add.wasm" />',
    ].join('\n');
    expect(watBlocks(mdx)).toEqual([{ line: 4, meta: { run: 'f() = 1' }, code: '(module (func (export "f") (result i32) i32.const 1))\n' }]);
    const found = stepperUses(mdx, join(lessonsDir, 'x', '01-x.mdx'), publicDir);
    expect(found[0]).toMatchObject({ line: 9, invoke: 'f', args: [1, '0x10'], expect: 'trap "unreachable"', origin: 'export const aWat' });
    expect(found[0]?.source).toContain('i32.const 1');
    expect(found[1]).toMatchObject({ wasmFile: join(publicDir, 'examples/add.wasm'), args: [] });
    expect(listedBytes('00 61 73 6d   header\n                  more\n0a 0b\n')).toEqual([0, 0x61, 0x73, 0x6d, 10, 11]);
    expect(tagProps('src={a} title="T" args={[{}, 2]}')).toEqual({ src: 'a', title: 'T', args: '[{}, 2]' });
  });
});
