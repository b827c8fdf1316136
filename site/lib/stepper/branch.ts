// Where the instruction about to run would branch: for br, br_if and br_table (its default
// target, or the one its index operand picks), the label depth from the instruction's
// immediate in the module AST, and that label's target line from the snapshot. The
// Source view marks the line and the Control stack marks the label.

import type { Instr, Module, Snapshot } from '../../../engine/index.ts';

/** The instruction at a function's body position (undefined for the final end). */
export function instrAt(module: Module, funcIndex: number, instrIndex: number): Instr | undefined {
  const imported = module.imports.filter((i) => i.desc.kind === 'func').length;
  return module.funcs[funcIndex - imported]?.body[instrIndex];
}

/** The label depth the next instruction branches to, if it is a branch. */
export function nextBranchDepth(snap: Snapshot, module: Module): number | null {
  const c = snap.current;
  if (c === null) return null;
  if (c.op === 'return') return snap.labels.length - 1;
  if (c.op !== 'br' && c.op !== 'br_if' && c.op !== 'br_table') return null;
  const instr = instrAt(module, c.funcIndex, c.instrIndex);
  if (instr === undefined) return null;
  if (c.op === 'br_table') {
    const list = instr.labels ?? [];
    const top = snap.stack[snap.stack.length - 1];
    const i = top?.type === 'i32' ? top.unsigned : list.length - 1;
    return list[Math.min(i, list.length - 1)] ?? null;
  }
  return instr.index ?? null;
}

/** The source line the next branch would continue at, if known. */
export function branchTargetLine(snap: Snapshot, module: Module): number | null {
  const d = nextBranchDepth(snap, module);
  if (d === null) return null;
  return snap.labels[d]?.branchTo.text?.line ?? null;
}
