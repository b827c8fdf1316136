// The validator's gate for what the engine does not run yet. The decoder reads every 3.0
// construct so modules can be explored (engine/binary/decode.ts); the validator and
// interpreter implement all of 3.0 (https://webassembly.github.io/spec/core/valid/) but
// garbage collection. A module that uses GC types or instructions is refused here, before
// any other check, with a ValidationError that names the proposal and its first use, e.g.
//   type 0 at byte 0xb: wasmstep does not execute garbage collection yet (struct type at byte 0xb)
// rather than with a misleading error (or, worse, code that runs wrongly). Under version
// '2.0' every 3.0 proposal is refused the same way.
//
// It is a single pass over the module that allocates nothing unless it finds something.

import {
  type Instr, type Limits, type Module, PROPOSAL_NAMES, type ProposalId, proposalOfCode, type Span, type ValType, type Version,
} from '../syntax/index.ts';
import { ValidationError } from './error.ts';

/** The 3.0 proposals whose instructions the engine runs (only in 3.0: 2.0 refuses them all). */
const RUNS_3: ReadonlySet<ProposalId> = new Set<ProposalId>(['relaxed-simd', 'tail-call']);
const RUNS_NONE: ReadonlySet<ProposalId> = new Set<ProposalId>();

/**
 * The value types wasmstep runs: 2.0's, and the reference types of typed function
 * references and exception handling (engine/valid/types.ts). Anything else is a GC type.
 */
const TYPES_2 = new Set<ValType>(['i32', 'i64', 'f32', 'f64', 'v128', 'funcref', 'externref', 'nullfuncref', 'nullexternref', 'exnref', 'nullexnref']);
const TYPED_REF = /^\(ref (null )?(func|extern|nofunc|noextern|exn|noexn|[0-9]+)\)$/;

/** return_call_ref is in the function-references proposal's opcode range but is a tail call. */
const RETURN_CALL_REF = 0x15;

function refuse(proposal: ProposalId, what: string, where: string, span: Span | undefined, extra: { funcIndex?: number; instrIndex?: number; op?: string } = {}): never {
  const at = span?.bytes !== undefined ? ` at byte 0x${span.bytes.offset.toString(16)}` : '';
  const message = `wasmstep does not execute ${PROPOSAL_NAMES[proposal]} yet (${what}${at})`;
  throw new ValidationError(message, { where, span, ...extra });
}

function valType(t: ValType, where: string, span: Span | undefined): void {
  if (TYPES_2.has(t) || TYPED_REF.test(t)) return;
  const proposal: ProposalId = t === 'exnref' || t === 'nullexnref' || t.includes(' exn') || t.includes('noexn') ? 'exceptions'
    : /^\(ref (null )?(func|extern|[0-9]+)\)$/.test(t) ? 'function-references'
    : 'gc';
  refuse(proposal, `type ${t}`, where, span);
}

function limits(l: Limits, where: string, span: Span | undefined, allow64 = false): void {
  if (l.index64 === true && !allow64) refuse('memory64', 'i64 limits', where, span);
  if (l.shared === true) throw new ValidationError('wasmstep does not execute shared memories (threads)', { where, span });
}

// What to look at per single-byte opcode, so that the common instruction costs one
// typed-array read (this pass runs before every validation, on millions of instructions).
const LOOK_NONE = 0;
const LOOK_PROPOSAL = 1;
const LOOK_HEAP = 4;
const LOOK_BLOCK = 5;
const LOOK_SELECT_T = 6;
const LOOK = new Uint8Array(256);
// Exception handling (3.0 and legacy) is implemented in every layer: not refused.
const DONE = new Set<ProposalId | undefined>([undefined, 'exceptions', 'legacy-exceptions']);
for (let code = 0; code < 256; code++) if (!DONE.has(proposalOfCode(code))) LOOK[code] = LOOK_PROPOSAL;
LOOK[0xd0] = LOOK_HEAP;
LOOK[0x02] = LOOK[0x03] = LOOK[0x04] = LOOK_BLOCK;
LOOK[0x1c] = LOOK_SELECT_T;

/** The look for a prefixed opcode (prefix << 16 | sub-opcode). */
function lookPrefixed(code: number): number {
  const prefix = code >>> 16;
  const sub = code & 0xffff;
  if (prefix === 0xfb || (prefix === 0xfd && sub >= 0x100)) return LOOK_PROPOSAL;
  return LOOK_NONE;
}

