// The snapshot: everything a view shows about one step of a traced call, as plain JSON
// (no bigint — i64 values are decimal strings —, no typed arrays, no cycles), so it can
// cross a worker boundary, be stored, or be compared with deep equality. docs/TRACE.md
// documents every field with an example.
//
// It follows the spec's runtime structure (https://webassembly.github.io/spec/core/exec/runtime.html):
// the frames of the call stack with their locals, operand values and labels, the store's
// globals, tables and memories, plus where execution stands and what the last instruction
// did. A snapshot depends only on the step index: going back and forth gives equal
// snapshots (how far execution has been explored is the session's business, not the
// snapshot's). Frames and operand values carry stable ids (a frame's id is the step that created
// it; a value's id is the step that pushed it and its position), so a view can key its
// joins on them and animate pushes and pops without jitter.

import type { ValType } from '../syntax/index.ts';
import { handlersInScope, pendingThrow, type HandlerView, type PendingThrowView, type ThrowView } from './exceptions.ts';
import type { ValueView } from './value-views.ts';
import type { Viewer } from './view.ts';

export const SNAPSHOT_VERSION = 1;

export interface TextSpanView {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  /** UTF-16 offsets into the source, [start, end). */
  readonly start: number;
  readonly end: number;
}

export interface ByteSpanView {
  readonly offset: number;
  readonly length: number;
}

/** An instruction of a function: where execution stands, or what ran. */
export interface Location {
  readonly funcIndex: number;
  readonly funcName: string | null;
  /** Body position; body length for the function's implicit final `end`. */
  readonly instrIndex: number;
  readonly op: string;
  readonly text: TextSpanView | null;
  readonly bytes: ByteSpanView | null;
}

/** A value on the operand stack, with its stable id ("<step that pushed it>.<position>"). */
export type StackValue = ValueView & { readonly id: string };

export interface LabelView {
  /** The label index `br` uses for it here: 0 is the innermost. */
  readonly depth: number;
  readonly kind: 'func' | 'block' | 'loop' | 'if' | 'else' | 'try_table' | 'try' | 'catch' | 'catch_all';
  /** Its `$label` in the source, when the session has the source. */
  readonly name: string | null;
  /** Body position of its block/loop/if (-1 for the function's own label). */
  readonly start: number;
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
  /** Values a branch to it carries: the params of a loop, the results otherwise. */
  readonly arity: number;
  /** Operand values below the label: the height a branch cuts the stack back to. */
  readonly height: number;
  /** Where `br depth` continues: after the block's end, at the loop's first instruction, or the function returns. */
  readonly branchTo: { readonly kind: 'after-end' | 'loop-start' | 'return'; readonly instrIndex: number | null; readonly text: TextSpanView | null };
}

export type LocalView = ValueView & { readonly index: number; readonly name: string | null; readonly param: boolean };

/** The frame a tail call replaced (return_call, return_call_indirect): whose it was, and when. */
export interface ReplacedFrame {
  readonly funcIndex: number;
  readonly funcName: string | null;
  /** The step after which the tail call had replaced it. */
  readonly step: number;
}

export interface FrameView {
  /**
   * Stable for the frame's whole life: the step that created it (0 for the first frame).
   * A tail call keeps it: the callee's frame takes the caller's place in the stack.
   */
  readonly id: number;
  /** 0 is the outermost frame. */
  readonly depth: number;
  readonly funcIndex: number;
  readonly funcName: string | null;
  /** The instruction about to run (for a caller: its call). */
  readonly at: Location;
  readonly locals: readonly LocalView[];
  readonly stack: readonly StackValue[];
  /** Innermost first, so labels[n] is what `br n` targets. */
  readonly labels: readonly LabelView[];
  /** The frame the latest tail call in this place replaced with this one; null when none did. */
  readonly replaced: ReplacedFrame | null;
}

export interface GlobalView {
  readonly index: number;
  readonly name: string | null;
  readonly type: ValType;
  readonly mutable: boolean;
  readonly value: ValueView;
}

