// Which extensions of the 1.0 (MVP) language a module uses, read off its AST. The list
// follows the spec's change log (https://webassembly.github.io/spec/core/appendix/changes.html):
// for release 2.0 sign extension, saturating float-to-int, mutable globals import/export,
// multi-value, reference types, bulk memory and table instructions, and 128-bit SIMD; for
// release 3.0 extended constant expressions, tail calls, exception handling (and its
// legacy form, which toolchains still emit), multiple memories, 64-bit memories and
// tables, typed function references, garbage collection and relaxed SIMD.
//
// Each feature comes with how often it is used and where first, so a report can say why a
// module needs an engine that supports it (`wasmstep inspect`, the module explorer).

import { refTypeParts, type BlockType, type FuncType, type Instr, type Limits, type Module, type ValType } from './ast.ts';
import { PROPOSAL_NAMES, proposalOfCode, type ProposalId } from './opcodes3.ts';

export type FeatureId =
  | 'sign-extension'
  | 'saturating-float-to-int'
  | 'mutable-globals'
  | 'multi-value'
  | 'reference-types'
  | 'bulk-memory'
  | 'simd'
  | ProposalId;

export interface FeatureUse {
  readonly id: FeatureId;
  /** Human-readable name, as in the spec's change log. */
  readonly name: string;
  /** How many uses were found (instructions, types, definitions). */
  readonly count: number;
  /** The first use, e.g. 'func 12: i32.extend8_s' or 'import env.g: mutable global'. */
  readonly first: string;
  /** Byte offset of the first use, when the module was decoded from a binary. */
  readonly offset?: number;
}

const NAMES: Record<FeatureId, string> = {
  'sign-extension': 'sign-extension operators',
  'saturating-float-to-int': 'non-trapping float-to-int conversions',
  'mutable-globals': 'import/export of mutable globals',
  'multi-value': 'multiple values',
  'reference-types': 'reference types',
  'bulk-memory': 'bulk memory and table instructions',
  simd: 'vector instructions (128-bit SIMD)',
  ...PROPOSAL_NAMES,
};

/** A feature's human-readable name, as in the spec's change log. */
export function featureName(id: FeatureId): string {
  return NAMES[id];
}

/** The order features are reported in (the change logs'). */
export const FEATURE_ORDER: readonly FeatureId[] = [
  'sign-extension',
  'saturating-float-to-int',
  'mutable-globals',
  'multi-value',
  'reference-types',
  'bulk-memory',
  'simd',
  'extended-const',
  'tail-call',
  'exceptions',
  'legacy-exceptions',
  'multi-memory',
  'memory64',
  'function-references',
  'gc',
  'relaxed-simd',
];

class Collector {
  readonly found = new Map<FeatureId, { count: number; first: string; offset?: number }>();

  add(id: FeatureId, where: string, offset?: number): void {
    const entry = this.found.get(id);
    if (entry !== undefined) entry.count++;
    else this.found.set(id, offset === undefined ? { count: 1, first: where } : { count: 1, first: where, offset });
  }

  valType(t: ValType, where: string, offset?: number): void {
    if (t === 'v128') this.add('simd', where, offset);
    else if (t === 'externref') this.add('reference-types', where, offset);
    else if (t !== 'funcref' && t.length > 4) {
      const proposal = proposalOfValType(t);
      if (proposal !== undefined) this.add(proposal, `${where}: ${t}`, offset);
    }
  }

  limits(l: Limits, where: string, offset?: number): void {
    if (l.index64 === true) this.add('memory64', `${where}: i64 limits`, offset);
  }

  funcType(type: FuncType, where: string, offset?: number): void {
    for (const t of type.params) this.valType(t, where, offset);
    for (const t of type.results) this.valType(t, where, offset);
    if (type.results.length > 1) this.add('multi-value', `${where}: ${type.results.length} results`, offset);
  }
}

/**
 * The 2.0 and 3.0 features the module uses, in the change logs' order; an MVP module gets [].
 * Works on any decodable module: indices that point nowhere are simply not followed.
 */
