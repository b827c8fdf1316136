// The nesting limit both formats share: how many structured instructions (block, loop,
// if, and 3.0's try/try_table) may be open at once inside one function body or constant
// expression. The spec sets no bound (an implementation may:
// https://webassembly.github.io/spec/core/appendix/implementation.html#syntactic-limits);
// the text parser and the binary decoder refuse deeper nesting with the same message, so
// a module's fate does not depend on the format it comes in.

/**
 * V8's largest function body in bytes (kV8MaxWasmFunctionSize). V8 has no nesting bound of
 * its own: a function is as deep as its size allows.
 */
const V8_MAX_FUNCTION_SIZE = 7_654_321;

/**
 * 2,551,439: the deepest function V8 accepts. The cheapest level is 3 bytes (`block`,
 * its empty type, `end`); the body also holds its locals count and its own `end`. So
 * every function V8 compiles is within the default, and both formats use it. The parser
 * and the decoder track open blocks on arrays, not on the host's stack, so any depth costs
 * only memory in proportion to the input.
 */
export const DEFAULT_MAX_NESTING = Math.floor((V8_MAX_FUNCTION_SIZE - 2) / 3);

/** The option both formats read: ParseOptions and DecodeOptions extend it. */
export interface NestingOptions {
  /** Most blocks open at once in a function body (default DEFAULT_MAX_NESTING). */
  readonly maxNesting?: number;
}

/** A version of the WebAssembly language (https://webassembly.github.io/spec/versions/). */
export type Version = '2.0' | '3.0';

/**
 * The option the text parser, the decoder and the validator share: which language to read
 * and check. The default is '3.0', the language browsers run; '2.0' keeps 2.0's rules and
 * error wording where 3.0 changed them (the 2.0 spec suite runs that way).
 */
export interface VersionOptions {
  readonly version?: Version;
}

/** The error message for a block opened when `max` are already open. */
export function nestingTooDeep(max: number): string {
  return `nesting too deep: more than ${max} nested blocks`;
}
