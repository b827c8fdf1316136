// The .wast script format of the spec test suite
// (https://github.com/WebAssembly/spec/blob/main/interpreter/README.md#scripts), on top of
// the text format (https://webassembly.github.io/spec/core/text/index.html).
//
// A script is tokenized once; text modules inside it are parsed in place from the same
// tokens, so their errors carry the script's line:column. A text module that does not
// parse does not abort the script: it becomes a `text-error` module (that is the point of
// assert_malformed), and the script goes on after its closing parenthesis. `module quote`
// keeps its source, to be parsed with parseQuoted when the command runs.

import type { AnyRefType, Module, TextSpan, VersionOptions } from '../syntax/index.ts';
import { ParseError } from './error.ts';
import { Tok, decodeUtf8, errorAt, idText, stringBytes, stringName, tokenText, tokenize, type Tokens } from './lexer.ts';
import { NUM_FLOAT, NUM_SIGN, parseF32, parseF64, parseI32, parseI64, parseIntN, parseU32 } from './numbers.ts';
import { isKnownKeyword, matchingParen, parseModuleFields, parseWat, parseWatTokens, spanOf, unexpectedToken } from './parser.ts';

export type NanPattern = 'nan:canonical' | 'nan:arithmetic';
export type V128Shape = 'i8x16' | 'i16x8' | 'i32x4' | 'i64x2' | 'f32x4' | 'f64x2';
/** One lane of a v128 constant as unsigned bits (i64 and f64 lanes as bigint), or a NaN pattern. */
export type WastLane = number | bigint | NanPattern;

/** An argument or expected result. Floats are raw bits, as in the AST. */
export type WastValue =
  | { readonly type: 'i32'; readonly value: number }
  | { readonly type: 'i64'; readonly value: bigint }
  | { readonly type: 'f32'; readonly value: number }
  | { readonly type: 'f64'; readonly value: bigint }
  | {
      readonly type: 'v128';
      /** 16 bytes, little-endian; NaN-pattern lanes hold the canonical NaN. */
      readonly value: Uint8Array;
      readonly shape: V128Shape;
      readonly lanes: readonly WastLane[];
    }
  /**
   * A null reference of the heap type's shorthand ('funcref', 'anyref', …); without one
   * (`(ref.null)`, only in results), any null reference.
   */
  | { readonly type: 'ref.null'; readonly refType?: AnyRefType }
  /** A host reference; without a value (only in results), any non-null one. */
  | { readonly type: 'ref.extern'; readonly value?: number }
  /** Only in results: any non-null function reference (or the given function index). */
  | { readonly type: 'ref.func'; readonly value?: number };

export type WastExpected =
  | WastValue
  | { readonly type: 'f32' | 'f64'; readonly nan: NanPattern }
  | { readonly type: 'either'; readonly options: readonly WastExpected[] };

interface Located {
  /** Position of the command's opening parenthesis. */
  readonly line: number;
  readonly column: number;
  readonly span: TextSpan;
}

export type WastModule = Located & {
  readonly id?: string;
  /** `(module definition …)` (3.0 scripts): validated, instantiated only by `module instance`. */
  readonly definition?: true;
} & (
    | { readonly kind: 'text'; readonly module: Module }
    /** A text module that failed to parse (expected under assert_malformed). */
    | { readonly kind: 'text-error'; readonly error: ParseError }
    | { readonly kind: 'binary'; readonly bytes: Uint8Array }
    /** `module quote`: the concatenated strings, a module's source; see parseQuoted. */
    | { readonly kind: 'quote'; readonly text: string; readonly bytes: Uint8Array }
  );

export type Action = Located &
  (
    | { readonly type: 'invoke'; readonly module?: string; readonly name: string; readonly args: readonly WastValue[] }
    | { readonly type: 'get'; readonly module?: string; readonly name: string }
  );

