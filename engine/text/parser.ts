// The text format's module grammar (https://webassembly.github.io/spec/core/text/modules.html)
// and instructions (https://webassembly.github.io/spec/core/text/instructions.html), with
// every abbreviation the spec defines, producing the shared AST of engine/syntax/ast.ts.
//
// Two passes over the module fields, because an identifier may be used before the field
// that binds it (`call $f` above `(func $f …)`):
//  1. declare: bind the `$id`s of every index space in text order and read the explicit
//     `(type …)` definitions;
//  2. define: parse every other field, resolving identifiers to indices.
// Inline type uses (`(func (param i32))`, block types, call_indirect) reuse the first
// equal type or append a new one during pass 2 — after all explicit types, in the order of
// the flattened instructions, as wat2wasm does: a folded instruction's operands come before
// it, so `(call_indirect (param f32) (…operands…))` and the block type of a folded `if`
// take their implicit type after those of their operands (the condition).
// Folded instructions are flattened into plain order; identifiers of labels are resolved
// to relative depths and checked against `end $l` / `else $l`. Blocks and folded operands
// are parsed on an explicit stack (ModuleParser.run), not by recursion, so nesting is
// bounded by the limit the binary decoder shares (maxNesting), not by the host's stack.
// The AST stays faithful to the source where encoders differ: an explicit `(type x)`
// block type stays an index (wat2wasm shortens it when it can), a written but empty
// `else` is kept (the reference encoder and wat2wasm omit it), and `select (result)` is
// the typed select with no types.

import {
  type BlockType, type Data, DEFAULT_MAX_NESTING, type Elem, emptyModule, type Export, type ExternKind, type FuncType, type GlobalType, type Import, type Instr, type Limits, type MemArg, type Module, nestingTooDeep, type NestingOptions, type Version, type VersionOptions, opByCode, opByName, opByName3, type OpInfo, OPS_3, type Span, type TableType, type TextSpan, type ValType, type OpInfo3, type CatchClause, type AnyRefType, type HeapType,
} from '../syntax/index.ts';
import { ParseError } from './error.ts';
import { BAD_ID_EMPTY, BAD_ID_UTF8, Tok, errorAt, idText, stringBytes, stringName, tokenText, tokenize, type Tokens } from './lexer.ts';
import { limits64, parseU64 } from './memories.ts';
import { NUM_FLOAT, NUM_SIGN, parseF32, parseF64, parseI32, parseI64, parseIntN, parseU32 } from './numbers.ts';

const VALTYPES: ReadonlyMap<string, ValType> = new Map<string, ValType>([
  ['i32', 'i32'],
  ['i64', 'i64'],
  ['f32', 'f32'],
  ['f64', 'f64'],
  ['v128', 'v128'],
  ['funcref', 'funcref'],
  ['externref', 'externref'],
  // WebAssembly 3.0's shorthands (https://webassembly.github.io/spec/core/text/types.html#reference-types);
  // the validator refuses those of proposals wasmstep does not run (GC, exceptions) by name.
  ['nullfuncref', 'nullfuncref'],
  ['nullexternref', 'nullexternref'],
  ['exnref', 'exnref'],
  ['nullexnref', 'nullexnref'],
  ['anyref', 'anyref'],
  ['eqref', 'eqref'],
  ['i31ref', 'i31ref'],
  ['structref', 'structref'],
  ['arrayref', 'arrayref'],
  ['nullref', 'nullref'],
]);

/** Abstract heap types (https://webassembly.github.io/spec/core/text/types.html#heap-types). */
const HEAP_TYPES: ReadonlySet<string> = new Set([
  'func', 'nofunc', 'extern', 'noextern', 'exn', 'noexn', 'any', 'eq', 'i31', 'struct', 'array', 'none',
]);

/**
 * The instructions of the text format: 2.0's, and the 3.0 ones wasmstep runs (typed
 * function references; return_call_ref is a tail call).
 */
const TYPED_REF_OPS: ReadonlyMap<string, OpInfo> = new Map(
  OPS_3.filter((info) => info.proposal === 'function-references' && info.op !== 'return_call_ref').map((info) => [info.op, info as OpInfo3 as OpInfo]),
);
function textOp(word: string): OpInfo | undefined {
  return opByName(word) ?? TYPED_REF_OPS.get(word);
}

/**
 * Keywords of the grammar that are not instructions. A keyword that is neither these nor
 * an instruction is reported as "unknown operator" (as the reference lexer does); a known
 * keyword in the wrong place as "unexpected token".
 */
const STRUCTURAL = new Set([
  'module', 'type', 'func', 'param', 'result', 'local', 'import', 'export', 'table', 'memory',
  'global', 'elem', 'data', 'start', 'offset', 'item', 'declare', 'mut', 'then', 'else', 'end',
  'block', 'loop', 'if', 'extern', 'i32', 'i64', 'f32', 'f64', 'v128', 'funcref', 'externref',
  'i8x16', 'i16x8', 'i32x4', 'i64x2', 'f32x4', 'f64x2', 'binary', 'quote', 'register', 'invoke',
  'get', 'assert_return', 'assert_trap', 'assert_exhaustion', 'assert_invalid', 'assert_malformed',
  'assert_unlinkable', 'assert_uninstantiable', 'ref.extern', 'nan:canonical', 'nan:arithmetic', 'either',
  // Exception handling (./exceptions.ts).
  'tag', 'try_table', 'try', 'do', 'catch', 'catch_ref', 'catch_all', 'catch_all_ref', 'delegate', 'throw', 'throw_ref',
  'rethrow', 'exnref', 'nullexnref', 'assert_exception',
  'ref', 'null', ...VALTYPES.keys(), ...HEAP_TYPES,
]);

/** Index spaces, named as in the reference interpreter's messages ("unknown function $f"). */
const SPACE_TYPE = 0;
const SPACE_FUNC = 1;
const SPACE_TABLE = 2;
const SPACE_MEMORY = 3;
const SPACE_GLOBAL = 4;
const SPACE_ELEM = 5;
const SPACE_DATA = 6;
const SPACE_TAG = 7;
const SPACE_NAMES = ['type', 'function', 'table', 'memory', 'global', 'elem segment', 'data segment', 'tag'];
const DUPLICATE_NAMES = ['type', 'func', 'table', 'memory', 'global', 'elem', 'data', 'tag'];

const LANES: ReadonlyMap<string, number> = new Map([
  ['i8x16', 16],
  ['i16x8', 8],
  ['i32x4', 4],
  ['i64x2', 2],
  ['f32x4', 4],
  ['f64x2', 2],
]);

/** The 3.0 instructions the parser reads (their immediates are of 2.0's kinds). */
const TEXT_3 = new Set([
  ...OPS_3.filter((info) => info.proposal === 'relaxed-simd').map((info) => info.op),
  'return_call', 'return_call_indirect', 'return_call_ref',
]);
const OP_BLOCK = opByName('block')!;
const OP_LOOP = opByName('loop')!;
const OP_IF = opByName('if')!;
const OP_ELSE = opByName('else')!;
const OP_END = opByName('end')!;
const OP_SELECT_T = opByCode(0x1c)!;
const OP_REF_FUNC = opByName('ref.func')!;
const OP_I32_CONST = opByName('i32.const')!;
const OP_I64_CONST = opByName('i64.const')!;

// What an open construct of the instruction parser waits for (ModuleParser.run).
/** Plain `block`/`loop`, or an `if` after its `else`: instr*, then `end`. */
const AWAIT_END = 0;
/** A plain `if`'s then-branch: instr*, then `else` or `end`. */
const AWAIT_ELSE_OR_END = 1;
/** `(block …)`/`(loop …)`: instr*, then `)`. */
const AWAIT_PAREN = 2;
/** `(then …)`: instr*, then `)`, an optional `(else …)`, then `)`. */
const AWAIT_THEN_CLOSE = 3;
/** `(else …)`: instr*, then `)` and `)`. */
const AWAIT_ELSE_CLOSE = 4;
// The frames from here on await folded operands, not instr*.
/** `(if …)`: the condition's folded operands, then `(then`. */
const AWAIT_THEN = 5;
/** `(op immediates …)`: folded operands, then `)`. */
const AWAIT_OPERANDS = 6;
// Legacy try (exception handling), below -1 so that they await instr* (see ehClose).
/** Plain `try`: instr*, then `catch x`, `catch_all`, `delegate l` or `end`. */
const AWAIT_TRY = -2;
/** Plain `try` after a `catch`: no `delegate` any more. */
const AWAIT_TRY_CAUGHT = -3;
/** Plain `try` after `catch_all`: only `end`. */
const AWAIT_TRY_ALL = -4;
/** `(do …)`: instr*, then `)`, then `(catch …)*`, `(catch_all …)?` or `(delegate l)`, then `)`. */
const AWAIT_DO = -5;
/** `(catch x …)`: instr*, then `)`, then more catches or `)`. */
const AWAIT_CATCH = -6;
/** `(catch_all …)`: instr*, then `)` and `)`. */
const AWAIT_CATCH_ALL = -7;

/** The exception-handling instructions the text parser reads as instructions (3.0). */
const EH_OPS: ReadonlyMap<string, OpInfo> = new Map(
  OPS_3.filter((i) => ['try_table', 'try', 'throw', 'throw_ref', 'rethrow'].includes(i.op)).map((i) => [i.op, i as OpInfo]),
);
const OP_CATCH = OPS_3.find((i) => i.op === 'catch')! as OpInfo;
const OP_CATCH_ALL = OPS_3.find((i) => i.op === 'catch_all')! as OpInfo;
const OP_DELEGATE = OPS_3.find((i) => i.op === 'delegate')! as OpInfo;

interface ParamsResults {
  readonly params: ValType[];
  readonly results: ValType[];
  /** Parameter identifiers, one per parameter (only when names are allowed). */
  readonly ids: (string | undefined)[];
}

interface TypeUse {
  readonly index: number;
  /** Number of parameters, so local indices start after them. */
  readonly paramCount: number;
  readonly paramIds: (string | undefined)[];
}

