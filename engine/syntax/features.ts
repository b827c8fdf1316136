// Which WebAssembly 2.0 extensions of the 1.0 (MVP) language a module uses, read off its
// AST. The list follows the spec's change log for release 2.0
// (https://webassembly.github.io/spec/core/appendix/changes.html#release-2-0): sign
// extension, saturating float-to-int, mutable globals import/export, multi-value,
// reference types, bulk memory and table instructions, and 128-bit SIMD.
//
// Each feature comes with how often it is used and where first, so a report can say why a
// module needs an engine that supports it (`wasmstep inspect`, the module explorer).

import type { BlockType, FuncType, Instr, Module, ValType } from './ast.ts';

export type FeatureId =
  | 'sign-extension'
  | 'saturating-float-to-int'
  | 'mutable-globals'
  | 'multi-value'
  | 'reference-types'
  | 'bulk-memory'
  | 'simd';

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
};

/** The order features are reported in (the change log's). */
const ORDER: readonly FeatureId[] = [
  'sign-extension',
  'saturating-float-to-int',
  'mutable-globals',
  'multi-value',
  'reference-types',
  'bulk-memory',
  'simd',
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
  }

  funcType(type: FuncType, where: string, offset?: number): void {
    for (const t of type.params) this.valType(t, where, offset);
    for (const t of type.results) this.valType(t, where, offset);
    if (type.results.length > 1) this.add('multi-value', `${where}: ${type.results.length} results`, offset);
  }
}

/**
 * The 2.0 features the module uses, in the change log's order; an MVP module gets [].
 * Works on any decodable module: indices that point nowhere are simply not followed.
 */
export function detectFeatures(m: Module): FeatureUse[] {
  const c = new Collector();
  m.types.forEach((t, i) => c.funcType(t.type, `type ${i}`, t.span.bytes?.offset));

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
    if (t.type.elem === 'externref') c.add('reference-types', `table ${i}: externref`, t.span.bytes?.offset);
  });
  m.globals.forEach((g, i) => {
    const where = `global ${globalImports + i}`;
    c.valType(g.type.type, where, g.span.bytes?.offset);
    instrs(c, g.init, where, m);
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
    if (e.mode.kind === 'passive') c.add('bulk-memory', `${where}: passive segment`, at);
    if (e.mode.kind === 'declarative') c.add('reference-types', `${where}: declarative segment`, at);
    if (e.mode.kind === 'active') {
      if (e.mode.table !== 0) c.add('reference-types', `${where}: table ${e.mode.table}`, at);
      instrs(c, e.mode.offset, where, m);
    }
    // Plain function references are the MVP's function indices (the decoder turns them
    // into ref.func); any other item needs the expression encoding of reference types.
    for (const item of e.init) {
      if (item.length === 1 && item[0]?.op === 'ref.func') continue;
      c.add('reference-types', `${where}: expression item`, at);
      instrs(c, item, where, m);
    }
  });
  m.datas.forEach((d, i) => {
    const at = d.span.bytes?.offset;
    if (d.mode.kind === 'passive') c.add('bulk-memory', `data ${i}: passive segment`, at);
    else instrs(c, d.mode.offset, `data ${i}`, m);
  });

  const funcImports = m.imports.filter((i) => i.desc.kind === 'func').length;
  m.funcs.forEach((f, i) => {
    const where = `func ${funcImports + i}`;
    for (const t of f.locals) c.valType(t, `${where}: local`, f.span.bytes?.offset);
    instrs(c, f.body, where, m);
  });

  const out: FeatureUse[] = [];
  for (const id of ORDER) {
    const entry = c.found.get(id);
    if (entry === undefined) continue;
    out.push({ id, name: NAMES[id], ...entry });
  }
  return out;
}

/** The feature an instruction belongs to, by opcode; undefined for MVP instructions. */
export function featureOfInstr(instr: Instr): FeatureId | undefined {
  const code = instr.code;
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
  }
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
