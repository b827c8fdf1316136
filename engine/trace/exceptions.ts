// Exception handling as a view shows it (https://webassembly.github.io/spec/core/exec/instructions.html#exec-throw-ref;
// legacy: https://github.com/WebAssembly/exception-handling/blob/main/proposals/exception-handling/legacy/Exceptions.md):
// the handlers in scope where execution stands (every enclosing try_table and try of
// every frame, innermost first, with their clauses), the exception the current
// instruction is about to throw and which clause would catch it, and, for a step that
// threw, what it threw, from where, what the unwinding popped and where it was caught.
//
// Everything is read from the machine and the handler side tables the compiler keeps
// (engine/exec/handlers.ts); the interpreter records one ThrowRecord per throw
// (Machine.lastThrow), so none of this costs anything per instruction.

import {
  type CatchEntry, ExceptionInstance, type Handler, handlerAt, type Machine, OPC, positionOf, type TagInstance, type ThrowRecord,
  type WasmFunction,
} from '../exec/index.ts';
import type { ValType } from '../syntax/index.ts';
import { analysisAt, framePosition, readFrame } from './frames.ts';
import type { Location } from './snapshot.ts';
import { valueView, type ValueView } from './value-views.ts';
import type { Viewer } from './view.ts';

/** A tag instance: its name (the text `$id`, or "tag n") and a number equal for the same tag everywhere in the process. */
export interface TagView {
  readonly id: number;
  readonly name: string;
  readonly params: readonly ValType[];
}

export interface CatchClauseView {
  /** try_table's four kinds, or the legacy `catch` / `catch_all` of a try. */
  readonly kind: 'catch' | 'catch_ref' | 'catch_all' | 'catch_all_ref';
  /** The tag it catches; null for catch_all(_ref). */
  readonly tag: TagView | null;
  /** try_table: the label index it branches to (counted outside the try_table); null for a legacy catch. */
  readonly label: number | null;
  /** Where execution goes on when it catches (a legacy catch: its first instruction). */
  readonly to: Location | null;
}

/** One handler in scope: a try_table or a try around the position of a frame. */
export interface HandlerView {
  /** The frame (0 = outermost) and its id. */
  readonly frameDepth: number;
  readonly frameId: number;
  readonly kind: 'try_table' | 'try' | 'delegate';
  /** The try_table / try instruction. */
  readonly at: Location;
  readonly clauses: readonly CatchClauseView[];
  /** delegate: its label (the search goes on outside it; past the function's label, in the caller). */
  readonly delegateLabel: number | null;
}

/** The exception the current instruction would throw (throw, throw_ref on a non-null exnref, rethrow). */
export interface PendingThrowView {
  readonly tag: TagView;
  readonly values: readonly ValueView[];
  /** The handler (index into Snapshot.handlers) and clause that would catch it; null: it would leave the traced call. */
  readonly catcher: { readonly handler: number; readonly clause: number } | null;
}

/** What a step that threw did (LastStep.exception). */
export interface ThrowView {
  readonly tag: TagView;
  readonly values: readonly ValueView[];
  /** The throwing instruction (for an exception from a host function: the call). */
  readonly thrownAt: Location;
  /** Thrown by a host function the code called, not by a wasm instruction. */
  readonly fromHost: boolean;
  /** Frames left by the unwinding, innermost first (the thrower's first when it was left too). */
  readonly framesPopped: readonly { readonly funcIndex: number; readonly funcName: string | null }[];
  /** Labels left: those of the frames popped, and in the catching frame those between the throw and the handler's target. */
  readonly labelsPopped: number;
  /** Handlers passed over (their clauses did not match, or a delegate sent it on), innermost first. */
  readonly passed: readonly { readonly funcIndex: number; readonly funcName: string | null; readonly kind: Handler['kind']; readonly at: Location }[];
  /** The catching handler and clause, and where execution went on; null when no handler caught it (the call ends with it). */
  readonly caught: {
    readonly funcIndex: number;
    readonly funcName: string | null;
    readonly handlerKind: 'try_table' | 'try';
    readonly at: Location;
    readonly clause: CatchClauseView;
    readonly clauseIndex: number;
    readonly to: Location;
  } | null;
}

