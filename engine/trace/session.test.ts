// The session's commands on small, known programs: stepping into, over and out of calls,
// nested blocks and recursion; breakpoints by instruction and by line; going back and
// forth (the host is never called twice, and what it wrote comes back); traps, memory
// growth, tables and globals restored; memory views; checkpoints within their budget.
import { describe, expect, it } from 'vitest';
import { type Imports, instantiate, type MemoryInstance } from '../exec/index.ts';
import { parseWat } from '../text/index.ts';
import { Session, type SessionOptions } from './session.ts';

function session(wat: string, name: string, args: unknown[] = [], imports: Imports = {}, options: SessionOptions = {}): Session {
  return new Session(instantiate(parseWat(wat), imports), name, args, { source: wat, ...options });
}

/** Steps until the current instruction is `op` (optionally in function `func`). */
function stepTo(s: Session, op: string, func?: number): void {
  for (let i = 0; i < 10_000 && s.status === 'paused'; i++) {
    const c = s.snapshot().current;
    if (c?.op === op && (func === undefined || c.funcIndex === func)) return;
    s.stepInto();
  }
  throw new Error(`never reached ${op}`);
}

// One instruction per line, so line numbers are easy to read off: line N is N-1 here.
const SQUARES = `(module
  (func $sq (param $x i32) (result i32)
    local.get $x
    local.get $x
    i32.mul)
  (func (export "main") (param $n i32) (result i32) (local $acc i32) (local $i i32)
    block $outer
      loop $l
        local.get $acc
        local.get $i
        call $sq
        i32.add
        local.set $acc
        local.get $i
        i32.const 1
        i32.add
        local.tee $i
        local.get $n
        i32.lt_u
        br_if $l
      end
    end
    local.get $acc))`;
// Lines: 7 block, 8 loop, 11 call $sq, 12 i32.add, 21 end (loop), 22 end (block), 23 local.get $acc.

const FACT = `(module
  (func $fact (export "fact") (param $n i64) (result i64)
    local.get $n
    i64.const 1
    i64.le_s
    if (result i64)
      i64.const 1
    else
      local.get $n
      local.get $n
      i64.const 1
      i64.sub
      call $fact
      i64.mul
    end))`;

