// Text inputs for the parser fuzzer: WebAssembly text modules with tokens deleted,
// duplicated, swapped or replaced by bad numbers, unclosed strings and block comments,
// stray parentheses, and very deep nesting.
// https://webassembly.github.io/spec/core/text/lexical.html
import type { Corpus } from './corpus.ts';
import type { Rng } from './rng.ts';

/** Rough tokens: parentheses, strings, comments, and runs of other non-space characters. */
const TOKEN = /\(;[\s\S]*?;\)|;;[^\n]*|"(?:[^"\\]|\\.)*"|[()]|[^\s()";]+/g;

function tokens(src: string): { start: number; end: number }[] {
  return [...src.matchAll(TOKEN)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
}

const BAD_NUMBERS = [
  '0x', '1_', '_1', '1__0', '0x_1', '-', '+', 'nan:0x0', 'nan:0x80_0000', 'inf:1', '1e', '1e+', '0x1p', '0x1.p+',
  '4294967296', '-2147483649', '18446744073709551616', '0x1p+1024', '1e400', '-0x8000000000000001', 'nan:-1', '0.', '.5',
  '1.e', '0xg', '٣',
];
const JUNK = ['(', ')', '"', '"\\', '"\\u{110000}"', '"\\ff', '(;', ';)', ';;', '$', '$"', '\u0000', '\uFFFF', '\uD800', 'offset=', 'align=3', 'i32.const', 'end', 'else', '(then', '(param', '(result', 'block', 'br 99', 'local.get 4294967295'];
const NESTERS = ['(block ', '(loop ', '(i32.add ', '(if (i32.const 0) (then ', '(', 'block ', '(;'];

/** One mutation of `src`. */
export function mutateTextOnce(src: string, r: Rng): string {
  const toks = tokens(src);
  const at = (): { start: number; end: number } => (toks.length === 0 ? { start: 0, end: 0 } : r.pick(toks));
  switch (r.int(9)) {
    case 0: {
      const t = at();
      return src.slice(0, t.start) + src.slice(t.end);
    }
    case 1: {
      const t = at();
      return src.slice(0, t.end) + ' ' + src.slice(t.start, t.end) + src.slice(t.end);
    }
    case 2: {
      const t = at();
      return src.slice(0, t.start) + r.pick(BAD_NUMBERS) + src.slice(t.end);
    }
    case 3: {
      const t = at();
      return src.slice(0, t.start) + r.pick(JUNK) + src.slice(r.chance(0.5) ? t.start : t.end);
    }
    case 4: {
      // Unclosed string or block comment from a token to the end.
      const t = at();
      return src.slice(0, t.start) + (r.chance(0.5) ? '"' : '(;') + src.slice(t.start);
    }
    case 5: {
      // Deep nesting, closed or not.
      const n = r.pick([100, 1000, 5000, 20_000]);
      const open = r.pick(NESTERS);
      const closed = r.chance(0.7);
      const close = open.startsWith('(if') ? '))' : open.startsWith('(') && open !== '(;' ? ')' : open === '(;' ? ';)' : 'end ';
      const nest = open.repeat(n) + (closed ? close.repeat(n) : '');
      const t = at();
      return r.chance(0.5) ? `(module (func ${nest}))` : src.slice(0, t.start) + nest + src.slice(t.start);
    }
    case 6: {
      // Swap two tokens.
      if (toks.length < 2) return src;
      const i = r.int(toks.length - 1);
      const [x, y] = [toks[i]!, toks[i + 1]!];
      return src.slice(0, x.start) + src.slice(y.start, y.end) + src.slice(x.end, y.start) + src.slice(x.start, x.end) + src.slice(y.end);
    }
    case 7:
      return src.slice(0, r.int(src.length + 1)); // truncation
    default: {
      // A character flip inside a token (numbers, names, keywords).
      const t = at();
      if (t.end === t.start) return src;
      const p = t.start + r.int(t.end - t.start);
      return src.slice(0, p) + String.fromCharCode(r.pick([0x30 + r.int(10), 0x61 + r.int(26), 0x2e, 0x5f, 0x2b, 0x2d, 0x3d, 0x24, 0x22, 0x5c, r.int(0x10000)])) + src.slice(p + 1);
    }
  }
}

/** One parser input: a corpus text with one or a few mutations. */
export function textInput(c: Corpus, r: Rng): string {
  let src = c.texts.length > 0 ? r.pick(c.texts) : '(module)';
  const n = 1 + (r.chance(0.3) ? r.int(4) : 0);
  for (let i = 0; i < n; i++) src = mutateTextOnce(src, r);
  return src;
}
