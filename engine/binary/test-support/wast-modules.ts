// Test support: pulls the modules out of the official spec test scripts (.wast,
// https://github.com/WebAssembly/spec/tree/main/interpreter#scripts) without a real text
// parser — the binary layer's tests must not depend on engine/text. It matches
// parentheses (skipping strings and comments), finds `(module …)` forms at the top level
// or as the first argument of an assertion, and decodes `module binary` string literals
// with the text format's escapes (https://webassembly.github.io/spec/core/text/values.html#strings).

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { testsuiteRoot } from '../../../tests/support/testsuite.ts';

export interface WastModule {
  readonly file: string;
  /** 1-based line of the `(module` token. */
  readonly line: number;
  /** The enclosing command: 'module' at the top level, or e.g. 'assert_malformed'. */
  readonly command: string;
  /** 'binary' and 'quote' modules are given as strings; 'text' ones as source. */
  readonly kind: 'binary' | 'quote' | 'text';
  /** The bytes of a binary module. */
  readonly bytes?: Uint8Array;
  /** The source of a text module, `(module …)` included. */
  readonly text?: string;
  /** The expected message of an assertion, when it has one. */
  readonly expected?: string;
}

/** The wasm-2.0 spec test folder, or undefined when it is not checked out next to the repo. */
export function findTestsuite(): string | undefined {
  const candidates = [testsuiteRoot];
  for (const base of candidates) {
    if (!base) continue;
    for (const dir of [path.join(base, 'wasm-2.0'), base]) {
      if (existsSync(path.join(dir, 'binary.wast'))) return dir;
    }
  }
  return undefined;
}

/** Every module of every .wast file in `dir`, in file order. */
export function suiteModules(dir: string): WastModule[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.wast')).sort();
  return files.flatMap((f) => wastModules(readFileSync(path.join(dir, f), 'utf8'), f));
}

interface Form {
  readonly start: number;
  readonly end: number; // index just past the closing paren
}

/** Scans the forms directly inside [from, to): returns each parenthesized form's extent. */
function childForms(src: string, from: number, to: number): Form[] {
  const forms: Form[] = [];
  let depth = 0;
  let start = -1;
  let i = from;
  while (i < to) {
    const c = src[i];
    if (c === '"') {
      i = skipString(src, i);
      continue;
    }
    if (c === ';' && src[i + 1] === ';') {
      const nl = src.indexOf('\n', i);
      i = nl < 0 ? to : nl + 1;
      continue;
    }
    if (c === '(' && src[i + 1] === ';') {
      i = skipBlockComment(src, i);
      continue;
    }
    if (c === '(') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === ')') {
      depth--;
      if (depth === 0) forms.push({ start, end: i + 1 });
    }
    i++;
  }
  return forms;
}

function skipString(src: string, i: number): number {
  i++;
  while (i < src.length && src[i] !== '"') i += src[i] === '\\' ? 2 : 1;
  return i + 1;
}

function skipBlockComment(src: string, i: number): number {
  let depth = 0;
  while (i < src.length) {
    if (src[i] === '(' && src[i + 1] === ';') {
      depth++;
      i += 2;
    } else if (src[i] === ';' && src[i + 1] === ')') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return i;
}

/** The tokens at the top level of a form: atoms and strings (nested forms are skipped). */
function topTokens(src: string, form: Form): { text: string; at: number }[] {
  const tokens: { text: string; at: number }[] = [];
  let i = form.start + 1;
  const to = form.end - 1;
  while (i < to) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === ';' && src[i + 1] === ';') {
      const nl = src.indexOf('\n', i);
      i = nl < 0 ? to : nl + 1;
    } else if (c === '(' && src[i + 1] === ';') {
      i = skipBlockComment(src, i);
    } else if (c === '(') {
      const inner = childForms(src, i, to)[0];
      i = inner ? inner.end : to;
    } else if (c === '"') {
      const end = skipString(src, i);
      tokens.push({ text: src.slice(i, end), at: i });
      i = end;
    } else {
      let j = i;
      while (j < to && !/[\s()";]/.test(src[j] as string)) j++;
      tokens.push({ text: src.slice(i, j), at: i });
      i = j;
    }
  }
  return tokens;
}

/** Line numbers for offsets that only move forward (forms are visited in order). */
function lineCounter(src: string): (offset: number) => number {
  let at = 0;
  let line = 1;
  return (offset) => {
    for (; at < offset; at++) if (src.charCodeAt(at) === 10) line++;
    return line;
  };
}

/** The modules of one script. */
export function wastModules(src: string, file = '<wast>'): WastModule[] {
  const out: WastModule[] = [];
  const lineOf = lineCounter(src);
  for (const form of childForms(src, 0, src.length)) {
    const head = topTokens(src, form)[0]?.text ?? '';
    if (head === 'module') {
      out.push(moduleOf(src, form, file, 'module', undefined, lineOf(form.start)));
    } else if (head.startsWith('assert_')) {
      const inner = childForms(src, form.start + 1, form.end - 1)[0];
      if (!inner || topTokens(src, inner)[0]?.text !== 'module') continue;
      const strings = topTokens(src, form).filter((t) => t.text.startsWith('"'));
      const expected = strings.length > 0 ? decodeString((strings[strings.length - 1] as { text: string }).text) : undefined;
      out.push(moduleOf(src, inner, file, head, expected ? new TextDecoder().decode(expected) : undefined, lineOf(inner.start)));
    }
  }
  return out;
}

function moduleOf(src: string, form: Form, file: string, command: string, expected: string | undefined, line: number): WastModule {
  const tokens = topTokens(src, form);
  // (module $id? binary "…"*) / (module $id? quote "…"*) / text
  let k = 1;
  if (tokens[k]?.text.startsWith('$')) k++;
  const mode = tokens[k]?.text;
  if (mode === 'binary') {
    const parts = tokens.slice(k + 1).map((t) => decodeString(t.text));
    const size = parts.reduce((n, p) => n + p.length, 0);
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.length;
    }
    return { file, line, command, kind: 'binary', bytes, expected };
  }
  if (mode === 'quote') return { file, line, command, kind: 'quote', expected };
  return { file, line, command, kind: 'text', text: src.slice(form.start, form.end), expected };
}

const encoder = new TextEncoder();

/** Decodes a string literal, quotes included, to its bytes. */
export function decodeString(literal: string): Uint8Array {
  const body = literal.slice(1, -1);
  const bytes: number[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body[i] as string;
    if (c !== '\\') {
      // Plain characters stand for their UTF-8 encoding; take a whole code point.
      const cp = body.codePointAt(i) as number;
      const ch = String.fromCodePoint(cp);
      for (const b of encoder.encode(ch)) bytes.push(b);
      i += ch.length;
      continue;
    }
    const e = body[i + 1] as string;
    if (e === 'n') bytes.push(0x0a);
    else if (e === 't') bytes.push(0x09);
    else if (e === 'r') bytes.push(0x0d);
    else if (e === '"') bytes.push(0x22);
    else if (e === "'") bytes.push(0x27);
    else if (e === '\\') bytes.push(0x5c);
    else if (e === 'u') {
      const close = body.indexOf('}', i);
      const cp = parseInt(body.slice(i + 3, close).replaceAll('_', ''), 16);
      for (const b of encoder.encode(String.fromCodePoint(cp))) bytes.push(b);
      i = close + 1;
      continue;
    } else {
      bytes.push(parseInt(body.slice(i + 1, i + 3), 16));
      i += 3;
      continue;
    }
    i += 2;
  }
  return Uint8Array.from(bytes);
}
