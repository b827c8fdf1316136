// A convenience outside the JS API's shape: modules from .wat text
// (https://webassembly.github.io/spec/core/text/index.html). The text is parsed and encoded
// to the binary format, then compiled like any bytes
// (https://webassembly.github.io/spec/js-api/#dom-module-module), so a text module behaves
// exactly like its binary (custom sections aside: the text format has none).

import { encodeModule } from '../binary/index.ts';
import { ParseError, parseWat } from '../text/index.ts';
import { CompileError } from './errors.ts';
import { Instance } from './instance.ts';
import { Module } from './module.ts';
import type { RunOptions } from './js-values.ts';

/** The binary of a .wat module; a syntax error is a CompileError whose `cause` is the ParseError (with line and column). */
export function watToBinary(source: string): Uint8Array {
  try {
    return encodeModule(parseWat(source));
  } catch (e) {
    if (e instanceof ParseError) throw new CompileError(e.message, { cause: e });
    throw e;
  }
}

/** A Module from .wat text (throws CompileError). */
export function compileWat(source: string): Module {
  return new Module(watToBinary(source));
}

/** An Instance from .wat text, synchronously (throws CompileError, LinkError, RuntimeError, TypeError). */
export function instantiateWat(source: string, importObject?: object, options?: RunOptions): Instance {
  return new Instance(compileWat(source), importObject, options);
}