export interface TableView {
  readonly index: number;
  readonly name: string | null;
  readonly elemType: 'funcref' | 'externref';
  readonly size: number;
  readonly max: number | null;
  /** The first entries (at most the session's maxTableEntries). */
  readonly entries: readonly ValueView[];
  readonly truncated: boolean;
}

export interface MemoryView {
  readonly index: number;
  readonly name: string | null;
  readonly pages: number;
  readonly maxPages: number | null;
  readonly byteLength: number;
  /** The address type: 'i64' for a memory64 memory, whose addresses views show in 64 bits. */
  readonly address: 'i32' | 'i64';
}

export interface TrapView {
  readonly message: string;
  readonly funcIndex: number | null;
  readonly instrIndex: number | null;
}

export interface MemoryAccess {
  /** Index into Snapshot.memories. */
  readonly memory: number;
  readonly address: number;
  readonly length: number;
  /** The bytes (at most 64; see truncated). */
  readonly bytes: readonly number[];
  readonly truncated: boolean;
}

export interface BranchInfo {
  /** block/loop: entered it (nothing taken); if: the then branch was taken or not; else/end: left the branch or block. */
  readonly kind: 'block' | 'loop' | 'br' | 'br_if' | 'br_table' | 'if' | 'else' | 'end' | 'br_on_null' | 'br_on_non_null';
  readonly taken: boolean;
  /** The label index operand (br, br_if, the one br_table chose); null for if/else/end. */
  readonly depth: number | null;
  /** The label branched to (or, for if/else/end, the block entered or left). */
  readonly label: { readonly kind: LabelView['kind']; readonly name: string | null; readonly start: number } | null;
  /** br_if's and if's condition. */
  readonly condition: ValueView | null;
  /** br_table's index operand. */
  readonly index: ValueView | null;
  /** Where execution went on. */
  readonly to: Location | null;
}

export interface CallInfo {
  /** The callee's index in its module (null for a host function given as a reference). */
  readonly funcIndex: number | null;
  readonly funcName: string | null;
  readonly host: boolean;
  readonly indirect: boolean;
  /** call_indirect: the table element used. */
  readonly element: number | null;
  readonly args: readonly ValueView[];
  /** A host function's results (a wasm callee's come with its return). */
  readonly results: readonly ValueView[] | null;
  /** The new frame's id (wasm callee); for a tail call, the id of the frame it replaced, which it keeps. */
  readonly frameId: number | null;
  /**
   * return_call, return_call_indirect: the function whose frame the callee's replaced and
   * the number of frames after the step (unchanged for a wasm callee; one less for a host
   * callee, whose results return at once). null for call and call_indirect.
   */
  readonly tail: { readonly funcIndex: number; readonly funcName: string | null; readonly depth: number } | null;
}

export interface ReturnInfo {
  readonly fromFrameId: number;
  readonly fromFuncIndex: number;
  readonly fromFuncName: string | null;
  /** The caller's frame, or null when the traced call itself returned. */
  readonly toFrameId: number | null;
  readonly toFuncIndex: number | null;
  readonly toFuncName: string | null;
  readonly values: readonly ValueView[];
}

export interface VariableChange {
  readonly kind: 'local' | 'global';
  readonly index: number;
  readonly name: string | null;
  readonly before: ValueView;
  readonly after: ValueView;
}

export interface GrowInfo {
  readonly kind: 'memory' | 'table';
  /** Index into Snapshot.memories / Snapshot.tables. */
  readonly index: number;
  readonly before: number;
  readonly delta: number;
  /** The instruction's result: the old size, or -1 when growing failed. */
  readonly result: number;
  readonly after: number;
}

export interface TableAccess {
  /** Index into Snapshot.tables. */
  readonly table: number;
  readonly name: string | null;
  readonly start: number;
  readonly length: number;
  readonly write: boolean;
  /** The elements read or written (at most 16). */
  readonly values: readonly ValueView[];
}

