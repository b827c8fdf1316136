// The lexical layer of the text format (https://webassembly.github.io/spec/core/text/lexical.html):
// splits a .wat/.wast source into tokens, skipping white space, line comments `;;`,
// nested block comments `(; … ;)` and annotations `(@name …)`.
//
// The whole source is tokenized up front into parallel typed arrays (kind, offsets,
// line, column, flags) rather than token objects: a 10 MB module has millions of tokens,
// and the parser wants cheap random lookahead. The scan is a single charCodeAt loop.
//
// As in the spec, a token is a maximal run of idchars and string pieces up to white
// space, a parenthesis or a comment; a run that is not exactly one keyword, id, number or
// string (e.g. `0drop`, `$l"a"`, `i32.const0` is a keyword) is a *reserved* token. Reserved
// tokens are not thrown here but kept as tokens, so that a .wast script can still skip a
// malformed module; the parser reports them ("unknown operator") when it meets one. Only
// unrecoverable conditions (unclosed string, comment or annotation) throw immediately.

import { ParseError } from './error.ts';
import { numberShape } from './numbers.ts';

/** Token kinds. */
export const Tok = {
  LParen: 0,
  RParen: 1,
  Keyword: 2,
  Id: 3,
  Number: 4,
  String: 5,
  Reserved: 6,
  EOF: 7,
} as const;
export type TokKind = (typeof Tok)[keyof typeof Tok];

/** Reserved token flags: an identifier that is empty (`$`, `$""`) or not valid UTF-8. */
export const BAD_ID_EMPTY = 1;
export const BAD_ID_UTF8 = 2;

/** String token flags: lets the decoder skip work for plain ASCII strings. */
export const STR_ESCAPE = 1;
export const STR_NON_ASCII = 2;

/** The tokens of one source, in parallel arrays indexed by token number; the last is EOF. */
export interface Tokens {
  readonly source: string;
  readonly count: number;
  readonly kind: Uint8Array;
  /** UTF-16 offsets [start, end) into source. */
  readonly start: Int32Array;
  readonly end: Int32Array;
  /** 1-based line and column (UTF-16 units) of the token's first character. Tokens never span lines. */
  readonly line: Int32Array;
  readonly column: Int32Array;
  /** Numbers: NUM_* shape flags (numbers.ts); strings: STR_* flags. */
  readonly flags: Uint8Array;
}

// idchar ::= 0-9 A-Z a-z ! # $ % & ' * + - . / : < = > ? @ \ ^ _ ` | ~
const IDCHAR = new Uint8Array(128);
for (let c = 48; c <= 57; c++) IDCHAR[c] = 1;
for (let c = 65; c <= 90; c++) IDCHAR[c] = 1;
for (let c = 97; c <= 122; c++) IDCHAR[c] = 1;
for (const ch of "!#$%&'*+-./:<=>?@\\^_`|~") IDCHAR[ch.charCodeAt(0)] = 1;

const C_TAB = 9;
const C_LF = 10;
const C_CR = 13;
const C_SPACE = 32;
const C_QUOTE = 34;
const C_DOLLAR = 36;
const C_LPAREN = 40;
const C_RPAREN = 41;
const C_SEMI = 59;
const C_AT = 64;
const C_BACKSLASH = 92;

