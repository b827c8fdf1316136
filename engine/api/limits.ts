// The JS API's implementation limits (https://webassembly.github.io/spec/js-api/#limits):
// a JS embedding must reject modules with more types, functions, imports, ... than these,
// and must accept every module within them. They are checked here on the raw bytes, from
// the counts that lead each section, before the decoder allocates anything for them: a
// tiny module may declare a billion globals, and a module at a limit may already be big.
//
// The scan only reads counts and sizes. Anything it does not understand (a malformed
// section, a 3.0 type form) ends the scan without a verdict; the decoder and validator
// then report it as they always do.

import { Reader } from '../binary/index.ts';

export const JS_LIMITS = {
  types: 1_000_000,
  functions: 1_000_000,
  imports: 1_000_000,
  exports: 1_000_000,
  globals: 1_000_000,
  dataSegments: 100_000,
  elementSegments: 10_000_000,
  tables: 100_000,
  moduleBytes: 1024 * 1024 * 1024,
  functionBytes: 7_654_321,
  /** Parameters and declared locals together. */
  locals: 50_000,
  params: 1_000,
  results: 1_000,
} as const;

class Stop extends Error {}

function over(what: string, count: number, limit: number): string | undefined {
  return count > limit ? `${what}: ${count} is above the JS API's limit of ${limit}` : undefined;
}

/** A value type, skipped: one byte, or (ref null? ht) with its heap type. */
function skipValType(r: Reader): void {
  const b = r.u8();
  if (b === 0x63 || b === 0x64) r.s33();
}

function skipLimits(r: Reader): void {
  const flags = r.u8();
  r.u64();
  if (flags & 1) r.u64();
}

/** Why the module breaks a JS API limit, or undefined when it does not (or cannot be scanned). */
export function jsLimitViolation(bytes: Uint8Array): string | undefined {
  const size = over('module size in bytes', bytes.length, JS_LIMITS.moduleBytes);
  if (size !== undefined) return size;
  try {
    return scan(new Reader(bytes, 8));
  } catch {
    // Stop, or bytes the reader cannot read: no verdict, the decoder will say what is wrong.
    return undefined;
  }
}

function scan(r: Reader): string | undefined {
  const params: number[] = []; // parameter count per type index, while types are plain
  let funcTypes: Uint32Array | undefined;
  let tables = 0;
  while (!r.atEnd()) {
    const id = r.u8();
    const length = r.u32();
    const end = r.pos + length;
    if (id !== 0) {
      const count = r.u32();
      let verdict: string | undefined;
      switch (id) {
        case 1:
          verdict = over('types', count, JS_LIMITS.types) ?? types(r, count, params);
          break;
        case 2: {
          verdict = over('imports', count, JS_LIMITS.imports);
          if (verdict === undefined) {
            tables += importedTables(r, count);
            verdict = over('tables', tables, JS_LIMITS.tables);
          }
          break;
        }
        case 3:
          verdict = over('functions', count, JS_LIMITS.functions);
          if (verdict === undefined) {
            funcTypes = new Uint32Array(count);
            for (let i = 0; i < count; i++) funcTypes[i] = r.u32();
          }
          break;
        case 4:
          tables += count;
          verdict = over('tables', tables, JS_LIMITS.tables);
          break;
        case 6:
          verdict = over('globals', count, JS_LIMITS.globals);
          break;
        case 7:
          verdict = over('exports', count, JS_LIMITS.exports);
          break;
        case 9:
          verdict = over('element segments', count, JS_LIMITS.elementSegments);
          break;
        case 10:
          verdict = code(r, count, funcTypes, params);
          break;
        case 11:
          verdict = over('data segments', count, JS_LIMITS.dataSegments);
          break;
      }
      if (verdict !== undefined) return verdict;
    }
    r.pos = end;
  }
  return undefined;
}

/** Checks each plain function type's parameter and result counts; stops at any other type form. */
function types(r: Reader, count: number, params: number[]): string | undefined {
  for (let i = 0; i < count; i++) {
    if (r.u8() !== 0x60) throw new Stop();
    const p = r.u32();
    const tooMany = over(`parameters of type ${i}`, p, JS_LIMITS.params);
    if (tooMany !== undefined) return tooMany;
    for (let k = 0; k < p; k++) skipValType(r);
    const n = r.u32();
    const tooManyResults = over(`results of type ${i}`, n, JS_LIMITS.results);
    if (tooManyResults !== undefined) return tooManyResults;
    for (let k = 0; k < n; k++) skipValType(r);
    params.push(p);
  }
  return undefined;
}

/** How many of the imports are tables. */
function importedTables(r: Reader, count: number): number {
  let tables = 0;
  for (let i = 0; i < count; i++) {
    r.skip(r.u32());
    r.skip(r.u32());
    const kind = r.u8();
    if (kind === 0) r.u32();
    else if (kind === 1) {
      tables++;
      skipValType(r);
      skipLimits(r);
    } else if (kind === 2) skipLimits(r);
    else if (kind === 3) {
      skipValType(r);
      r.u8();
    } else throw new Stop();
  }
  return tables;
}

/** Each body's size, and its locals together with its parameters. */
function code(r: Reader, count: number, funcTypes: Uint32Array | undefined, params: number[]): string | undefined {
  for (let i = 0; i < count; i++) {
    const size = r.u32();
    const bodyEnd = r.pos + size;
    const tooBig = over(`size in bytes of function body ${i}`, size, JS_LIMITS.functionBytes);
    if (tooBig !== undefined) return tooBig;
    const type = funcTypes?.[i];
    let locals = type === undefined ? 0 : (params[type] ?? 0);
    const groups = r.u32();
    for (let g = 0; g < groups; g++) {
      locals += r.u32();
      const tooMany = over(`parameters and locals of function body ${i}`, locals, JS_LIMITS.locals);
      if (tooMany !== undefined) return tooMany;
      skipValType(r);
    }
    r.pos = bodyEnd;
  }
  return undefined;
}
