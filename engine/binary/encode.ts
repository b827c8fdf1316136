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
  type BlockType, type ByteSpan, type Elem, type ExternKind, type Func, type Instr, type Limits, type Module, opByCode, opByCodeAny, opByName, type OpInfo, type ValType, type ValType2, type OpInfo3, OPS_3, type AbsHeapType, type HeapType, refTypeParts,
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
  ...{ exnref: 0x69, nullexnref: 0x74 },
};

/** The one-byte reference types of 3.0 (and their (ref null ht) spelling). */
const REF_SHORTHAND_BYTES: Readonly<Record<string, number>> = {
  funcref: 0x70, externref: 0x6f, anyref: 0x6e, eqref: 0x6d, i31ref: 0x6c, structref: 0x6b, arrayref: 0x6a,
  exnref: 0x69, nullref: 0x71, nullexternref: 0x72, nullfuncref: 0x73, nullexnref: 0x74,
  '(ref null func)': 0x70, '(ref null extern)': 0x6f, '(ref null any)': 0x6e, '(ref null eq)': 0x6d, '(ref null i31)': 0x6c,
  '(ref null struct)': 0x6b, '(ref null array)': 0x6a, '(ref null exn)': 0x69, '(ref null none)': 0x71,
  '(ref null noextern)': 0x72, '(ref null nofunc)': 0x73, '(ref null noexn)': 0x74,
};

/** Abstract heap types' bytes (https://webassembly.github.io/spec/core/binary/types.html#heap-types). */
const HEAP_BYTES: Readonly<Record<AbsHeapType, number>> = {
  func: 0x70, extern: 0x6f, any: 0x6e, eq: 0x6d, i31: 0x6c, struct: 0x6b, array: 0x6a, exn: 0x69, none: 0x71,
  noextern: 0x72, nofunc: 0x73, noexn: 0x74,
};

/** The byte of a 2.0 value type; the encoder writes WebAssembly 2.0 only (the decoder reads 3.0). */
function valTypeByte(t: ValType): number {
  const byte = VAL_TYPE_BYTES[t as ValType2];
  if (byte === undefined) throw new Error(`encodeModule writes WebAssembly 2.0 only, not the type ${t}`);
  return byte;
}

function externKindByte(kind: ExternKind): number {
  return EXTERN_KIND_BYTES[kind];
}

