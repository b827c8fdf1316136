// The last write to linear memory at the step on screen, for the Memory view's "written"
// highlight: it stays on the bytes of the last store (or memory.fill, memory.copy, …) until
// the next write, also while stepping back and forth, not only for the one step after it.
//
// The log keeps the writes of every step the stepper has shown. A step it has not shown
// (one run inside Continue or Run) may have written too; the session's per-granule record
// of when memory last changed (Session.changedSince) tells, so a write the log never saw
// turns the highlight off rather than leaving it on bytes that are no longer the last ones.

export interface ByteRange {
  readonly address: number;
  readonly length: number;
}

export interface LastWrite {
  /** The step whose snapshot first showed these bytes written (the write led to it). */
  readonly step: number;
  readonly writes: readonly ByteRange[];
}

/** Writes kept at most; the oldest go first (a highlight then only goes missing far back). */
const MAX_KEPT = 10_000;

export class WriteLog {
  /** By step, ascending. */
  private readonly kept: LastWrite[] = [];

  /** Records what the step that led to snapshot `step` wrote (nothing when it wrote nothing). */
  see(step: number, writes: readonly ByteRange[]): void {
    if (writes.length === 0) return;
    const k = this.kept;
    let i = k.length;
    while (i > 0 && k[i - 1]!.step >= step) i--;
    if (k[i]?.step === step) k[i] = { step, writes };
    else k.splice(i, 0, { step, writes });
    if (k.length > MAX_KEPT) k.shift();
  }

  /**
   * The last write at or before `step`, or null when there was none or one the log did not
   * see came after it. `changedAfter(s)` says whether memory changed in a step after `s`
   * (up to `step`).
   */
  lastAt(step: number, changedAfter: (s: number) => boolean): LastWrite | null {
    const k = this.kept;
    let i = k.length - 1;
    while (i >= 0 && k[i]!.step > step) i--;
    const found = k[i];
    if (found === undefined) return null;
    return changedAfter(found.step) ? null : found;
  }

  clear(): void {
    this.kept.length = 0;
  }
}