function typeKey(params: readonly ValType[], results: readonly ValType[]): string {
  return params.join(' ') + '>' + results.join(' ');
}

/** Is this a keyword the text format knows (so misuse is "unexpected token", not "unknown operator")? */
export function isKnownKeyword(word: string): boolean {
  return textOp(word) !== undefined || STRUCTURAL.has(word) || word.startsWith('offset=') || word.startsWith('align=');
}

/** The shared error for a token that cannot appear where it is. */
export function unexpectedToken(t: Tokens, i: number): ParseError {
  const k = t.kind[i];
  if (k === Tok.EOF) return errorAt(t, i, 'unexpected end of input');
  if (k === Tok.Reserved) {
    // 3.0: `$` must name something: `$`, `$""`, `$"…"` over lines, or not UTF-8.
    if (t.flags[i] === BAD_ID_EMPTY) return errorAt(t, i, 'empty identifier');
    if (t.flags[i] === BAD_ID_UTF8) return errorAt(t, i, 'malformed UTF-8 encoding');
    return errorAt(t, i, 'unknown operator ' + tokenText(t, i));
  }
  if (k === Tok.Keyword) {
    const word = tokenText(t, i);
    if (!isKnownKeyword(word)) return errorAt(t, i, 'unknown operator ' + word);
  }
  return errorAt(t, i, 'unexpected token');
}

/** The text span from the start of token a to the end of token b. */
export function spanOf(t: Tokens, a: number, b: number): TextSpan {
  const e = t.end[b]!;
  return {
    line: t.line[a]!,
    column: t.column[a]!,
    endLine: t.line[b]!,
    endColumn: t.column[b]! + (e - t.start[b]!),
    start: t.start[a]!,
    end: e,
  };
}

/** Index of the ')' matching the '(' at token i (or of EOF when unbalanced). */
export function matchingParen(t: Tokens, i: number): number {
  let depth = 0;
  const kind = t.kind;
  for (let p = i; p < t.count; p++) {
    const k = kind[p];
    if (k === Tok.LParen) depth++;
    else if (k === Tok.RParen) {
      depth--;
      if (depth === 0) return p;
    } else if (k === Tok.EOF) return p;
  }
  return t.count - 1;
}

class ModuleParser {
  readonly t: Tokens;
  readonly kind: Uint8Array;
  pos: number;
  readonly m: Module;
  readonly ids: Map<string, number>[] = [new Map(), new Map(), new Map(), new Map(), new Map(), new Map(), new Map(), new Map()];
  /** First type index of each function type, for inline type uses. */
  readonly typeIndex = new Map<string, number>();
  // Running index of each space during pass 2 (imports and definitions share it).
  nFuncs = 0;
  nTables = 0;
  nMems = 0;
  nGlobals = 0;
  nTags = 0;
  /** The latest func/table/memory/global definition, for "import after …". */
  lastDefinition: string | undefined;
  startToken = -1;
  needsDataCount = false;
  // Function context.
  locals: Map<string, number> = new Map();
  labels: (string | undefined)[] = [];
  /** Most blocks open at once (NestingOptions.maxNesting). */
  readonly maxNesting: number;
  /** The language read (TextOptions.version): '2.0' keeps 2.0's syntax and errors. */
  readonly version: Version;
  // The open constructs of the instruction being parsed, innermost last (see run): what
  // each awaits (AWAIT_*), its first token, its label, its pending instruction.
  readonly fKind: number[] = [];
  readonly fOpen: number[] = [];
  readonly fLabel: (string | undefined)[] = [];
  readonly fIns: (Instr | undefined)[] = [];
  /** A frame's implicit type, taken back until its operands' implicit types are in (takeAppendedType). */
  readonly fType: (Module['types'][number] | undefined)[] = [];

  constructor(t: Tokens, pos: number, maxNesting: number, version: Version) {
    this.maxNesting = maxNesting;
    this.version = version;
    this.t = t;
    this.kind = t.kind;
    this.pos = pos;
    this.m = emptyModule();
  }

  // --- token helpers -------------------------------------------------------------------

  fail(i: number, message: string): never {
    throw errorAt(this.t, i, message);
  }

  unexpected(i: number = this.pos): never {
    throw unexpectedToken(this.t, i);
  }

  /** Reports token i if it is a reserved token or an unknown keyword (e.g. `nan:1`). */
  unknownOperator(i: number): void {
    const k = this.kind[i];
    if (k === Tok.Reserved || (k === Tok.Keyword && !isKnownKeyword(this.text(i)))) this.unexpected(i);
  }

  /** Is token i the keyword `word`? Compares in place, without a substring. */
  isKw(i: number, word: string): boolean {
    if (this.kind[i] !== Tok.Keyword) return false;
    const s = this.t.start[i]!;
    if (this.t.end[i]! - s !== word.length) return false;
    const src = this.t.source;
    for (let j = 0; j < word.length; j++) if (src.charCodeAt(s + j) !== word.charCodeAt(j)) return false;
    return true;
  }

  /** Is the token at pos '(' followed by the keyword `word`? */
  atField(word: string, i: number = this.pos): boolean {
    return this.kind[i] === Tok.LParen && this.isKw(i + 1, word);
  }

  text(i: number): string {
    // An identifier by what it names: `$"a"` is `$a` (3.0 quoted identifiers).
    return this.kind[i] === Tok.Id ? idText(this.t, i) : tokenText(this.t, i);
  }

  expectLParen(): number {
    if (this.kind[this.pos] !== Tok.LParen) this.unexpected();
    return this.pos++;
  }

  expectRParen(): number {
    if (this.kind[this.pos] !== Tok.RParen) this.unexpected();
    return this.pos++;
  }

  expectKw(word: string): number {
    if (!this.isKw(this.pos, word)) this.unexpected();
    return this.pos++;
  }

  span(a: number, b: number): Span {
    return { text: spanOf(this.t, a, b) };
  }

  optId(): string | undefined {
    if (this.kind[this.pos] !== Tok.Id) return undefined;
    return this.text(this.pos++);
  }

  string(): number {
    if (this.kind[this.pos] !== Tok.String) this.unexpected();
    return this.pos++;
  }

  name(): string {
    return stringName(this.t, this.string());
  }

  /** A u32 literal: indices, limits. */
  u32(): number {
    const i = this.pos;
    if (this.kind[i] !== Tok.Number || (this.t.flags[i]! & (NUM_SIGN | NUM_FLOAT)) !== 0) this.unexpected(i);
    const v = parseU32(this.text(i));
    if (v === undefined) this.fail(i, 'i32 constant out of range');
    this.pos++;
    return v;
  }

  isNat(i: number): boolean {
    return this.kind[i] === Tok.Number && (this.t.flags[i]! & (NUM_SIGN | NUM_FLOAT)) === 0;
  }

  isVar(i: number = this.pos): boolean {
    return this.kind[i] === Tok.Id || this.isNat(i);
  }

  /** An index into one of the module's index spaces: a u32 or a bound `$id`. */
  index(space: number): number {
    const i = this.pos;
    if (this.kind[i] === Tok.Id) {
      const v = this.ids[space]!.get(this.text(i));
      if (v === undefined) this.fail(i, `unknown ${SPACE_NAMES[space]} ${this.text(i)}`);
      this.pos++;
      return v;
    }
    return this.u32();
  }

  bind(space: number, i: number, index: number): void {
    const id = this.text(i);
    const map = this.ids[space]!;
    if (map.has(id)) this.fail(i, `duplicate ${DUPLICATE_NAMES[space]} ${id}`);
    map.set(id, index);
  }

  valtype(): ValType {
    const i = this.pos;
    if (this.kind[i] === Tok.Keyword) {
      const v = VALTYPES.get(this.text(i));
      if (v !== undefined) {
        this.pos++;
        return v;
      }
    }
    if (this.atField('ref')) return this.refTypeParen();
    return this.unexpected(i);
  }

  reftype(): AnyRefType {
    const i = this.pos;
    if (this.kind[i] === Tok.Keyword) {
      const v = VALTYPES.get(this.text(i));
      if (v !== undefined && v !== 'i32' && v !== 'i64' && v !== 'f32' && v !== 'f64' && v !== 'v128') {
        this.pos++;
        return v as AnyRefType;
      }
    }
    if (this.atField('ref')) return this.refTypeParen();
    return this.unexpected(i);
  }

  /** `(ref null? heaptype)`, spelled as the AST keeps it: '(ref null 3)', '(ref func)'. */
  refTypeParen(): AnyRefType {
    this.pos += 2;
    const nullable = this.isKw(this.pos, 'null');
    if (nullable) this.pos++;
    const heap = this.heapType();
    this.expectRParen();
    return `(ref ${nullable ? 'null ' : ''}${heap})`;
  }

  /** An abstract heap type keyword, or a type index (`$t` or a number). */
  heapType(): HeapType {
    const i = this.pos;
    if (this.kind[i] === Tok.Keyword && HEAP_TYPES.has(this.text(i))) {
      this.pos++;
      return this.text(i) as HeapType;
    }
    if (this.isVar()) return this.index(SPACE_TYPE);
    return this.unexpected(i);
  }

  // --- types ---------------------------------------------------------------------------

  /** `(param …)* (result …)*`; parameter ids only where the grammar allows them. */
  paramsResults(allowNames: boolean): ParamsResults {
    const params: ValType[] = [];
    const results: ValType[] = [];
    const ids: (string | undefined)[] = [];
    while (this.atField('param')) {
      this.pos += 2;
      if (this.kind[this.pos] === Tok.Id) {
        if (!allowNames) this.unexpected();
        ids.push(this.text(this.pos++));
        params.push(this.valtype());
      } else {
        while (this.kind[this.pos] !== Tok.RParen) {
          params.push(this.valtype());
          ids.push(undefined);
        }
      }
      this.expectRParen();
    }
    while (this.atField('result')) {
      this.pos += 2;
      while (this.kind[this.pos] !== Tok.RParen) results.push(this.valtype());
      this.expectRParen();
    }
    // Parameters after results are a syntax error wherever a type use appears; report it
    // before any check of what the types mean.
    if (this.atField('param')) this.unexpected(this.pos + 1);
    return { params, results, ids };
  }

