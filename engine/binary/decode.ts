// The binary format decoder: bytes → module AST (engine/syntax/ast.ts)
// (https://webassembly.github.io/spec/core/binary/modules.html). It reads WebAssembly 3.0
// (tail calls, exception handling and its legacy form, memory64, multiple memories,
// extended constants, typed function references, GC, relaxed SIMD) so real modules open;
// the validator and interpreter only run 2.0 and refuse the rest
// (engine/valid/unsupported.ts). With `version: '2.0'` it reads 2.0 alone, rejecting later
// constructs with 2.0's own errors, which is what the 2.0 spec suite checks.
//
// It is strict like the spec, and where the spec tests check error messages it follows
// the reference interpreter: reads are not bounded by the declared section or function
// size (an overrun is reported as "section size mismatch" afterwards), lengths must fit in
// the bytes left, and the cross-section checks run once every section is read. Every
// error is a DecodeError with the offset of the offending byte; instructions of later
// proposals are reported as "not supported: <proposal>".
//
// Every instruction and definition gets its byte span, so views can highlight the bytes
// that encode what the stepper is executing.

import { DecodeError } from './error.ts';
import {
  type AnyRefType, type BlockType, type CatchClause, type Custom, type Data, type DataMode, DEFAULT_MAX_NESTING, type Elem, type ElemMode, emptyModule, type Export, type ExternKind, type FieldType, type Func, type FuncType, type Global, type GlobalType, type HeapType, type Import, type ImportDesc, type Instr, laterProposal, type Limits, type MemArg, type Module, nestingTooDeep, type NestingOptions, type OpInfo, type Version, type OpInfo3, OPS, OPS_3, type RefType, type Span, type TableType, type TypeDef, type ValType,
} from '../syntax/index.ts';
import { decodeNames } from './names.ts';
import { END, END_IN_SECTION, Reader, decodeUtf8 } from './reader.ts';

const MAGIC = 0x6d736100; // "\0asm" read little-endian
const VERSION = 1;

/**
 * Locals beyond this are refused. The spec only caps the total at 2^32-1, but locals are
 * expanded into an array per function (and per frame when running), so an absurd count
 * in a tiny file must not exhaust memory; 50000 is the limit engines use (V8, SpiderMonkey).
 */
export const MAX_LOCALS = 50_000;

/**
 * Position of each non-custom section id in the required order: the data count section (12)
 * comes before code, the tag section (13, exception handling) between memory and global.
 */
const SECTION_ORDER = [0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6];

// Opcode lookup by byte / sub-opcode, built once from the shared table.
const singleOps: (OpInfo | undefined)[] = new Array(256).fill(undefined);
const prefixFC: (OpInfo | undefined)[] = [];
const prefixFD: (OpInfo | undefined)[] = [];
for (const info of OPS) {
  const prefix = info.code >>> 16;
  const sub = info.code & 0xffff;
  if (prefix === 0) singleOps[sub] = info;
  else if (prefix === 0xfc) prefixFC[sub] = info;
  else prefixFD[sub] = info;
}

// The 3.0 instructions per opcode space. Single-byte ones are looked up only when the
// 2.0 table has nothing, so 2.0 code pays nothing for them.
const singleOps3: (OpInfo3 | undefined)[] = new Array(256).fill(undefined);
const prefixFD3 = prefixFD.slice();
const prefixFB3: (OpInfo3 | undefined)[] = [];
for (const info of OPS_3) {
  const prefix = info.code >>> 16;
  const sub = info.code & 0xffff;
  if (prefix === 0) singleOps3[sub] = info;
  else if (prefix === 0xfb) prefixFB3[sub] = info;
  else prefixFD3[sub] = info as OpInfo; // relaxed SIMD: plain immediates, read by instr()
}

// Immutable immediates shared between instructions, so common ones cost no allocation.
const EMPTY_BLOCK: BlockType = Object.freeze({ kind: 'empty' });
const VALUE_BLOCK = new Map<ValType, BlockType>();
const ZERO_OFFSET_MEMARGS: MemArg[] = [0, 1, 2, 3, 4].map((align) => Object.freeze({ align, offset: 0 }));

// An element segment's items when it has none: shared, as a module may hold millions of
// such segments (the JS API accepts 10,000,000 of them).
const NO_ITEMS: Instr[][] = Object.freeze([]) as unknown as Instr[][];
/** Whether the `length` bytes at `a` and at `b` are the same. */
function sameBytes(bytes: Uint8Array, a: number, b: number, length: number): boolean {
  if (b + length > bytes.length) return false;
  for (let k = 0; k < length; k++) if (bytes[a + k] !== bytes[b + k]) return false;
  return true;
}

function byteSpan(offset: number, length: number): Span {
  return { bytes: { offset, length } };
}

/** Options of decodeModule. */
export interface DecodeOptions extends NestingOptions {
  /** Largest accepted module in bytes (default DEFAULT_MAX_MODULE_BYTES). */
  readonly maxBytes?: number;
  /**
   * The language to read: '3.0' (the default) reads every WebAssembly 3.0 construct and
   * the legacy exception instructions; '2.0' reads 2.0 only and reports later constructs
   * as "not supported: <proposal>" or with 2.0's errors (e.g. a non-zero memory index
   * byte is "zero byte expected"), as the 2.0 spec suite expects (VersionOptions).
   */
  readonly version?: Version;
}

/** 64 MiB: above the largest real modules (pyodide, esbuild: ~10-15 MB), small enough for a browser tab. */
export const DEFAULT_MAX_MODULE_BYTES = 64 * 1024 * 1024;

/** Decodes a complete module. Throws only DecodeError. */
export function decodeModule(bytes: Uint8Array, options: DecodeOptions = {}): Module {
  const max = options.maxBytes ?? DEFAULT_MAX_MODULE_BYTES;
  // Refused before any work: the AST is several times the size of the bytes.
  if (bytes.length > max) throw new DecodeError(`module too large: ${bytes.length} bytes, the limit is ${max}`, 0);
  const decoder = new Decoder(bytes, options.version !== '2.0', options.maxNesting ?? DEFAULT_MAX_NESTING);
  try {
    return decoder.module();
  } catch (error) {
    if (error instanceof DecodeError) throw error;
    // A decoder bug must still surface as a decode failure at a meaningful place.
    const message = error instanceof Error ? error.message : String(error);
    throw new DecodeError(`internal decoder error: ${message}`, Math.min(decoder.r.pos, bytes.length));
  }
}

