// What the Module explorer shows about a module, made from the engine's outline
// (engine/binary/outline.ts) inside the worker and posted to the page: plain data only
// (structured-clone-able), and compact — a toolchain module can have 100k functions, so
// those travel as parallel typed arrays rather than one object each. Every string in it
// comes from the module and is shown as text, never as markup.

import type { FuncType, Import, Limits, Module, ModuleOutline } from '../../../engine/index.ts';

export interface SectionRow {
  /** Section id (0 for custom sections). */
  readonly id: number;
  /** 'code', 'data', … or a custom section's own name. */
  readonly name: string;
  readonly offset: number;
  /** Whole section: id byte, size and content. */
  readonly size: number;
}

export interface ImportRow {
  readonly module: string;
  readonly name: string;
  readonly kind: string;
  /** Its type in words: "(i32, i32) → i32", "1 page", … */
  readonly type: string;
}

export interface ExportRow {
  readonly name: string;
  readonly kind: string;
  readonly index: number;
  readonly type: string;
}

export interface CustomRow {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
  readonly producers?: readonly { readonly name: string; readonly values: readonly { readonly name: string; readonly version: string }[] }[];
  readonly targetFeatures?: readonly { readonly prefix: string; readonly name: string }[];
  /** The first bytes of its content, for a safe hex and text preview. */
  readonly preview: Uint8Array;
}

export interface FeatureRow {
  readonly id: string;
  readonly name: string;
  readonly count: number;
  readonly first: string;
}

/** Every function, by function index (imports first), as parallel arrays. */
export interface FunctionTable {
  readonly count: number;
  readonly imported: number;
  /** Name from the name section, '' when none. */
  readonly names: readonly string[];
  /** Body size in bytes (size field included); 0 for imports. */
  readonly sizes: Uint32Array;
  /** Offset of the body entry; 0 for imports. */
  readonly offsets: Uint32Array;
  /** Index into `signatures`, -1 when the type is not a function type. */
  readonly types: Int32Array;
  /** Export names, joined by ', ', for the functions that have any. */
  readonly exports: ReadonlyMap<number, string>;
}

export interface ExplorerSummary {
  readonly fileName: string;
  readonly byteLength: number;
  readonly sections: readonly SectionRow[];
  /** Each type's signature in words, by type index. */
  readonly signatures: readonly string[];
  readonly imports: readonly ImportRow[];
  readonly exports: readonly ExportRow[];
  readonly functions: FunctionTable;
  readonly customs: readonly CustomRow[];
  readonly features: readonly FeatureRow[];
  /** Counts of the other definitions (memories, tables, globals, tags, segments, types), those not zero. */
  readonly counts: readonly { readonly what: string; readonly count: number }[];
  readonly moduleName?: string;
}

/** How many bytes of a custom section's content the preview shows. */
export const PREVIEW_BYTES = 256;

