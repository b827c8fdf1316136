// The Playground's draft in localStorage: saved a moment after each edit, so a reload (or
// a closed tab) never loses work. Opening a share link keeps the draft it replaces under
// a second key, so that can be brought back too. Storage may be missing or full (private
// windows, quotas): every call then degrades to "nothing saved" instead of throwing.

export const DRAFT_KEY = 'wasmstep.playground.draft';
export const PREVIOUS_KEY = 'wasmstep.playground.previous';

/** The part of the Storage interface used here (a test can pass a Map-backed one). */
export interface DraftStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function browserStorage(): DraftStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export function readDraft(storage: DraftStorage | null, key = DRAFT_KEY): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** Saves the draft; false when the browser refused (full or disabled storage). */
export function writeDraft(storage: DraftStorage | null, text: string, key = DRAFT_KEY): boolean {
  if (storage === null) return false;
  try {
    storage.setItem(key, text);
    return true;
  } catch {
    return false;
  }
}

export function clearDraft(storage: DraftStorage | null, key: string): void {
  try {
    storage?.removeItem(key);
  } catch {
    // nothing to clear
  }
}

/** Calls `fn` once `ms` after the last call to the returned function; `flush` runs a pending call now. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): { (...args: A): void; flush(): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: A | undefined;
  const call = (...args: A): void => {
    pending = args;
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      const a = pending!;
      pending = undefined;
      fn(...a);
    }, ms);
  };
  call.flush = (): void => {
    if (pending === undefined) return;
    clearTimeout(timer);
    timer = undefined;
    const a = pending;
    pending = undefined;
    fn(...a);
  };
  call.cancel = (): void => {
    clearTimeout(timer);
    timer = undefined;
    pending = undefined;
  };
  return call;
}
