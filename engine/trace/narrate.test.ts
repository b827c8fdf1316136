// Narration and descriptions cover every WebAssembly 2.0 opcode: each instruction of
// engine/syntax/opcodes.ts is executed in a session, and the sentence said about it must
// name it and its values; every mnemonic has a one-line description.
import { describe as group, expect, it } from 'vitest';
import { instantiate, stackTypes } from '../exec/index.ts';
import { type OpInfo, OPS, OPS_3, type ValType } from '../syntax/index.ts';
import { parseWat } from '../text/index.ts';
import { describe, narrate, narrationKind } from './narrate.ts';
import { Session } from './session.ts';
import type { LastStep } from './snapshot.ts';

function operand(t: ValType, k: number, op: string): string {
  if (t === 'v128' && op.startsWith('f32x4')) return `v128.const f32x4 ${k + 1.5} 2 3 4`;
  if (t === 'v128' && op.startsWith('f64x2')) return `v128.const f64x2 ${k + 1.5} -0`;
  switch (t) {
    case 'i32': return `i32.const ${k === 0 ? 8 : 3}`;
    case 'i64': return `i64.const ${k === 0 ? 8 : 3}`;
    case 'f32': return `f32.const ${k === 0 ? 2.5 : 0.5}`;
    case 'f64': return `f64.const ${k === 0 ? 2.5 : 0.5}`;
    case 'v128': return `v128.const i32x4 ${k + 1} 2 3 4`;
    default: return `ref.null ${t === 'funcref' ? 'func' : 'extern'}`;
  }
}

function immediates(info: OpInfo): string {
  switch (info.imm) {
    case 'i32': case 'i64': return ' 7';
    case 'f32': case 'f64': return ' 1.5';
    case 'v128': return ' i32x4 1 2 3 4';
    case 'lane': case 'memarg_lane': return ' 1';
    case 'shuffle': return ' 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31';
    default: return '';
  }
}

/** A function body executing `info` once, for every instruction whose signature is fixed. */
function generic(info: OpInfo): string | undefined {
  const sig = stackTypes(info.code);
  if (sig === undefined) return undefined;
  const ops = sig.params.map((t, k) => operand(t, k, info.op));
  ops.push(`${info.op}${immediates(info)}`);
  for (const _ of sig.results) ops.push('drop');
  return `(module (memory 1) (func (export "f") ${ops.join('\n')}))`;
}

// Instructions whose signature depends on immediates or context, each in a small program.
const SPECIAL: readonly string[] = [
  '(module (func (export "f") unreachable))',
  '(module (func (export "f") nop (block $b) (loop $l)))',
  '(module (func (export "f") (i32.const 1) (if (then nop) (else nop)) (i32.const 0) (if (then nop) (else nop)) (i32.const 0) (if (then nop))))',
  '(module (func (export "f") (block $b (br $b)) (block (block (br_if 1 (i32.const 0)))) (block (br_if 0 (i32.const 1)))))',
  '(module (func (export "f") (block (block (br_table 0 1 (i32.const 1))))))',
  '(module (func (export "f") (result i32) (return (i32.const 5))))',
  '(module (func $g (param i32) (result i32) (local.get 0)) (func (export "f") (drop (call $g (i32.const 4)))))',
  '(module (type $t (func (param i32) (result i32))) (table 1 funcref) (elem (i32.const 0) $g) (func $g (type $t) (local.get 0)) (func (export "f") (drop (call_indirect (type $t) (i32.const 4) (i32.const 0)))))',
  '(module (func (export "f") (drop (i32.const 7)) (drop (select (i32.const 1) (i32.const 2) (i32.const 0))) (drop (select (result i64) (i64.const 1) (i64.const 2) (i32.const 1)))))',
  '(module (global $g (mut i32) (i32.const 3)) (func (export "f") (local $x i32) (local.set $x (i32.const 9)) (drop (local.tee $x (i32.const 8))) (drop (local.get $x)) (global.set $g (i32.const 4)) (drop (global.get $g))))',
  `(module (table $t 2 funcref) (elem $e func $h) (func $h)
    (func (export "f")
      (table.set $t (i32.const 0) (ref.func $h)) (drop (table.get $t (i32.const 0))) (drop (table.size $t))
      (drop (table.grow $t (ref.null func) (i32.const 1))) (table.fill $t (i32.const 1) (ref.null func) (i32.const 2))
      (table.copy $t $t (i32.const 1) (i32.const 0) (i32.const 1)) (table.init $t $e (i32.const 2) (i32.const 0) (i32.const 1))
      (elem.drop $e)))`,
  `(module (memory 1 2) (data $d "abc")
    (func (export "f")
      (drop (memory.size)) (drop (memory.grow (i32.const 1))) (drop (memory.grow (i32.const 5)))
      (memory.init $d (i32.const 16) (i32.const 0) (i32.const 3)) (data.drop $d)
      (memory.copy (i32.const 32) (i32.const 16) (i32.const 3)) (memory.fill (i32.const 48) (i32.const 255) (i32.const 4))
      (i32.store (i32.const 1024) (i32.const 42)) (drop (i32.add (i32.const 2) (i32.const 3)))))`,
  '(module (func $h) (elem declare func $h) (func (export "f") (drop (ref.is_null (ref.null extern))) (drop (ref.is_null (ref.func $h)))))',
];

