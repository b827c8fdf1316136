// The Stepper's breakpoints as the learner sets them: on a source line (a line-number
// button in the Source view) or on one instruction (its row in the Bytes view). The
// driver hands both to the Session (engine/trace/breakpoints.ts: a line breakpoint stops on
// entering the line, an instruction breakpoint whenever that instruction is next).
//
// Both views show both kinds: a byte row is marked when its instruction has a breakpoint
// or sits on a line that has one; a line is marked fully when it has a line breakpoint or
// all its instructions have one, and "in part" when only some do. A toggle always flips what the
// learner clicked: unmarking one instruction of a line breakpoint replaces it by
// breakpoints on the line's other instructions; clicking a partly marked line clears it.

import type { Module } from '../../../engine/index.ts';

/** An instruction: function (index space) and body position (body length = the final end). */
export interface InstrRef {
  readonly funcIndex: number;
  readonly instrIndex: number;
}

export interface Breakpoints {
  /** Source lines (1-based). */
  readonly lines: ReadonlySet<number>;
  /** Instructions, as instrKey(ref). */
  readonly instrs: ReadonlySet<string>;
}

export const NO_BREAKPOINTS: Breakpoints = { lines: new Set(), instrs: new Set() };

export function instrKey(r: InstrRef): string {
  return `${r.funcIndex}:${r.instrIndex}`;
}

export function parseInstrKey(key: string): InstrRef {
  const [f, i] = key.split(':');
  return { funcIndex: Number(f), instrIndex: Number(i) };
}

function importedFuncs(module: Module): number {
  let n = 0;
  for (const i of module.imports) if (i.desc.kind === 'func') n++;
  return n;
}

/** The source line of an instruction (its function's final end at the body's length), or null. */
export function lineOfInstr(module: Module, r: InstrRef): number | null {
  const f = module.funcs[r.funcIndex - importedFuncs(module)];
  if (f === undefined) return null;
  const span = r.instrIndex < f.body.length ? f.body[r.instrIndex]?.span : f.endSpan;
  return span?.text?.line ?? null;
}

/** Every instruction on a source line, in every function (where a line breakpoint applies). */
export function instrsOnLine(module: Module, line: number): InstrRef[] {
  const imported = importedFuncs(module);
  const out: InstrRef[] = [];
  module.funcs.forEach((f, k) => {
    const funcIndex = imported + k;
    f.body.forEach((ins, instrIndex) => {
      if (ins.span.text?.line === line) out.push({ funcIndex, instrIndex });
    });
    if (f.endSpan?.text?.line === line) out.push({ funcIndex, instrIndex: f.body.length });
  });
  return out;
}

/** Whether an instruction stops: its own breakpoint, or its line's. */
export function covers(bps: Breakpoints, module: Module, r: InstrRef): boolean {
  if (bps.instrs.has(instrKey(r))) return true;
  const line = lineOfInstr(module, r);
  return line !== null && bps.lines.has(line);
}

/** How the Source view marks lines: fully (a line breakpoint, or every instruction of the line has one) or in part. */
export function lineMarks(bps: Breakpoints, module: Module | null): { full: Set<number>; part: Set<number> } {
  const full = new Set(bps.lines);
  const part = new Set<number>();
  if (module === null || bps.instrs.size === 0) return { full, part };
  const lines = new Set<number>();
  for (const key of bps.instrs) {
    const line = lineOfInstr(module, parseInstrKey(key));
    if (line !== null && !full.has(line)) lines.add(line);
  }
  for (const line of lines) {
    if (instrsOnLine(module, line).every((r) => bps.instrs.has(instrKey(r)))) full.add(line);
    else part.add(line);
  }
  return { full, part };
}

/** The line-number button: a marked line (fully or in part) is cleared, an unmarked one gets a line breakpoint. */
export function toggleLine(bps: Breakpoints, module: Module | null, line: number): Breakpoints {
  const lines = new Set(bps.lines);
  const instrs = new Set(bps.instrs);
  const onLine = module === null ? [] : instrsOnLine(module, line).map(instrKey).filter((k) => instrs.has(k));
  if (lines.has(line) || onLine.length > 0) {
    lines.delete(line);
    for (const k of onLine) instrs.delete(k);
  } else {
    lines.add(line);
  }
  return { lines, instrs };
}

/**
 * A byte row: flips whether this one instruction is marked. Unmarking an instruction that
 * stops because of its line's breakpoint turns that into breakpoints on the line's other
 * instructions.
 */
export function toggleInstr(bps: Breakpoints, module: Module, r: InstrRef): Breakpoints {
  const lines = new Set(bps.lines);
  const instrs = new Set(bps.instrs);
  const key = instrKey(r);
  if (!covers(bps, module, r)) {
    instrs.add(key);
    return { lines, instrs };
  }
  instrs.delete(key);
  const line = lineOfInstr(module, r);
  if (line !== null && lines.has(line)) {
    lines.delete(line);
    for (const other of instrsOnLine(module, line)) if (instrKey(other) !== key) instrs.add(instrKey(other));
  }
  return { lines, instrs };
}
