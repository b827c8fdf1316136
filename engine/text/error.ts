// The text layer's error (https://webassembly.github.io/spec/core/text/index.html).
// Every engine error carries where it happened so a view can point at it, and keeps the
// spec test suite's wording apart from the location suffix (`specMessage`).

/** Raised while reading the text format or a .wast script (spec chapter 6, "Text Format"). */
export class ParseError extends Error {
  /** 1-based line and column of the offending token. */
  readonly line: number;
  readonly column: number;
  /** UTF-16 offset into the source. */
  readonly offset: number;
  readonly specMessage: string;
  constructor(message: string, line: number, column: number, offset: number) {
    super(`${line}:${column}: ${message}`);
    this.name = 'ParseError';
    this.line = line;
    this.column = column;
    this.offset = offset;
    this.specMessage = message;
  }
}
