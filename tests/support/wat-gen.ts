// Random valid WebAssembly 2.0 text modules for the wat2wasm differential fuzzer
// (tests/fuzz/watgen.ts): every index space (types, functions, tables, memories, globals,
// elem and data segments, locals, labels) is referenced both by `$name` and by number,
// and every abbreviation of the text format appears
// (https://webassembly.github.io/spec/core/text/modules.html): inline imports and exports,
// `(memory (data …))`, `(table reftype (elem …))`, type uses with and without `(type x)`,
// implicit function types (function signatures, block types, call_indirect), folded and
// flat instructions, the elem and data segment forms. A module is planned first (each
// entity's index follows from the text order: imports, then definitions), then printed,
// so a reference knows the index it must resolve to.
import type { Rng } from '../fuzz/rng.ts';
import { floatLiteral, intLiteral, stringLiteral } from './wat-gen-literals.ts';
import { LOADS, OPS, STORES } from './wat-gen-ops.ts';

type Num = 'i32' | 'i64' | 'f32' | 'f64';
type Ref = 'funcref' | 'externref';
type Val = Num | 'v128' | Ref;
const NUMS: readonly Num[] = ['i32', 'i64', 'f32', 'f64'];

interface Sig {
  readonly params: readonly Val[];
  readonly results: readonly Val[];
}
interface Entity {
  readonly name?: string;
  index: number;
}
interface TypeE extends Entity {
  readonly sig: Sig;
}
type Imported = false | 'field' | 'inline';
interface FuncE extends Entity {
  readonly sig: Sig;
  readonly imported: Imported;
  /** `(type x)` only, `(type x)` with the matching inline signature, or the inline signature alone. */
  readonly use: 'type' | 'both' | 'inline';
  readonly type?: TypeE;
}
interface TableE extends Entity {
  readonly elem: Ref;
  readonly imported: Imported;
  /** Functions of an inline `(elem …)`, when the table is written that way. */
  readonly inline?: FuncE[];
}
interface MemE extends Entity {
  readonly imported: Imported;
  readonly inline?: string;
}
interface GlobalE extends Entity {
  readonly type: Val;
  readonly mutable: boolean;
  readonly imported: Imported;
}
interface SegE extends Entity {
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

class Gen {
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

/** A node of a function body: printed flat or folded. */
interface Node {
  /** The instruction and its immediates, e.g. `call $f` or `i32.load offset=4`. */
  readonly op: string;
  /** Operands (folded children); empty for instructions that take theirs from the stack. */
  readonly args: readonly Node[];
  readonly block?: { readonly kind: 'block' | 'loop' | 'if'; readonly label?: string; readonly type: string; readonly body: readonly Node[]; readonly else?: readonly Node[] };
}

const node = (op: string, ...args: Node[]): Node => ({ op, args });

/** Type-directed generation of one function body. */
class Body {
  readonly g: Gen;
  readonly r: Rng;
  readonly locals: readonly { name?: string; type: Val }[];
  readonly results: readonly Val[];
  /** Enclosing labels, innermost last: their name and the types a branch carries. */
  readonly labels: { name?: string; types: readonly Val[] }[] = [];
  budget = 40;

  constructor(g: Gen, locals: readonly { name?: string; type: Val }[], results: readonly Val[]) {
    this.g = g;
    this.r = g.r;
    this.locals = locals;
    this.results = results;
  }

  print(): string {
    const body = [...this.stmts(), ...this.results.map((t) => this.expr(t, 3))];
    return body.map((n) => ' ' + this.show(n, this.r.chance(0.5))).join('');
  }

  // --- printing ---

  show(n: Node, folded: boolean): string {
    if (n.block) return this.showBlock(n, folded);
    if (folded) return `(${n.op}${n.args.map((a) => ' ' + this.show(a, true)).join('')})`;
    return [...n.args.map((a) => this.show(a, this.r.chance(0.3))), n.op].join(' ');
  }

  seq(ns: readonly Node[]): string {
    return ns.map((x) => ' ' + this.show(x, this.r.chance(0.5))).join('');
  }