const EXTERN_KIND_BYTES = { func: 0, table: 1, memory: 2, global: 3, tag: 4 } as const;

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
              this.valType(desc.type.elem);
              this.limits(desc.type.limits);
            } else if (desc.kind === 'memory') this.limits(desc.type.limits);
            else if (desc.kind === 'global') {
              this.valType(desc.type.type);
              w.u8(desc.type.mutable ? 1 : 0);
            } else { // tag: attribute 0 (exception), type index
              w.u8(0);
              w.u32(desc.type);
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
            if (table.init !== undefined) { w.u8(0x40); w.u8(0x00); } // 3.0: a table with an initial value
            this.valType(table.type.elem);
            this.limits(table.type.limits);
            if (table.init !== undefined) this.expr(table.init);
          }
        });
      case 5:
        if (m.mems.length === 0) return;
        return this.section(5, () => {
          w.u32(m.mems.length);
          for (const mem of m.mems) this.limits(mem.type.limits);
        });
      case 6:
        // The tag section (13) comes between the memory and global sections.
        if (m.tags !== undefined && m.tags.length > 0) {
          const tags = m.tags;
          this.section(13, () => {
            w.u32(tags.length);
            for (const tag of tags) {
              w.u8(0);
              w.u32(tag.type);
            }
          });
        }
        if (m.globals.length === 0) return;
        return this.section(6, () => {
          w.u32(m.globals.length);
          for (const global of m.globals) {
            this.valType(global.type.type);
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

  /**
   * A value type: one byte for 2.0's and the 3.0 shorthands (a nullable abstract heap
   * type, as wabt writes it), else 0x63 (ref null ht) / 0x64 (ref ht) and the heap type.
   */
  valType(t: ValType): void {
    const byte = VAL_TYPE_BYTES[t as ValType2] ?? REF_SHORTHAND_BYTES[t];
    if (byte !== undefined) return this.w.u8(byte);
    const parts = refTypeParts(t);
    if (parts === undefined) throw new Error(`cannot encode the type ${t}`);
    if (parts.nullable && typeof parts.heap === 'string') {
      const short = REF_SHORTHAND_BYTES[`(ref null ${parts.heap})`];
      if (short !== undefined) return this.w.u8(short);
    }
    this.w.u8(parts.nullable ? 0x63 : 0x64);
    this.heapType(parts.heap);
  }

  /** A heap type: an abstract one's byte, or a type index as s33. */
  heapType(h: HeapType): void {
    if (typeof h === 'number') this.w.sNumber(h);
    else this.w.u8(HEAP_BYTES[h]);
  }

  valTypes(types: readonly ValType[]): void {
    this.w.u32(types.length);
    for (const t of types) this.valType(t);
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
    // Function indices: (ref func) items in 3.0, funcref in 2.0 (so a 3.0 funcref segment
    // of ref.func items reads back as (ref func)); expressions without a type are funcref.
    const indices = (elem.type === 'funcref' || elem.type === '(ref func)') && elem.init.every((item) => item.length === 1 && item[0]?.op === 'ref.func');
    if (mode.kind === 'active' && (mode.table !== 0 || (!indices && elem.type !== 'funcref'))) flags = 2;
    if (!indices) flags |= 4;
    w.u8(flags);
    if (mode.kind === 'active') {
      if (flags & 2) w.u32(mode.table);
      this.expr(mode.offset);
    }
    if (flags & 3) {
      if (indices) w.u8(0x00);
      else this.valType(elem.type);
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
      this.valType(locals[i] as ValType);
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
    const imm: string = info.imm;
    if (imm === 'tag') return w.u32(instr.index ?? 0); // throw, catch
    if (imm === 'try_table') {
      this.blockType(instr.blockType ?? EMPTY_BLOCK);
      const catches = instr.catches ?? [];
      w.u32(catches.length);
      for (const c of catches) {
        w.u8(CATCH_BYTES[c.kind]);
        if (c.tag !== undefined) w.u32(c.tag);
        w.u32(c.label);
      }
      return;
    }
    if ((info.imm as string) === 'type') return w.u32(instr.index ?? 0); // call_ref, return_call_ref
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
        return instr.heapType !== undefined ? this.heapType(instr.heapType) : w.u8(valTypeByte(instr.refType ?? 'funcref'));
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
    else if (bt.kind === 'value') this.valType(bt.type);
    else this.w.sNumber(bt.index);
  }
}

/** try_table's catch clause kinds (https://webassembly.github.io/spec/core/binary/instructions.html#control-instructions). */
const CATCH_BYTES = { catch: 0, catch_ref: 1, catch_all: 2, catch_all_ref: 3 } as const;
/** The typed function reference instructions, which the encoder writes too. */
const TYPED_REF_OPS: ReadonlyMap<number, OpInfo> = new Map(
  OPS_3.filter((info) => info.proposal === 'function-references').map((info) => [info.code, info as OpInfo3 as OpInfo]),
);

const SPAN_INSTR = 0;
const SPAN_FUNC = 1;
const SPAN_END = 2;

const HEADER = Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);
const EMPTY_BLOCK: BlockType = { kind: 'empty' };

/**
 * The 3.0 calls: return_call and return_call_indirect (their immediates are call's and
 * call_indirect's), call_ref and return_call_ref (a type index).
 */
function tailCall(code: number): OpInfo | undefined {
  return code >= 0x12 && code <= 0x15 ? (opByCodeAny(code) as OpInfo) : undefined;
}

/** The opcode table entry: by code, and for the typed `select` by its result types. */
/** The 3.0 instructions the encoder writes besides 2.0: exception handling's. */
const EH_PROPOSALS = new Set<string | undefined>(['exceptions', 'legacy-exceptions']);

function lookup(instr: Instr): OpInfo {
  if (instr.op === 'select' && instr.types !== undefined) return opByCode(0x1c) as OpInfo;
  let info = opByCode(instr.code) ?? opByName(instr.op) ?? tailCall(instr.code) ?? TYPED_REF_OPS.get(instr.code);
  // 3.0 instructions with 2.0's kinds of immediates (relaxed SIMD), and exception handling's.
  if (info === undefined) {
    const any = opByCodeAny(instr.code);
    if (any?.proposal === 'relaxed-simd' || EH_PROPOSALS.has(any?.proposal)) info = any as OpInfo;
  }
  if (info === undefined) throw new RangeError(`cannot encode unknown instruction ${instr.op} (0x${instr.code.toString(16)})`);
  return info;
}

