// Exception handling in the trace model: the handlers in scope, the exception about to be
// thrown and which clause would catch it, the unwinding of a step that threw, narration,
// and time travel across a throw.

import { describe, expect, it } from 'vitest';
import { instantiate, invoke, WasmThrow } from '../exec/index.ts';
import { parseWat } from '../text/index.ts';
import { describe as describeOp, narrationKind } from './narrate.ts';
import { Session } from './session.ts';

// C++-like: main calls $outer, which has a handler for $overflow; $outer calls $middle,
// which calls $inner, which throws $overflow with 7 (no handler in $inner or $middle).
const CPP = `(module
  (tag $overflow (param i32))
  (tag $other (param i32))
  (func $inner (param $x i32) (result i32)
    (if (i32.gt_s (local.get $x) (i32.const 5))
      (then (throw $overflow (local.get $x))))
    (local.get $x))
  (func $middle (param $x i32) (result i32)
    (block $b (result i32)
      (try_table (result i32) (catch $other $b)
        (i32.add (call $inner (local.get $x)) (i32.const 1)))))
  (func $outer (export "outer") (param $x i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $overflow $h)
        (call $middle (local.get $x)))
      (return))
    (i32.const 1000)
    (i32.add)))`;

function session(wat: string, name: string, args: unknown[]): Session {
  return new Session(instantiate(parseWat(wat)), name, args, { source: wat });
}

/** Steps until the current instruction is `op` (or the call ends). */
function stepTo(s: Session, op: string): void {
  for (let i = 0; i < 1000; i++) {
    const snap = s.snapshot();
    if (snap.current?.op === op || snap.status !== 'paused') return;
    s.stepInto();
  }
}

describe('exceptions in the trace model', () => {
  it('steps from a throw two frames down to the catch in $outer', () => {
    const s = session(CPP, 'outer', [7]);
    stepTo(s, 'throw');
    const at = s.snapshot();
    expect(at.current?.funcName).toBe('$inner');
    expect(at.frameCount).toBe(3);
    // Handlers in scope: $middle's try_table (catches $other only), then $outer's.
    expect(at.handlers.map((h) => [h.kind, h.frameDepth, h.clauses.map((c) => `${c.kind} ${c.tag?.name}`)])).toEqual([
      ['try_table', 1, ['catch $other']],
      ['try_table', 0, ['catch $overflow']],
    ]);
    expect(at.throwing?.tag.name).toBe('$overflow');
    expect(at.throwing?.values.map((v) => v.text)).toEqual(['7']);
    expect(at.throwing?.catcher).toEqual({ handler: 1, clause: 0 });
    const throwStep = at.stepIndex;

    s.stepInto();
    const caught = s.snapshot();
    expect(caught.frameCount).toBe(1);
    expect(caught.current?.funcName).toBe('$outer');
    expect(caught.stack.map((v) => v.text)).toEqual(['7']);
    const e = caught.last!.exception!;
    expect(e.tag.name).toBe('$overflow');
    expect(e.thrownAt.funcName).toBe('$inner');
    expect(e.thrownAt.text?.line).toBe(6);
    expect(e.framesPopped.map((f) => f.funcName)).toEqual(['$inner', '$middle']);
    // $inner's if, $middle's block and try_table, and $outer's block and try_table.
    expect(e.labelsPopped).toBe(5);
    expect(e.passed.map((p) => `${p.kind} in ${p.funcName}`)).toEqual(['try_table in $middle']);
    expect(e.caught?.funcName).toBe('$outer');
    expect(e.caught?.clause.label).toBe(0);
    expect(caught.last!.return).toBeNull();
    expect(caught.last!.pushed.map((v) => v.text)).toEqual(['7']);
    expect(caught.last!.text).toBe(
      'throw $overflow with i32 7: no handler in $inner; no handler in $middle; caught by catch $overflow of the try_table in $outer at line 14, which pushes 7 and branches to label 0 (line 17)',
    );

    // Back from inside the handler: the thrower's state, exactly.
    s.back();
    const again = s.snapshot();
    expect(again.stepIndex).toBe(throwStep);
    expect(again).toEqual(at);
    s.continue();
    expect(s.snapshot().results?.map((v) => v.text)).toEqual(['1007']);
  });

  it('reports an uncaught exception, and the call ends with it', () => {
    const wat = `(module (tag $e (param i64)) (func (export "f") (throw $e (i64.const -3))))`;
    const s = session(wat, 'f', []);
    expect(s.snapshot().throwing).toBeNull();
    s.stepInto();
    expect(s.snapshot().throwing?.catcher).toBeNull();
    s.stepInto();
    const snap = s.snapshot();
    expect(snap.status).toBe('trapped');
    expect(snap.last?.exception?.caught).toBeNull();
    expect(snap.last?.text).toBe('throw $e with i64 -3: no handler in "f"; no handler caught it, so it leaves the call as an uncaught exception');
    expect(() => invoke(instantiate(parseWat(wat)), 'f')).toThrow(WasmThrow);
  });

  it('narrates the legacy try, catch, rethrow and delegate', () => {
    const wat = `(module
      (tag $e (param i32))
      (func (export "f") (result i32)
        (try (result i32)
          (do (try (result i32)
                (do (throw $e (i32.const 5)))
                (catch $e (rethrow 0))))
          (catch $e)))
      (func (export "g") (result i32)
        (try $t (result i32)
          (do (try (result i32) (do (throw $e (i32.const 2))) (delegate $t)))
          (catch_all (i32.const 9)))))`;
    const s = session(wat, 'f', []);
    const texts: string[] = [];
    while (s.snapshot().status === 'paused') {
      s.stepInto();
      texts.push(s.snapshot().last!.text);
    }
    expect(s.snapshot().results?.map((v) => v.text)).toEqual(['5']);
    expect(texts.slice(3, 5)).toEqual([
      'throw $e with i32 5: caught by catch $e of the try in "f" at line 5, which pushes 5 and runs its handler at line 7',
      'rethrow $e with i32 5 (the exception its catch caught): caught by catch $e of the try in "f" at line 4, which pushes 5 and runs its handler at line 8',
    ]);
    const g = session(wat, 'g', []);
    g.continue();
    expect(g.snapshot().results?.map((v) => v.text)).toEqual(['9']);
  });

  it('has a narration kind and a description for every exception-handling instruction', () => {
    for (const op of ['throw', 'throw_ref', 'try_table', 'try', 'catch', 'catch_all', 'delegate', 'rethrow']) {
      expect(narrationKind(op), op).toBe(op);
      expect(describeOp(op), op).toMatch(/\w/);
    }
  });
});
