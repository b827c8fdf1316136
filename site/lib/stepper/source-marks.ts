// The Source view's lines: Shiki tokens (or plain text until they arrive) cut at the
// edges of the current instruction's text span, so exactly that instruction is marked —
// not the whole line. A folded instruction, `(i32.add (local.get 0) (i32.const 1))`, spans
// its operands too; those inner instructions ran before it, so only the parts of the span
// that are its own get the strong mark, the rest a faint one.

import type { Module, TextSpan } from '../../../engine/syntax/ast.ts';
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

/** Lines of pieces for the source, marking `span` (UTF-16 offsets) when given. */
export function sourceLines(
  source: string,
  tokens: readonly (readonly WatToken[])[],
  span: { start: number; end: number } | null,
  own: readonly [number, number][],
): SourceLine[] {
  const lines: SourceLine[] = [];
  const edges = new Set<number>();
  if (span !== null) {
    edges.add(span.start);
    edges.add(span.end);
    for (const [a, b] of own) {
      edges.add(a);
      edges.add(b);
    }
  }
  let lineStart = 0;
  const texts = source.split('\n');
  // A final newline ends the last line; it does not start another.
  if (texts.length > 1 && texts[texts.length - 1] === '') texts.pop();
  texts.forEach((text, i) => {
    const start = lineStart;
    lineStart += text.length + 1;
    const toks = tokens[i] ?? [{ content: text, light: 'inherit', dark: 'inherit' }];
    const pieces: Piece[] = [];
    let pos = start;
    for (const t of toks) {
      // Cut the token at every mark edge inside it.
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
    lines.push({ number: i + 1, start, pieces });
  });
  return lines;
}