  /** The index of a function type equal to params → results, appending one if there is none. */
  typeFor(params: ValType[], results: ValType[], a: number, b: number): number {
    return this.appendType({ type: { params, results }, span: this.span(a, b) });
  }

  /** The index of the first type equal to def's, appending def if there is none. */
  appendType(def: Module['types'][number]): number {
    const key = typeKey(def.type.params, def.type.results);
    const found = this.typeIndex.get(key);
    if (found !== undefined) return found;
    const index = this.m.types.length;
    this.m.types.push(def);
    this.typeIndex.set(key, index);
    return index;
  }

  /**
   * The implicit type a folded instruction's immediates just appended (the type count was
   * `before`), taken back out: it belongs after the types of the operands that follow in
   * the text, and is appended again (or found equal to one of theirs) after them.
   */
  takeAppendedType(before: number): Module['types'][number] | undefined {
    if (this.m.types.length === before) return undefined;
    const def = this.m.types.pop()!;
    this.typeIndex.delete(typeKey(def.type.params, def.type.results));
    return def;
  }

  funcTypeAt(index: number): FuncType | undefined {
    return this.m.types[index]?.type;
  }

  /**
   * A type use: `(type x)? (param …)* (result …)*`. With both parts the inline types must
   * agree with x ("inline function type"); with only the inline part, the type is found or
   * appended.
   */
  typeUse(allowNames: boolean): TypeUse {
    const first = this.pos;
    if (this.atField('type')) {
      this.pos += 2;
      const xTok = this.pos;
      const x = this.index(SPACE_TYPE);
      this.expectRParen();
      const pr = this.paramsResults(allowNames);
      const ft = this.funcTypeAt(x);
      if (pr.params.length > 0 || pr.results.length > 0) {
        if (ft === undefined) this.fail(xTok, `unknown type ${this.text(xTok)}`);
        if (typeKey(ft.params, ft.results) !== typeKey(pr.params, pr.results)) this.fail(first, 'inline function type');
        return { index: x, paramCount: pr.params.length, paramIds: pr.ids };
      }
      const n = ft?.params.length ?? 0;
      return { index: x, paramCount: n, paramIds: new Array<string | undefined>(n).fill(undefined) };
    }
    const pr = this.paramsResults(allowNames);
    const index = this.typeFor(pr.params, pr.results, first, Math.max(first, this.pos - 1));
    return { index, paramCount: pr.params.length, paramIds: pr.ids };
  }

  blockType(): BlockType {
    const first = this.pos;
    if (this.atField('type')) {
      const use = this.typeUse(false);
      return { kind: 'index', index: use.index };
    }
    const pr = this.paramsResults(false);
    if (pr.params.length === 0 && pr.results.length === 0) return { kind: 'empty' };
    if (pr.params.length === 0 && pr.results.length === 1) return { kind: 'value', type: pr.results[0]! };
    return { kind: 'index', index: this.typeFor(pr.params, pr.results, first, this.pos - 1) };
  }

  limits(): Limits {
    const min = this.u32();
    if (this.isNat(this.pos)) return { min, max: this.u32() };
    return { min };
  }

  /** A memory type: `addrtype? limits` (3.0: `i64` makes u64 limits, memory64). */
  memType(): Limits {
    if (this.version !== '2.0' && this.isKw(this.pos, 'i64')) {
      this.pos++;
      const min = this.u64();
      return limits64(min, this.isNat(this.pos) ? this.u64() : undefined);
    }
    if (this.version === '2.0') return this.limits();
    if (this.isKw(this.pos, 'i32')) this.pos++;
    // 3.0 reads u64 limits for either address type: the validator says "memory size" when
    // an i32 memory's are too large.
    const min = this.u64();
    const max = this.isNat(this.pos) ? this.u64() : undefined;
    return max === undefined ? { min: Number(min) } : { min: Number(min), max: Number(max) };
  }

  /** A u64 literal: the limits of an i64 memory. */
  u64(): bigint {
    const i = this.pos;
    if (!this.isNat(i)) this.unexpected(i);
    const v = parseU64(this.text(i));
    if (v === undefined) this.fail(i, 'i64 constant out of range');
    this.pos++;
    return v;
  }

  /** Is token i an `offset=` or `align=` keyword? */
  isMemargKw(i: number): boolean {
    if (this.kind[i] !== Tok.Keyword) return false;
    const src = this.t.source;
    const at = this.t.start[i]!;
    return src.startsWith('offset=', at) || src.startsWith('align=', at);
  }

  /** 3.0: the memory index a memory instruction may name first (multi-memory); 0 when absent. */
  memIndex(): number {
    return this.version !== '2.0' && this.isVar() ? this.index(SPACE_MEMORY) : 0;
  }

  globalType(): GlobalType {
    if (this.atField('mut')) {
      this.pos += 2;
      const type = this.valtype();
      this.expectRParen();
      return { type, mutable: true };
    }
    return { type: this.valtype(), mutable: false };
  }

  tableType(): TableType {
    // 3.0: an address type may come first; `i64` makes a table64, with u64 limits.
    if (this.version !== '2.0' && this.isKw(this.pos, 'i64')) {
      this.pos++;
      const min = this.u64Limit();
      const limits = limits64(min, this.isNat(this.pos) ? this.u64Limit() : undefined);
      return { limits, elem: this.reftype() };
    }
    if (this.version !== '2.0') {
      if (this.isKw(this.pos, 'i32')) this.pos++;
      // 3.0 reads the limits as u64 and lets validation refuse those above 2^32-1 ("table size").
      const min = Number(this.u64Limit());
      const limits: Limits = this.isNat(this.pos) ? { min, max: Number(this.u64Limit()) } : { min };
      return { limits, elem: this.reftype() };
    }
    const limits = this.limits();
    return { limits, elem: this.reftype() };
  }

  /** A u64 literal: a limit of an i64 table. */
  u64Limit(): bigint {
    const i = this.pos;
    if (!this.isNat(i)) this.unexpected(i);
    const v = parseU64(this.text(i));
    if (v === undefined) this.fail(i, 'i64 constant out of range');
    this.pos++;
    return v;
  }

  // --- pass 1 ---------------------------------------------------------------------------

  /** Binds identifiers and reads explicit types; returns the token after the last field. */
  declare(from: number): number {
    const t = this.t;
    let p = from;
    let funcs = 0;
    let tables = 0;
    let mems = 0;
    let globals = 0;
    let elems = 0;
    let datas = 0;
    // Type identifiers first: a type may refer to itself or to another by name
    // (`(ref $t)`), and what a reference to a later type means is the validator's to say.
    let types = 0;
    for (let q = from; this.kind[q] === Tok.LParen; q = matchingParen(t, q) + 1) {
      if (!this.isKw(q + 1, 'type')) continue;
      if (this.kind[q + 2] === Tok.Id) this.bind(SPACE_TYPE, q + 2, types);
      types++;
    }
    while (this.kind[p] === Tok.LParen) {
      const kw = p + 1;
      // Anything malformed here is left for pass 2, which reports errors in text order.
      const field = this.kind[kw] === Tok.Keyword ? this.text(kw) : '';
      const idTok = this.kind[kw + 1] === Tok.Id ? kw + 1 : -1;
      switch (field) {
        case 'type':
          this.pos = p;
          this.typeField();
          break;
        case 'func':
          if (idTok >= 0) this.bind(SPACE_FUNC, idTok, funcs);
          funcs++;
          break;
        case 'table':
          if (idTok >= 0) this.bind(SPACE_TABLE, idTok, tables);
          tables++;
          // (table … reftype (elem …)) defines an elem segment in place: it takes the next
          // elem index, so later named segments must count it.
          if (this.inlineSegment(idTok >= 0 ? idTok + 1 : kw + 1, 'elem')) elems++;
          break;
        case 'memory':
          if (idTok >= 0) this.bind(SPACE_MEMORY, idTok, mems);
          mems++;
          // (memory … (data …)) likewise takes the next data index.
          if (this.inlineSegment(idTok >= 0 ? idTok + 1 : kw + 1, 'data')) datas++;
          break;
        case 'global':
          if (idTok >= 0) this.bind(SPACE_GLOBAL, idTok, globals);
          globals++;
          break;
        case 'elem':
          if (idTok >= 0) this.bind(SPACE_ELEM, idTok, elems);
          elems++;
          break;
        case 'data':
          if (idTok >= 0) this.bind(SPACE_DATA, idTok, datas);
          datas++;
          break;
        case 'tag':
          if (idTok >= 0) this.bind(SPACE_TAG, idTok, this.nTags);
          this.nTags++;
          break;
        case 'import': {
          // (import "m" "n" (kind $id? …)); a malformed one is reported in pass 2.
          const d = kw + 3;
          if (t.kind[kw + 1] === Tok.String && t.kind[kw + 2] === Tok.String && t.kind[d] === Tok.LParen) {
            const id = this.kind[d + 2] === Tok.Id ? d + 2 : -1;
            if (this.isKw(d + 1, 'func')) {
              if (id >= 0) this.bind(SPACE_FUNC, id, funcs);
              funcs++;
            } else if (this.isKw(d + 1, 'table')) {
              if (id >= 0) this.bind(SPACE_TABLE, id, tables);
              tables++;
            } else if (this.isKw(d + 1, 'memory')) {
              if (id >= 0) this.bind(SPACE_MEMORY, id, mems);
              mems++;
            } else if (this.isKw(d + 1, 'global')) {
              if (id >= 0) this.bind(SPACE_GLOBAL, id, globals);
              globals++;
            } else if (this.isKw(d + 1, 'tag')) {
              if (id >= 0) this.bind(SPACE_TAG, id, this.nTags);
              this.nTags++;
            }
          }
          break;
        }
        default:
          break;
      }
      p = matchingParen(t, p) + 1;
    }
    return p;
  }

