// Implicit function types (https://webassembly.github.io/spec/core/text/modules.html#type-uses):
// an inline type use with no equal type appends one to the type section. Several appended
// in one module follow the flattened instruction order, as wat2wasm writes them: a folded
// instruction's operands come before it, so their types come first.
import { describe, expect, it } from 'vitest';
import wabtInit from 'wabt';
import { wabtBinary } from '../../tests/support/wabt-bytes.ts';
import { decodeModule } from '../binary/index.ts';
import { watToBinary } from '../api/index.ts';

async function wabtBytes(src: string): Promise<Uint8Array> {
  return wabtBinary(await wabtInit(), src);
}

const types = (bytes: Uint8Array): string[] => decodeModule(bytes).types.map((t) => `[${t.type.params.join(' ')}] -> [${t.type.results.join(' ')}]`);

const CASES: Record<string, { src: string; types: string[] }> = {
  'folded call_indirect: the operands first': {
    src: `(module (table 1 funcref)
      (func (result i64)
        (call_indirect (param f32) (result i64)
          (i32.const 1) (block (param i32) (result f32) drop (f32.const 1))
          (i32.const 0))))`,
    types: ['[] -> [i64]', '[i32] -> [f32]', '[f32] -> [i64]'],
  },
  'folded if: the condition first': {
    src: `(module
      (func (if (result i32 i64) (block (result i32) (block (result i32 f64) (i32.const 1) (f64.const 2)) drop)
        (then (i32.const 1) (i64.const 1)) (else (i32.const 1) (i64.const 1))) drop drop))`,
    types: ['[] -> []', '[] -> [i32 f64]', '[] -> [i32 i64]'],
  },
  'an operand equal to the call_indirect type shares it': {
    src: `(module (table 1 funcref)
      (func (call_indirect (param f32 f32) (block (result f32 f32) (f32.const 1) (f32.const 2)) (i32.const 0))))`,
    types: ['[] -> []', '[] -> [f32 f32]', '[f32 f32] -> []'],
  },
  'folded block and then-branch: the block type first, then the body': {
    src: `(module
      (func (block (result i32 i64) (block (result f64 f64) (f64.const 1) (f64.const 2)) drop drop (i32.const 1) (i64.const 1)) drop drop)
      (func (if (result i32 i64) (i32.const 1) (then (block (result f64 f64) (f64.const 1) (f64.const 2)) drop drop (i32.const 1) (i64.const 1)) (else (i32.const 1) (i64.const 1))) drop drop))`,
    types: ['[] -> []', '[] -> [i32 i64]', '[] -> [f64 f64]'],
  },
};

describe('implicit types are appended in flattened instruction order, as wat2wasm does', () => {
  for (const [name, { src, types: expected }] of Object.entries(CASES)) {
    it(name, async () => {
      const ours = watToBinary(src);
      expect(types(ours)).toEqual(expected);
      expect(ours).toEqual(await wabtBytes(src));
    });
  }
});
