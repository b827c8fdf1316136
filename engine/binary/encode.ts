// The binary format encoder: module AST → bytes, for WebAssembly 2.0
// (https://webassembly.github.io/spec/core/binary/modules.html).
//
// The output is the canonical encoding, byte for byte what wabt's `toBinary({})` writes
// for the same module: sections in spec order and only when non-empty, minimal LEB128
// everywhere, runs of equal locals merged, the most compact element segment form, the
// data count section when the AST has one, and custom sections back where they were
// (`Custom.after`).
//
// `encodeModule` only reads the module. Giving text-parsed code byte spans is a separate,
// explicit step: `recordByteSpans` encodes and writes each instruction's place in the
// bytes into its span, so the stepper can highlight the bytes of code parsed from text.

import {
  type BlockType, type ByteSpan, type Elem, type ExternKind, type Func, type Instr, type Limits, type Module, opByCode, opByName, type OpInfo, type ValType, type ValType2,
} from '../syntax/index.ts';
import { Writer } from './writer.ts';

/**
 * Which spans `recordByteSpans` writes: 'all' overwrites every one, 'missing' fills in only
 * those that have no `bytes` yet (code parsed from text).
 */
export type SpansToRecord = 'all' | 'missing';

/** How an Encoder treats spans: not at all (the pure encoder), or as recordByteSpans says. */
type SpanMode = 'none' | SpansToRecord;

const VAL_TYPE_BYTES: Record<ValType2, number> = {
  i32: 0x7f,
  i64: 0x7e,
  f32: 0x7d,
  f64: 0x7c,
  v128: 0x7b,
  funcref: 0x70,
  externref: 0x6f,
};

/** The byte of a 2.0 value type; the encoder writes WebAssembly 2.0 only (the decoder reads 3.0). */
function valTypeByte(t: ValType): number {
  const byte = VAL_TYPE_BYTES[t as ValType2];
  if (byte === undefined) throw new Error(`encodeModule writes WebAssembly 2.0 only, not the type ${t}`);
  return byte;
}

function externKindByte(kind: ExternKind): number {
  if (kind === 'tag') throw new Error('encodeModule writes WebAssembly 2.0 only, not exception tags');
  return EXTERN_KIND_BYTES[kind];
}

const EXTERN_KIND_BYTES = { func: 0, table: 1, memory: 2, global: 3 } as const;

/** Position of each section id in the required order (the data count section, 12, comes before code). */
const SECTION_ORDER = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10];
/** Section ids by position in that order. */
const SECTIONS_IN_ORDER = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 10, 11];

/** Encodes a module to its canonical binary form. The module is not changed. */
export function encodeModule(module: Module): Uint8Array {
  return new Encoder(module, 'none').encode();
}

/**
 * Encodes a module and writes where each instruction is in the result into its span:
 * `span.bytes` of every instruction, and each Func's `span.bytes` (its code entry) and
 * `endSpan.bytes` (its final `end`); with 'missing', only spans that have no bytes yet.
 * Returns the bytes, the same as `encodeModule`'s.
 */
export function recordByteSpans(module: Module, which: SpansToRecord = 'all'): Uint8Array {
  return new Encoder(module, which).encode();
}

class Encoder {
  readonly m: Module;
  readonly spans: SpanMode;
  readonly w = new Writer();
  // Spans to set once the final layout is known: offsets are provisional while
  // enclosing sizes are still being slid into place (see Writer.endSized).
  readonly targets: (Instr | Func)[] = [];
  readonly kinds: number[] = []; // SPAN_INSTR, SPAN_FUNC or SPAN_END
  readonly starts: number[] = [];
  readonly lengths: number[] = [];

  constructor(module: Module, spans: SpanMode) {
    this.m = module;
    this.spans = spans;
  }

  /** Whether to record the bytes of a span that currently has `bytes`. */
  wants(bytes: ByteSpan | undefined): boolean {
    return this.spans === 'all' || (this.spans === 'missing' && bytes === undefined);
  }