/**
 * Decodes one function body (its locals and instructions, without the size that precedes
 * it) found at [start, end) of a module's bytes, e.g. from decodeOutline's byte ranges.
 * `type` is its type index, only copied into the result. Throws only DecodeError.
 */
export function decodeFunctionBody(bytes: Uint8Array, start: number, end: number, type: number, options: DecodeOptions = {}): Func {
  const decoder = new Decoder(bytes, options.version !== '2.0', options.maxNesting ?? DEFAULT_MAX_NESTING);
  const r = decoder.r;
  try {
    r.pos = start;
    r.endMessage = END_IN_SECTION;
    // The body's own bytes bound it: reading past them is a malformed body.
    const locals = decoder.locals();
    const body: Instr[] = [];
    const endAt = decoder.readExpr(body, false);
    if (r.pos !== end) throw new DecodeError('section size mismatch', r.pos < end ? r.pos : end);
    // The whole entry, size included, as decodeModule spans it.
    let at = start - 1;
    while (at > 0 && (bytes[at - 1] as number) & 0x80) at--;
    return { type, locals, body, span: byteSpan(at, end - at), endSpan: byteSpan(endAt, 1) };
  } catch (error) {
    if (error instanceof DecodeError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new DecodeError(`internal decoder error: ${message}`, Math.min(r.pos, bytes.length));
  }
}

/** Where one function body is: the entry (size included) and its content after the size. */
export interface BodyRange {
  /** Offset of the body's size. */
  readonly at: number;
  /** Offset of the locals, just after the size. */
  readonly start: number;
  /** Offset just after the body's final `end`. */
  readonly end: number;
}

/** What decodeModuleShell returns: the module without function bodies, and where the bodies are. */
export interface ModuleShell {
  /** Every definition except function bodies: `funcs` is empty. */
  readonly module: Module;
  /** Type index of each defined function (the function section). */
  readonly funcTypes: readonly number[];
  readonly bodies: readonly BodyRange[];
  /** Every section in file order: id, offset of the id byte, and size of the content. */
  readonly sections: readonly { readonly id: number; readonly offset: number; readonly contentOffset: number; readonly size: number }[];
  /**
   * With `locateData`: the data section's content range, for a caller that reads the
   * segments itself; `module.datas` is then empty and the section is not checked.
   */
  readonly data?: { readonly start: number; readonly end: number };
}

/**
 * Decodes everything but the function bodies, which are only located (for
 * decodeOutline in engine/binary/outline.ts): the fast path for large modules. The checks
 * that need the instructions (a data count section for memory.init) are left out.
 * `onProgress(done, total)` is called after each section and every ~1 MB of bodies.
 * `locateData` leaves the data section undecoded too (see ModuleShell.data): a Go
 * toolchain's module has ~100,000 segments, whose objects cost more than the rest.
 * `onBody` is called with each body as soon as it is located (its `end` is where its size
 * says it ends, which may lie past the input), with the module decoded so far, so that
 * a caller that checks the bodies raises their errors where decodeModule would: before
 * those of the sections after them.
 */
export function decodeModuleShell(
  bytes: Uint8Array,
  options: DecodeOptions = {},
  onProgress?: (done: number, total: number) => void,
  locateData = false,
  onBody?: (body: BodyRange, index: number, module: Module) => void,
): ModuleShell {
  const max = options.maxBytes ?? DEFAULT_MAX_MODULE_BYTES;
  if (bytes.length > max) throw new DecodeError(`module too large: ${bytes.length} bytes, the limit is ${max}`, 0);
  const decoder = new Decoder(bytes, options.version !== '2.0', options.maxNesting ?? DEFAULT_MAX_NESTING);
  decoder.lazy = { bodies: [], sections: [], onProgress, locateData, data: undefined, onBody };
  try {
    const module = decoder.module();
    const { bodies, sections, data } = decoder.lazy;
    return { module, funcTypes: decoder.funcTypes, bodies, sections, ...(data === undefined ? {} : { data }) };
  } catch (error) {
    if (error instanceof DecodeError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new DecodeError(`internal decoder error: ${message}`, Math.min(decoder.r.pos, bytes.length));
  }
}

class Decoder {
  /** Set by decodeModuleShell: bodies are located, not decoded. */
  lazy:
    | {
        bodies: BodyRange[];
        sections: { id: number; offset: number; contentOffset: number; size: number }[];
        onProgress: ((done: number, total: number) => void) | undefined;
        locateData: boolean;
        data: { start: number; end: number } | undefined;
        onBody: ((body: BodyRange, index: number, module: Module) => void) | undefined;
      }
    | undefined;
  readonly r: Reader;
  readonly m: Module = emptyModule();
  /** Whether WebAssembly 3.0 constructs are read (DecodeOptions.version). */
  readonly v3: boolean;
  readonly fd: (OpInfo | undefined)[];
  /** Type indices from the function section. */
  funcTypes: number[] = [];
  /** Offset of the first memory.init / data.drop, which needs a data count section. */
  dataIndexUsedAt = -1;
  /** Per-function scratch: the kind of each open block (see readExpr). */
  frames: number[] = [];
  /**
   * The last active element segment's table and offset expression (where its bytes are,
   * and its mode). A segment whose offset is byte-identical to the previous one's shares
   * its mode object, and so its offset expression, whose instruction spans are those of
   * the first segment of the run; each segment keeps its own span. The JS API accepts
   * 10,000,000 segments: this keeps each one to its Elem and span.
   */
  lastActive: { table: number; start: number; length: number; mode: ElemMode } | undefined;

  /** Most blocks open at once in a body (NestingOptions.maxNesting). */
  readonly maxNesting: number;

  constructor(bytes: Uint8Array, v3: boolean, maxNesting: number) {
    this.maxNesting = maxNesting;
    this.r = new Reader(bytes);
    this.v3 = v3;
    this.fd = v3 ? prefixFD3 : prefixFD;
  }

  module(): Module {
    const r = this.r;
    const m = this.m;
    m.span = byteSpan(0, r.length);

    r.endMessage = END;
    if (r.fixedU32() !== MAGIC) throw new DecodeError('magic header not detected', 0);
    if (r.fixedU32() !== VERSION) throw new DecodeError('unknown binary version', 4);

    let lastOrder = 0;
    let lastId = 0;
    let functionSectionAt = -1;
    let codeSectionAt = -1;
    let dataSectionAt = -1;
    let dataCountAt = -1;
    let codeCount = -1;
    let namesContent: Uint8Array | undefined;

    while (!r.atEnd()) {
      r.endMessage = END;
      const sectionAt = r.pos;
      const id = r.u8();
      if (id > (this.v3 ? 13 : 12)) throw new DecodeError('malformed section id', sectionAt);
      if (id !== 0) {
        const order = SECTION_ORDER[id] as number;
        if (order <= lastOrder) throw new DecodeError('unexpected content after last section', sectionAt);
        lastOrder = order;
      }
      const size = r.len32();
      const start = r.pos;
      const end = start + size;
      r.endMessage = END_IN_SECTION;
      this.lazy?.sections.push({ id, offset: sectionAt, contentOffset: start, size });
      switch (id) {
        case 0: {
          const custom = this.custom(sectionAt, end, lastId);
          if (custom.name === 'name' && namesContent === undefined) namesContent = custom.bytes;
          break;
        }
        case 1: this.typeSection(); break;
        case 2: this.importSection(); break;
        case 3: functionSectionAt = sectionAt; this.functionSection(); break;
        case 4: this.tableSection(); break;
        case 5: this.memorySection(); break;
        case 6: this.globalSection(); break;
        case 7: this.exportSection(); break;
        case 8: m.start = r.u32(); break;
        case 9: this.elementSection(); break;
        case 10: codeSectionAt = sectionAt; codeCount = this.codeSection(); break;
        case 11:
          dataSectionAt = sectionAt;
          if (this.lazy?.locateData === true && end <= r.length) {
            this.lazy.data = { start, end };
            r.pos = end;
          } else this.dataSection(end);
          break;
        case 12: dataCountAt = sectionAt; m.dataCount = r.u32(); break;
        case 13: this.tagSection(); break;
      }
      if (r.pos !== end) throw new DecodeError('section size mismatch', r.pos < end ? r.pos : end);
      if (id !== 0) lastId = id;
      this.lazy?.onProgress?.(r.pos, r.length);
    }

    // Cross-section checks, in the reference interpreter's order.
    if (this.funcTypes.length !== Math.max(codeCount, 0)) {
      throw new DecodeError(
        'function and code section have inconsistent lengths',
        codeSectionAt >= 0 ? codeSectionAt : functionSectionAt,
      );
    }
    if (m.dataCount !== undefined && m.dataCount !== m.datas.length && this.lazy?.data === undefined) {
      throw new DecodeError(
        'data count and data section have inconsistent lengths',
        dataSectionAt >= 0 ? dataSectionAt : dataCountAt,
      );
    }
    if (m.dataCount === undefined && this.dataIndexUsedAt >= 0 && this.lazy === undefined) {
      throw new DecodeError('data count section required', this.dataIndexUsedAt);
    }

    if (namesContent !== undefined) {
      const names = decodeNames(namesContent);
      if (names !== undefined) m.names = names;
    }
    return m;
  }

  // --- Sections -----------------------------------------------------------------------

  custom(sectionAt: number, end: number, after: number): Custom {
    const r = this.r;
    // The name must lie inside the section.
    if (r.pos >= end) throw new DecodeError(END, end);
    const nameLength = r.len32();
    if (r.pos + nameLength > end) throw new DecodeError(END, end);
    const nameStart = r.pos;
    r.skip(nameLength);
    const name = decodeUtf8(r.bytes, nameStart, nameStart + nameLength);
    const bytes = r.take(end - r.pos);
    const custom: Custom = { name, bytes, after, span: byteSpan(sectionAt, end - sectionAt) };
    this.m.customs.push(custom);
    return custom;
  }

  typeSection(): void {
    const r = this.r;
    const count = r.len32();
    if (this.v3) {
      for (let i = 0; i < count; i++) this.recType();
      return;
    }
    for (let i = 0; i < count; i++) {
      const at = r.pos;
      const form = r.s7Byte();
      if (form !== 0x60) {
        if (form === 0x5e || form === 0x5f || form === 0x50 || form === 0x4f || form === 0x4e) {
          notSupported('garbage collection', at);
        }
        throw new DecodeError('malformed function type', at);
      }
      const params = this.valTypes();
      const results = this.valTypes();
      const type: FuncType = { params, results };
      this.m.types.push({ type, span: byteSpan(at, r.pos - at) });
    }
  }

  /** A recursion group (or a lone subtype, a group of one) of the 3.0 type section. */
  recType(): void {
    const r = this.r;
    if (r.peek() !== 0x4e) {
      this.subType(undefined);
      return;
    }
    r.pos++;
    const n = r.len32();
    for (let k = 0; k < n; k++) this.subType(k === 0 ? n : undefined);
  }

  /** sub / sub final / a bare composite type (https://webassembly.github.io/spec/core/binary/types.html#recursive-types). */
  subType(recSize: number | undefined): void {
    const r = this.r;
    const at = r.pos;
    const lead = r.peek();
    let sub: { final: boolean; supers: number[] } | undefined;
    if (lead === 0x50 || lead === 0x4f) {
      r.pos++;
      const n = r.len32();
      const supers: number[] = [];
      for (let k = 0; k < n; k++) supers.push(r.u32());
      sub = { final: lead === 0x4f, supers };
    }
    const formAt = r.pos;
    const form = r.s7Byte();
    let def: TypeDef;
    const extra = { ...(sub === undefined ? {} : { sub }), ...(recSize === undefined ? {} : { recSize }) };
    if (form === 0x60) {
      const params = this.valTypes();
      const results = this.valTypes();
      def = { type: { params, results }, ...extra, span: byteSpan(at, r.pos - at) };
    } else if (form === 0x5f) {
      const n = r.len32();
      const fields: FieldType[] = [];
      for (let k = 0; k < n; k++) fields.push(this.fieldType());
      def = { type: NO_FUNC_TYPE, comp: { kind: 'struct', fields }, ...extra, span: byteSpan(at, r.pos - at) };
    } else if (form === 0x5e) {
      const field = this.fieldType();
      def = { type: NO_FUNC_TYPE, comp: { kind: 'array', field }, ...extra, span: byteSpan(at, r.pos - at) };
    } else {
      throw new DecodeError('malformed definition type', formAt);
    }
    this.m.types.push(def);
  }

  fieldType(): FieldType {
    const r = this.r;
    const p = r.peek();
    let type: FieldType['type'];
    if (p === 0x78) {
      r.pos++;
      type = 'i8';
    } else if (p === 0x77) {
      r.pos++;
      type = 'i16';
    } else {
      type = this.valType();
    }
    const at = r.pos;
    const mut = r.u8();
    if (mut > 1) throw new DecodeError('malformed mutability', at);
    return { type, mutable: mut === 1 };
  }

  tagSection(): void {
    const r = this.r;
    const count = r.len32();
    const tags = (this.m.tags ??= []);
    for (let i = 0; i < count; i++) {
      const at = r.pos;
      tags.push({ type: this.tagType(), span: byteSpan(at, r.pos - at) });
    }
  }

  /** A tag's attribute (0: exception) and type index. */
  tagType(): number {
    const r = this.r;
    const at = r.pos;
    if (r.u8() !== 0) throw new DecodeError('malformed tag attribute', at);
    return r.u32();
  }

  importSection(): void {
    const r = this.r;
    const count = r.len32();
    for (let i = 0; i < count; i++) {
      const at = r.pos;
      const module = r.name();
      const name = r.name();
      const kindAt = r.pos;
      const kind = r.u8();
      let desc: ImportDesc;
      switch (kind) {
        case 0: desc = { kind: 'func', type: r.u32() }; break;
        case 1: desc = { kind: 'table', type: this.tableType() }; break;
        case 2: desc = { kind: 'memory', type: { limits: this.limits() } }; break;
        case 3: desc = { kind: 'global', type: this.globalType() }; break;
        case 4:
          if (!this.v3) throw new DecodeError('malformed import kind', kindAt);
          desc = { kind: 'tag', type: this.tagType() };
          break;
        default: throw new DecodeError('malformed import kind', kindAt);
      }
      const imp: Import = { module, name, desc, span: byteSpan(at, r.pos - at) };
      this.m.imports.push(imp);
    }
  }

  functionSection(): void {
    const r = this.r;
    const count = r.len32();
    for (let i = 0; i < count; i++) this.funcTypes.push(r.u32());
  }

  tableSection(): void {
    const r = this.r;
    const count = r.len32();
    for (let i = 0; i < count; i++) {
      const at = r.pos;
      // 3.0: `0x40 0x00 tabletype expr` gives every element an initial value.
      if (this.v3 && r.peek() === 0x40) {
        r.pos++;
        const zeroAt = r.pos;
        if (r.u8() !== 0) throw new DecodeError('malformed table', zeroAt);
        const type = this.tableType();
        const init = this.constExpr();
        this.m.tables.push({ type, init, span: byteSpan(at, r.pos - at) });
        continue;
      }
      const type = this.tableType();
      this.m.tables.push({ type, span: byteSpan(at, r.pos - at) });
    }
  }

  memorySection(): void {
    const r = this.r;
    const count = r.len32();
    for (let i = 0; i < count; i++) {
      const at = r.pos;
      const limits = this.limits();
      this.m.mems.push({ type: { limits }, span: byteSpan(at, r.pos - at) });
    }
  }

  globalSection(): void {
    const r = this.r;
    const count = r.len32();
    for (let i = 0; i < count; i++) {
      const at = r.pos;
      const type = this.globalType();
      const init = this.constExpr();
      const global: Global = { type, init, span: byteSpan(at, r.pos - at) };
      this.m.globals.push(global);
    }
  }

  exportSection(): void {
    const r = this.r;
    const count = r.len32();
    for (let i = 0; i < count; i++) {
      const at = r.pos;
      const name = r.name();
      const kindAt = r.pos;
      const kindByte = r.u8();
      const kind = kindByte === 4 && this.v3 ? 'tag' : EXTERN_KINDS[kindByte];
      if (kind === undefined) throw new DecodeError('malformed export kind', kindAt);
      const index = r.u32();
      const exp: Export = { name, kind, index, span: byteSpan(at, r.pos - at) };
      this.m.exports.push(exp);
    }
  }

  elementSection(): void {
    const r = this.r;
    const count = r.len32();
    for (let i = 0; i < count; i++) {
      const at = r.pos;
      const flags = r.u32();
      if (flags > 7) throw new DecodeError('malformed elements segment kind', at);
      // Bit 0: passive or declarative; bit 1: explicit table index (active) or
      // declarative (passive); bit 2: items are expressions rather than function indices.
      let mode: ElemMode;
      if ((flags & 1) === 0) {
        const table = flags & 2 ? r.u32() : 0;
        mode = this.activeMode(table);
      } else {
        mode = flags & 2 ? { kind: 'declarative' } : { kind: 'passive' };
      }
      // Function indices (flags 0-3) are (ref func) in 3.0, funcref in 2.0; expressions
      // without a type (flags 4) are funcref.
      let type: AnyRefType = this.v3 && (flags & 4) === 0 ? '(ref func)' : 'funcref';
      if (flags & 3) {
        if (flags & 4) {
          type = this.refType();
        } else {
          const kindAt = r.pos;
          if (r.u8() !== 0) throw new DecodeError('malformed element kind', kindAt);
        }
      }
      const n = r.len32();
      const init: Instr[][] = n === 0 ? NO_ITEMS : [];
      for (let k = 0; k < n; k++) {
        if (flags & 4) {
          init.push(this.constExpr());
        } else {
          const itemAt = r.pos;
          const index = r.u32();
          init.push([{ op: 'ref.func', code: 0xd2, index, span: byteSpan(itemAt, r.pos - itemAt) }]);
        }
      }
      const elem: Elem = { type, mode, init, span: byteSpan(at, r.pos - at) };
      this.m.elems.push(elem);
    }
  }

  /** An active segment's mode, its offset expression read here; see lastActive. */
  activeMode(table: number): ElemMode {
    const r = this.r;
    const start = r.pos;
    const last = this.lastActive;
    if (last !== undefined && last.table === table && sameBytes(r.bytes, last.start, start, last.length)) {
      // The same bytes decode to the same expression, ending at the same place.
      r.pos = start + last.length;
      return last.mode;
    }
    const mode: ElemMode = { kind: 'active', table, offset: this.constExpr() };
    this.lastActive = { table, start, length: r.pos - start, mode };
    return mode;
  }

  /** Returns the number of bodies. */
  codeSection(): number {
    const r = this.r;
    const count = r.len32();
    const lazy = this.lazy;
    if (lazy !== undefined) {
      let reported = r.pos;
      for (let i = 0; i < count; i++) {
        const at = r.pos;
        const size = r.len32();
        const start = r.pos;
        const body = { at, start, end: start + size };
        lazy.onBody?.(body, i, this.m);
        r.skip(size);
        lazy.bodies.push(body);
        if (r.pos - reported > 1 << 20) {
          reported = r.pos;
          lazy.onProgress?.(r.pos, r.length);
        }
      }
      return count;
    }
    for (let i = 0; i < count; i++) {
      const at = r.pos;
      const size = r.len32();
      const bodyStart = r.pos;
      const locals = this.locals();
      const body: Instr[] = [];
      const endAt = this.readExpr(body, false);
      if (r.pos !== bodyStart + size) {
        throw new DecodeError('section size mismatch', r.pos < bodyStart + size ? r.pos : bodyStart + size);
      }
      const func: Func = {
        type: this.funcTypes[i] ?? -1,
        locals,
        body,
        span: byteSpan(at, r.pos - at),
        endSpan: byteSpan(endAt, 1),
      };
      this.m.funcs.push(func);
    }
    return count;
  }

  /** `end`: where the section's content ends. */
  dataSection(end: number): void {
    const r = this.r;
    // Segments view one copy of the section rather than each owning a copy: a Go
    // toolchain's module has ~100,000 segments, and as many ArrayBuffers cost more GC
    // time than the rest of the module's decoding.
    const sectionStart = r.pos;
    const section = r.bytes.slice(sectionStart, Math.min(end, r.length));
    const count = r.len32();
    for (let i = 0; i < count; i++) {
      const at = r.pos;
      const flags = r.u32();
      let mode: DataMode;
      if (flags === 0) mode = { kind: 'active', memory: 0, offset: this.constExpr() };
      else if (flags === 1) mode = { kind: 'passive' };
      else if (flags === 2) {
        const memory = r.u32();
        mode = { kind: 'active', memory, offset: this.constExpr() };
      } else throw new DecodeError('malformed data segment kind', at);
      const length = r.len32();
      const from = r.pos;
      const bytes = from + length <= sectionStart + section.length ? section.subarray(from - sectionStart, from + length - sectionStart) : r.take(length);
      r.pos = from + length;
      const data: Data = { mode, bytes, span: byteSpan(at, r.pos - at) };
      this.m.datas.push(data);
    }
  }

  // --- Types --------------------------------------------------------------------------

  valTypes(): ValType[] {
    const r = this.r;
    const count = r.len32();
    const types: ValType[] = [];
    for (let i = 0; i < count; i++) types.push(this.valType());
    return types;
  }

  valType(): ValType {
    const r = this.r;
    const at = r.pos;
    const byte = r.s7Byte();
    const type = VAL_TYPES[byte];
    if (type !== undefined) return type;
    if (this.v3) {
      const ref = this.refType3(byte);
      if (ref !== undefined) return ref;
    }
    return malformedValType(byte, at, this.v3);
  }

  refType(): AnyRefType {
    const r = this.r;
    const at = r.pos;
    const byte = r.s7Byte();
    if (byte === 0x70) return 'funcref';
    if (byte === 0x6f) return 'externref';
    if (this.v3) {
      const ref = this.refType3(byte);
      if (ref !== undefined) return ref;
    }
    return malformedRefType(byte, at, this.v3);
  }

  /**
   * A 3.0 reference type after its first byte (already read): a shorthand, or
   * 0x63/0x64 followed by a heap type. Undefined when the byte starts no reference type.
   */
  refType3(byte: number): AnyRefType | undefined {
    const short = SHORTHAND_TYPES[byte];
    if (short !== undefined) return short;
    if (byte !== 0x63 && byte !== 0x64) return undefined;
    const heap = this.heapType();
    return `(ref ${byte === 0x63 ? 'null ' : ''}${heap})`;
  }

  /** A heap type: an abstract one (one byte) or a type index (s33, non-negative). */
  heapType(): HeapType {
    const r = this.r;
    const at = r.pos;
    const p = r.peek();
    const abs = p >= 0 ? ABSTRACT_HEAP[p] : undefined;
    if (abs !== undefined) {
      r.pos++;
      return abs;
    }
    const index = r.s33();
    if (index < 0) throw new DecodeError('malformed heap type', at);
    return index;
  }

  limits(): Limits {
    const r = this.r;
    const at = r.pos;
    const flag = r.peek();
    if (this.v3) return this.limits3(at, flag);
    // Flags 2 and 3 are shared memories (threads), 4–7 add 64-bit limits (memory64).
    // The 2.0 spec reads the flag as a 1-bit integer, so 2 is "integer too large".
    if (flag === 3) notSupported('threads', at);
    if (flag >= 4 && flag <= 7) notSupported('memory64', at);
    const hasMax = r.u1();
    const min = r.u32();
    if (hasMax) return { min, max: r.u32() };
    return { min };
  }

  /**
   * 3.0 limits: bit 0 = has a maximum, bit 2 = 64-bit (memory64/table64, u64 bounds).
   * Bit 1 (shared) belongs to the threads proposal, which is not part of 3.0.
   */
  limits3(at: number, flag: number): Limits {
    const r = this.r;
    if (flag === 2 || flag === 3 || flag === 6 || flag === 7) notSupported('threads', at);
    // The flags are a byte, not a LEB128 number: 0x81 0x00 is malformed.
    const flags = r.u8();
    if (flags > 7) throw new DecodeError('malformed limits flags', at);
    if ((flags & 4) === 0) {
      const min = r.u32();
      if (flags & 1) return { min, max: r.u32() };
      return { min };
    }
    const min = r.u64();
    const max = flags & 1 ? r.u64() : undefined;
    const limits: { min: number; max?: number; index64: boolean; min64?: bigint; max64?: bigint } = {
      min: Number(min),
      index64: true,
    };
    if (typeof min === 'bigint') limits.min64 = min;
    if (max !== undefined) {
      limits.max = Number(max);
      if (typeof max === 'bigint') limits.max64 = max;
    }
    return limits;
  }

  tableType(): TableType {
    const elem = this.refType();
    const limits = this.limits();
    return { limits, elem };
  }

  globalType(): GlobalType {
    const r = this.r;
    const type = this.valType();
    const at = r.pos;
    const mut = r.u8();
    if (mut > 1) throw new DecodeError('malformed mutability', at);
    return { type, mutable: mut === 1 };
  }

  locals(): ValType[] {
    const r = this.r;
    const at = r.pos;
    const groups = r.len32();
    const counts: number[] = [];
    const types: ValType[] = [];
    let total = 0;
    for (let i = 0; i < groups; i++) {
      counts.push(r.u32());
      types.push(this.valType());
      total += counts[i] as number;
    }
    if (total > 0xffff_ffff) throw new DecodeError('too many locals', at);
    if (total > MAX_LOCALS) throw new DecodeError('too many locals', at);
    const locals: ValType[] = [];
    for (let i = 0; i < groups; i++) {
      const n = counts[i] as number;
      const t = types[i] as ValType;
      for (let k = 0; k < n; k++) locals.push(t);
    }
    return locals;
  }

  // --- Instructions ---------------------------------------------------------------------

  /** A constant expression up to and including its `end` (which is not kept). */
  constExpr(): Instr[] {
    const body: Instr[] = [];
    this.readExpr(body, true);
    return body;
  }

  blockType(): BlockType {
    const r = this.r;
    const p = r.peek();
    if (p === 0x40) {
      r.pos++;
      return EMPTY_BLOCK;
    }
    if (p >= 0 && (p & 0xc0) === 0x40) {
      const type = this.valType();
      let bt = VALUE_BLOCK.get(type);
      if (bt === undefined) {
        bt = Object.freeze({ kind: 'value', type });
        VALUE_BLOCK.set(type, bt);
      }
      return bt;
    }
    return { kind: 'index', index: r.s33() };
  }

  memArg(): MemArg {
    if (this.v3) return this.memArg3();
    const r = this.r;
    const at = r.pos;
    const align = r.u32();
    if (align >= 32) {
      // Bit 6 announces an explicit memory index (multi-memory).
      if (align & 0x40 && align < 0x80) notSupported('multi-memory', at);
      if (align > 32) throw new DecodeError('malformed memop flags', r.pos - 1);
    }
    const offset = r.u32();
    if (offset === 0 && align <= 4) return ZERO_OFFSET_MEMARGS[align] as MemArg;
    return { align, offset };
  }

  /**
   * A 3.0 memarg: bit 6 of the flags announces an explicit memory index (multi-memory),
   * and the offset is a u64 (memory64).
   */
  memArg3(): MemArg {
    const r = this.r;
    const at = r.pos;
    const flags = r.u32();
    if (flags >= 0x80) throw new DecodeError('malformed memop flags', at);
    const align = flags & 0x3f;
    const memory = flags & 0x40 ? r.u32() : undefined;
    const offset = r.u64();
    if (offset === 0 && align <= 4 && memory === undefined) return ZERO_OFFSET_MEMARGS[align] as MemArg;
    const big = typeof offset === 'bigint';
    return {
      align,
      offset: big ? Number(offset) : offset,
      ...(big ? { offset64: offset } : {}),
      ...(memory === undefined ? {} : { memory }),
    };
  }

  /**
   * After a block (block, loop, if, try, try_table) opened at `at`, its immediates read (so
   * an error in them comes first): past the limit, it is refused at its opcode.
   */
  opened(at: number): void {
    if (this.frames.length > this.maxNesting) throw new DecodeError(nestingTooDeep(this.maxNesting), at);
  }

  /**
   * Reads instructions into `out` up to the `end` that closes the expression, and
   * returns that `end`'s offset. Blocks stay flat, as in the AST; `frames` tracks what
   * each open block is so `else` is only accepted directly inside an `if`.
   */
  readExpr(out: Instr[], inConst: boolean): number {
    const r = this.r;
    const bytes = r.bytes;
    const frames = this.frames;
    frames.length = 0;
    for (;;) {
      const at = r.pos;
      if (at >= bytes.length) r.eof();
      const byte = bytes[at] as number;
      r.pos = at + 1;
      let info: OpInfo | undefined;
      if (byte === 0x0b) {
        if (frames.length === 0) return at;
        frames.pop();
        out.push({ op: 'end', code: 0x0b, span: byteSpan(at, 1) });
        continue;
      }
      if (byte === 0x05) {
        // Only the then-branch of an `if` may be closed by `else` (FRAME_IF).
        if (frames.length === 0 || frames[frames.length - 1] !== FRAME_IF) {
          throw new DecodeError('END opcode expected', at);
        }
        frames[frames.length - 1] = FRAME_ELSE;
        out.push({ op: 'else', code: 0x05, span: byteSpan(at, 1) });
        continue;
      }
      if (byte === 0xfc || byte === 0xfd) {
        const sub = r.u32();
        info = byte === 0xfc ? prefixFC[sub] : this.fd[sub];
        if (info === undefined) this.unknownOpcode(sub <= 0xffff ? (byte << 16) | sub : -1, at, inConst);
      } else if (byte === 0xfb && this.v3) {
        const sub = r.u32();
        const info3 = prefixFB3[sub];
        if (info3 === undefined) this.unknownOpcode(sub <= 0xffff ? (byte << 16) | sub : -1, at, inConst);
        out.push(this.instr3(info3, at));
        continue;
      } else {
        info = singleOps[byte];
        if (info === undefined) {
          const info3 = this.v3 ? singleOps3[byte] : undefined;
          if (info3 === undefined) this.unknownOpcode(byte, at, inConst);
          out.push(this.instr3(info3, at));
          continue;
        }
      }
      out.push(this.instr(info, byte, at, inConst));
    }
  }

  /**
   * One instruction's immediates, after its opcode. Each instruction is built in a single
   * object literal (properties added later would cost V8 an extra backing store per
   * instruction: millions of them in a large module).
   */
  instr(info: OpInfo, byte: number, at: number, inConst: boolean): Instr {
    const r = this.r;
    const op = info.op;
    const code = info.code;
    switch (info.imm) {
      case 'none':
        return { op, code, span: byteSpan(at, r.pos - at) };
      case 'block': {
        const blockType = this.blockType();
        this.frames.push(byte === 0x04 ? FRAME_IF : FRAME_BLOCK);
        this.opened(at);
        return { op, code, blockType, span: byteSpan(at, r.pos - at) };
      }
      case 'label':
      case 'local':
      case 'global':
      case 'func':
      case 'table':
      case 'elem':
      case 'lane':
        return { op, code, index: info.imm === 'lane' ? r.u8() : r.u32(), span: byteSpan(at, r.pos - at) };
      case 'data':
        if (this.dataIndexUsedAt < 0) this.dataIndexUsedAt = at;
        return { op, code, index: r.u32(), span: byteSpan(at, r.pos - at) };
      case 'br_table': {
        const n = r.len32();
        const labels: number[] = new Array(n + 1);
        for (let i = 0; i <= n; i++) labels[i] = r.u32();
        return { op, code, labels, span: byteSpan(at, r.pos - at) };
      }
      case 'call_indirect':
      case 'table_copy':
      case 'table_init': {
        const index = r.u32();
        return { op, code, index, index2: r.u32(), span: byteSpan(at, r.pos - at) };
      }
      case 'memarg':
        return { op, code, memarg: this.memArg(), span: byteSpan(at, r.pos - at) };
      case 'memarg_lane': {
        const memarg = this.memArg();
        return { op, code, memarg, index: r.u8(), span: byteSpan(at, r.pos - at) };
      }
      case 'memory': {
        if (!this.v3) {
          r.zero();
          return { op, code, span: byteSpan(at, r.pos - at) };
        }
        // Multi-memory: a memory index, kept only when it is not the default 0.
        const memory = r.u32();
        return memory === 0 ? { op, code, span: byteSpan(at, r.pos - at) } : { op, code, index: memory, span: byteSpan(at, r.pos - at) };
      }
      case 'i32':
        return { op, code, value: r.s32(), span: byteSpan(at, r.pos - at) };
      case 'i64':
        return { op, code, value: r.s64(), span: byteSpan(at, r.pos - at) };
      case 'f32':
        return { op, code, value: r.fixedU32(), span: byteSpan(at, r.pos - at) };
      case 'f64':
        return { op, code, value: r.fixedU64(), span: byteSpan(at, r.pos - at) };
      case 'v128':
      case 'shuffle':
        return { op, code, bytes: r.take(16), span: byteSpan(at, r.pos - at) };
      case 'select_t':
        return { op, code, types: this.valTypes(), span: byteSpan(at, r.pos - at) };
      case 'ref_null': {
        if (!this.v3) return { op, code, refType: this.refType() as RefType, span: byteSpan(at, r.pos - at) };
        const heap = this.heapType();
        if (heap === 'func' || heap === 'extern') {
          return { op, code, refType: heap === 'func' ? 'funcref' : 'externref', span: byteSpan(at, r.pos - at) };
        }
        return { op, code, heapType: heap, span: byteSpan(at, r.pos - at) };
      }
      case 'memory_init': {
        if (this.dataIndexUsedAt < 0) this.dataIndexUsedAt = at;
        const index = r.u32();
        if (!this.v3) r.zero();
        const memory = this.v3 ? r.u32() : 0;
        return { op, code, index, index2: memory, span: byteSpan(at, r.pos - at) };
      }
      case 'memory_copy': {
        if (!this.v3) {
          r.zero();
          r.zero();
          return { op, code, index2: 0, span: byteSpan(at, r.pos - at) };
        }
        const dst = r.u32();
        const src = r.u32();
        if (src === 0) return { op, code, index2: dst, span: byteSpan(at, r.pos - at) };
        return { op, code, index2: dst, index3: src, span: byteSpan(at, r.pos - at) };
      }
      case 'memory_fill': {
        if (!this.v3) r.zero();
        const memory = this.v3 ? r.u32() : 0;
        return { op, code, index2: memory, span: byteSpan(at, r.pos - at) };
      }
    }
    /* c8 ignore next */
    return this.unknownOpcode(code, at, inConst);
  }

  /** One 3.0 instruction's immediates, after its opcode (see instr). */
  instr3(info: OpInfo3, at: number): Instr {
    const r = this.r;
    const op = info.op;
    const code = info.code;
    const frames = this.frames;
    switch (info.imm) {
      case 'none':
        if (code === 0x19) this.legacyCatch(at);
        return { op, code, span: byteSpan(at, r.pos - at) };
      case 'block': // legacy try
        {
          const blockType = this.blockType();
          frames.push(FRAME_TRY);
          this.opened(at);
          return { op, code, blockType, span: byteSpan(at, r.pos - at) };
        }
      case 'tag':
        if (code === 0x07) this.legacyCatch(at);
        return { op, code, index: r.u32(), span: byteSpan(at, r.pos - at) };
      case 'label':
        if (code === 0x18) {
          // delegate ends a try that has no catch yet, like `end`.
          if (frames.length === 0 || frames[frames.length - 1] !== FRAME_TRY) throw new DecodeError('delegate outside try', at);
          frames.pop();
        }
        return { op, code, index: r.u32(), span: byteSpan(at, r.pos - at) };
      case 'func':
      case 'type':
        return { op, code, index: r.u32(), span: byteSpan(at, r.pos - at) };
      case 'call_indirect': {
        const index = r.u32();
        return { op, code, index, index2: r.u32(), span: byteSpan(at, r.pos - at) };
      }
      case 'try_table': {
        const blockType = this.blockType();
        const n = r.len32();
        const catches: CatchClause[] = [];
        for (let k = 0; k < n; k++) {
          const kindAt = r.pos;
          const kind = r.u8();
          if (kind === 0) catches.push({ kind: 'catch', tag: r.u32(), label: r.u32() });
          else if (kind === 1) catches.push({ kind: 'catch_ref', tag: r.u32(), label: r.u32() });
          else if (kind === 2) catches.push({ kind: 'catch_all', label: r.u32() });
          else if (kind === 3) catches.push({ kind: 'catch_all_ref', label: r.u32() });
          else throw new DecodeError('malformed catch clause', kindAt);
        }
        frames.push(FRAME_BLOCK);
        this.opened(at);
        return { op, code, blockType, catches, span: byteSpan(at, r.pos - at) };
      }
      case 'struct_field':
      case 'array_fixed':
      case 'array_elem':
      case 'array_copy': {
        const index = r.u32();
        return { op, code, index, index2: r.u32(), span: byteSpan(at, r.pos - at) };
      }
      case 'array_data': {
        if (this.dataIndexUsedAt < 0) this.dataIndexUsedAt = at;
        const index = r.u32();
        return { op, code, index, index2: r.u32(), span: byteSpan(at, r.pos - at) };
      }
      case 'heap':
        return { op, code, heapType: this.heapType(), span: byteSpan(at, r.pos - at) };
      case 'br_on_cast': {
        const flagsAt = r.pos;
        const castFlags = r.u8();
        if (castFlags > 3) throw new DecodeError('malformed cast flags', flagsAt);
        const index = r.u32();
        const heapType = this.heapType();
        const heapType2 = this.heapType();
        return { op, code, castFlags, index, heapType, heapType2, span: byteSpan(at, r.pos - at) };
      }
    }
    /* c8 ignore next */
    throw new DecodeError(`internal decoder error: immediates of ${op}`, at);
  }

  /** A legacy `catch`/`catch_all`: only directly inside a `try` (after its body or another catch). */
  legacyCatch(at: number): void {
    const frames = this.frames;
    const top = frames.length === 0 ? -1 : frames[frames.length - 1];
    if (top !== FRAME_TRY && top !== FRAME_CATCH) throw new DecodeError('catch outside try', at);
    frames[frames.length - 1] = FRAME_CATCH;
  }

  unknownOpcode(code: number, at: number, inConst: boolean): never {
    const proposal = code >= 0 ? laterProposal(code) : undefined;
    // Garbage bytes in a constant expression are far likelier than a later proposal's
    // instruction (only GC adds constant instructions with new opcodes).
    if (proposal !== undefined && (!inConst || proposal === 'garbage collection')) notSupported(proposal, at);
    throw new DecodeError('illegal opcode', at);
  }
}

const FRAME_BLOCK = 0;
const FRAME_IF = 1;
const FRAME_ELSE = 2;
/** A legacy `try` before its first catch (`delegate` may still end it). */
const FRAME_TRY = 3;
/** A legacy `try` after a catch. */
const FRAME_CATCH = 4;

/** What a struct or array type definition has as `TypeDef.type` (see the AST). */
const NO_FUNC_TYPE: FuncType = Object.freeze({ params: Object.freeze([]), results: Object.freeze([]) });

/** The one-byte 3.0 reference types. */
export const SHORTHAND_TYPES: (AnyRefType | undefined)[] = [];
SHORTHAND_TYPES[0x6e] = 'anyref';
SHORTHAND_TYPES[0x6d] = 'eqref';
SHORTHAND_TYPES[0x6c] = 'i31ref';
SHORTHAND_TYPES[0x6b] = 'structref';
SHORTHAND_TYPES[0x6a] = 'arrayref';
SHORTHAND_TYPES[0x69] = 'exnref';
SHORTHAND_TYPES[0x71] = 'nullref';
SHORTHAND_TYPES[0x72] = 'nullexternref';
SHORTHAND_TYPES[0x73] = 'nullfuncref';
SHORTHAND_TYPES[0x74] = 'nullexnref';

/** Abstract heap types by their one-byte code. */
export const ABSTRACT_HEAP: (HeapType | undefined)[] = [];
ABSTRACT_HEAP[0x70] = 'func';
ABSTRACT_HEAP[0x6f] = 'extern';
ABSTRACT_HEAP[0x6e] = 'any';
ABSTRACT_HEAP[0x6d] = 'eq';
ABSTRACT_HEAP[0x6c] = 'i31';
ABSTRACT_HEAP[0x6b] = 'struct';
ABSTRACT_HEAP[0x6a] = 'array';
ABSTRACT_HEAP[0x69] = 'exn';
ABSTRACT_HEAP[0x71] = 'none';
ABSTRACT_HEAP[0x72] = 'noextern';
ABSTRACT_HEAP[0x73] = 'nofunc';
ABSTRACT_HEAP[0x74] = 'noexn';

const EXTERN_KINDS: (ExternKind | undefined)[] = ['func', 'table', 'memory', 'global'];

/** The one-byte value types of 2.0. */
export const VAL_TYPES: (ValType | undefined)[] = [];
VAL_TYPES[0x7f] = 'i32';
VAL_TYPES[0x7e] = 'i64';
VAL_TYPES[0x7d] = 'f32';
VAL_TYPES[0x7c] = 'f64';
VAL_TYPES[0x7b] = 'v128';
VAL_TYPES[0x70] = 'funcref';
VAL_TYPES[0x6f] = 'externref';

/** Type codes that later proposals assign. */
const LATER_TYPES = new Map<number, string>([
  [0x63, 'typed function references'], // (ref null ht)
  [0x64, 'typed function references'], // (ref ht)
  [0x69, 'exception handling'], // exnref
  [0x74, 'exception handling'], // nullexnref
  [0x6e, 'garbage collection'], // anyref
  [0x6d, 'garbage collection'], // eqref
  [0x6c, 'garbage collection'], // i31ref
  [0x6b, 'garbage collection'], // structref
  [0x6a, 'garbage collection'], // arrayref
  [0x71, 'garbage collection'], // nullref
  [0x72, 'garbage collection'], // nullexternref
  [0x73, 'garbage collection'], // nullfuncref
]);

function laterType(byte: number, at: number): void {
  const proposal = LATER_TYPES.get(byte);
  if (proposal !== undefined) notSupported(proposal, at);
}

/**
 * Raises the error for a value type whose first byte, at `at`, starts none that the
 * language read (`v3`: 3.0, else 2.0) has. Shared with decodeOutline's body scan.
 */
export function malformedValType(byte: number, at: number, v3: boolean): never {
  if (!v3) laterType(byte, at);
  // The reference interpreter tells number/vector types from reference types by range.
  throw new DecodeError(byte >= 0x71 ? 'malformed value type' : 'malformed reference type', at);
}

/** Like malformedValType, for a place that takes only a reference type. */
export function malformedRefType(byte: number, at: number, v3: boolean): never {
  if (!v3) laterType(byte, at);
  throw new DecodeError('malformed reference type', at);
}

function notSupported(proposal: string, at: number): never {
  throw new DecodeError(`not supported: ${proposal}`, at);
}
