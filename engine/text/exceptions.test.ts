// The text format of exception handling: tags (defined, imported, exported, inline),
// throw / throw_ref / try_table with its four catch clauses, and the legacy try in its
// plain and folded forms with catch, catch_all, delegate and rethrow; printed text reads
// back to the same bytes.

import { describe, expect, it } from 'vitest';
import { encodeModule } from '../binary/index.ts';
import { parseWat, printModule } from './index.ts';

const ops = (wat: string, func = 0) => parseWat(wat).funcs[func]!.body.map((i) => i.op);

describe('exception handling in the text format', () => {
  it('reads tags in every form, with $ids in the tag index space', () => {
    const m = parseWat(`(module
      (import "m" "a" (tag $a (param i32)))
      (tag $b (import "m" "b") (param f64))
      (tag $c (export "c") (param i64 i32))
      (tag $d)
      (export "d" (tag $d))
      (func (throw $d) (throw $c (i64.const 1) (i32.const 2)) (throw $a (i32.const 0))))`);
    expect(m.imports.map((i) => [i.name, i.desc])).toEqual([['a', { kind: 'tag', type: 0 }], ['b', { kind: 'tag', type: 1 }]]);
    expect(m.tags?.map((t) => t.id)).toEqual(['$c', '$d']);
    expect(m.exports.map((e) => [e.name, e.kind, e.index])).toEqual([['c', 'tag', 2], ['d', 'tag', 3]]);
    expect(m.funcs[0]!.body.filter((i) => i.op === 'throw').map((i) => i.index)).toEqual([3, 2, 0]);
  });

  it('reads try_table with its catch clauses, labels counted outside it', () => {
    const m = parseWat(`(module (tag $e (param i32))
      (func (result i32)
        (block $h (result i32 exnref)
          (try_table $t (result i32) (catch $e 1) (catch_ref $e $h) (catch_all 1) (catch_all_ref $h)
            (i32.const 1))
          (unreachable))
        (unreachable)))`);
    const t = m.funcs[0]!.body.find((i) => i.op === 'try_table')!;
    expect(t.catches).toEqual([
      { kind: 'catch', tag: 0, label: 1 }, { kind: 'catch_ref', tag: 0, label: 0 },
      { kind: 'catch_all', label: 1 }, { kind: 'catch_all_ref', label: 0 },
    ]);
    expect(t.blockType).toEqual({ kind: 'value', type: 'i32' });
  });

  it('reads the legacy try, plain and folded, to the same instructions', () => {
    const plain = `(module (tag $e (param i32)) (func (result i32)
      try $l (result i32)
        i32.const 1
      catch $e
      catch_all
        i32.const 2
        rethrow $l
      end $l
      try
        nop
      delegate 0
      drop))`;
    const folded = `(module (tag $e (param i32)) (func (result i32)
      (try $l (result i32)
        (do (i32.const 1))
        (catch $e)
        (catch_all (i32.const 2) (rethrow $l)))
      (try (do (nop)) (delegate 0))
      (drop)))`;
    const want = ['try', 'i32.const', 'catch', 'catch_all', 'i32.const', 'rethrow', 'end', 'try', 'nop', 'delegate', 'drop'];
    expect(ops(plain)).toEqual(want);
    expect(ops(folded)).toEqual(want);
    expect(encodeModule(parseWat(plain))).toEqual(encodeModule(parseWat(folded)));
  });

  it('refuses misplaced handlers as the spec suite expects', () => {
    expect(() => parseWat('(module (func (catch_all)))')).toThrow(/unexpected token/);
    expect(() => parseWat('(module (tag $e) (func (try (do) (catch $e) (delegate 0))))')).toThrow(/unexpected token/);
    expect(() => parseWat('(module (func (try (do) (catch_all) (catch_all))))')).toThrow(/unexpected token/);
    expect(() => parseWat('(module (tag $t) (func (throw $t)))', { version: '2.0' })).toThrow();
  });

  it('prints what it reads, and the print reads back to the same bytes', () => {
    const m = parseWat(`(module (tag $e (export "e") (param i32))
      (func (param i32) (result i32)
        (block $h (result i32)
          (try_table (result i32) (catch $e $h) (throw $e (local.get 0))))))`);
    const bytes = encodeModule(m);
    expect(encodeModule(parseWat(printModule(m)))).toEqual(bytes);
  });
});
