// What one instruction did, for the snapshot's `last` field and its narration: the values
// it popped and pushed (by their stable ids), the memory it read or wrote, the local or
// global it changed, the branch it took or not, the call or return it made, how a grow
// went, or the trap. Semantics per https://webassembly.github.io/spec/core/exec/instructions.html.
//
// `before` looks at the machine just before the step (operands, addresses, old values);
// `after` compares with the machine just after it. Only the step a snapshot shows is
// captured this way; all other steps run without it.

import { type FuncInstance, HostFunction, type Machine, WasmFunction } from '../exec/index.ts';
import type { Instr, RefType } from '../syntax/index.ts';
import { framePosition, readFrame, type FrameRead } from './frames.ts';
import { throwView } from './exceptions.ts';
import { narrate } from './narrate.ts';
import type {
  BranchInfo, CallInfo, GrowInfo, LastStep, Location, MemoryAccess, ReturnInfo, SegmentUse, StackValue, TableAccess, TrapView, VariableChange,
} from './snapshot.ts';
import { valueView, type ValueView } from './value-views.ts';
import type { Viewer } from './view.ts';

const MAX_BYTES = 64;
const MAX_TABLE_VALUES = 16;

interface Range {
  readonly memory: number;
  readonly address: number;
  readonly length: number;
}

export interface Before {
  readonly step: number;
  readonly func: WasmFunction;
  readonly position: number;
  readonly instr: Instr | undefined;
  readonly at: Location;
  readonly depth: number;
  readonly frameId: number;
  readonly frame: FrameRead;
  readonly stack: readonly StackValue[];
  readonly reads: readonly Range[];
  readonly writes: readonly Range[];
  readonly variable: { kind: 'local' | 'global'; index: number; name: string | null; before: ValueView } | undefined;
  readonly grow: { kind: 'memory' | 'table'; index: number; before: number; delta: number } | undefined;
  readonly callee: FuncInstance | undefined;
  readonly element: number | null;
  readonly table: { table: number; name: string | null; start: number; length: number; write: boolean } | undefined;
  readonly segment: SegmentUse | undefined;
}

function i32Of(v: StackValue | undefined): number {
  // An i64 operand is a table64 index: its value (exact below 2^53).
  return v !== undefined && v.type === 'i32' ? v.signed : v !== undefined && v.type === 'i64' ? Number(v.signed) : 0;
}

/** Bytes accessed by a memory instruction, from its mnemonic. */
export function accessSize(op: string): number {
  if (op === 'v128.load' || op === 'v128.store') return 16;
  if (/^v128\.load\d+x\d+/.test(op)) return 8;
  const lane = /(8|16|32|64)_(splat|zero|lane)$/.exec(op);
  if (lane !== null) return Number(lane[1]) / 8;
  const part = /\.(?:load|store)(8|16|32)/.exec(op);
  if (part !== null) return Number(part[1]) / 8;
  return op.startsWith('i32.') || op.startsWith('f32.') ? 4 : 8;
}