/** Tokenizes a whole source. Throws ParseError only for unclosed strings, comments and annotations. */
export function tokenize(source: string): Tokens {
  const len = source.length;
  let cap = Math.max(256, len >> 2);
  let kind = new Uint8Array(cap);
  let start = new Int32Array(cap);
  let end = new Int32Array(cap);
  let lineA = new Int32Array(cap);
  let colA = new Int32Array(cap);
  let flags = new Uint8Array(cap);
  let count = 0;

  let pos = 0;
  let line = 1;
  let lineStart = 0;
  if (len > 0 && source.charCodeAt(0) === 0xfeff) pos = lineStart = 1; // byte order mark

  const fail = (message: string, at: number, atLine: number, atLineStart: number): never => {
    throw new ParseError(message, atLine, at - atLineStart + 1, at);
  };

  const push = (k: number, s: number, e: number, f: number): void => {
    if (count === cap) {
      cap *= 2;
      const grow = <T extends Uint8Array | Int32Array>(a: T, make: (n: number) => T): T => {
        const b = make(cap);
        b.set(a);
        return b;
      };
      kind = grow(kind, (n) => new Uint8Array(n));
      start = grow(start, (n) => new Int32Array(n));
      end = grow(end, (n) => new Int32Array(n));
      lineA = grow(lineA, (n) => new Int32Array(n));
      colA = grow(colA, (n) => new Int32Array(n));
      flags = grow(flags, (n) => new Uint8Array(n));
    }
    kind[count] = k;
    start[count] = s;
    end[count] = e;
    lineA[count] = line;
    colA[count] = s - lineStart + 1;
    flags[count] = f;
    count++;
  };

  // Skips a block comment starting at pos (at "(;"), nesting included.
  const skipBlockComment = (): void => {
    const open = pos;
    const openLine = line;
    const openLineStart = lineStart;
    let depth = 1;
    pos += 2;
    while (depth > 0) {
      if (pos >= len) fail('unclosed comment', open, openLine, openLineStart);
      const c = source.charCodeAt(pos);
      if (c === C_LPAREN && source.charCodeAt(pos + 1) === C_SEMI) {
        depth++;
        pos += 2;
      } else if (c === C_SEMI && source.charCodeAt(pos + 1) === C_RPAREN) {
        depth--;
        pos += 2;
      } else if (c === C_LF) {
        pos++;
        line++;
        lineStart = pos;
      } else if (c === C_CR) {
        pos++;
        if (source.charCodeAt(pos) === C_LF) pos++;
        line++;
        lineStart = pos;
      } else {
        pos++;
      }
    }
  };

  const skipLineComment = (): void => {
    while (pos < len) {
      const c = source.charCodeAt(pos);
      if (c === C_LF || c === C_CR) return;
      pos++;
    }
  };

  // Scans a string piece starting at pos (at the quote); returns STR_* flags.
  const scanString = (): number => {
    const open = pos;
    let f = 0;
    pos++;
    for (;;) {
      if (pos >= len) return fail('unclosed string', open, line, lineStart);
      const c = source.charCodeAt(pos);
      if (c === C_QUOTE) {
        pos++;
        return f;
      }
      if (c === C_LF || c === C_CR) return fail('unclosed string', open, line, lineStart);
      if (c === C_BACKSLASH) {
        f |= STR_ESCAPE;
        pos++;
        // The escaped character is validated when the string is decoded; a newline here
        // is left for the loop above to report.
        const n = source.charCodeAt(pos);
        if (pos < len && n !== C_LF && n !== C_CR) pos++;
        continue;
      }
      if (c >= 0x80) f |= STR_NON_ASCII;
      pos++;
    }
  };

  // Is there a one-line string at pos (at a quote) with no control character, as an
  // identifier or annotation id may be (3.0: `$"…"`, `(@"…")`)? Returns its end, or -1.
  const lineString = (at: number): number => {
    for (let p = at + 1; p < len; p++) {
      const c = source.charCodeAt(p);
      if (c === C_QUOTE) return p + 1;
      if (c < 0x20 || c === 0x7f) return -1;
      if (c === C_BACKSLASH) p++;
    }
    return -1;
  };

  // Skips an annotation `(@id …)` with balanced parentheses, strings and comments inside
  // (the annotations proposal, https://github.com/WebAssembly/annotations): its id is
  // idchars or a non-empty string, and its tokens may hold only the text format's characters.
  const skipAnnotation = (): void => {
    const open = pos;
    const openLine = line;
    const openLineStart = lineStart;
    let depth = 1;
    pos += 2;
    const first = source.charCodeAt(pos);
    if (first === C_QUOTE) {
      const e = lineString(pos);
      if (e < 0 || e === pos + 2) fail('empty annotation id', open, openLine, openLineStart);
      if (!validName(source, pos + 1, e - 1)) fail('malformed UTF-8 encoding', pos, line, lineStart);
      pos = e;
    } else if (first < 128 && IDCHAR[first] === 1) {
      while (pos < len && source.charCodeAt(pos) < 128 && IDCHAR[source.charCodeAt(pos)] === 1) pos++;
    } else {
      fail('empty annotation id', open, openLine, openLineStart);
    }
    while (depth > 0) {
      if (pos >= len) fail('unclosed annotation', open, openLine, openLineStart);
      const c = source.charCodeAt(pos);
      if ((c < 0x20 && c !== C_TAB && c !== C_LF && c !== C_CR) || c >= 0x7f) fail('illegal character', pos, line, lineStart);
      if (c === C_LPAREN) {
        if (source.charCodeAt(pos + 1) === C_SEMI) skipBlockComment();
        else {
          depth++;
          pos++;
        }
      } else if (c === C_RPAREN) {
        depth--;
        pos++;
      } else if (c === C_QUOTE) {
        scanString();
      } else if (c === C_SEMI && source.charCodeAt(pos + 1) === C_SEMI) {
        skipLineComment();
      } else if (c === C_LF) {
        pos++;
        line++;
        lineStart = pos;
      } else if (c === C_CR) {
        pos++;
        if (source.charCodeAt(pos) === C_LF) pos++;
        line++;
        lineStart = pos;
      } else {
        pos++;
      }
    }
  };

  while (pos < len) {
    const c = source.charCodeAt(pos);
    if (c === C_SPACE || c === C_TAB) {
      pos++;
    } else if (c === C_LF) {
      pos++;
      line++;
      lineStart = pos;
    } else if (c === C_CR) {
      pos++;
      if (source.charCodeAt(pos) === C_LF) pos++;
      line++;
      lineStart = pos;
    } else if (c === C_LPAREN) {
      const n = source.charCodeAt(pos + 1);
      if (n === C_SEMI) skipBlockComment();
      else if (n === C_AT) {
        skipAnnotation();
      } else {
        push(Tok.LParen, pos, pos + 1, 0);
        pos++;
      }
    } else if (c === C_RPAREN) {
      push(Tok.RParen, pos, pos + 1, 0);
      pos++;
    } else if (c === C_SEMI && source.charCodeAt(pos + 1) === C_SEMI) {
      skipLineComment();
    } else {
      // A run of idchars and string pieces.
      const s = pos;
      let strings = 0;
      let stringFlags = 0;
      let other = false;
      let bad = false;
      while (pos < len) {
        const d = source.charCodeAt(pos);
        if (d === C_QUOTE) {
          strings++;
          stringFlags = scanString();
        } else if (d < 128 && IDCHAR[d] === 1) {
          other = true;
          pos++;
        } else if (d === C_SPACE || d === C_TAB || d === C_LF || d === C_CR || d === C_LPAREN || d === C_RPAREN || d === C_SEMI) {
          if (pos === s) {
            // A lone ';' that does not start a comment.
            bad = true;
            pos++;
          }
          break;
        } else {
          other = true;
          bad = true;
          pos++;
        }
      }
      if (source.charCodeAt(s) === C_DOLLAR && (pos === s + 1 || source.charCodeAt(s + 1) === C_QUOTE)) {
        // `$` alone, or a quoted identifier `$"…"` (3.0): a non-empty one-line string,
        // valid UTF-8 once its escapes are decoded.
        // A bad one stays a reserved token, flagged with what the parser says about it.
        const e = pos > s + 1 ? lineString(s + 1) : -1;
        if (e !== pos || e === s + 3) push(Tok.Reserved, s, pos, BAD_ID_EMPTY);
        else if (!validName(source, s + 2, e - 1)) push(Tok.Reserved, s, pos, BAD_ID_UTF8);
        else push(Tok.Id, s, pos, stringFlags);
      } else if (strings > 0) {
        if (strings === 1 && !other) push(Tok.String, s, pos, stringFlags);
        else push(Tok.Reserved, s, pos, 0);
      } else if (bad) {
        push(Tok.Reserved, s, pos, 0);
      } else {
        const first = source.charCodeAt(s);
        if (first === C_DOLLAR) {
          push(pos - s > 1 ? Tok.Id : Tok.Reserved, s, pos, 0);
        } else if (first >= 97 && first <= 122) {
          // Keywords, except the float literals inf, nan and nan:0x….
          const shape = first === 105 || first === 110 ? numberShape(source, s, pos) : -1;
          if (shape >= 0) push(Tok.Number, s, pos, shape);
          else push(Tok.Keyword, s, pos, 0);
        } else {
          const shape = numberShape(source, s, pos);
          if (shape >= 0) push(Tok.Number, s, pos, shape);
          else push(Tok.Reserved, s, pos, 0);
        }
      }
    }
  }
  push(Tok.EOF, len, len, 0);
  return {
    source,
    count,
    kind: kind.subarray(0, count),
    start: start.subarray(0, count),
    end: end.subarray(0, count),
    line: lineA.subarray(0, count),
    column: colA.subarray(0, count),
    flags: flags.subarray(0, count),
  };
}

