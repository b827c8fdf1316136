// The pre-decoder: turns a function's flat instruction list into compact code for the
// interpreter (engine/exec/machine.ts), once per module.
// Execution semantics: https://webassembly.github.io/spec/core/exec/instructions.html
// Typing (to know value widths): https://webassembly.github.io/spec/core/valid/instructions.html
//
// Layout (engine/exec/layout.ts): each body instruction becomes one internal opcode
// followed by its immediates, so one wasm instruction is one interpreter step and
// `offsets[i]` maps body position i to its code offset (the inverse, for traps and pauses,
// is a binary search).
//
// Side tables in place (Titzer, "A fast in-place interpreter for WebAssembly", 2022):
// every branch carries its target code offset and, when the operand stack must shrink,
// the slot height to return to and how many slots of values to carry. No label stack is
// kept at run time; `block`, `loop` and `end` are no-ops, and the label stack a view wants
// is recomputed from the position (see `analyze`).
//
// Value slots. A frame's locals and operands live in 8-byte slots of one value stack,
// addressed from the frame pointer: locals first, then operands. v128 takes two slots. A
// reference lives in a parallel JS array at the same slot index. Heights are slot offsets
// from the frame pointer. Tracking the operand types here is what tells each `drop`,
// `select`, `local.get` and branch how many slots (and whether references) it moves.

import type { BlockType, Func, FuncType, GlobalType, Instr, Module, TableType, ValType } from '../syntax/index.ts';
import { ValidationError } from '../valid/index.ts';
import { fuseCode } from './fuse.ts';
import { NO_HANDLERS, tagTypes, type CatchEntry, type Handler } from './handlers.ts';
import { internalOp, OPC, TABLE64, TABLE64_BASE } from './layout.ts';
import { memAccessCode } from './memories.ts';
import { compileRefInstr } from './typed-refs.ts';
import { stackTypes } from './optypes.ts';
import { isRef, slotsOf } from './values.ts';

/** The types a module's instructions refer to, by index space. */
export interface ModuleTypes {
  readonly types: readonly FuncType[];
  /** Type of each function in the function index space (imports first). */
  readonly funcs: readonly FuncType[];
  readonly globals: readonly GlobalType[];
  readonly tables: readonly TableType[];
  readonly importedFuncs: number;
  /** Per memory index: whether it is an i64 memory (memory64). */
  readonly mem64: readonly boolean[];
}

export function moduleTypes(module: Module): ModuleTypes {
  const types = module.types.map((t) => t.type);
  const funcs: FuncType[] = [];
  const globals: GlobalType[] = [];
  const tables: TableType[] = [];
  const typeAt = (i: number): FuncType => {
    const t = types[i];
    if (t === undefined) throw new ValidationError(`unknown type ${i}`, { where: 'module' });
    return t;
  };
  for (const imp of module.imports) {
    if (imp.desc.kind === 'func') funcs.push(typeAt(imp.desc.type));
    else if (imp.desc.kind === 'global') globals.push(imp.desc.type);
    else if (imp.desc.kind === 'table') tables.push(imp.desc.type);
  }
  const mem64 = [...module.imports.flatMap((imp) => (imp.desc.kind === 'memory' ? [imp.desc.type] : [])), ...module.mems.map((m) => m.type)]
    .map((t) => t.limits.index64 === true);
  const importedFuncs = funcs.length;
  for (const f of module.funcs) funcs.push(typeAt(f.type));
  for (const g of module.globals) globals.push(g.type);
  for (const t of module.tables) tables.push(t.type);
  return { types, funcs, globals, tables, importedFuncs, mem64 };
}

export interface CompiledFunc {
  readonly func: Func;
  /** Index in the function index space. */
  readonly funcIndex: number;
  readonly type: FuncType;
  readonly code: Int32Array;
  /**
   * What the dispatch loop runs: `code` with superinstructions at the head of some common
   * sequences (engine/exec/fuse.ts); same layout and offsets. Everything else reads `code`.
   */
  readonly fast: Int32Array;
  /** Code offset of each body instruction; offsets[body.length] is the implicit final `end`. */
  readonly offsets: Int32Array;
  /** Parameters then declared locals. */
  readonly localTypes: readonly ValType[];
  /** Slot offset of each local from the frame pointer. */
  readonly localOffsets: Int32Array;
  readonly paramSlots: number;
  /** Slots of all locals: the operand stack starts here. */
  readonly localSlots: number;
  readonly resultSlots: number;
  /** Whether any result is a reference (returns must then move the reference array too). */
  readonly resultRefs: boolean;
  /** Slot offsets of declared (non-parameter) reference locals, nulled on entry. */
  readonly refLocals: Int32Array;
  /** Highest slot offset the frame can reach: locals plus the deepest operand stack. */
  readonly maxSlots: number;
  /** Exception handlers (engine/exec/handlers.ts), innermost first; empty without try_table/try. */
  readonly handlers: readonly Handler[];
}

