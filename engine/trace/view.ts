// Turns a stopped Machine and the session's bookkeeping (frame ids, the step that pushed
// each value slot) into the JSON views of engine/trace/snapshot.ts: locations with their
// text and byte spans, frames with named locals and id'd operand values, labels with
// where `br` would go, and the store's globals, tables and memories.

import {
  type FuncInstance, HostFunction, type LabelInfo, type Machine, type TypedValue, WasmFunction,
} from '../exec/index.ts';
import type { RefType, Span } from '../syntax/index.ts';
import { branchTargetOf, readFrame, type FrameRead } from './frames.ts';
import { namesOf, type Names } from './names.ts';
import type {
  ByteSpanView, FrameView, GlobalView, LabelView, LocalView, Location, MemoryView, StackValue, TableView, TextSpanView, TrapView,
} from './snapshot.ts';
import { valueView, wordsView, type FuncNamer, type ValueView } from './value-views.ts';
import type { World } from './world.ts';

/** The session state a view reads besides the machine. */
export interface ViewSource {
  readonly m: Machine;
  readonly world: World;
  readonly entry: FuncInstance;
  readonly args: readonly TypedValue[];
  /** The source text of the entry's module, for label names. */
  readonly source: string | undefined;
  /** Per value slot: the step that pushed the value starting there. */
  pushStep(): Float64Array;
  /** Per frame depth: the frame's id. */
  frameIds(): Float64Array;
  /** Per frame depth: the function whose frame the latest tail call there replaced, if any, and the step after it. */
  replacedFn(): readonly (WasmFunction | undefined)[];
  replacedStep(): Float64Array;
}

function textSpan(s: Span | undefined): TextSpanView | null {
  const t = s?.text;
  if (t === undefined) return null;
  return { line: t.line, column: t.column, endLine: t.endLine, endColumn: t.endColumn, start: t.start, end: t.end };
}

function byteSpan(s: Span | undefined): ByteSpanView | null {
  const b = s?.bytes;
  return b === undefined ? null : { offset: b.offset, length: b.length };
}

export class Viewer {
  readonly src: ViewSource;
  readonly namer: FuncNamer;

  constructor(src: ViewSource) {
    this.src = src;
    this.namer = (f) => this.funcName(f);
  }

  get m(): Machine {
    return this.src.m;
  }

  names(f: WasmFunction): Names {
    const entry = this.src.entry;
    const main = entry instanceof WasmFunction && entry.instance.module === f.instance.module;
    return namesOf(f.instance.module, main ? this.src.source : undefined);
  }

  funcName(f: FuncInstance): string | null {
    if (f instanceof HostFunction) return f.name;
    return this.names(f).func(f.index);
  }

  location(func: WasmFunction, position: number): Location {
    const body = func.code.func.body;
    const instr = body[position];
    const span = instr === undefined ? func.code.func.endSpan : instr.span;
    return {
      funcIndex: func.index,
      funcName: this.funcName(func),
      instrIndex: position,
      op: instr === undefined ? 'end' : instr.op,
      text: textSpan(span),
      bytes: byteSpan(span),
    };
  }

  /** The value of type t in value-stack slot `slot`. */
  slotValue(t: FrameRead['types'][number], slot: number): ValueView {
    return wordsView(t, this.m.i32, 2 * slot, this.m.refs[slot], this.namer);
  }

  /** A value with its id, for operand position `k` of a frame. */
  stackValue(t: FrameRead['types'][number], slot: number, k: number): StackValue {
    const id = `${this.src.pushStep()[slot]}.${k}`;
    return { ...this.slotValue(t, slot), id };
  }

  stack(r: FrameRead): StackValue[] {
    return r.types.map((t, k) => this.stackValue(t, r.slots[k]!, k));
  }

  locals(r: FrameRead): LocalView[] {
    const code = r.func.code;
    const names = this.names(r.func);
    const params = r.func.type.params.length;
    return code.localTypes.map((t, i) => ({
      ...this.slotValue(t, r.fp + code.localOffsets[i]!),
      index: i,
      name: names.local(r.func.index, i),
      param: i < params,
    }));
  }

