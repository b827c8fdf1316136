// One function of a large module, disassembled on demand (in the worker): its lines of
// text from the engine's disassembler (engine/text/print.ts, with its names), each body
// line paired with its instruction's byte range, and the function's own bytes for the
// annotated hex view. Only the requested body is decoded (decodeOutlineFunction).

import {
  decodeOutlineFunction, type Func, type Module, type ModuleOutline, printModuleChunks,
} from '../../../engine/index.ts';

export interface DisasmLine {
  /** The line's text, indented by block depth. */
  readonly text: string;
  /** Byte range of what it shows ([offset, offset + length)), absent for lines with no bytes of their own. */
  readonly offset: number;
  readonly length: number;
}

export interface FunctionDisasm {
  readonly index: number;
  /** The function's body entry (size field included) starts here in the file. */
  readonly start: number;
  /** Its bytes, from `start`. */
  readonly bytes: Uint8Array;
  /** Header, locals, one line per instruction, and the closing `end`. */
  readonly lines: readonly DisasmLine[];
  readonly instructions: number;
}

/** Bodies with more instructions than this are shown up to here (the rest is counted). */
export const MAX_LINES = 200_000;

/**
 * The module the printer gets: the outline's shell (types, imports, names, …) with only
 * this function, at its own index, so that every name and index in its text is right.
 * A sparse `funcs` array: the printer visits only the one element. Segments, exports and
 * custom sections are left out; only the function's chunk of the output is kept.
 */
function printable(shell: Module, func: Func, defined: number): Module {
  const funcs: Func[] = [];
  funcs[defined] = func;
  return { ...shell, funcs, exports: [], elems: [], datas: [], customs: [], start: undefined } as Module;
}

export function disassembleFunction(bytes: Uint8Array, outline: ModuleOutline, index: number): FunctionDisasm {
  const f = outline.functions[index];
  if (f?.body === undefined) throw new Error(`function ${index} is imported: it has no body here`);
  const func = decodeOutlineFunction(bytes, outline, index);
  const imported = outline.functions.findIndex((g) => g.body !== undefined);
  const chunks = printModuleChunks(printable(outline.shell, func, index - imported), { offsets: true });
  // Chunk 0 is the module header (types, imports); chunk 1 is the function.
  const text = chunks[1] ?? '';
  const raw = text.split('\n');
  if (raw[raw.length - 1] === '') raw.pop();
  // Each line starts with `(;@offset;) ` or as many blanks, then the module-level indent:
  // drop both, the view shows offsets itself.
  const width = (/^\(;@[0-9a-f]+;\) /.exec(raw[0] ?? '')?.[0].length ?? 0) + 2;
  const strip = (l: string) => l.slice(width);
  const lines: DisasmLine[] = [];
  const entry = f.body.offset;
  const bodyStart = f.body.start;
  // Header: the size field and locals.
  lines.push({ text: strip(raw[0] ?? ''), offset: entry, length: bodyStart - entry });
  let r = 1;
  if (func.locals.length > 0) {
    // The locals' bytes: from the body start to the first instruction.
    const first = func.body[0]?.span.bytes?.offset ?? func.endSpan?.bytes?.offset ?? bodyStart;
    lines.push({ text: strip(raw[r++] ?? ''), offset: bodyStart, length: first - bodyStart });
  } else {
    // The locals' count (0) belongs to the header.
    const first = func.body[0]?.span.bytes?.offset ?? bodyStart + 1;
    (lines[0] as { length: number }).length = first - entry;
  }
  const shown = Math.min(func.body.length, MAX_LINES);
  for (let i = 0; i < shown; i++, r++) {
    const span = func.body[i]!.span.bytes;
    lines.push({ text: strip(raw[r] ?? ''), offset: span?.offset ?? -1, length: span?.length ?? 0 });
  }
  if (shown < func.body.length) {
    lines.push({ text: `;; … ${func.body.length - shown} more instructions`, offset: -1, length: 0 });
  }
  const end = func.endSpan?.bytes;
  lines.push({ text: 'end', offset: end?.offset ?? f.body.end - 1, length: end?.length ?? 1 });
  return { index, start: entry, bytes: bytes.slice(entry, f.body.end), lines, instructions: func.body.length };
}

/** A locals line longer than this is shown cut short, after counting its repeated types. */
export const MAX_LOCALS_SHOWN = 100;

/**
 * What the disassembly pane shows for a line. A function's locals are one declaration
 * that can run to hundreds of characters (`(local i32 i32 … i64)`), far wider than the
 * instructions, so it is shown with each run of one type counted — `(local i32 ×101 i64 ×2)`
 * — and cut short with "…" if still too long (named locals cannot be counted). Every other
 * line is shown as it is. `full` is the line's own text, for a title, when they differ.
 */
export function shownLine(text: string): { readonly text: string; readonly full: string | null } {
  const m = /^(\s*)\(local((?: [a-z0-9]+)+)\)$/.exec(text);
  let shown = text;
  if (m !== null) {
    const types = m[2]!.trim().split(' ');
    const runs: string[] = [];
    for (let i = 0; i < types.length; ) {
      let j = i;
      while (j < types.length && types[j] === types[i]) j++;
      runs.push(j - i > 1 ? `${types[i]} ×${j - i}` : types[i]!);
      i = j;
    }
    shown = `${m[1]}(local ${runs.join(' ')})`;
  }
  if (/^\s*\(local\b/.test(text) && shown.length > MAX_LOCALS_SHOWN) shown = shown.slice(0, MAX_LOCALS_SHOWN - 1) + '…';
  return { text: shown, full: shown === text ? null : text.trim() };
}

/** The line whose bytes contain `offset`, or -1: a binary search (lines with bytes are in file order). */
export function lineAt(lines: readonly DisasmLine[], offset: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    let k = mid;
    // Skip lines without bytes (the "more instructions" note).
    while (k >= lo && (lines[k] as DisasmLine).offset < 0) k--;
    if (k < lo) {
      lo = mid + 1;
      continue;
    }
    const line = lines[k] as DisasmLine;
    if (line.offset <= offset) {
      best = k;
      lo = mid + 1;
    } else {
      hi = k - 1;
    }
  }
  if (best < 0) return -1;
  const line = lines[best] as DisasmLine;
  return offset < line.offset + Math.max(1, line.length) ? best : -1;
}
