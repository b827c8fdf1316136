// Superinstructions (engine/exec/fuse.ts): which sequences are fused, and that running
// fused code is indistinguishable from running one instruction at a time — same results,
// same step counts, same value-stack bits — for every fusable binop, and that a budget
// ending inside a fused sequence stops exactly there.
import { describe, expect, it } from 'vitest';
import { parseWat } from '../text/parser.ts';
import { FUSED, bin32 } from './fuse.ts';
import { instantiate } from './instantiate.ts';
import { exportedFunction } from './invoke.ts';
import { Machine } from './machine.ts';
import { WasmFunction } from './runtime.ts';

const BINOPS = [
  'eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u',
  'add', 'sub', 'mul', 'and', 'or', 'xor', 'shl', 'shr_s', 'shr_u', 'rotl', 'rotr',
];

// One function per binop, using it in all four fused shapes; the result mixes them.
const WAT = `(module
  ${BINOPS.map((op) => `(func (export "${op}") (param $a i32) (param $b i32) (result i32) (local $t i32)
    (local.set $t (i32.${op} (local.get $a) (i32.const -7)))         ;; local.get; i32.const; binop
    (local.set $t (i32.add (local.get $t) (i32.${op} (local.get $a) (local.get $b))))  ;; local.get; local.get; binop
    (local.set $t (i32.${op} (local.get $t) (i32.const 13)))         ;; (inner) local.get … i32.const; binop
    (local.get $b)
    (local.get $t)
    (i32.${op})                                                      ;; local.get; binop
    (local.get $a)
    (i32.xor))`).join('\n  ')})`;

const VALUES = [0, 1, -1, 5, 31, 32, 33, -7, 0x7fff_ffff, -0x8000_0000, 0x1234_5678];

function runAll(m: Machine, f: WasmFunction, args: number[], stepwise: boolean): { result: number; steps: number; stack: Int32Array } {
  m.start(f, args);
  if (stepwise) while (m.step() === 'paused');
  else m.run();
  expect(m.status).toBe('done');
  return { result: m.results()[0] as number, steps: m.steps, stack: m.i32.slice(0, 64) };
}

describe('superinstructions', () => {
  const instance = instantiate(parseWat(WAT));

  it('fuse the four shapes (and their i32.add forms) and leave the unfused code alone', () => {
    const fused = new Set<number>();
    for (const op of BINOPS) {
      const { code, fast, offsets } = (exportedFunction(instance, op) as WasmFunction).code;
      expect(fast.length).toBe(code.length);
      for (let i = 0; i < code.length; i++) {
        if (fast[i] === code[i]) continue;
        expect(offsets, 'only an instruction\'s opcode changes').toContain(i);
        expect(Object.values(FUSED)).toContain(fast[i]);
        fused.add(fast[i]!);
      }
      expect([...offsets].some((o) => (Object.values(FUSED) as number[]).includes(code[o]!))).toBe(false);
    }
    expect(fused).toEqual(new Set(Object.values(FUSED)));
  });

  for (const op of BINOPS) {
    it(`${op}: run equals step by step, bit for bit`, () => {
      const f = exportedFunction(instance, op) as WasmFunction;
      for (const a of VALUES) {
        for (const b of VALUES) {
          const fast = runAll(new Machine(), f, [a, b], false);
          const slow = runAll(new Machine(), f, [a, b], true);
          expect(fast.result).toBe(slow.result);
          expect(fast.steps).toBe(slow.steps);
          expect(fast.stack).toEqual(slow.stack);
        }
      }
    });
  }

  it('bin32 agrees with the unfused instructions', () => {
    const one = instantiate(parseWat(`(module ${BINOPS.map((op) => `(func (export "${op}") (param i32 i32) (result i32) (i32.${op} (local.get 0) (local.get 1)))`).join(' ')})`));
    const codes: Record<string, number> = {
      eq: 0x46, ne: 0x47, lt_s: 0x48, lt_u: 0x49, gt_s: 0x4a, gt_u: 0x4b, le_s: 0x4c, le_u: 0x4d, ge_s: 0x4e, ge_u: 0x4f,
      add: 0x6a, sub: 0x6b, mul: 0x6c, and: 0x71, or: 0x72, xor: 0x73, shl: 0x74, shr_s: 0x75, shr_u: 0x76, rotl: 0x77, rotr: 0x78,
    };
    for (const op of BINOPS) {
      const f = exportedFunction(one, op);
      for (const a of VALUES) {
        for (const b of VALUES) {
          // Step by step: never fused.
          const m = new Machine();
          m.start(f, [a, b]);
          while (m.step() === 'paused');
          expect(bin32(codes[op]!, a, b), `${a} ${op} ${b}`).toBe(m.results()[0]);
        }
      }
    }
  });

  it('a budget that ends inside a fused sequence stops there', () => {
    const f = exportedFunction(instance, 'sub') as WasmFunction;
    const whole = runAll(new Machine(), f, [3, 4], true);
    const total = whole.steps;
    for (let budget = 1; budget < total; budget++) {
      const a = new Machine();
      a.start(f, [3, 4]);
      a.run(budget);
      const b = new Machine();
      b.start(f, [3, 4]);
      for (let k = 0; k < budget; k++) b.step();
      expect([a.steps, a.pc, a.sp]).toEqual([b.steps, b.pc, b.sp]);
      expect(a.i32.slice(0, 64)).toEqual(b.i32.slice(0, 64));
      expect(a.run()).toBe('done');
      expect(a.results()).toEqual([whole.result]);
      expect(a.steps).toBe(total);
    }
  });
});