describe('stepping', () => {
  it('stepInto runs one instruction; the run ends with the right result', () => {
    const s = session(SQUARES, 'main', [4]);
    expect(s.stepIndex).toBe(0);
    expect(s.status).toBe('paused');
    expect(s.stepInto()).toEqual({ reason: 'step', stepIndex: 1, breakpoint: null });
    expect(s.snapshot().current?.op).toBe('loop');
    const stop = s.continue();
    expect(stop.reason).toBe('done');
    expect(s.results()).toEqual([0 + 1 + 4 + 9]);
    expect(s.finalStep).toBe(s.stepIndex);
    expect(s.knownSteps).toBe(s.stepIndex);
  });

  it('stepOver a block runs the whole block and stops after its end', () => {
    const s = session(SQUARES, 'main', [5]);
    expect(s.snapshot().current?.op).toBe('block');
    s.stepOver();
    const snap = s.snapshot();
    expect(snap.current?.op).toBe('local.get');
    expect(snap.current?.text?.line).toBe(23);
    expect(snap.frames[0]!.locals.find((l) => l.name === '$acc')?.text).toBe(String(0 + 1 + 4 + 9 + 16));
  });

  it('stepOver a loop runs every iteration; stepOver a call returns to the next instruction', () => {
    const s = session(SQUARES, 'main', [3]);
    s.stepInto();
    expect(s.snapshot().current?.op).toBe('loop');
    s.stepOver();
    expect(s.snapshot().current?.text?.line).toBe(22);
    const t = new Session(instantiate(parseWat(SQUARES)), 'main', [3]);
    stepTo(t, 'call');
    t.stepOver();
    const snap = t.snapshot();
    expect(snap.current?.op).toBe('i32.add');
    expect(snap.frameCount).toBe(1);
    expect(snap.stack.map((v) => v.text)).toEqual(['0', '0']);
    expect(snap.last?.op).toBe('end');
    expect(snap.last?.return?.toFuncName).toBe('"main"');
  });

  it('stepOut of a function returns to the caller; of a block, leaves the block', () => {
    const s = session(SQUARES, 'main', [3]);
    stepTo(s, 'call');
    s.stepInto();
    expect(s.snapshot().frameCount).toBe(2);
    s.stepInto();
    s.stepOut();
    let snap = s.snapshot();
    expect(snap.frameCount).toBe(1);
    expect(snap.current?.op).toBe('i32.add');
    // Inside the loop: stepOut leaves the loop (after its end), then the block.
    s.stepOut();
    snap = s.snapshot();
    expect(snap.current?.text?.line).toBe(22);
    expect(snap.labels.map((l) => l.kind)).toEqual(['block', 'func']);
    s.stepOut();
    expect(s.snapshot().current?.text?.line).toBe(23);
    s.stepOut();
    expect(s.status).toBe('done');
    expect(s.results()).toEqual([5]);
  });

  it('stepOut with scope function leaves the function even inside a block', () => {
    const s = session(SQUARES, 'main', [2]);
    stepTo(s, 'i32.add');
    expect(s.stepOut('function').reason).toBe('done');
    expect(s.results()).toEqual([1]);
  });

  it('in recursion, stepOver a call stops in the same frame, and stepOut returns one level', () => {
    const s = session(FACT, 'fact', [5n]);
    stepTo(s, 'call');
    const outer = s.snapshot().frames[0]!.id;
    s.stepOver();
    let snap = s.snapshot();
    expect(snap.frameCount).toBe(1);
    expect(snap.frames[0]!.id).toBe(outer);
    expect(snap.current?.op).toBe('i64.mul');
    expect(snap.stack.map((v) => v.text)).toEqual(['5', '24']);
    // Two levels down, then out one level: lands after the call in the middle frame.
    const t = session(FACT, 'fact', [5n]);
    stepTo(t, 'call');
    t.stepInto();
    stepTo(t, 'call');
    t.stepInto();
    expect(t.snapshot().frameCount).toBe(3);
    const middle = t.snapshot().frames[1]!.id;
    t.stepOut();
    snap = t.snapshot();
    expect(snap.frameCount).toBe(2);
    expect(snap.frames[1]!.id).toBe(middle);
    expect(snap.current?.op).toBe('i64.mul');
    expect(snap.stack.map((v) => v.text)).toEqual(['4', '6']);
    expect(t.continue().reason).toBe('done');
    expect(t.results()).toEqual([120n]);
  });

  it('stepOver an if runs the branch taken', () => {
    const s = session(FACT, 'fact', [1n]);
    stepTo(s, 'if');
    s.stepOver();
    const snap = s.snapshot();
    // The if's own end is inside it: execution stops at the function's final end.
    expect(snap.current?.op).toBe('end');
    expect(snap.current?.instrIndex).toBe(13);
    expect(snap.stack.map((v) => v.text)).toEqual(['1']);
  });
});