/** A label as a view shows it (https://webassembly.github.io/spec/core/exec/runtime.html#labels). */
export interface LabelInfo {
  readonly kind: 'func' | 'block' | 'loop' | 'if' | 'else' | 'try_table' | 'try' | 'catch' | 'catch_all';
  /** Body position of the block/loop/if instruction (-1 for the function's own label). */
  readonly start: number;
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
  /** How many values a branch to it carries (params for a loop, results otherwise). */
  readonly arity: number;
  /** Number of operand values below the label: what a branch returns the stack to. */
  readonly height: number;
}

/** Operand types and labels just before the instruction at a body position. */
export interface PositionAnalysis {
  /** Operand stack types of this frame, bottom first ('unknown' only in unreachable code). */
  readonly stack: readonly (ValType | 'unknown')[];
  /** Innermost last; the first is the function's own label. */
  readonly labels: readonly LabelInfo[];
  /** Whether the position is unreachable (dead code after br/return/unreachable). */
  readonly unreachable: boolean;
}

type StackType = ValType | 'unknown';

interface Ctl {
  readonly kind: LabelInfo['kind'];
  readonly start: number;
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
  /** Operand count and slot height at entry, below the params. */
  readonly height: number;
  readonly slots: number;
  /** Code offset a loop's branches go to. */
  readonly loopPc: number;
  /** Code offsets of forward branch immediates to patch with the end's continuation. */
  readonly fixups: number[];
  /** `if`: code offset of its else-target immediate; `else`: of its jump-to-end immediate. */
  patch: number;
  unreachable: boolean;
  /** try_table, try, catch, catch_all: the handler (created at try, or at the first catch). */
  handler?: Handler;
  /** try: the hidden slot for the caught exception. */
  exnSlot?: number;
  /** Catch clauses branching to this label, patched with its end's continuation. */
  catchFixups?: CatchEntry[];
}

const EMPTY: readonly ValType[] = Object.freeze([]);

function sumSlots(types: readonly ValType[]): number {
  let n = 0;
  for (const t of types) n += slotsOf(t);
  return n;
}

/** 32 (i32, f32), 64 (i64, f64, or unknown), 128 (v128) or 'ref'. */
function width(t: StackType): 32 | 64 | 128 | 'ref' {
  if (t === 'i32' || t === 'f32') return 32;
  if (t === 'v128') return 128;
  if (t !== 'unknown' && isRef(t)) return 'ref';
  return 64;
}

function byWidth(t: StackType, w32: number, w64: number, w128: number, ref: number): number {
  const w = width(t);
  return w === 32 ? w32 : w === 64 ? w64 : w === 128 ? w128 : ref;
}

export type { Compiler };

class Compiler {
  readonly module: Module;
  readonly mt: ModuleTypes;
  readonly func: Func;
  readonly funcIndex: number;
  readonly type: FuncType;
  readonly localTypes: ValType[];
  readonly localOffsets: Int32Array;
  readonly localSlots: number;
  readonly code: number[] = [];
  readonly types: StackType[] = [];
  readonly ctls: Ctl[] = [];
  slots: number;
  maxSlots: number;
  /** Body position being compiled, for error messages. */
  at = 0;
  /** Code offset of each body position compiled so far. */
  offsets: Int32Array = new Int32Array(0);
  /** Exception handling: handlers as their regions close, the tags' types, the next hidden slot. */
  readonly handlers: Handler[] = [];
  readonly tagTypes: readonly FuncType[];
  nextExnSlot: number;