  showBlock(n: Node, folded: boolean): string {
    const b = n.block!;
    const label = b.label !== undefined ? ` ${b.label}` : '';
    if (folded) {
      if (b.kind !== 'if') return `(${b.kind}${label}${b.type}${this.seq(b.body)})`;
      const cond = n.args.map((a) => ' ' + this.show(a, true)).join('');
      const els = b.else !== undefined ? ` (else${this.seq(b.else)})` : '';
      return `(if${label}${b.type}${cond} (then${this.seq(b.body)})${els})`;
    }
    const end = b.label !== undefined && this.r.chance(0.5) ? ` end ${b.label}` : ' end';
    if (b.kind !== 'if') return `${b.kind}${label}${b.type}${this.seq(b.body)}${end}`;
    const cond = n.args.map((a) => this.show(a, this.r.chance(0.3)) + ' ').join('');
    const elseLabel = b.label !== undefined && this.r.chance(0.3) ? ` ${b.label}` : '';
    const els = b.else !== undefined ? ` else${elseLabel}${this.seq(b.else)}` : '';
    return `${cond}if${label}${b.type}${this.seq(b.body)}${els}${end}`;
  }

  // --- generation ---

  ref(e: Entity): string {
    return this.g.ref(e);
  }

  local(t: Val): string | undefined {
    const ls = this.locals.map((l, i) => ({ ...l, i })).filter((l) => l.type === t);
    if (ls.length === 0) return undefined;
    const l = this.r.pick(ls);
    return l.name !== undefined && this.r.chance(0.6) ? l.name : String(l.i);
  }

  /** A label reference by name or depth, to a label whose branch carries `types`. */
  label(types: readonly Val[]): string | undefined {
    const ok: number[] = [];
    this.labels.forEach((l, i) => {
      if (l.types.length === types.length && l.types.every((t, j) => t === types[j])) ok.push(i);
    });
    if (ok.length === 0) return undefined;
    const i = this.r.pick(ok);
    const depth = this.labels.length - 1 - i;
    const name = this.labels[i]!.name;
    // A name shadowed by an inner label of the same name can only be reached by depth.
    const shadowed = this.labels.slice(i + 1).some((l) => l.name === name);
    return name !== undefined && !shadowed && this.r.chance(0.6) ? name : String(depth);
  }

  /** A label name, or none; from a small pool, so that inner labels shadow outer ones. */
  labelName(): string | undefined {
    return this.r.chance(0.5) ? this.r.pick(['$b', '$c', `$b${this.labels.length}`]) : undefined;
  }

  blockType(results: readonly Val[]): string {
    const r = this.r;
    const g = this.g;
    // A (type x) of the same signature, or the inline form (implicit type when multi-value).
    const same = g.types.filter((t) => t.sig.params.length === 0 && t.sig.results.length === results.length && t.sig.results.every((x, i) => x === results[i]));
    if (same.length > 0 && r.chance(results.length > 1 ? 0.5 : 0.1)) return ` (type ${this.ref(r.pick(same))})`;
    return results.length > 0 ? ` (result ${results.join(' ')})` : '';
  }

  block(kind: 'block' | 'loop', results: readonly Val[], body: () => Node[], params: readonly Val[] = []): Node {
    const label = this.labelName();
    // A branch to a loop restarts it (no values); to a block, it carries the results.
    this.labels.push({ ...(label ? { name: label } : {}), types: kind === 'loop' ? params : results });
    const b = body();
    this.labels.pop();
    const type = params.length > 0 ? this.paramBlockType(params, results) : this.blockType(results);
    return { op: kind, args: [], block: { kind, ...(label ? { label } : {}), type, body: b } };
  }

