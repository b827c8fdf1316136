// The Stepper's driver (site/lib/stepper/driver.ts) against the engine's Session: its
// time-sliced step over / step out stop exactly where Session.stepOver / stepOut stop,
// line and instruction breakpoints stop a continue, and an endless loop keeps running in slices until paused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instantiate, Session, type Snapshot } from '../../engine/index.ts';
import { Driver, type Job } from '../../site/lib/stepper/driver.ts';
import { loadText } from '../../site/lib/stepper/load.ts';

const FIB = `(module
  (func $fib (export "fib") (param $n i32) (result i32)
    local.get $n
    i32.const 2
    i32.lt_s
    if (result i32)
      local.get $n
    else
      local.get $n
      i32.const 1
      i32.sub
      call $fib
      local.get $n
      i32.const 2
      i32.sub
      call $fib
      i32.add
    end))`;

const LOOP = `(module
  (func $sum (export "sum") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    block $done
      loop $next
        local.get $i
        local.get $n
        i32.ge_s
        br_if $done
        local.get $i
        i32.const 1
        i32.add
        local.tee $i
        local.get $s
        i32.add
        local.set $s
        br $next
      end
    end
    local.get $s))`;

const FOREVER = `(module (func (export "forever") (loop $l br $l)))`;

let raf: typeof globalThis.requestAnimationFrame | undefined;
beforeAll(() => {
  raf = globalThis.requestAnimationFrame;
  globalThis.requestAnimationFrame = ((cb: FrameRequestCallback) => setTimeout(() => cb(performance.now()), 0) as unknown as number);
  globalThis.cancelAnimationFrame = ((id: number) => clearTimeout(id)) as typeof globalThis.cancelAnimationFrame;
});
afterAll(() => {
  if (raf) globalThis.requestAnimationFrame = raf;
});

function setup(src: string, name: string, args: number[]) {
  const r = loadText(src);
  if (!r.ok) throw new Error(r.problem.message);
  const module = r.loaded.module;
  const session = new Session(instantiate(module), name, args, { source: src });
  let last: { snap: Snapshot; job: Job } | undefined;
  const waiters: (() => void)[] = [];
  const driver = new Driver(session, module, {
    update: (snap, job) => {
      last = { snap, job };
      if (job === null) waiters.splice(0).forEach((w) => w());
    },
    failure: (m) => {
      throw new Error(m);
    },
  });
  /** Resolves once the driver published a state with no job running. */
  const idle = () => new Promise<Snapshot>((resolve) => waiters.push(() => resolve(last!.snap)));
  const twin = new Session(instantiate(module), name, args, { source: src });
  return { session, driver, idle, twin, module, last: () => last };
}

describe('the Stepper driver', () => {
  it('steps over and out exactly like Session.stepOver / stepOut, at every step of fib(5) and sum(4)', async () => {
    for (const [src, name, args] of [[FIB, 'fib', [5]], [LOOP, 'sum', [4]]] as const) {
      const { session, driver, idle, twin } = setup(src, name, [...args]);
      for (let k = 0; k < 400 && session.status === 'paused'; k++) {
        for (const how of ['over', 'out'] as const) {
          session.goTo(k);
          if (session.status !== 'paused') break;
          twin.goTo(k);
          const expected = how === 'over' ? twin.stepOver() : twin.stepOut();
          const done = idle();
          if (how === 'over') driver.stepOver();
          else driver.stepOut();
          const snap = await done;
          expect(snap.stepIndex, `${name}: step ${how} from step ${k}`).toBe(expected.stepIndex);
        }
        session.goTo(k + 1);
      }
      expect(session.breakpoints()).toEqual([]); // the temporary breakpoints are gone
      driver.dispose();
    }
  });

  it('continue stops at a line breakpoint, on entering the line', async () => {
    const { driver, idle } = setup(LOOP, 'sum', [3]);
    driver.setLineBreakpoints(new Set([12])); // line 12: the i32.add of $i + 1
    let done = idle();
    driver.continue();
    let snap = await done;
    expect(snap.current?.text?.line).toBe(12);
    const first = snap.stepIndex;
    done = idle();
    driver.continue();
    snap = await done;
    expect(snap.current?.text?.line).toBe(12);
    expect(snap.stepIndex).toBeGreaterThan(first);
    driver.setLineBreakpoints(new Set());
    done = idle();
    driver.continue();
    snap = await done;
    expect(snap.status).toBe('done');
    expect(snap.results?.[0]?.text).toBe('6');
  });

  it('continue and run stop at an instruction breakpoint, every time it is next', async () => {
    const { driver, idle } = setup(LOOP, 'sum', [3]);
    // Body position 9: `local.tee $i` (line 13), once per turn of the loop.
    driver.setInstrBreakpoints(new Set(['0:9']));
    const stops: number[] = [];
    for (let k = 0; k < 3; k++) {
      const done = idle();
      driver.continue();
      const snap = await done;
      expect(snap.current?.instrIndex).toBe(9);
      expect(snap.current?.op).toBe('local.tee');
      stops.push(snap.stepIndex);
    }
    expect(stops[1]! - stops[0]!).toBe(stops[2]! - stops[1]!); // one turn of the loop apart
    // Play at a speed stops there too (back to the start first).
    driver.reset();
    driver.setSpeed(25);
    const done = idle();
    driver.run();
    const snap = await done;
    expect(snap.stepIndex).toBe(stops[0]);
    driver.setInstrBreakpoints(new Set());
    const end = idle();
    driver.continue();
    expect((await end).status).toBe('done');
  });

  it('runs an endless loop in slices and pauses on request', async () => {
    const { driver, session, last } = setup(FOREVER, 'forever', []);
    driver.setSpeed('max');
    driver.run();
    await new Promise((r) => setTimeout(r, 120));
    expect(driver.running).toBe('run');
    const before = session.stepIndex;
    await new Promise((r) => setTimeout(r, 60));
    expect(session.stepIndex).toBeGreaterThan(before); // still going, between slices
    driver.pause();
    const stopped = session.stepIndex;
    await new Promise((r) => setTimeout(r, 60));
    expect(session.stepIndex).toBe(stopped);
    expect(driver.running).toBe(null);
    expect(last()?.job).toBe(null);
    expect(session.status).toBe('paused');
  });

  it('steps over an endless loop without blocking, until paused', async () => {
    const { driver, session } = setup(FOREVER, 'forever', []);
    driver.stepOver(); // at `loop`: the whole loop would be one step
    await new Promise((r) => setTimeout(r, 80));
    expect(driver.running).toBe('over');
    driver.pause();
    expect(session.breakpoints()).toEqual([]);
  });
});