export type Command = Located &
  (
    | { readonly type: 'module'; readonly module: WastModule }
    | { readonly type: 'register'; readonly name: string; readonly module?: string }
    /** `(module instance $i? $m?)` (3.0 scripts): a new instance of a module definition (else of the last one). */
    | { readonly type: 'module_instance'; readonly instance?: string; readonly module?: string }
    | { readonly type: 'action'; readonly action: Action }
    | { readonly type: 'assert_return'; readonly action: Action; readonly expected: readonly WastExpected[] }
    | { readonly type: 'assert_trap'; readonly action: Action; readonly message: string }
    /** `assert_trap (module …)`: instantiation must trap. */
    | { readonly type: 'assert_trap_module'; readonly module: WastModule; readonly message: string }
    | { readonly type: 'assert_exhaustion'; readonly action: Action; readonly message: string }
    /** `assert_exception action`: the action must throw a wasm exception no wasm handler catches. */
    | { readonly type: 'assert_exception'; readonly action: Action }
    | {
        readonly type: 'assert_invalid' | 'assert_malformed' | 'assert_unlinkable' | 'assert_uninstantiable'
          // A custom section or annotation is malformed or invalid (3.0 scripts, custom/*.wast).
          | 'assert_malformed_custom' | 'assert_invalid_custom';
        readonly module: WastModule;
        readonly message: string;
      }
  );

/** `ref.null ht` in scripts: the null's type, the heap type's shorthand. */
const NULL_REF_TYPES: Readonly<Record<string, AnyRefType>> = {
  func: 'funcref', extern: 'externref', exn: 'exnref', any: 'anyref', eq: 'eqref', i31: 'i31ref', struct: 'structref',
  array: 'arrayref', nofunc: 'nullfuncref', noextern: 'nullexternref', noexn: 'nullexnref', none: 'nullref',
};

const MODULE_FIELDS = new Set(['type', 'import', 'func', 'table', 'memory', 'global', 'export', 'start', 'elem', 'data', 'tag']);

const SHAPES: ReadonlyMap<string, number> = new Map([
  ['i8x16', 16],
  ['i16x8', 8],
  ['i32x4', 4],
  ['i64x2', 2],
  ['f32x4', 4],
  ['f64x2', 2],
]);

/** Parses the source of a `module quote` command into a module. */
export function parseQuoted(m: WastModule & { kind: 'quote' }, options: VersionOptions = {}): Module {
  if (decodeUtf8(m.bytes) === undefined) throw new ParseError('malformed UTF-8 encoding', m.line, m.column, m.span.start);
  return parseWat(m.text, options);
}

class WastParser {
  readonly t: Tokens;
  readonly kind: Uint8Array;
  pos = 0;
  readonly options: VersionOptions;

  constructor(t: Tokens, options: VersionOptions) {
    this.t = t;
    this.kind = t.kind;
    this.options = options;
  }

  unexpected(i: number = this.pos): never {
    throw unexpectedToken(this.t, i);
  }

  text(i: number): string {
    return this.kind[i] === Tok.Id ? idText(this.t, i) : tokenText(this.t, i);
  }

  isKw(i: number, word: string): boolean {
    return this.kind[i] === Tok.Keyword && this.text(i) === word;
  }

  atField(word: string): boolean {
    return this.kind[this.pos] === Tok.LParen && this.isKw(this.pos + 1, word);
  }

  expectRParen(): number {
    if (this.kind[this.pos] !== Tok.RParen) this.unexpected();
    return this.pos++;
  }

  located(open: number, close: number): Located {
    return { line: this.t.line[open]!, column: this.t.column[open]!, span: spanOf(this.t, open, close) };
  }

  string(): number {
    if (this.kind[this.pos] !== Tok.String) this.unexpected();
    return this.pos++;
  }

  optId(): string | undefined {
    return this.kind[this.pos] === Tok.Id ? this.text(this.pos++) : undefined;
  }

  /** The concatenated bytes of string*. */
  strings(): Uint8Array {
    const parts: Uint8Array[] = [];
    let total = 0;
    while (this.kind[this.pos] === Tok.String) {
      const b = stringBytes(this.t, this.pos++);
      parts.push(b);
      total += b.length;
    }
    const out = new Uint8Array(total);
    let o = 0;
    for (const b of parts) {
      out.set(b, o);
      o += b.length;
    }
    return out;
  }

  script(): Command[] {
    // A script may also be just the fields of one module (spec: inline-module.wast).
    if (this.kind[0] === Tok.LParen && this.kind[1] === Tok.Keyword && MODULE_FIELDS.has(this.text(1))) {
      const last = Math.max(0, this.t.count - 2);
      const at = this.located(0, last);
      let module: WastModule;
      try {
        module = { kind: 'text', module: parseWatTokens(this.t, this.options), ...at };
      } catch (error) {
        if (!(error instanceof ParseError)) throw error;
        module = { kind: 'text-error', error, ...at };
      }
      return [{ type: 'module', module, ...at }];
    }
    const commands: Command[] = [];
    while (this.kind[this.pos] === Tok.LParen) commands.push(this.command());
    if (this.kind[this.pos] !== Tok.EOF) this.unexpected();
    return commands;
  }

