// The learner's progress, kept in this browser only (localStorage): which lessons they
// have read to the end and which exercises they have solved, and per exercise the last
// checked code and the attempts that earned hints (site/lib/exercise-attempts.ts). Lessons are keyed by their
// path relative to the site's base ("lessons/01-start/01-welcome/"), so the record means
// the same under any base path. Every change is announced with a PROGRESS_EVENT on window
// so the sidebar marks and the exercises stay in step. Storage can be missing or full
// (private windows, quotas): progress then simply is not kept.

export const PROGRESS_KEY = 'wasmstep:progress:v1';
export const PROGRESS_EVENT = 'wasmstep:progress';

export interface Progress {
  /** Lesson path → when it was read (ms since the epoch). */
  readonly read: Record<string, number>;
  /** Exercise id → when it was first solved. */
  readonly solved: Record<string, number>;
}

const empty = (): Progress => ({ read: {}, solved: {} });

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

function record(value: unknown): Record<string, number> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === 'number'));
}

export function loadProgress(): Progress {
  const s = storage();
  if (s === null) return empty();
  try {
    const raw: unknown = JSON.parse(s.getItem(PROGRESS_KEY) ?? 'null');
    if (typeof raw !== 'object' || raw === null) return empty();
    const r = raw as Record<string, unknown>;
    return { read: record(r.read), solved: record(r.solved) };
  } catch {
    return empty();
  }
}

function save(p: Progress): void {
  try {
    storage()?.setItem(PROGRESS_KEY, JSON.stringify(p));
  } catch {
    // Full or forbidden: progress is a convenience, not data the course depends on.
  }
  if (typeof window !== 'undefined') window.dispatchEvent(new CustomEvent(PROGRESS_EVENT));
}

export function markRead(lesson: string): void {
  const p = loadProgress();
  if (p.read[lesson] !== undefined) return;
  save({ ...p, read: { ...p.read, [lesson]: Date.now() } });
}

export function markSolved(exercise: string): void {
  const p = loadProgress();
  if (p.solved[exercise] !== undefined) return;
  save({ ...p, solved: { ...p.solved, [exercise]: Date.now() } });
}

export function resetProgress(): void {
  try {
    storage()?.removeItem(PROGRESS_KEY);
    // Exercise drafts and attempts are progress too.
    const s = storage();
    if (s !== null) {
      for (const key of Object.keys(s)) if (key.startsWith(DRAFT_PREFIX) || key.startsWith(ATTEMPTS_PREFIX)) s.removeItem(key);
    }
  } catch {
    // Nothing kept, nothing to reset.
  }
  if (typeof window !== 'undefined') window.dispatchEvent(new CustomEvent(PROGRESS_EVENT));
}

const DRAFT_PREFIX = 'wasmstep:draft:';

/** The learner's last checked code for an exercise, if any. */
export function loadDraft(exercise: string): string | null {
  try {
    return storage()?.getItem(DRAFT_PREFIX + exercise) ?? null;
  } catch {
    return null;
  }
}

export function saveDraft(exercise: string, code: string | null): void {
  try {
    if (code === null) storage()?.removeItem(DRAFT_PREFIX + exercise);
    else storage()?.setItem(DRAFT_PREFIX + exercise, code);
  } catch {
    // As above.
  }
}

const ATTEMPTS_PREFIX = 'wasmstep:attempts:';

/** The stored attempts at an exercise, as written by saveAttempts (null: none). */
export function loadAttemptsRaw(exercise: string): string | null {
  try {
    return storage()?.getItem(ATTEMPTS_PREFIX + exercise) ?? null;
  } catch {
    return null;
  }
}

export function saveAttemptsRaw(exercise: string, json: string): void {
  try {
    storage()?.setItem(ATTEMPTS_PREFIX + exercise, json);
  } catch {
    // As above.
  }
}

/** A page's key: its path relative to the base ('/course/', '/course/lessons/x/' → 'lessons/x/'). */
export function lessonKey(base: string, pathname: string): string {
  const b = base.endsWith('/') ? base : `${base}/`;
  let path = pathname;
  try {
    path = decodeURI(pathname);
  } catch {
    // Keep it as it is.
  }
  if (!path.endsWith('/')) path += '/';
  return path.startsWith(b) ? path.slice(b.length) : path.replace(/^\/+/, '');
}
