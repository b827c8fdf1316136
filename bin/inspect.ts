// `wasmstep inspect`: what is in a .wasm file, as a report for people or as JSON.
// Sections are read straight from the bytes (id, offset, size: the module AST does not keep
// section boundaries, https://webassembly.github.io/spec/core/binary/modules.html#sections);
// everything else comes from the decoded module. The `producers` custom section is the
// tool-conventions one (https://github.com/WebAssembly/tool-conventions/blob/main/ProducersSection.md).

import type { FuncType, ImportDesc, Limits, Module } from '../engine/syntax/ast.ts';
import { detectFeatures, type FeatureUse } from '../engine/syntax/features.ts';

const SECTION_NAMES = [
  'custom', 'type', 'import', 'function', 'table', 'memory', 'global',
  'export', 'start', 'element', 'code', 'data', 'datacount',
];

export interface SectionInfo {
  readonly id: number;
  readonly name: string;
  /** Offset of the section's id byte. */
  readonly offset: number;
  /** Size of the content, after the id and size bytes. */
  readonly size: number;
  readonly contentOffset: number;
  /** Entries in a vector section; the function index of `start`; the count of `datacount`. */
  readonly count?: number;
  /** A custom section's name. */
  readonly customName?: string;
}

export interface ProducerField {
  readonly name: string;
  readonly values: { readonly name: string; readonly version: string }[];
}

export interface CustomInfo {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
  readonly producers?: ProducerField[];
  /** For `target_features`: each feature with its prefix (`+` used, `-` not used, `=` required). */
  readonly targetFeatures?: string[];
  /** For the `name` section: what it names. */
  readonly names?: { readonly module?: string; readonly functions: number; readonly locals: number };
}

export interface ImportInfo {
  readonly module: string;
  readonly name: string;
  readonly kind: ImportDesc['kind'];
  readonly index: number;
  readonly type: string;
}

export interface ExportInfo {
  readonly name: string;
  readonly kind: ImportDesc['kind'];
  readonly index: number;
  readonly type: string;
}

export interface Report {
  readonly file: string;
  readonly size: number;
  readonly version: number;
  readonly sections: SectionInfo[];
  readonly counts: Record<'types' | 'imports' | 'functions' | 'tables' | 'memories' | 'globals' | 'exports' | 'elems' | 'datas', number>;
  readonly imported: Record<ImportDesc['kind'], number>;
  readonly start: number | null;
  readonly imports: ImportInfo[];
  readonly exports: ExportInfo[];
  readonly customSections: CustomInfo[];
  readonly features: FeatureUse[];
}

/** A little-endian reader for the section walk; the module has decoded, so bytes are well-formed. */
class Bytes {
  readonly b: Uint8Array;
  pos: number;
  constructor(b: Uint8Array, pos: number) {
    this.b = b;
    this.pos = pos;
  }
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.b.length) throw new RangeError('unexpected end');
      const byte = this.b[this.pos++] as number;
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
      if (shift > 35) throw new RangeError('integer too long');
    }
  }
  string(): string {
    const length = this.u32();
    if (this.pos + length > this.b.length) throw new RangeError('unexpected end');
    const s = new TextDecoder('utf-8', { fatal: true }).decode(this.b.subarray(this.pos, this.pos + length));
    this.pos += length;
    return s;
  }
}

/** The sections of a binary, in file order. */
export function readSections(bytes: Uint8Array): SectionInfo[] {
  const sections: SectionInfo[] = [];
  const r = new Bytes(bytes, 8);
  while (r.pos < bytes.length) {
    const offset = r.pos;
    const id = bytes[r.pos++] as number;
    const size = r.u32();
    const contentOffset = r.pos;
    const name = SECTION_NAMES[id] ?? `unknown ${id}`;
    let extra: { count?: number; customName?: string } = {};
    if (size > 0) {
      const inner = new Bytes(bytes.subarray(0, contentOffset + size), contentOffset);
      extra = id === 0 ? { customName: inner.string() } : { count: inner.u32() };
    }
    sections.push({ id, name, offset, size, contentOffset, ...extra });
    r.pos = contentOffset + size;
  }
  return sections;
}

