// Display names of a module's functions, locals, globals, tables and memories: the text
// format's identifiers ($name) when the module was parsed from text, else the `name`
// custom section (https://webassembly.github.io/spec/core/appendix/custom.html#name-section),
// else an export name in quotes, else null (views then show the index).
// Also the label identifiers of blocks, which the AST does not keep: they are read back
// from the source text at the block's span when the session was given the source.

import type { Module, Span } from '../syntax/index.ts';

export class Names {
  readonly module: Module;
  readonly source: string | undefined;
  private readonly exported = new Map<string, string>();
  private readonly importedFuncs: number;
  private readonly importedGlobals: number;
  private readonly importedTables: number;
  private readonly importedMems: number;

  constructor(module: Module, source?: string) {
    this.module = module;
    this.source = source;
    for (const e of module.exports) {
      const key = `${e.kind}:${e.index}`;
      if (!this.exported.has(key)) this.exported.set(key, `"${e.name}"`);
    }
    const count = (kind: string): number => module.imports.filter((i) => i.desc.kind === kind).length;
    this.importedFuncs = count('func');
    this.importedGlobals = count('global');
    this.importedTables = count('table');
    this.importedMems = count('memory');
  }

  private imported(kind: string, index: number): string | null {
    let k = 0;
    for (const imp of this.module.imports) {
      if (imp.desc.kind !== kind) continue;
      if (k++ === index) return imp.id ?? `${imp.module}.${imp.name}`;
    }
    return null;
  }

  func(index: number): string | null {
    if (index < this.importedFuncs) return this.imported('func', index);
    const f = this.module.funcs[index - this.importedFuncs];
    if (f?.id !== undefined) return f.id;
    const n = this.module.names?.functions.get(index);
    if (n !== undefined) return `$${n}`;
    return this.exported.get(`func:${index}`) ?? null;
  }

  /** Local `i` of function `funcIndex` (parameters first). */
  local(funcIndex: number, i: number): string | null {
    const f = this.module.funcs[funcIndex - this.importedFuncs];
    const id = f?.localIds?.[i];
    if (id !== undefined) return id;
    const n = this.module.names?.locals.get(funcIndex)?.get(i);
    return n === undefined ? null : `$${n}`;
  }

  global(index: number): string | null {
    if (index < this.importedGlobals) return this.imported('global', index);
    return this.module.globals[index - this.importedGlobals]?.id ?? this.exported.get(`global:${index}`) ?? null;
  }

  table(index: number): string | null {
    if (index < this.importedTables) return this.imported('table', index);
    return this.module.tables[index - this.importedTables]?.id ?? this.exported.get(`table:${index}`) ?? null;
  }

  memory(index: number): string | null {
    if (index < this.importedMems) return this.imported('memory', index);
    return this.module.mems[index - this.importedMems]?.id ?? this.exported.get(`memory:${index}`) ?? null;
  }

  /** The `$label` written after block/loop/if at this span, when the source is known. */
  label(span: Span | undefined): string | null {
    const t = span?.text;
    if (this.source === undefined || t === undefined) return null;
    const head = this.source.slice(t.start, Math.min(t.end, t.start + 200));
    const m = /^\(?\s*(?:block|loop|if)\s+(\$[^\s()";]+)/.exec(head);
    return m === null ? null : m[1]!;
  }
}

const cache = new WeakMap<Module, Map<string | undefined, Names>>();

/** The (cached) names of a module, with the source for label names when given. */
export function namesOf(module: Module, source?: string): Names {
  let bySource = cache.get(module);
  if (bySource === undefined) {
    bySource = new Map();
    cache.set(module, bySource);
  }
  let n = bySource.get(source);
  if (n === undefined) {
    n = new Names(module, source);
    bySource.set(source, n);
  }
  return n;
}
