// Random valid WebAssembly 2.0 text modules for the wat2wasm differential fuzzer
// (tests/fuzz/watgen.ts): every index space (types, functions, tables, memories, globals,
// elem and data segments, locals, labels) is referenced both by `$name` and by number,
// and every abbreviation of the text format appears
// (https://webassembly.github.io/spec/core/text/modules.html): inline imports and exports,
// `(memory (data …))`, `(table reftype (elem …))`, type uses with and without `(type x)`,
// implicit function types (function signatures, block types, call_indirect), folded and
// flat instructions, the elem and data segment forms. A module is planned first (each
// entity's index follows from the text order: imports, then definitions), then printed,
// so a reference knows the index it must resolve to. Function bodies come from
// wat-gen-body.ts, literals from wat-gen-literals.ts, instruction lists from wat-gen-ops.ts.
import type { Rng } from '../fuzz/rng.ts';
import { floatLiteral, intLiteral, stringLiteral } from './wat-gen-literals.ts';
import { Body } from './wat-gen-body.ts';

export type Num = 'i32' | 'i64' | 'f32' | 'f64';
export type Ref = 'funcref' | 'externref';
export type Val = Num | 'v128' | Ref;
const NUMS: readonly Num[] = ['i32', 'i64', 'f32', 'f64'];

export interface Sig {
  readonly params: readonly Val[];
  readonly results: readonly Val[];
}
export interface Entity {
  readonly name?: string;
  index: number;
}
export interface TypeE extends Entity {
  readonly sig: Sig;
}
export type Imported = false | 'field' | 'inline';
export interface FuncE extends Entity {
  readonly sig: Sig;
  readonly imported: Imported;
  /** `(type x)` only, `(type x)` with the matching inline signature, or the inline signature alone. */
  readonly use: 'type' | 'both' | 'inline';
  readonly type?: TypeE;
}
export interface TableE extends Entity {
  readonly elem: Ref;
  readonly imported: Imported;
  /** Functions of an inline `(elem …)`, when the table is written that way. */
  readonly inline?: FuncE[];
}
export interface MemE extends Entity {
  readonly imported: Imported;
  readonly inline?: string;
}
export interface GlobalE extends Entity {
  readonly type: Val;
  readonly mutable: boolean;
  readonly imported: Imported;
}
export interface SegE extends Entity {
  /** The table or memory that wrote it inline, if any. */
  readonly owner?: TableE | MemE;
  readonly mode: 'active' | 'passive' | 'declare';
  readonly ref?: Ref;
}
type Field =
  | { readonly k: 'type'; readonly e: TypeE }
  | { readonly k: 'func'; readonly e: FuncE }
  | { readonly k: 'table'; readonly e: TableE }
  | { readonly k: 'memory'; readonly e: MemE }
  | { readonly k: 'global'; readonly e: GlobalE }
  | { readonly k: 'elem'; readonly e: SegE }
  | { readonly k: 'data'; readonly e: SegE }
  | { readonly k: 'export' | 'start' };

/** A generated module: its text and what it uses (for the tallies). */
export interface GeneratedWat {
  readonly text: string;
}

export class Gen {
  readonly r: Rng;
  readonly types: TypeE[] = [];
  readonly funcs: FuncE[] = [];
  readonly tables: TableE[] = [];
  readonly mems: MemE[] = [];
  readonly globals: GlobalE[] = [];
  readonly elems: SegE[] = [];
  readonly datas: SegE[] = [];
  readonly fields: Field[] = [];
  exportNames = 0;
  names = 0;
  /** Functions that ref.func may name (declared by the declarative segment). */
  readonly declared: FuncE[] = [];

  constructor(r: Rng) {
    this.r = r;
  }

  name(prefix: string): string | undefined {
    if (!this.r.chance(0.6)) return undefined;
    // The same name in different index spaces is fine (each space has its own); identifier
    // characters beyond letters and digits exercise the lexer.
    if (this.r.chance(0.2)) return `$x${this.r.int(3)}_${prefix}${this.names++}`.replace('_', this.r.pick(['_', '.', '-', '/', ':', '!', "'", '<>', '@', '^']));
    return `$${prefix}${this.names++}`;
  }

  /** A reference to an entity: by name or by number. */
  ref(e: Entity): string {
    return e.name !== undefined && this.r.chance(0.6) ? e.name : String(e.index);
  }

