// Every exercise in the course (lessons/<chapter>/_exercises/<name>.json, with its starter
// <name>.wat and reference solution <name>.solution.wat) is consistent: the solution passes
// all of its tests, the starter does not, it has at least two hints that do not give the
// solution away, and a lesson shows it. Also the checker itself:
// located parse and validation errors, traps, wrong results and endless loops.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertExercise, checkExercise, exerciseProblems, type ExerciseCase } from '../../site/lib/exercise.ts';

const root = join(import.meta.dirname, '..', '..');
const lessonsDir = join(root, 'lessons');

interface ExerciseFile {
  readonly chapter: string;
  readonly name: string;
  readonly spec: { id: string; title?: string; task?: string; hints?: readonly string[]; tests: readonly ExerciseCase[] };
}

const exercises: ExerciseFile[] = readdirSync(lessonsDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(lessonsDir, d.name, '_exercises')))
  .flatMap((d) =>
    readdirSync(join(lessonsDir, d.name, '_exercises'))
      .filter((f) => f.endsWith('.json'))
      .map((f) => ({
        chapter: d.name,
        name: f.slice(0, -'.json'.length),
        spec: JSON.parse(readFileSync(join(lessonsDir, d.name, '_exercises', f), 'utf8')),
      })),
  );

/**
 * What the learner has to write: the solution's lines between the longest beginning and
 * end it shares with the starter (comments and spacing left out), e.g. the two swapped
 * `local.get`s of a fix that reorders them.
 */
function solutionLinesNotInStarter(solution: string, starter: string): string[] {
  const lines = (code: string): string[] => code.split('\n').map((l) => l.replace(/;;.*$/, '').trim().replace(/\s+/g, ' ')).filter((l) => l !== '');
  const a = lines(solution);
  const b = lines(starter);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  return a.slice(head, a.length - tail);
}

const read = (e: ExerciseFile, suffix: string): string => readFileSync(join(lessonsDir, e.chapter, '_exercises', `${e.name}${suffix}`), 'utf8');