describe('breakpoints', () => {
  it('by line: continue stops each time execution enters the line', () => {
    const s = session(SQUARES, 'main', [4]);
    const bp = s.addBreakpoint({ line: 11 });
    expect(bp.locations).toEqual([{ funcIndex: 1, instrIndex: 4 }]);
    const hits: number[] = [];
    for (;;) {
      const stop = s.continue();
      if (stop.reason !== 'breakpoint') break;
      expect(stop.breakpoint).toBe(bp.id);
      const snap = s.snapshot();
      expect(snap.current?.op).toBe('call');
      hits.push(Number(snap.stack[1]!.text));
    }
    expect(hits).toEqual([0, 1, 2, 3]);
    expect(s.results()).toEqual([14]);
  });

  it('by line on a folded expression: stops once per entry, not at each instruction of the line', () => {
    const wat = `(module
  (func (export "f") (param $n i32) (result i32) (local $i i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $i)))`;
    const s = session(wat, 'f', [3]);
    s.addBreakpoint({ line: 4 });
    let hits = 0;
    while (s.continue().reason === 'breakpoint') {
      hits++;
      expect(s.snapshot().current?.op).toBe('local.get');
    }
    expect(hits).toBe(3);
    expect(s.results()).toEqual([3]);
  });

  it('by function name and instruction index; removing it lets the run finish', () => {
    const s = session(SQUARES, 'main', [3]);
    const bp = s.addBreakpoint({ func: '$sq', instr: 2 });
    expect(bp.locations).toEqual([{ funcIndex: 0, instrIndex: 2 }]);
    expect(s.continue().reason).toBe('breakpoint');
    let snap = s.snapshot();
    expect(snap.current).toMatchObject({ funcIndex: 0, instrIndex: 2, op: 'i32.mul' });
    expect(s.continue().reason).toBe('breakpoint');
    snap = s.snapshot();
    expect(snap.stack.map((v) => v.text)).toEqual(['1', '1']);
    expect(s.removeBreakpoint(bp.id)).toBe(true);
    expect(s.breakpoints()).toEqual([]);
    expect(s.continue().reason).toBe('done');
  });

  it('by function index, at the implicit final end; an empty line resolves to nothing', () => {
    const s = session(SQUARES, 'main', [2]);
    s.addBreakpoint({ func: 1, instr: 17 });
    expect(s.addBreakpoint({ line: 1 }).locations).toEqual([]);
    expect(s.continue().reason).toBe('breakpoint');
    expect(s.snapshot().current).toMatchObject({ funcIndex: 1, instrIndex: 17, op: 'end' });
    expect(s.snapshot().stack.map((v) => v.text)).toEqual(['1']);
  });

  it('stepOver a call stops at a breakpoint inside it', () => {
    const s = session(SQUARES, 'main', [3]);
    stepTo(s, 'call');
    s.addBreakpoint({ func: '$sq', instr: 1 });
    expect(s.stepOver().reason).toBe('breakpoint');
    expect(s.snapshot().frameCount).toBe(2);
  });
});

const COUNTER = `(module
  (import "env" "tick" (func $tick (param i32) (result i32)))
  (import "env" "poke" (func $poke (param i32)))
  (memory (export "mem") 1)
  (func (export "main") (param $n i32) (result i32) (local $i i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (call $tick (local.get $i))))
      (call $poke (local.get $i))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (i32.add (local.get $s) (i32.load8_u (i32.const 3)))))`;

function counterSession(n: number, options: SessionOptions = {}): { s: Session; calls: { tick: number; poke: number }; mem: () => MemoryInstance } {
  const calls = { tick: 0, poke: 0 };
  let memory: MemoryInstance | undefined;
  const inst = instantiate(parseWat(COUNTER), {
    env: {
      tick: (x: unknown) => {
        calls.tick++;
        return (x as number) * 10 + calls.tick;
      },
      // The host writes to memory behind the interpreter's back.
      poke: (x: unknown) => {
        calls.poke++;
        memory!.bytes[x as number] = 100 + calls.poke;
      },
    },
  });
  memory = inst.exports.get('mem') as MemoryInstance;
  return { s: new Session(inst, 'main', [n], options), calls, mem: () => memory! };
}

