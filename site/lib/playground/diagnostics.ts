// Live diagnostics for the Playground's editor: the engine's own parser and validator
// (engine/text/parser.ts, engine/valid/validate.ts) run on the text, and their first error
// becomes a range in it. A ValidationError carries the offending instruction's text span;
// a ParseError carries the offset where the offending token starts, and the range is that
// token (a word, a string, or a parenthesis).

import { type Module, ParseError, parseWat, validateModule, ValidationError } from '../../../engine/index.ts';

export interface Problem {
  readonly kind: 'Parse error' | 'Validation error' | 'Error';
  readonly message: string;
  /** UTF-16 offsets into the source, [from, to); from === to only at the end of the text. */
  readonly from: number;
  readonly to: number;
  /** 1-based. */
  readonly line: number;
  readonly column: number;
}

export type Checked = { readonly ok: true; readonly module: Module } | { readonly ok: false; readonly problem: Problem };

const DELIMITER = /[\s()";]/;

/** The end of the token starting at `at` (a parenthesis, a string, or a run up to a delimiter). */
export function tokenEnd(source: string, at: number): number {
  if (at >= source.length) return source.length;
  const c = source[at]!;
  if (c === '(' || c === ')') return at + 1;
  if (c === '"') {
    for (let i = at + 1; i < source.length; i++) {
      if (source[i] === '\\') i++;
      else if (source[i] === '"') return i + 1;
      else if (source[i] === '\n') return i;
    }
    return source.length;
  }
  let i = at;
  while (i < source.length && !DELIMITER.test(source[i]!)) i++;
  return Math.max(i, at + 1);
}

/** 1-based line and column of a UTF-16 offset. */
export function lineColumn(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = source.indexOf('\n'); i !== -1 && i < offset; i = source.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** Parses and validates; the first problem, located, or the module. */
export function check(source: string): Checked {
  try {
    const module = parseWat(source);
    validateModule(module);
    return { ok: true, module };
  } catch (e) {
    return { ok: false, problem: problemIn(source, e) };
  }
}

/** Where in `source` an engine error points, and what it says. */
export function problemIn(source: string, e: unknown): Problem {
  if (e instanceof ParseError) {
    const from = Math.min(e.offset, source.length);
    return { kind: 'Parse error', message: e.specMessage, from, to: tokenEnd(source, from), line: e.line, column: e.column };
  }
  if (e instanceof ValidationError) {
    const t = e.span?.text;
    const message = `${e.where}${e.op ? ` (${e.op})` : ''}: ${e.specMessage}`;
    if (t !== undefined) return { kind: 'Validation error', message, from: t.start, to: Math.max(t.end, t.start + 1), line: t.line, column: t.column };
    // A problem with the module as a whole (say, two start functions): point at its first token.
    const from = Math.max(0, source.search(/\S/));
    return { kind: 'Validation error', message, from, to: tokenEnd(source, from), ...lineColumn(source, from) };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { kind: 'Error', message, from: 0, to: tokenEnd(source, 0), line: 1, column: 1 };
}
