// The pacing of an exercise's help (site/lib/exercise-attempts.ts): the untouched starter
// and a repeated attempt earn nothing, each new failed attempt one hint, the solution
// comes after three of them or on giving up, and stored state is read back safely.
import { describe, expect, it } from 'vitest';
import {
  attemptsLeft, classifyAttempt, fingerprint, hintsShown, NO_ATTEMPTS, normalizeCode, parseAttempts, recordFailure, SOLUTION_AFTER,
  solutionOffered, type Attempts,
} from '../../site/lib/exercise-attempts.ts';

const starter = `(module
  (func $sub (export "sub")
    (param $a i32) (param $b i32) (result i32)
    local.get $b
    local.get $a
    i32.sub))`;
const tries = [
  starter.replace('i32.sub', 'i32.add'),
  starter.replace('i32.sub', 'i32.mul'),
  starter.replace('local.get $a', 'i32.const 0'),
  starter.replace('i32.sub', 'i32.sub\n    i32.const -1\n    i32.mul'),
];

/** Records each code as a failed Check, in order. */
function fail(...codes: string[]): Attempts {
  return codes.reduce((s, c) => recordFailure(s, c, starter).state, NO_ATTEMPTS);
}

describe('what a failed Check counts as', () => {
  it('the untouched starter is not an attempt, however often it is checked', () => {
    let s = NO_ATTEMPTS;
    for (let i = 0; i < 5; i++) {
      const r = recordFailure(s, starter, starter);
      expect(r.kind).toBe('starter');
      s = r.state;
    }
    expect(s).toEqual(NO_ATTEMPTS);
    expect(hintsShown(s, 3)).toBe(0);
    expect(solutionOffered(s)).toBe(false);
  });

  it('the starter with only spacing or comments changed is still the starter', () => {
    const respaced = starter.replace(/\n\s+/g, '\n\t').replace('(result i32)', '( result i32 )') + '\n;; my notes\n(; more ;)';
    expect(normalizeCode(respaced)).toBe(normalizeCode(starter));
    expect(classifyAttempt(NO_ATTEMPTS, respaced, starter)).toBe('starter');
  });

  it('a new text is a new attempt; the same text again is a repeat and counts once', () => {
    const once = recordFailure(NO_ATTEMPTS, tries[0]!, starter);
    expect(once.kind).toBe('new');
    expect(once.state.failed).toHaveLength(1);
    const again = recordFailure(once.state, tries[0]!, starter);
    expect(again.kind).toBe('repeat');
    expect(again.state).toBe(once.state);
    // Re-indented, it is still the same attempt.
    expect(classifyAttempt(once.state, tries[0]!.replace(/\n\s+/g, '\n  '), starter)).toBe('repeat');
    expect(fail(tries[0]!, tries[0]!, tries[0]!).failed).toHaveLength(1);
  });

  it('an attempt that goes back to an earlier one does not count again', () => {
    expect(fail(tries[0]!, tries[1]!, tries[0]!).failed).toHaveLength(2);
  });
});

describe('hints and the solution', () => {
  it('each real failed attempt reveals one more hint, up to the number there are', () => {
    expect(hintsShown(fail(), 3)).toBe(0);
    expect(hintsShown(fail(tries[0]!), 3)).toBe(1);
    expect(hintsShown(fail(tries[0]!, starter, tries[0]!, tries[1]!), 3)).toBe(2);
    expect(hintsShown(fail(...tries), 3)).toBe(3);
    expect(hintsShown(fail(...tries), 2)).toBe(2);
  });

  it(`the solution is offered after ${SOLUTION_AFTER} real failed attempts, not before`, () => {
    expect(SOLUTION_AFTER).toBe(3);
    expect(solutionOffered(fail(tries[0]!, tries[1]!))).toBe(false);
    expect(attemptsLeft(fail(tries[0]!, tries[1]!))).toBe(1);
    expect(solutionOffered(fail(tries[0]!, tries[1]!, tries[1]!, starter))).toBe(false);
    expect(solutionOffered(fail(tries[0]!, tries[1]!, tries[2]!))).toBe(true);
    expect(attemptsLeft(fail(tries[0]!, tries[1]!, tries[2]!))).toBe(0);
    expect(attemptsLeft(NO_ATTEMPTS)).toBe(3);
  });

  it('giving up offers the solution at once', () => {
    expect(solutionOffered({ ...NO_ATTEMPTS, gaveUp: true })).toBe(true);
    expect(attemptsLeft({ ...NO_ATTEMPTS, gaveUp: true })).toBe(0);
  });
});

describe('stored attempts', () => {
  it('round-trip through JSON', () => {
    const s: Attempts = { ...fail(tries[0]!, tries[1]!), gaveUp: true };
    expect(parseAttempts(JSON.stringify(s))).toEqual(s);
    // A reload keeps counting from there: the same code is still a repeat.
    expect(classifyAttempt(parseAttempts(JSON.stringify(s)), tries[1]!, starter)).toBe('repeat');
  });

  it('anything malformed reads as no attempts', () => {
    for (const raw of [null, '', 'not json', '42', 'null', '{"failed":"x"}', '[1,2]']) {
      const s = parseAttempts(raw);
      expect(s.gaveUp).toBe(false);
      expect(s.failed).toEqual([]);
    }
    expect(parseAttempts('{"failed":["a",1,"a","b"],"gaveUp":"yes"}')).toEqual({ failed: ['a', 'b'], gaveUp: false });
  });

  it('fingerprints are short and differ for different code', () => {
    const prints = new Set([starter, ...tries].map(fingerprint));
    expect(prints.size).toBe(tries.length + 1);
    for (const p of prints) expect(p).toMatch(/^[0-9a-f]{8}:\d+$/);
  });
});