  encode(): Uint8Array {
    const w = this.w;
    const m = this.m;
    w.bytes(HEADER);

    // Customs by the position of the section they follow.
    const customsAt: Module['customs'][number][][] = SECTION_ORDER.map(() => []);
    for (const custom of m.customs) {
      const slot = SECTION_ORDER[custom.after] ?? 0;
      (customsAt[slot] as Module['customs'][number][]).push(custom);
    }
    const writeCustoms = (slot: number) => {
      for (const custom of customsAt[slot] as Module['customs'][number][]) {
        this.section(0, () => {
          w.name(custom.name);
          w.bytes(custom.bytes);
        });
      }
    };

    writeCustoms(0);
    for (const id of SECTIONS_IN_ORDER) {
      this.sectionById(id);
      writeCustoms(SECTION_ORDER[id] as number);
    }

    for (let i = 0; i < this.targets.length; i++) {
      const bytes = { offset: this.starts[i] as number, length: this.lengths[i] as number };
      const target = this.targets[i] as Instr & Func;
      const kind = this.kinds[i];
      if (kind === SPAN_INSTR || kind === SPAN_FUNC) target.span = { ...target.span, bytes };
      else target.endSpan = { ...target.endSpan, bytes };
    }
    return w.finish();
  }

  /** Writes one section with its id and size, unless it would be empty. */
  sectionById(id: number): void {
    const m = this.m;
    const w = this.w;
    switch (id) {
      case 1:
        if (m.types.length === 0) return;
        return this.section(1, () => {
          w.u32(m.types.length);
          for (const { type } of m.types) {
            w.u8(0x60);
            this.valTypes(type.params);
            this.valTypes(type.results);
          }
        });
      case 2:
        if (m.imports.length === 0) return;
        return this.section(2, () => {
          w.u32(m.imports.length);
          for (const imp of m.imports) {
            w.name(imp.module);
            w.name(imp.name);
            const desc = imp.desc;
            w.u8(externKindByte(desc.kind));
            if (desc.kind === 'func') w.u32(desc.type);
            else if (desc.kind === 'table') {
              w.u8(valTypeByte(desc.type.elem));
              this.limits(desc.type.limits);
            } else if (desc.kind === 'memory') this.limits(desc.type.limits);
            else if (desc.kind === 'global') {
              w.u8(valTypeByte(desc.type.type));
              w.u8(desc.type.mutable ? 1 : 0);
            }
          }
        });
      case 3:
        if (m.funcs.length === 0) return;
        return this.section(3, () => {
          w.u32(m.funcs.length);
          for (const func of m.funcs) w.u32(func.type);
        });
      case 4:
        if (m.tables.length === 0) return;
        return this.section(4, () => {
          w.u32(m.tables.length);
          for (const table of m.tables) {
            w.u8(valTypeByte(table.type.elem));
            this.limits(table.type.limits);
          }
        });
      case 5:
        if (m.mems.length === 0) return;
        return this.section(5, () => {
          w.u32(m.mems.length);
          for (const mem of m.mems) this.limits(mem.type.limits);
        });
      case 6:
        if (m.globals.length === 0) return;
        return this.section(6, () => {
          w.u32(m.globals.length);
          for (const global of m.globals) {
            w.u8(valTypeByte(global.type.type));
            w.u8(global.type.mutable ? 1 : 0);
            this.expr(global.init);
          }
        });
      case 7:
        if (m.exports.length === 0) return;
        return this.section(7, () => {
          w.u32(m.exports.length);
          for (const exp of m.exports) {
            w.name(exp.name);
            w.u8(externKindByte(exp.kind));
            w.u32(exp.index);
          }
        });
      case 8:
        if (m.start === undefined) return;
        return this.section(8, () => w.u32(m.start as number));
      case 9:
        if (m.elems.length === 0) return;
        return this.section(9, () => {
          w.u32(m.elems.length);
          for (const elem of m.elems) this.elem(elem);
        });
      case 12:
        if (m.dataCount === undefined) return;
        return this.section(12, () => w.u32(m.dataCount as number));
      case 10:
        if (m.funcs.length === 0) return;
        return this.section(10, () => {
          w.u32(m.funcs.length);
          for (const func of m.funcs) this.func(func);
        });
      case 11:
        if (m.datas.length === 0) return;
        return this.section(11, () => {
          w.u32(m.datas.length);
          for (const data of m.datas) {
            const mode = data.mode;
            if (mode.kind === 'passive') w.u8(1);
            else if (mode.memory === 0) {
              w.u8(0);
              this.expr(mode.offset);
            } else {
              w.u8(2);
              w.u32(mode.memory);
              this.expr(mode.offset);
            }
            w.u32(data.bytes.length);
            w.bytes(data.bytes);
          }
        });
    }
  }

