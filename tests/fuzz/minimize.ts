// Shrinks a failing input while it keeps failing the same way: deletes chunks of halving
// size (a simple form of Zeller's delta debugging), within a budget of attempts.

/** The smallest sub-sequence found that still satisfies `fails`. */
export function minimizeSeq<T extends Uint8Array | string>(input: T, fails: (x: T) => boolean, maxTries = 2000): T {
  let cur = input;
  let tries = 0;
  let chunk = Math.max(1, Math.floor(cur.length / 2));
  const cut = (x: T, a: number, b: number): T =>
    (typeof x === 'string' ? x.slice(0, a) + x.slice(b) : concat(x.subarray(0, a), x.subarray(b))) as T;
  while (tries < maxTries) {
    let changed = false;
    for (let i = 0; i < cur.length && tries < maxTries; ) {
      const candidate = cut(cur, i, i + chunk);
      tries++;
      if (candidate.length < cur.length && fails(candidate)) {
        cur = candidate;
        changed = true;
      } else i += chunk;
    }
    if (!changed) {
      if (chunk === 1) break;
      chunk = Math.max(1, Math.floor(chunk / 2));
    }
  }
  return cur;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** A finding's message with numbers and quoted text blurred, to tell "the same failure" during minimization. */
export function signature(problem: string): string {
  return problem
    .replace(/"[^"]*"/g, '""')
    .replace(/0x[0-9a-f]+|\d+/gi, 'N')
    .slice(0, 80);
}