describe('host imports', () => {
  it('are called once each, however often execution goes back and forth', () => {
    const { s, calls, mem } = counterSession(5, { checkpointInterval: 7 });
    const firstSeen = new Map<number, string>();
    while (s.status === 'paused') {
      s.stepInto();
      firstSeen.set(s.stepIndex, JSON.stringify(s.snapshot()));
    }
    const result = s.results();
    expect(calls).toEqual({ tick: 5, poke: 5 });
    expect(s.hostCalls).toBe(10);
    const end = s.stepIndex;
    const memAtEnd = Array.from(mem().bytes.subarray(0, 8));
    expect(memAtEnd).toEqual([101, 102, 103, 104, 105, 0, 0, 0]);
    for (const target of [0, end, 3, end - 1, 17, 40, 1, end, 25]) {
      s.goTo(target);
      expect(s.stepIndex).toBe(target);
      if (target > 0) expect(JSON.stringify(s.snapshot())).toBe(firstSeen.get(target));
    }
    s.goTo(end);
    expect(s.results()).toEqual(result);
    expect(Array.from(mem().bytes.subarray(0, 8))).toEqual(memAtEnd);
    expect(calls).toEqual({ tick: 5, poke: 5 });
  });

  it('what a host wrote is undone when going back before the call', () => {
    const { s, mem } = counterSession(3);
    s.continue();
    expect(Array.from(mem().bytes.subarray(0, 3))).toEqual([101, 102, 103]);
    s.reset();
    expect(Array.from(mem().bytes.subarray(0, 3))).toEqual([0, 0, 0]);
    const at = s.addBreakpoint({ line: 9 });
    expect(at.locations.length).toBeGreaterThan(0);
    expect(s.continue().reason).toBe('breakpoint');
    // Past the first poke only.
    expect(Array.from(s.memoryBytes(0, 3))).toEqual([101, 0, 0]);
  });

  it('replays host writes among NaN-patterned bytes and into memory the host grew', () => {
    let calls = 0;
    const holder: { mem?: MemoryInstance } = {};
    const inst = instantiate(parseWat(`(module
      (import "env" "w" (func $w (param i32)))
      (memory (export "mem") 1 3)
      (data (i32.const 0) "\\ff\\ff\\ff\\ff\\ff\\ff\\ff\\ff\\ff\\ff\\ff\\ff\\ff\\ff\\ff\\ff")
      (func (export "f") (result i32)
        (call $w (i32.const 5)) (call $w (i32.const 9))
        (i32.add (i32.load8_u (i32.const 5)) (i32.load8_u offset=65536 (i32.const 9)))))`), {
      env: {
        w: (at: unknown) => {
          calls++;
          const m = holder.mem!;
          if (calls === 2) m.grow(1);
          m.bytes[at as number] = 10 * calls;
          if (calls === 2) m.bytes[65536 + (at as number)] = 7;
        },
      },
    });
    holder.mem = inst.exports.get('mem') as MemoryInstance;
    const s = new Session(inst, 'f');
    s.continue();
    expect(s.results()).toEqual([10 + 7]);
    const end = s.stepIndex;
    s.reset();
    expect(holder.mem.pages).toBe(1);
    expect(Array.from(s.memoryBytes(4, 6))).toEqual([255, 255, 255, 255, 255, 255]);
    s.goTo(end);
    expect(s.results()).toEqual([17]);
    expect(Array.from(s.memoryBytes(4, 6))).toEqual([255, 10, 255, 255, 255, 20]);
    expect(s.snapshot().memories[0]!.pages).toBe(2);
    expect(calls).toBe(2);
  });

  it('a host that throws traps the call; replaying the step throws again without calling it', () => {
    let calls = 0;
    const boom = new Error('boom');
    const s = session(`(module (import "env" "f" (func $f)) (func (export "go") (call $f) (unreachable)))`, 'go', [], {
      env: { f: () => { calls++; throw boom; } },
    });
    s.continue();
    expect(s.status).toBe('trapped');
    expect(s.trap?.specMessage).toBe('host function failed: boom');
    expect(s.hostFailure).toBe(boom);
    const trapped = JSON.stringify(s.snapshot());
    expect(s.snapshot().last?.text).toBe('call trapped: host function failed: boom');
    s.back(1);
    expect(s.status).toBe('paused');
    s.stepInto();
    expect(s.status).toBe('trapped');
    expect(JSON.stringify(s.snapshot())).toBe(trapped);
    expect(calls).toBe(1);
  });

  it('status is running while a host function runs, and the session cannot be driven from there', () => {
    let seen = '';
    let error = '';
    const holder: { s?: Session } = {};
    const inst = instantiate(parseWat(`(module (import "env" "f" (func $f)) (func (export "go") (call $f)))`), {
      env: {
        f: () => {
          seen = holder.s!.status;
          try {
            holder.s!.stepInto();
          } catch (e) {
            error = (e as Error).message;
          }
        },
      },
    });
    holder.s = new Session(inst, 'go');
    holder.s.continue();
    expect(seen).toBe('running');
    expect(error).toMatch(/running/);
    expect(holder.s.status).toBe('done');
  });
});

