// How an exercise paces its help: a failed Check reveals the next of the exercise's hints
// only when it was a real attempt — code that differs from the starter and from every
// attempt already checked — and the reference solution is offered only after
// SOLUTION_AFTER real failed attempts, or once the learner has confirmed that they give
// up. Pressing Check on the untouched starter, or again on the same code, earns nothing:
// otherwise every exercise could be "solved" by pressing Check a few times.
// Pure data in, data out, so the island (site/islands/Exercise.svelte) and the unit tests
// share it; the island keeps the state in the browser through site/lib/progress.ts.

/** Real failed attempts after which the solution is offered without giving up. */
export const SOLUTION_AFTER = 3;

export interface Attempts {
  /** A fingerprint (see `fingerprint`) of each distinct failed attempt, oldest first. */
  readonly failed: readonly string[];
  /** The learner confirmed "give up": the solution is shown. */
  readonly gaveUp: boolean;
}

/** What a failed Check was: the starter unchanged, code already tried, or a new attempt. */
export type AttemptKind = 'starter' | 'repeat' | 'new';

export const NO_ATTEMPTS: Attempts = { failed: [], gaveUp: false };

/**
 * Code as compared between attempts: comments and layout do not make a new attempt
 * (re-indenting the starter, or adding a note to it, is not trying something).
 */
export function normalizeCode(code: string): string {
  return code
    .replace(/\(;[\s\S]*?;\)/g, ' ')
    .replace(/;;[^\n]*/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/\s*([()])\s*/g, '$1')
    .trim();
}

/** A short, stable fingerprint of normalized code (FNV-1a, 32 bits, and its length), for storage. */
export function fingerprint(code: string): string {
  const text = normalizeCode(code);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${h.toString(16).padStart(8, '0')}:${text.length}`;
}

/** Classifies a failed Check of `code` without recording it. */
export function classifyAttempt(state: Attempts, code: string, starter: string): AttemptKind {
  const print = fingerprint(code);
  if (print === fingerprint(starter)) return 'starter';
  return state.failed.includes(print) ? 'repeat' : 'new';
}

/** Records a failed Check: only a new attempt changes the state. */
export function recordFailure(state: Attempts, code: string, starter: string): { state: Attempts; kind: AttemptKind } {
  const kind = classifyAttempt(state, code, starter);
  if (kind !== 'new') return { state, kind };
  return { state: { ...state, failed: [...state.failed, fingerprint(code)] }, kind };
}

/** How many of `hintCount` hints the learner has earned: one per real failed attempt. */
export function hintsShown(state: Attempts, hintCount: number): number {
  return Math.min(state.failed.length, hintCount);
}

/** Whether the reference solution may be shown. */
export function solutionOffered(state: Attempts): boolean {
  return state.gaveUp || state.failed.length >= SOLUTION_AFTER;
}

/** Real failed attempts still needed before the solution is offered (0 once it is). */
export function attemptsLeft(state: Attempts): number {
  return solutionOffered(state) ? 0 : SOLUTION_AFTER - state.failed.length;
}

/** Reads stored attempts back, tolerating anything malformed (then: no attempts). */
export function parseAttempts(raw: string | null): Attempts {
  if (raw === null) return NO_ATTEMPTS;
  try {
    const v: unknown = JSON.parse(raw);
    if (typeof v !== 'object' || v === null) return NO_ATTEMPTS;
    const r = v as Record<string, unknown>;
    const failed = Array.isArray(r.failed) ? r.failed.filter((x): x is string => typeof x === 'string') : [];
    return { failed: [...new Set(failed)], gaveUp: r.gaveUp === true };
  } catch {
    return NO_ATTEMPTS;
  }
}