  constructor(module: Module, mt: ModuleTypes, funcIndex: number) {
    this.module = module;
    this.mt = mt;
    this.funcIndex = funcIndex;
    const func = module.funcs[funcIndex - mt.importedFuncs];
    const type = mt.funcs[funcIndex];
    if (func === undefined || type === undefined) throw new ValidationError(`unknown function ${funcIndex}`, { where: 'module' });
    this.func = func;
    this.type = type;
    this.localTypes = [...type.params, ...func.locals];
    this.localOffsets = new Int32Array(this.localTypes.length);
    let off = 0;
    this.localTypes.forEach((t, i) => {
      this.localOffsets[i] = off;
      off += slotsOf(t);
    });
    // A legacy try keeps its caught exception in a hidden slot after the locals, for rethrow.
    this.nextExnSlot = off;
    for (const ins of func.body) if (ins.code === 0x06) off++;
    this.tagTypes = this.nextExnSlot === off && !func.body.some((ins) => ins.code === 0x08) ? [] : tagTypes(module, mt);
    this.localSlots = off;
    this.slots = off;
    this.maxSlots = off;
    this.ctls.push({
      kind: 'func', start: -1, params: EMPTY, results: type.results, height: 0, slots: off,
      loopPc: 0, fixups: [], patch: -1, unreachable: false,
    });
  }

  invalid(message: string): never {
    const instr = this.func.body[this.at];
    throw new ValidationError(message, {
      where: `func ${this.funcIndex}`, funcIndex: this.funcIndex, instrIndex: this.at,
      op: instr?.op, span: instr?.span ?? this.func.endSpan,
    });
  }

  push(t: StackType): void {
    this.types.push(t);
    this.slots += t === 'unknown' ? 1 : slotsOf(t);
    if (this.slots > this.maxSlots) this.maxSlots = this.slots;
  }

  pushAll(ts: readonly ValType[]): void {
    for (const t of ts) this.push(t);
  }

  pop(): StackType {
    const ctl = this.ctls[this.ctls.length - 1]!;
    if (this.types.length <= ctl.height) {
      if (ctl.unreachable) return 'unknown';
      this.invalid('type mismatch');
    }
    const t = this.types.pop()!;
    this.slots -= t === 'unknown' ? 1 : slotsOf(t);
    return t;
  }

  popN(n: number): void {
    for (let i = 0; i < n; i++) this.pop();
  }

  /** Drops everything above the innermost label: the code after a branch is dead. */
  setUnreachable(): void {
    const ctl = this.ctls[this.ctls.length - 1]!;
    this.types.length = ctl.height;
    this.slots = ctl.slots;
    ctl.unreachable = true;
  }

  blockType(bt: BlockType | undefined): FuncType {
    if (bt === undefined || bt.kind === 'empty') return { params: EMPTY, results: EMPTY };
    if (bt.kind === 'value') return { params: EMPTY, results: [bt.type] };
    const t = this.mt.types[bt.index];
    if (t === undefined) this.invalid(`unknown type ${bt.index}`);
    return t;
  }

  local(i: number | undefined): { type: ValType; offset: number } {
    const t = i === undefined ? undefined : this.localTypes[i];
    if (t === undefined) this.invalid(`unknown local ${i}`);
    return { type: t, offset: this.localOffsets[i!]! };
  }

  global(i: number | undefined): GlobalType {
    const g = i === undefined ? undefined : this.mt.globals[i];
    if (g === undefined) this.invalid(`unknown global ${i}`);
    return g;
  }

  table(i: number | undefined): TableType {
    const t = i === undefined ? undefined : this.mt.tables[i];
    if (t === undefined) this.invalid(`unknown table ${i}`);
    return t;
  }

  /** table64: the index type of table i. */
  addr(i: number): ValType {
    return this.mt.tables[i]?.limits.index64 === true ? 'i64' : 'i32';
  }

  /** The internal opcode of a table instruction: its TABLE64 form when a table it uses is an i64 table. */
  t64(op: number, ...tables: number[]): number {
    if (!tables.some((i) => this.addr(i) === 'i64')) return op;
    return TABLE64.GET + TABLE64_BASE.indexOf(op);
  }

  label(depth: number | undefined): Ctl {
    const ctl = depth === undefined ? undefined : this.ctls[this.ctls.length - 1 - depth];
    if (ctl === undefined) this.invalid(`unknown label ${depth}`);
    return ctl;
  }

  /** Emits a branch's side-table entry (layout.ts): target, height, slots carried, references flag. */
  branchEntry(target: Ctl): void {
    const arity = target.kind === 'loop' ? target.params : target.results;
    const carry = sumSlots(arity);
    const at = this.code.length;
    this.code.push(target.loopPc, target.slots, carry, arity.some(isRef) ? 1 : 0);
    if (target.kind !== 'loop') target.fixups.push(at);
  }

  /** Whether a branch to `target` needs no stack adjustment (values already in place). */
  inPlace(target: Ctl): boolean {
    const arity = target.kind === 'loop' ? target.params : target.results;
    return this.slots - sumSlots(arity) === target.slots;
  }

