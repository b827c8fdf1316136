// Stepping and narrating the typed function reference instructions (call_ref,
// ref.as_non_null, br_on_null, br_on_non_null) in a session: each step is tracked like the
// 2.0 instructions (its branch, its call) and said in a sentence with its values.
import { describe as group, expect, it } from 'vitest';
import { instantiate } from '../exec/index.ts';
import { OPS_3 } from '../syntax/index.ts';
import { parseWat } from '../text/index.ts';
import { describe, narrationKind } from './narrate.ts';
import { Session } from './session.ts';

const WAT = `(module
  (type $ii (func (param i32) (result i32)))
  (func $g (type $ii) (i32.add (local.get 0) (i32.const 1)))
  (elem declare func $g)
  (func (export "f") (result i32)
    (block $n (br_on_null $n (ref.null $ii)) (drop))
    (block $nn (result (ref $ii)) (br_on_non_null $nn (ref.func $g)) (unreachable))
    (drop)
    (block $n2 (br_on_null $n2 (ref.func $g)) (drop))
    (block $nn2 (result (ref $ii)) (br_on_non_null $nn2 (ref.null $ii)) (ref.func $g))
    (drop)
    (call_ref $ii (i32.const 4) (ref.as_non_null (ref.func $g)))))`;

function steps(): Map<string, string[]> {
  const s = new Session(instantiate(parseWat(WAT)), 'f', [], { source: WAT });
  const out = new Map<string, string[]>();
  while (s.status === 'paused') {
    s.stepInto();
    const last = s.snapshot().last!;
    out.set(last.op, [...(out.get(last.op) ?? []), last.text]);
  }
  expect(s.status).toBe('done');
  return out;
}

group('typed function references in a session', () => {
  const said = steps();

  it('every typed-reference instruction that runs has a narration kind, a description, and is said here', () => {
    for (const info of OPS_3.filter((o) => o.narration !== undefined && o.proposal === 'function-references' && o.op !== 'return_call_ref')) {
      expect(narrationKind(info.op)).toBe(info.narration);
      expect(describe(info.op)).toBeDefined();
      expect(said.get(info.op)?.length ?? 0).toBeGreaterThan(0);
    }
  });

  it('says whether the branch was taken and what was called', () => {
    expect(said.get('br_on_null')).toEqual([
      'br_on_null 0: the reference was null, so it jumped to the end of block $n',
      'br_on_null 0: the reference was not null, so no branch; it stays on the stack as a non-null reference',
    ]);
    expect(said.get('br_on_non_null')?.[0]).toBe('br_on_non_null 0: the reference was not null, so it jumped to the end of block $nn');
    expect(said.get('br_on_non_null')?.[1]).toBe('br_on_non_null 0: the reference was null, so no branch; the null was dropped');
    expect(said.get('ref.as_non_null')).toEqual(['ref.as_non_null: func 0 ($g) is not null, so it pushed it back typed as a non-null reference']);
    expect(said.get('call_ref')).toEqual(['call_ref: the reference is to $g; called it with 4: a new frame starts']);
  });
});
