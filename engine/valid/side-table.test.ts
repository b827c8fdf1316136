// The side table validation leaves for the interpreter (FuncInfo in engine/valid/code.ts):
// hand-checked positions, heights and arities on small functions, then the positions
// against an independent block matcher on every valid spec-suite module and on real
// compiler output (sql.js, resvg) — the latter also timed.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeModule } from '../binary/index.ts';
import type { Module } from '../syntax/index.ts';
import { parseWast, parseWat } from '../text/index.ts';
import type { FuncInfo } from './code.ts';
import { validateModule } from './validate.ts';
import { testsuiteRoot } from '../../tests/support/testsuite.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');

function funcInfo(source: string, index = 0): FuncInfo {
  return validateModule(parseWat(source)).funcs[index]!;
}

describe('side table of one function', () => {
  it('matches blocks, loops, ifs and their branches', () => {
    const f = funcInfo(`(module
      (func (param i32) (result i32)
        block (result i32)    ;; 0
          loop                ;; 1
            local.get 0       ;; 2
            br_if 0           ;; 3
          end                 ;; 4
          i32.const 7         ;; 5
          local.get 0         ;; 6
          br_if 0             ;; 7
          drop                ;; 8
          i32.const 8         ;; 9
          local.get 0         ;; 10
          if                  ;; 11
            i32.const 3       ;; 12
            br 2              ;; 13
          else                ;; 14
            nop               ;; 15
          end                 ;; 16
        end                   ;; 17
        local.get 0           ;; 18
        br_table 0 0))        ;; 19`);
    const { jump, height, arity } = f;
    expect(jump.length).toBe(21);
    expect([jump[0], jump[1], jump[4], jump[11], jump[14], jump[16], jump[17], jump[20]]).toEqual([17, 4, 1, 14, 16, 11, 0, -1]);
    // br_if 0 to the loop: back to the loop's first instruction, nothing carried.
    expect([jump[3], height[3], arity[3]]).toEqual([2, 0, 0]);
    // br_if 0 to the block: past its end, carrying its i32.
    expect([jump[7], height[7], arity[7]]).toEqual([18, 0, 1]);
    // br 2 from inside the if: the function's label, i.e. its final end.
    expect([jump[13], height[13], arity[13]]).toEqual([20, 0, 1]);
    expect(jump[19]).toBe(0);
    expect([...f.brTable]).toEqual([20, 0, 1, 20, 0, 1]);
    expect(f.maxHeight).toBe(2);
    expect(f.maxDepth).toBe(3);
  });

  it('resolves several forward branches to one block, and br_table targets', () => {
    const f = funcInfo(`(module
      (func (param i32)
        block              ;; 0
          block            ;; 1
            local.get 0    ;; 2
            br_table 0 1 0 ;; 3
            local.get 0    ;; 4
            br_if 1        ;; 5
          end              ;; 6
          local.get 0      ;; 7
          br_if 0          ;; 8
          local.get 0      ;; 9
          br_if 0          ;; 10
        end))              ;; 11`);
    expect([f.jump[0], f.jump[1], f.jump[6], f.jump[11]]).toEqual([11, 6, 1, 0]);
    expect(f.jump[3]).toBe(0);
    expect([...f.brTable]).toEqual([7, 0, 0, 12, 0, 0, 7, 0, 0]);
    expect([f.jump[5], f.jump[8], f.jump[10]]).toEqual([12, 12, 12]);
  });

  it('gives a block with parameters the height below them', () => {
    const f = funcInfo(`(module
      (type $t (func (param i32) (result i32)))
      (func (result i32)
        i32.const 1        ;; 0
        i32.const 2        ;; 1
        block (type $t)    ;; 2
          br 0             ;; 3
        end                ;; 4
        i32.add            ;; 5
        i32.const 3        ;; 6
        loop (type $t)     ;; 7
          br 0             ;; 8
        end                ;; 9
        return))           ;; 10`);
    expect([f.jump[3], f.height[3], f.arity[3]]).toEqual([5, 1, 1]);
    expect([f.jump[8], f.height[8], f.arity[8]]).toEqual([8, 1, 1]);
    expect([f.jump[10], f.height[10], f.arity[10]]).toEqual([11, 0, 1]);
    expect(f.maxHeight).toBe(2);
    expect(f.maxDepth).toBe(2);
  });
});

/**
 * Checks jump/arity/brTable of every function against a plain nesting matcher that
 * knows nothing of types except each label's arity.
 */
