// The JS API's implementation limits (engine/api/limits.ts), checked from the section
// counts before anything is allocated: a few bytes declaring too many of something are
// refused with a CompileError naming the limit (validate says false), not decoded.
import { describe, expect, it } from 'vitest';
import { encodeU32 } from '../binary/index.ts';
import { WasmStep } from './index.ts';
import { JS_LIMITS } from './limits.ts';

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** A module with one section whose content is `content` (its count first). */
function module(id: number, content: number[]): Uint8Array {
  return new Uint8Array([...HEADER, id, ...encodeU32(content.length), ...content]);
}

function compileError(bytes: Uint8Array): string {
  try {
    new WasmStep.Module(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(WasmStep.CompileError);
    return (e as Error).message;
  }
  throw new Error('compiled');
}

describe('JS API limits', () => {
  it.each([
    [1, 'types', JS_LIMITS.types],
    [2, 'imports', JS_LIMITS.imports],
    [3, 'functions', JS_LIMITS.functions],
    [6, 'globals', JS_LIMITS.globals],
    [7, 'exports', JS_LIMITS.exports],
    [9, 'element segments', JS_LIMITS.elementSegments],
    [11, 'data segments', JS_LIMITS.dataSegments],
  ])('section %i: one %s more than the limit is refused from its count alone', (id, what, limit) => {
    const bytes = module(id, [...encodeU32(limit + 1)]);
    expect(WasmStep.validate(bytes)).toBe(false);
    expect(compileError(bytes)).toBe(`${what}: ${limit + 1} is above the JS API's limit of ${limit}`);
  });

  it('counts imported tables and defined ones together', () => {
    // 100001 imported tables: "" "" table funcref (min 1 max 1), 7 bytes each.
    const one = [0x00, 0x00, 0x01, 0x70, 0x01, 0x01, 0x01];
    const count = JS_LIMITS.tables + 1;
    const content = [...encodeU32(count)];
    for (let i = 0; i < count; i++) content.push(...one);
    expect(compileError(module(2, content))).toBe(`tables: ${count} is above the JS API's limit of ${JS_LIMITS.tables}`);
  });

  it('checks parameters, results, and parameters plus locals', () => {
    const params = module(1, [1, 0x60, ...encodeU32(JS_LIMITS.params + 1)]);
    expect(compileError(params)).toBe(`parameters of type 0: ${JS_LIMITS.params + 1} is above the JS API's limit of ${JS_LIMITS.params}`);
    const results = module(1, [1, 0x60, 0x00, ...encodeU32(JS_LIMITS.results + 1)]);
    expect(compileError(results)).toBe(`results of type 0: ${JS_LIMITS.results + 1} is above the JS API's limit of ${JS_LIMITS.results}`);
    // (type (func (param i32 i32))) (func (type 0)) with 49999 i32 locals: 50001 in all.
    const types = [0x01, 0x06, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x00];
    const funcs = [0x03, 0x02, 0x01, 0x00];
    const body = [0x01, ...encodeU32(JS_LIMITS.locals - 1), 0x7f, 0x0b];
    const code = [0x0a, ...encodeU32(body.length + 2), 0x01, ...encodeU32(body.length), ...body];
    const bytes = new Uint8Array([...HEADER, ...types, ...funcs, ...code]);
    expect(compileError(bytes)).toBe(`parameters and locals of function body 0: ${JS_LIMITS.locals + 1} is above the JS API's limit of ${JS_LIMITS.locals}`);
  });

  it('accepts element segments beyond a million, as the JS API does (up to 10,000,000)', () => {
    // (table 1 1 funcref) and 1,000,001 segments (elem (table 0) (i32.const 0) func): the
    // JS API's limits.any.js module, a tenth of its size (js-api.test.ts runs all of it).
    const count = 1_000_001;
    const table = [0x04, 0x05, 0x01, 0x70, 0x01, 0x01, 0x01];
    const counted = encodeU32(count);
    const section = [0x09, ...encodeU32(counted.length + 5 * count), ...counted];
    const bytes = new Uint8Array(HEADER.length + table.length + section.length + 5 * count);
    bytes.set([...HEADER, ...table, ...section]);
    for (let p = HEADER.length + table.length + section.length; p < bytes.length; p += 5) bytes.set([0x00, 0x41, 0x00, 0x0b, 0x00], p);
    expect(WasmStep.validate(bytes)).toBe(true);
    const compiled = new WasmStep.Module(bytes);
    expect(new WasmStep.Instance(compiled)).toBeInstanceOf(WasmStep.Instance);
  });

  it('leaves malformed bytes to the decoder', () => {
    expect(compileError(module(1, [1, 0x61]))).not.toMatch(/limit/);
  });
});