export function sizeText(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} byte${n === 1 ? '' : 's'}`;
}

export function percentText(part: number, whole: number): string {
  if (whole <= 0) return '0%';
  const p = (100 * part) / whole;
  return p >= 10 ? `${p.toFixed(0)}%` : p >= 0.1 ? `${p.toFixed(1)}%` : p > 0 ? '<0.1%' : '0%';
}

export function signatureText(t: FuncType | undefined): string {
  if (t === undefined) return '(not a function type)';
  const params = `(${t.params.join(', ')})`;
  return t.results.length === 0 ? params : `${params} → ${t.results.join(', ')}`;
}

function limitsText(l: Limits, unit: string): string {
  const min = l.min64 ?? BigInt(l.min);
  const max = l.max64 ?? (l.max === undefined ? undefined : BigInt(l.max));
  const plural = (n: bigint) => `${n} ${unit}${n === 1n ? '' : 's'}`;
  return `${plural(min)}${max === undefined ? '' : `, max ${max}`}${l.index64 === true ? ', 64-bit' : ''}`;
}

function importType(m: Module, imp: Import): string {
  const d = imp.desc;
  switch (d.kind) {
    case 'func':
    case 'tag':
      return signatureText(m.types[d.type]?.type);
    case 'memory':
      return limitsText(d.type.limits, 'page');
    case 'table':
      return `${d.type.elem}, ${limitsText(d.type.limits, 'element')}`;
    case 'global':
      return d.type.mutable ? `mut ${d.type.type}` : d.type.type;
  }
}

/** The type of what an export points at, in words. */
function exportType(m: Module, kind: string, index: number, funcType: (i: number) => string): string {
  const imported = (k: string) => m.imports.filter((i) => i.desc.kind === k);
  switch (kind) {
    case 'func':
      return funcType(index);
    case 'memory': {
      const imps = imported('memory');
      const imp = imps[index];
      if (imp !== undefined) return importType(m, imp);
      const mem = m.mems[index - imps.length];
      return mem === undefined ? '' : limitsText(mem.type.limits, 'page');
    }
    case 'table': {
      const imps = imported('table');
      const imp = imps[index];
      if (imp !== undefined) return importType(m, imp);
      const t = m.tables[index - imps.length];
      return t === undefined ? '' : `${t.type.elem}, ${limitsText(t.type.limits, 'element')}`;
    }
    case 'global': {
      const imps = imported('global');
      const imp = imps[index];
      if (imp !== undefined) return importType(m, imp);
      const g = m.globals[index - imps.length];
      return g === undefined ? '' : g.type.mutable ? `mut ${g.type.type}` : g.type.type;
    }
    default:
      return '';
  }
}

/** The summary of an outline, for posting to the page. */
export function summarize(outline: ModuleOutline, fileName: string): ExplorerSummary {
  const m = outline.shell;
  const sections: SectionRow[] = outline.sections.map((s) => ({
    id: s.id,
    name: s.name,
    offset: s.offset,
    size: s.contentOffset + s.size - s.offset,
  }));
  const signatures = outline.types.map((t) => (t.comp === undefined ? signatureText(t.type) : `(${t.comp.kind} type)`));

  const n = outline.functions.length;
  const names: string[] = new Array<string>(n);
  const sizes = new Uint32Array(n);
  const offsets = new Uint32Array(n);
  const types = new Int32Array(n);
  const exports = new Map<number, string>();
  let imported = 0;
  for (let i = 0; i < n; i++) {
    const f = outline.functions[i]!;
    names[i] = f.name ?? '';
    types[i] = f.type === undefined ? -1 : f.typeIndex;
    if (f.body !== undefined) {
      sizes[i] = f.body.size;
      offsets[i] = f.body.offset;
    } else {
      imported++;
    }
    if (f.exports.length > 0) exports.set(i, f.exports.join(', '));
  }
  const funcType = (i: number) => {
    const t = types[i];
    return t === undefined || t < 0 ? '' : (signatures[t] ?? '');
  };

  const customs: CustomRow[] = outline.customs.map((c, i) => {
    const content = m.customs[i]?.bytes ?? new Uint8Array(0);
    return {
      name: c.name,
      offset: c.offset,
      size: c.size,
      ...(c.producers === undefined ? {} : { producers: c.producers }),
      ...(c.targetFeatures === undefined ? {} : { targetFeatures: c.targetFeatures }),
      // A copy, so the page never holds on to (or is sent) the whole section.
      preview: content.slice(0, PREVIEW_BYTES),
    };
  });

  const importsOf = (k: string) => m.imports.filter((i) => i.desc.kind === k).length;
  const counts = [
    ['memory', 'memories', importsOf('memory') + m.mems.length],
    ['table', 'tables', importsOf('table') + m.tables.length],
    ['global', 'globals', importsOf('global') + m.globals.length],
    ['tag', 'tags', importsOf('tag') + (m.tags?.length ?? 0)],
    ['data segment', 'data segments', m.datas.length],
    ['element segment', 'element segments', m.elems.length],
    ['type', 'types', outline.types.length],
  ] as const;

  return {
    fileName,
    byteLength: outline.byteLength,
    sections,
    signatures,
    imports: m.imports.map((imp) => ({ module: imp.module, name: imp.name, kind: imp.desc.kind, type: importType(m, imp) })),
    exports: m.exports.map((e) => ({ name: e.name, kind: e.kind, index: e.index, type: exportType(m, e.kind, e.index, funcType) })),
    functions: { count: n, imported, names, sizes, offsets, types, exports },
    customs,
    features: outline.features.map((f) => ({ id: f.id, name: f.name, count: f.count, first: f.first })),
    counts: counts.filter(([, , n]) => n > 0).map(([one, many, n]) => ({ what: n === 1 ? one : many, count: n })),
    ...(outline.names?.module === undefined ? {} : { moduleName: outline.names.module }),
  };
}

/** Function indices sorted by body size, largest first (imports last), keeping only those whose name, export or index matches `filter`. */
export function sortedFunctions(f: FunctionTable, filter: string): Uint32Array {
  const q = filter.trim().toLowerCase();
  const picked: number[] = [];
  for (let i = 0; i < f.count; i++) {
    if (q === '' || matches(f, i, q)) picked.push(i);
  }
  const out = Uint32Array.from(picked);
  out.sort((a, b) => (f.sizes[b] as number) - (f.sizes[a] as number) || a - b);
  return out;
}

function matches(f: FunctionTable, i: number, q: string): boolean {
  if ((f.names[i] as string).toLowerCase().includes(q)) return true;
  const ex = f.exports.get(i);
  if (ex !== undefined && ex.toLowerCase().includes(q)) return true;
  return String(i) === q || `func ${i}` === q || `func[${i}]` === q;
}

/** A function's label: its name, else its first export, else `func[i]`. */
export function functionLabel(f: FunctionTable, i: number): string {
  const name = f.names[i];
  if (name) return name;
  const ex = f.exports.get(i);
  return ex === undefined ? `func[${i}]` : (ex.split(', ')[0] as string);
}

/** Bytes as two-digit hex, space-separated. */
export function hexBytes(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += (i > 0 ? ' ' : '') + (bytes[i] as number).toString(16).padStart(2, '0');
  return s;
}

/** Bytes as text for a preview: printable ASCII as is, everything else as '·'. */
export function printableText(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '·';
  return s;
}
