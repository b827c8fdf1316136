// What counts as correct behaviour on a fuzzed input. Decoder: the input ends in a typed
// engine error (DecodeError, ValidationError) or is a valid module, which must also survive
// encode → decode → validate. Text: a ParseError located inside the input, a located
// ValidationError, or a valid module that survives the same round trip. Anything else — a
// host exception, an "internal decoder error", an error pointing outside the input, or an
// input that takes too long — is a finding. Whatever the verdict, validateBinary (the
// in-place validator) must reach the same one on the same bytes, with the same error, and
// decodeOutline must reject exactly what decodeModule rejects, with its error.
import {
  DecodeError, decodeModule, decodeOutline, encodeModule, ParseError, parseWat, validateBinary, validateModule, ValidationError,
} from '../../engine/index.ts';

/** How an input ended: 'malformed', 'invalid', 'valid', or a finding (a problem). */
export type Outcome = { readonly ok: true; readonly verdict: 'malformed' | 'invalid' | 'valid'; readonly error?: Error } | { readonly ok: false; readonly problem: string };

const describe = (e: unknown): string => (e instanceof Error ? `${e.constructor.name}: ${e.message.slice(0, 300)}` : `thrown ${String(e)}`);

/** Time allowed for one input: generous, and linear in its size. */
export function timeBound(size: number): number {
  return 3000 + size / 250;
}

function roundTrip(bytes: Uint8Array): string | undefined {
  try {
    validateModule(decodeModule(bytes));
    return undefined;
  } catch (e) {
    return describe(e);
  }
}

/** An outcome as validateBinary must reproduce it: the error's class, message (which says where) and location. */
function verdictKey(e: unknown): string {
  if (e instanceof DecodeError) return `DecodeError ${e.message} @${e.offset}`;
  if (e instanceof ValidationError) return `ValidationError ${e.message} @${JSON.stringify(e.span?.bytes)}`;
  return describe(e);
}

/** The in-place validator against the reference's verdict (undefined when they agree). */
function binaryAgrees(bytes: Uint8Array, reference: Error | undefined): string | undefined {
  let fast: string;
  try {
    validateBinary(bytes);
    fast = 'valid';
  } catch (e) {
    fast = verdictKey(e);
  }
  const expected = reference === undefined ? 'valid' : verdictKey(reference);
  return fast === expected ? undefined : `validateBinary disagrees with decodeModule + validateModule: ${fast} instead of ${expected}`;
}

/** The outline against decodeModule: the same DecodeError, or none (undefined when they agree). */
function outlineAgrees(bytes: Uint8Array, reference: Error | undefined): string | undefined {
  let got: string;
  try {
    decodeOutline(bytes);
    got = 'accepted';
  } catch (e) {
    got = verdictKey(e);
  }
  const expected = reference instanceof DecodeError ? verdictKey(reference) : 'accepted';
  return got === expected ? undefined : `decodeOutline disagrees with decodeModule: ${got} instead of ${expected}`;
}

/** The decoder oracle (without the time bound; see timed). */
export function checkBinary(bytes: Uint8Array): Outcome {
  const outcome = checkDecoded(bytes);
  if (!outcome.ok) return outcome;
  const problem = binaryAgrees(bytes, outcome.error) ?? outlineAgrees(bytes, outcome.error);
  return problem === undefined ? outcome : { ok: false, problem };
}

function checkDecoded(bytes: Uint8Array): Outcome {
  let module;
  try {
    module = decodeModule(bytes);
  } catch (e) {
    if (e instanceof DecodeError && !e.specMessage.startsWith('internal')) {
      if (e.offset < 0 || e.offset > bytes.length) return { ok: false, problem: `DecodeError offset ${e.offset} outside the input (${bytes.length} bytes): ${e.message}` };
      return { ok: true, verdict: 'malformed', error: e };
    }
    return { ok: false, problem: `decodeModule threw ${describe(e)}` };
  }
  try {
    validateModule(module);
  } catch (e) {
    if (e instanceof ValidationError) return { ok: true, verdict: 'invalid', error: e };
    return { ok: false, problem: `validateModule threw ${describe(e)}` };
  }
  let encoded: Uint8Array;
  try {
    encoded = encodeModule(module);
  } catch (e) {
    return { ok: false, problem: `encodeModule of a valid decoded module threw ${describe(e)}` };
  }
  const again = roundTrip(encoded);
  if (again !== undefined) return { ok: false, problem: `a valid module re-encoded does not decode and validate: ${again}` };
  return { ok: true, verdict: 'valid' };
}

/** line:column inside the source (column may be one past the line's end, e.g. at end of input). */
function inside(src: string, line: number, column: number): boolean {
  const lines = src.split('\n');
  return Number.isInteger(line) && Number.isInteger(column) && line >= 1 && line <= lines.length && column >= 1 && column <= lines[line - 1]!.length + 1;
}

/** The text oracle (without the time bound; see timed). */
export function checkText(src: string): Outcome {
  let module;
  try {
    module = parseWat(src);
  } catch (e) {
    if (e instanceof ParseError) {
      if (!inside(src, e.line, e.column)) return { ok: false, problem: `ParseError at ${e.line}:${e.column}, outside the input: ${e.message}` };
      return { ok: true, verdict: 'malformed', error: e };
    }
    return { ok: false, problem: `parseWat threw ${describe(e)}` };
  }
  try {
    validateModule(module);
  } catch (e) {
    if (e instanceof ValidationError) {
      const t = e.span?.text;
      if (t !== undefined && !inside(src, t.line, t.column)) return { ok: false, problem: `ValidationError at ${t.line}:${t.column}, outside the input: ${e.message}` };
      return { ok: true, verdict: 'invalid', error: e };
    }
    return { ok: false, problem: `validateModule threw ${describe(e)}` };
  }
  let encoded: Uint8Array;
  try {
    encoded = encodeModule(module);
  } catch (e) {
    return { ok: false, problem: `encodeModule of a valid parsed module threw ${describe(e)}` };
  }
  const again = roundTrip(encoded);
  if (again !== undefined) return { ok: false, problem: `a valid text module, encoded, does not decode and validate: ${again}` };
  return { ok: true, verdict: 'valid' };
}

/** Runs an oracle with the time bound; a slow input is measured twice before it counts (the machine may be busy). */
export function timed<T extends Uint8Array | string>(check: (x: T) => Outcome, input: T): Outcome & { readonly ms: number } {
  const bound = timeBound(input.length);
  for (let attempt = 0; ; attempt++) {
    const t0 = performance.now();
    const out = check(input);
    const ms = performance.now() - t0;
    if (!out.ok || ms <= bound) return { ...out, ms };
    if (attempt === 1) return { ok: false, problem: `took ${Math.round(ms)} ms (bound ${Math.round(bound)} ms for ${input.length} ${typeof input === 'string' ? 'characters' : 'bytes'})`, ms };
  }
}
