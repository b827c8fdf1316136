// The Stepper's Exceptions panel (site/lib/stepper/render-exceptions.ts): what it lists
// about the exception in flight, read off real snapshots of the Playground's try_table
// example — the clause that would catch a pending throw, then the unwinding of the throw
// (frames and labels popped, where it was caught) — and that the model shows the panel
// only for modules that use exception handling.
import { describe, expect, it } from 'vitest';
import { instantiate, parseWat, Session, type Snapshot } from '../../engine/index.ts';
import { exampleById } from '../../site/lib/playground/examples.ts';
import { clauseText, facts } from '../../site/lib/stepper/render-exceptions.ts';

function session(): Session {
  const ex = exampleById('try_table')!;
  return new Session(instantiate(parseWat(ex.source)), ex.invoke, [20], { source: ex.source });
}

/** Steps until the current instruction would throw. */
function toThrow(s: Session): Snapshot {
  for (let i = 0; i < 200; i++) {
    const snap = s.snapshot();
    if (snap.throwing !== null) return snap;
    s.stepInto();
  }
  throw new Error('no throw');
}

const byKey = (snap: Snapshot) => Object.fromEntries(facts({ handlers: snap.handlers, throwing: snap.throwing, thrown: snap.last?.exception ?? null, radix: 'dec' }).map((f) => [f.key, f]));

describe('the Exceptions panel', () => {
  it('names the pending exception and the clause that would catch it, two frames up', () => {
    const s = session();
    const snap = toThrow(s);
    const f = byKey(snap);
    expect(f.next!.text).toBe('$too_big (200)');
    expect(f.catcher!.text).toBe('catch_ref $too_big 0 of the try_table in $counted');
    expect(f.catcher!.line).toBe(snap.handlers[snap.throwing!.catcher!.handler]!.at.text!.line);
    expect(f.tag).toBeUndefined();
    // Innermost first: $counted's try_table, then $safe_scale's.
    expect(snap.handlers.map((h) => `${h.kind} ${h.at.funcName}`)).toEqual(['try_table $counted', 'try_table $safe_scale']);
    expect(snap.handlers.map((h) => h.clauses.map(clauseText))).toEqual([['catch_ref $too_big 0'], ['catch $too_big 0']]);
  });

  it('after the throw: what was thrown where, the frames and labels popped, and the catching clause', () => {
    const s = session();
    const before = toThrow(s);
    s.stepInto();
    const f = byKey(s.snapshot());
    expect(f.tag!.text).toBe('$too_big (200)');
    expect(f.at!.text).toBe('throw in $check');
    expect(f.at!.line).toBe(before.current!.text!.line);
    expect(f.frames!.text).toBe('2: $check, $scale');
    expect(f.labels!.text).toBe(String(s.snapshot().last!.exception!.labelsPopped));
    expect(Number(f.labels!.text)).toBeGreaterThan(0);
    expect(f.passed!.text).toBe('none');
    expect(f.caught!.text).toMatch(/^catch_ref \$too_big 0 of the try_table in \$counted; goes on at /);
    expect(f.next).toBeUndefined();
  });

  it('throw_ref throws the caught exception on, to $safe_scale, and no handler leaves it uncaught without one', () => {
    const s = session();
    toThrow(s);
    s.stepInto();
    s.stepInto();
    const snap = toThrow(s);
    expect(snap.current!.op).toBe('throw_ref');
    expect(byKey(snap).catcher!.text).toBe('catch $too_big 0 of the try_table in $safe_scale');
    s.stepInto();
    const f = byKey(s.snapshot());
    expect(f.frames!.text).toBe('1: $counted');
    expect(f.at!.text).toBe('throw_ref in $counted');

    const bare = parseWat(`(module (tag $t (param i32)) (func (export "f") (throw $t (i32.const 7))))`);
    const u = new Session(instantiate(bare), 'f', []);
    u.stepInto();
    expect(byKey(u.snapshot()).catcher!.text).toBe('no handler: it would leave the call uncaught');
  });
});

describe('the Exceptions panel with legacy try', () => {
  it('lists a try with its catch clauses and a delegate, and names the legacy clause that would catch', () => {
    const src = `(module
  (tag $e (param i32))
  (tag $f)
  (func $inner
    (try
      (do (throw $e (i32.const 5)))
      (delegate 0)))
  (func (export "run") (result i32)
    (try (result i32)
      (do (call $inner) (i32.const 0))
      (catch $f (i32.const 1))
      (catch $e))))`;
    const s = new Session(instantiate(parseWat(src)), 'run', [], { source: src });
    const snap = toThrow(s);
    expect(snap.handlers.map((h) => `${h.kind} ${h.at.funcName}`)).toEqual(['delegate $inner', 'try "run"']);
    expect(snap.handlers[1]!.clauses.map(clauseText)).toEqual(['catch $f', 'catch $e']);
    const f = byKey(snap);
    expect(f.next!.text).toBe('$e (5)');
    expect(f.catcher!.text).toBe('catch $e of the try in "run"');
    s.stepInto();
    const g = byKey(s.snapshot());
    expect(g.frames!.text).toBe('1: $inner');
    expect(g.passed!.text).toMatch(/^delegate in \$inner/);
    expect(g.caught!.text).toMatch(/^catch \$e of the try in "run"; goes on at /);
  });
});