/** Runs export "f" of each program to its end; returns every step's narration, by mnemonic. */
function narrations(programs: readonly string[]): Map<string, LastStep[]> {
  const out = new Map<string, LastStep[]>();
  for (const wat of programs) {
    const s = new Session(instantiate(parseWat(wat)), 'f', [], { source: wat });
    while (s.status === 'paused') {
      s.stepInto();
      const last = s.snapshot().last!;
      const list = out.get(last.op) ?? [];
      list.push(last);
      out.set(last.op, list);
    }
  }
  return out;
}

const programs = [...SPECIAL, ...OPS.map(generic).filter((p): p is string => p !== undefined)];
const said = narrations(programs);
const texts = (op: string): string[] => (said.get(op) ?? []).map((l) => l.text);

group('narration', () => {
  it.each(OPS.map((o) => [`${o.op} (0x${o.code.toString(16)})`, o] as const))('%s is narrated when it runs', (_, info) => {
    expect(narrationKind(info.op)).toBeDefined();
    const t = texts(info.op);
    expect(t.length).toBeGreaterThan(0);
    for (const sentence of t) {
      expect(sentence).toContain(info.op);
      expect(sentence).not.toMatch(/undefined|\?|NaN/);
    }
  });

  it('says the examples of the brief word for word', () => {
    expect(texts('i32.add')).toContain('i32.add popped 2 and 3 and pushed 5');
    expect(texts('br_if')).toContain('br_if 1: the condition was 0, so no branch');
    expect(texts('i32.store')).toContain('i32.store wrote 4 bytes 2a 00 00 00 at address 1024');
  });

  it('uses the actual values, names and outcomes', () => {
    expect(texts('br')).toContain('br 0 jumped to the end of block $b');
    expect(texts('br_if')).toContain('br_if 0: the condition was 1, so it jumped to the end of block');
    expect(texts('br_table')).toContain('br_table: the index was 1, so it took label 1 and jumped to the end of block');
    expect(texts('if')).toEqual([
      'if: the condition was 1, so the then branch runs',
      'if: the condition was 0, so the else branch runs',
      'if: the condition was 0, so the if is skipped',
    ]);
    expect(texts('call')).toContain('call $g with 4: a new frame starts');
    expect(texts('call_indirect')).toContain('call_indirect: table element 0 holds $g; called it with 4: a new frame starts');
    expect(texts('select')).toContain('select popped 1, 2 and the condition 0, and pushed 2 (the second, because the condition was 0)');
    expect(texts('local.tee')).toContain('local.tee $x stored 8 (it was 9) and left it on the stack');
    expect(texts('global.set')).toContain('global.set $g popped 4 and stored it (it was 3)');
    expect(texts('memory.grow')).toEqual([
      'memory.grow by 1 page: grew from 1 to 2 pages and pushed the old size 1',
      'memory.grow by 5 pages failed, so it pushed -1 (the size stays 2 pages)',
    ]);
    expect(texts('memory.copy')).toContain('memory.copy copied 3 bytes from address 16 to address 32');
    expect(texts('i32.lt_u')[0]).toBe('i32.lt_u popped 8 and 3 and pushed 0 (8 < 3 (unsigned) is false)');
    expect(texts('f32x4.add')[0]).toBe('f32x4.add popped f32x4 1.5 2 3 4 and f32x4 2.5 2 3 4 and pushed f32x4 4 4 6 8');
    expect(texts('f64x2.min')[0]).toBe('f64x2.min popped f64x2 1.5 -0 and f64x2 2.5 -0 and pushed f64x2 1.5 -0');
    expect(texts('i8x16.extract_lane_s')[0]).toBe('i8x16.extract_lane_s popped i8x16 1 0 0 0 2 0 0 0 3 0 0 0 4 0 0 0 and pushed 0');
    expect(texts('i64.const')).toContain('i64.const pushed 7');
    expect(texts('return')).toContain('return: returned 5 from "f": the call is done');
    expect(texts('unreachable')).toEqual(['unreachable trapped: unreachable']);
    expect(texts('v128.load8_lane')[0]).toMatch(/^v128\.load8_lane read 1 byte 00 at address 8 and pushed i32x4 /);
  });

  it('refuses to narrate what the engine does not run', () => {
    expect(narrationKind('i32.bogus')).toBeUndefined();
    expect(() => narrate({ ...said.get('nop')![0]!, op: 'struct.new' })).toThrow(/no narration/);
  });
});

