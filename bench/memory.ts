// Time travel at scale: a 10-million-step traced run (engine/trace Session) — its time,
// the memory it keeps (heap and array buffers, measured after a full GC, so it needs
// `--expose-gc`: benchTimeTravel runs this file in a child process), and going back one
// step afterwards (target < 50 ms), alone and with the snapshot a view would take.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { instantiate, parseWat, Session } from '../engine/index.ts';
import { median } from './lib/stats.ts';

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

export interface TimeTravelResult {
  readonly steps: number;
  readonly runMs: number;
  /** Growth of V8's heap (heapUsed) kept by the session, after a full GC. */
  readonly heapMB: number;
  /** Growth of array-buffer memory (checkpoint pages and stacks live outside the heap). */
  readonly arrayBuffersMB: number;
  readonly checkpoints: number;
  readonly backMedianMs: number;
  readonly backWithSnapshotMedianMs: number;
}

function measure(): TimeTravelResult {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  const instance = instantiate(parseWat(LOOP));
  gc();
  const before = process.memoryUsage();
  const session = new Session(instance, 'loop', [400_000]);
  let t = performance.now();
  session.continue();
  const runMs = performance.now() - t;
  gc();
  const after = process.memoryUsage();
  const backs: number[] = [];
  const withSnapshot: number[] = [];
  for (let k = 0; k < 11; k++) {
    t = performance.now();
    session.back(1);
    const back = performance.now() - t;
    session.snapshot();
    backs.push(back);
    withSnapshot.push(performance.now() - t);
  }
  const mb = (b: number) => b / (1024 * 1024);
  return {
    steps: session.stepIndex + 11, runMs,
    heapMB: mb(after.heapUsed - before.heapUsed), arrayBuffersMB: mb(after.arrayBuffers - before.arrayBuffers),
    checkpoints: session.checkpointStats().count,
    backMedianMs: median(backs), backWithSnapshotMedianMs: median(withSnapshot),
  };
}

/** Runs the measurement in a child process with --expose-gc. */
export function benchTimeTravel(): TimeTravelResult {
  const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`time-travel benchmark failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as TimeTravelResult;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(JSON.stringify(measure()));