/** The `producers` section: fields (language, processed-by, sdk) with tool names and versions. */
export function readProducers(content: Uint8Array): ProducerField[] | undefined {
  try {
    const r = new Bytes(content, 0);
    const fields: ProducerField[] = [];
    for (let n = r.u32(); n > 0; n--) {
      const name = r.string();
      const values: ProducerField['values'] = [];
      for (let k = r.u32(); k > 0; k--) values.push({ name: r.string(), version: r.string() });
      fields.push({ name, values });
    }
    return r.pos === content.length ? fields : undefined;
  } catch {
    return undefined;
  }
}

/** The `target_features` section (tool conventions, Linking.md): a prefix byte and a name per feature. */
export function readTargetFeatures(content: Uint8Array): string[] | undefined {
  try {
    const r = new Bytes(content, 0);
    const features: string[] = [];
    for (let n = r.u32(); n > 0; n--) {
      const prefix = String.fromCharCode(content[r.pos++] ?? 0);
      features.push(prefix + r.string());
    }
    return r.pos === content.length ? features : undefined;
  } catch {
    return undefined;
  }
}

function limits(l: Limits): string {
  return l.max === undefined ? `${l.min}` : `${l.min} ${l.max}`;
}

/** A function type in text-format style: `(param i32) (result i32)`, or `(func)` for [] → []. */
export function signature(type: FuncType | undefined): string {
  if (type === undefined) return '(unknown type)';
  const parts: string[] = [];
  if (type.params.length > 0) parts.push(`(param ${type.params.join(' ')})`);
  if (type.results.length > 0) parts.push(`(result ${type.results.join(' ')})`);
  return parts.length === 0 ? '(func)' : parts.join(' ');
}

function describeDesc(m: Module, desc: ImportDesc): string {
  switch (desc.kind) {
    case 'func': return `(type ${desc.type}) ${signature(m.types[desc.type]?.type)}`;
    case 'table': return `${limits(desc.type.limits)} ${desc.type.elem}`;
    case 'memory': return limits(desc.type.limits);
    case 'global': return desc.type.mutable ? `(mut ${desc.type.type})` : desc.type.type;
    case 'tag': return `(tag (type ${desc.type}) ${signature(m.types[desc.type]?.type)})`;
  }
}

/** Builds the report for a decoded module and its bytes. */
export function inspectModule(file: string, bytes: Uint8Array, m: Module): Report {
  const imported = { func: 0, table: 0, memory: 0, global: 0, tag: 0 };
  // Every index space starts with its imports, so the type of an export is looked up there first.
  const spaces: Record<ImportDesc['kind'], ImportDesc[]> = { func: [], table: [], memory: [], global: [], tag: [] };
  const imports: ImportInfo[] = m.imports.map((imp) => {
    const kind = imp.desc.kind;
    spaces[kind].push(imp.desc);
    return { module: imp.module, name: imp.name, kind, index: imported[kind]++, type: describeDesc(m, imp.desc) };
  });
  for (const f of m.funcs) spaces.func.push({ kind: 'func', type: f.type });
  for (const t of m.tables) spaces.table.push({ kind: 'table', type: t.type });
  for (const mem of m.mems) spaces.memory.push({ kind: 'memory', type: mem.type });
  for (const g of m.globals) spaces.global.push({ kind: 'global', type: g.type });
  for (const t of m.tags ?? []) spaces.tag.push({ kind: 'tag', type: t.type });
  const exports: ExportInfo[] = m.exports.map((e) => {
    const desc = spaces[e.kind][e.index];
    return { name: e.name, kind: e.kind, index: e.index, type: desc === undefined ? '(unknown)' : describeDesc(m, desc) };
  });

  const sections = readSections(bytes);
  const customSections: CustomInfo[] = m.customs.map((c) => {
    const offset = c.span.bytes?.offset ?? 0;
    const size = sections.find((s) => s.offset === offset)?.size ?? c.bytes.length;
    const base = { name: c.name, offset, size };
    if (c.name === 'producers') {
      const producers = readProducers(c.bytes);
      return producers === undefined ? base : { ...base, producers };
    }
    if (c.name === 'target_features') {
      const targetFeatures = readTargetFeatures(c.bytes);
      return targetFeatures === undefined ? base : { ...base, targetFeatures };
    }
    if (c.name === 'name' && m.names !== undefined) {
      let locals = 0;
      for (const map of m.names.locals.values()) locals += map.size;
      const names = { functions: m.names.functions.size, locals };
      return { ...base, names: m.names.module === undefined ? names : { module: m.names.module, ...names } };
    }
    return base;
  });

  return {
    file,
    size: bytes.length,
    version: bytes.length >= 8 ? new DataView(bytes.buffer, bytes.byteOffset, 8).getUint32(4, true) : 0,
    sections,
    counts: {
      types: m.types.length,
      imports: m.imports.length,
      functions: m.funcs.length,
      tables: m.tables.length,
      memories: m.mems.length,
      globals: m.globals.length,
      exports: m.exports.length,
      elems: m.elems.length,
      datas: m.datas.length,
    },
    imported,
    start: m.start ?? null,
    imports,
    exports,
    customSections,
    features: detectFeatures(m),
  };
}

