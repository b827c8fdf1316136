// The text format of typed function references (https://webassembly.github.io/spec/core/text/types.html#reference-types):
// (ref null? ht) with abstract heap types and type indices (by name, also before the
// type's definition), the 3.0 shorthands, ref.null ht, call_ref, br_on_null, typed
// select, elem and table types — parsed into the AST's type strings, encoded, and read
// back from the printer's output to the same bytes.
import { describe, expect, it } from 'vitest';
import { decodeModule, encodeModule } from '../binary/index.ts';
import { parseWat, printModule } from './index.ts';

const WAT = `(module
  (type $f (func (param (ref $g)) (result (ref null $f))))
  (type $g (func (param i32)))
  (func $h (type $g))
  (elem declare func $h)
  (table 2 (ref null $g))
  (elem (table 0) (i32.const 0) (ref $g) (ref.func $h))
  (global (ref func) (ref.func $h))
  (func (param (ref $g)) (result (ref null $f)) (local nullfuncref (ref null extern))
    (call_ref $g (i32.const 1) (local.get 0))
    (drop (br_on_null 0 (ref.null $g)))
    (drop (select (result (ref null func)) (ref.null nofunc) (ref.as_non_null (local.get 0)) (i32.const 1)))
    (drop (block (result (ref $g)) (br_on_non_null 0 (local.get 0)) (unreachable)))
    (ref.null $f)))`;

describe('typed reference types in the text format', () => {
  const m = parseWat(WAT);

  it('spell types by resolved index, heap types by keyword', () => {
    expect(m.types[0]!.type.params).toEqual(['(ref 1)']);
    expect(m.types[0]!.type.results).toEqual(['(ref null 0)']);
    expect(m.tables[0]!.type.elem).toBe('(ref null 1)');
    expect(m.elems[1]!.type).toBe('(ref 1)');
    expect(m.globals[0]!.type.type).toBe('(ref func)');
    expect(m.funcs[1]!.locals).toEqual(['nullfuncref', '(ref null extern)']);
    const body = m.funcs[1]!.body;
    expect(body.find((i) => i.op === 'call_ref')?.index).toBe(1);
    expect(body.find((i) => i.op === 'ref.null')?.heapType).toBe(1);
    expect(body.find((i) => i.op === 'select')?.types).toEqual(['(ref null func)']);
    expect(body.filter((i) => i.op === 'ref.null').map((i) => i.heapType)).toEqual([1, 'nofunc', 0]);
  });

  it('reads back from the printed text to the same bytes', () => {
    const bytes = encodeModule(m);
    const printed = printModule(decodeModule(bytes));
    expect(encodeModule(parseWat(printed))).toEqual(bytes);
  });

  it('names an unknown type in (ref $t)', () => {
    expect(() => parseWat('(module (func (param (ref $nope))))')).toThrow(/unknown type \$nope/);
  });
});