  branch(depth: number | undefined, conditional: boolean): void {
    const target = this.label(depth);
    if (!conditional && target.kind === 'func') {
      this.code.push(OPC.RETURN);
      return;
    }
    if (this.inPlace(target)) {
      this.code.push(conditional ? OPC.BR_IF : OPC.BR);
      const at = this.code.length;
      this.code.push(target.loopPc);
      if (target.kind !== 'loop') target.fixups.push(at);
    } else {
      this.code.push(conditional ? OPC.BR_IF_ADJ : OPC.BR_ADJ);
      this.branchEntry(target);
    }
  }

  enter(kind: Ctl['kind'], start: number, bt: FuncType): Ctl {
    this.popN(bt.params.length);
    const ctl: Ctl = {
      kind, start, params: bt.params, results: bt.results, height: this.types.length, slots: this.slots,
      loopPc: this.code.length, fixups: [], patch: -1, unreachable: false,
    };
    this.ctls.push(ctl);
    this.pushAll(bt.params);
    return ctl;
  }

  /** Patches forward branches of `ctl` to continue at `pc`. */
  patchFixups(ctl: Ctl, pc: number): void {
    for (const at of ctl.fixups) this.code[at] = pc;
    for (const c of ctl.catchFixups ?? []) c.target = pc;
  }

  snapshot(): PositionAnalysis {
    return {
      stack: [...this.types],
      labels: this.ctls.map((c) => ({
        kind: c.kind, start: c.start, params: c.params, results: c.results,
        arity: c.kind === 'loop' ? c.params.length : c.results.length, height: c.height,
      })),
      unreachable: this.ctls[this.ctls.length - 1]!.unreachable,
    };
  }

  run(stopAt: number): { offsets: Int32Array; snapshot?: PositionAnalysis } {
    const body = this.func.body;
    const offsets = new Int32Array(body.length + 1);
    this.offsets = offsets;
    for (let i = 0; i < body.length; i++) {
      if (i === stopAt) return { offsets, snapshot: this.snapshot() };
      this.at = i;
      offsets[i] = this.code.length;
      this.instr(body[i]!, i);
    }
    this.at = body.length;
    if (stopAt === body.length) return { offsets, snapshot: this.snapshot() };
    if (this.ctls.length !== 1) this.invalid('unclosed block');
    const ctl = this.ctls[0]!;
    offsets[body.length] = this.code.length;
    this.patchFixups(ctl, this.code.length);
    this.popN(ctl.results.length);
    if (this.types.length !== 0) this.invalid('type mismatch');
    this.code.push(OPC.RETURN);
    return { offsets };
  }