export function before(v: Viewer, step: number): Before {
  const m = v.m;
  const depth = m.depth;
  const func = m.frameFn[depth - 1]!;
  const position = framePosition(m, depth - 1);
  const instr = func.code.func.body[position];
  const frame = readFrame(m, depth - 1);
  const stack = v.stack(frame);
  const top = (k: number): StackValue | undefined => stack[stack.length - 1 - k];
  const u32 = (k: number): number => i32Of(top(k)) >>> 0;
  const inst = func.instance;
  const mem = inst.mems[0];
  const memNo = mem === undefined ? -1 : v.src.world.memories.findIndex((t) => t.mem === mem);
  const reads: Range[] = [];
  const writes: Range[] = [];
  let variable: Before['variable'];
  let grow: Before['grow'];
  let callee: FuncInstance | undefined;
  let element: number | null = null;
  let table: Before['table'];
  let segment: SegmentUse | undefined;
  const names = v.names(func);
  const tableNo = (i: number): number => {
    const t = inst.tables[i];
    return t === undefined ? -1 : v.src.world.tableNumber(t);
  };
  const code = instr?.code ?? -1;
  if (instr !== undefined) {
    const op = instr.op;
    if (instr.memarg !== undefined) {
      const size = accessSize(op);
      const isLoad = op.includes('.load');
      const lane = instr.code >>> 16 === 0xfd && /_lane$/.test(op);
      // Plain loads take the address on top; lane loads and all stores have a value above it.
      // The memory is the memarg's (multiple memories); an i64 memory's address is a u64.
      const a = top(isLoad && !lane ? 0 : 1);
      const x = instr.memarg.memory ?? 0;
      const at = a?.type === 'i64' ? Number(a.unsigned) : i32Of(a) >>> 0;
      const no = x === 0 ? memNo : inst.mems[x] === undefined ? -1 : v.src.world.memories.findIndex((t) => t.mem === inst.mems[x]);
      (isLoad ? reads : writes).push({ memory: no, address: at + instr.memarg.offset, length: size });
    }
    switch (code) {
      case 0x20: case 0x21: case 0x22: {
        const i = instr.index!;
        variable = { kind: 'local', index: i, name: names.local(func.index, i), before: v.slotValue(func.code.localTypes[i]!, frame.fp + func.code.localOffsets[i]!) };
        break;
      }
      case 0x23: case 0x24: {
        const i = instr.index!;
        variable = { kind: 'global', index: i, name: names.global(i), before: valueView(inst.globals[i]!.typed, v.namer) };
        break;
      }
      case 0x40:
        grow = { kind: 'memory', index: memNo, before: mem?.pages ?? 0, delta: u32(0) };
        break;
      case 0x10:
      case 0x12: // return_call
        callee = inst.funcs[instr.index!];
        break;
      case 0x14: // call_ref: the reference on top
      case 0x15: { // return_call_ref: the reference on top
        const f = m.refs[m.sp - 1];
        callee = f instanceof WasmFunction || f instanceof HostFunction ? f : undefined;
        break;
      }
      case 0x11:
      case 0x13: { // return_call_indirect
        element = u32(0);
        const t = inst.tables[instr.index2 ?? 0];
        const f = t?.elements[element];
        callee = f instanceof WasmFunction || f instanceof HostFunction ? f : undefined;
        break;
      }
      case 0x25:
        table = { table: tableNo(instr.index!), name: names.table(instr.index!), start: u32(0), length: 1, write: false };
        break;
      case 0x26:
        table = { table: tableNo(instr.index!), name: names.table(instr.index!), start: u32(1), length: 1, write: true };
        break;
      case 0xfc0008: // memory.init: [dest src n]
        writes.push({ memory: memNo, address: u32(2), length: u32(0) });
        segment = { kind: 'data', index: instr.index!, dropped: false, offset: u32(1), length: u32(0) };
        break;
      case 0xfc0009:
        segment = { kind: 'data', index: instr.index!, dropped: true, offset: null, length: null };
        break;
      case 0xfc000a: // memory.copy: [dest src n]
        reads.push({ memory: memNo, address: u32(1), length: u32(0) });
        writes.push({ memory: memNo, address: u32(2), length: u32(0) });
        break;
      case 0xfc000b: // memory.fill: [dest value n]
        writes.push({ memory: memNo, address: u32(2), length: u32(0) });
        break;
      case 0xfc000c: // table.init elem table: [dest src n]
        table = { table: tableNo(instr.index2 ?? 0), name: names.table(instr.index2 ?? 0), start: u32(2), length: u32(0), write: true };
        segment = { kind: 'elem', index: instr.index!, dropped: false, offset: u32(1), length: u32(0) };
        break;
      case 0xfc000d:
        segment = { kind: 'elem', index: instr.index!, dropped: true, offset: null, length: null };
        break;
      case 0xfc000e: // table.copy dst src: [dest src n]
        table = { table: tableNo(instr.index!), name: names.table(instr.index!), start: u32(2), length: u32(0), write: true };
        break;
      case 0xfc000f: { // table.grow: [init n]
        const t = inst.tables[instr.index!]!;
        grow = { kind: 'table', index: tableNo(instr.index!), before: t.elements.length, delta: u32(0) };
        break;
      }
      case 0xfc0011: // table.fill: [i value n]
        table = { table: tableNo(instr.index!), name: names.table(instr.index!), start: u32(2), length: u32(0), write: true };
        break;
    }
  }
  return {
    step, func, position, instr, at: v.location(func, position), depth, frameId: v.frameId(depth - 1), frame, stack,
    reads, writes, variable, grow, callee, element, table, segment,
  };
}

function access(v: Viewer, r: Range): MemoryAccess {
  const mem = v.src.world.memories[r.memory]?.mem;
  const n = Math.min(r.length, MAX_BYTES);
  const bytes = mem === undefined ? [] : Array.from(mem.bytes.subarray(r.address, r.address + n));
  return { memory: r.memory, address: r.address, length: r.length, bytes, truncated: n < r.length };
}