  /**
   * Pass 1: does a table or memory field, read from token p (after its id), define an
   * inline `(elem …)` or `(data …)` segment? Skips inline exports and, for a table, the
   * reference type before the segment.
   */
  inlineSegment(p: number, word: 'elem' | 'data'): boolean {
    while (this.atField('export', p)) p = matchingParen(this.t, p) + 1;
    if (word === 'elem' && (this.isKw(p, 'i64') || this.isKw(p, 'i32')) && this.kind[p + 1] !== Tok.RParen) p++; // table64's address type
    if (word === 'elem' && this.kind[p] === Tok.Keyword) p++;
    else if (word === 'elem' && this.atField('ref', p)) p = matchingParen(this.t, p) + 1;
    if (word === 'data' && (this.isKw(p, 'i64') || this.isKw(p, 'i32'))) p++; // memory64's address type
    return this.atField(word, p);
  }

  /** `(type $id? (func (param …)* (result …)*))` */
  typeField(): void {
    const open = this.expectLParen();
    this.pos++; // 'type'
    const idTok = this.kind[this.pos] === Tok.Id ? this.pos++ : -1;
    this.expectLParen();
    this.expectKw('func');
    const pr = this.paramsResults(true);
    this.expectRParen();
    const close = this.expectRParen();
    const index = this.m.types.length;
    const def: Module['types'][number] = { type: { params: pr.params, results: pr.results }, span: this.span(open, close) };
    if (idTok >= 0) def.id = this.text(idTok);
    this.m.types.push(def);
    const key = typeKey(pr.params, pr.results);
    if (!this.typeIndex.has(key)) this.typeIndex.set(key, index);
  }

  // --- pass 2 ---------------------------------------------------------------------------

  define(from: number): number {
    this.pos = from;
    while (this.kind[this.pos] === Tok.LParen) {
      const open = this.pos;
      const kw = open + 1;
      if (this.kind[kw] !== Tok.Keyword) this.unexpected(kw);
      switch (this.text(kw)) {
        case 'type':
          this.pos = matchingParen(this.t, open) + 1;
          break;
        case 'import':
          this.importField();
          break;
        case 'func':
          this.funcField();
          break;
        case 'table':
          this.tableField();
          break;
        case 'memory':
          this.memoryField();
          break;
        case 'global':
          this.globalField();
          break;
        case 'export':
          this.exportField();
          break;
        case 'start':
          this.startField();
          break;
        case 'elem':
          this.elemField();
          break;
        case 'data':
          this.dataField();
          break;
        case 'tag':
          if (this.version === '2.0') this.unexpected(kw);
          this.tagField();
          break;
        default:
          this.unexpected(kw);
      }
    }
    if (this.needsDataCount) this.m.dataCount = this.m.datas.length;
    return this.pos;
  }

  /** Imports must precede every func/table/memory/global definition. */
  checkImportOrder(at: number): void {
    if (this.lastDefinition !== undefined) this.fail(at, `import after ${this.lastDefinition}`);
  }

  /** `(export "name")*` inside a definition. */
  inlineExports(kind: ExternKind, index: number): void {
    while (this.atField('export')) {
      const open = this.pos;
      this.pos += 2;
      const name = this.name();
      const close = this.expectRParen();
      this.m.exports.push({ name, kind, index, span: this.span(open, close) });
    }
  }

  /** `(import "m" "n")` inside a definition, or undefined. */
  inlineImport(): [string, string] | undefined {
    if (!this.atField('import')) return undefined;
    this.checkImportOrder(this.pos);
    this.pos += 2;
    const module = this.name();
    const name = this.name();
    this.expectRParen();
    return [module, name];
  }

  pushImport(imp: Import, id: string | undefined): void {
    if (id !== undefined) imp.id = id;
    this.m.imports.push(imp);
  }

  importField(): void {
    const open = this.pos;
    this.checkImportOrder(open);
    this.pos += 2;
    const module = this.name();
    const name = this.name();
    this.expectLParen();
    const kindTok = this.pos;
    this.pos++;
    const id = this.optId();
    let desc: Import['desc'];
    if (this.isKw(kindTok, 'func')) {
      desc = { kind: 'func', type: this.typeUse(true).index };
      this.nFuncs++;
    } else if (this.isKw(kindTok, 'table')) {
      desc = { kind: 'table', type: this.tableType() };
      this.nTables++;
    } else if (this.isKw(kindTok, 'memory')) {
      desc = { kind: 'memory', type: { limits: this.memType() } };
      this.nMems++;
    } else if (this.isKw(kindTok, 'global')) {
      desc = { kind: 'global', type: this.globalType() };
      this.nGlobals++;
    } else if (this.isKw(kindTok, 'tag') && this.version !== '2.0') {
      desc = { kind: 'tag', type: this.typeUse(false).index };
    } else {
      this.unexpected(kindTok);
    }
    this.expectRParen();
    const close = this.expectRParen();
    this.pushImport({ module, name, desc, span: this.span(open, close) }, id);
  }

  funcField(): void {
    const open = this.pos;
    this.pos += 2;
    const id = this.optId();
    const index = this.nFuncs++;
    this.inlineExports('func', index);
    const imported = this.inlineImport();
    if (imported) {
      const use = this.typeUse(true);
      const close = this.expectRParen();
      this.pushImport({ module: imported[0], name: imported[1], desc: { kind: 'func', type: use.index }, span: this.span(open, close) }, id);
      return;
    }
    this.lastDefinition = 'function';
    const use = this.typeUse(true);
    // Locals: parameters first, then (local …) declarations.
    const locals = new Map<string, number>();
    const localIds: (string | undefined)[] = use.paramIds.slice();
    while (localIds.length < use.paramCount) localIds.push(undefined);
    let named = false;
    for (let i = 0; i < use.paramIds.length; i++) {
      const pid = use.paramIds[i];
      if (pid !== undefined) {
        if (locals.has(pid)) this.fail(this.findIdToken(open, pid), `duplicate local ${pid}`);
        locals.set(pid, i);
        named = true;
      }
    }
    const declared: ValType[] = [];
    while (this.atField('local')) {
      this.pos += 2;
      if (this.kind[this.pos] === Tok.Id) {
        const idTok = this.pos++;
        const lid = this.text(idTok);
        if (locals.has(lid)) this.fail(idTok, `duplicate local ${lid}`);
        locals.set(lid, localIds.length);
        localIds.push(lid);
        declared.push(this.valtype());
        named = true;
      } else {
        while (this.kind[this.pos] !== Tok.RParen) {
          declared.push(this.valtype());
          localIds.push(undefined);
        }
      }
      this.expectRParen();
    }
    this.locals = locals;
    this.labels = [];
    const body: Instr[] = [];
    this.instrs(body);
    const close = this.expectRParen();
    const func: Module['funcs'][number] = { type: use.index, locals: declared, body, span: this.span(open, close), endSpan: this.span(close, close) };
    if (id !== undefined) func.id = id;
    if (named) func.localIds = localIds;
    this.m.funcs.push(func);
  }

  /** The token of a parameter identifier within a field, for error locations. */
  findIdToken(from: number, id: string): number {
    let last = from;
    for (let p = from; p < this.pos; p++) if (this.kind[p] === Tok.Id && this.text(p) === id) last = p;
    return last;
  }

  tableField(): void {
    const open = this.pos;
    this.pos += 2;
    const id = this.optId();
    const index = this.nTables++;
    this.inlineExports('table', index);
    const imported = this.inlineImport();
    if (imported) {
      const type = this.tableType();
      const close = this.expectRParen();
      this.pushImport({ module: imported[0], name: imported[1], desc: { kind: 'table', type }, span: this.span(open, close) }, id);
      return;
    }
    this.lastDefinition = 'table';
    // table64: (table i64 reftype (elem …)) is placed by an i64 offset.
    const v3 = this.version !== '2.0';
    const refAfter = (p: number) => this.kind[p] === Tok.Keyword || (this.atField('ref', p) && this.atField('elem', matchingParen(this.t, p) + 1));
    const i64 = v3 && this.isKw(this.pos, 'i64') && refAfter(this.pos + 1);
    if (i64 || (v3 && this.isKw(this.pos, 'i32') && refAfter(this.pos + 1))) this.pos++;
    if ((this.kind[this.pos] === Tok.Keyword && !(v3 && (this.isKw(this.pos, 'i64') || this.isKw(this.pos, 'i32'))))
      || (this.atField('ref') && this.atField('elem', matchingParen(this.t, this.pos) + 1))) {
      // (table reftype (elem …)): the table is sized to fit the segment exactly.
      const elemType = this.reftype();
      const elemOpen = this.pos;
      if (!this.atField('elem')) this.unexpected();
      this.pos += 2;
      const init = this.isVar() || this.kind[this.pos] === Tok.RParen ? this.funcIndices() : this.elemExprs();
      const elemClose = this.expectRParen();
      const close = this.expectRParen();
      const n = init.length;
      const limits = i64 ? limits64(BigInt(n), BigInt(n)) : { min: n, max: n };
      const table: Module['tables'][number] = { type: { limits, elem: elemType }, span: this.span(open, close) };
      if (id !== undefined) table.id = id;
      this.m.tables.push(table);
      const offset = this.synthConst(elemOpen);
      if (i64) offset[0] = { op: OP_I64_CONST.op, code: OP_I64_CONST.code, value: 0n, span: this.span(elemOpen, elemOpen) };
      this.m.elems.push({ type: elemType, mode: { kind: 'active', table: index, offset }, init, span: this.span(elemOpen, elemClose) });
      return;
    }
    const type = this.tableType();
    // 3.0: an initial value for every element, `(table 10 funcref (ref.func $f))`.
    const init = this.version !== '2.0' && this.kind[this.pos] !== Tok.RParen ? this.constExpr() : undefined;
    const close = this.expectRParen();
    const table: Module['tables'][number] = init === undefined ? { type, span: this.span(open, close) } : { type, init, span: this.span(open, close) };
    if (id !== undefined) table.id = id;
    this.m.tables.push(table);
  }

  /** `(i32.const 0)`, the offset implied by inline elem and data abbreviations. */
  synthConst(at: number): Instr[] {
    return [{ op: OP_I32_CONST.op, code: OP_I32_CONST.code, value: 0, span: this.span(at, at) }];
  }

