// Finds the WebAssembly a lesson shows, so tests can check it: ```wat code blocks with
// their meta (```wat run="add(2, 3) = 5", ```wat invalid="type mismatch", ```wat fragment),
// the modules given to each <Stepper> (an `export const` template literal, a `.wat?raw`
// import, or a `wasm="…"` file under public/) with its invoke/args and an optional
// `{/* expect: … */}` comment right before it, and the data of each <Quiz>.
// This reads MDX as text with a few patterns, which is all the lessons' conventions need
// (docs/AUTHORING.md describes them).
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { runInNewContext } from 'node:vm';

export interface CodeBlock {
  readonly line: number;
  /** The meta after ```wat, as key → value (flags map to ''). */
  readonly meta: Readonly<Record<string, string>>;
  readonly code: string;
}

/** Meta words: key="value", key='value' or bare flags. */
export function parseMeta(meta: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([\w-]+)(?:=(?:"([^"]*)"|'([^']*)'|(\S+)))?/g;
  for (let m = re.exec(meta); m !== null; m = re.exec(meta)) out[m[1]!] = m[2] ?? m[3] ?? m[4] ?? '';
  return out;
}

const lineAt = (text: string, index: number): number => text.slice(0, index).split('\n').length;

/** Every ```wat block of a lesson (or of another language). */
export function watBlocks(mdx: string, lang = 'wat'): CodeBlock[] {
  const out: CodeBlock[] = [];
  const re = new RegExp(`^([ \\t]*)\`\`\`${lang}\\b([^\\n]*)\\n([\\s\\S]*?)^\\1\`\`\`[ \\t]*$`, 'gm');
  for (let m = re.exec(mdx); m !== null; m = re.exec(mdx)) {
    out.push({ line: lineAt(mdx, m.index), meta: parseMeta(m[2] ?? ''), code: m[3] ?? '' });
  }
  return out;
}

/** The bytes a listing shows: the hex pairs at the start of each line (the rest is commentary). */
export function listedBytes(listing: string): number[] {
  return listing.split('\n').flatMap((line) => /^(?:[0-9a-f]{2}(?: |$))+/.exec(line)?.[0].trim().split(' ').map((h) => parseInt(h, 16)) ?? []);
}

/** One call claimed by a `run` meta: `add(2, 3) = 5`, `swap(1, 2) = 2, 1`, `div(1, 0) traps "divide by zero"`. */
export interface ClaimedCall {
  readonly invoke: string;
  readonly args: string[];
  readonly expect?: string[];
  readonly trap?: true | string;
}

const list = (s: string): string[] => s.split(',').map((x) => x.trim()).filter((x) => x !== '');

/** Parses a run claim; several are separated by `;`. Throws on a claim it cannot read. */
export function parseRun(run: string): ClaimedCall[] {
  return run
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((claim) => {
      const m = /^([\w$.-]+)\s*\(([^)]*)\)\s*(?:=\s*(.*)|traps(?:\s+(?:"([^"]*)"|'([^']*)'))?)$/.exec(claim);
      if (m === null) throw new Error(`cannot read the claim "${claim}" (write "f(1, 2) = 3" or "f(0) traps")`);
      const [, invoke, args, results, trapA, trapB] = m;
      if (results !== undefined) return { invoke: invoke!, args: list(args!), expect: list(results) };
      return { invoke: invoke!, args: list(args!), trap: trapA ?? trapB ?? true };
    });
}

/** The end of a JS expression starting at `from` (brackets, strings and template literals balanced). */
function expressionEnd(text: string, from: number): number {
  let depth = 0;
  let i = from;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' || c === "'" || c === '`') {
      i++;
      while (i < text.length && text[i] !== c) i += text[i] === '\\' ? 2 : 1;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (depth === 0 && (c === ';' || c === '\n') && text.slice(from, i).trim() !== '') return i;
    i++;
  }
  return i;
}

/** The value of `export const NAME = <expression>` in a lesson (evaluated as JS), or undefined. */
export function exportedConst(mdx: string, name: string): unknown {
  const m = new RegExp(`^export const ${name}\\s*=\\s*`, 'm').exec(mdx);
  if (m === null) return undefined;
  const start = m.index + m[0].length;
  const source = mdx.slice(start, expressionEnd(mdx, start));
  return runInNewContext(`(${source})`, {}, { timeout: 1000 });
}