/** What the step from `b` did, now that it ran. */
export function after(v: Viewer, b: Before): LastStep {
  const m: Machine = v.m;
  const status = m.status;
  const step = b.step + 1;
  const trapped = status === 'trapped';
  const trap: TrapView | null = trapped && m.trap !== undefined
    ? { message: m.trap.specMessage, funcIndex: m.trap.funcIndex ?? null, instrIndex: m.trap.position ?? null }
    : null;
  const depth = status === 'done' ? 0 : m.depth;
  // The values now in the frame that ran the instruction (gone when it returned).
  let sameFrame: readonly StackValue[] | undefined;
  if (depth >= b.depth) sameFrame = v.stack(readFrame(m, b.depth - 1));
  const current: readonly StackValue[] =
    status === 'done' ? v.results() : depth === 0 ? [] : depth === b.depth ? sameFrame! : v.stack(readFrame(m, depth - 1));
  const ids = new Set((sameFrame ?? []).map((x) => x.id));
  const popped = trapped ? [] : b.stack.filter((x) => !ids.has(x.id));
  const pushed = trapped ? [] : current.filter((x) => x.id.startsWith(`${step}.`));
  const here = depth === 0 ? null : v.location(m.frameFn[depth - 1]!, framePosition(m, depth - 1));
  const code = b.instr?.code ?? 0x0f; // the final `end` returns
  const labels = b.frame.labels;
  const innermost = labels[labels.length - 1];
  const names = v.names(b.func);
  const label = (l: typeof innermost): BranchInfo['label'] =>
    l === undefined ? null : { kind: l.kind, name: l.start < 0 ? null : names.label(b.func.code.func.body[l.start]?.span), start: l.start };

  let variable: VariableChange | null = null;
  let read: VariableChange | null = null;
  let branch: BranchInfo | null = null;
  let call: CallInfo | null = null;
  let ret: ReturnInfo | null = null;
  let grow: GrowInfo | null = null;
  let table: TableAccess | null = null;
  let size: number | null = null;
  const top = current[current.length - 1];

  if (!trapped) {
    if (b.variable !== undefined) {
      const x = b.variable;
      let now: ValueView;
      if (x.kind === 'local') {
        const f = b.func.code;
        now = v.slotValue(f.localTypes[x.index]!, b.frame.fp + f.localOffsets[x.index]!);
      } else now = valueView(b.func.instance.globals[x.index]!.typed, v.namer);
      const change = { kind: x.kind, index: x.index, name: x.name, before: x.before, after: now };
      if (code === 0x20 || code === 0x23) read = change;
      else variable = change;
    }
    switch (code) {
      case 0x07: case 0x19: // legacy catch, catch_all reached by the try body's end: skip the handlers
        branch = { kind: 'else', taken: true, depth: null, label: label(innermost), condition: null, index: null, to: here };
        break;
      case 0x18: // delegate, reached by the try body's end
        branch = { kind: 'end', taken: false, depth: null, label: label(innermost), condition: null, index: null, to: here };
        break;
      case 0x1f: case 0x06: // try_table, try: entered like a block
      case 0x02: case 0x03:
        branch = { kind: code === 0x03 ? 'loop' : 'block', taken: false, depth: null, label: label(enteredLabel(m, b)), condition: null, index: null, to: here };
        break;
      case 0x04: {
        const cond = b.stack[b.stack.length - 1] ?? null;
        branch = { kind: 'if', taken: i32Of(cond ?? undefined) !== 0, depth: null, label: label(enteredLabel(m, b) ?? innermost), condition: cond, index: null, to: here };
        break;
      }
      case 0x05:
        branch = { kind: 'else', taken: true, depth: null, label: label(innermost), condition: null, index: null, to: here };
        break;
      case 0x0b:
        branch = { kind: 'end', taken: false, depth: null, label: label(innermost), condition: null, index: null, to: here };
        break;
      case 0x0c: case 0x0d: {
        const n = b.instr!.index!;
        const cond = code === 0x0d ? b.stack[b.stack.length - 1] ?? null : null;
        const taken = code === 0x0c || i32Of(cond ?? undefined) !== 0;
        const l = labels[labels.length - 1 - n];
        branch = { kind: code === 0x0c ? 'br' : 'br_if', taken, depth: n, label: label(l), condition: cond, index: null, to: here };
        break;
      }
      case 0x0e: {
        const idx = b.stack[b.stack.length - 1] ?? null;
        const list = b.instr!.labels ?? [];
        const i = i32Of(idx ?? undefined) >>> 0;
        const n = list[Math.min(i, list.length - 1)]!;
        branch = { kind: 'br_table', taken: true, depth: n, label: label(labels[labels.length - 1 - n]), condition: null, index: idx, to: here };
        break;
      }
      case 0xd5: case 0xd6: { // br_on_null, br_on_non_null: taken on a null, on a non-null reference
        const n = b.instr!.index!;
        const r = b.stack[b.stack.length - 1];
        const isNull = r !== undefined && 'ref' in r && r.ref === null;
        const taken = code === 0xd5 ? isNull : !isNull;
        branch = { kind: code === 0xd5 ? 'br_on_null' : 'br_on_non_null', taken, depth: n, label: label(labels[labels.length - 1 - n]), condition: null, index: null, to: here };
        break;
      }
      case 0x10: case 0x11: case 0x12: case 0x13: case 0x14: case 0x15: {
        const f = b.callee;
        const host = f instanceof HostFunction;
        const argc = f?.type.params.length ?? 0;
        const indirect = code === 0x11 || code === 0x13;
        const below = indirect || code === 0x14 || code === 0x15 ? 1 : 0; // the table index, or the reference
        const tail = code === 0x12 || code === 0x13 || code === 0x15;
        const args = b.stack.slice(b.stack.length - below - argc, b.stack.length - below);
        call = {
          funcIndex: f instanceof WasmFunction ? f.index : null,
          funcName: f === undefined ? null : v.funcName(f),
          host,
          indirect,
          element: b.element,
          args,
          results: host ? pushed : null,
          frameId: !host && (depth > b.depth || tail) ? v.frameId(depth - 1) : null,
          tail: tail ? { funcIndex: b.func.index, funcName: v.funcName(b.func), depth } : null,
        };
        break;
      }
      case 0x40: {
        const g = b.grow!;
        const result = top?.type === 'i32' ? top.signed : -1;
        grow = { kind: 'memory', index: g.index, before: g.before, delta: g.delta, result, after: result === -1 ? g.before : g.before + g.delta };
        break;
      }
      case 0xfc000f: {
        const g = b.grow!;
        // table64: the result is an i64.
        const result = top?.type === 'i32' ? top.signed : top?.type === 'i64' ? Number(top.signed) : -1;
        grow = { kind: 'table', index: g.index, before: g.before, delta: g.delta, result, after: result === -1 ? g.before : g.before + g.delta };
        break;
      }
      case 0x3f: case 0xfc0010:
        size = top?.type === 'i32' ? top.unsigned : top?.type === 'i64' ? Number(top.unsigned) : null; // i64: table64
        break;
    }
    if (code === 0x0f || depth < b.depth) {
      ret = {
        fromFrameId: b.frameId,
        fromFuncIndex: b.func.index,
        fromFuncName: v.funcName(b.func),
        toFrameId: depth === 0 ? null : v.frameId(depth - 1),
        toFuncIndex: depth === 0 ? null : m.frameFn[depth - 1]!.index,
        toFuncName: depth === 0 ? null : v.funcName(m.frameFn[depth - 1]!),
        values: pushed,
      };
    }
    if (b.table !== undefined) {
      const t = v.src.world.tables[b.table.table];
      const n = Math.min(b.table.length, MAX_TABLE_VALUES);
      const values: ValueView[] = [];
      if (t !== undefined) {
        for (let k = 0; k < n; k++) values.push(valueView({ type: t.type.elem as RefType, value: t.elements[b.table.start + k] ?? null }, v.namer));
      }
      table = { ...b.table, values };
    }
  }
  // A throw (or a host function's exception) unwinds: it is not a return.
  const exception = throwView(v, b.at, step);
  if (exception !== null) ret = null;
  const last: Omit<LastStep, 'text'> = {
    stepIndex: b.step,
    at: b.at,
    op: b.at.op,
    frameId: b.frameId,
    popped,
    pushed,
    variable,
    read,
    memoryReads: trapped ? [] : b.reads.map((r) => access(v, r)),
    memoryWrites: trapped ? [] : b.writes.map((r) => access(v, r)),
    branch,
    call,
    return: ret,
    grow,
    table,
    segment: trapped ? null : (b.segment ?? null),
    size,
    exception,
    trap,
  };
  return { ...last, text: narrate(last) };
}

/** The label a block/loop/if just entered opened (the innermost label after the step), if any. */
function enteredLabel(m: Machine, b: Before): FrameRead['labels'][number] | undefined {
  if (m.status !== 'paused' || m.depth !== b.depth) return undefined;
  const labels = readFrame(m, b.depth - 1).labels;
  const l = labels[labels.length - 1];
  return l !== undefined && l.start === b.position ? l : undefined;
}