  memoryField(): void {
    const open = this.pos;
    this.pos += 2;
    const id = this.optId();
    const index = this.nMems++;
    this.inlineExports('memory', index);
    const imported = this.inlineImport();
    if (imported) {
      const limits = this.memType();
      const close = this.expectRParen();
      this.pushImport({ module: imported[0], name: imported[1], desc: { kind: 'memory', type: { limits } }, span: this.span(open, close) }, id);
      return;
    }
    this.lastDefinition = 'memory';
    const i64 = this.version !== '2.0' && this.isKw(this.pos, 'i64') && this.atField('data', this.pos + 1);
    if (i64 || (this.version !== '2.0' && this.isKw(this.pos, 'i32') && this.atField('data', this.pos + 1))) this.pos++;
    if (this.atField('data')) {
      // (memory (data "…")): sized in whole pages to fit the data exactly.
      const dataOpen = this.pos;
      this.pos += 2;
      const bytes = this.strings();
      const dataClose = this.expectRParen();
      const close = this.expectRParen();
      const pages = Math.ceil(bytes.length / 65536);
      const limits = i64 ? limits64(BigInt(pages), BigInt(pages)) : { min: pages, max: pages };
      const mem: Module['mems'][number] = { type: { limits }, span: this.span(open, close) };
      if (id !== undefined) mem.id = id;
      this.m.mems.push(mem);
      const offset = this.synthConst(dataOpen);
      // An i64 memory's data is placed by an i64 offset.
      if (i64) offset[0] = { op: OP_I64_CONST.op, code: OP_I64_CONST.code, value: 0n, span: this.span(dataOpen, dataOpen) };
      this.m.datas.push({ mode: { kind: 'active', memory: index, offset }, bytes, span: this.span(dataOpen, dataClose) });
      return;
    }
    const limits = this.memType();
    const close = this.expectRParen();
    const mem: Module['mems'][number] = { type: { limits }, span: this.span(open, close) };
    if (id !== undefined) mem.id = id;
    this.m.mems.push(mem);
  }

  globalField(): void {
    const open = this.pos;
    this.pos += 2;
    const id = this.optId();
    const index = this.nGlobals++;
    this.inlineExports('global', index);
    const imported = this.inlineImport();
    if (imported) {
      const type = this.globalType();
      const close = this.expectRParen();
      this.pushImport({ module: imported[0], name: imported[1], desc: { kind: 'global', type }, span: this.span(open, close) }, id);
      return;
    }
    this.lastDefinition = 'global';
    const type = this.globalType();
    const init = this.constExpr();
    const close = this.expectRParen();
    const global: Module['globals'][number] = { type, init, span: this.span(open, close) };
    if (id !== undefined) global.id = id;
    this.m.globals.push(global);
  }

  exportField(): void {
    const open = this.pos;
    this.pos += 2;
    const name = this.name();
    this.expectLParen();
    const kindTok = this.pos++;
    let kind: ExternKind;
    let space: number;
    if (this.isKw(kindTok, 'func')) [kind, space] = ['func', SPACE_FUNC];
    else if (this.isKw(kindTok, 'table')) [kind, space] = ['table', SPACE_TABLE];
    else if (this.isKw(kindTok, 'memory')) [kind, space] = ['memory', SPACE_MEMORY];
    else if (this.isKw(kindTok, 'global')) [kind, space] = ['global', SPACE_GLOBAL];
    else if (this.isKw(kindTok, 'tag') && this.version !== '2.0') [kind, space] = ['tag', SPACE_TAG];
    else return this.unexpected(kindTok);
    const index = this.index(space);
    this.expectRParen();
    const close = this.expectRParen();
    const exp: Export = { name, kind, index, span: this.span(open, close) };
    this.m.exports.push(exp);
  }

  startField(): void {
    const open = this.pos;
    if (this.startToken >= 0) this.fail(open, 'multiple start sections');
    this.startToken = open;
    this.pos += 2;
    this.m.start = this.index(SPACE_FUNC);
    this.expectRParen();
  }

  /** An offset: `(offset instr*)` or a single folded instruction. */
  offset(): Instr[] {
    if (this.atField('offset')) {
      this.pos += 2;
      const e = this.constExpr();
      this.expectRParen();
      return e;
    }
    if (this.kind[this.pos] !== Tok.LParen) this.unexpected();
    this.enterConst();
    const out: Instr[] = [];
    this.folded(out);
    return out;
  }

  /** Context for constant expressions: no locals, no labels. */
  enterConst(): void {
    this.locals = new Map();
    this.labels = [];
  }

  /** instr* up to the closing parenthesis (not consumed). */
  constExpr(): Instr[] {
    this.enterConst();
    const out: Instr[] = [];
    this.instrs(out);
    return out;
  }

  /** funcidx*, as `ref.func` items. */
  funcIndices(): Instr[][] {
    const init: Instr[][] = [];
    while (this.isVar()) {
      const i = this.pos;
      const index = this.index(SPACE_FUNC);
      init.push([{ op: OP_REF_FUNC.op, code: OP_REF_FUNC.code, index, span: this.span(i, i) }]);
    }
    return init;
  }

  /** elemexpr*: `(item instr*)` or one folded instruction each. */
  elemExprs(): Instr[][] {
    const init: Instr[][] = [];
    while (this.kind[this.pos] === Tok.LParen) {
      if (this.atField('item')) {
        this.pos += 2;
        init.push(this.constExpr());
        this.expectRParen();
      } else {
        this.enterConst();
        const out: Instr[] = [];
        this.folded(out);
        init.push(out);
      }
    }
    return init;
  }

  /** A function index list's type: (ref func) in 3.0 (its items are never null), funcref in 2.0. */
  funcListType(): AnyRefType {
    return this.version === '2.0' ? 'funcref' : '(ref func)';
  }

  /** An element list: `func funcidx*` or `reftype elemexpr*`. */
  elemList(): { type: AnyRefType; init: Instr[][] } {
    if (this.isKw(this.pos, 'func')) {
      this.pos++;
      return { type: this.funcListType(), init: this.funcIndices() };
    }
    const type = this.reftype();
    return { type, init: this.elemExprs() };
  }

  elemField(): void {
    const open = this.pos;
    this.pos += 2;
    const id = this.optId();
    let mode: Elem['mode'];
    let list: { type: AnyRefType; init: Instr[][] };
    if (this.isKw(this.pos, 'declare')) {
      this.pos++;
      mode = { kind: 'declarative' };
      list = this.elemList();
    } else if ((this.kind[this.pos] === Tok.LParen && !this.atField('ref')) || this.isVar()) {
      let table = 0;
      if (this.atField('table')) {
        this.pos += 2;
        table = this.index(SPACE_TABLE);
        this.expectRParen();
      } else if (this.isVar()) {
        table = this.index(SPACE_TABLE); // the MVP form `(elem 0 (offset …) …)`, still accepted by tools
      }
      const offset = this.offset();
      mode = { kind: 'active', table, offset };
      // After an offset, a bare function index list is the MVP abbreviation.
      list = this.kind[this.pos] === Tok.Keyword || this.atField('ref') ? this.elemList() : { type: this.funcListType(), init: this.funcIndices() };
    } else {
      mode = { kind: 'passive' };
      list = this.elemList();
    }
    const close = this.expectRParen();
    const elem: Elem = { type: list.type, mode, init: list.init, span: this.span(open, close) };
    if (id !== undefined) elem.id = id;
    this.m.elems.push(elem);
  }

  /** string*, concatenated. */
  strings(): Uint8Array {
    const parts: Uint8Array[] = [];
    let total = 0;
    while (this.kind[this.pos] === Tok.String) {
      const b = stringBytes(this.t, this.pos++);
      parts.push(b);
      total += b.length;
    }
    if (parts.length === 1) return parts[0]!;
    const out = new Uint8Array(total);
    let o = 0;
    for (const b of parts) {
      out.set(b, o);
      o += b.length;
    }
    return out;
  }

  dataField(): void {
    const open = this.pos;
    this.pos += 2;
    const id = this.optId();
    let mode: Data['mode'];
    if (this.kind[this.pos] === Tok.LParen || this.isVar()) {
      let memory = 0;
      if (this.atField('memory')) {
        this.pos += 2;
        memory = this.index(SPACE_MEMORY);
        this.expectRParen();
      } else if (this.isVar()) {
        memory = this.index(SPACE_MEMORY); // the MVP form `(data 0 (offset …) …)`
      }
      mode = { kind: 'active', memory, offset: this.offset() };
    } else {
      mode = { kind: 'passive' };
    }
    const bytes = this.strings();
    const close = this.expectRParen();
    const data: Data = { mode, bytes, span: this.span(open, close) };
    if (id !== undefined) data.id = id;
    this.m.datas.push(data);
  }

  // --- instructions ---------------------------------------------------------------------

  instr(info: OpInfo, a: number, b: number): Instr {
    return { op: info.op, code: info.code, span: this.span(a, b) };
  }

  // --- exception handling (https://webassembly.github.io/spec/core/text/instructions.html#control-instructions;
  // legacy try: https://github.com/WebAssembly/exception-handling/blob/main/proposals/exception-handling/legacy/Exceptions.md)

  /** `(tag $id? (export …)* (import …)? typeuse)` */
  tagField(): void {
    const open = this.pos;
    this.pos += 2;
    const id = this.optId();
    const index = this.m.imports.filter((i) => i.desc.kind === 'tag').length + (this.m.tags?.length ?? 0);
    this.inlineExports('tag', index);
    const imported = this.inlineImport();
    const type = this.typeUse(false).index;
    const close = this.expectRParen();
    if (imported) {
      this.pushImport({ module: imported[0], name: imported[1], desc: { kind: 'tag', type }, span: this.span(open, close) }, id);
      return;
    }
    this.lastDefinition = 'tag';
    const tag: NonNullable<Module['tags']>[number] = { type, span: this.span(open, close) };
    if (id !== undefined) tag.id = id;
    (this.m.tags ??= []).push(tag);
  }

