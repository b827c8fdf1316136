// Property tests of time travel on generated programs (engine/trace/test-support/programs.ts,
// fixed seeds): whatever way a step is reached — stepping, stepping over or out,
// continuing, going back, jumping — its snapshot is the same JSON; back(k) then k steps
// forward retraces the snapshots first seen; goTo(i) equals i steps from the start; the
// run ends as a plain run of the interpreter does; and the host is called exactly as
// often as in that plain run, never twice for one call.
import { describe, expect, it } from 'vitest';
import { exportedFunction, type Instance, instantiate, Machine, type MemoryInstance } from '../exec/index.ts';
import type { Module } from '../syntax/index.ts';
import { parseWat } from '../text/index.ts';
import { Session } from './session.ts';
import { fingerprint, generateProgram, hostImports, rng, type HostCounts } from './test-support/programs.ts';

const SEEDS = Array.from({ length: 40 }, (_, k) => k + 1);

function load(module: Module): { inst: Instance; counts: HostCounts } {
  const counts: HostCounts = { tick: 0, poke: 0 };
  const holder: { memory?: MemoryInstance } = {};
  const inst = instantiate(module, hostImports(counts, holder) as never);
  holder.memory = inst.exports.get('mem') as MemoryInstance;
  return { inst, counts };
}

/** The plain interpreter's run: results or trap, host calls, final memory. */
function reference(module: Module, arg: number): { status: string; results: unknown[]; trap?: string; counts: HostCounts; steps: number; memory: number[] } {
  const { inst, counts } = load(module);
  const m = new Machine();
  m.start(exportedFunction(inst, 'main'), [arg]);
  m.run();
  const mem = inst.exports.get('mem') as MemoryInstance;
  return { status: m.status, results: m.results(), trap: m.trap?.specMessage, counts: { ...counts }, steps: m.steps, memory: Array.from(mem.bytes.subarray(0, 4096)) };
}

describe.each(SEEDS)('generated program %i', (seed) => {
  const wat = generateProgram(seed);
  const module = parseWat(wat);
  const arg = seed * 7;
  const ref = reference(module, arg);

  it('every way to a step gives the same snapshot; the run and its host calls match a plain run', () => {
    const { inst, counts } = load(module);
    const s = new Session(inst, 'main', [arg], { source: wat, checkpointInterval: 1 + (seed % 5) * 13 });
    const rand = rng(seed * 1000 + 1);
    const seen = new Map<number, string>();
    let compared = 0;
    // The snapshot, and the memory's contents, which snapshots leave to memoryBytes.
    const check = (): void => {
      const size = s.snapshot().memories[0]!.byteLength;
      const json = `${JSON.stringify(s.snapshot())} ${fingerprint(s.memoryBytes(0, size))}`;
      const first = seen.get(s.stepIndex);
      if (first === undefined) seen.set(s.stepIndex, json);
      else {
        expect(json).toBe(first);
        compared++;
      }
    };
    check();
    for (let k = 0; k < 150; k++) {
      const r = rand();
      if (r < 0.35) s.stepInto();
      else if (r < 0.45) s.stepOver();
      else if (r < 0.52) s.stepOut();
      else if (r < 0.6) s.continue(1 + Math.floor(rand() * 60));
      else if (r < 0.8) s.back(1 + Math.floor(rand() * 40));
      else if (r < 0.95) s.goTo(Math.floor(rand() * (s.knownSteps + 30)));
      else if (r < 0.97) s.reset();
      else s.continue();
      check();
    }
    // back(k) then k steps forward: the snapshots first seen, in order.
    s.goTo(Math.floor(s.knownSteps / 2));
    const from = s.stepIndex;
    const forward: string[] = [];
    for (let k = 0; k < 25 && s.status === 'paused'; k++) {
      s.stepInto();
      check();
      forward.push(JSON.stringify(s.snapshot()));
    }
    s.back(forward.length);
    expect(s.stepIndex).toBe(from);
    for (const json of forward) {
      s.stepInto();
      expect(JSON.stringify(s.snapshot())).toBe(json);
    }
    s.continue();
    expect(compared).toBeGreaterThan(10);
    expect(s.status).toBe(ref.status);
    expect(s.stepIndex).toBe(ref.steps);
    if (ref.status === 'done') expect(s.results()).toEqual(ref.results);
    else expect(s.trap?.specMessage).toBe(ref.trap);
    expect(counts).toEqual(ref.counts);
    expect(s.hostCalls).toBe(ref.counts.tick + ref.counts.poke);
    expect(Array.from(s.memoryBytes(0, 4096))).toEqual(ref.memory);
    // Once more from the start: the host is still not called again.
    s.reset();
    s.continue();
    expect(counts).toEqual(ref.counts);
  });

  it('goTo(i) gives the snapshot of i steps from the start', () => {
    const stepping = new Session(load(module).inst, 'main', [arg], { source: wat });
    const jumping = new Session(load(module).inst, 'main', [arg], { source: wat, checkpointInterval: 10 });
    const rand = rng(seed * 1000 + 2);
    const limit = Math.min(ref.steps, 1500);
    const at: string[] = [JSON.stringify(stepping.snapshot())];
    while (stepping.stepIndex < limit) {
      stepping.stepInto();
      at.push(JSON.stringify(stepping.snapshot()));
    }
    for (let k = 0; k < 40; k++) {
      const i = Math.floor(rand() * (limit + 1));
      jumping.goTo(i);
      expect(jumping.stepIndex).toBe(i);
      expect(JSON.stringify(jumping.snapshot())).toBe(at[i]);
    }
  });
});
