// `wasmstep inspect`: what is in a .wasm file, as a report for people or as JSON.
// Everything comes from the engine's outline (engine/binary/outline.ts), which decodes the
// module without building its instructions: section boundaries and entry counts
// (https://webassembly.github.io/spec/core/binary/modules.html#sections), imports, exports,
// the index spaces, custom sections with the tool-conventions `producers` and
// `target_features` parsed (https://github.com/WebAssembly/tool-conventions), and the
// features the function bodies use, found by a scan of their bytes. As the bodies are
// scanned, not decoded, a body malformed in a way the scan does not notice is reported on
// rather than rejected; `wasmstep validate` decodes and checks everything.

import {
  decodeOutline,
  type FeatureUse,
  type FuncType,
  type ImportDesc,
  type Limits,
  type ModuleOutline,
  type ProducerField,
} from '../engine/index.ts';

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

export interface CustomInfo {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
  readonly producers?: readonly ProducerField[];
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
  readonly features: readonly FeatureUse[];
}

function limits(l: Limits): string {
  return l.max === undefined ? `${l.min}` : `${l.min} ${l.max}`;
}

/** A function type in text-format style: `(param i32) (result i32)`, or `(func)` for [] → []. */
function signature(type: FuncType | undefined): string {
  if (type === undefined) return '(unknown type)';
  const parts: string[] = [];
  if (type.params.length > 0) parts.push(`(param ${type.params.join(' ')})`);
  if (type.results.length > 0) parts.push(`(result ${type.results.join(' ')})`);
  return parts.length === 0 ? '(func)' : parts.join(' ');
}

function describeDesc(o: ModuleOutline, desc: ImportDesc): string {
  switch (desc.kind) {
    case 'func': return `(type ${desc.type}) ${signature(o.types[desc.type]?.type)}`;
    case 'table': return `${limits(desc.type.limits)} ${desc.type.elem}`;
    case 'memory': return limits(desc.type.limits);
    case 'global': return desc.type.mutable ? `(mut ${desc.type.type})` : desc.type.type;
    case 'tag': return `(tag (type ${desc.type}) ${signature(o.types[desc.type]?.type)})`;
  }
}

/** Builds the report for a module's bytes. Throws DecodeError when they do not decode. */
export function inspectModule(file: string, bytes: Uint8Array): Report {
  const o = decodeOutline(bytes);
  // The module without its function bodies: tables, memories, globals, tags, segments, start.
  const m = o.shell;
  const imported = { func: 0, table: 0, memory: 0, global: 0, tag: 0 };
  // Every index space starts with its imports, so the type of an export is looked up there first.
  const spaces: Record<ImportDesc['kind'], ImportDesc[]> = { func: [], table: [], memory: [], global: [], tag: [] };
  const imports: ImportInfo[] = o.imports.map((imp) => {
    const kind = imp.desc.kind;
    spaces[kind].push(imp.desc);
    return { module: imp.module, name: imp.name, kind, index: imported[kind]++, type: describeDesc(o, imp.desc) };
  });
  for (const f of o.functions) if (f.body !== undefined) spaces.func.push({ kind: 'func', type: f.typeIndex });
  for (const t of m.tables) spaces.table.push({ kind: 'table', type: t.type });
  for (const mem of m.mems) spaces.memory.push({ kind: 'memory', type: mem.type });
  for (const g of m.globals) spaces.global.push({ kind: 'global', type: g.type });
  for (const t of m.tags ?? []) spaces.tag.push({ kind: 'tag', type: t.type });
  const exports: ExportInfo[] = o.exports.map((e) => {
    const desc = spaces[e.kind][e.index];
    return { name: e.name, kind: e.kind, index: e.index, type: desc === undefined ? '(unknown)' : describeDesc(o, desc) };
  });

  // The report names custom sections 'custom', with their own name beside.
  const sections: SectionInfo[] = o.sections.map((s) => {
    const at = { id: s.id, name: s.id === 0 ? 'custom' : s.name, offset: s.offset, size: s.size, contentOffset: s.contentOffset };
    return s.id === 0 ? { ...at, customName: s.name } : s.count === undefined ? at : { ...at, count: s.count };
  });
  const customSections: CustomInfo[] = o.customs.map((c) => {
    // The whole section's content, its name included (the outline's size leaves the name out).
    const size = o.sections.find((s) => s.offset === c.offset)?.size ?? c.size;
    const base = { name: c.name, offset: c.offset, size };
    if (c.producers !== undefined) return { ...base, producers: c.producers };
    if (c.targetFeatures !== undefined) return { ...base, targetFeatures: c.targetFeatures.map((f) => f.prefix + f.name) };
    if (c.name === 'name' && o.names !== undefined) {
      let locals = 0;
      for (const map of o.names.locals.values()) locals += map.size;
      const names = { functions: o.names.functions.size, locals };
      return { ...base, names: o.names.module === undefined ? names : { module: o.names.module, ...names } };
    }
    return base;
  });

  return {
    file,
    size: o.byteLength,
    version: o.version,
    sections,
    counts: {
      types: o.types.length,
      imports: o.imports.length,
      functions: o.functions.length - imported.func,
      tables: m.tables.length,
      memories: m.mems.length,
      globals: m.globals.length,
      exports: o.exports.length,
      elems: m.elems.length,
      datas: m.datas.length,
    },
    imported,
    start: m.start ?? null,
    imports,
    exports,
    customSections,
    features: o.features,
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