  /** try_table's `(catch x l)`, `(catch_ref x l)`, `(catch_all l)`, `(catch_all_ref l)`, labels outside the try_table's own. */
  catchClauses(): CatchClause[] {
    const out: CatchClause[] = [];
    for (;;) {
      if (this.kind[this.pos] !== Tok.LParen) return out;
      const kw = this.pos + 1;
      const kind = this.isKw(kw, 'catch') ? 'catch' : this.isKw(kw, 'catch_ref') ? 'catch_ref'
        : this.isKw(kw, 'catch_all') ? 'catch_all' : this.isKw(kw, 'catch_all_ref') ? 'catch_all_ref' : undefined;
      if (kind === undefined) return out;
      this.pos += 2;
      const tag = kind === 'catch' || kind === 'catch_ref' ? this.index(SPACE_TAG) : undefined;
      const label = this.labelIndex();
      this.expectRParen();
      out.push(tag === undefined ? { kind, label } : { kind, tag, label });
    }
  }

  /** The head of a try_table or legacy try, plain or folded (`at`: its keyword, or its '(' when folded). */
  ehBlock(out: Instr[], word: 'try_table' | 'try', at: number, folded: boolean): void {
    this.checkDepth(at);
    this.pos = (folded ? at + 1 : at) + 1;
    const label = this.label();
    const blockType = this.blockType();
    const head = this.instr(this.op(word)!, at, this.pos - 1);
    head.blockType = blockType;
    if (word === 'try_table') {
      head.catches = this.catchClauses();
      head.span = this.span(at, this.pos - 1);
    }
    out.push(head);
    this.labels.push(label);
    if (word === 'try_table') return this.pushFrame(folded ? AWAIT_PAREN : AWAIT_END, at, label, undefined);
    if (!folded) return this.pushFrame(AWAIT_TRY, at, label, undefined);
    if (!this.atField('do')) this.unexpected();
    this.pos += 2;
    this.pushFrame(AWAIT_DO, at, label, undefined);
  }

  /** Closes a section of a legacy try (the AWAIT_TRY… and AWAIT_DO… frames), at the token that ended its instr*. */
  ehClose(out: Instr[], top: number): void {
    const fKind = this.fKind;
    const awaits = fKind[top]!;
    const label = this.fLabel[top];
    const close = (ins: Instr): void => {
      out.push(ins);
      this.labels.pop();
      this.popFrame();
    };
    /** delegate l: its label is outside the try's own. */
    const delegate = (a: number): Instr => {
      this.labels.pop();
      const index = this.labelIndex();
      this.labels.push(label);
      const ins = this.instr(OP_DELEGATE, a, this.pos - 1);
      ins.index = index;
      return ins;
    };
    const p = this.pos;
    if (awaits >= AWAIT_TRY_ALL) { // plain
      if (this.isKw(p, 'end')) {
        this.pos++;
        this.closingLabel(label);
        return close(this.instr(OP_END, p, p));
      }
      if (this.isKw(p, 'delegate') && awaits === AWAIT_TRY) {
        this.pos++;
        return close(delegate(p));
      }
      if (this.isKw(p, 'catch') && awaits !== AWAIT_TRY_ALL) {
        this.pos++;
        const ins = this.instr(OP_CATCH, p, p);
        ins.index = this.index(SPACE_TAG);
        ins.span = this.span(p, this.pos - 1);
        out.push(ins);
        fKind[top] = AWAIT_TRY_CAUGHT;
        return;
      }
      if (this.isKw(p, 'catch_all') && awaits !== AWAIT_TRY_ALL) {
        this.pos++;
        out.push(this.instr(OP_CATCH_ALL, p, p));
        fKind[top] = AWAIT_TRY_ALL;
        return;
      }
      return this.unexpected();
    }
    // Folded: the section's ')' first.
    this.expectRParen();
    const q = this.pos;
    if (this.kind[q] === Tok.RParen) {
      this.pos++;
      return close(this.instr(OP_END, q, q));
    }
    if (awaits !== AWAIT_CATCH_ALL && this.atField('catch')) {
      this.pos += 2;
      const ins = this.instr(OP_CATCH, q, q + 1);
      ins.index = this.index(SPACE_TAG);
      ins.span = this.span(q, this.pos - 1);
      out.push(ins);
      fKind[top] = AWAIT_CATCH;
      return;
    }
    if (awaits !== AWAIT_CATCH_ALL && this.atField('catch_all')) {
      this.pos += 2;
      out.push(this.instr(OP_CATCH_ALL, q, q + 1));
      fKind[top] = AWAIT_CATCH_ALL;
      return;
    }
    if (awaits === AWAIT_DO && this.atField('delegate')) {
      this.pos += 2;
      const ins = delegate(q);
      this.expectRParen();
      const end = this.expectRParen();
      ins.span = this.span(q, end);
      return close(ins);
    }
    return this.unexpected();
  }

  /** An optional label after block/loop/if. */
  label(): string | undefined {
    return this.optId();
  }

  /** After `end` or `else`: an optional identifier that must repeat the block's label. */
  closingLabel(label: string | undefined): void {
    if (this.kind[this.pos] !== Tok.Id) return;
    if (this.text(this.pos) !== label) this.fail(this.pos, 'mismatching label');
    this.pos++;
  }

  /** instr*: plain and folded instructions until a token that cannot start one (not consumed). */
  instrs(out: Instr[]): void {
    this.run(out, false);
  }

  /** One folded instruction `( … )`: operands first, then the instruction itself. */
  folded(out: Instr[]): void {
    this.run(out, true);
  }

  /**
   * The instruction parser: instr* (or, with `single`, one folded instruction) into `out`.
   * Blocks and folded operands nest, but nothing here recurses: each open construct is a
   * frame on the f* stacks saying what it waits for (AWAIT_*), so the depth is bounded by
   * maxNesting and memory, never by the host's call stack.
   */
  run(out: Instr[], single: boolean): void {
    const kind = this.kind;
    const fKind = this.fKind;
    fKind.length = this.fOpen.length = this.fLabel.length = this.fIns.length = this.fType.length = 0;
    if (single) this.foldedAt(out, false);
    for (;;) {
      const d = fKind.length;
      if (d === 0 && single) return;
      const awaits = d === 0 ? -1 : (fKind[d - 1] as number);
      const p = this.pos;
      if (awaits >= AWAIT_THEN) {
        // Folded operands, each itself a folded instruction.
        if (awaits === AWAIT_THEN) {
          // The condition's folded operands.
          if (kind[p] === Tok.LParen && !this.isKw(p + 1, 'then')) {
            this.foldedAt(out, true);
          } else {
            // The condition ran before the block is entered, outside the label's scope.
            const head = this.fIns[d - 1] as Instr;
            const implicit = this.fType[d - 1];
            if (implicit !== undefined) head.blockType = { kind: 'index', index: this.appendType(implicit) };
            out.push(head);
            this.labels.push(this.fLabel[d - 1]);
            if (!this.atField('then')) this.unexpected();
            this.pos += 2;
            fKind[d - 1] = AWAIT_THEN_CLOSE;
          }
          continue;
        }
        // AWAIT_OPERANDS: most operands are leaves, done here.
        while (kind[this.pos] === Tok.LParen) {
          this.foldedAt(out, true);
          if (fKind.length !== d) break;
        }
        if (fKind.length !== d) continue;
        const close = this.expectRParen();
        const ins = this.fIns[d - 1] as Instr;
        const implicit = this.fType[d - 1];
        if (implicit !== undefined) ins.index = this.appendType(implicit);
        ins.span = this.span(this.fOpen[d - 1] as number, close);
        out.push(ins);
        this.popFrame();
        continue;
      }
      // A sequence instr*: instructions until one opens a frame, or the sequence's end.
      if (this.sequence(out, d)) continue;
      if (d === 0) return;
      this.closeSequence(out, d - 1);
    }
  }

  /**
   * Reads the instructions of a sequence with `d` frames open; true when one of them
   * opened a frame, false at the token that ends the sequence (not consumed).
   */
  sequence(out: Instr[], d: number): boolean {
    const kind = this.kind;
    const fKind = this.fKind;
    for (;;) {
      const p = this.pos;
      const k = kind[p];
      if (k === Tok.Keyword) {
        if (this.isKw(p, 'end') || this.isKw(p, 'else') || this.isKw(p, 'catch') || this.isKw(p, 'catch_all') || this.isKw(p, 'delegate')) return false;
        this.openPlain(out);
      } else if (k === Tok.LParen) {
        if (kind[p + 1] !== Tok.Keyword) return false;
        const word = this.text(p + 1);
        if (word !== 'block' && word !== 'loop' && word !== 'if' && this.op(word) === undefined) {
          // e.g. (param …) after an instruction: the caller reports it.
          if (STRUCTURAL.has(word)) return false;
          this.fail(p + 1, 'unknown operator ' + word);
        }
        this.openFolded(out, word);
      } else {
        if (k === Tok.Reserved) this.unexpected();
        return false;
      }
      if (fKind.length !== d) return true;
    }
  }

  pushFrame(
    awaits: number,
    open: number,
    label: string | undefined,
    ins: Instr | undefined,
    implicitType: Module['types'][number] | undefined = undefined,
  ): void {
    this.fType.push(implicitType);
    this.fKind.push(awaits);
    this.fOpen.push(open);
    this.fLabel.push(label);
    this.fIns.push(ins);
  }

  popFrame(): void {
    this.fType.pop();
    this.fKind.pop();
    this.fOpen.pop();
    this.fLabel.pop();
    this.fIns.pop();
  }

  /** A block opening at token `at` when maxNesting blocks are open already is refused there. */
  checkDepth(at: number): void {
    if (this.labels.length >= this.maxNesting) this.fail(at, nestingTooDeep(this.maxNesting));
  }

  /** The instruction named `word`: textOp's, and in 3.0 those of TEXT_3 and exception handling's too. */
  op(word: string): OpInfo | undefined {
    const info = textOp(word);
    if (info !== undefined || this.version === '2.0') return info;
    return TEXT_3.has(word) ? (opByName3(word) as OpInfo) : EH_OPS.get(word);
  }