const tagIds = new WeakMap<TagInstance, number>();
let nextTagId = 0;

export function tagView(tag: TagInstance): TagView {
  let id = tagIds.get(tag);
  if (id === undefined) {
    id = nextTagId++;
    tagIds.set(tag, id);
  }
  return { id, name: tag.name, params: [...tag.type.params] };
}

function exceptionValues(v: Viewer, exn: ExceptionInstance): ValueView[] {
  return exn.tag.type.params.map((t, k) => {
    const x = exn.values[k];
    const bits = exn.bits?.[k];
    switch (t) {
      case 'i32':
        return valueView({ type: t, value: x as number }, v.namer);
      case 'i64':
        return valueView({ type: t, value: x as bigint }, v.namer);
      case 'f32':
        return valueView({ type: t, value: x as number, bits: typeof bits === 'number' ? bits : new Uint32Array(Float32Array.of(x as number).buffer)[0]! }, v.namer);
      case 'f64':
        return valueView({ type: t, value: x as number, bits: typeof bits === 'bigint' ? BigInt.asUintN(64, bits) : new BigUint64Array(Float64Array.of(x as number).buffer)[0]! }, v.namer);
      case 'v128':
        return valueView({ type: t, value: x as Uint8Array }, v.namer);
      default:
        return valueView({ type: t as 'externref', value: x ?? null }, v.namer);
    }
  });
}

function locationAtPc(v: Viewer, fn: WasmFunction, pc: number): Location {
  return v.location(fn, positionOf(fn.code.offsets, pc));
}

function clauseView(v: Viewer, fn: WasmFunction, h: Handler, c: CatchEntry): CatchClauseView {
  const tag = c.tag < 0 ? undefined : fn.instance.tags[c.tag];
  return {
    kind: c.kind,
    tag: tag === undefined ? null : tagView(tag),
    label: h.kind === 'try_table' ? c.label : null,
    to: locationAtPc(v, fn, c.target),
  };
}

function handlerView(v: Viewer, fn: WasmFunction, depth: number, h: Handler): HandlerView {
  return {
    frameDepth: depth,
    frameId: v.frameId(depth),
    kind: h.kind,
    at: v.location(fn, h.position),
    clauses: h.catches.map((c) => clauseView(v, fn, h, c)),
    delegateLabel: h.kind === 'delegate' ? h.delegateLabel : null,
  };
}

/**
 * Visits the handlers a throw from the current position would meet, innermost first, in
 * the order the machine searches them (delegates followed); stops when `visit` returns true.
 */
function walk(m: Machine, visit: (fn: WasmFunction, depth: number, h: Handler) => boolean): void {
  for (let d = m.depth - 1; d >= 0; d--) {
    const fn = m.frameFn[d]!;
    const hs = fn.code.handlers;
    if (hs.length === 0) continue;
    let pc = d === m.depth - 1 ? m.pc : m.framePc[d]! - 1;
    let i = handlerAt(hs, pc);
    while (i >= 0) {
      const h = hs[i]!;
      if (visit(fn, d, h)) return;
      if (h.kind === 'delegate') {
        if (h.delegatePc < 0) break;
        pc = h.delegatePc;
        i = handlerAt(hs, pc);
      } else i = handlerAt(hs, pc, i + 1);
    }
  }
}

/** The handlers in scope at the machine's position, innermost first, across the call stack. */
export function handlersInScope(v: Viewer): HandlerView[] {
  const m = v.m;
  const out: HandlerView[] = [];
  if (m.status !== 'paused') return out;
  walk(m, (fn, d, h) => {
    out.push(handlerView(v, fn, d, h));
    return false;
  });
  return out;
}

/** Which handler (index in handlersInScope order) and clause would catch an exception of `tag` thrown here. */
export function catcherOf(m: Machine, tag: TagInstance): { handler: number; clause: number } | null {
  let found: { handler: number; clause: number } | null = null;
  let n = 0;
  walk(m, (fn, _d, h) => {
    const k = h.catches.findIndex((c) => c.tag < 0 || fn.instance.tags[c.tag] === tag);
    if (k >= 0) found = { handler: n, clause: k };
    n++;
    return k >= 0;
  });
  return found;
}