/**
 * One instruction sequence. Extended constant expressions (i32/i64 add, sub, mul in a
 * constant expression) are not refused here: 3.0 runs them, and under version '2.0' the
 * 2.0 rule refuses them with the "constant expression required" the 2.0 suite expects.
 */
function instrs(body: readonly Instr[], where: string, funcIndex?: number, runs: ReadonlySet<ProposalId> = RUNS_NONE): void {
  for (let i = 0; i < body.length; i++) {
    const ins = body[i] as Instr;
    const code = ins.code;
    const look = code < 0x100 ? (LOOK[code] as number) : lookPrefixed(code);
    if (look === LOOK_NONE) continue;
    let proposal: ProposalId | undefined;
    let what = `opcode ${ins.op}`;
    switch (look) {
      case LOOK_PROPOSAL:
        proposal = code === RETURN_CALL_REF ? 'tail-call' : proposalOfCode(code);
        // Typed function references run (engine/valid/typed-refs.ts).
        if (proposal === 'function-references') proposal = undefined;
        if (runs.has(proposal!)) proposal = undefined;
        break;
      case LOOK_HEAP:
        if (ins.heapType !== undefined) valType(`(ref null ${ins.heapType})`, where, ins.span);
        break;
      case LOOK_BLOCK:
        if (ins.blockType?.kind === 'value') valType(ins.blockType.type, where, ins.span);
        break;
      case LOOK_SELECT_T:
        for (const t of ins.types ?? []) valType(t, where, ins.span);
        break;
    }
    if (proposal !== undefined) {
      refuse(proposal, what, where, ins.span, { ...(funcIndex === undefined ? {} : { funcIndex }), instrIndex: i, op: ins.op });
    }
  }
}

/** Throws a ValidationError at the module's first construct beyond what the engine runs in `version`. */
export function rejectUnsupported(m: Module, version: Version = '3.0'): void {
  const runs = version === '2.0' ? RUNS_NONE : RUNS_3;
  m.types.forEach((t, i) => {
    const where = `type ${i}`;
    if (t.comp !== undefined) refuse('gc', `${t.comp.kind} type`, where, t.span);
    if (t.sub !== undefined || t.recSize !== undefined) refuse('gc', t.sub !== undefined ? 'subtype' : 'rec group', where, t.span);
    for (const p of t.type.params) valType(p, where, t.span);
    for (const r of t.type.results) valType(r, where, t.span);
  });
  m.imports.forEach((imp, i) => {
    const where = `import ${i} ("${imp.module}" "${imp.name}")`;
    const d = imp.desc;
    if (d.kind === 'table') {
      valType(d.type.elem, where, imp.span);
      limits(d.type.limits, where, imp.span, runs !== RUNS_NONE);
    } else if (d.kind === 'memory') limits(d.type.limits, where, imp.span, runs !== RUNS_NONE);
    else if (d.kind === 'global') valType(d.type.type, where, imp.span);
  });
  m.tables.forEach((t, i) => {
    const where = `table ${i}`;
    valType(t.type.elem, where, t.span);
    // 3.0 runs table64 and tables with an initial value.
    limits(t.type.limits, where, t.span, runs !== RUNS_NONE);
    if (t.init !== undefined && runs === RUNS_NONE) refuse('function-references', 'table with an initial value', where, t.span);
  });
  m.mems.forEach((mem, i) => limits(mem.type.limits, `memory ${i}`, mem.span, runs !== RUNS_NONE));
  m.globals.forEach((g, i) => {
    const where = `global ${i}`;
    valType(g.type.type, where, g.span);
    instrs(g.init, where);
  });
  m.elems.forEach((e, i) => {
    const where = `elem ${i}`;
    valType(e.type, where, e.span);
    if (e.mode.kind === 'active') instrs(e.mode.offset, where);
    for (const item of e.init) instrs(item, where);
  });
  m.datas.forEach((d, i) => {
    if (d.mode.kind === 'active') instrs(d.mode.offset, `data ${i}`);
  });
  const funcImports = m.imports.reduce((n, imp) => (imp.desc.kind === 'func' ? n + 1 : n), 0);
  m.funcs.forEach((f, i) => {
    const index = funcImports + i;
    const where = `func ${index}`;
    for (const t of f.locals) valType(t, where, f.span);
    instrs(f.body, where, index, runs);
  });
}