  val(refs = true): Val {
    if (refs && this.r.chance(0.2)) return this.r.pick(['funcref', 'externref'] as const);
    return this.r.chance(0.08) ? 'v128' : this.r.pick(NUMS);
  }

  sig(): Sig {
    const params = Array.from({ length: this.r.int(4) }, () => this.val());
    const results = Array.from({ length: this.r.chance(0.15) ? 2 : this.r.int(2) }, () => this.val());
    return { params, results };
  }

  /** An import name: any valid UTF-8, duplicates allowed. */
  importName(): string {
    return this.r.chance(0.5) ? 'm' : stringLiteral(this.r, 4, true);
  }

  /** A unique export name, sometimes with escapes and non-ASCII characters around the counter. */
  exportName(): string {
    const n = this.exportNames++;
    // `#` and a counter after the random part keep names distinct whatever the escapes decode to.
    return this.r.chance(0.3) ? `${stringLiteral(this.r, 3, true).replaceAll('#', '')}#${n}` : `e${n}`;
  }

  // --- planning ---------------------------------------------------------------------------

  plan(): void {
    const r = this.r;
    for (let i = 0, n = 1 + r.int(4); i < n; i++) this.types.push({ name: this.name('t'), index: i, sig: this.sig() });
    const imports: Field[] = [];
    const defs: Field[] = [];
    const imported = (): Imported => r.pick(['field', 'inline'] as const);
    for (let i = 0, n = r.int(3); i < n; i++) imports.push({ k: 'func', e: this.newFunc(imported()) });
    for (let i = 0, n = r.int(2); i < n; i++) imports.push({ k: 'table', e: { name: this.name('tab'), index: 0, elem: r.pick(['funcref', 'externref'] as const), imported: imported() } });
    const memImported = r.chance(0.3);
    if (memImported) imports.push({ k: 'memory', e: { name: this.name('mem'), index: 0, imported: imported() } });
    for (let i = 0, n = r.int(4); i < n; i++) imports.push({ k: 'global', e: { name: this.name('g'), index: 0, type: this.val(), mutable: r.chance(0.2), imported: imported() } });
    for (let i = 0, n = 1 + r.int(4); i < n; i++) defs.push({ k: 'func', e: this.newFunc(false) });
    for (let i = 0, n = r.int(3); i < n; i++) {
      const elem = r.chance(0.8) ? 'funcref' : 'externref';
      defs.push({ k: 'table', e: { name: this.name('tab'), index: 0, elem, imported: false, ...(r.chance(0.4) ? { inline: [] } : {}) } });
    }
    if (!memImported && r.chance(0.8)) defs.push({ k: 'memory', e: { name: this.name('mem'), index: 0, imported: false, ...(r.chance(0.4) ? { inline: this.bytes() } : {}) } });
    for (let i = 0, n = r.int(4); i < n; i++) defs.push({ k: 'global', e: { name: this.name('g'), index: 0, type: this.val(), mutable: r.chance(0.5), imported: false } });
    for (let i = 0, n = r.int(4); i < n; i++) defs.push({ k: 'elem', e: { name: this.name('el'), index: 0, mode: r.pick(['active', 'passive', 'passive', 'declare'] as const), ref: r.chance(0.8) ? 'funcref' : 'externref' } });
    defs.push({ k: 'elem', e: { index: 0, mode: 'declare', ref: 'funcref' } }); // ref.func's declarations
    for (let i = 0, n = r.int(4); i < n; i++) defs.push({ k: 'data', e: { name: this.name('d'), index: 0, mode: r.chance(0.5) ? 'active' : 'passive' } });
    for (let i = 0, n = r.int(3); i < n; i++) defs.push({ k: 'export' });
    if (r.chance(0.3)) defs.push({ k: 'start' });
    shuffle(r, imports);
    shuffle(r, defs);
    // Explicit types go anywhere: before, between and after the other fields.
    const all = [...imports, ...defs];
    for (const t of this.types) all.splice(r.int(all.length + 1), 0, { k: 'type', e: t });
    this.fields.push(...all);
    this.index();
  }