/** The exception the current instruction is about to throw, when it is a throw, a throw_ref of an exception, or a rethrow. */
export function pendingThrow(v: Viewer): PendingThrowView | null {
  const m = v.m;
  if (m.status !== 'paused' || m.fn === undefined) return null;
  const fn = m.fn;
  const code = fn.code.code;
  const op = code[m.pc];
  let exn: ExceptionInstance | undefined;
  let tag: TagInstance | undefined;
  let values: ValueView[] = [];
  if (op === OPC.THROW) {
    tag = fn.instance.tags[code[m.pc + 1]!]!;
    // The payload is the top of the stack, as the current frame's view reads it.
    const stack = v.stack(readFrame(m, m.depth - 1));
    values = stack.slice(stack.length - tag.type.params.length);
  } else if (op === OPC.THROW_REF) {
    const r = m.refs[m.sp - 1];
    if (r instanceof ExceptionInstance) exn = r;
  } else if (op === OPC.RETHROW) {
    const r = m.refs[m.fp + code[m.pc + 1]!];
    if (r instanceof ExceptionInstance) exn = r;
  }
  if (exn !== undefined) {
    tag = exn.tag;
    values = exceptionValues(v, exn);
  }
  if (tag === undefined) return null;
  return { tag: tagView(tag), values, catcher: catcherOf(m, tag) };
}

/** Labels (other than the function's) open before body position `position` of a function. */
function labelsAt(fn: WasmFunction, position: number): number {
  return analysisAt(fn, position).labels.length - 1;
}

/**
 * What the step just run threw, when it threw: `before` is the thrower's location as it
 * stood before the step (the session's Before.at).
 */
export function throwView(v: Viewer, thrownAt: Location, step: number): ThrowView | null {
  const m = v.m;
  const r: ThrowRecord | undefined = m.lastThrow;
  if (r === undefined || r.step !== step) return null;
  const framesPopped: { funcIndex: number; funcName: string | null }[] = [];
  const passed: { funcIndex: number; funcName: string | null; kind: Handler['kind']; at: Location }[] = [];
  let labelsPopped = 0;
  const catchDepth = r.caught === undefined ? -1 : r.frames[r.frames.length - 1]!.depth;
  for (const f of r.frames) {
    const pos = framePositionOf(f.fn, f.pc);
    for (const h of f.handlers) if (h.outcome !== 'caught') passed.push({ funcIndex: f.fn.index, funcName: v.funcName(f.fn), kind: h.handler.kind, at: v.location(f.fn, h.handler.position) });
    if (f.depth === catchDepth) {
      const c = r.caught!;
      labelsPopped += labelsAt(f.fn, pos) - labelsAt(f.fn, framePositionOf(f.fn, c.clause.target));
    } else {
      labelsPopped += labelsAt(f.fn, pos);
      framesPopped.push({ funcIndex: f.fn.index, funcName: v.funcName(f.fn) });
    }
  }
  let caught: ThrowView['caught'] = null;
  if (r.caught !== undefined) {
    const f = r.frames[r.frames.length - 1]!;
    const h = r.caught.handler;
    caught = {
      funcIndex: f.fn.index,
      funcName: v.funcName(f.fn),
      handlerKind: h.kind === 'try' ? 'try' : 'try_table',
      at: v.location(f.fn, h.position),
      clause: clauseView(v, f.fn, h, r.caught.clause),
      clauseIndex: r.caught.clauseIndex,
      to: v.location(m.frameFn[m.depth - 1]!, framePosition(m, m.depth - 1)),
    };
  }
  return {
    tag: tagView(r.exception.tag),
    values: exceptionValues(v, r.exception),
    thrownAt,
    fromHost: r.fromHost,
    framesPopped,
    labelsPopped,
    passed,
    caught,
  };
}

function framePositionOf(fn: WasmFunction, pc: number): number {
  return positionOf(fn.code.offsets, pc);
}
