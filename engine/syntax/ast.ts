// The module AST shared by both formats: the text parser (engine/text) and the binary
// decoder (engine/binary) produce it; the encoder, the disassembler, the validator and the
// interpreter consume it. It mirrors the spec's abstract syntax
// (https://webassembly.github.io/spec/core/syntax/modules.html), with two additions:
// every instruction and definition carries a source Span, and definitions keep their
// symbolic text identifiers ($name) so views can show them.
//
// Conventions
// - Indices are resolved numbers in every AST, whichever format it came from.
// - Instruction sequences are flat, as in the binary format: `block`/`loop`/`if`
//   are followed by their body, `else`, and a closing `end` instruction. A function body
//   does NOT include the implicit final `end` of the binary format; its location is
//   `Func.endSpan`. Constant expressions (`Global.init`, offsets, element items) likewise
//   have no final `end`.
// - Float constants are kept as raw IEEE-754 bits (f32: u32 number, f64: u64 bigint) so
//   NaN payloads and -0 survive every round trip.
// - i32 values are numbers in signed form (-2^31 … 2^31-1), i64 values are signed bigints.

/** Where something came from in the text: 1-based line and column, and character offsets. */
export interface TextSpan {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  /** UTF-16 offsets into the source string, [start, end). */
  readonly start: number;
  readonly end: number;
}

/** Where something came from in the binary: byte offset from the file's start, and length. */
export interface ByteSpan {
  readonly offset: number;
  readonly length: number;
}

/** A node's origin: the text span when parsed from text, the byte span when decoded. */
export interface Span {
  text?: TextSpan;
  bytes?: ByteSpan;
}

export type NumType = 'i32' | 'i64' | 'f32' | 'f64';
export type VecType = 'v128';
export type RefType = 'funcref' | 'externref';
export type ValType = NumType | VecType | RefType;

