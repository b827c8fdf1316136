// Superinstructions (engine/exec/fuse.ts): which sequences are fused, and that running
// fused code is indistinguishable from running one instruction at a time — same results,
// same step counts, same value-stack bits — for every fusable binop, and that a budget
// ending inside a fused sequence stops exactly there.
import { describe, expect, it } from 'vitest';
import { parseWat } from '../text/index.ts';
import { bin32 } from './fuse.ts';
import { FUSED } from './layout.ts';
import { instantiate } from './instantiate.ts';
import { exportedFunction } from './invoke.ts';
import { limitsWith } from './limits.ts';
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

// The longer shapes: control at the end (if, call, br_if, end + final end), a local.tee or
// local.set after the binop, and an f64 load feeding f64.add/sub/mul — with loads that trap
// and with NaN results (memory holds 1.5, ∞, -∞, 0 and 2 from byte 0).
const SHAPES_WAT = `(module
  (memory 1)
  (data (i32.const 0) "\\00\\00\\00\\00\\00\\00\\f8\\3f" "\\00\\00\\00\\00\\00\\00\\f0\\7f" "\\00\\00\\00\\00\\00\\00\\f0\\ff" "\\00\\00\\00\\00\\00\\00\\00\\00" "\\00\\00\\00\\00\\00\\00\\00\\40")
  (func $fib (export "fib") (param $b i32) (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))           ;; local.get; i32.const; binop; if
      (then (local.get $n))
      (else (i32.add (call $fib (local.get $b) (i32.sub (local.get $n) (i32.const 1)))   ;; …; call
                     (call $fib (local.get $b) (i32.sub (local.get $n) (i32.const 2)))))))  ;; end; end
  (func (export "loops") (param $a i32) (param $b i32) (result i32) (local $i i32) (local $s i32)
    (local.set $i (i32.and (local.get $a) (i32.const 15)))             ;; …; local.set
    (loop $l
      (local.set $s (i32.xor (local.get $s) (local.get $i)))          ;; local.get; local.get; binop; local.set
      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 20))))  ;; …; local.tee; i32.const; binop; br_if
    (loop $m
      (drop (local.tee $s (i32.rotl (local.get $s) (local.get $b))))  ;; local.get; local.get; binop; local.tee
      (local.set $i (i32.sub (local.get $i) (i32.const 3)))
      (br_if $m (i32.gt_s (local.get $i) (i32.const 0))))             ;; local.get; i32.const; binop; br_if
    (i32.xor (i32.add (local.get $s) (i32.const 5)) (local.get $i)))
  (func (export "f64") (param $a i32) (param $b i32) (result i32) (local $p i32) (local $x f64)
    (local.set $p (i32.shl (i32.and (local.get $a) (i32.const 7)) (i32.const 3)))  ;; may point past the data: zeros
    (local.set $x (f64.add (f64.const 0.25) (f64.load (local.get $p))))            ;; local.get; f64.load; f64.add
    (local.set $x (f64.mul (local.get $x) (f64.load offset=8 (i32.and (local.get $b) (i32.const 24)))))  ;; f64.load; f64.mul
    (local.set $x (f64.sub (local.get $x) (f64.load (local.get $p))))              ;; local.get; f64.load; f64.sub
    (local.set $x (f64.add (local.get $x) (f64.load (i32.shl (local.get $b) (i32.const 12)))))  ;; traps for $b ≥ 16
    (i32.wrap_i64 (i64.xor (i64.reinterpret_f64 (local.get $x)) (i64.shr_u (i64.reinterpret_f64 (local.get $x)) (i64.const 32)))))
  (func (export "exits") (param $a i32) (param $b i32) (result i32) (local $t i32)
    (block $out (result i32)
      (local.set $t (i32.add (local.get $a) (local.get $b)))
      (if (i32.gt_s (local.get $t) (i32.const 10)) (then (return (local.get $t))))  ;; local.get; return
      (br_if $out (local.get $b) (i32.eqz (local.get $a)))
      (local.set $t (i32.mul (local.get $t) (i32.const 3)))
      (br $out (local.get $t))))                                     ;; local.get; br → end; end
  (func (export "jump") (param $a i32) (param $b i32) (local $t i32)
    (block $out
      (br_if $out (i32.eqz (local.get $a)))
      (local.set $t (i32.add (local.get $a) (local.get $b)))
      (if (local.get $b) (then (br $out)))                          ;; br → end; end
      (local.set $t (i32.mul (local.get $t) (i32.const 3)))))
  (func (export "tail") (param $a i32) (param $b i32) (result i32)
    (block (result i32) (local.get $a)))                             ;; local.get; end; end
  (func (export "f64trap") (param $a i32) (param $b i32) (result i32)
    (i32.trunc_f64_s (f64.add (f64.const 1) (f64.load (local.get $a))))))         ;; traps at the load for $a > 65528
`;

