// The Module explorer's verdict on a module: is it valid WebAssembly
// (https://webassembly.github.io/spec/core/valid/), and if not, where does it go wrong.
// Made in the worker after the outline is shown, by the engine's byte-level validator
// (engine/valid/binary.ts), which checks a valid module's bodies without building an
// instruction AST, so 20 MB of toolchain output is judged in a fraction of a second.
// Plain data, posted to the page.

import {
  DecodeError, FEATURE_ORDER, type FeatureId, featureName, type ModuleOutline, validateBinary, validateBinaryInPlace,
  ValidationError,
} from '../../../engine/index.ts';

export type ModuleVerdict =
  | {
      readonly verdict: 'valid';
      /** Function bodies checked. */
      readonly functions: number;
      /** The features after release 2.0 it uses, in words (empty for a 2.0 module). */
      readonly features: readonly string[];
      readonly ms: number;
    }
  | {
      readonly verdict: 'invalid';
      /** The engine's error message, which says where in words ("func 3, instr 12 (i32.add) at byte 0x1a3: …"). */
      readonly message: string;
      /** The byte the error points at, when it has one. */
      readonly offset?: number;
      readonly ms: number;
    }
  | {
      /** Uses WebAssembly 3.0 the engine decodes but cannot validate yet. */
      readonly verdict: 'unsupported';
      /** What it uses, in words: "exception handling", "tail calls", … */
      readonly features: readonly string[];
    }
  | {
      /** The validator itself failed (a bug, or out of memory): no verdict. */
      readonly verdict: 'failed';
      readonly message: string;
    };

/** The features up to release 2.0; the engine validates every use of these. */
const RELEASE_2 = new Set<FeatureId>(FEATURE_ORDER.slice(0, FEATURE_ORDER.indexOf('simd') + 1));

const UNSUPPORTED = /wasmstep does not execute (.+?)(?: yet|$)/;

/** Validates the module whose outline the explorer shows. */
export function judgeModule(bytes: Uint8Array, outline: ModuleOutline): ModuleVerdict {
  const later = outline.features.filter((f) => !RELEASE_2.has(f.id)).map((f) => featureName(f.id));
  const started = performance.now();
  if (later.length > 0) {
    // The byte checker reads the 3.0 code toolchains emit (exception handling, tail calls,
    // memory indices). What it cannot decide goes to the AST validator, which refuses the
    // 3.0 constructs it does not run yet, but only after building every instruction of a
    // large module (hundreds of MB for pyodide) just to say so: the outline already knows.
    const result = validateBinaryInPlace(bytes);
    if (result === undefined) return { verdict: 'unsupported', features: later };
    return { verdict: 'valid', functions: result.functions, features: later, ms: performance.now() - started };
  }
  try {
    const result = validateBinary(bytes);
    return { verdict: 'valid', functions: result.functions, features: [], ms: performance.now() - started };
  } catch (error) {
    const ms = performance.now() - started;
    if (error instanceof ValidationError) {
      const unsupported = UNSUPPORTED.exec(error.specMessage);
      if (unsupported !== null) return { verdict: 'unsupported', features: [unsupported[1]!] };
      const offset = error.span?.bytes?.offset;
      return { verdict: 'invalid', message: error.message, ...(offset === undefined ? {} : { offset }), ms };
    }
    if (error instanceof DecodeError) return { verdict: 'invalid', message: error.message, offset: error.offset, ms };
    throw error;
  }
}

/** "0.13 s", or milliseconds below a tenth of a second. */
export function durationText(ms: number): string {
  return ms < 100 ? `${Math.max(1, Math.round(ms))} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** The defined function whose body (size field included) holds byte `offset`, or -1. */
export function functionAt(offsets: Uint32Array, sizes: Uint32Array, imported: number, offset: number): number {
  // Bodies are in file order: a binary search over the defined functions.
  let lo = imported;
  let hi = offsets.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const start = offsets[mid]!;
    if (offset < start) hi = mid - 1;
    else if (offset >= start + sizes[mid]!) lo = mid + 1;
    else return mid;
  }
  return -1;
}
