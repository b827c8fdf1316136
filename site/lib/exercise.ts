// Checking a learner's answer to an exercise: their WebAssembly text is parsed and
// validated by the engine (a problem comes back with its line and column), then each test
// case instantiates the module afresh and calls an export with the case's arguments,
// comparing the results — or the trap — with what the case expects. The island and the
// unit tests (which run every exercise's reference solution and starter) share this code.
// Results follow the JS API's value mapping (engine/exec/values.ts): i64 as bigint.

import {
  callFunction, exportedFunction, type FuncType, type HostValue, instantiate, type Module, parseWat, Trap, validateModule, type ValType,
} from '../../engine/index.ts';
import { parseArg } from './stepper/args.ts';
import { HOST_ERRORS, makeImports } from './stepper/imports.ts';
import { problemOf, type SourceProblem } from './stepper/load.ts';

/** One test: call `invoke` with `args`; expect `expect` back, or a trap. */
export interface ExerciseCase {
  /** The exported function to call. */
  readonly invoke: string;
  /** Its arguments: numbers, or strings for i64 values and exact floats ("0x7fff_ffff", "-inf"). */
  readonly args?: readonly (number | string)[];
  /** The results it must return, written like the arguments ("nan" matches any NaN). */
  readonly expect?: readonly (number | string)[];
  /** Instead of results: the call must trap; a string must occur in the trap's message. */
  readonly trap?: true | string;
  /** What the case checks, in a few words (shown next to the verdict). */
  readonly label?: string;
}

/** Most instructions one case may run: enough for any exercise, and an endless loop stops. */
export const CASE_BUDGET = 1_000_000;

export interface CaseResult {
  /** "add(2, 3)". */
  readonly call: string;
  readonly label: string | undefined;
  readonly pass: boolean;
  /** "5", "trap: integer divide by zero". */
  readonly expected: string;
  readonly got: string;
  /** Source line of a trap, when it happened in the learner's code. */
  readonly line: number | null;
}

export type CheckReport =
  | { readonly ok: false; readonly problem: SourceProblem }
  | { readonly ok: true; readonly cases: readonly CaseResult[]; readonly passed: number; readonly solved: boolean };

/** The problems with an exercise's id, cases and hints (for authors: thrown while the page is built). */
export function exerciseProblems(id: unknown, tests: unknown, hints?: unknown): string[] {
  const problems: string[] = [];
  if (hints !== undefined) {
    if (!Array.isArray(hints) || hints.some((h) => typeof h !== 'string' || h.trim() === '')) problems.push('"hints" must be a list of non-empty strings');
    else if (new Set(hints).size !== hints.length) problems.push('"hints" has the same hint twice');
  }
  if (typeof id !== 'string' || !/^[a-z0-9][a-z0-9/_-]*$/.test(id)) problems.push('"id" must be a short slug like "03-stack-machine/square"');
  if (!Array.isArray(tests) || tests.length === 0) return [...problems, '"tests" must be a non-empty array'];
  tests.forEach((t: unknown, i) => {
    const at = `test ${i + 1}`;
    if (typeof t !== 'object' || t === null) {
      problems.push(`${at} is not an object`);
      return;
    }
    const c = t as Record<string, unknown>;
    const values = (v: unknown): boolean => v === undefined || (Array.isArray(v) && v.every((x) => typeof x === 'number' || typeof x === 'string'));
    if (typeof c.invoke !== 'string' || c.invoke === '') problems.push(`${at}: "invoke" must name an export`);
    if (!values(c.args)) problems.push(`${at}: "args" must be a list of numbers or strings`);
    if (!values(c.expect)) problems.push(`${at}: "expect" must be a list of numbers or strings`);
    if (c.trap !== undefined && c.trap !== true && typeof c.trap !== 'string') problems.push(`${at}: "trap" must be true or a message`);
    if (c.trap !== undefined && c.expect !== undefined) problems.push(`${at}: give "expect" or "trap", not both`);
    if (c.label !== undefined && typeof c.label !== 'string') problems.push(`${at}: "label" must be a string`);
  });
  return problems;
}

export function assertExercise(id: unknown, tests: unknown, hints?: unknown): asserts tests is readonly ExerciseCase[] {
  const problems = exerciseProblems(id, tests, hints);
  if (problems.length > 0) throw new Error(`Exercise ${String(id)}: ${problems.join('; ')}`);
}

/** A value as the learner would write it: 5, -1, 1.5, nan. */
export function showValue(v: HostValue): string {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : Number.isNaN(v) ? 'nan' : String(v);
  if (v === null) return 'null';
  return String(v);
}