  label(r: FrameRead, l: LabelInfo, depth: number): LabelView {
    const f = r.func.code.func;
    const target = branchTargetOf(f, l);
    const kind = l.kind === 'func' ? 'return' : l.kind === 'loop' ? 'loop-start' : 'after-end';
    const at = target === null ? undefined : target < f.body.length ? f.body[target]!.span : f.endSpan;
    return {
      depth,
      kind: l.kind,
      name: l.start < 0 ? null : this.names(r.func).label(f.body[l.start]?.span),
      start: l.start,
      params: [...l.params],
      results: [...l.results],
      arity: l.arity,
      height: l.height,
      branchTo: { kind, instrIndex: target, text: textSpan(at) },
    };
  }

  labels(r: FrameRead): LabelView[] {
    const out: LabelView[] = [];
    for (let k = r.labels.length - 1; k >= 0; k--) out.push(this.label(r, r.labels[k]!, r.labels.length - 1 - k));
    return out;
  }

  frameId(depth: number): number {
    return this.src.frameIds()[depth]!;
  }

  frame(depth: number): FrameView {
    const r = readFrame(this.m, depth);
    return {
      id: this.frameId(depth),
      depth,
      funcIndex: r.func.index,
      funcName: this.funcName(r.func),
      at: this.location(r.func, r.position),
      locals: this.locals(r),
      stack: this.stack(r),
      labels: this.labels(r),
      replaced: this.replaced(depth),
    };
  }

  /** The frame a tail call replaced at `depth` (FrameView.replaced). */
  replaced(depth: number): FrameView['replaced'] {
    const f = this.src.replacedFn()[depth];
    if (f === undefined) return null;
    return { funcIndex: f.index, funcName: this.funcName(f), step: this.src.replacedStep()[depth]! };
  }

  entryView(): { funcIndex: number | null; funcName: string | null; args: ValueView[] } {
    const e = this.src.entry;
    return {
      funcIndex: e instanceof WasmFunction ? e.index : null,
      funcName: this.funcName(e),
      args: this.src.args.map((a) => valueView(a, this.namer)),
    };
  }

  /** The finished call's results (at the bottom of the value stack). */
  results(): StackValue[] {
    const out: StackValue[] = [];
    let slot = 0;
    this.src.entry.type.results.forEach((t, k) => {
      out.push(this.stackValue(t, slot, k));
      slot += t === 'v128' ? 2 : 1;
    });
    return out;
  }

  globals(): GlobalView[] {
    const entry = this.src.entry;
    const inst = entry instanceof WasmFunction ? entry.instance : undefined;
    return this.src.world.globals.map((g, index) => {
      // Globals are numbered in the entry's module when they are its own; others follow.
      const own = inst?.globals.indexOf(g) ?? -1;
      return {
        index,
        name: own >= 0 && inst !== undefined ? namesOf(inst.module, this.src.source).global(own) : null,
        type: g.type,
        mutable: g.mutable,
        value: valueView(g.typed, this.namer),
      };
    });
  }

  tables(maxEntries: number): TableView[] {
    const entry = this.src.entry;
    const inst = entry instanceof WasmFunction ? entry.instance : undefined;
    return this.src.world.tables.map((t, index) => {
      const own = inst?.tables.indexOf(t) ?? -1;
      const n = Math.min(t.elements.length, maxEntries);
      const entries: ValueView[] = [];
      for (let k = 0; k < n; k++) entries.push(valueView({ type: t.type.elem as RefType, value: t.elements[k] ?? null }, this.namer));
      return {
        index,
        name: own >= 0 && inst !== undefined ? namesOf(inst.module).table(own) : null,
        elemType: t.type.elem as RefType,
        size: t.elements.length,
        max: t.type.limits.max ?? null,
        entries,
        truncated: n < t.elements.length,
      };
    });
  }

  memories(): MemoryView[] {
    const entry = this.src.entry;
    const inst = entry instanceof WasmFunction ? entry.instance : undefined;
    return this.src.world.memories.map((t, index) => {
      const own = inst?.mems.indexOf(t.mem) ?? -1;
      return {
        index,
        name: own >= 0 && inst !== undefined ? namesOf(inst.module).memory(own) : null,
        pages: t.mem.pages,
        maxPages: t.mem.type.limits.max ?? null,
        byteLength: t.mem.byteLength,
        address: t.mem.type.limits.index64 === true ? 'i64' : 'i32',
      };
    });
  }

  trap(): TrapView | null {
    const t = this.m.trap;
    if (this.m.status !== 'trapped' || t === undefined) return null;
    return { message: t.specMessage, funcIndex: t.funcIndex ?? null, instrIndex: t.position ?? null };
  }
}
