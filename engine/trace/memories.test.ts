// The session over multiple memories and i64 memories (engine/trace/tracker.ts, W_MEMORY):
// writes through the MEM_* opcodes reach the checkpoints, so going back restores every
// memory, and the values those instructions push get ids like any other.
import { describe, expect, it } from 'vitest';
import { instantiate } from '../exec/index.ts';
import { parseWat } from '../text/index.ts';
import { Session } from './session.ts';

describe('stepping over other memories and i64 addresses', () => {
  it('goes back before stores, fills and grows on memory 1 and an i64 memory', () => {
    const wat = `(module (memory $a 1) (memory $b 1) (memory $c i64 1)
      (func (export "f")
        (i32.store8 $b (i32.const 5) (i32.const 7))
        (memory.fill $c (i64.const 10) (i32.const 9) (i64.const 3))
        (drop (memory.grow $b (i32.const 1)))
        (i32.store8 $b (i32.const 5) (i32.const 8))))`;
    const inst = instantiate(parseWat(wat));
    const s = new Session(inst, 'f', [], { source: wat, checkpointInterval: 2 });
    const [, b, c] = inst.mems;
    const state = () => [b!.bytes[5], c!.bytes[11], b!.pages];
    const seen: unknown[][] = [state()];
    for (let i = 0; i < 14; i++) {
      s.stepInto();
      seen.push(state());
    }
    expect(seen[seen.length - 1]).toEqual([8, 9, 2]);
    // The snapshot lists every memory with its address type.
    expect(s.snapshot().memories.map((m) => [m.index, m.pages, m.address])).toEqual([[0, 1, 'i32'], [1, 2, 'i32'], [2, 1, 'i64']]);
    for (let t = seen.length - 1; t >= 0; t--) {
      s.goTo(t);
      expect(state(), `step ${t}`).toEqual(seen[t]);
    }
  });

  it('narrates loads and stores with the memory and the i64 address they use', () => {
    const wat = `(module (memory $a 1) (memory $b i64 1)
      (func (export "f") (i64.store8 $b (i64.const 65000) (i64.const 42)) (drop (i32.load8_u $b (i64.const 65000)))))`;
    const s = new Session(instantiate(parseWat(wat)), 'f', [], { source: wat });
    const texts: string[] = [];
    for (let i = 0; i < 5; i++) {
      s.stepInto();
      texts.push(s.snapshot().last?.text ?? '');
    }
    expect(texts[2]).toBe('i64.store8 wrote 1 byte 2a at address 65000 of memory 1');
    expect(texts[4]).toMatch(/^i32\.load8_u read 1 byte 2a at address 65000 of memory 1 and pushed/);
  });
});