  command(): Command {
    const open = this.pos;
    const kw = open + 1;
    if (this.kind[kw] !== Tok.Keyword) this.unexpected(kw);
    const word = this.text(kw);
    switch (word) {
      case 'module': {
        if (this.isKw(kw + 1, 'instance')) {
          this.pos = kw + 2;
          const instance = this.optId();
          const module = this.optId();
          const close = this.expectRParen();
          return { type: 'module_instance', ...(instance === undefined ? {} : { instance }), ...(module === undefined ? {} : { module }), ...this.located(open, close) };
        }
        const module = this.module();
        return { type: 'module', module, ...this.located(open, this.pos - 1) };
      }
      case 'register': {
        this.pos = kw + 1;
        const name = stringName(this.t, this.string());
        const module = this.optId();
        const close = this.expectRParen();
        return module === undefined
          ? { type: 'register', name, ...this.located(open, close) }
          : { type: 'register', name, module, ...this.located(open, close) };
      }
      case 'invoke':
      case 'get': {
        const action = this.action();
        return { type: 'action', action, ...this.located(open, this.pos - 1) };
      }
      case 'assert_return': {
        this.pos = kw + 1;
        const action = this.action();
        const expected: WastExpected[] = [];
        while (this.kind[this.pos] === Tok.LParen) expected.push(this.expected());
        const close = this.expectRParen();
        return { type: 'assert_return', action, expected, ...this.located(open, close) };
      }
      case 'assert_trap': {
        this.pos = kw + 1;
        if (this.atField('module')) {
          const module = this.module();
          const message = this.message();
          const close = this.expectRParen();
          return { type: 'assert_trap_module', module, message, ...this.located(open, close) };
        }
        const action = this.action();
        const message = this.message();
        const close = this.expectRParen();
        return { type: 'assert_trap', action, message, ...this.located(open, close) };
      }
      case 'assert_exception': {
        this.pos = kw + 1;
        const action = this.action();
        const close = this.expectRParen();
        return { type: 'assert_exception', action, ...this.located(open, close) };
      }
      case 'assert_exhaustion': {
        this.pos = kw + 1;
        const action = this.action();
        const message = this.message();
        const close = this.expectRParen();
        return { type: 'assert_exhaustion', action, message, ...this.located(open, close) };
      }
      case 'assert_invalid':
      case 'assert_malformed':
      case 'assert_unlinkable':
      case 'assert_uninstantiable':
      case 'assert_malformed_custom':
      case 'assert_invalid_custom': {
        this.pos = kw + 1;
        if (!this.atField('module')) this.unexpected();
        const module = this.module();
        const message = this.message();
        const close = this.expectRParen();
        return { type: word, module, message, ...this.located(open, close) };
      }
      default:
        return this.unexpected(kw);
    }
  }

  message(): string {
    const i = this.string();
    // Messages are compared as text; tolerate bytes that are not UTF-8.
    return decodeUtf8(stringBytes(this.t, i)) ?? this.text(i);
  }

  /** `(module definition? $id? …)`, `(module definition? $id? binary string*)` or `(module definition? $id? quote string*)`. */
  module(): WastModule {
    const open = this.pos;
    if (!this.atField('module')) this.unexpected();
    this.pos += 2;
    const definition = this.isKw(this.pos, 'definition');
    if (definition) this.pos++;
    const id = this.optId();
    const withId = <T extends object>(m: T): T & { id?: string; definition?: true } => {
      const named = id === undefined ? m : { ...m, id };
      return definition ? { ...named, definition: true } : named;
    };
    if (this.isKw(this.pos, 'binary')) {
      this.pos++;
      const bytes = this.strings();
      const close = this.expectRParen();
      return withId({ kind: 'binary', bytes, ...this.located(open, close) });
    }
    if (this.isKw(this.pos, 'quote')) {
      this.pos++;
      const bytes = this.strings();
      const close = this.expectRParen();
      const text = decodeUtf8(bytes) ?? new TextDecoder().decode(bytes);
      return withId({ kind: 'quote', text, bytes, ...this.located(open, close) });
    }
    try {
      const { module, next } = parseModuleFields(this.t, this.pos, this.options);
      if (this.kind[next] !== Tok.RParen) this.unexpected(next);
      this.pos = next + 1;
      if (id !== undefined) module.id = id;
      module.span = { text: spanOf(this.t, open, next) };
      return withId({ kind: 'text', module, ...this.located(open, next) });
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      const close = matchingParen(this.t, open);
      if (this.kind[close] !== Tok.RParen) throw error;
      this.pos = close + 1;
      return withId({ kind: 'text-error', error, ...this.located(open, close) });
    }
  }

