// Finds the quantities a lesson's prose quotes — instruction counts, sizes in bytes and
// pages, counts of calls and functions, addresses and offsets — so that a test can demand
// that each one is computed (by the course engine, or from the file it describes) rather
// than typed by hand. Code blocks are left out: their bytes and claims are checked by
// tests/unit/lesson-samples.test.ts. The text is searched as one line, whitespace
// collapsed, so that a sentence wrapped across lines still matches its pattern.

/** A lesson's prose with fenced code blocks and import lines removed, whitespace collapsed to one space. */
export function proseOf(mdx: string): string {
  return mdx
    .replace(/^---\n[\s\S]*?\n---\n/, ' ')
    .replace(/^([ \t]*)```[^\n]*\n[\s\S]*?^\1```[ \t]*$/gm, ' ')
    .replace(/^import .*$/gm, ' ')
    .replace(/\s+/g, ' ');
}

export interface Quantity {
  /** Where it starts in proseOf(mdx). */
  readonly index: number;
  /** The matched text, e.g. "101 instructions", "at 1024", "@0x3a". */
  readonly text: string;
  /** The number as written (digits, with commas or underscores removed; hex as written). */
  readonly number: string;
}

const PATTERNS: readonly RegExp[] = [
  // 100 instructions, 41 bytes, 28 pages, 177 calls, 944 functions, 5 frames
  /\b(\d[\d,_]*)(?:\s|&nbsp;)+(instructions?|bytes?|pages?|calls|frames|functions)\b/g,
  // at 1024, address 65,536, offset 16, addresses 0 to …
  /\b(?:at|address|addresses|offset|offset=)\s?(\d[\d,_]{2,}|0x[0-9a-f]+)\b/gi,
  // a byte offset as the tools print it: @0x003a
  /@(0x[0-9a-f]+)\b/gi,
  // fib(10) runs 2,032
  /\bruns (\d[\d,]*)\b/g,
  // goes from 66,576 to 66,560, just below 66,576: a large number after a word of place
  /\b(?:from|to|below|above) (\d{1,3}(?:,\d{3})+|(?!(?:199|20\d)\d\b)\d{4,})\b/g,
];

/** Every quantity the prose quotes, in order. */
export function quotedQuantities(prose: string): Quantity[] {
  const out: Quantity[] = [];
  for (const re of PATTERNS) {
    for (const m of prose.matchAll(re)) out.push({ index: m.index, text: m[0], number: m[1]!.replace(/[,_]/g, '') });
  }
  out.sort((a, b) => a.index - b.index);
  // One quantity can match two patterns (`at 1024`, `1024`): keep the first, longest match.
  return out.filter((q, i) => !out.some((o, j) => j !== i && o.index <= q.index && o.index + o.text.length >= q.index + q.text.length && (o.text.length > q.text.length || j < i)));
}