  section(id: number, content: () => void): void {
    const w = this.w;
    w.u8(id);
    const first = this.targets.length;
    const mark = w.beginSized();
    content();
    this.shifted(first, w.endSized(mark));
  }

  /** Moves the spans recorded since `first` back by `shift` bytes. */
  shifted(first: number, shift: number): void {
    if (shift === 0) return;
    const starts = this.starts;
    for (let i = first; i < starts.length; i++) starts[i] = (starts[i] as number) - shift;
  }

  record(target: Instr | Func, kind: number, start: number, length: number): void {
    this.targets.push(target);
    this.kinds.push(kind);
    this.starts.push(start);
    this.lengths.push(length);
  }

  limits(limits: Limits): void {
    const w = this.w;
    if (limits.index64 === true) return this.limits64(limits);
    if (limits.max === undefined) {
      w.u8(0);
      w.u32(limits.min);
    } else {
      w.u8(1);
      w.u32(limits.min);
      w.u32(limits.max);
    }
  }

  /** memory64 limits: flags 4 (| 1 with a maximum), then u64 bounds. */
  limits64(limits: Limits): void {
    const w = this.w;
    w.u8(limits.max === undefined ? 4 : 5);
    this.u64(limits.min64 ?? BigInt(limits.min));
    if (limits.max !== undefined) this.u64(limits.max64 ?? BigInt(limits.max));
  }

  /** An unsigned LEB128 of up to 64 bits. */
  u64(value: bigint): void {
    let v = BigInt.asUintN(64, value);
    do {
      const byte = Number(v & 0x7fn);
      v >>= 7n;
      this.w.u8(v === 0n ? byte : byte | 0x80);
    } while (v !== 0n);
  }

  valTypes(types: readonly ValType[]): void {
    this.w.u32(types.length);
    for (const t of types) this.w.u8(valTypeByte(t));
  }

  /**
   * Element segments in the most compact form, as wabt chooses it: function indices when
   * every item is a `ref.func` of a funcref segment, an explicit table index only when it
   * is not 0 or the type is not funcref.
   */
  elem(elem: Elem): void {
    const w = this.w;
    const mode = elem.mode;
    let flags = 0;
    if (mode.kind === 'passive') flags = 1;
    else if (mode.kind === 'declarative') flags = 3;
    else if (mode.table !== 0 || elem.type !== 'funcref') flags = 2;
    const indices = elem.type === 'funcref' && elem.init.every((item) => item.length === 1 && item[0]?.op === 'ref.func');
    if (!indices) flags |= 4;
    w.u8(flags);
    if (mode.kind === 'active') {
      if (flags & 2) w.u32(mode.table);
      this.expr(mode.offset);
    }
    if (flags & 3) {
      if (indices) w.u8(0x00);
      else w.u8(valTypeByte(elem.type));
    }
    w.u32(elem.init.length);
    for (const item of elem.init) {
      if (indices) {
        const instr = item[0] as Instr;
        const start = w.pos;
        w.u32(instr.index ?? 0);
        if (this.wants(instr.span.bytes)) this.record(instr, SPAN_INSTR, start, w.pos - start);
      } else {
        this.expr(item);
      }
    }
  }

  func(func: Func): void {
    const w = this.w;
    const first = this.targets.length;
    const entryStart = w.pos;
    const mark = w.beginSized();
    // Locals as runs of one type.
    const locals = func.locals;
    let groups = 0;
    for (let i = 0; i < locals.length; i++) if (i === 0 || locals[i] !== locals[i - 1]) groups++;
    w.u32(groups);
    for (let i = 0; i < locals.length; ) {
      let j = i + 1;
      while (j < locals.length && locals[j] === locals[i]) j++;
      w.u32(j - i);
      w.u8(valTypeByte(locals[i] as ValType));
      i = j;
    }
    this.instrs(func.body);
    const endAt = w.pos;
    w.u8(0x0b);
    if (this.wants(func.endSpan?.bytes)) this.record(func, SPAN_END, endAt, 1);
    this.shifted(first, w.endSized(mark));
    if (this.wants(func.span.bytes)) this.record(func, SPAN_FUNC, entryStart, w.pos - entryStart);
  }