  /** The folded instruction at the '(' at pos; an operand's keyword is checked first. */
  foldedAt(out: Instr[], operand: boolean): void {
    const kw = this.pos + 1;
    if (this.kind[kw] !== Tok.Keyword) this.unexpected(kw);
    const word = this.text(kw);
    if (operand && word !== 'block' && word !== 'loop' && word !== 'if' && this.op(word) === undefined) {
      if (STRUCTURAL.has(word)) this.unexpected(this.pos);
      this.fail(kw, 'unknown operator ' + word);
    }
    this.openFolded(out, word);
  }

  /** A plain instruction at pos: a block's head opens a frame, anything else is complete. */
  openPlain(out: Instr[]): void {
    const kw = this.pos;
    const word = this.text(kw);
    if ((word === 'try_table' || word === 'try') && this.op(word) !== undefined) return this.ehBlock(out, word, kw, false);
    if (word === 'block' || word === 'loop' || word === 'if') {
      const info = word === 'block' ? OP_BLOCK : word === 'loop' ? OP_LOOP : OP_IF;
      this.checkDepth(kw);
      this.pos++;
      const label = this.label();
      const blockType = this.blockType();
      const head = this.instr(info, kw, this.pos - 1);
      head.blockType = blockType;
      out.push(head);
      this.labels.push(label);
      this.pushFrame(info === OP_IF ? AWAIT_ELSE_OR_END : AWAIT_END, kw, label, undefined);
      return;
    }
    const info = this.op(word);
    if (info === undefined) {
      if (STRUCTURAL.has(word)) this.unexpected(kw);
      this.fail(kw, 'unknown operator ' + word);
    }
    this.pos++;
    const ins = this.immediates(info);
    ins.span = this.span(kw, this.pos - 1);
    out.push(ins);
  }

  /** The folded instruction whose '(' is at pos and keyword `word`: opens a frame unless it is a leaf. */
  openFolded(out: Instr[], word: string): void {
    const open = this.pos;
    const kw = open + 1;
    if ((word === 'try_table' || word === 'try') && this.op(word) !== undefined) return this.ehBlock(out, word, open, true);
    if (word === 'block' || word === 'loop' || word === 'if') {
      this.checkDepth(open);
      this.pos = kw + 1;
      const label = this.label();
      const types = this.m.types.length;
      const blockType = this.blockType();
      const head = this.instr(word === 'block' ? OP_BLOCK : word === 'loop' ? OP_LOOP : OP_IF, open, this.pos - 1);
      head.blockType = blockType;
      if (word === 'if') {
        // The head is emitted after the condition (AWAIT_THEN); an implicit block type
        // belongs after the condition's implicit types, as wat2wasm orders them.
        this.pushFrame(AWAIT_THEN, open, label, head, this.takeAppendedType(types));
        return;
      }
      out.push(head);
      this.labels.push(label);
      this.pushFrame(AWAIT_PAREN, open, label, undefined);
      return;
    }
    const info = this.op(word);
    if (info === undefined) {
      if (STRUCTURAL.has(word)) this.unexpected(kw);
      this.fail(kw, 'unknown operator ' + word);
    }
    this.pos = kw + 1;
    const types = this.m.types.length;
    const ins = this.immediates(info);
    if (this.kind[this.pos] === Tok.LParen) {
      // call_indirect's inline type use: its implicit type comes after its operands'.
      this.pushFrame(AWAIT_OPERANDS, open, undefined, ins, this.takeAppendedType(types));
      return;
    }
    const close = this.expectRParen();
    ins.span = this.span(open, close);
    out.push(ins);
  }

  /** At the end of the instr* inside frame `top`: what closes it (`else`, `end`, `)`). */
  closeSequence(out: Instr[], top: number): void {
    const fKind = this.fKind;
    const awaits = fKind[top];
    if (awaits !== undefined && awaits <= AWAIT_TRY) return this.ehClose(out, top);
    if (awaits === AWAIT_ELSE_OR_END && this.isKw(this.pos, 'else')) {
      const e = this.pos++;
      this.closingLabel(this.fLabel[top]);
      out.push(this.instr(OP_ELSE, e, this.pos - 1));
      fKind[top] = AWAIT_END;
      return;
    }
    if (awaits === AWAIT_END || awaits === AWAIT_ELSE_OR_END) {
      if (!this.isKw(this.pos, 'end')) this.unexpected();
      const end = this.pos++;
      this.closingLabel(this.fLabel[top]);
      out.push(this.instr(OP_END, end, this.pos - 1));
    } else if (awaits === AWAIT_THEN_CLOSE) {
      this.expectRParen();
      if (this.atField('else')) {
        const e = this.pos;
        this.pos += 2;
        out.push(this.instr(OP_ELSE, e, e + 1));
        fKind[top] = AWAIT_ELSE_CLOSE;
        return;
      }
      const close = this.expectRParen();
      out.push(this.instr(OP_END, close, close));
    } else {
      // AWAIT_PAREN, or AWAIT_ELSE_CLOSE (the else's ')' and then the if's).
      if (awaits === AWAIT_ELSE_CLOSE) this.expectRParen();
      const close = this.expectRParen();
      out.push(this.instr(OP_END, close, close));
    }
    this.labels.pop();
    this.popFrame();
  }

  labelIndex(): number {
    const i = this.pos;
    if (this.kind[i] === Tok.Id) {
      const id = this.text(i);
      const labels = this.labels;
      for (let d = labels.length - 1; d >= 0; d--) {
        if (labels[d] === id) {
          this.pos++;
          return labels.length - 1 - d;
        }
      }
      this.fail(i, `unknown label ${id}`);
    }
    return this.u32();
  }

  localIndex(): number {
    const i = this.pos;
    if (this.kind[i] === Tok.Id) {
      const v = this.locals.get(this.text(i));
      if (v === undefined) this.fail(i, `unknown local ${this.text(i)}`);
      this.pos++;
      return v;
    }
    return this.u32();
  }

  memarg(info: OpInfo, memory = this.memIndex()): MemArg {
    let offset = 0;
    let offset64: bigint | undefined;
    let align = info.align ?? 0;
    const src = this.t.source;
    if (this.kind[this.pos] === Tok.Keyword && src.startsWith('offset=', this.t.start[this.pos]!)) {
      const i = this.pos++;
      const digits = src.slice(this.t.start[i]! + 7, this.t.end[i]);
      // 3.0: a u64 (memory64); the validator refuses one above 2^32-1 on an i32 memory.
      const big = this.version === '2.0' ? undefined : parseU64(digits);
      const v = big === undefined ? parseU32(digits) : Number(big);
      if (big !== undefined && big > BigInt(Number.MAX_SAFE_INTEGER)) offset64 = big;
      if (v === undefined) {
        const digits = src.slice(this.t.start[i]! + 7, this.t.end[i]);
        this.fail(i, /^(0x)?[0-9a-fA-F_]+$/.test(digits) ? 'i32 constant out of range' : 'unknown operator ' + this.text(i));
      }
      offset = v;
    }
    if (this.kind[this.pos] === Tok.Keyword && src.startsWith('align=', this.t.start[this.pos]!)) {
      const i = this.pos++;
      const digits = src.slice(this.t.start[i]! + 6, this.t.end[i]);
      // 3.0: a u64, whose log2 the validator compares with the natural alignment.
      const big = this.version === '2.0' ? undefined : parseU64(digits);
      if (big !== undefined && big > 0xffff_ffffn) {
        if ((big & (big - 1n)) !== 0n) this.fail(i, 'alignment must be a power of two');
        align = big.toString(2).length - 1;
      } else {
        const v = parseU32(digits);
        if (v === undefined) this.fail(i, 'unknown operator ' + this.text(i));
        if (v === 0 || (v & (v - 1)) !== 0) this.fail(i, 'alignment must be a power of two');
        align = 31 - Math.clz32(v);
      }
    }
    if (memory === 0 && offset64 === undefined) return { align, offset };
    return { align, offset, ...(offset64 === undefined ? {} : { offset64 }), ...(memory === 0 ? {} : { memory }) };
  }

  /** A lane index: must be written as a nat (else a syntax error) and fit in a byte. */
  laneIndex(): number {
    const i = this.pos;
    if (!this.isNat(i)) this.unexpected(i);
    const v = parseU32(this.text(i));
    if (v === undefined || v > 255) this.fail(i, 'malformed lane index');
    this.pos++;
    return v;
  }

  /** Number literal token at pos, for a constant; "unexpected token" if there is none. */
  numberToken(allowFloat: boolean): number {
    const i = this.pos;
    if (this.kind[i] !== Tok.Number) this.unexpected(i);
    if (!allowFloat && (this.t.flags[i]! & NUM_FLOAT) !== 0) this.unexpected(i);
    this.pos++;
    return i;
  }

  outOfRange(i: number): never {
    return this.fail(i, 'constant out of range');
  }

  v128Const(ins: Instr): void {
    const shapeTok = this.pos;
    if (this.kind[shapeTok] !== Tok.Keyword) this.unexpected(shapeTok);
    const shape = this.text(shapeTok);
    const n = LANES.get(shape);
    if (n === undefined) this.unexpected(shapeTok);
    this.pos++;
    // Count the literals before converting any, so a wrong count is reported as such.
    let count = 0;
    while (this.kind[this.pos + count] === Tok.Number) count++;
    if (count < n) this.unknownOperator(this.pos + count);
    if (count !== n) this.fail(this.pos + Math.min(count, n), 'wrong number of lane literals');
    const bytes = new Uint8Array(16);
    const view = new DataView(bytes.buffer);
    const width = 16 / n;
    for (let lane = 0; lane < n; lane++) {
      const float = shape[0] === 'f';
      const i = this.numberToken(float);
      const s = this.text(i);
      const at = lane * width;
      switch (shape) {
        case 'i8x16': {
          const v = parseIntN(s, 8);
          if (v === undefined) this.outOfRange(i);
          view.setInt8(at, v);
          break;
        }
        case 'i16x8': {
          const v = parseIntN(s, 16);
          if (v === undefined) this.outOfRange(i);
          view.setInt16(at, v, true);
          break;
        }
        case 'i32x4': {
          const v = parseI32(s);
          if (v === undefined) this.outOfRange(i);
          view.setInt32(at, v, true);
          break;
        }
        case 'i64x2': {
          const v = parseI64(s);
          if (v === undefined) this.outOfRange(i);
          view.setBigInt64(at, v, true);
          break;
        }
        case 'f32x4': {
          const v = parseF32(s);
          if (v === undefined) this.outOfRange(i);
          view.setUint32(at, v, true);
          break;
        }
        default: {
          const v = parseF64(s);
          if (v === undefined) this.outOfRange(i);
          view.setBigUint64(at, v, true);
        }
      }
    }
    ins.bytes = bytes;
  }

