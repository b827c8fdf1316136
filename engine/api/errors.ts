// The JS API's three error classes (https://webassembly.github.io/spec/js-api/#error-objects):
// CompileError (decoding or validation failed), LinkError (an import does not fit), and
// RuntimeError (a trap). They are our own classes, not V8's: code that catches
// `WasmStep.RuntimeError` must not be fooled by an error from the host's WebAssembly.
// Each keeps the engine error that caused it in `cause`, so a view can still point at the
// byte, instruction or import that failed.

/** Decoding or validation failed (https://webassembly.github.io/spec/js-api/#exceptiondef-compileerror). */
export class CompileError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CompileError';
  }
}

/** Instantiation failed because an import is missing or does not match (https://webassembly.github.io/spec/js-api/#exceptiondef-linkerror). */
export class LinkError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LinkError';
  }
}

/**
 * A trap (https://webassembly.github.io/spec/js-api/#exceptiondef-runtimeerror). The
 * message is the spec's wording ("integer divide by zero", "out of bounds memory access"),
 * without the engine's location suffix; the engine's Trap, with its location, is `cause`.
 */
export class RuntimeError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RuntimeError';
  }
}
