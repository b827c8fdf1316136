// Time travel at scale: a 10-million-step run with checkpoints, then going back one step
// from its end and from its middle. Memory is asserted (checkpoint data within its budget,
// extra heap under the 200 MB target); times are only printed — speed belongs to a
// benchmark, not to a test.
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { instantiate } from '../exec/index.ts';
import { parseWat } from '../text/index.ts';
import { Session } from './session.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

// A loop of 25 instructions per iteration with a call, a store that moves over 256 KiB
// of memory, and a global write.
const LOOP = `(module (memory 4)
  (global $g (mut i32) (i32.const 0))
  (func $f (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))
  (func (export "loop") (param $n i32) (result i32) (local $i i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (call $f (local.get $i))))
      (i32.store (i32.and (i32.shl (local.get $i) (i32.const 2)) (i32.const 0x3ffff)) (local.get $s))
      (global.set $g (local.get $i))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $s)))`;

function expected(n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s = (s + Math.imul(i, 3)) | 0;
  return s;
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
}

function heap(): number {
  gc();
  const u = process.memoryUsage();
  return u.heapUsed + u.arrayBuffers;
}

describe('10 million steps', () => {
  it('keep checkpoints bounded, and going back one step is a short replay', () => {
    const n = 400_000;
    const inst = instantiate(parseWat(LOOP));
    const before = heap();
    const s = new Session(inst, 'loop', [n]);
    let t = performance.now();
    expect(s.continue().reason).toBe('done');
    const run = performance.now() - t;
    const steps = s.stepIndex;
    expect(steps).toBe(10_000_004);
    expect(s.results()).toEqual([expected(n)]);
    const extra = heap() - before;
    const stats = s.checkpointStats();
    expect(stats.count).toBeLessThanOrEqual(1000);
    expect(stats.bytes).toBeLessThanOrEqual(64 * 1024 * 1024 + 4 * 65536);
    expect(extra).toBeLessThan(200 * 1024 * 1024);

    // Going back one step at a time from the end: the median of a few, without and with
    // the snapshot (which replays the step before once more, to tell what it did).
    const backs: number[] = [];
    const withSnapshot: number[] = [];
    for (let k = 0; k < 7; k++) {
      t = performance.now();
      s.back(1);
      backs.push(performance.now() - t);
      t = performance.now();
      s.snapshot();
      withSnapshot.push(backs[k]! + performance.now() - t);
    }
    expect(s.stepIndex).toBe(steps - 7);
    expect(s.snapshot().last!.op).toBe('i32.add');

    t = performance.now();
    s.goTo(5_000_000);
    const jump = performance.now() - t;
    t = performance.now();
    s.back(1);
    const mid = s.snapshot();
    const backInMiddle = performance.now() - t;
    expect(mid.stepIndex).toBe(4_999_999);
    // The same step reached by stepping forward from a step earlier.
    s.back(1);
    s.stepInto();
    expect(JSON.stringify(s.snapshot())).toBe(JSON.stringify(mid));
    console.log([
      `10M-step run with time travel: ${run.toFixed(0)} ms (${((run * 1e6) / steps).toFixed(1)} ns/step)`,
      `extra heap after the run: ${(extra / 1024 / 1024).toFixed(1)} MiB (checkpoints: ${stats.count}, ${(stats.bytes / 1024 / 1024).toFixed(1)} MiB counted, interval ${stats.interval})`,
      `back one step from the end: ${median(backs).toFixed(2)} ms; with its snapshot: ${median(withSnapshot).toFixed(2)} ms (medians of 7)`,
      `goTo(5,000,000): ${jump.toFixed(1)} ms; then back one step with its snapshot: ${backInMiddle.toFixed(2)} ms`,
    ].join('\n'));
  }, 120_000);
});
