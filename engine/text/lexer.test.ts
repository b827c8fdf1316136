// Tests for the lexer (https://webassembly.github.io/spec/core/text/lexical.html): token
// kinds, positions, comments, annotations, reserved tokens, string escapes and errors.
import { describe, expect, it } from 'vitest';
import { ParseError } from './error.ts';
import { NUM_FLOAT, NUM_HEX, NUM_SIGN } from './numbers.ts';
import { BAD_ID_EMPTY, BAD_ID_UTF8, Tok, idText, stringBytes, stringName, tokenText, tokenize, type Tokens } from './lexer.ts';

const NAMES = ['(', ')', 'keyword', 'id', 'number', 'string', 'reserved', 'eof'];

/** [kind, text] of every token but EOF. */
function lex(source: string): [string, string][] {
  const t = tokenize(source);
  const out: [string, string][] = [];
  for (let i = 0; i < t.count - 1; i++) out.push([NAMES[t.kind[i]!]!, tokenText(t, i)]);
  expect(t.kind[t.count - 1]).toBe(Tok.EOF);
  return out;
}

function parseError(run: () => unknown): ParseError {
  try {
    run();
  } catch (error) {
    if (error instanceof ParseError) return error;
    throw error;
  }
  throw new Error('expected a ParseError');
}

function onlyString(source: string): Tokens {
  const t = tokenize(source);
  expect(t.kind[0]).toBe(Tok.String);
  return t;
}

describe('tokens', () => {
  it('splits keywords, ids, numbers, strings and parentheses', () => {
    expect(lex('(module $m (func $f (param i32) i32.const -1 f64.const 0x1p-3 "s"))')).toEqual([
      ['(', '('], ['keyword', 'module'], ['id', '$m'], ['(', '('], ['keyword', 'func'], ['id', '$f'],
      ['(', '('], ['keyword', 'param'], ['keyword', 'i32'], [')', ')'], ['keyword', 'i32.const'],
      ['number', '-1'], ['keyword', 'f64.const'], ['number', '0x1p-3'], ['string', '"s"'], [')', ')'], [')', ')'],
    ]);
  });

  it('ends tokens at parentheses and comments, not only at spaces', () => {
    expect(lex('(func(nop)nop;;x\n$f(;c;)0)')).toEqual([
      ['(', '('], ['keyword', 'func'], ['(', '('], ['keyword', 'nop'], [')', ')'], ['keyword', 'nop'],
      ['id', '$f'], ['number', '0'], [')', ')'],
    ]);
  });

  it('keeps every idchar inside ids, so $l$l is one id', () => {
    expect(lex("$l$l $a!#%&'*+-./:<=>?@\\^_`|~z")).toEqual([['id', '$l$l'], ['id', "$a!#%&'*+-./:<=>?@\\^_`|~z"]]);
  });

  it('classifies runs that are no single token as reserved', () => {
    expect(lex('0drop $ $l"a" "a""b" data"a" 1__0 0x _1 a,b é ;')).toEqual([
      ['reserved', '0drop'], ['reserved', '$'], ['reserved', '$l"a"'], ['reserved', '"a""b"'],
      ['reserved', 'data"a"'], ['reserved', '1__0'], ['reserved', '0x'], ['reserved', '_1'],
      ['reserved', 'a,b'], ['reserved', 'é'], ['reserved', ';'],
    ]);
  });

  it('reads inf, nan and nan:0x… as numbers but nan:canonical as a keyword', () => {
    const t = tokenize('inf -inf nan +nan:0x1_0 nan:canonical nan:0x infinity');
    expect([...t.kind.subarray(0, 7)]).toEqual([Tok.Number, Tok.Number, Tok.Number, Tok.Number, Tok.Keyword, Tok.Keyword, Tok.Keyword]);
  });

  it('records each number shape', () => {
    const t = tokenize('1 +1 0x1 -0x1.8p3 1.5 1e3');
    expect([...t.flags.subarray(0, 6)]).toEqual([0, NUM_SIGN, NUM_HEX, NUM_SIGN | NUM_HEX | NUM_FLOAT, NUM_FLOAT, NUM_FLOAT]);
  });

  it('gives 1-based line and column, counting \\n, \\r\\n and \\r as line breaks', () => {
    const t = tokenize('(a\n  b\r\n c\r  d (;x\ny;) e');
    const at = (i: number) => [tokenText(t, i), t.line[i], t.column[i], t.start[i]];
    expect(at(1)).toEqual(['a', 1, 2, 1]);
    expect(at(2)).toEqual(['b', 2, 3, 5]);
    expect(at(3)).toEqual(['c', 3, 2, 9]);
    expect(at(4)).toEqual(['d', 4, 3, 13]);
    expect(at(5)).toEqual(['e', 5, 5, 23]);
  });

  it('ends a line comment at a carriage return', () => {
    expect(lex(';; comment\rnop')).toEqual([['keyword', 'nop']]);
  });

  it('skips nested block comments; a quote inside one is just a character', () => {
    expect(lex('a (; x (; y ;) " z ;) b (;;) c (;;;;) d')).toEqual([
      ['keyword', 'a'], ['keyword', 'b'], ['keyword', 'c'], ['keyword', 'd'],
    ]);
  });

  it('skips annotations with balanced parentheses, strings and comments', () => {
    expect(lex('(func (@name "f)(" (nested (x)) ;; )\n (; ) ;)) nop)')).toEqual([
      ['(', '('], ['keyword', 'func'], ['keyword', 'nop'], [')', ')'],
    ]);
  });

  it('skips a byte order mark at the start', () => {
    expect(lex('\ufeffnop')).toEqual([['keyword', 'nop']]);
  });

  it('handles an empty source', () => {
    expect(tokenize('').count).toBe(1);
  });
});