// Every i32 comparison in the three branch shapes (if, and br_if after local.get or not).
const CMPS = ['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u'];
const BRANCH_WAT = `(module
  ${CMPS.map((op) => `(func (export "${op}") (param $a i32) (param $b i32) (result i32) (local $n i32) (local $s i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $n) (i32.const 6)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (local.set $s (i32.add (local.get $s)
          (if (result i32) (i32.${op} (local.get $a) (i32.const 1)) (then (i32.const 1)) (else (i32.const 16)))))  ;; local.get; i32.const; cmp; if
        (br_if $l (i32.${op} (local.get $b) (i32.const -1)))                     ;; local.get; i32.const; cmp; br_if
        (br_if $l (i32.${op} (i32.mul (local.get $s) (local.get $a)) (i32.const 17)))))  ;; i32.const; cmp; br_if
    (i32.add (i32.mul (local.get $s) (i32.const 256)) (local.get $n)))`).join('\n  ')})`;

function runAll(m: Machine, f: WasmFunction, args: number[], stepwise: boolean): { result: number; steps: number; stack: Int32Array } {
  m.start(f, args);
  if (stepwise) while (m.step() === 'paused');
  else m.run();
  expect(m.status).toBe('done');
  return { result: m.results()[0] as number, steps: m.steps, stack: m.i32.slice(0, 64) };
}

/** Runs `f` to its end (or trap), fused or one step at a time: status, steps, registers, stack. */
function outcome(m: Machine, f: WasmFunction, args: number[], stepwise: boolean, budget = Infinity) {
  m.start(f, args);
  if (stepwise) for (let k = 0; k < budget && m.step() === 'paused'; k++);
  else m.run(budget);
  return {
    status: m.status, steps: m.steps, pc: m.pc, sp: m.sp, depth: m.depth, trap: m.trap?.message,
    result: m.status === 'done' ? m.results()[0] : undefined, stack: m.i32.slice(0, 256),
  };
}

describe('superinstructions', () => {
  const instance = instantiate(parseWat(WAT));
  const shapes = instantiate(parseWat(SHAPES_WAT));
  const SHAPES = ['fib', 'loops', 'f64', 'exits', 'jump', 'tail', 'f64trap'];

  it('fuse every shape (and the i32.add forms) and leave the unfused code alone', () => {
    const fused = new Set<number>();
    const funcs = [...BINOPS.map((op) => exportedFunction(instance, op)), ...SHAPES.map((name) => exportedFunction(shapes, name))];
    for (const f of funcs) {
      const { code, fast, offsets } = (f as WasmFunction).code;
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

  const SHAPE_ARGS: [number, number][] = [[0, 0], [1, 1], [5, 3], [7, 31], [-1, 8], [6, 15], [3, 16], [65528, 0], [65529, 2], [-8, 24]];
  for (const name of SHAPES) {
    it(`${name}: run equals step by step, bit for bit, traps included`, () => {
      const f = exportedFunction(shapes, name) as WasmFunction;
      for (const [a, b] of SHAPE_ARGS) {
        const args = name === 'fib' ? [b, a & 15] : [a, b]; // fib(b, n)
        const fast = outcome(new Machine(), f, args, false);
        const slow = outcome(new Machine(), f, args, true);
        expect(fast).toEqual(slow);
      }
    });

    it(`${name}: every budget stops where the steps do`, () => {
      const f = exportedFunction(shapes, name) as WasmFunction;
      for (const [a, b] of [[5, 3], [6, 16], [65529, 0]] as const) {
        const args = name === 'fib' ? [b, a & 7] : [a, b];
        const total = outcome(new Machine(), f, args, true).steps;
        const whole = outcome(new Machine(), f, args, false);
        for (let budget = 1; budget <= total; budget++) {
          const m = new Machine();
          const fast = outcome(m, f, args, false, budget);
          expect(fast).toEqual(outcome(new Machine(), f, args, true, budget));
          // …and resuming from there finishes as a whole run does.
          if (m.status === 'paused') m.run();
          expect([m.status, m.steps, m.trap?.message]).toEqual([whole.status, whole.steps, whole.trap]);
        }
      }
    });
  }

  const branches = instantiate(parseWat(BRANCH_WAT));
  for (const op of CMPS) {
    it(`${op} in the branch shapes: run equals step by step, and every budget stops there`, () => {
      const f = exportedFunction(branches, op) as WasmFunction;
      const { code, fast } = f.code;
      expect(fast.length).toBe(code.length);
      expect([...fast]).toEqual(expect.arrayContaining([FUSED.LGET_CONST_BIN_IF, FUSED.LGET_CONST_BIN_BR_IF, FUSED.CONST_BIN_BR_IF]));
      for (const a of [-3, -2, -1, 0, 1, 2, 0x7fff_fffe, -0x8000_0000]) {
        for (const b of [-2, -1, 0, 0x7fff_ffff]) {
          expect(outcome(new Machine(), f, [a, b], false)).toEqual(outcome(new Machine(), f, [a, b], true));
        }
      }
      const total = outcome(new Machine(), f, [-2, -1], true).steps;
      for (let budget = 1; budget < total; budget++) {
        expect(outcome(new Machine(), f, [-2, -1], false, budget)).toEqual(outcome(new Machine(), f, [-2, -1], true, budget));
      }
    });
  }

  it('a fused call that overflows the call stack traps as the separate instructions do', () => {
    const f = exportedFunction(shapes, 'fib') as WasmFunction;
    const limits = limitsWith({ maxCallDepth: 6 });
    const fast = outcome(new Machine(limits), f, [0, 12], false);
    expect(fast.status).toBe('trapped');
    expect(fast).toEqual(outcome(new Machine(limits), f, [0, 12], true));
  });

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