describe('the store goes back too', () => {
  it('memory.grow is undone, with the memory contents', () => {
    const s = session(`(module (memory 1 4)
      (func (export "f") (result i32)
        (i32.store (i32.const 100) (i32.const 0x2a))
        (drop (memory.grow (i32.const 2)))
        (i32.store (i32.const 70000) (i32.const 7))
        (memory.size)))`, 'f');
    s.continue();
    expect(s.results()).toEqual([3]);
    expect(s.snapshot().memories[0]).toMatchObject({ pages: 3, maxPages: 4, byteLength: 3 * 65536 });
    expect(Array.from(s.memoryBytes(70000, 4))).toEqual([7, 0, 0, 0]);
    s.goTo(3);
    expect(s.snapshot().memories[0]!.pages).toBe(1);
    expect(Array.from(s.memoryBytes(100, 4))).toEqual([0x2a, 0, 0, 0]);
    expect(s.memoryBytes(70000, 4).length).toBe(0);
    s.continue();
    expect(s.snapshot().memories[0]!.pages).toBe(3);
    expect(Array.from(s.memoryBytes(70000, 4))).toEqual([7, 0, 0, 0]);
  });

  it('tables, globals and dropped segments come back', () => {
    const s = session(`(module
      (table $t 2 funcref)
      (global $g (mut i64) (i64.const 5))
      (memory 1)
      (data $d "hi")
      (func $a)
      (elem declare func $a)
      (func (export "f")
        (table.set $t (i32.const 1) (ref.func $a))
        (global.set $g (i64.const -9))
        (memory.init $d (i32.const 0) (i32.const 0) (i32.const 2))
        (data.drop $d)))`, 'f');
    const before = s.snapshot();
    expect(before.tables[0]!.entries.map((e) => e.text)).toEqual(['null', 'null']);
    expect(before.globals[0]!.value.text).toBe('5');
    s.continue();
    const done = s.snapshot();
    expect(done.tables[0]!.entries[1]!.text).toBe('func 0 ($a)');
    expect(done.globals[0]).toMatchObject({ name: '$g', type: 'i64', mutable: true, value: { text: '-9', signed: '-9' } });
    expect(Array.from(s.memoryBytes(0, 2))).toEqual([0x68, 0x69]);
    s.reset();
    expect(JSON.stringify(s.snapshot())).toBe(JSON.stringify(before));
    expect(Array.from(s.memoryBytes(0, 2))).toEqual([0, 0]);
    // memory.init works again: the segment is back.
    expect(s.continue().reason).toBe('done');
    expect(Array.from(s.memoryBytes(0, 2))).toEqual([0x68, 0x69]);
  });

  it('traps are states too: back(1) from a trap, forward again', () => {
    const s = session(`(module (func (export "f") (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0))))`, 'f', [0]);
    expect(s.continue().reason).toBe('trapped');
    const snap = s.snapshot();
    expect(snap.status).toBe('trapped');
    expect(snap.trap).toEqual({ message: 'integer divide by zero', funcIndex: 0, instrIndex: 2 });
    expect(snap.last?.text).toBe('i32.div_s trapped: integer divide by zero');
    expect(snap.stack.map((v) => v.text)).toEqual(['1', '0']);
    s.back(1);
    expect(s.status).toBe('paused');
    expect(s.trap).toBeUndefined();
    expect(s.stepInto().reason).toBe('trapped');
    expect(s.finalStep).toBe(3);
    expect(s.goTo(100).stepIndex).toBe(3);
  });
});

describe('memory views', () => {
  it('memoryBytes reads a range; changedSince names the pages written after a step', () => {
    const s = session(`(module (memory 2)
      (func (export "f")
        (i32.store (i32.const 5000) (i32.const -1))
        (i64.store (i32.const 70000) (i64.const 1))
        (memory.fill (i32.const 4090) (i32.const 1) (i32.const 10))))`, 'f');
    s.goTo(3);
    expect(Array.from(s.memoryBytes(5000, 4))).toEqual([255, 255, 255, 255]);
    expect(s.changedSince(0)).toEqual([{ start: 4096, end: 8192 }]);
    expect(s.changedSince(3)).toEqual([]);
    s.continue();
    expect(s.changedSince(3)).toEqual([{ start: 0, end: 8192 }, { start: 69632, end: 73728 }]);
    expect(s.changedSince(6)).toEqual([{ start: 0, end: 8192 }]);
    expect(() => s.changedSince(s.stepIndex + 1)).toThrow(RangeError);
    expect(s.memoryBytes(131070, 10).length).toBe(2);
  });
});

