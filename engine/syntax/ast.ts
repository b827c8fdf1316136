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
/** The reference types of WebAssembly 2.0. */
export type RefType = 'funcref' | 'externref';

/**
 * A heap type (WebAssembly 3.0, https://webassembly.github.io/spec/core/syntax/types.html#heap-types):
 * an abstract one by its text name, or a defined type by its index.
 */
export type AbsHeapType =
  | 'func' | 'nofunc' | 'extern' | 'noextern' | 'any' | 'eq' | 'i31' | 'struct' | 'array' | 'none'
  | 'exn' | 'noexn';
export type HeapType = AbsHeapType | number;

/**
 * The reference types WebAssembly 3.0 adds (typed function references, GC, exception
 * handling), spelled as in the text format: the shorthands ('anyref', 'exnref', …) for the
 * one-byte encodings, and `(ref null? ht)` (ht an abstract heap type or a type index) for
 * the general 0x63/0x64 encodings. Keeping types as strings keeps `===` comparisons and
 * the 2.0 types unchanged; refTypeParts() takes one apart. Only the decoder and the
 * disassembler know these: the validator rejects modules that use them
 * (engine/valid/unsupported.ts).
 */
export type RefType3 =
  | 'anyref' | 'eqref' | 'i31ref' | 'structref' | 'arrayref' | 'nullref' | 'nullfuncref'
  | 'nullexternref' | 'exnref' | 'nullexnref'
  | `(ref ${string})`;
export type AnyRefType = RefType | RefType3;
export type ValType = NumType | VecType | AnyRefType;
/**
 * The value types of WebAssembly 2.0: the only ones the validator accepts and the
 * interpreter runs, so code past validation may narrow a ValType to this.
 */
export type ValType2 = NumType | VecType | RefType;

/** A reference type's nullability and heap type; undefined for number and vector types. */
export function refTypeParts(t: ValType): { readonly nullable: boolean; readonly heap: HeapType } | undefined {
  const short = SHORTHAND_HEAP[t];
  if (short !== undefined) return { nullable: true, heap: short };
  if (!t.startsWith('(ref ')) return undefined;
  const nullable = t.startsWith('(ref null ');
  const name = t.slice(nullable ? 10 : 5, -1);
  return { nullable, heap: /^[0-9]+$/.test(name) ? Number(name) : (name as AbsHeapType) };
}

/** The heap type of each shorthand reference type ('funcref' = (ref null func), …). */
export const SHORTHAND_HEAP: Readonly<Record<string, AbsHeapType>> = {
  funcref: 'func', externref: 'extern', anyref: 'any', eqref: 'eq', i31ref: 'i31', structref: 'struct',
  arrayref: 'array', nullref: 'none', nullfuncref: 'nofunc', nullexternref: 'noextern', exnref: 'exn',
  nullexnref: 'noexn',
};

