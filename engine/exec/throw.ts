// Executing exception handling: the internal opcodes (engine/exec/layout.ts, 0x2D0..) the
// dispatch loop hands over, and the unwinding that finds a handler
// (https://webassembly.github.io/spec/core/exec/instructions.html#exec-throw,
// #exec-throw-ref, #exec-try-table; legacy try/catch/delegate/rethrow:
// https://github.com/WebAssembly/exception-handling/blob/main/proposals/exception-handling/legacy/Exceptions.md).
//
// A throw builds the ExceptionInstance (its payload converted from stack words to host
// values, once) and throws it as a JS exception out of the dispatch loop, which saves its
// registers; the machine then calls `unwind`, which walks the frames outwards through
// each function's handler side table (engine/exec/handlers.ts). A caught exception
// resets the stack to the handler's label, pushes the payload and continues there; an
// uncaught one leaves every frame as it was at the throw. A Trap is never caught.

import { ExceptionInstance, type TagInstance } from './exceptions.ts';
import { handlerAt, type CatchEntry, type Handler } from './handlers.ts';
import { OPC } from './layout.ts';
import type { Machine } from './machine.ts';
import type { Instance, WasmFunction } from './runtime.ts';
import { Trap } from './trap.ts';
import { hostToWords, isRef, slotsOf, wordsToHost, type HostValue } from './values.ts';

/** The trap of throw_ref on a null reference (the spec suite's wording). */
export const NULL_EXNREF = 'null exception reference';

// Scratch for float bits.
const scratch = new ArrayBuffer(8);
const s32 = new Int32Array(scratch);
const s64 = new BigInt64Array(scratch);

/** The exception `throw` raises: the tag's payload read from the top of the stack (ending at `sp`). */
export function newException(m: Machine, tag: TagInstance, sp: number): ExceptionInstance {
  const params = tag.type.params;
  let slot = sp;
  for (const t of params) slot -= slotsOf(t);
  const values: HostValue[] = [];
  let bits: (number | bigint | undefined)[] | undefined;
  for (let k = 0; k < params.length; k++) {
    const t = params[k]!;
    if (isRef(t)) values.push(m.refs[slot]);
    else {
      values.push(wordsToHost(t, m.i32, 2 * slot));
      // Floats also keep their bits: a NaN's payload must survive to the catch.
      if (t === 'f32' || t === 'f64') {
        bits ??= [];
        if (t === 'f32') bits[k] = m.i32[2 * slot]! >>> 0;
        else {
          s32[0] = m.i32[2 * slot]!;
          s32[1] = m.i32[2 * slot + 1]!;
          bits[k] = s64[0]!;
        }
      }
    }
    slot += slotsOf(t);
  }
  return new ExceptionInstance(tag, values, bits);
}

/**
 * The exception-handling opcodes, from the dispatch loop's cold path: returns the next code
 * offset, or throws (an ExceptionInstance for throw, throw_ref and rethrow; a Trap for a
 * null exnref). The stack pointer never changes here: a throw leaves its operands in place
 * for a view of the throwing instruction, and unwinding resets the stack.
 */
export function execException(m: Machine, op: number, code: Int32Array, pc: number, sp: number, fp: number, inst: Instance): number {
  switch (op) {
    case OPC.CATCH: // the try body completed: skip the handlers
    case OPC.CATCH_ALL:
      return code[pc + 1]!;
    case OPC.THROW:
      throw newException(m, inst.tags[code[pc + 1]!]!, sp);
    case OPC.THROW_REF: {
      const exn = m.refs[sp - 1];
      if (!(exn instanceof ExceptionInstance)) throw new Trap(NULL_EXNREF);
      throw exn;
    }
    case OPC.RETHROW:
      throw m.refs[fp + code[pc + 1]!] as ExceptionInstance;
    default: // TRY_TABLE, TRY, DELEGATE: no-ops
      return pc + 1;
  }
}

/** One frame the search went through, innermost first. */
export interface UnwindFrame {
  readonly fn: WasmFunction;
  /** Frame index (0 = the outermost). */
  readonly depth: number;
  /** Code offset searched from: the throwing instruction, or a call site. */
  readonly pc: number;
  /** Handlers looked at in this frame, innermost first, and what each did. */
  readonly handlers: readonly { readonly handler: Handler; readonly outcome: 'no match' | 'caught' | 'delegated' }[];
}

