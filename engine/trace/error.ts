// The trace layer's own error: a broken invariant of a session (a replay that diverged, a
// step that ran more than one instruction). It is never caught as a host function's failure.

/** Thrown for a broken invariant of the session itself; never caught as a host failure. */
export class TraceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TraceError';
  }
}