/** The source text of token i. */
export function tokenText(t: Tokens, i: number): string {
  return t.source.slice(t.start[i], t.end[i]);
}

/**
 * The identifier an Id token names, `$` included: a quoted one `$"…"` is its string's
 * text, so `$"fh"` and `$fh` are the same identifier.
 */
export function idText(t: Tokens, i: number): string {
  const s = t.start[i]!;
  if (t.source.charCodeAt(s + 1) !== C_QUOTE) return t.source.slice(s, t.end[i]);
  return '$' + decodeUtf8(escapedBytes(t.source, s + 2, t.end[i]! - 1))!;
}

/** Is the string content [from, to) of source (escapes included) valid UTF-8 once decoded? */
function validName(source: string, from: number, to: number): boolean {
  try {
    return decodeUtf8(escapedBytes(source, from, to)) !== undefined;
  } catch {
    return false;
  }
}

/** The bytes of string content [from, to) of source, escapes decoded (no checks beyond the escapes'). */
function escapedBytes(source: string, from: number, to: number): Uint8Array {
  const t: Tokens = {
    source, count: 1, kind: Uint8Array.of(Tok.String), start: Int32Array.of(from - 1), end: Int32Array.of(to + 1),
    line: Int32Array.of(1), column: Int32Array.of(1), flags: Uint8Array.of(STR_ESCAPE),
  };
  return stringBytes(t, 0);
}

