// The validator's gate for WebAssembly 3.0. The decoder reads every 3.0 construct so
// modules can be explored (engine/binary/decode.ts), but the validator and interpreter
// implement 2.0 (https://webassembly.github.io/spec/core/valid/). A module that uses
// anything beyond 2.0 is refused here, before any other check, with a ValidationError
// that names the proposal and where its first use is, e.g.
//   func 12, instr 40 (try_table) at byte 0x1234: wasmstep does not execute exception handling yet (opcode try_table at byte 0x1234)
// rather than with a misleading 2.0 error (or, worse, code that runs wrongly: an
// instruction on memory 1 must not silently use memory 0).
//
// It is a single pass over the module that allocates nothing unless it finds something.

import {
  type Instr, type Limits, type Module, PROPOSAL_NAMES, type ProposalId, proposalOfCode, type Span, type ValType,
} from '../syntax/index.ts';
import { ValidationError } from './error.ts';

/** The 2.0 value types; anything else is a 3.0 reference type. */
const TYPES_2 = new Set<ValType>(['i32', 'i64', 'f32', 'f64', 'v128', 'funcref', 'externref', 'exnref', 'nullexnref']);

/** memory.init, memory.copy, memory.fill: index2 is a memory. */
const MEMORY_INIT = 0xfc0008;
const MEMORY_COPY = 0xfc000a;
const MEMORY_FILL = 0xfc000b;

function refuse(proposal: ProposalId, what: string, where: string, span: Span | undefined, extra: { funcIndex?: number; instrIndex?: number; op?: string } = {}): never {
  const at = span?.bytes !== undefined ? ` at byte 0x${span.bytes.offset.toString(16)}` : '';
  const message = `wasmstep does not execute ${PROPOSAL_NAMES[proposal]} yet (${what}${at})`;
  throw new ValidationError(message, { where, span, ...extra });
}

function valType(t: ValType, where: string, span: Span | undefined): void {
  if (TYPES_2.has(t)) return;
  const proposal: ProposalId = t === 'exnref' || t === 'nullexnref' || t.includes(' exn') || t.includes('noexn') ? 'exceptions'
    : /^\(ref (null )?(func|extern|[0-9]+)\)$/.test(t) ? 'function-references'
    : 'gc';
  refuse(proposal, `type ${t}`, where, span);
}

function limits(l: Limits, where: string, span: Span | undefined): void {
  if (l.index64 === true) refuse('memory64', 'i64 limits', where, span);
  if (l.shared === true) throw new ValidationError('wasmstep does not execute shared memories (threads)', { where, span });
}

// What to look at per single-byte opcode, so that the common instruction costs one
// typed-array read (this pass runs before every validation, on millions of instructions).
const LOOK_NONE = 0;
const LOOK_PROPOSAL = 1;
const LOOK_MEMARG = 2;
const LOOK_MEMORY_INDEX = 3;
const LOOK_HEAP = 4;
const LOOK_BLOCK = 5;
const LOOK_SELECT_T = 6;
const LOOK = new Uint8Array(256);
// Exception handling (3.0 and legacy) is implemented in every layer: not refused.
const DONE = new Set<ProposalId | undefined>([undefined, 'exceptions', 'legacy-exceptions']);
for (let code = 0; code < 256; code++) if (!DONE.has(proposalOfCode(code))) LOOK[code] = LOOK_PROPOSAL;
for (let code = 0x28; code <= 0x3e; code++) LOOK[code] = LOOK_MEMARG;
LOOK[0x3f] = LOOK[0x40] = LOOK_MEMORY_INDEX;
LOOK[0xd0] = LOOK_HEAP;
LOOK[0x02] = LOOK[0x03] = LOOK[0x04] = LOOK_BLOCK;
LOOK[0x1c] = LOOK_SELECT_T;

/** The look for a prefixed opcode (prefix << 16 | sub-opcode). */
function lookPrefixed(code: number): number {
  const prefix = code >>> 16;
  const sub = code & 0xffff;
  if (prefix === 0xfb || (prefix === 0xfd && sub >= 0x100)) return LOOK_PROPOSAL;
  if (prefix === 0xfd && (sub <= 11 || (sub >= 84 && sub <= 93))) return LOOK_MEMARG;
  if (code === MEMORY_INIT || code === MEMORY_COPY || code === MEMORY_FILL) return LOOK_MEMORY_INDEX;
  return LOOK_NONE;
}

/**
 * One instruction sequence. Extended constant expressions (i32/i64 add, sub, mul in a
 * constant expression) are left to the 2.0 rule, whose message names them: the 2.0 suite
 * expects "constant expression required" there.
 */
function instrs(body: readonly Instr[], where: string, funcIndex?: number): void {
  for (let i = 0; i < body.length; i++) {
    const ins = body[i] as Instr;
    const code = ins.code;
    const look = code < 0x100 ? (LOOK[code] as number) : lookPrefixed(code);
    if (look === LOOK_NONE) continue;
    let proposal: ProposalId | undefined;
    let what = `opcode ${ins.op}`;
    switch (look) {
      case LOOK_PROPOSAL:
        proposal = proposalOfCode(code);
        break;
      case LOOK_MEMARG: {
        const m = ins.memarg;
        if (m !== undefined && ((m.memory ?? 0) !== 0 || m.offset > 0xffff_ffff)) {
          proposal = (m.memory ?? 0) !== 0 ? 'multi-memory' : 'memory64';
          what = `${ins.op} with ${proposal === 'multi-memory' ? `memory ${m.memory}` : 'a 64-bit offset'}`;
        }
        break;
      }
      case LOOK_MEMORY_INDEX: {
        const other = code < 0x100 ? (ins.index ?? 0) : (ins.index2 ?? 0) || (ins.index3 ?? 0);
        if (other !== 0) {
          proposal = 'multi-memory';
          what = `${ins.op} on a memory other than 0`;
        }
        break;
      }
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

/** Throws a ValidationError at the module's first construct beyond WebAssembly 2.0. */
export function rejectUnsupported(m: Module): void {
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
      limits(d.type.limits, where, imp.span);
    } else if (d.kind === 'memory') limits(d.type.limits, where, imp.span);
    else if (d.kind === 'global') valType(d.type.type, where, imp.span);
  });
  m.tables.forEach((t, i) => {
    const where = `table ${i}`;
    valType(t.type.elem, where, t.span);
    limits(t.type.limits, where, t.span);
    if (t.init !== undefined) refuse('function-references', 'table with an initial value', where, t.span);
  });
  m.mems.forEach((mem, i) => limits(mem.type.limits, `memory ${i}`, mem.span));
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
    instrs(f.body, where, index);
  });
}
