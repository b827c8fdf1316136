// The operand and control stacks of the spec's validation algorithm
// (https://webassembly.github.io/spec/core/appendix/algorithm.html), over type codes from
// engine/valid/types.ts: push/pop with the polymorphic stack of unreachable code, control
// frames with their start and end types, label types, and the checks of block entry and
// exit. Both function-body validators run on it — the AST validator (code.ts), which
// reports spec-worded errors, and the in-place checker of binaries (code-bytes.ts), which
// only decides — so the algorithm is written once.
//
// It is on the checker's hot path: one class (one shape, so every call site stays
// monomorphic), typed arrays reused across functions, and no allocation per instruction.
// A pop that finds the wrong operands throws TYPE_MISMATCH before the stack pointer moves,
// so a reporter can still show the stack as it was; `expected` says what the pop wanted.
// Checks whose wording depends on the instruction return a verdict instead of throwing.

import { allMatch, matches } from './matching.ts';
import { BOT_REF, UNKNOWN, type Types, isRef, one } from './types.ts';

// Control frame kinds. The function's own frame is a block whose label is the return.
export const K_FUNC = 0;
export const K_BLOCK = 1;
export const K_LOOP = 2;
export const K_IF = 3;
export const K_ELSE = 4;

/** Thrown by a pop that finds operands of the wrong types, or none. */
export const TYPE_MISMATCH: unique symbol = Symbol('type mismatch');

export class TypeStack {
  // Operand stack.
  vals = new Int32Array(1024);
  sp = 0;

  // Control stack, one array per field of the appendix's ctrl_frame.
  depth = 0;
  kinds = new Uint8Array(64);
  heights = new Int32Array(64);
  unreachable = new Uint8Array(64);
  starts: Types[] = [];
  ends: Types[] = [];

  /** The types the pop that last threw TYPE_MISMATCH wanted; null when it wanted any one value. */
  expected: Types | null = null;

  /** Empties both stacks for the next function. */
  reset(): void {
    this.sp = 0;
    this.depth = 0;
  }

  // --- Operand stack

  push(t: number): void {
    if (this.sp === this.vals.length) this.grow(1);
    this.vals[this.sp++] = t;
  }

  pushVals(types: Types): void {
    const n = types.length;
    if (n === 0) return;
    if (this.sp + n > this.vals.length) this.grow(n);
    this.vals.set(types, this.sp);
    this.sp += n;
  }

  private grow(n: number): void {
    const bigger = new Int32Array((this.vals.length + n) * 2);
    bigger.set(this.vals);
    this.vals = bigger;
  }

  /** Pops one value of type `t` (never UNKNOWN). */
  popExpect(t: number): void {
    const top = this.depth - 1;
    if (this.sp === this.heights[top]) {
      if (this.unreachable[top] === 1) return;
      this.mismatch(one(t));
    }
    const got = this.vals[this.sp - 1]!;
    if (got !== t && !matches(got, t)) this.mismatch(one(t));
    this.sp--;
  }

  /** Pops a value of any type; UNKNOWN from the polymorphic stack of unreachable code. */
  popAny(): number {
    const top = this.depth - 1;
    if (this.sp === this.heights[top]) {
      if (this.unreachable[top] === 1) return UNKNOWN;
      this.mismatch(null);
    }
    return this.vals[--this.sp]!;
  }

  /** Pops values of `types` (the last one from the top), checking all before moving. */
  popVals(types: Types): void {
    if (types.length !== 0) this.sp -= this.peekVals(types);
  }

  /**
   * Checks that the top of the stack could be popped as `types`, without popping; returns
   * how many values of the current frame that would take (fewer than `types` only in
   * unreachable code, where the rest come from the polymorphic bottom).
   */
  peekVals(types: Types): number {
    const n = types.length;
    const top = this.depth - 1;
    const avail = this.sp - this.heights[top]!;
    const have = avail < n ? avail : n;
    if (have < n && this.unreachable[top] === 0) this.mismatch(types);
    const vals = this.vals;
    for (let i = 1; i <= have; i++) {
      const got = vals[this.sp - i]!;
      if (got !== types[n - i] && !matches(got, types[n - i]!)) this.mismatch(types);
    }
    return have;
  }

  /**
   * An instruction with a fixed signature: pops `params`, pushes `results`. Most
   * instructions are these, so the common case — every operand there, typed exactly, one
   * result — takes no detour.
   */
  apply(params: Types, results: Types): void {
    const n = params.length;
    const vals = this.vals;
    const sp = this.sp;
    if (sp - this.heights[this.depth - 1]! >= n) {
      for (let i = 1; i <= n; i++) {
        const got = vals[sp - i]!;
        if (got !== params[n - i] && !matches(got, params[n - i]!)) this.mismatch(params);
      }
      this.sp = sp - n;
    } else this.popVals(params);
    if (results.length === 1) this.push(results[0]!);
    else this.pushVals(results);
  }