export function detectFeatures(m: Module): FeatureUse[] {
  const c = new Collector();
  m.types.forEach((t, i) => {
    const at = t.span.bytes?.offset;
    const where = `type ${i}`;
    if (t.recSize !== undefined) c.add('gc', `${where}: rec group of ${t.recSize}`, at);
    if (t.sub !== undefined) c.add('gc', `${where}: sub${t.sub.final ? ' final' : ''}`, at);
    const comp = t.comp;
    if (comp === undefined) c.funcType(t.type, where, at);
    else {
      c.add('gc', `${where}: ${comp.kind}`, at);
      const fields = comp.kind === 'struct' ? comp.fields : [comp.field];
      for (const f of fields) if (f.type !== 'i8' && f.type !== 'i16') c.valType(f.type, where, at);
    }
  });
  for (const imp of m.imports) {
    if (imp.desc.kind === 'tag') c.add('exceptions', `import ${imp.module}.${imp.name}: tag`, imp.span.bytes?.offset);
    if (imp.desc.kind === 'memory') c.limits(imp.desc.type.limits, `import ${imp.module}.${imp.name}`, imp.span.bytes?.offset);
    if (imp.desc.kind === 'table') {
      c.limits(imp.desc.type.limits, `import ${imp.module}.${imp.name}`, imp.span.bytes?.offset);
      c.valType(imp.desc.type.elem, `import ${imp.module}.${imp.name}`, imp.span.bytes?.offset);
    }
  }
  (m.tags ?? []).forEach((t, i) => c.add('exceptions', `tag ${i}`, t.span.bytes?.offset));
  for (const e of m.exports) if (e.kind === 'tag') c.add('exceptions', `export "${e.name}": tag`, e.span.bytes?.offset);
  const memCount = m.imports.filter((i) => i.desc.kind === 'memory').length + m.mems.length;
  if (memCount > 1) c.add('multi-memory', `${memCount} memories`);
  m.mems.forEach((mem, i) => c.limits(mem.type.limits, `memory ${i}`, mem.span.bytes?.offset));

  let globalImports = 0;
  const importedGlobalMutable: boolean[] = [];
  for (const imp of m.imports) {
    const where = `import ${imp.module}.${imp.name}`;
    const at = imp.span.bytes?.offset;
    const d = imp.desc;
    if (d.kind === 'global') {
      globalImports++;
      importedGlobalMutable.push(d.type.mutable);
      if (d.type.mutable) c.add('mutable-globals', `${where}: mutable global`, at);
      c.valType(d.type.type, where, at);
    } else if (d.kind === 'table') {
      if (d.type.elem === 'externref') c.add('reference-types', `${where}: externref table`, at);
    }
  }
  const tableCount = m.imports.filter((i) => i.desc.kind === 'table').length + m.tables.length;
  if (tableCount > 1) c.add('reference-types', `${tableCount} tables`);
  m.tables.forEach((t, i) => {
    const at = t.span.bytes?.offset;
    if (t.type.elem === 'externref') c.add('reference-types', `table ${i}: externref`, at);
    else c.valType(t.type.elem, `table ${i}`, at);
    c.limits(t.type.limits, `table ${i}`, at);
    if (t.init !== undefined) {
      c.add('function-references', `table ${i}: initial value`, at);
      constExpr(c, t.init, `table ${i}`, m);
    }
  });
  m.globals.forEach((g, i) => {
    const where = `global ${globalImports + i}`;
    c.valType(g.type.type, where, g.span.bytes?.offset);
    constExpr(c, g.init, where, m);
  });
  for (const e of m.exports) {
    if (e.kind !== 'global') continue;
    const mutable =
      e.index < globalImports ? importedGlobalMutable[e.index] : m.globals[e.index - globalImports]?.type.mutable;
    if (mutable === true) c.add('mutable-globals', `export "${e.name}": mutable global`, e.span.bytes?.offset);
  }

  m.elems.forEach((e, i) => {
    const where = `elem ${i}`;
    const at = e.span.bytes?.offset;
    if (e.type === 'externref') c.add('reference-types', `${where}: externref`, at);
    // A list of function indices is the MVP's segment, whose type WebAssembly 3.0 calls
    // (ref func) (https://webassembly.github.io/spec/core/binary/modules.html#element-section):
    // that type alone uses no later feature.
    else if (e.type !== '(ref func)' || !e.init.every((item) => item.length === 1 && item[0]?.op === 'ref.func')) c.valType(e.type, where, at);
    if (e.mode.kind === 'passive') c.add('bulk-memory', `${where}: passive segment`, at);
    if (e.mode.kind === 'declarative') c.add('reference-types', `${where}: declarative segment`, at);
    if (e.mode.kind === 'active') {
      if (e.mode.table !== 0) c.add('reference-types', `${where}: table ${e.mode.table}`, at);
      constExpr(c, e.mode.offset, where, m);
    }
    // Plain function references are the MVP's function indices (the decoder turns them
    // into ref.func); any other item needs the expression encoding of reference types.
    for (const item of e.init) {
      if (item.length === 1 && item[0]?.op === 'ref.func') continue;
      c.add('reference-types', `${where}: expression item`, at);
      constExpr(c, item, where, m);
    }
  });
  m.datas.forEach((d, i) => {
    const at = d.span.bytes?.offset;
    if (d.mode.kind === 'passive') c.add('bulk-memory', `data ${i}: passive segment`, at);
    else {
      if (d.mode.memory !== 0) c.add('multi-memory', `data ${i}: memory ${d.mode.memory}`, at);
      constExpr(c, d.mode.offset, `data ${i}`, m);
    }
  });

  const funcImports = m.imports.filter((i) => i.desc.kind === 'func').length;
  m.funcs.forEach((f, i) => {
    const where = `func ${funcImports + i}`;
    for (const t of f.locals) c.valType(t, `${where}: local`, f.span.bytes?.offset);
    instrs(c, f.body, where, m);
  });

  const out: FeatureUse[] = [];
  for (const id of FEATURE_ORDER) {
    const entry = c.found.get(id);
    if (entry === undefined) continue;
    out.push({ id, name: NAMES[id], ...entry });
  }
  return out;
}