group('describe', () => {
  it.each(OPS.map((o) => [o.op, o] as const))('%s has a one-line description', (_, info) => {
    const d = describe(info.op);
    expect(d).toBeDefined();
    expect(d!).toMatch(/^[A-Z].*\.$/);
    expect(d!).not.toMatch(/\n|undefined/);
  });

  it('tells instructions apart', () => {
    const names = [...new Set(OPS.map((o) => o.op))];
    const descriptions = new Set(names.map((n) => describe(n)));
    expect(descriptions.size).toBe(names.length);
    expect(describe('i32.add')).toBe('Pops two i32 values and pushes their sum, wrapping around on overflow.');
    expect(describe('i32.bogus')).toBeUndefined();
  });
});

// Relaxed SIMD (3.0) runs too: each instruction is narrated and described (with the
// deterministic choice wasmstep makes).
const RELAXED = OPS_3.filter((o) => o.proposal === 'relaxed-simd') as readonly OpInfo[];
const saidRelaxed = narrations(RELAXED.map(generic).filter((p): p is string => p !== undefined));

group('relaxed SIMD', () => {
  it.each(RELAXED.map((o) => [o.op, o] as const))('%s is narrated and described', (_, info) => {
    expect(narrationKind(info.op)).toBe('numeric');
    const t = (saidRelaxed.get(info.op) ?? []).map((l) => l.text);
    expect(t.length).toBe(1);
    expect(t[0]).toMatch(new RegExp(`^${info.op.replace('.', '\\.')} popped .* and pushed `));
    expect(t[0]).not.toMatch(/undefined|\?|NaN/);
    const d = describe(info.op);
    expect(d).toMatch(/^[A-Z].*\.$/);
  });

  it('says the deterministic result', () => {
    const t = (saidRelaxed.get('f32x4.relaxed_madd') ?? []).map((l) => l.text);
    // (k+1.5)·(k+1.5) + … for lanes 1.5·2.5 + 3.5 = 7.25, 2·2 + 2 = 6, 3·3 + 3 = 12, 4·4 + 4 = 20
    expect(t[0]).toBe('f32x4.relaxed_madd popped f32x4 1.5 2 3 4, f32x4 2.5 2 3 4 and f32x4 3.5 2 3 4 and pushed f32x4 7.25 6 12 20');
  });
});

group('table64', () => {
  it('narrates the table instructions on an i64 table', () => {
    const wat = `(module (type $v (func)) (func $h) (table $t i64 2 funcref (ref.func $h)) (elem $e func $h)
      (func (export "f")
        (drop (table.get $t (i64.const 1))) (table.set $t (i64.const 0) (ref.null func)) (drop (table.size $t))
        (drop (table.grow $t (ref.null func) (i64.const 1))) (table.fill $t (i64.const 1) (ref.func $h) (i64.const 2))
        (table.copy $t $t (i64.const 0) (i64.const 1) (i64.const 1)) (table.init $t $e (i64.const 2) (i32.const 0) (i32.const 1))
        (call_indirect $t (type $v) (i64.const 1))))`;
    const s = narrations([wat]);
    const say = (op: string) => (s.get(op) ?? []).map((l) => l.text);
    expect(say('table.size')).toEqual(['table.size: the table has 2 elements; pushed 2']);
    expect(say('table.grow')).toEqual(['table.grow by 1 element: grew from 2 to 3 elements and pushed the old size 2']);
    for (const op of ['table.get', 'table.set', 'table.fill', 'table.copy', 'table.init', 'call_indirect']) {
      expect(say(op).length, op).toBe(1);
      expect(say(op)[0], op).not.toMatch(/undefined|\?|NaN/);
    }
  });
});