  newFunc(imported: Imported): FuncE {
    const r = this.r;
    const use = r.pick(['type', 'both', 'inline', 'inline'] as const);
    if (use === 'inline') return { name: this.name('f'), index: 0, sig: this.sig(), imported, use };
    const type = r.pick(this.types);
    return { name: this.name('f'), index: 0, sig: type.sig, imported, use, type };
  }

  /** Indices in text order: imports precede definitions already, segments count inline ones. */
  index(): void {
    const count = { func: 0, table: 0, memory: 0, global: 0 };
    let types = 0;
    for (const f of this.fields) {
      if (f.k === 'type') f.e.index = types++;
      else if (f.k === 'func' || f.k === 'table' || f.k === 'memory' || f.k === 'global') {
        f.e.index = count[f.k]++;
        if (f.k === 'func') this.funcs.push(f.e);
        if (f.k === 'table') {
          this.tables.push(f.e);
          if (f.e.inline) this.elems.push({ index: this.elems.length, owner: f.e, mode: 'active', ref: f.e.elem });
        }
        if (f.k === 'memory') {
          this.mems.push(f.e);
          if (f.e.inline !== undefined) this.datas.push({ index: this.datas.length, owner: f.e, mode: 'active' });
        }
        if (f.k === 'global') this.globals.push(f.e);
      } else if (f.k === 'elem') {
        f.e.index = this.elems.length;
        this.elems.push(f.e);
      } else if (f.k === 'data') {
        f.e.index = this.datas.length;
        this.datas.push(f.e);
      }
    }
    // Functions that ref.func may name: those in the declarative segment (all of them).
    this.declared.push(...this.funcs);
    for (const t of this.tables) if (t.inline) for (let i = 0, n = this.r.int(3); i < n; i++) t.inline.push(this.r.pick(this.funcs));
  }

  bytes(): string {
    const s = stringLiteral(this.r);
    return this.r.chance(0.3) ? `"${s}" "${stringLiteral(this.r)}"` : `"${s}"`;
  }

  // --- printing fields ----------------------------------------------------------------------

  print(): string {
    const out = this.fields.map((f) => '  ' + this.field(f));
    return `(module\n${out.join('\n')}\n)\n`;
  }

  id(e: Entity): string {
    return e.name !== undefined ? ` ${e.name}` : '';
  }

  inlineExports(): string {
    let s = '';
    for (let i = 0, n = this.r.chance(0.3) ? 1 + this.r.int(2) : 0; i < n; i++) s += ` (export "${this.exportName()}")`;
    return s;
  }

  sigText(sig: Sig, names = false): string {
    let s = '';
    if (sig.params.length > 0) {
      if (names && this.r.chance(0.5)) s += sig.params.map((t, i) => ` (param $p${i} ${t})`).join('');
      else if (this.r.chance(0.5)) s += ` (param ${sig.params.join(' ')})`;
      else s += sig.params.map((t) => ` (param ${t})`).join('');
    }
    if (sig.results.length > 0) s += ` (result ${sig.results.join(' ')})`;
    return s;
  }

  typeUse(f: FuncE, names: boolean): string {
    if (f.use === 'inline') return this.sigText(f.sig, names);
    const t = ` (type ${this.ref(f.type!)})`;
    return f.use === 'both' ? t + this.sigText(f.sig, names) : t;
  }