export interface FuncType {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

/** Limits in units of pages (memories) or elements (tables). */
export interface Limits {
  readonly min: number;
  readonly max?: number;
}

export interface TableType {
  readonly limits: Limits;
  readonly elem: RefType;
}

export interface MemType {
  readonly limits: Limits;
}

export interface GlobalType {
  readonly type: ValType;
  readonly mutable: boolean;
}

/** A block's type: nothing, one result, or a function type by index (multi-value). */
export type BlockType =
  | { readonly kind: 'empty' }
  | { readonly kind: 'value'; readonly type: ValType }
  | { readonly kind: 'index'; readonly index: number };

export interface MemArg {
  /** log2 of the alignment, as encoded in the binary. */
  readonly align: number;
  readonly offset: number;
}

/**
 * One instruction. `op` is the text mnemonic (e.g. 'i32.add', 'memory.init'),
 * `code` the opcode: one byte, or (prefix << 16 | sub-opcode) for the 0xFC and 0xFD
 * prefixes (e.g. memory.init = 0xfc0008). Which immediate fields are present depends
 * on the instruction's immediate kind in engine/syntax/opcodes.ts.
 */
export interface Instr {
  readonly op: string;
  readonly code: number;
  /** block, loop, if */
  blockType?: BlockType;
  /**
   * The first index immediate: label (br, br_if), local, global, function (call, ref.func),
   * type (call_indirect), table (table.get/set/size/grow/fill), element (elem.drop),
   * data (data.drop, memory.init), lane (extract/replace_lane, load/store_lane).
   */
  index?: number;
  /**
   * The second index immediate: table of call_indirect, source table of table.copy,
   * table of table.init, memory of memory.init/copy/fill (always 0 in 2.0).
   */
  index2?: number;
  /** br_table: the label targets, the default label last. */
  labels?: number[];
  memarg?: MemArg;
  /** i32.const: number; i64.const: bigint; f32.const: u32 bits; f64.const: u64 bits. */
  value?: number | bigint;
  /** v128.const (16 bytes, little-endian) and i8x16.shuffle (16 lane indices). */
  bytes?: Uint8Array;
  /** ref.null */
  refType?: RefType;
  /** select with explicit result types (`select (result t)`) */
  types?: ValType[];
  span: Span;
}

export type ImportDesc =
  | { readonly kind: 'func'; readonly type: number }
  | { readonly kind: 'table'; readonly type: TableType }
  | { readonly kind: 'memory'; readonly type: MemType }
  | { readonly kind: 'global'; readonly type: GlobalType };

export type ExternKind = ImportDesc['kind'];

export interface Import {
  readonly module: string;
  readonly name: string;
  readonly desc: ImportDesc;
  /** The text identifier of the imported item, e.g. '$log'. */
  id?: string;
  span: Span;
}

export interface TypeDef {
  readonly type: FuncType;
  id?: string;
  span: Span;
}

export interface Func {
  /** Index into Module.types. */
  readonly type: number;
  /** Declared locals (parameters are not included). */
  readonly locals: ValType[];
  readonly body: Instr[];
  id?: string;
  /** Text identifiers of parameters and locals, by local index. */
  localIds?: (string | undefined)[];
  span: Span;
  /** The implicit final `end`: its byte in the binary, or the closing paren in the text. */
  endSpan?: Span;
}

export interface Table {
  readonly type: TableType;
  id?: string;
  span: Span;
}

export interface Memory {
  readonly type: MemType;
  id?: string;
  span: Span;
}

export interface Global {
  readonly type: GlobalType;
  readonly init: Instr[];
  id?: string;
  span: Span;
}

export interface Export {
  readonly name: string;
  readonly kind: ExternKind;
  readonly index: number;
  span: Span;
}

export type ElemMode =
  | { readonly kind: 'passive' }
  | { readonly kind: 'declarative' }
  | { readonly kind: 'active'; readonly table: number; readonly offset: Instr[] };

export interface Elem {
  readonly type: RefType;
  readonly mode: ElemMode;
  /** Each item is a constant expression (ref.func i, ref.null t, or global.get). */
  readonly init: Instr[][];
  id?: string;
  span: Span;
}

export type DataMode =
  | { readonly kind: 'passive' }
  | { readonly kind: 'active'; readonly memory: number; readonly offset: Instr[] };

export interface Data {
  readonly mode: DataMode;
  readonly bytes: Uint8Array;
  id?: string;
  span: Span;
}

/** Section ids of the binary format (https://webassembly.github.io/spec/core/binary/modules.html#sections). */
export const SectionId = {
  custom: 0,
  type: 1,
  import: 2,
  function: 3,
  table: 4,
  memory: 5,
  global: 6,
  export: 7,
  start: 8,
  element: 9,
  code: 10,
  data: 11,
  dataCount: 12,
} as const;

export interface Custom {
  readonly name: string;
  /** The section's content after its name. */
  readonly bytes: Uint8Array;
  /** Id of the last non-custom section before it (0 when it comes first), to re-encode in place. */
  readonly after: number;
  span: Span;
}

/** Names from the `name` custom section (https://webassembly.github.io/spec/core/appendix/custom.html). */
export interface Names {
  module?: string;
  functions: Map<number, string>;
  locals: Map<number, Map<number, string>>;
}

export interface Module {
  /** The module's text identifier, `(module $m …)`. */
  id?: string;
  types: TypeDef[];
  imports: Import[];
  funcs: Func[];
  tables: Table[];
  mems: Memory[];
  globals: Global[];
  exports: Export[];
  start?: number;
  elems: Elem[];
  datas: Data[];
  /** Present when the module has (binary) or needs (text: memory.init/data.drop) a data count section. */
  dataCount?: number;
  customs: Custom[];
  /** Decoded from the `name` custom section when present and well-formed. */
  names?: Names;
  span: Span;
}

/** An empty module, to be filled by a parser or decoder. */
export function emptyModule(): Module {
  return {
    types: [],
    imports: [],
    funcs: [],
    tables: [],
    mems: [],
    globals: [],
    exports: [],
    elems: [],
    datas: [],
    customs: [],
    span: {},
  };
}
