// The code layout's accessors agree with the interpreter: stepping programs through every
// kind of branch and call, each jump lands where branchTarget or the branch entry says
// (with the stack at the entry's height plus what it carries), each call enters the
// function callFunc or callType and tableIndex name and returns after instrLength words
// (callSite leads back to the call), and every other instruction moves on by instrLength.

import { describe, expect, it } from 'vitest';
import { parseWat } from '../text/index.ts';
import { positionOf } from './compile.ts';
import { instantiate } from './instantiate.ts';
import { exportedFunction } from './invoke.ts';
import {
  branchEntry, branchTarget, brTableEntry, brTableSize, callFunc, callSite, callType, entryCarry, entryHeight, entryRefs,
  entryTarget, instrLength, OPC, tableIndex,
} from './layout.ts';
import { Machine } from './machine.ts';
import { WasmFunction, type Instance } from './runtime.ts';

const WAT = `(module
  (type $none (func))                           ;; so that $un's index is not the table's
  (type $un (func (param i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $inc $twice)
  (func $inc (type $un) (i32.add (local.get 0) (i32.const 1)))
  (func $twice (type $un) (i32.mul (local.get 0) (i32.const 2)))
  (func $pick (param $i i32) (result i32)
    (block $c (result i32)
      (block $b (result i32)
        (block $a (result i32)
          (i32.const 100)                       ;; left below: every entry adjusts the stack
          (i32.const 10)
          (br_table $a $b $c (local.get $i)))
        (i32.add (i32.const 1))
        (i32.const 3)
        (br $b))                                ;; carries the 3 down over the sum
      (call_indirect (type $un) (i32.const 1))))
  (func (export "run") (param $n i32) (result i32) (local $acc i32) (local $k i32)
    (loop $top
      (block $e (br $e))                        ;; in place: a plain br
      (local.set $acc (i32.add (local.get $acc) (call $pick (local.get $k))))
      (local.set $acc (i32.add (local.get $acc)
        (block $d (result i32)
          (i32.const 5)
          (i32.const 6)
          (br_if $d (i32.and (local.get $k) (i32.const 1)))   ;; br_if with a stack adjustment
          (drop)
          (drop)
          (i32.const 7))))
      (if (i32.eqz (i32.rem_u (local.get $k) (i32.const 2)))
        (then (local.set $acc (call $inc (local.get $acc))))
        (else (local.set $acc (call_indirect (type $un) (local.get $acc) (i32.const 0)))))
      (br_if $top (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (local.get $n))))
    (local.get $acc)))`;

/** Steps `name` to its end, checking every instruction against the layout; counts what it saw. */
function stepChecked(instance: Instance, name: string, args: number[]): Map<string, number> {
  const seen = new Map<string, number>();
  const saw = (what: string) => seen.set(what, (seen.get(what) ?? 0) + 1);
  const m = new Machine();
  m.start(exportedFunction(instance, name), args);
  while (m.status === 'paused') {
    const fn = m.fn!;
    const code = fn.code.code;
    const { pc, fp, sp, depth } = m;
    const op = code[pc]!;
    const top = m.i32[2 * (sp - 1)]!;
    const next = pc + instrLength(code, pc);
    m.step();
    if (m.status !== 'paused') break;
    switch (op) {
      case OPC.BR:
      case OPC.ELSE:
        saw(op === OPC.BR ? 'br' : 'else');
        expect(m.pc).toBe(branchTarget(code, pc));
        break;
      case OPC.BR_IF:
      case OPC.IF: {
        const jumps = op === OPC.BR_IF ? top !== 0 : top === 0;
        saw(`${op === OPC.BR_IF ? 'br_if' : 'if'} ${jumps ? 'jumps' : 'falls through'}`);
        expect(m.pc).toBe(jumps ? branchTarget(code, pc) : next);
        expect(m.sp).toBe(sp - 1);
        break;
      }
      case OPC.BR_ADJ:
      case OPC.BR_IF_ADJ:
      case OPC.BR_TABLE: {
        const pops = op === OPC.BR_ADJ ? 0 : 1;
        if (op === OPC.BR_IF_ADJ && top === 0) {
          saw('br_if (adjusting) falls through');
          expect(m.pc).toBe(next);
          expect(m.sp).toBe(sp - 1);
          break;
        }
        const e = branchEntry(code, pc, top >>> 0);
        if (op === OPC.BR_TABLE) {
          saw(`br_table entry ${Math.min(top >>> 0, brTableSize(code, pc) - 1)}`);
          expect(e).toBe(brTableEntry(code, pc, top >>> 0));
        } else saw(op === OPC.BR_ADJ ? 'br (adjusting)' : 'br_if (adjusting) jumps');
        expect(m.pc).toBe(entryTarget(code, e));
        // The carried values end at the entry's height, moved down over the rest.
        expect(fp + entryHeight(code, e)).toBeLessThan(sp - pops - entryCarry(code, e));
        expect(m.sp).toBe(fp + entryHeight(code, e) + entryCarry(code, e));
        expect(entryRefs(code, e)).toBe(false);
        break;
      }
      case OPC.CALL:
      case OPC.CALL_INDIRECT: {
        const indirect = op === OPC.CALL_INDIRECT;
        saw(indirect ? 'call_indirect' : 'call');
        const inst = fn.instance;
        const callee = indirect ? inst.tables[tableIndex(code, pc)]!.elements[top >>> 0] : inst.funcs[callFunc(code, pc)];
        expect(callee).toBeInstanceOf(WasmFunction);
        if (indirect) expect((callee as WasmFunction).type).toEqual(inst.module.types[callType(code, pc)]!.type);
        expect(m.fn).toBe(callee);
        expect(m.depth).toBe(depth + 1);
        expect(m.pc).toBe(0);
        expect(m.framePc[depth - 1]).toBe(next);
        expect(positionOf(fn.code.offsets, callSite(m.framePc[depth - 1]!))).toBe(positionOf(fn.code.offsets, pc));
        break;
      }
      case OPC.RETURN:
        saw('return');
        expect(m.depth).toBe(depth - 1);
        break;
      default:
        saw('other');
        expect(m.pc).toBe(next);
    }
  }
  expect(m.status).toBe('done');
  return seen;
}

describe('code layout', () => {
  const instance = instantiate(parseWat(WAT));

  it('walks every compiled function from offset to offset by instrLength', () => {
    for (const f of instance.funcs) {
      const c = (f as WasmFunction).code;
      const starts: number[] = [];
      for (let pc = 0; pc < c.code.length; pc += instrLength(c.code, pc)) starts.push(pc);
      expect(starts).toEqual([...c.offsets]);
    }
  });

  it('says where each branch and call goes, as the interpreter goes there', () => {
    const seen = stepChecked(instance, 'run', [6]);
    for (const kind of [
      'br', 'else', 'if jumps', 'if falls through', 'br_if jumps', 'br_if falls through', 'br (adjusting)', 'br_if (adjusting) jumps',
      'br_if (adjusting) falls through', 'br_table entry 0', 'br_table entry 1', 'br_table entry 2', 'call', 'call_indirect', 'return', 'other',
    ]) expect([...seen.keys()], kind).toContain(kind);
  });
});