export interface FuncType {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

/** A field's storage type: a value type or a packed integer (GC). */
export type StorageType = ValType | 'i8' | 'i16';

export interface FieldType {
  readonly type: StorageType;
  readonly mutable: boolean;
}

/** GC composite types (https://webassembly.github.io/spec/core/syntax/types.html#composite-types). */
export interface StructType {
  readonly kind: 'struct';
  readonly fields: readonly FieldType[];
}

export interface ArrayType {
  readonly kind: 'array';
  readonly field: FieldType;
}

/**
 * Limits in units of pages (memories) or elements (tables). 64-bit limits (memory64,
 * table64) above 2^53 do not fit a number: `min`/`max` then hold the nearest double and
 * `min64`/`max64` the exact value.
 */
export interface Limits {
  readonly min: number;
  readonly max?: number;
  /** The memory or table is indexed by i64 (memory64 / table64). */
  readonly index64?: boolean;
  /** A shared memory (threads). */
  readonly shared?: boolean;
  readonly min64?: bigint;
  readonly max64?: bigint;
}

export interface TableType {
  readonly limits: Limits;
  readonly elem: AnyRefType;
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
  /** log2 of the alignment, as encoded in the binary (without the multi-memory flag, bit 6). */
  readonly align: number;
  readonly offset: number;
  /** The exact offset when it exceeds 2^53 (memory64); `offset` then holds the nearest double. */
  readonly offset64?: bigint;
  /** The memory index, present only when encoded explicitly (multi-memory: bit 6 of the flags). */
  readonly memory?: number;
}

/** One catch clause of try_table (exception handling). */
export interface CatchClause {
  readonly kind: 'catch' | 'catch_ref' | 'catch_all' | 'catch_all_ref';
  /** The tag index, for catch and catch_ref. */
  readonly tag?: number;
  readonly label: number;
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
   * table of table.init, memory of memory.init/copy/fill (always 0 in 2.0; the destination
   * memory for memory.copy).
   * WebAssembly 3.0: field of struct.get/set, length of array.new_fixed, data/element
   * segment of array.new_data/new_elem/init_data/init_elem, source type of array.copy.
   */
  index2?: number;
  /** memory.copy with multi-memory: the source memory (index2 is the destination). */
  index3?: number;
  /** Heap type of ref.null (beyond func/extern), ref.test, ref.cast, br_on_cast(_fail) (source). */
  heapType?: HeapType;
  /** br_on_cast(_fail): the target heap type. */
  heapType2?: HeapType;
  /** br_on_cast(_fail): bit 0 = source nullable, bit 1 = target nullable. */
  castFlags?: number;
  /** try_table's catch clauses. */
  catches?: CatchClause[];
  /** br_table: the label targets, the default label last. */
  labels?: number[];
  memarg?: MemArg;
  /** i32.const: number; i64.const: bigint; f32.const: u32 bits; f64.const: u64 bits. */
  value?: number | bigint;
  /** v128.const (16 bytes, little-endian) and i8x16.shuffle (16 lane indices). */
  bytes?: Uint8Array;
  /** ref.null of a 2.0 heap type (func, extern); other heap types are in `heapType`. */
  refType?: RefType;
  /** select with explicit result types (`select (result t)`) */
  types?: ValType[];
  span: Span;
}

export type ImportDesc =
  | { readonly kind: 'func'; readonly type: number }
  | { readonly kind: 'table'; readonly type: TableType }
  | { readonly kind: 'memory'; readonly type: MemType }
  | { readonly kind: 'global'; readonly type: GlobalType }
  /** An exception tag (exception handling): the index of its function type. */
  | { readonly kind: 'tag'; readonly type: number };

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
  /**
   * The function type. For a struct or array type (GC, `comp` set) it is the empty
   * function type and means nothing: code that runs modules never meets one, as the
   * validator rejects GC types.
   */
  readonly type: FuncType;
  /** A GC struct or array type. */
  readonly comp?: StructType | ArrayType;
  /** GC subtyping (`sub`/`sub final`), present when the binary spells it out. */
  readonly sub?: { readonly final: boolean; readonly supers: readonly number[] };
  /**
   * GC recursion groups: on the first type of an explicit `rec` group, the number of types
   * in it (an empty group has no type to carry it and is not kept).
   */
  readonly recSize?: number;
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
  /** The initial value of every element, when given (WebAssembly 3.0 `0x40 0x00` form). */
  readonly init?: Instr[];
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

/**
 * An element segment. The decoder may give segments the same `mode` (byte-identical offset
 * expressions in a row) and the same frozen empty `init`, so neither is to be mutated.
 */
export interface Elem {
  readonly type: AnyRefType;
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
  /** WebAssembly 3.0 (exception handling); comes between memory and global. */
  tag: 13,
} as const;

/** An exception tag (exception handling, https://webassembly.github.io/spec/core/syntax/modules.html#tags). */
export interface Tag {
  /** Index of its function type in Module.types (the exception's parameters). */
  readonly type: number;
  id?: string;
  span: Span;
}

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
  /** Exception tags defined by the module (exception handling); absent when there are none. */
  tags?: Tag[];
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
