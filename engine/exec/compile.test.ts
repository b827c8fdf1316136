// The pre-decoder: code layout (one internal opcode plus immediates per instruction, so
// offsets and OP_LENGTH agree), the in-place branch side table (plain branches when the
// stack is already right, adjusting ones otherwise, with the right heights), and the
// reconstruction of stack types and labels at a position.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Module } from '../syntax/index.ts';
import { parseWast, parseWat } from '../text/index.ts';
import { validateModule } from '../valid/index.ts';
import { analyze, compileFunc, moduleTypes, positionOf, type CompiledFunc } from './compile.ts';
import { OP_LENGTH, OPC } from './layout.ts';
import { testsuiteRoot } from '../../tests/support/testsuite.ts';

function compileAll(module: Module): CompiledFunc[] {
  const mt = moduleTypes(module);
  return module.funcs.map((_, i) => compileFunc(module, mt, mt.importedFuncs + i));
}

/** Walks the code by OP_LENGTH and checks every instruction starts where `offsets` says. */
function checkLayout(c: CompiledFunc): void {
  const starts: number[] = [];
  let pc = 0;
  while (pc < c.code.length) {
    starts.push(pc);
    const op = c.code[pc]!;
    const len = op === 0x0e ? 2 + 4 * (c.code[pc + 1]! + 1) : OP_LENGTH[op]!;
    if (len === 0) throw new Error(`opcode 0x${op.toString(16)} has no length`);
    pc += len;
  }
  expect(pc).toBe(c.code.length);
  expect(starts).toEqual([...c.offsets]);
  starts.forEach((s, i) => expect(positionOf(c.offsets, s)).toBe(i));
}

describe('pre-decoder', () => {
  const module = parseWat(`(module
    (memory 1) (table 1 funcref) (global $g (mut f64) (f64.const 1))
    (func $f (param i32 v128 externref) (result i32) (local i64 f32)
      (block $a (result i32)
        (br_if $a (i32.const 1) (local.get 0)))
      (block $b (result i32)
        (i64.const 1)
        (drop)
        (i32.const 2)
        (br $b))
      (i32.add)
      (local.set 3 (i64.extend_i32_u))
      (v128.store offset=3 (i32.const 0) (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 (local.get 1) (local.get 1)))
      (drop (i8x16.extract_lane_u 3 (local.get 1)))
      (v128.store8_lane 2 (i32.const 0) (local.get 1))
      (global.set $g (f64.promote_f32 (local.get 4)))
      (drop (ref.is_null (local.get 2)))
      (table.fill 0 (i32.const 0) (ref.null func) (i32.const 0))
      (memory.fill (i32.const 0) (i32.const 0) (i32.const 0))
      (drop (i32.trunc_sat_f32_s (f32.const 1)))
      (if (result i32) (i32.const 1) (then (i32.const 1)) (else (i32.const 2)))
      (br_table 0 0 (i32.const 3) (i32.const 0)))
    (func (result i32) (local $x i32) (i32.const 1) (i32.const 2) (block $k (param i32) (result i32) (br $k)) (drop)))`);
  validateModule(module);
  const [f, g] = compileAll(module);

  it('lays out one opcode and its immediates per instruction', () => {
    checkLayout(f!);
    checkLayout(g!);
    expect(f!.offsets.length).toBe(module.funcs[0]!.body.length + 1);
    expect(f!.code[f!.offsets[f!.offsets.length - 1]!]).toBe(0x0f); // the implicit end returns
  });

  it('counts slots: v128 takes two, locals come first', () => {
    expect([...f!.localOffsets]).toEqual([0, 1, 3, 4, 5]);
    expect(f!.paramSlots).toBe(4);
    expect(f!.localSlots).toBe(6);
    expect(f!.refLocals.length).toBe(0);
    expect(f!.maxSlots).toBeGreaterThanOrEqual(6 + 4);
  });

  it('uses plain branches when the values are already in place, adjusting ones otherwise', () => {
    const body = module.funcs[0]!.body;
    const opAt = (c: CompiledFunc, op: string, nth = 0) => {
      const i = body.map((ins, k) => (ins.op === op ? k : -1)).filter((k) => k >= 0)[nth]!;
      return c.code.subarray(c.offsets[i]!, c.offsets[i + 1]!);
    };
    // br_if $a carries [1], right at the label's height: no adjustment needed
    expect(opAt(f!, 'br_if')[0]).toBe(0x0d);
    // br $b carries [2] but i64 1 was dropped, so also in place
    expect(opAt(f!, 'br')[0]).toBe(0x0c);
    // in g, the branch out of $k keeps 1 slot at height localSlots + 1 (below: i32 1)
    const gb = module.funcs[1]!.body;
    const gi = gb.findIndex((ins) => ins.op === 'br');
    const br = g!.code.subarray(g!.offsets[gi]!, g!.offsets[gi + 1]!);
    expect(br[0]).toBe(0x0c);
    // br_table always carries its full side-table entries (target, height, carry, refs)
    const t = body.findIndex((ins) => ins.op === 'br_table');
    const bt = f!.code.subarray(f!.offsets[t]!, f!.offsets[t + 1]!);
    expect([...bt]).toEqual([0x0e, 1, f!.offsets[body.length]!, f!.localSlots, 1, 0, f!.offsets[body.length]!, f!.localSlots, 1, 0]);
  });

  it('an adjusting branch records the height and the slots it carries', () => {
    const m = parseWat(`(module (func (result i32)
      (block (result i32) (i32.const 1) (i64.const 2) (i32.const 3) (br 0))))`);
    const [c] = compileAll(m);
    const i = m.funcs[0]!.body.findIndex((ins) => ins.op === 'br');
    expect([...c!.code.subarray(c!.offsets[i]!, c!.offsets[i + 1]!)]).toEqual([OPC.BR_ADJ, c!.offsets[i + 2]!, 0, 1, 0]);
  });

  it('reconstructs the stack types and labels at a position', () => {
    const mt = moduleTypes(module);
    const body = module.funcs[0]!.body;
    const i = body.findIndex((ins) => ins.op === 'br_if');
    const s = analyze(module, mt, 0, i);
    expect(s.stack).toEqual(['i32', 'i32']);
    expect(s.labels.map((l) => [l.kind, l.height, l.arity])).toEqual([['func', 0, 1], ['block', 0, 1]]);
    // after br_table the rest of the body is dead code
    expect(analyze(module, mt, 0, body.length)).toMatchObject({ stack: [], unreachable: true });
    const gEnd = analyze(module, mt, 1, module.funcs[1]!.body.length);
    expect(gEnd).toMatchObject({ stack: ['i32'], unreachable: false });
  });
});

const suiteDir = path.join(testsuiteRoot, 'wasm-2.0');
describe.skipIf(!existsSync(suiteDir))('pre-decoder on every valid spec suite module', () => {
  it('lays out every function consistently', () => {
    let funcs = 0;
    for (const file of readdirSync(suiteDir).filter((f) => f.endsWith('.wast'))) {
      for (const c of parseWast(readFileSync(path.join(suiteDir, file), 'utf8'))) {
        if (c.type !== 'module' || c.module.kind !== 'text') continue;
        const m = c.module.module;
        try {
          validateModule(m);
        } catch {
          continue;
        }
        for (const f of compileAll(m)) {
          checkLayout(f);
          funcs++;
        }
      }
    }
    expect(funcs).toBeGreaterThan(5000);
  }, 60_000);
});
