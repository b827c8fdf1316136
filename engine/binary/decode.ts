// The binary format decoder: bytes → module AST (engine/syntax/ast.ts), for WebAssembly 2.0
// (https://webassembly.github.io/spec/core/binary/modules.html).
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

import { DecodeError } from '../errors.ts';
import {
  emptyModule,
  type BlockType,
  type Custom,
  type Data,
  type DataMode,
  type Elem,
  type ElemMode,
  type Export,
  type ExternKind,
  type Func,
  type FuncType,
  type Global,
  type GlobalType,
  type Import,
  type ImportDesc,
  type Instr,
  type Limits,
  type MemArg,
  type Module,
  type RefType,
  type Span,
  type TableType,
  type ValType,
} from '../syntax/ast.ts';
import { OPS, laterProposal, type OpInfo } from '../syntax/opcodes.ts';
import { decodeNames } from './names.ts';
import { END, END_IN_SECTION, Reader, decodeUtf8 } from './reader.ts';

const MAGIC = 0x6d736100; // "\0asm" read little-endian
const VERSION = 1;

/**
 * Locals beyond this are refused. The spec only caps the total at 2^32-1, but locals are
 * expanded into an array per function (and per frame when running), so an absurd count
 * in a tiny file must not exhaust memory; 50000 is the limit engines use (V8, SpiderMonkey).
 */
const MAX_LOCALS = 50_000;

/** Position of each non-custom section id in the required order (the data count section, 12, comes before code). */
const SECTION_ORDER = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10];

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
const SELECT_T = 0x1c;

// Immutable immediates shared between instructions, so common ones cost no allocation.
const EMPTY_BLOCK: BlockType = Object.freeze({ kind: 'empty' });
const VALUE_BLOCK = new Map<ValType, BlockType>();
const ZERO_OFFSET_MEMARGS: MemArg[] = [0, 1, 2, 3, 4].map((align) => Object.freeze({ align, offset: 0 }));

function byteSpan(offset: number, length: number): Span {
  return { bytes: { offset, length } };
}

/** Decodes a complete module. Throws only DecodeError. */
export function decodeModule(bytes: Uint8Array): Module {
  const decoder = new Decoder(bytes);
  try {
    return decoder.module();
  } catch (error) {
    if (error instanceof DecodeError) throw error;
    // A decoder bug must still surface as a decode failure at a meaningful place.
    const message = error instanceof Error ? error.message : String(error);
    throw new DecodeError(`internal decoder error: ${message}`, Math.min(decoder.r.pos, bytes.length));
  }
}

class Decoder {
  readonly r: Reader;
  readonly m: Module = emptyModule();
  /** Type indices from the function section. */
  funcTypes: number[] = [];
  /** Offset of the first memory.init / data.drop, which needs a data count section. */
  dataIndexUsedAt = -1;
  /** Per-function scratch: the kind of each open block (see readExpr). */
  frames: number[] = [];

  constructor(bytes: Uint8Array) {
    this.r = new Reader(bytes);
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
      if (id > 12) throw new DecodeError('malformed section id', sectionAt);
      if (id !== 0) {
        const order = SECTION_ORDER[id] as number;
        if (order <= lastOrder) throw new DecodeError('unexpected content after last section', sectionAt);
        lastOrder = order;
      }
      const size = r.len32();
      const start = r.pos;
      const end = start + size;
      r.endMessage = END_IN_SECTION;
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
        case 11: dataSectionAt = sectionAt; this.dataSection(); break;
        case 12: dataCountAt = sectionAt; m.dataCount = r.u32(); break;
      }
      if (r.pos !== end) throw new DecodeError('section size mismatch', r.pos < end ? r.pos : end);
      if (id !== 0) lastId = id;
    }

    // Cross-section checks, in the reference interpreter's order.
    if (this.funcTypes.length !== Math.max(codeCount, 0)) {
      throw new DecodeError(
        'function and code section have inconsistent lengths',
        codeSectionAt >= 0 ? codeSectionAt : functionSectionAt,
      );
    }
    if (m.dataCount !== undefined && m.dataCount !== m.datas.length) {
      throw new DecodeError(
        'data count and data section have inconsistent lengths',
        dataSectionAt >= 0 ? dataSectionAt : dataCountAt,
      );
    }
    if (m.dataCount === undefined && this.dataIndexUsedAt >= 0) {
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
      const kind = EXTERN_KINDS[kindByte];
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
        mode = { kind: 'active', table, offset: this.constExpr() };
      } else {
        mode = flags & 2 ? { kind: 'declarative' } : { kind: 'passive' };
      }
      let type: RefType = 'funcref';
      if (flags & 3) {
        if (flags & 4) {
          type = this.refType();
        } else {
          const kindAt = r.pos;
          if (r.u8() !== 0) throw new DecodeError('malformed element kind', kindAt);
        }
      }
      const n = r.len32();
      const init: Instr[][] = [];
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

  /** Returns the number of bodies. */
  codeSection(): number {
    const r = this.r;
    const count = r.len32();
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

  dataSection(): void {
    const r = this.r;
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
      const bytes = r.take(length);
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
    laterType(byte, at);
    // The reference interpreter tells number/vector types from reference types by range.
    throw new DecodeError(byte >= 0x71 ? 'malformed value type' : 'malformed reference type', at);
  }

  refType(): RefType {
    const r = this.r;
    const at = r.pos;
    const byte = r.s7Byte();
    if (byte === 0x70) return 'funcref';
    if (byte === 0x6f) return 'externref';
    laterType(byte, at);
    throw new DecodeError('malformed reference type', at);
  }

  limits(): Limits {
    const r = this.r;
    const at = r.pos;
    const flag = r.peek();
    // Flags 2 and 3 are shared memories (threads), 4–7 add 64-bit limits (memory64).
    // The 2.0 spec reads the flag as a 1-bit integer, so 2 is "integer too large".
    if (flag === 3) notSupported('threads', at);
    if (flag >= 4 && flag <= 7) notSupported('memory64', at);
    const hasMax = r.u1();
    const min = r.u32();
    if (hasMax) return { min, max: r.u32() };
    return { min };
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
        info = byte === 0xfc ? prefixFC[sub] : prefixFD[sub];
        if (info === undefined) this.unknownOpcode(sub <= 0xffff ? (byte << 16) | sub : -1, at, inConst);
      } else {
        info = singleOps[byte];
        if (info === undefined) this.unknownOpcode(byte, at, inConst);
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
      case 'memory':
        r.zero();
        return { op, code, span: byteSpan(at, r.pos - at) };
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
      case 'ref_null':
        return { op, code, refType: this.refType(), span: byteSpan(at, r.pos - at) };
      case 'memory_init': {
        if (this.dataIndexUsedAt < 0) this.dataIndexUsedAt = at;
        const index = r.u32();
        r.zero();
        return { op, code, index, index2: 0, span: byteSpan(at, r.pos - at) };
      }
      case 'memory_copy':
        r.zero();
        r.zero();
        return { op, code, index2: 0, span: byteSpan(at, r.pos - at) };
      case 'memory_fill':
        r.zero();
        return { op, code, index2: 0, span: byteSpan(at, r.pos - at) };
    }
    /* c8 ignore next */
    return this.unknownOpcode(code, at, inConst);
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

const EXTERN_KINDS: (ExternKind | undefined)[] = ['func', 'table', 'memory', 'global'];

const VAL_TYPES: (ValType | undefined)[] = [];
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

function notSupported(proposal: string, at: number): never {
  throw new DecodeError(`not supported: ${proposal}`, at);
}