export interface SegmentUse {
  readonly kind: 'data' | 'elem';
  readonly index: number;
  /** data.drop / elem.drop */
  readonly dropped: boolean;
  /** memory.init / table.init: the range of the segment copied. */
  readonly offset: number | null;
  readonly length: number | null;
}

/** What the instruction that led to this snapshot did. */
export interface LastStep {
  /** The step it took: from stepIndex to stepIndex + 1. */
  readonly stepIndex: number;
  readonly at: Location;
  readonly op: string;
  readonly frameId: number;
  readonly popped: readonly StackValue[];
  readonly pushed: readonly StackValue[];
  readonly variable: VariableChange | null;
  /** A global or local read (local.get, global.get). */
  readonly read: VariableChange | null;
  readonly memoryReads: readonly MemoryAccess[];
  readonly memoryWrites: readonly MemoryAccess[];
  readonly branch: BranchInfo | null;
  readonly call: CallInfo | null;
  readonly return: ReturnInfo | null;
  readonly grow: GrowInfo | null;
  readonly table: TableAccess | null;
  readonly segment: SegmentUse | null;
  /** memory.size / table.size: the size read. */
  readonly size: number | null;
  /** A throw (throw, throw_ref, rethrow, or a host function's exception at a call): what, from where, the unwinding, the handler. */
  readonly exception: ThrowView | null;
  readonly trap: TrapView | null;
  /** The plain-English narration (engine/trace/narrate.ts). */
  readonly text: string;
}

export interface Snapshot {
  readonly version: typeof SNAPSHOT_VERSION;
  /** Instructions executed so far. */
  readonly stepIndex: number;
  readonly status: 'paused' | 'done' | 'trapped';
  readonly entry: { readonly funcIndex: number | null; readonly funcName: string | null; readonly args: readonly ValueView[] };
  /** The instruction about to run; null once the call is done. */
  readonly current: Location | null;
  /** The current frame's operand stack, bottom first (= the last frame's stack). */
  readonly stack: readonly StackValue[];
  /** The current frame's labels, innermost first. */
  readonly labels: readonly LabelView[];
  /** The call stack, outermost first (the innermost maxFrames when deeper; see frameCount). */
  readonly frames: readonly FrameView[];
  readonly frameCount: number;
  readonly globals: readonly GlobalView[];
  readonly tables: readonly TableView[];
  readonly memories: readonly MemoryView[];
  /** When done: the call's results. */
  readonly results: readonly StackValue[] | null;
  readonly trap: TrapView | null;
  /** What the last instruction did (null at step 0). */
  readonly last: LastStep | null;
  /** Exception handlers in scope where execution stands, innermost first, across the call stack (engine/trace/exceptions.ts). */
  readonly handlers: readonly HandlerView[];
  /** When the current instruction throws: the exception and the clause that would catch it. */
  readonly throwing: PendingThrowView | null;
}

/** Builds the snapshot of the viewer's machine as it stands now. */
export function buildSnapshot(v: Viewer, info: {
  stepIndex: number;
  last: LastStep | null;
  maxFrames: number;
  maxTableEntries: number;
}): Snapshot {
  const m = v.m;
  const status = m.status === 'done' ? 'done' : m.status === 'trapped' ? 'trapped' : 'paused';
  const count = m.status === 'done' ? 0 : m.depth;
  const frames: FrameView[] = [];
  for (let d = Math.max(0, count - info.maxFrames); d < count; d++) frames.push(v.frame(d));
  const top = frames[frames.length - 1];
  return {
    version: SNAPSHOT_VERSION,
    stepIndex: info.stepIndex,
    status,
    entry: v.entryView(),
    current: top === undefined ? null : top.at,
    stack: top === undefined ? [] : top.stack,
    labels: top === undefined ? [] : top.labels,
    frames,
    frameCount: count,
    globals: v.globals(),
    tables: v.tables(info.maxTableEntries),
    memories: v.memories(),
    results: status === 'done' ? v.results() : null,
    trap: v.trap(),
    last: info.last,
    handlers: handlersInScope(v),
    throwing: pendingThrow(v),
  };
}
