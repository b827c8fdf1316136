// The read-only view of a paused machine: frames, positions, locals, typed operand stacks
// and labels, as a stepper or debugger reads them.
import { describe, expect, it } from 'vitest';
import { parseWat } from '../text/index.ts';
import { currentFrame, frames, globalValues } from './inspect.ts';
import { instantiate } from './instantiate.ts';
import { exportedFunction } from './invoke.ts';
import { Machine } from './machine.ts';

const inst = instantiate(parseWat(`(module
  (global $g (mut i64) (i64.const -5))
  (func $inner (param $x f32) (result f32)
    (f32.mul (local.get $x) (f32.const 2)))
  (func (export "outer") (param $a i32) (result f32) (local $v v128) (local $r externref)
    (i64.const 9)
    (block $b (result i32)
      (loop $l
        (local.get $a)
        (f32.const 1.5)
        (call $inner)
        (drop)
        (br $b))
      (i32.const 0))
    (drop)
    (drop)
    (f32.const 0.25)))`));

/** Steps until the current instruction has mnemonic `op` (in the given function). */
function stepTo(m: Machine, op: string, funcIndex?: number): void {
  for (let i = 0; i < 1000 && m.status === 'paused'; i++) {
    const f = currentFrame(m);
    if (f?.instr?.op === op && (funcIndex === undefined || f.funcIndex === funcIndex)) return;
    m.step();
  }
  throw new Error(`never reached ${op}`);
}

describe('inspect', () => {
  it('shows the current instruction with its source span, locals and typed stack', () => {
    const m = new Machine();
    m.start(exportedFunction(inst, 'outer'), [7]);
    stepTo(m, 'call');
    const f = currentFrame(m)!;
    expect(f.funcIndex).toBe(1);
    expect(f.instr?.op).toBe('call');
    expect(f.span?.text?.line).toBe(11);
    expect(f.locals.map((l) => l.type)).toEqual(['i32', 'v128', 'externref']);
    expect(f.locals[0]).toEqual({ type: 'i32', value: 7 });
    expect(f.locals[2]).toEqual({ type: 'externref', value: null });
    expect(f.stack).toEqual([
      { type: 'i64', value: 9n },
      { type: 'i32', value: 7 },
      { type: 'f32', value: 1.5, bits: 0x3fc0_0000 },
    ]);
    expect(f.labels.map((l) => [l.kind, l.arity, l.height])).toEqual([
      ['func', 1, 0],
      ['block', 1, 1],
      ['loop', 0, 1],
    ]);
  });

  it('shows every frame: a caller stands at its call, without the arguments it passed', () => {
    const m = new Machine();
    m.start(exportedFunction(inst, 'outer'), [7]);
    stepTo(m, 'f32.mul', 0);
    const [outer, inner] = frames(m);
    expect(outer!.instr?.op).toBe('call');
    expect(outer!.stack.map((v) => v.type)).toEqual(['i64', 'i32']);
    expect(inner!.depth).toBe(1);
    expect(inner!.locals).toEqual([{ type: 'f32', value: 1.5, bits: 0x3fc0_0000 }]);
    expect(inner!.stack.map((v) => v.type)).toEqual(['f32', 'f32']);
    expect(inner!.labels).toHaveLength(1);
  });

  it('after a branch the label is gone and the stack is cut back', () => {
    const m = new Machine();
    m.start(exportedFunction(inst, 'outer'), [7]);
    stepTo(m, 'br');
    m.step();
    const f = currentFrame(m)!;
    expect(f.labels).toHaveLength(1);
    expect(f.stack.map((v) => v.type)).toEqual(['i64', 'i32']);
    expect(f.instr?.op).toBe('drop');
  });

  it('is empty once the call is done, and globals read through the instance', () => {
    const m = new Machine();
    m.start(exportedFunction(inst, 'outer'), [7]);
    expect(m.run()).toBe('done');
    expect(frames(m)).toEqual([]);
    expect(currentFrame(m)).toBeUndefined();
    expect(m.typedResults()).toEqual([{ type: 'f32', value: 0.25, bits: 0x3e80_0000 }]);
    expect(globalValues(inst)).toEqual([{ type: 'i64', value: -5n }]);
  });

  it('at the end of an if whose else branch ends in dead code, shows the if\'s results', () => {
    const t = instantiate(parseWat(`(module
      (func (export "f") (param i32 i32) (result i32)
        (block (result i32)
          (if (result i32) (local.get 0) (then (local.get 1)) (else (br 1 (i32.const 4)))))))`));
    const m = new Machine();
    m.start(exportedFunction(t, 'f'), [1, 7]);
    stepTo(m, 'end');
    const f = currentFrame(m)!;
    expect(f.position).toBe(7);
    expect(f.stack).toEqual([{ type: 'i32', value: 7 }]);
  });

  it('a caller of call_indirect shows neither the arguments nor the table index', () => {
    const t = instantiate(parseWat(`(module
      (type $t (func (param f64) (result f64)))
      (table 1 funcref) (elem (i32.const 0) $sq)
      (func $sq (type $t) (f64.mul (local.get 0) (local.get 0)))
      (func (export "go") (result f64) (local $r f64)
        (f32.const 1) (drop) (v128.const i64x2 1 2)
        (call_indirect (type $t) (f64.const 3) (i32.const 0))
        (local.set $r) (drop) (local.get $r)))`));
    const m = new Machine();
    m.start(exportedFunction(t, 'go'), []);
    stepTo(m, 'f64.mul', 0);
    const [caller, callee] = frames(m);
    expect(caller!.instr?.op).toBe('call_indirect');
    expect(caller!.stack.map((v) => v.type)).toEqual(['v128']);
    expect(callee!.locals).toEqual([{ type: 'f64', value: 3, bits: 0x4008_0000_0000_0000n }]);
    expect(m.run()).toBe('done');
    expect(m.results()).toEqual([9]);
  });
});