  instr(ins: Instr, pos: number): void {
    const code = this.code;
    const op = ins.code;
    switch (op) {
      case 0x00: // unreachable
        code.push(op);
        this.setUnreachable();
        return;
      case 0x01: // nop
        code.push(op);
        return;
      case 0x02: // block
      case 0x03: // loop
        code.push(op);
        this.enter(op === 0x02 ? 'block' : 'loop', pos, this.blockType(ins.blockType));
        return;
      case 0x04: { // if: jumps to the else branch (or the end) when the condition is 0
        this.pop();
        code.push(op, 0);
        const ctl = this.enter('if', pos, this.blockType(ins.blockType));
        ctl.patch = code.length - 1;
        return;
      }
      case 0x05: { // else: the then-branch falls through to here and jumps to the `end`
        const ctl = this.ctls[this.ctls.length - 1]!;
        if (ctl.kind !== 'if') this.invalid('else without if');
        this.popN(ctl.results.length);
        if (this.types.length !== ctl.height && !ctl.unreachable) this.invalid('type mismatch');
        code.push(op, 0);
        code[ctl.patch] = code.length;
        this.ctls.pop();
        this.types.length = ctl.height;
        this.slots = ctl.slots;
        const els: Ctl = { ...ctl, kind: 'else', fixups: ctl.fixups, patch: code.length - 1, unreachable: false };
        this.ctls.push(els);
        this.pushAll(ctl.params);
        return;
      }
      case 0x0b: { // end
        const ctl = this.ctls[this.ctls.length - 1]!;
        if (ctl.kind === 'func') this.invalid('unexpected end');
        if (ctl.kind === 'try_table') this.handlers.push({ ...ctl.handler!, end: code.length });
        this.popN(ctl.results.length);
        if (this.types.length !== ctl.height && !ctl.unreachable) this.invalid('type mismatch');
        const here = code.length;
        code.push(op);
        if (ctl.kind === 'if') code[ctl.patch] = here; // no else: a false condition lands on this end
        if (ctl.kind === 'else') code[ctl.patch] = here;
        this.patchFixups(ctl, code.length);
        this.ctls.pop();
        this.types.length = ctl.height;
        this.slots = ctl.slots;
        this.pushAll(ctl.results);
        return;
      }
      case 0x1f: // try_table
      case 0x06: // try
      case 0x07: // catch
      case 0x19: // catch_all
      case 0x18: // delegate
      case 0x08: // throw
      case 0x0a: // throw_ref
      case 0x09: // rethrow
        compileException(this, ins, pos);
        return;
      case 0x0c: // br
        this.branch(ins.index, false);
        this.setUnreachable();
        return;
      case 0x0d: // br_if
        this.pop();
        this.branch(ins.index, true);
        return;
      case 0x0e: { // br_table
        this.pop();
        const labels = ins.labels ?? [];
        if (labels.length === 0) this.invalid('br_table without labels');
        code.push(op, labels.length - 1);
        for (const l of labels) this.branchEntry(this.label(l));
        this.setUnreachable();
        return;
      }
      case 0x0f: // return
        code.push(op);
        this.setUnreachable();
        return;
      case 0x10: { // call
        const t = ins.index === undefined ? undefined : this.mt.funcs[ins.index];
        if (t === undefined) this.invalid(`unknown function ${ins.index}`);
        this.popN(t.params.length);
        this.pushAll(t.results);
        code.push(op, ins.index!);
        return;
      }
      case 0x11: { // call_indirect
        const t = ins.index === undefined ? undefined : this.mt.types[ins.index];
        if (t === undefined) this.invalid(`unknown type ${ins.index}`);
        this.table(ins.index2 ?? 0);
        this.pop();
        this.popN(t.params.length);
        this.pushAll(t.results);
        code.push(this.t64(op, ins.index2 ?? 0), ins.index!, ins.index2 ?? 0);
        return;
      }
      case 0x12: // return_call [func]
      case 0x13: // return_call_indirect [type table]
      case 0x15: { // return_call_ref [type]
        const direct = op === 0x12;
        const t = ins.index === undefined ? undefined : direct ? this.mt.funcs[ins.index] : this.mt.types[ins.index];
        if (t === undefined) this.invalid(`unknown ${direct ? 'function' : 'type'} ${ins.index}`);
        if (op === 0x13) this.table(ins.index2 ?? 0);
        if (!direct) this.pop(); // the table index, or the reference
        this.popN(t.params.length);
        if (direct) code.push(OPC.RETURN_CALL, ins.index!);
        else if (op === 0x15) code.push(OPC.RETURN_CALL_REF, ins.index!);
        else code.push(OPC.RETURN_CALL_INDIRECT, ins.index!, ins.index2 ?? 0);
        this.setUnreachable();
        return;
      }
      case 0x1a: { // drop
        const t = this.pop();
        code.push(t === 'v128' ? OPC.DROP2 : OPC.DROP);
        return;
      }
      case 0x1b: // select
      case 0x1c: { // select (result t)
        this.pop();
        const a = this.pop();
        const b = this.pop();
        const t: StackType = ins.types?.[0] ?? (a === 'unknown' ? b : a);
        this.push(t);
        code.push(byWidth(t, OPC.SELECT32, OPC.SELECT64, OPC.SELECT128, OPC.SELECT_REF));
        return;
      }
      case 0x20: { // local.get
        const l = this.local(ins.index);
        this.push(l.type);
        code.push(byWidth(l.type, OPC.LOCAL_GET32, OPC.LOCAL_GET64, OPC.LOCAL_GET128, OPC.LOCAL_GET_REF), l.offset);
        return;
      }
      case 0x21: { // local.set
        const l = this.local(ins.index);
        this.pop();
        code.push(byWidth(l.type, OPC.LOCAL_SET32, OPC.LOCAL_SET64, OPC.LOCAL_SET128, OPC.LOCAL_SET_REF), l.offset);
        return;
      }
      case 0x22: { // local.tee
        const l = this.local(ins.index);
        this.pop();
        this.push(l.type);
        code.push(byWidth(l.type, OPC.LOCAL_TEE32, OPC.LOCAL_TEE64, OPC.LOCAL_TEE128, OPC.LOCAL_TEE_REF), l.offset);
        return;
      }
      case 0x23: { // global.get
        const g = this.global(ins.index);
        this.push(g.type);
        code.push(byWidth(g.type, OPC.GLOBAL_GET32, OPC.GLOBAL_GET64, OPC.GLOBAL_GET128, OPC.GLOBAL_GET_REF), ins.index!);
        return;
      }
      case 0x24: { // global.set
        const g = this.global(ins.index);
        this.pop();
        code.push(byWidth(g.type, OPC.GLOBAL_SET32, OPC.GLOBAL_SET64, OPC.GLOBAL_SET128, OPC.GLOBAL_SET_REF), ins.index!);
        return;
      }
      case 0x25: { // table.get
        const t = this.table(ins.index);
        this.pop();
        this.push(t.elem);
        code.push(this.t64(op, ins.index!), ins.index!);
        return;
      }
      case 0x26: // table.set
        this.table(ins.index);
        this.popN(2);
        code.push(this.t64(op, ins.index!), ins.index!);
        return;
      case 0x3f: // memory.size
      case 0x40: { // memory.grow
        // Memory 0 with i32 sizes has its own opcodes; others are MEM_* (engine/exec/memories.ts).
        const x = ins.index ?? 0;
        if (op === 0x40) this.pop();
        this.push(this.mt.mem64[x] === true ? 'i64' : 'i32');
        if (x === 0 && this.mt.mem64[0] !== true) code.push(op);
        else code.push(op === 0x3f ? OPC.MEM_SIZE : OPC.MEM_GROW, x);
        return;
      }
      case 0x41: // i32.const
        this.push('i32');
        code.push(op, Number(ins.value) | 0);
        return;
      case 0x42: { // i64.const: low word, high word
        this.push('i64');
        const v = BigInt.asUintN(64, BigInt(ins.value ?? 0));
        code.push(op, Number(v & 0xffff_ffffn) | 0, Number(v >> 32n) | 0);
        return;
      }
      case 0x43: // f32.const: bits
        this.push('f32');
        code.push(op, Number(ins.value) | 0);
        return;
      case 0x44: { // f64.const: bits, low word first
        this.push('f64');
        const v = BigInt.asUintN(64, BigInt(ins.value ?? 0));
        code.push(op, Number(v & 0xffff_ffffn) | 0, Number(v >> 32n) | 0);
        return;
      }
      case 0xd0: // ref.null
        this.push(ins.refType ?? `(ref null ${ins.heapType!})`);
        code.push(op);
        return;
      case 0xd1: // ref.is_null
        this.pop();
        this.push('i32');
        code.push(op);
        return;
      case 0xd2: // ref.func
        if (ins.index === undefined || this.mt.funcs[ins.index] === undefined) this.invalid(`unknown function ${ins.index}`);
        this.push('funcref');
        code.push(op, ins.index);
        return;
      case 0x14: // call_ref
      case 0xd4: // ref.as_non_null
      case 0xd5: // br_on_null
      case 0xd6: // br_on_non_null
        compileRefInstr(this, ins);
        return;
      case 0xfc0008: // memory.init data memory
        this.popN(3);
        if ((ins.index2 ?? 0) === 0 && this.mt.mem64[0] !== true) code.push(OPC.FC + 8, ins.index!);
        else code.push(OPC.MEM_INIT, ins.index!, ins.index2!);
        return;
      case 0xfc0009: // data.drop data
        code.push(OPC.FC + 9, ins.index!);
        return;
      case 0xfc000a: // memory.copy dst src
      case 0xfc000b: { // memory.fill
        this.popN(3);
        const x = ins.index2 ?? 0;
        const y = ins.index3 ?? 0;
        if (x === 0 && y === 0 && this.mt.mem64[0] !== true) code.push(internalOp(op));
        else if (op === 0xfc000a) code.push(OPC.MEM_COPY, x, y);
        else code.push(OPC.MEM_FILL, x);
        return;
      }
      case 0xfc000c: // table.init elem table
        this.table(ins.index2 ?? 0);
        this.popN(3);
        code.push(this.t64(OPC.FC + 12, ins.index2 ?? 0), ins.index!, ins.index2 ?? 0);
        return;
      case 0xfc000d: // elem.drop
        code.push(OPC.FC + 13, ins.index!);
        return;
      case 0xfc000e: // table.copy dst src
        this.table(ins.index);
        this.table(ins.index2 ?? 0);
        this.popN(3);
        code.push(this.t64(OPC.FC + 14, ins.index!, ins.index2 ?? 0), ins.index!, ins.index2 ?? 0);
        return;
      case 0xfc000f: // table.grow
        this.table(ins.index);
        this.popN(2);
        this.push(this.addr(ins.index!));
        code.push(this.t64(OPC.FC + 15, ins.index!), ins.index!);
        return;
      case 0xfc0010: // table.size
        this.table(ins.index);
        this.push(this.addr(ins.index!));
        code.push(this.t64(OPC.FC + 16, ins.index!), ins.index!);
        return;
      case 0xfc0011: // table.fill
        this.table(ins.index);
        this.popN(3);
        code.push(this.t64(OPC.FC + 17, ins.index!), ins.index!);
        return;
    }
    const sig = stackTypes(op);
    if (sig === undefined) this.invalid(`unsupported instruction ${ins.op}`);
    this.popN(sig.params.length);
    this.pushAll(sig.results);
    const other = ins.memarg === undefined ? undefined : memAccessCode(ins, op, this.mt.mem64);
    if (other !== undefined) {
      for (const w of other) code.push(w);
      return;
    }
    code.push(internalOp(op));
    if (ins.memarg !== undefined) {
      code.push(ins.memarg.offset | 0);
      if (ins.index !== undefined && op >>> 16 === 0xfd) code.push(ins.index); // load/store_lane
    } else if (ins.bytes !== undefined) {
      // v128.const and i8x16.shuffle: 16 bytes as 4 little-endian words
      const b = ins.bytes;
      for (let w = 0; w < 4; w++) code.push(b[4 * w]! | (b[4 * w + 1]! << 8) | (b[4 * w + 2]! << 16) | (b[4 * w + 3]! << 24));
    } else if (ins.index !== undefined) {
      code.push(ins.index); // lane index of extract/replace_lane
    }
  }
}

