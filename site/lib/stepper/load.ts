// Turns what a lesson gives the Stepper — WebAssembly text, or the bytes of a .wasm file —
// into a validated module, its binary (with every instruction's byte span recorded) and
// the byte map the Bytes view draws. Errors come back as data with their location
// (line:column in the text, or a byte offset in the binary), never thrown.

import {
  DecodeError, decodeModule, type FuncType, type Module, ParseError, parseWat, printModule, recordByteSpans, validateModule, ValidationError,
} from '../../../engine/index.ts';
import { mapBytes, type ByteMap } from './bytes-map.ts';
import { STEPPER_MAX_TEXT_LENGTH } from './limits.ts';

export interface SourceProblem {
  /** "Parse error", "Validation error", "Decode error", "Link error", "Trap". */
  readonly kind: string;
  readonly message: string;
  /** 1-based, when the problem is in the text. */
  readonly line: number | null;
  readonly column: number | null;
  /** Byte offset, when the problem is in the binary. */
  readonly offset: number | null;
}

export interface ExportedFunc {
  readonly name: string;
  readonly index: number;
  readonly type: FuncType;
  /** Parameter names ($a) when the text gave them. */
  readonly paramNames: readonly (string | null)[];
}

export interface Loaded {
  readonly module: Module;
  /** The text, when the module came from text (for label names and the Source view). */
  readonly source: string | null;
  readonly bytes: Uint8Array;
  readonly map: ByteMap;
  readonly exports: readonly ExportedFunc[];
}

export type LoadResult = { readonly ok: true; readonly loaded: Loaded } | { readonly ok: false; readonly problem: SourceProblem };

/** A problem from any engine error, located as precisely as the error allows. */
export function problemOf(e: unknown): SourceProblem {
  if (e instanceof ParseError) return { kind: 'Parse error', message: e.specMessage, line: e.line, column: e.column, offset: null };
  if (e instanceof ValidationError) {
    const t = e.span?.text;
    const b = e.span?.bytes;
    return { kind: 'Validation error', message: `${e.where}${e.op ? ` (${e.op})` : ''}: ${e.specMessage}`, line: t?.line ?? null, column: t?.column ?? null, offset: b?.offset ?? null };
  }
  if (e instanceof DecodeError) return { kind: 'Decode error', message: e.specMessage, line: null, column: null, offset: e.offset };
  const err = e instanceof Error ? e : new Error(String(e));
  const kind = err.name === 'LinkError' ? 'Link error' : err.name === 'Trap' ? 'Trap' : 'Error';
  return { kind, message: err.message, line: null, column: null, offset: null };
}

/** "3:14" or "byte 0x1a" or "" for a problem's location. */
export function problemWhere(p: SourceProblem): string {
  if (p.line !== null) return p.column !== null ? `${p.line}:${p.column}` : `line ${p.line}`;
  if (p.offset !== null) return `byte 0x${p.offset.toString(16)}`;
  return '';
}

function exportsOf(module: Module): ExportedFunc[] {
  const importedFuncs = module.imports.filter((i) => i.desc.kind === 'func');
  const typeOf = (index: number): FuncType | undefined => {
    if (index < importedFuncs.length) {
      const d = importedFuncs[index]!.desc;
      return d.kind === 'func' ? module.types[d.type]?.type : undefined;
    }
    const f = module.funcs[index - importedFuncs.length];
    return f === undefined ? undefined : module.types[f.type]?.type;
  };
  const out: ExportedFunc[] = [];
  for (const e of module.exports) {
    if (e.kind !== 'func') continue;
    const type = typeOf(e.index);
    if (type === undefined) continue;
    const f = module.funcs[e.index - importedFuncs.length];
    out.push({ name: e.name, index: e.index, type, paramNames: type.params.map((_, i) => f?.localIds?.[i] ?? null) });
  }
  return out;
}

/** Parses and validates WebAssembly text; encodes it, recording every instruction's bytes. */
export function loadText(source: string): LoadResult {
  try {
    const module = parseWat(source, { maxLength: STEPPER_MAX_TEXT_LENGTH });
    validateModule(module);
    const bytes = recordByteSpans(module);
    return { ok: true, loaded: { module, source, bytes, map: mapBytes(bytes), exports: exportsOf(module) } };
  } catch (e) {
    return { ok: false, problem: problemOf(e) };
  }
}

/**
 * What a caller that has already decoded, validated and printed `bytes` (the Playground,
 * opening a file) hands over, so a large module is not done twice: `decodeModule(bytes)`,
 * validated, and `printModule` of it.
 */
export interface Disassembled {
  readonly module: Module;
  readonly source: string;
}

/**
 * Decodes and validates a binary module, and disassembles it so the Source view has text:
 * the text is parsed back (the disassembler guarantees it reads back to the same module)
 * and each instruction gets both spans — its line in the text, its bytes in the file.
 */
export function loadBinary(bytes: Uint8Array, done?: Disassembled): LoadResult {
  try {
    let decoded: Module;
    let source: string;
    if (done === undefined) {
      decoded = decodeModule(bytes);
      validateModule(decoded);
      source = printModule(decoded);
    } else {
      ({ module: decoded, source } = done);
    }
    const module = parseWat(source);
    validateModule(module);
    module.funcs.forEach((f, i) => {
      const g = decoded.funcs[i];
      if (g === undefined) return;
      f.body.forEach((instr, k) => {
        const b = g.body[k]?.span.bytes;
        if (b !== undefined) instr.span = { ...instr.span, bytes: b };
      });
      if (g.endSpan?.bytes !== undefined) f.endSpan = { ...f.endSpan, bytes: g.endSpan.bytes };
      if (g.span.bytes !== undefined) f.span = { ...f.span, bytes: g.span.bytes };
    });
    return { ok: true, loaded: { module, source, bytes, map: mapBytes(bytes), exports: exportsOf(module) } };
  } catch (e) {
    return { ok: false, problem: problemOf(e) };
  }
}