  field(f: Field): string {
    const r = this.r;
    switch (f.k) {
      case 'type':
        return `(type${this.id(f.e)} (func${this.sigText(f.e.sig, true)}))`;
      case 'func':
        return this.func(f.e);
      case 'table': {
        const t = f.e;
        if (t.imported === 'field') return `(import "m" "tab${t.index}" (table${this.id(t)} ${this.limits()} ${t.elem}))`;
        if (t.imported === 'inline') return `(table${this.id(t)}${this.inlineExports()} (import "m" "tab${t.index}") ${this.limits()} ${t.elem})`;
        if (t.inline && t.elem === 'externref') return `(table${this.id(t)}${this.inlineExports()} externref (elem${t.inline.map(() => r.pick([' (ref.null extern)', ' (item ref.null extern)'])).join('')}))`;
        if (t.inline) return `(table${this.id(t)}${this.inlineExports()} funcref (elem${this.elemItems(t.inline, r.chance(0.5))}))`;
        return `(table${this.id(t)}${this.inlineExports()} ${this.limits()} ${t.elem})`;
      }
      case 'memory': {
        const m = f.e;
        if (m.imported === 'field') return `(import "${this.importName()}" "mem" (memory${this.id(m)} ${this.limits(0, true)}))`;
        if (m.imported === 'inline') return `(memory${this.id(m)}${this.inlineExports()} (import "m" "${this.importName()}") ${this.limits(0, true)})`;
        if (m.inline !== undefined) return `(memory${this.id(m)}${this.inlineExports()} (data ${m.inline}))`;
        return `(memory${this.id(m)}${this.inlineExports()} ${this.limits(1, true)})`;
      }
      case 'global': {
        const g = f.e;
        const type = g.mutable ? `(mut ${g.type})` : g.type;
        if (g.imported === 'field') return `(import "${this.importName()}" "g${g.index}" (global${this.id(g)} ${type}))`;
        if (g.imported === 'inline') return `(global${this.id(g)}${this.inlineExports()} (import "m" "g${g.index}") ${type})`;
        return `(global${this.id(g)}${this.inlineExports()} ${type} ${this.constExpr(g.type)})`;
      }
      case 'elem':
        return this.elem(f.e);
      case 'data':
        return this.data(f.e);
      case 'export': {
        const kinds = (['func', 'table', 'memory', 'global'] as const).filter((k) => this.space(k).length > 0);
        const k = r.pick(kinds);
        return `(export "${this.exportName()}" (${k} ${this.ref(r.pick(this.space(k)))}))`;
      }
      case 'start': {
        const f0 = this.funcs.filter((x) => x.sig.params.length === 0 && x.sig.results.length === 0);
        return f0.length > 0 ? `(start ${this.ref(r.pick(f0))})` : '';
      }
    }
  }

  space(k: 'func' | 'table' | 'memory' | 'global'): Entity[] {
    return k === 'func' ? this.funcs : k === 'table' ? this.tables : k === 'memory' ? this.mems : this.globals;
  }

  /** Table limits (any u32) or memory limits (pages, at most 65536). */
  limits(min = 0, memory = false): string {
    const r = this.r;
    const lo = min + r.int(3);
    if (r.chance(0.1)) return memory ? `${lo} 65536` : `${lo} ${r.pick(['4294967295', '0xffff_ffff', '100000'])}`;
    return r.chance(0.5) ? `${lo} ${lo + r.int(3)}` : String(lo);
  }

  /** A constant expression of type t (imported immutable globals may be read). */
  constExpr(t: Val): string {
    const r = this.r;
    const gs = this.globals.filter((g) => g.imported !== false && !g.mutable && g.type === t);
    if (gs.length > 0 && r.chance(0.4)) return `(global.get ${this.ref(r.pick(gs))})`;
    if (t === 'funcref') return r.chance(0.5) ? '(ref.null func)' : `(ref.func ${this.ref(r.pick(this.declared))})`;
    if (t === 'externref') return '(ref.null extern)';
    return `(${t}.const ${this.constant(t)})`;
  }

  constant(t: Num | 'v128'): string {
    const r = this.r;
    if (t === 'v128') {
      const shape = r.pick(['i8x16', 'i16x8', 'i32x4', 'i64x2', 'f32x4', 'f64x2'] as const);
      const lanes = Number(shape.split('x')[1]);
      const lane =
        shape === 'f32x4' ? (): string => floatLiteral(r, 32)
        : shape === 'f64x2' ? (): string => floatLiteral(r, 64)
        : shape === 'i64x2' ? (): string => intLiteral(r, 64)
        : shape === 'i32x4' ? (): string => intLiteral(r, 32)
        : (): string => r.pick(['0', '1', '-1', '0x7f', '-128', '255', '0xff', String(r.int(100)), shape === 'i16x8' ? '-32768' : '-0x80', shape === 'i16x8' ? '0xffff' : '0x8_0']);
      return `${shape}${Array.from({ length: lanes }, () => ' ' + lane()).join('')}`;
    }
    if (t === 'i32' || t === 'i64') return intLiteral(r, t === 'i32' ? 32 : 64);
    return floatLiteral(r, t === 'f32' ? 32 : 64);
  }

  /** Function items of an elem list: bare indices, or `ref.func` expressions. */
  elemItems(fs: readonly FuncE[], exprs: boolean): string {
    if (!exprs) return fs.map((f) => ' ' + this.ref(f)).join('');
    return fs.map((f) => ' ' + this.r.pick([`(ref.func ${this.ref(f)})`, `(item ref.func ${this.ref(f)})`, `(item (ref.func ${this.ref(f)}))`])).join('');
  }