/**
 * try_table, legacy try/catch/catch_all/delegate, throw, throw_ref, rethrow: their code and
 * their handlers (engine/exec/handlers.ts). Catch labels of try_table are resolved outside
 * its own label (https://webassembly.github.io/spec/core/valid/instructions.html#xref-syntax-instructions-syntax-instr-control-mathsf-try-table-xref-syntax-types-syntax-blocktype-mathit-blocktype-xref-syntax-instructions-syntax-catch-mathit-catch-ast-xref-syntax-instructions-syntax-instr-mathit-instr-ast-xref-syntax-instructions-syntax-instr-control-mathsf-end).
 */
function compileException(c: Compiler, ins: Instr, pos: number): void {
  const code = c.code;
  const top = (): Ctl => c.ctls[c.ctls.length - 1]!;
  /** A legacy catch or catch_all: closes the try body (its handler's region) and opens the catch body. */
  const legacyCatch = (kind: 'catch' | 'catch_all', tag: number): void => {
    const ctl = top();
    if (ctl.kind !== 'try' && ctl.kind !== 'catch') c.invalid(`${ins.op} without try`);
    c.popN(ctl.results.length);
    if (c.types.length !== ctl.height && !ctl.unreachable) c.invalid('type mismatch');
    const here = code.length;
    code.push(kind === 'catch' ? OPC.CATCH : OPC.CATCH_ALL, 0);
    ctl.fixups.push(here + 1); // the completed body jumps to the end
    const entry: CatchEntry = { kind, tag, label: -1, target: code.length, height: ctl.slots, count: ctl.height };
    let handler = ctl.handler;
    if (ctl.kind === 'try') {
      handler = {
        kind: 'try', position: ctl.start, start: ctl.loopPc, end: here, catches: [entry], exnSlot: ctl.exnSlot!,
        delegateLabel: -1, delegatePc: -1,
      };
      c.handlers.push(handler);
    } else (handler!.catches as CatchEntry[]).push(entry);
    c.ctls.pop();
    c.types.length = ctl.height;
    c.slots = ctl.slots;
    c.ctls.push({ ...ctl, kind, handler, unreachable: false });
    if (kind === 'catch') c.pushAll(c.tagTypes[tag]?.params ?? c.invalid(`unknown tag ${tag}`));
  };
  switch (ins.code) {
    case 0x1f: { // try_table bt catch* : a block whose region has the catch clauses
      const bt = c.blockType(ins.blockType);
      const catches = (ins.catches ?? []).map((cl): CatchEntry => {
        const target = c.label(cl.label);
        const entry: CatchEntry = {
          kind: cl.kind, tag: cl.tag ?? -1, label: cl.label, target: target.loopPc, height: target.slots, count: target.height,
        };
        if (target.kind !== 'loop') (target.catchFixups ??= []).push(entry);
        return entry;
      });
      code.push(OPC.TRY_TABLE);
      const ctl = c.enter('try_table', pos, bt);
      ctl.handler = { kind: 'try_table', position: pos, start: code.length, end: -1, catches, exnSlot: -1, delegateLabel: -1, delegatePc: -1 };
      return;
    }
    case 0x06: { // try bt
      code.push(OPC.TRY);
      const ctl = c.enter('try', pos, c.blockType(ins.blockType));
      ctl.exnSlot = c.nextExnSlot++;
      return;
    }
    case 0x07: // catch x
      legacyCatch('catch', ins.index ?? -1);
      return;
    case 0x19: // catch_all
      legacyCatch('catch_all', -1);
      return;
    case 0x18: { // delegate l: ends the try; its body's exceptions go to label l (outside the try)
      const ctl = top();
      if (ctl.kind !== 'try') c.invalid('delegate without try');
      c.popN(ctl.results.length);
      if (c.types.length !== ctl.height && !ctl.unreachable) c.invalid('type mismatch');
      const l = ins.index ?? 0;
      const outer = c.ctls[c.ctls.length - 2 - l];
      if (outer === undefined) c.invalid(`unknown label ${l}`);
      // Search on from the opening of the block just inside label l: inside l's region,
      // outside every handler between.
      const inner = c.ctls[c.ctls.length - 1 - l]!;
      const delegatePc = outer.kind === 'func' ? -1 : c.offsets[inner.start]!;
      c.handlers.push({
        kind: 'delegate', position: ctl.start, start: ctl.loopPc, end: code.length, catches: [], exnSlot: -1,
        delegateLabel: l, delegatePc,
      });
      code.push(OPC.DELEGATE);
      c.patchFixups(ctl, code.length);
      c.ctls.pop();
      c.types.length = ctl.height;
      c.slots = ctl.slots;
      c.pushAll(ctl.results);
      return;
    }
    case 0x08: { // throw x
      const t = c.tagTypes[ins.index ?? -1] ?? c.invalid(`unknown tag ${ins.index}`);
      c.popN(t.params.length);
      code.push(OPC.THROW, ins.index!);
      c.setUnreachable();
      return;
    }
    case 0x0a: // throw_ref
      c.pop();
      code.push(OPC.THROW_REF);
      c.setUnreachable();
      return;
    case 0x09: { // rethrow l: the exception of the catch at label l
      const target = c.label(ins.index);
      if (target.kind !== 'catch' && target.kind !== 'catch_all') c.invalid('invalid rethrow label');
      code.push(OPC.RETHROW, target.exnSlot!);
      c.setUnreachable();
      return;
    }
  }
}