/** What one throw did: where it came from, the frames searched, and where it was caught. */
export interface ThrowRecord {
  readonly exception: ExceptionInstance;
  /** Machine.steps after the throwing instruction (the throw and its unwinding are one step). */
  readonly step: number;
  /** Thrown by a host function the frame's code called (or its onHostError hook), not a wasm throw. */
  readonly fromHost: boolean;
  readonly frames: readonly UnwindFrame[];
  /** The catching handler and clause; undefined when no handler caught it. */
  readonly caught: { readonly handler: Handler; readonly clause: CatchEntry; readonly clauseIndex: number } | undefined;
}

function matches(c: CatchEntry, inst: Instance, exn: ExceptionInstance): boolean {
  return c.tag < 0 || inst.tags[c.tag] === exn.tag;
}

/** Writes the payload (and, for the _ref clauses, the exnref) at slot `at`; returns the new stack pointer. */
function pushPayload(m: Machine, exn: ExceptionInstance, clause: CatchEntry, at: number): number {
  let slot = at;
  if (clause.kind === 'catch' || clause.kind === 'catch_ref') {
    const params = exn.tag.type.params;
    for (let k = 0; k < params.length; k++) {
      const t = params[k]!;
      const b = exn.bits?.[k];
      if (isRef(t)) m.refs[slot] = exn.values[k] ?? null;
      else if (typeof b === 'number') m.i32[2 * slot] = b | 0;
      else if (typeof b === 'bigint') {
        s64[0] = b;
        m.i32[2 * slot] = s32[0]!;
        m.i32[2 * slot + 1] = s32[1]!;
      } else hostToWords(t, exn.values[k], m.i32, 2 * slot);
      slot += slotsOf(t);
    }
  }
  if (clause.kind === 'catch_ref' || clause.kind === 'catch_all_ref') m.refs[slot++] = exn;
  return slot;
}

/**
 * Throws `exn` at the machine's current position (its registers as the dispatch loop left
 * them). Returns true when a handler caught it: the machine then continues there, with the
 * frames above the handler's popped. Returns false when none did, leaving the machine as it
 * was. Either way `m.lastThrow` tells what happened.
 */
export function unwind(m: Machine, exn: ExceptionInstance, fromHost: boolean): boolean {
  const frames: UnwindFrame[] = [];
  let depth = m.depth;
  let fn = m.fn;
  let pc = m.pc;
  while (fn !== undefined && depth > 0) {
    const hs = fn.code.handlers;
    const seen: { handler: Handler; outcome: 'no match' | 'caught' | 'delegated' }[] = [];
    frames.push({ fn, depth: depth - 1, pc, handlers: seen });
    let i = handlerAt(hs, pc);
    while (i >= 0) {
      const h = hs[i]!;
      if (h.kind === 'delegate') {
        seen.push({ handler: h, outcome: 'delegated' });
        if (h.delegatePc < 0) break; // to the caller
        pc = h.delegatePc;
        i = handlerAt(hs, pc);
        continue;
      }
      for (let k = 0; k < h.catches.length; k++) {
        const c = h.catches[k]!;
        if (!matches(c, fn.instance, exn)) continue;
        seen.push({ handler: h, outcome: 'caught' });
        const fp = m.frameFp[depth - 1]!;
        for (let d = depth; d < m.depth; d++) m.frameFn[d] = undefined;
        m.depth = depth;
        m.fn = fn;
        m.fp = fp;
        if (h.exnSlot >= 0) m.refs[fp + h.exnSlot] = exn;
        m.sp = pushPayload(m, exn, c, fp + c.height);
        m.pc = c.target;
        m.lastThrow = { exception: exn, step: m.steps, fromHost, frames, caught: { handler: h, clause: c, clauseIndex: k } };
        return true;
      }
      seen.push({ handler: h, outcome: 'no match' });
      i = handlerAt(hs, pc, i + 1);
    }
    depth--;
    if (depth === 0) break;
    fn = m.frameFn[depth - 1];
    pc = m.framePc[depth - 1]! - 1; // inside the call instruction (layout.ts callSite)
  }
  m.lastThrow = { exception: exn, step: m.steps, fromHost, frames, caught: undefined };
  return false;
}
