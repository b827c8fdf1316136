// Runtime errors of the execution layer: traps and link errors
// (https://webassembly.github.io/spec/core/exec/runtime.html#results,
// https://webassembly.github.io/spec/core/exec/modules.html#instantiation).
// Like the other phases' errors (engine/errors.ts) they keep the spec test suite's wording
// in `specMessage` apart from the location suffix, so a .wast runner can compare the text
// and a view can point at the failing instruction.

/**
 * A trap: execution stopped abnormally. `funcIndex` is the function's index in its module
 * and `position` the index into that function's flat body (body.length for the implicit
 * final `end`); both are undefined when the trap did not happen inside a function (e.g.
 * an element segment out of bounds during instantiation).
 */
export class Trap extends Error {
  readonly specMessage: string;
  funcIndex: number | undefined;
  position: number | undefined;
  constructor(message: string, funcIndex?: number, position?: number) {
    super(message);
    this.name = 'Trap';
    this.specMessage = message;
    this.funcIndex = funcIndex;
    this.position = position;
  }

  /** Records where the trap happened, once: the innermost location wins. */
  locate(funcIndex: number, position: number): void {
    if (this.funcIndex !== undefined) return;
    this.funcIndex = funcIndex;
    this.position = position;
    this.message = `${this.specMessage} (in function ${funcIndex}, instruction ${position})`;
  }
}

/** An import could not be resolved or does not match its declared type. */
export class LinkError extends Error {
  readonly specMessage: string;
  /** Which import: its index in the module's import list. */
  readonly importIndex: number | undefined;
  constructor(message: string, importIndex?: number, detail?: string) {
    super(detail === undefined ? message : `${message}: ${detail}`);
    this.name = 'LinkError';
    this.specMessage = message;
    this.importIndex = importIndex;
  }
}

/**
 * Spec wording of the traps, in one place so tests and views can refer to them. Like the
 * reference interpreter, "undefined element" and "uninitialized element" are followed by
 * the table index (e.g. "uninitialized element 2"); the suite matches messages by prefix.
 */
export const TrapMessage = {
  unreachable: 'unreachable',
  divideByZero: 'integer divide by zero',
  overflow: 'integer overflow',
  invalidConversion: 'invalid conversion to integer',
  memoryOutOfBounds: 'out of bounds memory access',
  tableOutOfBounds: 'out of bounds table access',
  undefinedElement: 'undefined element',
  uninitializedElement: 'uninitialized element',
  indirectCallTypeMismatch: 'indirect call type mismatch',
  callStackExhausted: 'call stack exhausted',
  /** call_ref of null (typed function references). */
  nullFunctionReference: 'null function reference',
  /** ref.as_non_null of null. */
  nullReference: 'null reference',
} as const;
