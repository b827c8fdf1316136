// Tail calls in the trace: a return_call or return_call_indirect replaces the frame in
// place (it keeps its id and depth and records which function's frame it replaced), its
// narration says so, going back across one restores the replaced frame exactly, and a
// caller's frame under a replaced one still reads right when the types differ.
import { describe, expect, it } from 'vitest';
import { type Imports, instantiate } from '../exec/index.ts';
import { parseWat } from '../text/index.ts';
import { Session, type SessionOptions } from './session.ts';
import type { Snapshot } from './snapshot.ts';

function session(wat: string, name: string, args: unknown[] = [], imports: Imports = {}, options: SessionOptions = {}): Session {
  return new Session(instantiate(parseWat(wat), imports), name, args, { source: wat, ...options });
}

const EVEN_ODD = `(module
  (func $main (export "main") (param $n i64) (result i32)
    (i32.add (call $even (local.get $n)) (i32.const 100)))
  (func $even (param $n i64) (result i32)
    (if (result i32) (i64.eqz (local.get $n))
      (then (i32.const 1))
      (else (return_call $odd (i64.sub (local.get $n) (i64.const 1))))))
  (func $odd (param $n i64) (result i32)
    (if (result i32) (i64.eqz (local.get $n))
      (then (i32.const 0))
      (else (return_call $even (i64.sub (local.get $n) (i64.const 1)))))))`;

/** Steps to the end, keeping every snapshot. */
function run(s: Session): Snapshot[] {
  const snaps = [s.snapshot()];
  while (s.status === 'paused') {
    s.stepInto();
    snaps.push(s.snapshot());
  }
  return snaps;
}

describe('tail calls in a session', () => {
  it('replace the frame in place: same id and depth, another function, and a record of the replaced one', () => {
    const snaps = run(session(EVEN_ODD, 'main', [3n]));
    const tails = snaps.filter((x) => x.last?.op === 'return_call');
    expect(tails.length).toBe(3);
    const first = tails[0]!;
    const before = snaps[first.stepIndex - 1]!;
    expect(before.frames.map((f) => f.funcName)).toEqual(['$main', '$even']);
    expect(first.frames.map((f) => f.funcName)).toEqual(['$main', '$odd']);
    expect(first.frameCount).toBe(before.frameCount);
    expect(first.frames[1]!.id).toBe(before.frames[1]!.id);
    expect(first.frames[1]!.replaced).toEqual({ funcIndex: 1, funcName: '$even', step: first.stepIndex });
    expect(first.frames[1]!.locals[0]).toMatchObject({ name: '$n', signed: '2' });
    expect(first.frames[1]!.stack).toEqual([]);
    expect(first.last!.call).toMatchObject({ funcName: '$odd', host: false, frameId: before.frames[1]!.id, tail: { funcName: '$even', depth: 2 } });
    expect(first.last!.text).toBe("return_call $odd with 2: the frame of $even is replaced by a new frame for $odd (a tail call: nothing is pushed), so the call stack stays 2 frames deep");
    // The record is the latest tail call's, and the frame's first function never left a mark.
    expect(tails[2]!.frames[1]!.replaced).toMatchObject({ funcName: '$even', step: tails[2]!.stepIndex });
    expect(before.frames[1]!.replaced).toBeNull();
    const end = snaps[snaps.length - 1]!;
    expect(end.results?.map((r) => r.text)).toEqual(['100']);
    // Never more than two frames.
    expect(Math.max(...snaps.map((x) => x.frameCount))).toBe(2);
  });

  it('going back across a tail call restores the replaced frame exactly, from any checkpoint', () => {
    for (const checkpointInterval of [1, 3, 1000]) {
      const s = session(EVEN_ODD, 'main', [4n], {}, { checkpointInterval });
      const snaps = run(s);
      for (let k = snaps.length - 1; k >= 0; k--) {
        s.goTo(k);
        expect(s.snapshot(), `step ${k}`).toEqual(snaps[k]);
      }
      for (const k of [7, 2, 11, 5]) {
        s.goTo(k);
        s.back(1);
        expect(s.snapshot()).toEqual(snaps[k - 1]);
      }
    }
  });

  it('reads a caller whose callee was replaced by one of another type', () => {
    const wat = `(module
      (func $wide (param i64 i64) (result i32) (i32.wrap_i64 (i64.add (local.get 0) (local.get 1))))
      (func $narrow (param i32) (result i32) (return_call $wide (i64.const 1) (i64.extend_i32_u (local.get 0))))
      (func (export "main") (result i32) (i32.const 7) (i32.const 40) (call $narrow) (i32.add)))`;
    const snaps = run(session(wat, 'main'));
    const after = snaps.find((x) => x.last?.op === 'return_call')!;
    expect(after.frames.map((f) => f.funcName)).toEqual(['"main"', '$wide']);
    expect(after.frames[0]!.stack.map((v) => v.text)).toEqual(['7']);
    expect(after.frames[1]!.replaced?.funcName).toBe('$narrow');
    expect(snaps[snaps.length - 1]!.results?.map((r) => r.text)).toEqual(['48']);
  });

  it('narrates return_call_ref', () => {
    const wat = `(module (type $t (func (param i32) (result i32)))
      (elem declare func $inc)
      (func $inc (type $t) (i32.add (local.get 0) (i32.const 1)))
      (func (export "main") (param i32) (result i32) (return_call_ref $t (local.get 0) (ref.func $inc))))`;
    const snaps = run(session(wat, 'main', [4]));
    const tail = snaps.find((x) => x.last?.op === 'return_call_ref')!;
    expect(tail.last!.text).toBe('return_call_ref: the reference is to $inc; tail-called it with 4: the frame of "main" is replaced by a new frame for $inc (a tail call: nothing is pushed), so the call stack stays 1 frame deep');
    expect(tail.frames.map((f) => [f.funcName, f.replaced?.funcName])).toEqual([['$inc', '"main"']]);
    expect(snaps[snaps.length - 1]!.results?.map((r) => r.text)).toEqual(['5']);
  });

  it('narrates return_call_indirect and a tail call to a host function', () => {
    const wat = `(module
      (import "env" "double" (func $double (param i32) (result i32)))
      (type $t (func (param i32) (result i32)))
      (table funcref (elem $inc))
      (func $inc (param i32) (result i32) (return_call $double (i32.add (local.get 0) (i32.const 1))))
      (func (export "main") (param i32) (result i32) (return_call_indirect (type $t) (local.get 0) (i32.const 0))))`;
    const snaps = run(session(wat, 'main', [4], { env: { double: (x: unknown) => 2 * (x as number) } }));
    const texts = snaps.map((x) => x.last?.text).filter((t) => t?.startsWith('return_call'));
    expect(texts).toEqual([
      `return_call_indirect: table element 0 holds $inc; tail-called it with 4: the frame of "main" is replaced by a new frame for $inc (a tail call: nothing is pushed), so the call stack stays 1 frame deep`,
      'return_call double with 5; it is a host function, so it ran and its results return at once: returned 10 from $inc: the call is done',
    ]);
    expect(snaps[snaps.length - 1]!.status).toBe('done');
  });
});
