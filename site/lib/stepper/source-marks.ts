// The Source view's lines: Shiki tokens (or plain text until they arrive) cut at the
// edges of the current instruction's text span, so exactly that instruction is marked —
// not the whole line. A folded instruction, `(i32.add (local.get 0) (i32.const 1))`, spans
// its operands too; those inner instructions ran before it, so only the parts of the span
// that are its own get the strong mark, the rest a faint one.

import type { Module, TextSpan } from '../../../engine/index.ts';
import type { WatToken } from '../highlight.ts';

export interface Piece {
  readonly text: string;
  readonly light: string;
  readonly dark: string;
  /** 2: the instruction's own text; 1: inside its (folded) span; 0: neither. */
  readonly mark: 0 | 1 | 2;
}

export interface SourceLine {
  /** 1-based. */
  readonly number: number;
  readonly start: number;
  readonly pieces: readonly Piece[];
}

/** Plain tokens (one per line) for before Shiki has loaded. */
export function plainTokens(source: string): WatToken[][] {
  return source.split('\n').map((line) => [{ content: line, light: 'inherit', dark: 'inherit' }]);
}

/** The text spans of every instruction of a function (to find the folded operands of one). */
export function instrSpans(module: Module, funcIndex: number): TextSpan[] {
  const imported = module.imports.filter((i) => i.desc.kind === 'func').length;
  const f = module.funcs[funcIndex - imported];
  if (f === undefined) return [];
  const out: TextSpan[] = [];
  for (const i of f.body) if (i.span.text !== undefined) out.push(i.span.text);
  return out;
}

/** [start, end) ranges of the strong mark: the span minus the instructions folded inside it. */
export function ownRanges(span: { start: number; end: number }, others: readonly TextSpan[]): [number, number][] {
  const inner = others
    .filter((o) => o.start >= span.start && o.end <= span.end && !(o.start === span.start && o.end === span.end))
    .sort((a, b) => a.start - b.start);
  const out: [number, number][] = [];
  let at = span.start;
  for (const o of inner) {
    if (o.start > at) out.push([at, o.start]);
    at = Math.max(at, o.end);
  }
  if (at < span.end) out.push([at, span.end]);
  // Trim white space at the edges of each range, so marks hug the text.
  return out;
}

function markAt(pos: number, span: { start: number; end: number } | null, own: readonly [number, number][]): 0 | 1 | 2 {
  if (span === null || pos < span.start || pos >= span.end) return 0;
  for (const [a, b] of own) if (pos >= a && pos < b) return 2;
  return 1;
}

function edgesOf(span: { start: number; end: number } | null, own: readonly [number, number][]): Set<number> {
  const edges = new Set<number>();
  if (span !== null) {
    edges.add(span.start);
    edges.add(span.end);
    for (const [a, b] of own) {
      edges.add(a);
      edges.add(b);
    }
  }
  return edges;
}

/** One line's pieces: its tokens cut at every mark edge inside them. */
function cutLine(
  number: number,
  start: number,
  toks: readonly { readonly content: string; readonly light: string; readonly dark: string }[],
  edges: ReadonlySet<number>,
  span: { start: number; end: number } | null,
  own: readonly [number, number][],
): SourceLine {
  const pieces: Piece[] = [];
  let pos = start;
  for (const t of toks) {
    let from = 0;
    const content = t.content;
    for (let k = 1; k <= content.length; k++) {
      if (k === content.length || edges.has(pos + k)) {
        const piece = content.slice(from, k);
        if (piece !== '') pieces.push({ text: piece, light: t.light, dark: t.dark, mark: markAt(pos + from, span, own) });
        from = k;
      }
    }
    pos += content.length;
  }
  return { number, start, pieces };
}

/** Lines of pieces for the source, marking `span` (UTF-16 offsets) when given. */
export function sourceLines(
  source: string,
  tokens: readonly (readonly WatToken[])[],
  span: { start: number; end: number } | null,
  own: readonly [number, number][],
): SourceLine[] {
  const edges = edgesOf(span, own);
  const lines: SourceLine[] = [];
  let lineStart = 0;
  const texts = source.split('\n');
  // A final newline ends the last line; it does not start another.
  if (texts.length > 1 && texts[texts.length - 1] === '') texts.pop();
  texts.forEach((text, i) => {
    const start = lineStart;
    lineStart += text.length + 1;
    const toks = tokens[i] ?? [{ content: text, light: 'inherit', dark: 'inherit' }];
    lines.push(cutLine(i + 1, start, toks, edges, span, own));
  });
  return lines;
}

/** Where each line of the text starts; a final newline ends the last line, it does not start another. */
export function lineStarts(source: string): number[] {
  const starts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  if (starts.length > 1 && starts[starts.length - 1] === source.length) starts.pop();
  return starts;
}

/** The text of line `i` (0-based), without its newline. */
export function lineAt(source: string, starts: readonly number[], i: number): string {
  const start = starts[i] ?? source.length;
  const next = starts[i + 1];
  const end = next !== undefined ? next - 1 : source.endsWith('\n') ? source.length - 1 : source.length;
  return source.slice(start, Math.max(start, end));
}

/** Line `i` (0-based) without marks, cut into its tokens (or one plain piece): for a view that draws some lines only. */
export function plainLine(source: string, starts: readonly number[], i: number, toks?: readonly WatToken[]): SourceLine {
  const text = lineAt(source, starts, i);
  return cutLine(i + 1, starts[i] ?? source.length, toks ?? [{ content: text, light: 'inherit', dark: 'inherit' }], new Set(), null, []);
}

/**
 * `plain` (sourceLines without a span) with `span` marked. Only the lines the span touches
 * are cut again; every other line is the same object as in `plain`, so a keyed view
 * leaves it alone from one step to the next.
 */
export function markLines(
  plain: readonly SourceLine[],
  span: { start: number; end: number } | null,
  own: readonly [number, number][],
): readonly SourceLine[] {
  if (span === null) return plain;
  const edges = edgesOf(span, own);
  return plain.map((line) => {
    let length = 0;
    for (const p of line.pieces) length += p.text.length;
    if (line.start >= span.end || line.start + length <= span.start) return line;
    const toks = line.pieces.map((p) => ({ content: p.text, light: p.light, dark: p.dark }));
    return cutLine(line.number, line.start, toks, edges, span, own);
  });
}