function checkPositions(m: Module, funcs: readonly FuncInfo[]): number {
  let checked = 0;
  m.funcs.forEach((func, fi) => {
    const info = funcs[fi]!;
    const body = func.body;
    const n = body.length;
    const endOf = new Map<number, number>();
    const elseOf = new Map<number, number>();
    const open: number[] = [];
    body.forEach((ins, i) => {
      if (ins.op === 'block' || ins.op === 'loop' || ins.op === 'if') open.push(i);
      else if (ins.op === 'else') elseOf.set(open[open.length - 1]!, i);
      else if (ins.op === 'end') endOf.set(open.pop()!, i);
    });
    const labelArity = (opener: number): number => {
      if (opener < 0) return m.types[func.type]!.type.results.length;
      const bt = body[opener]!.blockType!;
      if (bt.kind === 'empty') return 0;
      if (bt.kind === 'value') return body[opener]!.op === 'loop' ? 0 : 1;
      const t = m.types[bt.index]!.type;
      return body[opener]!.op === 'loop' ? t.params.length : t.results.length;
    };
    const target = (opener: number): number =>
      opener < 0 ? n : body[opener]!.op === 'loop' ? opener + 1 : endOf.get(opener)! + 1;
    const stack: number[] = [-1];
    body.forEach((ins, i) => {
      const frameOf = (l: number) => stack[stack.length - 1 - l]!;
      switch (ins.op) {
        case 'block':
        case 'loop':
        case 'if':
          expect(info.jump[i]).toBe(ins.op === 'if' ? (elseOf.get(i) ?? endOf.get(i)) : endOf.get(i));
          stack.push(i);
          break;
        case 'else':
          expect(info.jump[i]).toBe(endOf.get(stack[stack.length - 1]!));
          break;
        case 'end':
          expect(info.jump[i]).toBe(stack.pop());
          break;
        case 'br':
        case 'br_if':
          expect(info.jump[i]).toBe(target(frameOf(ins.index!)));
          expect(info.arity[i]).toBe(labelArity(frameOf(ins.index!)));
          break;
        case 'br_table':
          ins.labels!.forEach((l, k) => {
            expect(info.brTable[info.jump[i]! + 3 * k]).toBe(target(frameOf(l)));
            expect(info.brTable[info.jump[i]! + 3 * k + 2]).toBe(labelArity(frameOf(l)));
          });
          break;
        case 'return':
          expect(info.jump[i]).toBe(n);
          break;
      }
      checked++;
    });
    expect(info.jump[n]).toBe(-1);
  });
  return checked;
}

const suiteRoot = testsuiteRoot;
const suiteDir = path.join(suiteRoot, 'wasm-2.0');
const present = existsSync(suiteDir);

(present ? describe : describe.skip)(
  present ? 'side table on the spec suite' : `side table on the spec suite (skipped: ${suiteDir} not found; set WASM_TESTSUITE)`,
  () => {
    it('matches an independent block matcher on every valid module', () => {
      let instrs = 0;
      let modules = 0;
      for (const file of readdirSync(suiteDir).filter((f) => f.endsWith('.wast'))) {
        let commands;
        try {
          commands = parseWast(readFileSync(path.join(suiteDir, file), 'utf8'));
        } catch {
          continue;
        }
        for (const c of commands) {
          if (c.type !== 'module') continue;
          const m = c.module.kind === 'text' ? c.module.module : c.module.kind === 'binary' ? decodeModule(c.module.bytes) : undefined;
          if (!m) continue;
          instrs += checkPositions(m, validateModule(m).funcs);
          modules++;
        }
      }
      expect(modules).toBeGreaterThan(1000);
      expect(instrs).toBeGreaterThan(10000);
    });
  },
);

const binaries = [
  'node_modules/sql.js/dist/sql-wasm.wasm',
  'node_modules/@resvg/resvg-wasm/index_bg.wasm',
].map((f) => path.join(repoRoot, f));

describe('real compiler output', () => {
  it.each(binaries.filter((f) => existsSync(f)))('%s validates quickly and its side table checks out', (file) => {
    const m = decodeModule(new Uint8Array(readFileSync(file)));
    const t0 = performance.now();
    const v = validateModule(m);
    const ms = performance.now() - t0;
    console.log(`${path.basename(file)}: ${m.funcs.length} functions validated in ${ms.toFixed(0)} ms`);
    // Generous: about 40 ms on a laptop; the bound only catches an accidental slowdown.
    expect(ms).toBeLessThan(3000);
    expect(checkPositions(m, v.funcs)).toBeGreaterThan(100_000);
    for (const f of v.funcs) expect(f.maxDepth).toBeGreaterThanOrEqual(1);
  });

  it('validates 15 MB worth of code in a few seconds', () => {
    const file = binaries[1]!;
    if (!existsSync(file)) return;
    const bytes = readFileSync(file);
    const m = decodeModule(new Uint8Array(bytes));
    // The same functions again and again: calls still resolve, since indices only grow.
    const copies = Math.ceil(15_000_000 / bytes.length);
    const big: Module = { ...m, funcs: Array.from({ length: copies }, () => m.funcs).flat() };
    const t0 = performance.now();
    const v = validateModule(big);
    const ms = performance.now() - t0;
    console.log(`${copies} × ${path.basename(file)} (${(copies * bytes.length / 1e6).toFixed(1)} MB): ${v.funcs.length} functions validated in ${ms.toFixed(0)} ms`);
    expect(v.funcs.length).toBe(copies * m.funcs.length);
    expect(ms).toBeLessThan(5000);
  });
});