/** The 3.0 proposal a value type comes from; undefined for 2.0 types. */
export function proposalOfValType(t: ValType): ProposalId | undefined {
  const parts = refTypeParts(t);
  if (parts === undefined) return undefined;
  const h = parts.heap;
  if (h === 'exn' || h === 'noexn') return 'exceptions';
  if (h === 'func' || h === 'extern') return parts.nullable ? undefined : 'function-references';
  if (typeof h === 'number') return 'function-references';
  return 'gc';
}

/** Constant-expression instructions of extended-const: i32/i64 add, sub, mul. */
const EXTENDED_CONST = new Set([0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e]);

function constExpr(c: Collector, expr: readonly Instr[], where: string, m: Module): void {
  for (const instr of expr) {
    if (EXTENDED_CONST.has(instr.code)) c.add('extended-const', `${where}: ${instr.op}`, instr.span.bytes?.offset);
  }
  instrs(c, expr, where, m);
}

/** The feature an instruction belongs to, by opcode; undefined for MVP instructions. */
export function featureOfInstr(instr: Instr): FeatureId | undefined {
  const code = instr.code;
  const proposal = proposalOfCode(code);
  if (proposal !== undefined) return proposal;
  if (code >= 0xc0 && code <= 0xc4) return 'sign-extension';
  if (code >= 0xd0 && code <= 0xd2) return 'reference-types'; // ref.null, ref.is_null, ref.func
  if (code === 0x1c || code === 0x25 || code === 0x26) return 'reference-types'; // typed select, table.get/set
  const prefix = code >>> 16;
  if (prefix === 0xfd) return 'simd';
  if (prefix === 0xfc) {
    const sub = code & 0xffff;
    if (sub <= 7) return 'saturating-float-to-int';
    if (sub <= 14) return 'bulk-memory'; // memory.init … table.copy
    return 'reference-types'; // table.grow, table.size, table.fill
  }
  return undefined;
}

function instrs(c: Collector, body: readonly Instr[], where: string, m: Module): void {
  for (const instr of body) {
    const at = instr.span.bytes?.offset;
    const feature = featureOfInstr(instr);
    if (feature !== undefined) c.add(feature, `${where}: ${instr.op}`, at);
    if (instr.blockType !== undefined) blockType(c, instr.blockType, `${where}: ${instr.op}`, m, at);
    if (instr.code === 0x11 && instr.index2 !== undefined && instr.index2 !== 0) {
      c.add('reference-types', `${where}: call_indirect on table ${instr.index2}`, at);
    }
    if (instr.types !== undefined) for (const t of instr.types) c.valType(t, `${where}: select`, at);
    if (instr.heapType !== undefined && instr.code === 0xd0) c.valType(`(ref null ${instr.heapType})`, `${where}: ref.null`, at);
    const mem = instr.memarg?.memory ?? (instr.code === 0x3f || instr.code === 0x40 ? instr.index : undefined);
    if ((mem !== undefined && mem !== 0) || (instr.index3 ?? 0) !== 0 || ((instr.code >>> 16 === 0xfc) && (instr.code & 0xffff) >= 8 && (instr.code & 0xffff) <= 11 && code2Memory(instr) !== 0)) {
      c.add('multi-memory', `${where}: ${instr.op} on another memory`, at);
    }
    if (instr.memarg?.offset64 !== undefined || (instr.memarg !== undefined && instr.memarg.offset > 0xffff_ffff)) {
      c.add('memory64', `${where}: ${instr.op} offset beyond 4 GiB`, at);
    }
  }
}

/** memory.init/copy/fill's memory (index2), 0 for data.drop, which has none. */
function code2Memory(instr: Instr): number {
  return (instr.code & 0xffff) === 9 ? 0 : (instr.index2 ?? 0);
}

function blockType(c: Collector, bt: BlockType, where: string, m: Module, at: number | undefined): void {
  if (bt.kind === 'value') {
    c.valType(bt.type, where, at);
  } else if (bt.kind === 'index') {
    // A type index is the multi-value encoding, whatever the type turns out to be.
    const type = m.types[bt.index]?.type;
    const shape = type === undefined ? `type ${bt.index}` : `${type.params.length} params, ${type.results.length} results`;
    c.add('multi-value', `${where} (${shape})`, at);
  }
}
