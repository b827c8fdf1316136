// The validator's error (spec chapter 3, "Validation":
// https://webassembly.github.io/spec/core/valid/index.html). Like DecodeError and
// ParseError in engine/errors.ts it keeps the spec test suite's wording apart from the
// location, so the suite's `assert_invalid` checks (the message must *start with* the
// expected text) compare `specMessage`, while views show `message`, which says where:
//   func 3 ($fib), instr 12 (i32.add) at 7:5: type mismatch: expected [i32 i32], found [i32 f64]
// It lives here rather than in engine/errors.ts because only the validator raises it.

import type { Span } from '../syntax/index.ts';

/** Where in the module a validation error was found. */
export interface ValidationSite {
  /**
   * What is being validated, in words: 'func 3 ($fib)', 'global 1', 'elem 0', 'data 2',
   * 'export 4 ("main")', 'import 0 ("env" "f")', 'table 0', 'memory 1', 'start', 'module'.
   */
  readonly where: string;
  /** Index of the function in the function index space (imported functions first). */
  readonly funcIndex?: number;
  /**
   * Position of the offending instruction in its flat instruction list: the function body
   * (where `body.length` stands for the implicit final `end`) or the constant expression.
   */
  readonly instrIndex?: number;
  /** The offending instruction's mnemonic. */
  readonly op?: string;
  /** The offending instruction's or definition's location. */
  readonly span?: Span;
}

/** "7:5" for text, "byte 0x1a3" for binary; undefined when the node has no location. */
export function formatSpan(span: Span | undefined): string | undefined {
  if (span?.text) return `${span.text.line}:${span.text.column}`;
  if (span?.bytes) return `byte 0x${span.bytes.offset.toString(16)}`;
  return undefined;
}

/** Raised when a module is not valid; the validator stops at the first error. */
export class ValidationError extends Error {
  /** The reason, starting with the spec test suite's wording (e.g. "type mismatch", "unknown local 3"). */
  readonly specMessage: string;
  /** See ValidationSite. */
  readonly where: string;
  readonly funcIndex: number | undefined;
  readonly instrIndex: number | undefined;
  readonly op: string | undefined;
  readonly span: Span | undefined;
  constructor(specMessage: string, site: ValidationSite) {
    let prefix = site.where;
    if (site.instrIndex !== undefined) prefix += `, instr ${site.instrIndex}${site.op ? ` (${site.op})` : ''}`;
    const at = formatSpan(site.span);
    if (at !== undefined) prefix += ` at ${at}`;
    super(`${prefix}: ${specMessage}`);
    this.name = 'ValidationError';
    this.specMessage = specMessage;
    this.where = site.where;
    this.funcIndex = site.funcIndex;
    this.instrIndex = site.instrIndex;
    this.op = site.op;
    this.span = site.span;
  }
}
