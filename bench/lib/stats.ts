// Small helpers shared by the benchmark files: medians, timing and the printed table.

export function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return NaN;
  return n % 2 === 1 ? sorted[n >> 1]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

/**
 * Milliseconds of CPU time this process spent in `f` (user + system, all threads), and its
 * result. CPU time rather than wall time, so that other processes on a busy machine do
 * not count; all threads, so that V8's garbage-collection and compiler helper threads do.
 */
export function cpuTimed<T>(f: () => T): { ms: number; value: T } {
  const a = process.cpuUsage();
  const value = f();
  const b = process.cpuUsage(a);
  return { ms: (b.user + b.system) / 1000, value };
}

/** One line of the printed table: a name, a value, and a note. */
export function row(name: string, value: string, note = ''): void {
  console.log(`${name.padEnd(46)} ${value.padStart(14)}  ${note}`);
}

export function heading(title: string): void {
  console.log(`\n${title}\n${'-'.repeat(title.length)}`);
}

export function ms(x: number): string {
  return x >= 100 ? `${x.toFixed(0)} ms` : x >= 10 ? `${x.toFixed(1)} ms` : `${x.toFixed(2)} ms`;
}

/** "a / b = 3.2×" with one decimal below 10 and none above. */
export function ratio(a: number, b: number): string {
  const r = a / b;
  return `${r >= 10 ? r.toFixed(0) : r.toFixed(2)}×`;
}

/** Prints a Markdown table with padded columns (numbers right-aligned). */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const right = headers.map((_, i) => rows.every((r) => /^[-\d.,×%≈ MGkms/]*$/.test(r[i] ?? '') || r[i] === '—'));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  console.log(line(headers));
  console.log(`|${widths.map((w, i) => (right[i] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`);
  for (const r of rows) console.log(line(r));
}
