// Validation of a binary module without decoding its code into an AST: what
// WebAssembly.validate does (https://webassembly.github.io/spec/js-api/#dom-webassembly-validate),
// fast enough for 20 MB toolchain output.
//
// The module's other sections are decoded as usual (decodeModuleShell) and validated by
// the same module-level rules as validateModule; function bodies and data segments are
// checked in place from the bytes (engine/valid/code-bytes.ts, on the same stacks,
// engine/valid/stack.ts, as validateModule's code.ts). Besides 2.0 it reads the 3.0 code
// toolchains emit: exception handling (legacy try/catch/delegate/rethrow, throw, try_table
// without exnref; the tags' module-level rules are engine/valid/binary-tags.ts), tail
// calls and explicit memory indices. That checker only ever says
// "valid": the moment it is unsure — an error, or anything outside the subset it
// reads — the module goes to decodeModule + validateModule, whose verdict and error
// (DecodeError or ValidationError, same wording, location and order as when compiling)
// are returned. So an invalid module costs a full decode, and a valid one never builds
// an instruction.

import { DecodeError, decodeModule, decodeModuleShell, type DecodeOptions, Reader } from '../binary/index.ts';
import { splitTags, tagParams } from './binary-tags.ts';
import { BodyBytesChecker, UNDECIDED } from './code-bytes.ts';
import type { Module } from '../syntax/index.ts';
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
  const inPlace = validateBinaryInPlace(bytes, options);
  if (inPlace !== undefined) return inPlace;
  const module = decodeModule(bytes, options);
  validateModule(module, options);
  return { decidedBy: 'reference', functions: module.funcs.length, instructions: 0 };
}

/**
 * The in-place check alone: validateBinary's result when it finds the module valid without
 * the reference, undefined when it cannot tell (an invalid module, or one using what it
 * does not read). For callers that would rather not pay for the reference's full decode.
 */
export function validateBinaryInPlace(bytes: Uint8Array, options: DecodeOptions = {}): BinaryValidation | undefined {
  try {
    const shell = decodeModuleShell(bytes, options, undefined, true);
    // The checker reads 32-bit addresses only: 64-bit memories and tables go to the reference.
    if (has64BitIndex(shell.module)) throw UNDECIDED;
    const { module, types: tagTypes } = splitTags(shell.module);
    const data = shell.data;
    // The segment count leads the section; the segments are checked with the bodies.
    const segments = data === undefined ? 0 : new Reader(bytes, data.start).u32();
    const importedGlobals = shell.module.imports.reduce((n, imp) => (imp.desc.kind === 'global' ? n + 1 : n), 0);
    let instructions = 0;
    validateModuleWith(
      module,
      shell.funcTypes,
      (context) => {
        // The in-place checker types table indices and addresses as i32: an i64 table
        // (table64) or memory (memory64) goes to the reference.
        if (context.table64?.includes(1) === true || context.mem64.includes(1)) throw UNDECIDED;
        const tags = tagParams(tagTypes, context.typeParams, context.typeResults);
        const checker = new BodyBytesChecker(context, bytes, options.maxNesting, tags);
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
    return undefined;
  }
}

/** Whether a memory or table of the module (imported or defined) has 64-bit addresses (memory64, table64). */
function has64BitIndex(m: Module): boolean {
  for (const imp of m.imports) {
    if ((imp.desc.kind === 'memory' || imp.desc.kind === 'table') && imp.desc.type.limits.index64 === true) return true;
  }
  return m.mems.some((mem) => mem.type.limits.index64 === true) || m.tables.some((t) => t.type.limits.index64 === true);
}
