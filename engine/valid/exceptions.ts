// Validation of exception handling: tags, and the instructions try_table, throw, throw_ref
// (https://webassembly.github.io/spec/core/valid/instructions.html#control-instructions,
// https://webassembly.github.io/spec/core/valid/modules.html#tags) and the legacy try,
// catch, catch_all, delegate, rethrow
// (https://github.com/WebAssembly/exception-handling/blob/main/proposals/exception-handling/legacy/Exceptions.md).
//
// The AST validator (code.ts) hands these instructions over with the few of its own
// operations they need (CodeHooks). exnref is a reference type code (types.ts), whose
// subtypes (nullexnref, (ref exn)) match it (matching.ts).

import type { Instr, Module, ValType } from '../syntax/index.ts';
import type { CodeContext } from './code.ts';
import { type TypeStack } from './stack.ts';
import { allMatch, matches } from './matching.ts';
import { type CanonicalIds, EXNREF, H_EXN, NO_TYPES, refCode, UNKNOWN, formatTypes, one, type Types, typeCodes } from './types.ts';

// Control frame kinds beyond stack.ts's (K_FUNC … K_ELSE = 0 … 4).
export const K_TRY_TABLE = 5;
export const K_TRY = 6;
export const K_CATCH = 7;
export const K_CATCH_ALL = 8;

/** What the AST validator lends to the checks here. */
export interface CodeHooks {
  fail(message: string): never;
  /** The control frame label l refers to (fails when there is none). */
  label(l: number): number;
  enter(kind: number, params: Types, results: Types, opener: number): void;
  checkFrameEnd(f: number, what: string): void;
  /** Closes the top frame like `end` at body position pc (side table included). */
  end(pc: number): void;
}

/** The function type index of each tag (imports first). */
export function tagTypeIndices(m: Module): number[] {
  const out: number[] = [];
  for (const imp of m.imports) if (imp.desc.kind === 'tag') out.push(imp.desc.type);
  for (const t of m.tags ?? []) out.push(t.type);
  return out;
}

/**
 * Tag types (imports and definitions): a known function type with no results. Returns the
 * error message for the first bad one, or undefined.
 */
export function tagTypeError(m: Module, typeIndex: number): string | undefined {
  const t = m.types[typeIndex];
  if (t === undefined) return `unknown type ${typeIndex}`;
  if (t.type.results.length !== 0) return `non-empty tag result type: ${formatTypes(typeCodes(t.type.results))}`;
  return undefined;
}

// What catch_ref / catch_all_ref deliver: a non-null (ref exn), which also matches exnref.
const EXN = one(refCode(H_EXN, false));

function isExn(t: number): boolean {
  return t === UNKNOWN || matches(t, EXNREF);
}

/** Does a catch clause's payload fit the label's types (each a subtype)? */
function fits(payload: Types, label: Types): boolean {
  return payload.length === label.length && allMatch(payload, label);
}

function concat(a: Types, b: Types): Types {
  const out = new Int32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The params of tag x (its type's). */
function tagParams(c: CodeContext, x: number | undefined, h: CodeHooks): Types {
  const t = x === undefined ? undefined : c.tagTypes[x];
  if (t === undefined) h.fail(`unknown tag ${x}`);
  return c.typeParams[t]!;
}

/** A block type's params and results (the caller checked the index form for block/loop/if the same way). */
function blockTypes(c: CodeContext, ins: Instr, h: CodeHooks, typeCode: (t: ValType, canon?: CanonicalIds) => number): [Types, Types] {
  const bt = ins.blockType;
  if (bt === undefined || bt.kind === 'empty') return [NO_TYPES, NO_TYPES];
  if (bt.kind === 'value') return [NO_TYPES, one(typeCode(bt.type, c.canon))];
  if (!(bt.index >= 0 && bt.index < c.typeParams.length)) h.fail(`unknown type ${bt.index}`);
  return [c.typeParams[bt.index]!, c.typeResults[bt.index]!];
}

/** Checks one exception-handling instruction at body position pc. */
export function checkException(st: TypeStack, c: CodeContext, ins: Instr, pc: number, h: CodeHooks, typeCode: (t: ValType, canon?: CanonicalIds) => number): void {
  switch (ins.code) {
    case 0x1f: { // try_table bt catch*: the clauses are checked outside the try_table's own label
      const [params, results] = blockTypes(c, ins, h, typeCode);
      for (const cl of ins.catches ?? []) {
        const payload = cl.kind === 'catch' ? tagParams(c, cl.tag, h)
          : cl.kind === 'catch_ref' ? concat(tagParams(c, cl.tag, h), EXN)
          : cl.kind === 'catch_all' ? NO_TYPES : EXN;
        const label = st.labelTypes(h.label(cl.label));
        if (!fits(payload, label)) {
          h.fail(`type mismatch: ${cl.kind} ${cl.tag ?? ''}${cl.tag === undefined ? '' : ' '}${cl.label} delivers ${formatTypes(payload)}, the label takes ${formatTypes(label)}`);
        }
      }
      h.enter(K_TRY_TABLE, params, results, pc);
      return;
    }
    case 0x08: // throw x
      st.popVals(tagParams(c, ins.index, h));
      st.setUnreachable();
      return;
    case 0x0a: { // throw_ref
      const t = st.popAny();
      if (!isExn(t)) h.fail(`type mismatch: throw_ref needs an exnref, found ${formatTypes(one(t))}`);
      st.setUnreachable();
      return;
    }
    case 0x06: { // try bt
      const [params, results] = blockTypes(c, ins, h, typeCode);
      h.enter(K_TRY, params, results, pc);
      return;
    }
    case 0x07: // catch x
    case 0x19: { // catch_all
      const top = st.depth - 1;
      const kind = st.kinds[top];
      if (kind !== K_TRY && kind !== K_CATCH) h.fail(kind === K_CATCH_ALL ? `${ins.op} after catch_all` : `${ins.op} without a matching try`);
      const payload = ins.code === 0x07 ? tagParams(c, ins.index, h) : NO_TYPES;
      h.checkFrameEnd(top, kind === K_TRY ? 'the try' : 'the catch');
      // Like else: the frame's stack starts again, with the payload.
      st.kinds[top] = ins.code === 0x07 ? K_CATCH : K_CATCH_ALL;
      st.sp = st.heights[top]!;
      st.unreachable[top] = 0;
      st.pushVals(payload);
      return;
    }
    case 0x18: { // delegate l: closes a try; l counts from outside it
      const top = st.depth - 1;
      if (st.kinds[top] !== K_TRY) h.fail('delegate without a matching try');
      const l = ins.index ?? 0;
      if (st.label(l + 1) < 0) h.fail(`unknown label ${l}`);
      h.end(pc);
      return;
    }
    case 0x09: { // rethrow l: l must be a catch or catch_all
      const f = h.label(ins.index ?? 0);
      if (st.kinds[f] !== K_CATCH && st.kinds[f] !== K_CATCH_ALL) h.fail(`invalid rethrow label ${ins.index}`);
      st.setUnreachable();
      return;
    }
  }
}