  /** `(invoke $id? "name" const*)` or `(get $id? "name")`. */
  action(): Action {
    const open = this.pos;
    if (this.kind[open] !== Tok.LParen) this.unexpected();
    const kw = open + 1;
    const invoke = this.isKw(kw, 'invoke');
    if (!invoke && !this.isKw(kw, 'get')) this.unexpected(kw);
    this.pos = kw + 1;
    const module = this.optId();
    const name = stringName(this.t, this.string());
    if (!invoke) {
      const close = this.expectRParen();
      const at = this.located(open, close);
      return module === undefined ? { type: 'get', name, ...at } : { type: 'get', module, name, ...at };
    }
    const args: WastValue[] = [];
    while (this.kind[this.pos] === Tok.LParen) {
      const v = this.value(false);
      if ('nan' in v || v.type === 'either') this.unexpected();
      args.push(v);
    }
    const close = this.expectRParen();
    const at = this.located(open, close);
    return module === undefined ? { type: 'invoke', name, args, ...at } : { type: 'invoke', module, name, args, ...at };
  }

  expected(): WastExpected {
    if (this.atField('either')) {
      this.pos += 2;
      const options: WastExpected[] = [];
      while (this.kind[this.pos] === Tok.LParen) options.push(this.expected());
      this.expectRParen();
      return { type: 'either', options };
    }
    return this.value(true);
  }

  numberToken(allowFloat: boolean): number {
    const i = this.pos;
    if (this.kind[i] !== Tok.Number) this.unexpected(i);
    if (!allowFloat && (this.t.flags[i]! & NUM_FLOAT) !== 0) this.unexpected(i);
    this.pos++;
    return i;
  }

  nanPattern(results: boolean): NanPattern | undefined {
    if (!results) return undefined;
    if (this.isKw(this.pos, 'nan:canonical')) {
      this.pos++;
      return 'nan:canonical';
    }
    if (this.isKw(this.pos, 'nan:arithmetic')) {
      this.pos++;
      return 'nan:arithmetic';
    }
    return undefined;
  }

  /** A constant `(t.const …)`, `(ref.null t)`, `(ref.extern n)`; NaN patterns only in results. */
  value(results: boolean): WastValue | Exclude<WastExpected, WastValue> {
    const open = this.pos;
    if (this.kind[open] !== Tok.LParen) this.unexpected();
    const kw = open + 1;
    if (this.kind[kw] !== Tok.Keyword) this.unexpected(kw);
    const word = this.text(kw);
    this.pos = kw + 1;
    let v: WastValue | Exclude<WastExpected, WastValue>;
    switch (word) {
      case 'i32.const': {
        const i = this.numberToken(false);
        const value = parseI32(this.text(i));
        if (value === undefined) throw errorAt(this.t, i, 'constant out of range');
        v = { type: 'i32', value };
        break;
      }
      case 'i64.const': {
        const i = this.numberToken(false);
        const value = parseI64(this.text(i));
        if (value === undefined) throw errorAt(this.t, i, 'constant out of range');
        v = { type: 'i64', value };
        break;
      }
      case 'f32.const': {
        const nan = this.nanPattern(results);
        if (nan !== undefined) {
          v = { type: 'f32', nan };
          break;
        }
        const i = this.numberToken(true);
        const value = parseF32(this.text(i));
        if (value === undefined) throw errorAt(this.t, i, 'constant out of range');
        v = { type: 'f32', value };
        break;
      }
      case 'f64.const': {
        const nan = this.nanPattern(results);
        if (nan !== undefined) {
          v = { type: 'f64', nan };
          break;
        }
        const i = this.numberToken(true);
        const value = parseF64(this.text(i));
        if (value === undefined) throw errorAt(this.t, i, 'constant out of range');
        v = { type: 'f64', value };
        break;
      }
      case 'v128.const':
        v = this.v128(results);
        break;
      case 'ref.null': {
        if (this.kind[this.pos] === Tok.RParen && results) {
          v = { type: 'ref.null' };
          break;
        }
        const refType = this.kind[this.pos] === Tok.Keyword ? NULL_REF_TYPES[this.text(this.pos)] : undefined;
        if (refType === undefined) return this.unexpected();
        v = { type: 'ref.null', refType };
        this.pos++;
        break;
      }
      case 'ref.extern':
      case 'ref.func': {
        if (this.kind[this.pos] === Tok.RParen && results) {
          v = { type: word };
          break;
        }
        const i = this.numberToken(false);
        if ((this.t.flags[i]! & NUM_SIGN) !== 0) this.unexpected(i);
        const value = parseU32(this.text(i));
        if (value === undefined) throw errorAt(this.t, i, 'constant out of range');
        v = { type: word, value };
        break;
      }
      default:
        return this.unexpected(kw);
    }
    this.expectRParen();
    return v;
  }

