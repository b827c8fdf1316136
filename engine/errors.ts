// Typed engine errors, one class per phase of the spec's pipeline
// (https://webassembly.github.io/spec/core/appendix/implementation.html).
// Every error carries where it happened so a view can point at it, and keeps the
// spec test suite's wording separately from the location suffix (`specMessage`).

/** Raised while decoding the binary format (spec chapter 5, "Binary Format"). */
export class DecodeError extends Error {
  /** Byte offset from the start of the module. */
  readonly offset: number;
  readonly specMessage: string;
  constructor(message: string, offset: number) {
    super(`${message} (at byte 0x${offset.toString(16)})`);
    this.name = 'DecodeError';
    this.offset = offset;
    this.specMessage = message;
  }
}

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
