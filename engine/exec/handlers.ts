// Exception handlers as a side table computed at compile time, and the unwinding that
// reads it (https://webassembly.github.io/spec/core/exec/instructions.html#xref-syntax-instructions-syntax-instr-control-mathsf-throw-ref,
// legacy: https://github.com/WebAssembly/exception-handling/blob/main/proposals/exception-handling/legacy/Exceptions.md).
//
// Code that does not throw pays nothing: `try_table`, `try` and `delegate` are no-ops in
// the code, and a function's handlers are a list of code ranges beside it. A throw leaves
// the dispatch loop as a JS exception; the machine then walks its frames from the thrower
// outwards, and in each frame looks up the handlers whose range holds the frame's position
// (the throwing instruction, or a caller's call), innermost first.
//
// - try_table: its catch clauses, in order; a match resets the operand stack to the
//   target label's height, pushes the payload (and the exnref for the _ref clauses) and
//   continues at the label's continuation.
// - legacy try with catch / catch_all: the same, but the catch body follows in place,
//   and the caught exception is kept in a hidden slot of the frame for `rethrow`.
// - legacy try … delegate l: the search goes on from inside label l's block, skipping
//   every handler in between (or from the caller when l is the function's label).

import type { FuncType, Module } from '../syntax/index.ts';
import type { ModuleTypes } from './compile.ts';

/** One catch clause, resolved for execution. */
export interface CatchEntry {
  readonly kind: 'catch' | 'catch_ref' | 'catch_all' | 'catch_all_ref';
  /** Tag index (the module's tag index space); -1 for catch_all(_ref). */
  readonly tag: number;
  /** The label the clause branches to (try_table: relative to the try_table's context); -1 for a legacy catch, which continues in place. */
  readonly label: number;
  /** Code offset to continue at (patched once a forward label's end is compiled). */
  target: number;
  /** Slot height above the frame pointer the operand stack returns to, before the payload. */
  readonly height: number;
  /** Operand count at that height (for views: the payload's values start there). */
  readonly count: number;
}

/** A region of a function's code with handlers. */
export interface Handler {
  readonly kind: 'try_table' | 'try' | 'delegate';
  /** Body position of the try_table or try instruction. */
  readonly position: number;
  /** Code offsets of the region: start inclusive (after the opening opcode), end exclusive. */
  readonly start: number;
  readonly end: number;
  readonly catches: readonly CatchEntry[];
  /** Legacy try: slot offset (from the frame pointer) keeping the caught exception; -1 otherwise. */
  readonly exnSlot: number;
  /** delegate: its label, and the code offset inside that label's block to search on from (-1: the caller). */
  readonly delegateLabel: number;
  readonly delegatePc: number;
}

export const NO_HANDLERS: readonly Handler[] = Object.freeze([]);

/** The function types of a module's tags, imports first. */
export function tagTypes(module: Module, mt: ModuleTypes): FuncType[] {
  const out: FuncType[] = [];
  for (const imp of module.imports) if (imp.desc.kind === 'tag') out.push(mt.types[imp.desc.type]!);
  for (const t of module.tags ?? []) out.push(mt.types[t.type]!);
  return out;
}

/** Index into `handlers` of the innermost handler whose region holds code offset `pc`, searching from `from`; -1 if none. */
export function handlerAt(handlers: readonly Handler[], pc: number, from = 0): number {
  // Handlers are listed as their regions close, so an inner one comes before the ones around it.
  for (let i = from; i < handlers.length; i++) {
    const h = handlers[i]!;
    if (h.start <= pc && pc < h.end) return i;
  }
  return -1;
}