function sameValue(t: ValType, got: HostValue, want: HostValue): boolean {
  if (t === 'f32' || t === 'f64') {
    if (typeof got !== 'number' || typeof want !== 'number') return false;
    if (Number.isNaN(want)) return Number.isNaN(got);
    return Object.is(got, t === 'f32' ? Math.fround(want) : want);
  }
  return got === want;
}

function typeOfExport(module: Module, name: string): FuncType | undefined {
  const e = module.exports.find((x) => x.kind === 'func' && x.name === name);
  if (e === undefined) return undefined;
  const imported = module.imports.filter((i) => i.desc.kind === 'func');
  if (e.index < imported.length) {
    const d = imported[e.index]!.desc;
    return d.kind === 'func' ? module.types[d.type]?.type : undefined;
  }
  const f = module.funcs[e.index - imported.length];
  return f === undefined ? undefined : module.types[f.type]?.type;
}

/** The source line of the instruction a trap stopped at, if it is in the text. */
function trapLine(module: Module, trap: Trap): number | null {
  if (trap.funcIndex === undefined || trap.position === undefined) return null;
  const imported = module.imports.filter((i) => i.desc.kind === 'func').length;
  const f = module.funcs[trap.funcIndex - imported];
  if (f === undefined) return null;
  const span = trap.position < f.body.length ? f.body[trap.position]?.span : f.endSpan;
  return span?.text?.line ?? null;
}

function runCase(module: Module, c: ExerciseCase): CaseResult {
  const args = c.args ?? [];
  const call = `${c.invoke}(${args.map(String).join(', ')})`;
  const expected = c.trap !== undefined ? (c.trap === true ? 'a trap' : `a trap: ${c.trap}`) : (c.expect ?? []).map(String).join(', ') || 'no result';
  const fail = (got: string, line: number | null = null): CaseResult => ({ call, label: c.label, pass: false, expected, got, line });
  const type = typeOfExport(module, c.invoke);
  if (type === undefined) return fail(`no exported function "${c.invoke}"`);
  if (type.params.length !== args.length) return fail(`"${c.invoke}" takes ${type.params.length} parameter${type.params.length === 1 ? '' : 's'}, the test gives ${args.length}`);
  const typedArgs: HostValue[] = [];
  for (let i = 0; i < args.length; i++) {
    const p = parseArg(String(args[i]), type.params[i]!);
    if (!p.ok) return fail(`argument ${i + 1}: ${p.error}`);
    typedArgs.push(p.value);
  }
  let results: HostValue[];
  try {
    const instance = instantiate(module, makeImports(module, { lines: [], stepIndex: () => 0, onLine: () => {} }), { startBudget: CASE_BUDGET, ...HOST_ERRORS });
    results = callFunction(exportedFunction(instance, c.invoke), typedArgs, { budget: CASE_BUDGET });
  } catch (e) {
    if (e instanceof Trap) {
      const line = trapLine(module, e);
      if (e.specMessage === 'step budget exhausted') {
        return fail(`did not finish within ${CASE_BUDGET.toLocaleString('en')} instructions (an endless loop?)`, line);
      }
      const got = `a trap: ${e.specMessage}`;
      const pass = c.trap !== undefined && (c.trap === true || e.specMessage.includes(c.trap));
      return { call, label: c.label, pass, expected, got, line };
    }
    const p = problemOf(e);
    return fail(`${p.kind}: ${p.message}`);
  }
  const got = results.map(showValue).join(', ') || 'no result';
  if (c.trap !== undefined) return fail(got);
  const want = c.expect ?? [];
  if (want.length !== type.results.length) return fail(`${got} (the function returns ${type.results.length} value${type.results.length === 1 ? '' : 's'}, the test expects ${want.length})`);
  const pass = type.results.every((t, i) => {
    const w = parseArg(String(want[i]), t);
    return w.ok && sameValue(t, results[i], w.value);
  });
  return { call, label: c.label, pass, expected, got, line: null };
}

/** Parses, validates and runs every case; never throws. */
export function checkExercise(source: string, tests: readonly ExerciseCase[]): CheckReport {
  let module: Module;
  try {
    module = parseWat(source);
    validateModule(module);
  } catch (e) {
    return { ok: false, problem: problemOf(e) };
  }
  const cases = tests.map((c) => runCase(module, c));
  const passed = cases.filter((c) => c.pass).length;
  return { ok: true, cases, passed, solved: passed === cases.length };
}