  v128(results: boolean): WastValue {
    const shapeTok = this.pos;
    const shape = this.kind[shapeTok] === Tok.Keyword ? this.text(shapeTok) : '';
    const n = SHAPES.get(shape);
    if (n === undefined) this.unexpected(shapeTok);
    this.pos++;
    const bytes = new Uint8Array(16);
    const view = new DataView(bytes.buffer);
    const lanes: WastLane[] = [];
    const width = 16 / n;
    let count = 0;
    for (let p = this.pos; this.kind[p] === Tok.Number || this.isKw(p, 'nan:canonical') || this.isKw(p, 'nan:arithmetic'); p++) count++;
    const after = this.pos + count;
    if (count < n && (this.kind[after] === Tok.Reserved || (this.kind[after] === Tok.Keyword && !isKnownKeyword(this.text(after))))) {
      this.unexpected(after);
    }
    if (count !== n) throw errorAt(this.t, this.pos + Math.min(count, n), 'wrong number of lane literals');
    for (let lane = 0; lane < n; lane++) {
      const at = lane * width;
      const float = shape === 'f32x4' || shape === 'f64x2';
      const nan = float ? this.nanPattern(results) : undefined;
      if (nan !== undefined) {
        lanes.push(nan);
        if (shape === 'f32x4') view.setUint32(at, 0x7fc0_0000, true);
        else view.setBigUint64(at, 0x7ff8_0000_0000_0000n, true);
        continue;
      }
      const i = this.numberToken(float);
      const s = this.text(i);
      const bad = (): never => {
        throw errorAt(this.t, i, 'constant out of range');
      };
      switch (shape) {
        case 'i8x16': {
          const x = parseIntN(s, 8) ?? bad();
          view.setInt8(at, x);
          lanes.push(view.getUint8(at));
          break;
        }
        case 'i16x8': {
          const x = parseIntN(s, 16) ?? bad();
          view.setInt16(at, x, true);
          lanes.push(view.getUint16(at, true));
          break;
        }
        case 'i32x4': {
          const x = parseI32(s) ?? bad();
          view.setInt32(at, x, true);
          lanes.push(view.getUint32(at, true));
          break;
        }
        case 'i64x2': {
          const x = parseI64(s) ?? bad();
          view.setBigInt64(at, x, true);
          lanes.push(view.getBigUint64(at, true));
          break;
        }
        case 'f32x4': {
          const x = parseF32(s) ?? bad();
          view.setUint32(at, x, true);
          lanes.push(x);
          break;
        }
        default: {
          const x = parseF64(s) ?? bad();
          view.setBigUint64(at, x, true);
          lanes.push(x);
        }
      }
    }
    return { type: 'v128', value: bytes, shape: shape as V128Shape, lanes };
  }
}

/**
 * Parses a .wast script into its commands. Text modules are parsed eagerly; one that
 * fails becomes a `text-error` module rather than failing the script. Throws ParseError
 * only when the script itself (outside its modules) is malformed. Modules are read as
 * `options.version` (default '3.0'); `module quote` sources get the same when parsed
 * with parseQuoted.
 */
export function parseWast(source: string, options: VersionOptions = {}): Command[] {
  return new WastParser(tokenize(source), options).script();
}