  /** A constant expression and its closing `end`. */
  expr(body: readonly Instr[]): void {
    this.instrs(body);
    this.w.u8(0x0b);
  }

  instrs(body: readonly Instr[]): void {
    const w = this.w;
    for (let i = 0; i < body.length; i++) {
      const instr = body[i] as Instr;
      const start = w.pos;
      this.instr(instr);
      if (this.wants(instr.span.bytes)) this.record(instr, SPAN_INSTR, start, w.pos - start);
    }
  }

  instr(instr: Instr): void {
    const w = this.w;
    const info = lookup(instr);
    const code = info.code;
    if (code < 0x100) w.u8(code);
    else {
      w.u8(code >>> 16);
      w.u32(code & 0xffff);
    }
    switch (info.imm) {
      case 'none':
        return;
      case 'block':
        return this.blockType(instr.blockType ?? EMPTY_BLOCK);
      case 'label':
      case 'local':
      case 'global':
      case 'func':
      case 'table':
      case 'elem':
      case 'data':
        return w.u32(instr.index ?? 0);
      case 'br_table': {
        const labels = instr.labels ?? [0];
        w.u32(labels.length - 1);
        for (const label of labels) w.u32(label);
        return;
      }
      case 'call_indirect':
      case 'table_copy':
      case 'table_init':
        w.u32(instr.index ?? 0);
        return w.u32(instr.index2 ?? 0);
      case 'memarg':
        return this.memArg(instr);
      case 'memarg_lane':
        this.memArg(instr);
        return w.u8(instr.index ?? 0);
      case 'memory':
        return w.u32(instr.index ?? 0);
      case 'i32':
        return w.s32(Number(instr.value ?? 0));
      case 'i64':
        return w.s64(BigInt(instr.value ?? 0n));
      case 'f32':
        return w.fixedU32(Number(instr.value ?? 0));
      case 'f64':
        return w.fixedU64(BigInt(instr.value ?? 0n));
      case 'v128':
      case 'shuffle':
        return w.bytes(instr.bytes ?? new Uint8Array(16));
      case 'lane':
        return w.u8(instr.index ?? 0);
      case 'select_t':
        return this.valTypes(instr.types ?? []);
      case 'ref_null':
        return w.u8(valTypeByte(instr.refType ?? 'funcref'));
      case 'memory_init':
        w.u32(instr.index ?? 0);
        return w.u32(instr.index2 ?? 0);
      case 'memory_copy':
        w.u32(instr.index2 ?? 0);
        return w.u32(instr.index3 ?? 0);
      case 'memory_fill':
        return w.u32(instr.index2 ?? 0);
    }
  }

  memArg(instr: Instr): void {
    const memarg = instr.memarg;
    // A missing memarg means the natural alignment and no offset, as in the text format.
    const align = memarg?.align ?? lookup(instr).align ?? 0;
    // Multiple memories: bit 6 of the flags announces the memory index (only when not 0).
    if (memarg?.memory !== undefined && memarg.memory !== 0) {
      this.w.u32(align | 0x40);
      this.w.u32(memarg.memory);
    } else this.w.u32(align);
    // memory64: offsets beyond 32 bits are a u64.
    if (memarg !== undefined && (memarg.offset64 !== undefined || memarg.offset > 0xffff_ffff)) this.u64(memarg.offset64 ?? BigInt(memarg.offset));
    else this.w.u32(memarg?.offset ?? 0);
  }

  blockType(bt: BlockType): void {
    if (bt.kind === 'empty') this.w.u8(0x40);
    else if (bt.kind === 'value') this.w.u8(valTypeByte(bt.type));
    else this.w.sNumber(bt.index);
  }
}

const SPAN_INSTR = 0;
const SPAN_FUNC = 1;
const SPAN_END = 2;

const HEADER = Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);
const EMPTY_BLOCK: BlockType = { kind: 'empty' };

/** The opcode table entry: by code, and for the typed `select` by its result types. */
function lookup(instr: Instr): OpInfo {
  if (instr.op === 'select' && instr.types !== undefined) return opByCode(0x1c) as OpInfo;
  const info = opByCode(instr.code) ?? opByName(instr.op);
  if (info === undefined) throw new RangeError(`cannot encode unknown instruction ${instr.op} (0x${instr.code.toString(16)})`);
  return info;
}