const hex = (n: number, width = 6) => `0x${n.toString(16).padStart(width, '0')}`;

/** The report as text for a terminal. */
export function formatReport(r: Report): string {
  const out: string[] = [];
  out.push(`${r.file}: ${r.size} bytes, WebAssembly binary format version ${r.version}`);

  out.push('', `Sections (${r.sections.length}):`);
  out.push(`  id  ${'name'.padEnd(10)}  ${'offset'.padEnd(8)}  ${'size'.padStart(8)}  count or name`);
  for (const s of r.sections) {
    const what =
      s.customName !== undefined ? JSON.stringify(s.customName) : s.count === undefined ? '' : s.id === 8 ? `func ${s.count}` : String(s.count);
    out.push(`  ${String(s.id).padStart(2)}  ${s.name.padEnd(10)}  ${hex(s.offset)}  ${String(s.size).padStart(8)}  ${what}`);
  }

  const c = r.counts;
  const i = r.imported;
  out.push('', 'Counts:');
  out.push(`  types      ${c.types}`);
  out.push(`  imports    ${c.imports} (${i.func} functions, ${i.table} tables, ${i.memory} memories, ${i.global} globals)`);
  out.push(`  functions  ${c.functions} defined, ${c.functions + i.func} in all`);
  out.push(`  tables     ${c.tables} defined, ${c.tables + i.table} in all`);
  out.push(`  memories   ${c.memories} defined, ${c.memories + i.memory} in all`);
  out.push(`  globals    ${c.globals} defined, ${c.globals + i.global} in all`);
  out.push(`  exports    ${c.exports}`);
  out.push(`  elems      ${c.elems}`);
  out.push(`  datas      ${c.datas}`);
  out.push(`  start      ${r.start === null ? 'none' : `func ${r.start}`}`);

  if (r.imports.length > 0) {
    out.push('', `Imports (${r.imports.length}):`);
    for (const imp of r.imports) {
      out.push(`  ${imp.kind.padEnd(6)} ${JSON.stringify(imp.module)} ${JSON.stringify(imp.name)}  ${imp.kind} ${imp.index}: ${imp.type}`);
    }
  }
  if (r.exports.length > 0) {
    out.push('', `Exports (${r.exports.length}):`);
    for (const e of r.exports) out.push(`  ${e.kind.padEnd(6)} ${JSON.stringify(e.name)}  ${e.kind} ${e.index}: ${e.type}`);
  }

  out.push('', `Custom sections (${r.customSections.length}):`);
  if (r.customSections.length === 0) out.push('  none');
  for (const s of r.customSections) {
    out.push(`  ${JSON.stringify(s.name)} at ${hex(s.offset)}, ${s.size} bytes`);
    for (const f of s.producers ?? []) {
      out.push(`    ${f.name}: ${f.values.map((v) => (v.version ? `${v.name} ${v.version}` : v.name)).join(', ')}`);
    }
    if (s.targetFeatures !== undefined) out.push(`    ${s.targetFeatures.join(', ')}`);
    if (s.names !== undefined) {
      const n = s.names;
      out.push(`    ${n.module === undefined ? '' : `module ${JSON.stringify(n.module)}, `}${n.functions} function names, ${n.locals} local names`);
    }
  }

  out.push('', 'Features beyond WebAssembly 1.0:');
  if (r.features.length === 0) out.push('  none (a WebAssembly 1.0 module)');
  for (const f of r.features) {
    const at = f.offset === undefined ? '' : ` @${hex(f.offset)}`;
    out.push(`  ${f.name} (${f.id}): ${f.count} use${f.count === 1 ? '' : 's'}, first ${f.first}${at}`);
  }
  return out.join('\n') + '\n';
}