/** A ParseError located at token i (or at an offset inside it). */
export function errorAt(t: Tokens, i: number, message: string, offset?: number): ParseError {
  const s = t.start[i]!;
  const at = offset ?? s;
  return new ParseError(message, t.line[i]!, t.column[i]! + (at - s), at);
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * The bytes of string token i: escapes decoded, other characters UTF-8 encoded.
 * Escapes `\hh` may produce any byte, so the result need not be valid UTF-8 (data
 * segments are raw bytes); names go through stringName, which checks.
 */
export function stringBytes(t: Tokens, i: number): Uint8Array {
  const src = t.source;
  const from = t.start[i]! + 1;
  const to = t.end[i]! - 1;
  const f = t.flags[i]!;
  if (f === 0) {
    const out = new Uint8Array(to - from);
    for (let p = from; p < to; p++) {
      const c = src.charCodeAt(p);
      if (c < 0x20 || c === 0x7f) throw errorAt(t, i, 'illegal control character in string', p);
      out[p - from] = c;
    }
    return out;
  }
  const out: number[] = [];
  const utf8 = (cp: number): void => {
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  };
  let p = from;
  while (p < to) {
    const c = src.charCodeAt(p);
    if (c === C_BACKSLASH) {
      const e = src.charCodeAt(p + 1);
      switch (e) {
        case 116: // t
          out.push(9);
          p += 2;
          continue;
        case 110: // n
          out.push(10);
          p += 2;
          continue;
        case 114: // r
          out.push(13);
          p += 2;
          continue;
        case 34: // "
        case 39: // '
        case 92: // \
          out.push(e);
          p += 2;
          continue;
        case 117: {
          // \u{hex+}: a Unicode scalar value, UTF-8 encoded.
          if (src.charCodeAt(p + 2) !== 123) throw errorAt(t, i, 'illegal escape', p);
          let q = p + 3;
          let cp = 0;
          let digits = 0;
          let needDigit = true;
          for (; q < to; q++) {
            const d = src.charCodeAt(q);
            const h = hexDigit(d);
            if (h >= 0) {
              cp = Math.min(cp * 16 + h, 0x110000); // saturate: anything above is invalid anyway
              digits++;
              needDigit = false;
            } else if (d === 95 && !needDigit) {
              needDigit = true;
            } else break;
          }
          if (digits === 0 || needDigit || src.charCodeAt(q) !== 125) throw errorAt(t, i, 'illegal escape', p);
          if (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) throw errorAt(t, i, 'malformed UTF-8 encoding', p);
          utf8(cp);
          p = q + 1;
          continue;
        }
        default: {
          const h1 = hexDigit(e);
          const h2 = hexDigit(src.charCodeAt(p + 2));
          if (h1 < 0 || h2 < 0 || p + 2 >= to) throw errorAt(t, i, 'illegal escape', p);
          out.push(h1 * 16 + h2);
          p += 3;
          continue;
        }
      }
    }
    if (c < 0x20 || c === 0x7f) throw errorAt(t, i, 'illegal control character in string', p);
    if (c < 0x80) {
      out.push(c);
      p++;
    } else if (c >= 0xd800 && c < 0xdc00) {
      const lo = src.charCodeAt(p + 1);
      if (!(lo >= 0xdc00 && lo < 0xe000)) throw errorAt(t, i, 'malformed UTF-8 encoding', p);
      utf8(0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00));
      p += 2;
    } else if (c >= 0xdc00 && c < 0xe000) {
      throw errorAt(t, i, 'malformed UTF-8 encoding', p);
    } else {
      utf8(c);
      p++;
    }
  }
  return Uint8Array.from(out);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes bytes that must be valid UTF-8; undefined when they are not. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** String token i as a name: its bytes must be valid UTF-8 ("malformed UTF-8 encoding"). */
export function stringName(t: Tokens, i: number): string {
  if (t.flags[i] === 0) {
    const s = t.source.slice(t.start[i]! + 1, t.end[i]! - 1);
    for (let p = 0; p < s.length; p++) {
      const c = s.charCodeAt(p);
      if (c < 0x20 || c === 0x7f) throw errorAt(t, i, 'illegal control character in string', t.start[i]! + 1 + p);
    }
    return s;
  }
  const name = decodeUtf8(stringBytes(t, i));
  if (name === undefined) throw errorAt(t, i, 'malformed UTF-8 encoding');
  return name;
}