const cache = new WeakMap<Func, CompiledFunc>();

/** Pre-decodes function `funcIndex` (function index space) of `module`; cached per function. */
export function compileFunc(module: Module, mt: ModuleTypes, funcIndex: number): CompiledFunc {
  const func = module.funcs[funcIndex - mt.importedFuncs];
  const hit = func === undefined ? undefined : cache.get(func);
  if (hit !== undefined && hit.funcIndex === funcIndex) return hit;
  const c = new Compiler(module, mt, funcIndex);
  const { offsets } = c.run(-1);
  const refLocals: number[] = [];
  for (let i = c.type.params.length; i < c.localTypes.length; i++) if (isRef(c.localTypes[i]!)) refLocals.push(c.localOffsets[i]!);
  const code = Int32Array.from(c.code);
  const compiled: CompiledFunc = {
    func: c.func,
    funcIndex,
    type: c.type,
    code,
    fast: fuseCode(code, offsets),
    offsets,
    localTypes: c.localTypes,
    localOffsets: c.localOffsets,
    paramSlots: sumSlots(c.type.params),
    localSlots: c.localSlots,
    resultSlots: sumSlots(c.type.results),
    resultRefs: c.type.results.some(isRef),
    refLocals: Int32Array.from(refLocals),
    maxSlots: c.maxSlots,
    handlers: c.handlers.length === 0 ? NO_HANDLERS : c.handlers,
  };
  cache.set(c.func, compiled);
  return compiled;
}

/**
 * The operand stack types and labels just before body position `position` of a function:
 * what a paused view needs beyond the raw slots. Re-runs the pre-decoder's type tracking
 * up to that point, so the interpreter pays nothing for it.
 */
export function analyze(module: Module, mt: ModuleTypes, funcIndex: number, position: number): PositionAnalysis {
  const c = new Compiler(module, mt, funcIndex);
  return c.run(position).snapshot!;
}

/** The body position whose code starts at or before code offset `pc` (inverse of `offsets`). */
export function positionOf(offsets: Int32Array, pc: number): number {
  let lo = 0;
  let hi = offsets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid]! <= pc) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