  elem(e: SegE): string {
    const r = this.r;
    // The unnamed declarative segment declares every function for ref.func.
    const fs = e.mode === 'declare' && e.name === undefined ? this.declared : Array.from({ length: r.int(4) }, () => r.pick(this.funcs));
    let list: string;
    const ref = e.ref ?? 'funcref';
    if (ref === 'externref') list = ' externref' + fs.map(() => (r.chance(0.5) ? ' (ref.null extern)' : ' (item (ref.null extern))')).join('');
    else {
      const form = r.int(3);
      if (form === 0) list = ' func' + this.elemItems(fs, false);
      else list = ' funcref' + this.elemItems(fs, true) + (form === 2 ? ' (ref.null func)' : '');
    }
    if (e.mode === 'declare') return `(elem${this.id(e)} declare${list})`;
    if (e.mode === 'passive') return `(elem${this.id(e)}${list})`;
    const tables = this.tables.filter((t) => t.elem === ref);
    if (tables.length === 0) return `(elem${this.id(e)}${list})`; // no table of its type: passive after all
    const t = r.pick(tables);
    const off = this.offset();
    // Table 0 of funcref with a bare index list: the MVP abbreviation `(elem offset funcidx*)`.
    if (t.index === 0 && !list.startsWith(' funcref') && !list.startsWith(' externref') && r.chance(0.5)) return `(elem${this.id(e)} ${off}${list.slice(' func'.length)})`;
    const table = t.index === 0 && r.chance(0.3) ? '' : ` (table ${this.ref(t)})`;
    return `(elem${this.id(e)}${table} ${off}${list})`;
  }

  offset(): string {
    const e = this.constExpr('i32');
    return this.r.chance(0.5) ? `(offset ${e})` : e;
  }

  data(d: SegE): string {
    if (d.mode === 'passive' || this.mems.length === 0) return `(data${this.id(d)} ${this.bytes()})`;
    const m = this.mems[0]!;
    const form = this.r.int(3);
    // A bare `$name` right after `data` would be the segment's own id: unnamed segments
    // name their memory by number in that form.
    const mem = form === 0 ? '' : form === 1 ? ` (memory ${this.ref(m)})` : ` ${d.name === undefined ? String(m.index) : this.ref(m)}`;
    return `(data${this.id(d)}${mem} ${this.offset()} ${this.bytes()})`;
  }

  // --- functions ----------------------------------------------------------------------------

  func(f: FuncE): string {
    if (f.imported === 'field') return `(import "m" "f${f.index}" (func${this.id(f)}${this.typeUse(f, false)}))`;
    if (f.imported === 'inline') return `(func${this.id(f)}${this.inlineExports()} (import "${this.importName()}" "f${f.index}")${this.typeUse(f, false)})`;
    const head = `(func${this.id(f)}${this.inlineExports()}${this.typeUse(f, true)}`;
    // Parameter names, if the signature printed them, are $p0…; reference them by number
    // or by that name only when printed — simplest: read the printed head.
    const paramNames = f.sig.params.map((_, i) => (head.includes(` (param $p${i} `) ? `$p${i}` : undefined));
    const locals: { name?: string; type: Val }[] = f.sig.params.map((type, i) => ({ type, ...(paramNames[i] ? { name: paramNames[i] } : {}) }));
    let decl = '';
    for (let i = 0, n = this.r.int(4); i < n; i++) {
      if (this.r.chance(0.5)) {
        const name = `$l${locals.length}`;
        const type = this.val();
        locals.push({ name, type });
        decl += ` (local ${name} ${type})`;
      } else {
        const types = Array.from({ length: this.r.int(3) }, () => this.val());
        for (const type of types) locals.push({ type });
        decl += ` (local${types.map((t) => ' ' + t).join('')})`;
      }
    }
    const body = new Body(this, locals, f.sig.results).print();
    return `${head}${decl}${body})`;
  }
}

function shuffle<T>(r: Rng, a: T[]): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
}

/** One random module. */
export function generateWat(r: Rng): GeneratedWat {
  const g = new Gen(r);
  g.plan();
  return { text: g.print() };
}