  /**
   * Pops the reference ref.is_null tests; returns false, moving nothing, when the top is
   * not a reference or the frame is empty (and reachable).
   */
  popRef(): boolean {
    const top = this.depth - 1;
    if (this.sp > this.heights[top]!) {
      if (!isRef(this.vals[this.sp - 1]!)) return false;
      this.sp--;
      return true;
    }
    return this.unreachable[top] === 1;
  }

  /**
   * Pops a reference for ref.as_non_null, br_on_null, br_on_non_null, call_ref: returns its
   * type code, (ref bot) from the polymorphic stack, or -1, moving nothing, when the top is
   * not a reference or the frame is empty (and reachable).
   */
  popRefType(): number {
    const top = this.depth - 1;
    if (this.sp > this.heights[top]!) {
      const t = this.vals[this.sp - 1]!;
      if (!isRef(t)) return -1;
      this.sp--;
      return t === UNKNOWN ? BOT_REF : t;
    }
    return this.unreachable[top] === 1 ? BOT_REF : -1;
  }

  /** Everything after this in the frame is unreachable: its stack becomes polymorphic. */
  setUnreachable(): void {
    const top = this.depth - 1;
    this.sp = this.heights[top]!;
    this.unreachable[top] = 1;
  }

  private mismatch(expected: Types | null): never {
    this.expected = expected;
    throw TYPE_MISMATCH;
  }

  // --- Control stack

  /** Opens a frame over the current stack height; returns its index. */
  pushCtrl(kind: number, start: Types, end: Types): number {
    const d = this.depth;
    if (d === this.kinds.length) this.growCtrl();
    this.kinds[d] = kind;
    this.heights[d] = this.sp;
    this.unreachable[d] = 0;
    this.starts[d] = start;
    this.ends[d] = end;
    this.depth = d + 1;
    return d;
  }

  /** block, loop, if (its condition already popped): takes the parameters into a new frame. */
  enter(kind: number, params: Types, results: Types): number {
    this.popVals(params);
    const f = this.pushCtrl(kind, params, results);
    this.pushVals(params);
    return f;
  }

  private growCtrl(): void {
    const size = this.kinds.length * 2;
    const kinds = new Uint8Array(size);
    kinds.set(this.kinds);
    const unreachable = new Uint8Array(size);
    unreachable.set(this.unreachable);
    const heights = new Int32Array(size);
    heights.set(this.heights);
    this.kinds = kinds;
    this.unreachable = unreachable;
    this.heights = heights;
  }

  /** pop_ctrl's check: frame f's values are exactly its end types. */
  frameEndOk(f: number): boolean {
    const end = this.ends[f]!;
    const avail = this.sp - this.heights[f]!;
    if (avail > end.length || (avail < end.length && this.unreachable[f] === 0)) return false;
    for (let i = 1; i <= avail; i++) {
      const got = this.vals[this.sp - i]!;
      if (got !== end[end.length - i] && !matches(got, end[end.length - i]!)) return false;
    }
    return true;
  }

  /** A missing else is an empty one: an if without else must hand its parameters on as its results. */
  elseMayBeMissing(f: number): boolean {
    return this.kinds[f] !== K_IF || allMatch(this.starts[f]!, this.ends[f]!);
  }

  /** `else` of the top frame (an if whose then branch ended well): the else branch starts. */
  toElse(): void {
    const top = this.depth - 1;
    this.kinds[top] = K_ELSE;
    this.sp = this.heights[top]!;
    this.unreachable[top] = 0;
    this.pushVals(this.starts[top]!);
  }

  /** `end` of the top frame (which ended well): closes it and pushes its results. */
  popCtrl(): void {
    const top = --this.depth;
    this.sp = this.heights[top]!;
    this.pushVals(this.ends[top]!);
  }

  /** The control frame label l refers to; -1 when there is none. */
  label(l: number): number {
    return l < this.depth ? this.depth - 1 - l : -1;
  }

  /** A branch to a loop carries the loop's parameters; to anything else, its results. */
  labelTypes(f: number): Types {
    return this.kinds[f] === K_LOOP ? this.starts[f]! : this.ends[f]!;
  }

  /**
   * br_table's operands (its i32 index already popped) against `labels[0..last]`, the
   * default label last: every label must exist and carry as many values as the default,
   * and the operands must fit each label's types. Returns -1 when they do, moving on to
   * unreachable code; otherwise the position in `labels` of the first label that does not
   * exist (label(l) < 0) or carries another number of values.
   */
  brTable(labels: Uint32Array, last: number): number {
    const fDefault = this.label(labels[last]!);
    if (fDefault < 0) return last;
    const defaults = this.labelTypes(fDefault);
    for (let i = 0; i < last; i++) {
      const f = this.label(labels[i]!);
      if (f < 0) return i;
      const types = this.labelTypes(f);
      if (types.length !== defaults.length) return i;
      this.peekVals(types);
    }
    this.popVals(defaults);
    this.setUnreachable();
    return -1;
  }
}