describe('checkpoints', () => {
  it('stay within their count, and going back still gives the snapshots first seen', () => {
    const s = session(SQUARES, 'main', [300], {}, { checkpointInterval: 16, maxCheckpoints: 8 });
    const seen = new Map<number, string>();
    while (s.status === 'paused') {
      s.stepInto();
      if (s.stepIndex % 97 === 0) seen.set(s.stepIndex, JSON.stringify(s.snapshot()));
    }
    expect(s.checkpointStats().count).toBeLessThanOrEqual(8);
    for (const [step, json] of [...seen].reverse()) {
      s.goTo(step);
      expect(JSON.stringify(s.snapshot())).toBe(json);
    }
    expect(s.checkpointStats().count).toBeLessThanOrEqual(8);
  });

  it('a byte budget makes the interval grow instead of holding every page copy', () => {
    // Each iteration rewrites one of the 16 granules of the memory: every checkpoint has its own copies.
    const wat = `(module (memory 1)
      (func (export "f") (param $n i32) (local $i i32)
        (loop $l
          (i32.store (i32.mul (i32.and (local.get $i) (i32.const 15)) (i32.const 4096)) (local.get $i))
          (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))))`;
    const s = session(wat, 'f', [3000], {}, { checkpointInterval: 8, maxCheckpointBytes: 64 * 1024 });
    s.continue();
    const stats = s.checkpointStats();
    expect(stats.interval).toBeGreaterThan(8);
    expect(stats.bytes).toBeLessThanOrEqual(64 * 1024 + 65536);
    s.goTo(500);
    // The loop body is 14 instructions; the store of i = k is done at step 14k + 8, so by
    // step 500 it has stored i = 0…35.
    expect(Array.from(s.memoryBytes(4096 * 1, 4))).toEqual([33, 0, 0, 0]);
    expect(Array.from(s.memoryBytes(4096 * 3, 4))).toEqual([35, 0, 0, 0]);
    expect(Array.from(s.memoryBytes(4096 * 4, 4))).toEqual([20, 0, 0, 0]);
  });
});

describe('edge cases', () => {
  it('an exported host function runs at once, once', () => {
    let calls = 0;
    const inst = instantiate(parseWat(`(module (import "env" "h" (func $h (param i32) (result i32))) (export "h" (func $h)))`), {
      env: { h: (x: unknown) => { calls++; return (x as number) + 1; } },
    });
    const s = new Session(inst, 'h', [41]);
    expect(s.status).toBe('done');
    expect(s.results()).toEqual([42]);
    expect(s.finalStep).toBe(0);
    expect(s.reset().reason).toBe('done');
    expect(s.snapshot()).toMatchObject({ stepIndex: 0, status: 'done', current: null, last: null, entry: { funcIndex: null, funcName: 'h' } });
    expect(calls).toBe(1);
  });

  it('commands on a finished session say so and change nothing', () => {
    const s = session(SQUARES, 'main', [1]);
    s.continue();
    const end = s.stepIndex;
    for (const stop of [s.stepInto(), s.stepOver(), s.stepOut(), s.continue()]) expect(stop).toEqual({ reason: 'done', stepIndex: end, breakpoint: null });
    expect(s.back(0).stepIndex).toBe(end);
    expect(s.goTo(-5).stepIndex).toBe(0);
  });

  it('stepOver a call_indirect returns after it; unknown arguments are rejected up front', () => {
    const s = session(`(module (type $t (func (result i32))) (table 1 funcref) (elem (i32.const 0) $k)
      (func $k (result i32) (i32.const 7) (i32.const 8) (i32.add))
      (func (export "f") (result i32) (call_indirect (type $t) (i32.const 0))))`, 'f');
    s.stepInto();
    expect(s.snapshot().current?.op).toBe('call_indirect');
    s.stepOver();
    expect(s.snapshot()).toMatchObject({ frameCount: 1, current: { op: 'end' }, stack: [{ text: '15' }] });
    expect(() => session(SQUARES, 'main', [])).toThrow(TypeError);
    expect(() => session(SQUARES, 'nope', [])).toThrow(/no exported function/);
  });
});