describe('lexical errors', () => {
  it('reports an unclosed string where it starts', () => {
    const e = parseError(() => tokenize('(data\n  "abc'));
    expect([e.specMessage, e.line, e.column, e.offset]).toEqual(['unclosed string', 2, 3, 8]);
  });

  it('reports a string broken by a newline', () => {
    const e = parseError(() => tokenize('"ab\ncd"'));
    expect([e.specMessage, e.line, e.column]).toEqual(['unclosed string', 1, 1]);
  });

  it('reports an unclosed block comment', () => {
    const e = parseError(() => tokenize('nop\n (; a (; b ;)'));
    expect([e.specMessage, e.line, e.column]).toEqual(['unclosed comment', 2, 2]);
  });

  it('reports an unclosed annotation', () => {
    const e = parseError(() => tokenize('(@a (b)'));
    expect([e.specMessage, e.line, e.column]).toEqual(['unclosed annotation', 1, 1]);
  });
});

describe('strings', () => {
  it('decodes every escape', () => {
    const t = onlyString('"\\t\\n\\r\\"\\\'\\\\\\00\\ff\\u{41}\\u{e9}\\u{1F600}"');
    expect([...stringBytes(t, 0)]).toEqual([9, 10, 13, 34, 39, 92, 0, 0xff, 0x41, 0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80]);
  });

  it('UTF-8 encodes non-ASCII source characters, surrogate pairs included', () => {
    const t = onlyString('"é€😀"');
    expect([...stringBytes(t, 0)]).toEqual([0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80]);
  });

  it('keeps raw bytes that are not UTF-8 (data segments)', () => {
    const t = onlyString('"\\80\\c0\\80"');
    expect([...stringBytes(t, 0)]).toEqual([0x80, 0xc0, 0x80]);
  });

  it('rejects names that are not UTF-8', () => {
    const t = onlyString('"\\c0\\80"');
    const e = parseError(() => stringName(t, 0));
    expect(e.specMessage).toBe('malformed UTF-8 encoding');
  });

  it('reads names, with a byte order mark kept', () => {
    expect(stringName(onlyString('"abc"'), 0)).toBe('abc');
    expect(stringName(onlyString('"\\ef\\bb\\bfx"'), 0)).toBe('\ufeffx');
  });

  it('rejects unknown escapes with the column of the backslash', () => {
    const t = tokenize('  "ab\\q"');
    const e = parseError(() => stringBytes(t, 0));
    expect([e.specMessage, e.line, e.column]).toEqual(['illegal escape', 1, 6]);
  });

  it('rejects bad \\u escapes: surrogates, too large, empty, unclosed', () => {
    for (const s of ['"\\u{d800}"', '"\\u{110000}"']) {
      expect(parseError(() => stringBytes(tokenize(s), 0)).specMessage).toBe('malformed UTF-8 encoding');
    }
    for (const s of ['"\\u{}"', '"\\u{41"', '"\\u41"', '"\\4"']) {
      expect(parseError(() => stringBytes(tokenize(s), 0)).specMessage).toBe('illegal escape');
    }
  });

  it('rejects control characters', () => {
    const e = parseError(() => stringBytes(tokenize('"a\tb"'), 0));
    expect([e.specMessage, e.column]).toEqual(['illegal control character in string', 3]);
  });
});

describe('annotations and quoted identifiers (3.0)', () => {
  const kinds = (src: string) => Array.from(tokenize(src).kind);
  const error = (src: string): string => {
    try {
      tokenize(src);
    } catch (e) {
      if (e instanceof ParseError) return e.message;
      throw e;
    }
    return 'no error';
  };

  it('skips annotations whose id is a string, with any tokens inside', () => {
    expect(kinds('(@"a b" x, ; ] [ }} (y "z")) (@a @ (@x))')).toEqual([Tok.EOF]);
  });

  it('refuses an empty annotation id and characters outside the text format', () => {
    expect(error('(@)')).toMatch(/empty annotation id/);
    expect(error('(@ x)')).toMatch(/empty annotation id/);
    expect(error('(@"")')).toMatch(/empty annotation id/);
    expect(error('(@"\\ef")')).toMatch(/malformed UTF-8/);
    expect(error('(@a \u0001)')).toMatch(/illegal character/);
    expect(error('(@a Heiße)')).toMatch(/illegal character/);
    expect(error('(@a "Heiße")')).toBe('no error');
  });

  it('reads $"…" as an identifier that names its string', () => {
    const t = tokenize('$"a\\62" $ab $"\\u{41}"');
    expect(Array.from(t.kind)).toEqual([Tok.Id, Tok.Id, Tok.Id, Tok.EOF]);
    expect([idText(t, 0), idText(t, 1), idText(t, 2)]).toEqual(['$ab', '$ab', '$A']);
    // Bad ones are reserved tokens, flagged for the parser's message.
    const bad = tokenize('$"" $ $"\\ef"');
    expect(Array.from(bad.kind)).toEqual([Tok.Reserved, Tok.Reserved, Tok.Reserved, Tok.EOF]);
    expect(Array.from(bad.flags.subarray(0, 3))).toEqual([BAD_ID_EMPTY, BAD_ID_EMPTY, BAD_ID_UTF8]);
  });
});
