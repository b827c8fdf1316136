// Validation of a binary module without decoding its code into an AST: what
// WebAssembly.validate does (https://webassembly.github.io/spec/js-api/#dom-webassembly-validate),
// fast enough for 20 MB toolchain output.
//
// The module's other sections are decoded as usual (decodeModuleShell) and validated by
// the same module-level rules as validateModule; function bodies and data segments are
// checked in place from the bytes (engine/valid/code-bytes.ts, on the same stacks,
// engine/valid/stack.ts, as validateModule's code.ts). That checker only ever says
// "valid": the moment it is unsure — an error, or anything outside the 2.0 subset it
// reads — the module goes to decodeModule + validateModule, whose verdict and error
// (DecodeError or ValidationError, same wording, location and order as when compiling)
// are returned. So an invalid module costs a full decode, and a valid one never builds
// an instruction.

import { DecodeError, decodeModule, decodeModuleShell, type DecodeOptions, Reader } from '../binary/index.ts';
import { BodyBytesChecker, UNDECIDED } from './code-bytes.ts';
import { ValidationError } from './error.ts';
import { TYPE_MISMATCH } from './stack.ts';
import { validateModule, validateModuleWith } from './validate.ts';

export interface BinaryValidation {
  /**
   * Who decided: 'bytes' when every body was checked in place, 'reference' when the AST
   * decoder and validator had to (and found the module valid after all).
   */
  readonly decidedBy: 'bytes' | 'reference';
  /** Defined functions (bodies) in the module. */
  readonly functions: number;
  /** Instructions checked in place (0 when the reference decided). */
  readonly instructions: number;
}

/**
 * Validates a binary module. Returns when it is valid; throws the DecodeError or
 * ValidationError decodeModule + validateModule would throw when it is not.
 */
export function validateBinary(bytes: Uint8Array, options: DecodeOptions = {}): BinaryValidation {
  try {
    const shell = decodeModuleShell(bytes, options, undefined, true);
    const data = shell.data;
    // The segment count leads the section; the segments are checked with the bodies.
    const segments = data === undefined ? 0 : new Reader(bytes, data.start).u32();
    const importedGlobals = shell.module.imports.reduce((n, imp) => (imp.desc.kind === 'global' ? n + 1 : n), 0);
    let instructions = 0;
    validateModuleWith(
      shell.module,
      shell.funcTypes,
      (context) => {
        // The in-place checker types addresses as i32: an i64 memory (memory64) goes to the reference.
        if (context.mem64.includes(1)) throw UNDECIDED;
        const checker = new BodyBytesChecker(context, bytes, options.maxNesting);
        if (data !== undefined) checker.checkDataSection(data.start, data.end, segments, importedGlobals);
        const bodies = shell.bodies;
        for (let i = 0; i < bodies.length; i++) checker.check(bodies[i]!.start, bodies[i]!.end, shell.funcTypes[i]!);
        instructions = checker.instructions;
        return [];
      },
      segments,
      options,
    );
    return { decidedBy: 'bytes', functions: shell.bodies.length, instructions };
  } catch (e) {
    // The checker gives up with UNDECIDED or its stack's TYPE_MISMATCH. Anything else is a
    // bug in this file or the checker, not a verdict on the module.
    if (e !== UNDECIDED && e !== TYPE_MISMATCH && !(e instanceof DecodeError) && !(e instanceof ValidationError)) throw e;
  }
  const module = decodeModule(bytes, options);
  validateModule(module, options);
  return { decidedBy: 'reference', functions: module.funcs.length, instructions: 0 };
}
