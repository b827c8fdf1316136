// TypeStack on its own: the operand and control stacks of
// https://webassembly.github.io/spec/core/appendix/algorithm.html that both body
// validators run on. The validators' own tests (validate, side-table, binary, spec-suite)
// check it through them; these pin the contract they rely on.
import { describe, expect, it } from 'vitest';
import { K_BLOCK, K_FUNC, K_IF, K_LOOP, TYPE_MISMATCH, TypeStack } from './stack.ts';
import { F64, I32, I64, NO_TYPES, UNKNOWN } from './types.ts';

const types = (...t: number[]) => Int32Array.from(t);

/** A stack holding one function frame with results `results`. */
function fresh(results = NO_TYPES): TypeStack {
  const st = new TypeStack();
  st.reset();
  st.pushCtrl(K_FUNC, NO_TYPES, results);
  return st;
}

/** What `f` threw: TYPE_MISMATCH and the stack's `expected`, or the value it returned. */
function outcome(st: TypeStack, f: () => unknown): unknown {
  try {
    return f();
  } catch (e) {
    if (e !== TYPE_MISMATCH) throw e;
    return { mismatch: st.expected === null ? null : Array.from(st.expected) };
  }
}

describe('TypeStack', () => {
  it('pops what was pushed and throws TYPE_MISMATCH, without moving, at a wrong type', () => {
    const st = fresh();
    st.push(I32);
    st.push(F64);
    expect(outcome(st, () => st.popExpect(I32))).toEqual({ mismatch: [I32] });
    expect(st.sp).toBe(2);
    expect(outcome(st, () => st.popVals(types(I32, I64)))).toEqual({ mismatch: [I32, I64] });
    expect(st.sp).toBe(2);
    st.popVals(types(I32, F64));
    expect(st.sp).toBe(0);
    expect(outcome(st, () => st.popAny())).toEqual({ mismatch: null });
  });

  it('gives UNKNOWN from the polymorphic stack of unreachable code, down to the frame only', () => {
    const st = fresh();
    st.push(I64);
    st.enter(K_BLOCK, NO_TYPES, types(I32));
    st.setUnreachable();
    expect(st.popAny()).toBe(UNKNOWN);
    st.popExpect(F64);
    st.popVals(types(I32, I32, I32));
    expect(st.sp).toBe(1);
    expect(st.frameEndOk(1)).toBe(true);
    st.popCtrl();
    expect(Array.from(st.vals.subarray(0, st.sp))).toEqual([I64, I32]);
  });

  it('applies a fixed signature, on the fast path and from unreachable code', () => {
    const st = fresh();
    st.push(I32);
    st.push(I32);
    st.apply(types(I32, I32), types(I64));
    expect(Array.from(st.vals.subarray(0, st.sp))).toEqual([I64]);
    expect(outcome(st, () => st.apply(types(I32), types(I32)))).toEqual({ mismatch: [I32] });
    st.setUnreachable();
    st.apply(types(F64, F64), types(F64));
    expect(Array.from(st.vals.subarray(0, st.sp))).toEqual([F64]);
  });

  it('checks frame ends, else and the missing else', () => {
    const st = fresh();
    st.push(I32);
    const f = st.enter(K_IF, types(I32), types(I64));
    expect(st.elseMayBeMissing(f)).toBe(false);
    expect(st.frameEndOk(f)).toBe(false); // holds [i32], must end with [i64]
    st.popExpect(I32);
    st.push(I64);
    expect(st.frameEndOk(f)).toBe(true);
    st.toElse();
    expect(Array.from(st.vals.subarray(0, st.sp))).toEqual([I32]);
    expect(st.elseMayBeMissing(f)).toBe(true);
  });

  it('finds labels and their types: a loop takes its parameters, a block its results', () => {
    const st = fresh(types(F64));
    st.enter(K_LOOP, NO_TYPES, types(I32));
    st.enter(K_BLOCK, NO_TYPES, types(I64));
    expect(st.label(0)).toBe(2);
    expect(st.label(3)).toBe(-1);
    expect(Array.from(st.labelTypes(st.label(0)))).toEqual([I64]);
    expect(Array.from(st.labelTypes(st.label(1)))).toEqual([]);
    expect(Array.from(st.labelTypes(st.label(2)))).toEqual([F64]);
  });

  it('checks br_table labels: the first unknown or differently sized one, else unreachable', () => {
    const st = fresh(types(I32));
    st.enter(K_BLOCK, NO_TYPES, types(I32));
    st.enter(K_BLOCK, NO_TYPES, NO_TYPES);
    st.push(I32);
    expect(st.brTable(Uint32Array.of(0, 5, 1), 2)).toBe(0); // label 0 takes [], the default [i32]
    expect(st.brTable(Uint32Array.of(2, 5, 1), 2)).toBe(1); // label 5 does not exist
    expect(st.brTable(Uint32Array.of(5), 0)).toBe(0); // the default label does not exist
    expect(st.brTable(Uint32Array.of(2, 1), 1)).toBe(-1);
    expect(st.sp).toBe(st.heights[2]);
    expect(st.unreachable[2]).toBe(1);
  });

  it('grows both stacks past their first size', () => {
    const st = fresh();
    for (let i = 0; i < 3000; i++) st.push(i % 2 === 0 ? I32 : I64);
    for (let i = 0; i < 200; i++) st.enter(K_BLOCK, NO_TYPES, NO_TYPES);
    expect(st.depth).toBe(201);
    expect(st.sp).toBe(3000);
    for (let i = 0; i < 200; i++) st.popCtrl();
    st.popVals(types(I32, I64));
    expect(st.sp).toBe(2998);
  });
});