  /** Reads the immediates of `info` (its keyword just consumed); the caller sets the span. */
  immediates(info: OpInfo): Instr {
    const ins: Instr = { op: info.op, code: info.code, span: {} };
    // call_ref's type index (a 3.0 immediate kind).
    if ((info.imm as string) === 'type') {
      ins.index = this.index(SPACE_TYPE);
      return ins;
    }
    if (info.op === 'throw') ins.index = this.index(SPACE_TAG);
    if (info.op === 'rethrow') ins.index = this.labelIndex();
    const proposal = (info as OpInfo3).proposal;
    if (proposal === 'exceptions' || proposal === 'legacy-exceptions') return ins;
    switch (info.imm) {
      case 'none':
        if (info.code === 0x1b && this.atField('result')) {
          // select (result t*)*: the typed select.
          const types: ValType[] = [];
          while (this.atField('result')) {
            this.pos += 2;
            while (this.kind[this.pos] !== Tok.RParen) types.push(this.valtype());
            this.expectRParen();
          }
          return { op: OP_SELECT_T.op, code: OP_SELECT_T.code, types, span: {} };
        }
        break;
      case 'label':
        ins.index = this.labelIndex();
        break;
      case 'br_table': {
        const labels: number[] = [];
        while (this.isVar()) labels.push(this.labelIndex());
        if (labels.length === 0) this.unexpected();
        ins.labels = labels;
        break;
      }
      case 'local':
        ins.index = this.localIndex();
        break;
      case 'global':
        ins.index = this.index(SPACE_GLOBAL);
        break;
      case 'func':
        ins.index = this.index(SPACE_FUNC);
        break;
      case 'call_indirect': {
        const table = this.isVar() ? this.index(SPACE_TABLE) : 0;
        ins.index = this.typeUse(false).index;
        ins.index2 = table;
        break;
      }
      case 'memarg':
        ins.memarg = this.memarg(info);
        break;
      case 'memarg_lane':
        // `v128.load8_lane 1 0`: a memory index only when a lane index or memarg follows it.
        ins.memarg = this.memarg(info, this.kind[this.pos] === Tok.Id || (this.isVar() && (this.isNat(this.pos + 1) || this.isMemargKw(this.pos + 1))) ? this.memIndex() : 0);
        ins.index = this.laneIndex();
        break;
      case 'lane':
        ins.index = this.laneIndex();
        break;
      case 'memory': {
        const memory = this.memIndex();
        if (memory !== 0) ins.index = memory;
        break;
      }
      case 'i32': {
        const i = this.numberToken(false);
        const v = parseI32(this.text(i));
        if (v === undefined) this.outOfRange(i);
        ins.value = v;
        break;
      }
      case 'i64': {
        const i = this.numberToken(false);
        const v = parseI64(this.text(i));
        if (v === undefined) this.outOfRange(i);
        ins.value = v;
        break;
      }
      case 'f32': {
        const i = this.numberToken(true);
        const v = parseF32(this.text(i));
        if (v === undefined) this.outOfRange(i);
        ins.value = v;
        break;
      }
      case 'f64': {
        const i = this.numberToken(true);
        const v = parseF64(this.text(i));
        if (v === undefined) this.outOfRange(i);
        ins.value = v;
        break;
      }
      case 'v128':
        this.v128Const(ins);
        break;
      case 'shuffle': {
        // Exactly 16 literals, each a nat below 256; any other number is a malformed index.
        let count = 0;
        while (this.kind[this.pos + count] === Tok.Number) count++;
        if (count !== 16) this.fail(this.pos + Math.min(count, 16), 'invalid lane length');
        const lanes = new Uint8Array(16);
        for (let j = 0; j < 16; j++) {
          const i = this.pos++;
          const v = this.isNat(i) ? parseU32(this.text(i)) : undefined;
          if (v === undefined || v > 255) this.fail(i, 'malformed lane index');
          lanes[j] = v;
        }
        ins.bytes = lanes;
        break;
      }
      case 'select_t':
        break;
      case 'ref_null': {
        // As the decoder keeps it: refType for func and extern (2.0), heapType otherwise.
        const heap = this.heapType();
        if (heap === 'func') ins.refType = 'funcref';
        else if (heap === 'extern') ins.refType = 'externref';
        else ins.heapType = heap;
        break;
      }
      case 'table':
        ins.index = this.isVar() ? this.index(SPACE_TABLE) : 0;
        break;
      case 'table_copy':
        if (this.isVar()) {
          ins.index = this.index(SPACE_TABLE);
          ins.index2 = this.index(SPACE_TABLE);
        } else {
          ins.index = 0;
          ins.index2 = 0;
        }
        break;
      case 'table_init':
        // table.init x? y: with a single index, it is the element segment of table 0.
        if (this.isVar(this.pos + 1)) {
          ins.index2 = this.index(SPACE_TABLE);
          ins.index = this.index(SPACE_ELEM);
        } else {
          ins.index = this.index(SPACE_ELEM);
          ins.index2 = 0;
        }
        break;
      case 'elem':
        ins.index = this.index(SPACE_ELEM);
        break;
      case 'data':
        ins.index = this.index(SPACE_DATA);
        this.needsDataCount = true;
        break;
      case 'memory_init':
        // memory.init x? y: with a single index, it is the data segment of memory 0.
        ins.index2 = this.version !== '2.0' && this.isVar(this.pos + 1) ? this.index(SPACE_MEMORY) : 0;
        ins.index = this.index(SPACE_DATA);
        this.needsDataCount = true;
        break;
      case 'memory_copy': {
        // memory.copy x? y?: destination then source (the decoder's index2, index3).
        ins.index2 = this.memIndex();
        const src = ins.index2 !== 0 || this.isVar() ? this.memIndex() : 0;
        if (src !== 0) ins.index3 = src;
        break;
      }
      case 'memory_fill':
        ins.index2 = this.memIndex();
        break;
    }
    return ins;
  }
}

/**
 * Parses module fields from token `pos` up to (not including) the closing parenthesis or
 * the end of input; for `(module …)` forms inside .wast scripts. The caller sets the
 * module's id and span.
 */
export function parseModuleFields(t: Tokens, pos: number, options: TextOptions = {}): { module: Module; next: number } {
  const p = new ModuleParser(t, pos, options.maxNesting ?? DEFAULT_MAX_NESTING, options.version ?? '3.0');
  p.declare(pos);
  const next = p.define(pos);
  return { module: p.m, next };
}

/** What parsing tokens needs to know: the nesting limit and the language version (default '3.0'). */
export interface TextOptions extends NestingOptions, VersionOptions {}

/** Options of parseWat. */
export interface ParseOptions extends TextOptions {
  /** Longest accepted source, in UTF-16 code units (default DEFAULT_MAX_TEXT_LENGTH). */
  readonly maxLength?: number;
}

/**
 * 64 Mi code units: the disassembly of real modules must read back (resvg's 1.5 MB binary
 * prints as 51 M characters), and tokenizing that much still fits a browser tab.
 */
export const DEFAULT_MAX_TEXT_LENGTH = 64 * 1024 * 1024;

/**
 * Parses a text module: either `(module $id? field*)` or, as the spec allows, a bare
 * sequence of fields. Throws ParseError with the offending token's line and column.
 */
export function parseWat(source: string, options: ParseOptions = {}): Module {
  const max = options.maxLength ?? DEFAULT_MAX_TEXT_LENGTH;
  // Checked before any work: tokenizing allocates in proportion to the source.
  if (source.length > max) throw new ParseError(`text too long: ${source.length} characters, the limit is ${max}`, 1, 1, 0);
  return parseWatTokens(tokenize(source), options);
}

/** The fields a module may hold (and the proposals' `tag`), for the "outside the module" message. */
const TOP_LEVEL_FIELDS = new Set(['type', 'import', 'func', 'table', 'memory', 'global', 'export', 'start', 'elem', 'data', 'tag']);

/**
 * The error for whatever follows the module's closing parenthesis at token close. A field
 * there is a common slip (a function typed below the module), so it is named and located at
 * the `)` that ends the module, where the fix goes; anything else is "unexpected token".
 */
function afterModule(t: Tokens, close: number): ParseError {
  const after = close + 1;
  if (t.kind[after] === Tok.LParen && t.kind[after + 1] === Tok.Keyword) {
    const field = tokenText(t, after + 1);
    if (TOP_LEVEL_FIELDS.has(field)) {
      return errorAt(t, close, `(${field} …) is outside the module: move it before the module's closing \`)\``);
    }
  }
  return unexpectedToken(t, after);
}

/** parseWat on an already tokenized source. */
export function parseWatTokens(t: Tokens, options: TextOptions = {}): Module {
  let pos = 0;
  if (t.kind[0] === Tok.LParen && t.kind[1] === Tok.Keyword && tokenText(t, 1) === 'module') {
    pos = 2;
    const id = t.kind[pos] === Tok.Id ? idText(t, pos++) : undefined;
    const { module, next } = parseModuleFields(t, pos, options);
    if (t.kind[next] !== Tok.RParen) throw unexpectedToken(t, next);
    if (t.kind[next + 1] !== Tok.EOF) throw afterModule(t, next);
    if (id !== undefined) module.id = id;
    module.span = { text: spanOf(t, 0, next) };
    return module;
  }
  const { module, next } = parseModuleFields(t, 0, options);
  if (t.kind[next] !== Tok.EOF) throw unexpectedToken(t, next);
  if (t.count > 1) module.span = { text: spanOf(t, 0, t.count - 2) };
  return module;
}