describe('the course exercises', () => {
  it('there are some', () => {
    expect(exercises.length).toBeGreaterThanOrEqual(2);
  });

  it('have unique ids', () => {
    const ids = exercises.map((e) => e.spec.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  describe.each(exercises)('$chapter/$name', (e) => {
    it('is well formed, with an id under its chapter', () => {
      expect(exerciseProblems(e.spec.id, e.spec.tests, e.spec.hints)).toEqual([]);
      expect(e.spec.id.startsWith(`${e.chapter}/`)).toBe(true);
    });

    it('the reference solution passes every test', () => {
      const report = checkExercise(read(e, '.solution.wat'), e.spec.tests);
      expect(report.ok ? report.cases.filter((c) => !c.pass) : report.problem).toEqual([]);
      expect(report.ok && report.solved).toBe(true);
    });

    it('has at least two hints, none of which contains the solution', () => {
      // Hints are revealed one per real failed attempt, before the solution is offered.
      expect(e.spec.hints?.length ?? 0).toBeGreaterThanOrEqual(2);
      const changed = solutionLinesNotInStarter(read(e, '.solution.wat'), read(e, '.wat'));
      expect(changed.length).toBeGreaterThan(0);
      for (const hint of e.spec.hints ?? []) {
        // Every instruction the learner has to write, quoted in one hint, would be the answer.
        const flat = hint.replace(/`/g, ' ').replace(/\s+/g, ' ');
        expect(changed.every((line) => flat.includes(line)), `a hint of ${e.spec.id} spells out the whole solution: ${hint}`).toBe(false);
      }
    });

    it('the starter does not', () => {
      const report = checkExercise(read(e, '.wat'), e.spec.tests);
      expect(report.ok && report.solved).toBe(false);
    });

    it('a lesson in its chapter shows it', () => {
      const lessons = readdirSync(join(lessonsDir, e.chapter)).filter((f) => f.endsWith('.mdx'));
      const uses = lessons.filter((f) => readFileSync(join(lessonsDir, e.chapter, f), 'utf8').includes(`./_exercises/${e.name}.json'`));
      expect(uses.length).toBeGreaterThanOrEqual(1);
    });
  });
});

describe('checkExercise', () => {
  const tests: ExerciseCase[] = [
    { invoke: 'div', args: [7, 2], expect: [3] },
    { invoke: 'div', args: [1, 0], trap: 'divide by zero' },
  ];
  const good = '(module (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s))';

  it('passes a right answer, including an expected trap', () => {
    const r = checkExercise(good, tests);
    expect(r.ok && r.solved).toBe(true);
    expect(r.ok && r.cases[1]?.got).toBe('a trap: integer divide by zero');
  });

  it('reports a wrong result with both values', () => {
    const r = checkExercise(good.replace('div_s', 'sub'), tests);
    expect(r.ok && r.passed).toBe(0);
    expect(r.ok && r.cases[0]).toMatchObject({ pass: false, expected: '3', got: '5' });
    expect(r.ok && r.cases[1]).toMatchObject({ pass: false, got: '1' });
  });

  it('locates a parse error', () => {
    const r = checkExercise('(module\n  (func (export "div")\n    i32.bogus))', tests);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problem).toMatchObject({ kind: 'Parse error', line: 3 });
  });

  it('locates a validation error', () => {
    const r = checkExercise('(module\n  (func (export "div") (param i32 i32) (result i32)\n    local.get 0\n    i32.div_s))', tests);
    expect(!r.ok && r.problem).toMatchObject({ kind: 'Validation error', line: 4 });
    expect(!r.ok && r.problem.message).toMatch(/type mismatch/);
  });

  it('reports an unexpected trap with its line, and a missing export', () => {
    const r = checkExercise('(module\n  (func (export "div") (param i32 i32) (result i32)\n    unreachable))', tests);
    expect(r.ok && r.cases[0]).toMatchObject({ pass: false, got: 'a trap: unreachable', line: 3 });
    const m = checkExercise('(module (func (export "other")))', tests);
    expect(m.ok && m.cases[0]?.got).toBe('no exported function "div"');
  });

  it('stops an endless loop', () => {
    const r = checkExercise('(module (func (export "div") (param i32 i32) (result i32) (loop br 0) i32.const 0))', tests.slice(0, 1));
    expect(r.ok && r.cases[0]?.got).toMatch(/did not finish/);
  });

  it('compares i64 and float results exactly', () => {
    const src = '(module (func (export "f") (result i64 f32 f64) i64.const -1 f32.const 0.1 f64.const nan))';
    expect(checkExercise(src, [{ invoke: 'f', expect: ['-1', 0.1, 'nan'] }]).ok).toBe(true);
    const r = checkExercise(src, [{ invoke: 'f', expect: ['-1', 0.1, 'nan'] }]);
    expect(r.ok && r.solved).toBe(true);
    const wrong = checkExercise(src, [{ invoke: 'f', expect: ['1', 0.1, 'nan'] }]);
    expect(wrong.ok && wrong.solved).toBe(false);
  });

  it('rejects a malformed exercise', () => {
    expect(() => assertExercise('Bad Id', [])).toThrow(/id.*tests/s);
    expect(exerciseProblems('x', [{ invoke: 'f', expect: [1], trap: true }])).toHaveLength(1);
    expect(exerciseProblems('x', [{ invoke: 'f' }], ['a', ''])).toEqual(['"hints" must be a list of non-empty strings']);
    expect(exerciseProblems('x', [{ invoke: 'f' }], ['a', 'a'])).toEqual(['"hints" has the same hint twice']);
    expect(() => assertExercise('x', [{ invoke: 'f' }], 'one hint')).toThrow(/hints/);
  });
});