  /** A block type with parameters: inline (an implicit type), `(type x)`, or both. */
  paramBlockType(params: readonly Val[], results: readonly Val[]): string {
    const inline = ` (param ${params.join(' ')})${results.length > 0 ? ` (result ${results.join(' ')})` : ''}`;
    const same = (a: readonly Val[], b: readonly Val[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
    const ts = this.g.types.filter((t) => same(t.sig.params, params) && same(t.sig.results, results));
    if (ts.length === 0 || this.r.chance(0.4)) return inline;
    const use = ` (type ${this.ref(this.r.pick(ts))})`;
    return this.r.chance(0.5) ? use : use + inline;
  }

  ifNode(results: readonly Val[], then: () => Node[], els: (() => Node[]) | undefined, params: readonly Val[] = []): Node {
    const cond = this.expr('i32', 2);
    const label = this.labelName();
    this.labels.push({ ...(label ? { name: label } : {}), types: results });
    const t = then();
    const e = els?.();
    this.labels.pop();
    const type = params.length > 0 ? this.paramBlockType(params, results) : this.blockType(results);
    return { op: 'if', args: [cond], block: { kind: 'if', ...(label ? { label } : {}), type, body: t, ...(e ? { else: e } : {}) } };
  }

  funcsWith(results: readonly Val[]): FuncE[] {
    return this.g.funcs.filter((f) => f.sig.results.length === results.length && f.sig.results.every((t, i) => t === results[i]));
  }

  /** Nodes that leave exactly the values `results` (a call, a multi-value block, or one expr each). */
  values(results: readonly Val[], depth: number): Node[] {
    const r = this.r;
    if (results.length === 1) return [this.expr(results[0]!, depth)];
    if (results.length > 1 && depth > 0 && r.chance(0.3)) return [this.block('block', results, () => this.values(results, depth - 1).concat(this.stmts(1)))];
    const fs = this.funcsWith(results);
    if (fs.length > 0 && depth > 0 && r.chance(0.5)) return [this.call(r.pick(fs), depth)];
    return results.map((t) => this.expr(t, depth));
  }

  call(f: FuncE, depth: number): Node {
    const args = f.sig.params.map((t) => this.expr(t, depth - 1));
    const tables = this.g.tables.filter((t) => t.elem === 'funcref');
    if (tables.length > 0 && this.r.chance(0.4)) {
      const t = this.r.pick(tables);
      const table = t.index === 0 && this.r.chance(0.4) ? '' : ` ${this.ref(t)}`;
      const typed = f.use !== 'inline' && this.r.chance(0.6) ? ` (type ${this.ref(f.type!)})` : '';
      const use = typed === '' ? this.g.sigText(f.sig) : this.r.chance(0.3) ? typed + this.g.sigText(f.sig) : typed;
      return node(`call_indirect${table}${use}`, ...args, this.expr('i32', depth - 1));
    }
    return node(`call ${this.ref(f)}`, ...args);
  }

  expr(t: Val, depth: number): Node {
    const r = this.r;
    this.budget--;
    const leaf = depth <= 0 || this.budget <= 0;
    const choices: (() => Node | undefined)[] = [
      () => {
        const l = this.local(t);
        return l !== undefined ? node(`local.get ${l}`) : undefined;
      },
      () => {
        const gs = this.g.globals.filter((g) => g.type === t);
        return gs.length > 0 ? node(`global.get ${this.ref(r.pick(gs))}`) : undefined;
      },
    ];
    if (!leaf) {
      const ops = t === 'funcref' || t === 'externref' ? [] : OPS.get(t)!;
      const loads = this.g.mems.length > 0 ? LOADS.filter((l) => l[2] === t) : [];
      if (ops.length > 0) {
        // Twice: the numeric instructions are most of a body.
        for (let k = 0; k < 2; k++) choices.push(() => {
          const o = r.pick(ops);
          return node(o.op, ...o.params.map((p) => this.expr(p, depth - 1)));
        });
      }
      if (loads.length > 0) choices.push(() => {
        const [op, align] = r.pick(loads);
        return node(op + this.memarg(align), this.expr('i32', depth - 1));
      });
      choices.push(
        // A block left by a branch (the rest of its body is unreachable), or a trap.
        () => this.block('block', [t], () => [node(`br ${this.label([t])!}`, this.expr(t, depth - 1)), ...(r.chance(0.3) ? [node('unreachable')] : [])]),
        () => this.block('block', [t], () => [node('unreachable')]),
      );
      choices.push(
        () => {
          const fs = this.funcsWith([t]);
          return fs.length > 0 ? this.call(r.pick(fs), depth) : undefined;
        },
        () => this.block(r.chance(0.7) ? 'block' : 'loop', [t], () => [...this.stmts(2), this.expr(t, depth - 1)]),
        () => this.ifNode([t], () => [this.expr(t, depth - 1)], () => [this.expr(t, depth - 1)]),
        () => node('select' + (t === 'funcref' || t === 'externref' || r.chance(0.3) ? ` (result ${t})` : ''), this.expr(t, depth - 1), this.expr(t, depth - 1), this.expr('i32', depth - 1)),
        () => {
          const l = this.local(t);
          return l !== undefined ? node(`local.tee ${l}`, this.expr(t, depth - 1)) : undefined;
        },
        () => {
          // A block whose value may also leave through a branch to it, by name or depth.
          return this.block('block', [t], () => {
            const to = this.label([t])!;
            return [node(`br_if ${to}`, this.expr(t, depth - 1), this.expr('i32', depth - 1)), node('drop'), this.expr(t, depth - 1)];
          });
        },
      );
      if (t === 'i32' || t === 'i64') choices.push(() => node(`${t}.${r.pick(['add', 'sub', 'mul', 'and', 'or', 'xor', 'shl', 'rotr'])}`, this.expr(t, depth - 1), this.expr(t, depth - 1)));
      if (t === 'f32' || t === 'f64') choices.push(() => node(`${t}.${r.pick(['add', 'min', 'copysign'])}`, this.expr(t, depth - 1), this.expr(t, depth - 1)));
      if (t === 'i32') {
        choices.push(
          () => node(`i32.${r.pick(['eqz'])}`, this.expr('i32', depth - 1)),
          () => node(`i64.${r.pick(['eq', 'lt_s', 'ge_u'])}`, this.expr('i64', depth - 1), this.expr('i64', depth - 1)),
          () => node(`ref.is_null`, this.expr(r.pick(['funcref', 'externref'] as const), depth - 1)),
          () => (this.g.mems.length > 0 ? node(r.pick(['memory.size', 'i32.load8_u offset=3', 'i32.load align=2', 'i32.load16_s offset=1 align=1', 'i32.load'])) : undefined),
          () => (this.g.mems.length > 0 ? node('memory.grow', this.expr('i32', depth - 1)) : undefined),
          () => (this.g.tables.length > 0 ? node(`table.size ${this.ref(r.pick(this.g.tables))}`) : undefined),
          () => {
            const ts = this.g.tables.filter((x) => x.elem === 'funcref' || x.elem === 'externref');
            if (ts.length === 0) return undefined;
            const tt = r.pick(ts);
            return node(`table.grow ${this.ref(tt)}`, this.expr(tt.elem, depth - 1), this.expr('i32', depth - 1));
          },
        );
      }
      if (t === 'v128') {
        choices.push(
          () => node(r.pick(['i32x4.add', 'f32x4.mul', 'v128.and', 'i8x16.sub_sat_u', 'i16x8.extmul_low_i8x16_s', 'f64x2.pmin', 'i8x16.swizzle']), this.expr('v128', depth - 1), this.expr('v128', depth - 1)),
          () => node(r.pick(['i32x4.splat', 'i8x16.splat']), this.expr('i32', depth - 1)),
          () => node('v128.bitselect', this.expr('v128', depth - 1), this.expr('v128', depth - 1), this.expr('v128', depth - 1)),
          () => node(`i8x16.shuffle${Array.from({ length: 16 }, () => ' ' + r.int(32)).join('')}`, this.expr('v128', depth - 1), this.expr('v128', depth - 1)),
          () => node(`i32x4.replace_lane ${r.int(4)}`, this.expr('v128', depth - 1), this.expr('i32', depth - 1)),
          () => (this.g.mems.length > 0 ? node(r.pick(['v128.load offset=16', 'v128.load align=8', 'v128.load32_splat', 'v128.load8x8_s offset=2 align=1']), this.expr('i32', 0)) : undefined),
          () => (this.g.mems.length > 0 ? node(`v128.load16_lane offset=4 ${r.int(8)}`, this.expr('i32', 0), this.expr('v128', depth - 1)) : undefined),
        );
      }
      if (t === 'i32') choices.push(() => node(r.pick([`i32x4.extract_lane ${r.int(4)}`, `i8x16.extract_lane_u ${r.int(16)}`, 'v128.any_true', 'i8x16.bitmask']), this.expr('v128', depth - 1)));
      if (t === 'funcref' || t === 'externref') {
        choices.push(() => {
          const ts = this.g.tables.filter((x) => x.elem === t);
          if (ts.length === 0) return undefined;
          const tt = ts[r.int(ts.length)]!;
          const table = tt.index === 0 && r.chance(0.3) ? '' : ` ${this.ref(tt)}`;
          return node(`table.get${table}`, this.expr('i32', depth - 1));
        });
      }
    }
    // memory loads need their address operand
    const picked = r.pick(choices)();
    if (picked !== undefined) {
      if (/^i32\.load/.test(picked.op)) return node(picked.op, this.expr('i32', 0));
      return picked;
    }
    if (t === 'funcref') return r.chance(0.5) ? node('ref.null func') : node(`ref.func ${this.ref(r.pick(this.g.declared))}`);
    if (t === 'externref') return node('ref.null extern');
    return node(`${t}.const ${this.g.constant(t)}`);
  }

  /** ` offset=… align=…`, each optional; the alignment at most the natural one. */
  memarg(natural: number): string {
    const r = this.r;
    let s = '';
    if (r.chance(0.4)) s += ` offset=${r.pick([String(r.int(100)), '0x10', '4_294_967_295', '0', '65536'])}`;
    if (r.chance(0.4)) s += ` align=${1 << r.int(natural + 1)}`;
    return s;
  }

  /** Statements: instructions that leave the stack as they found it. */
  stmts(max = 4): Node[] {
    const out: Node[] = [];
    for (let i = 0, n = this.r.int(max + 1); i < n && this.budget > 0; i++) out.push(...this.stmt());
    return out;
  }

  stmt(): Node[] {
    const r = this.r;
    const g = this.g;
    const t = this.g.val();
    switch (r.int(18)) {
      case 0:
        return [node('drop', this.expr(t, 2))];
      case 1: {
        const l = this.local(t);
        return l !== undefined ? [node(`local.set ${l}`, this.expr(t, 2))] : [node('nop')];
      }
      case 2: {
        const gs = g.globals.filter((x) => x.mutable);
        if (gs.length === 0) return [];
        const x = r.pick(gs);
        return [node(`global.set ${this.ref(x)}`, this.expr(x.type, 2))];
      }
      case 3: {
        if (g.mems.length === 0) return [];
        const [op, align, type] = r.pick(STORES);
        return [node(op + this.memarg(align), this.expr('i32', 1), this.expr(type, 1))];
      }
      case 4: {
        if (g.mems.length === 0) return [];
        const ops = [node('memory.fill', this.expr('i32', 1), this.expr('i32', 1), this.expr('i32', 1)), node('memory.copy', this.expr('i32', 1), this.expr('i32', 1), this.expr('i32', 1))];
        const ds = g.datas;
        if (ds.length > 0) {
          const d = r.pick(ds);
          ops.push(node(`memory.init ${this.ref(d)}`, this.expr('i32', 1), this.expr('i32', 1), this.expr('i32', 1)), node(`data.drop ${this.ref(r.pick(ds))}`));
        }
        return [r.pick(ops)];
      }
      case 5: {
        if (g.tables.length === 0) return [];
        const tt = r.pick(g.tables);
        const es = g.elems.filter((e) => (e.ref ?? 'funcref') === tt.elem);
        const same = g.tables.filter((x) => x.elem === tt.elem);
        const ops = [
          node(`table.set ${this.ref(tt)}`, this.expr('i32', 1), this.expr(tt.elem, 1)),
          node(`table.fill ${this.ref(tt)}`, this.expr('i32', 1), this.expr(tt.elem, 1), this.expr('i32', 1)),
          node(`table.copy ${this.ref(tt)} ${this.ref(r.pick(same))}`, this.expr('i32', 1), this.expr('i32', 1), this.expr('i32', 1)),
        ];
        if (es.length > 0) ops.push(node(`table.init ${this.ref(tt)} ${this.ref(r.pick(es))}`, this.expr('i32', 1), this.expr('i32', 1), this.expr('i32', 1)));
        if (g.elems.length > 0) ops.push(node(`elem.drop ${this.ref(r.pick(g.elems))}`));
        return [r.pick(ops)];
      }
      case 6: {
        const fs = this.funcsWith([]);
        return fs.length > 0 ? [this.call(r.pick(fs), 2)] : [];
      }
      case 7: {
        // Multi-value: a call or block leaving several values, dropped one by one.
        const rs = Array.from({ length: 2 }, () => this.g.val());
        return [...this.values(rs, 2), node('drop'), node('drop')];
      }
      case 8:
        return [this.ifNode([], () => this.stmts(2), r.chance(0.5) ? () => this.stmts(2) : undefined)];
      case 9:
        return [this.block(r.chance(0.5) ? 'block' : 'loop', [], () => this.stmts(2))];
      case 10: {
        // br_table over nested blocks: targets by name and depth.
        const depth = 1 + r.int(3);
        const build = (k: number): Node =>
          this.block('block', [], () => {
            if (k > 1) return [build(k - 1), ...this.stmts(1)];
            const targets = Array.from({ length: 1 + r.int(3) }, () => this.label([])!);
            return [node(`br_table ${targets.join(' ')}`, this.expr('i32', 1))];
          });
        return [build(depth)];
      }
      case 11: {
        // A block with a parameter: its operand comes from before it (an implicit type).
        const p = this.g.val(false);
        const res = this.g.val(false);
        if (r.chance(0.3)) {
          // An if with a parameter: the value below the condition enters both branches.
          const branch = (): Node[] => [node('drop'), this.expr(res, 1)];
          return [this.expr(p, 1), this.ifNode([res], branch, branch, [p]), node('drop')];
        }
        return [this.expr(p, 1), this.block(r.chance(0.5) ? 'block' : 'loop', [res], () => [node('drop'), this.expr(res, 1)], [p]), node('drop')];
      }
      case 12: {
        const to = this.label([]);
        return to !== undefined && r.chance(0.5) ? [node(`br_if ${to}`, this.expr('i32', 1))] : [node('nop')];
      }
      case 13: {
        // Leaving early: return with the function's results, or a trap, in a branch.
        // (Generated inside the branch: its label is in scope of any br in the operands.)
        const trap = r.chance(0.3);
        return [this.ifNode([], () => [trap ? node('unreachable') : node('return', ...this.results.map((x) => this.expr(x, 1)))], undefined)];
      }
      case 14: {
        // br_table carrying a value to blocks of the same result, by name and depth.
        const res = this.g.val(false);
        const inner = (): Node =>
          this.block('block', [res], () => {
            const targets = Array.from({ length: 1 + r.int(3) }, () => this.label([res])!);
            return [node(`br_table ${targets.join(' ')}`, this.expr(res, 1), this.expr('i32', 1))];
          });
        return [this.block('block', [res], () => [inner()]), node('drop')];
      }
      case 16:
      case 17: {
        // The segment instructions, whose indices count inline segments: often.
        const ops: Node[] = [];
        if (g.mems.length > 0 && g.datas.length > 0) ops.push(node(`memory.init ${this.ref(r.pick(g.datas))}`, this.expr('i32', 1), this.expr('i32', 1), this.expr('i32', 1)));
        if (g.datas.length > 0) ops.push(node(`data.drop ${this.ref(r.pick(g.datas))}`));
        if (g.elems.length > 0) ops.push(node(`elem.drop ${this.ref(r.pick(g.elems))}`));
        const inits = g.tables.flatMap((t) => g.elems.filter((e) => (e.ref ?? 'funcref') === t.elem).map((e) => [t, e] as const));
        if (inits.length > 0) {
          const [t, e] = r.pick(inits);
          // `table.init x y`, or `table.init y` for table 0.
          const tab = t.index === 0 && r.chance(0.3) ? '' : ` ${this.ref(t)}`;
          ops.push(node(`table.init${tab} ${this.ref(e)}`, this.expr('i32', 1), this.expr('i32', 1), this.expr('i32', 1)));
        }
        return ops.length > 0 ? [r.pick(ops)] : [];
      }
      default:
        return [node('nop')];
    }
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