/** The file a default import names (`import x from './a.wat?raw'`), resolved from the lesson. */
export function importedFile(mdx: string, lessonPath: string, name: string): string | undefined {
  const m = new RegExp(`^import ${name} from ['"]([^'"]+)['"]`, 'm').exec(mdx);
  if (m === null) return undefined;
  return join(dirname(lessonPath), m[1]!.replace(/\?raw$/, ''));
}

export interface StepperUse {
  readonly line: number;
  /** The module's text, or undefined for a `wasm` file. */
  readonly source?: string;
  /** Where the module comes from, for messages: a constant, a file. */
  readonly origin: string;
  /** A .wasm file (absolute path). */
  readonly wasmFile?: string;
  readonly invoke?: string;
  readonly args: readonly (number | string)[];
  /** From `{/* expect: … *\/}` before the tag: 'trap "…"', 'invalid "…"', 'endless', 'returns 5'. */
  readonly expect?: string;
}

/** The attributes of a JSX tag as raw strings: name="x" → "x", name={expr} → "expr". */
export function tagProps(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([\w:]+)=(?:"([^"]*)"|\{)/g;
  for (let m = re.exec(tag); m !== null; m = re.exec(tag)) {
    if (m[2] !== undefined) {
      out[m[1]!] = m[2];
      continue;
    }
    const start = m.index + m[0].length;
    let depth = 1;
    let i = start;
    while (i < tag.length && depth > 0) {
      if (tag[i] === '{') depth++;
      else if (tag[i] === '}') depth--;
      i++;
    }
    out[m[1]!] = tag.slice(start, i - 1).trim();
    re.lastIndex = i;
  }
  return out;
}

/** Every <Stepper> in a lesson, with its module resolved. Throws if a module cannot be found. */
export function stepperUses(mdx: string, lessonPath: string, publicDir: string): StepperUse[] {
  const out: StepperUse[] = [];
  const re = /(?:\{\/\*\s*expect:\s*([\s\S]*?)\s*\*\/\}\s*)?<Stepper\b([\s\S]*?)\/>/g;
  for (let m = re.exec(mdx); m !== null; m = re.exec(mdx)) {
    const line = lineAt(mdx, m.index + m[0].indexOf('<Stepper'));
    const props = tagProps(m[2] ?? '');
    const args = props.args !== undefined ? (runInNewContext(`(${props.args})`, {}, { timeout: 1000 }) as (number | string)[]) : [];
    const common = { line, invoke: props.invoke, args, expect: m[1] };
    if (props.wasm !== undefined) {
      out.push({ ...common, origin: props.wasm, wasmFile: join(publicDir, props.wasm) });
      continue;
    }
    const name = props.src;
    if (name === undefined || !/^\w+$/.test(name)) throw new Error(`line ${line}: a Stepper needs src={name} or wasm="file"`);
    const file = importedFile(mdx, lessonPath, name);
    if (file !== undefined) {
      out.push({ ...common, origin: relative(join(publicDir, ".."), file), source: readFileSync(file, 'utf8') });
      continue;
    }
    const value = exportedConst(mdx, name);
    if (typeof value !== 'string') throw new Error(`line ${line}: no export const ${name} (a string) or import of it`);
    out.push({ ...common, origin: `export const ${name}`, source: value });
  }
  return out;
}

/** Every <Quiz questions={name}> with its questions evaluated. */
export function quizUses(mdx: string): { line: number; name: string; questions: unknown }[] {
  const out: { line: number; name: string; questions: unknown }[] = [];
  const re = /<Quiz\b([\s\S]*?)\/>/g;
  for (let m = re.exec(mdx); m !== null; m = re.exec(mdx)) {
    const name = tagProps(m[1] ?? '').questions ?? '';
    out.push({ line: lineAt(mdx, m.index), name, questions: /^\w+$/.test(name) ? exportedConst(mdx, name) : undefined });
  }
  return out;
}
