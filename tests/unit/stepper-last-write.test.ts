// The Memory view's "last write" (site/lib/stepper/last-write.ts) against the engine's
// Session: a store stays the last write while later steps touch no memory, stepping back
// before it finds the write before, and a write made in steps never shown (inside a
// Continue) turns the mark off instead of leaving it on bytes that are no longer the last.
import { describe, expect, it } from 'vitest';
import { instantiate, Session } from '../../engine/index.ts';
import { WriteLog, type LastWrite } from '../../site/lib/stepper/last-write.ts';
import { loadText } from '../../site/lib/stepper/load.ts';

// Steps: 1 i32.const 0x100, 2 i32.const 7, 3 i32.store (writes 0x100..0x103),
// 4 i32.const 1, 5 drop, 6 i32.const 0x200, 7 i32.const 9, 8 i32.store8 (writes 0x200), 9 end.
const TWO_STORES = `(module
  (memory 1)
  (func $two (export "two")
    i32.const 0x100
    i32.const 7
    i32.store
    i32.const 1
    drop
    i32.const 0x200
    i32.const 9
    i32.store8))`;

function session(): Session {
  const r = loadText(TWO_STORES);
  if (!r.ok) throw new Error(r.problem.message);
  return new Session(instantiate(r.loaded.module, {}), 'two', []);
}

/** What the model does for each snapshot it shows. */
function show(log: WriteLog, s: Session): LastWrite | null {
  const snap = s.snapshot();
  log.see(snap.stepIndex, (snap.last?.memoryWrites ?? []).filter((a) => a.memory === 0));
  return log.lastAt(snap.stepIndex, (after) => s.changedSince(after, 0).length > 0);
}

const at = (w: LastWrite | null): { address: number; length: number }[] | null =>
  w === null ? null : w.writes.map((a) => ({ address: a.address, length: a.length }));

describe('the last write to memory, step by step', () => {
  it('stays on the store while later steps do not touch memory, and moves at the next write', () => {
    const s = session();
    const log = new WriteLog();
    const seen: (ReturnType<typeof at>)[] = [at(show(log, s))];
    for (let k = 0; k < 9; k++) {
      s.stepInto();
      seen.push(at(show(log, s)));
    }
    const first = [{ address: 0x100, length: 4 }];
    const second = [{ address: 0x200, length: 1 }];
    expect(seen).toEqual([null, null, null, first, first, first, first, first, second, second]);
  });

  it('stepping back before a write finds the one before it, or none', () => {
    const s = session();
    const log = new WriteLog();
    for (let k = 0; k < 9; k++) {
      s.stepInto();
      show(log, s);
    }
    s.goTo(6);
    expect(at(show(log, s))).toEqual([{ address: 0x100, length: 4 }]);
    s.goTo(2);
    expect(at(show(log, s))).toBeNull();
  });

  it('a write in steps never shown turns the mark off rather than keep an old one', () => {
    const s = session();
    const log = new WriteLog();
    for (let k = 0; k < 4; k++) {
      s.stepInto();
      show(log, s);
    }
    // Steps 5 to 9 run in one go (as Continue does): the store8 at step 8 is never shown.
    s.continue();
    expect(s.stepIndex).toBe(9);
    expect(show(log, s)).toBeNull();
    // Back at a step the log saw with nothing written since: the store is the last write again.
    s.goTo(5);
    expect(at(show(log, s))).toEqual([{ address: 0x100, length: 4 }]);
  });
});
