// The disassembler: module AST → WebAssembly text (.wat), in the flat style of wabt's
// wasm2wat (one instruction per line, indented by block depth, `(;n;)` index comments).
// Text format: https://webassembly.github.io/spec/core/text/modules.html and
// https://webassembly.github.io/spec/core/text/instructions.html
//
// The output must read back to the same module: parseWat(printModule(m)) encodes to the
// same bytes as m. So everything the binary distinguishes is spelled out (`(type n)` on
// every function and multi-value block, float bits via engine/text/format.ts), and names
// are only ever printed where an index could be.
//
// WebAssembly 3.0 constructs the decoder reads (engine/binary/decode.ts) print in the 3.0
// text syntax: tags, rec/sub/struct/array types, (ref null? ht) types, i64 limits, memory
// indices, try_table and the legacy try/catch/delegate, GC instructions. Those do not read
// back: the text parser is 2.0 only.
//
// Speed: a 15 MB module has millions of instructions and hundreds of MB of text. Lines
// are joined once per function into a chunk, so the millions of line strings die young
// (cheap for the garbage collector) and only the chunks live on; per-instruction work is a
// table lookup and a switch.

import {
  type BlockType, type Elem, type ExternKind, type FieldType, type Func, type FuncType, type HeapType, type Import, type Instr, type Limits, type Module, opByCodeAny, type Span, type TypeDef, type ValType,
} from '../syntax/index.ts';
import { formatF32, formatF64, quoteBytes, quoteName, sanitizeId } from './format.ts';

export interface PrintOptions {
  /**
   * Start every line with the byte offset of what it shows, as a block comment
   * `(;@1a2b;)`, for modules decoded from a binary (Span.bytes). Comments are white space,
   * so the output still reads back to the same module.
   */
  readonly offsets?: boolean;
}

/** The module as WebAssembly text. Works on any decodable module, valid or not. */
export function printModule(module: Module, options: PrintOptions = {}): string {
  return new Printer(module, options).print().join('');
}

/**
 * The same text in pieces (about one per function) whose concatenation is printModule's
 * result: for writing out modules whose text is too long for a single string.
 */
export function printModuleChunks(module: Module, options: PrintOptions = {}): string[] {
  return new Printer(module, options).print();
}

const INDENT_UNIT = '  ';
/**
 * Indentation stops growing at this many levels (128 columns). Blocks may nest millions
 * deep (DEFAULT_MAX_NESTING); indenting every line by its full depth would make the text
 * grow with the square of the depth (100,000 nested blocks: 20 G characters, more than a
 * string can hold). Capped, it grows linearly; the `;; label = @n` comments still give
 * each block's depth.
 */
const MAX_INDENT_LEVEL = 64;
const indents: string[] = [''];
function indent(level: number): string {
  const l = level < MAX_INDENT_LEVEL ? level : MAX_INDENT_LEVEL;
  while (indents.length <= l) indents.push(indents[indents.length - 1] + INDENT_UNIT);
  return indents[l] as string;
}

/** Data segments longer than this are split into one string per line of this many bytes. */
const DATA_CHUNK = 32;

/**
 * Identifiers for one index space: text ids or names from the name section, made into
 * valid, distinct identifiers (`$name`, then `$name.1`, … on a clash). Unnamed entries
 * stay undefined and print as indices.
 */
function assignNames(count: number, nameOf: (index: number) => string | undefined): (string | undefined)[] {
  const result: (string | undefined)[] = new Array(count);
  const used = new Set<string>();
  const nextSuffix = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const raw = nameOf(i);
    if (raw === undefined) continue;
    const base = sanitizeId(raw);
    if (base === '') continue;
    let name = base;
    if (used.has(name)) {
      let k = nextSuffix.get(base) ?? 1;
      do name = `${base}.${k++}`;
      while (used.has(name));
      nextSuffix.set(base, k);
    }
    used.add(name);
    result[i] = `$${name}`;
  }
  return result;
}

/** A text id such as '$log' without its `$`. */
function bareId(id: string | undefined): string | undefined {
  if (id === undefined) return undefined;
  return id.startsWith('$') ? id.slice(1) : id;
}

class Printer {
  readonly m: Module;
  /** Lines not yet joined into a chunk. */
  out: string[] = [];
  /** Finished text, each chunk ending with a newline. */
  readonly chunks: string[] = [];
  /** Whether the last line ends in a `;;` comment, so a closing paren needs a line of its own. */
  lastLineComment = false;
  readonly offsets: boolean;
  readonly offsetDigits: number;
  readonly blankPrefix: string;

  readonly typeNames: (string | undefined)[];
  readonly funcNames: (string | undefined)[];
  readonly tableNames: (string | undefined)[];
  readonly memNames: (string | undefined)[];
  readonly globalNames: (string | undefined)[];
  readonly elemNames: (string | undefined)[];
  readonly dataNames: (string | undefined)[];
  readonly tagNames: (string | undefined)[];
  /** How many functions are imported: defined functions are numbered after them. */
  readonly funcImports: number;

  /** Names of the locals of the function being printed. */
  localNames: (string | undefined)[] = [];

  constructor(m: Module, options: PrintOptions) {
    this.m = m;
    const size = m.span.bytes?.length ?? 0;
    this.offsets = options.offsets === true && size > 0;
    this.offsetDigits = Math.max(2, size.toString(16).length);
    this.blankPrefix = ' '.repeat(this.offsetDigits + 6);

    const byKind = { func: [] as Import[], table: [] as Import[], memory: [] as Import[], global: [] as Import[], tag: [] as Import[] };
    for (const imp of m.imports) byKind[imp.desc.kind].push(imp);

    const names = m.names;
    const nf = byKind.func.length;
    this.funcImports = nf;
    this.typeNames = assignNames(m.types.length, (i) => bareId(m.types[i]?.id));
    this.funcNames = assignNames(nf + m.funcs.length, (i) =>
      bareId(i < nf ? byKind.func[i]?.id : m.funcs[i - nf]?.id) ?? names?.functions.get(i),
    );
    const space = <T extends { id?: string }>(imports: Import[], defs: readonly T[]) =>
      assignNames(imports.length + defs.length, (i) =>
        bareId(i < imports.length ? imports[i]?.id : defs[i - imports.length]?.id),
      );
    this.tableNames = space(byKind.table, m.tables);
    this.memNames = space(byKind.memory, m.mems);
    this.globalNames = space(byKind.global, m.globals);
    this.elemNames = assignNames(m.elems.length, (i) => bareId(m.elems[i]?.id));
    this.dataNames = assignNames(m.datas.length, (i) => bareId(m.datas[i]?.id));
    this.tagNames = space(byKind.tag, m.tags ?? []);
  }

  // --- Output -------------------------------------------------------------------------

  line(span: Span | undefined, level: number, text: string): void {
    if (this.offsets) {
      const at = span?.bytes?.offset;
      const prefix =
        at === undefined ? this.blankPrefix : `(;@${at.toString(16).padStart(this.offsetDigits, '0')};) `;
      this.out.push(prefix + indent(level) + text);
    } else {
      this.out.push(indent(level) + text);
    }
    this.lastLineComment = false;
  }

  /** Closes the construct printed last: `)` on its last line, or on a line of its own. */
  close(level: number, span?: Span): void {
    const out = this.out;
    const chunks = this.chunks;
    if (this.lastLineComment || (this.offsets && span?.bytes !== undefined)) {
      this.line(span, level, ')');
    } else if (out.length > 0) {
      out[out.length - 1] += ')';
    } else if (chunks.length > 0) {
      // The last line was already joined: put the paren before the chunk's final newline.
      chunks[chunks.length - 1] = `${(chunks[chunks.length - 1] as string).slice(0, -1)})\n`;
    } else {
      this.line(span, level, ')');
    }
  }

  /** Joins the pending lines into a chunk. Call only where nothing will be appended to them. */
  flush(): void {
    if (this.out.length === 0) return;
    this.out.push('');
    this.chunks.push(this.out.join('\n'));
    this.out = [];
  }

  print(): string[] {
    const m = this.m;
    const moduleName = m.id !== undefined ? bareId(m.id) : m.names?.module;
    const id = moduleName !== undefined && sanitizeId(moduleName) !== '' ? ` $${sanitizeId(moduleName)}` : '';
    this.line(m.span, 0, `(module${id}`);
    // Custom sections have no text form in WebAssembly 2.0; list them so nothing is hidden.
    for (const c of m.customs) {
      const shown = c.name === 'name' && m.names !== undefined ? 'its names are the $identifiers below' : 'binary only, not shown';
      this.line(c.span, 1, `;; custom section ${quoteName(c.name)}, ${c.bytes.length} bytes (${shown})`);
      this.lastLineComment = true;
    }
    let recLeft = 0;
    m.types.forEach((t, i) => {
      if (t.recSize !== undefined) {
        this.line(t.span, 1, '(rec');
        recLeft = t.recSize;
      }
      const inRec = recLeft > 0;
      this.line(t.span, inRec ? 2 : 1, `(type ${this.def(this.typeNames, i)}${this.typeDef(t)})`);
      if (inRec && --recLeft === 0) this.close(1);
    });
    this.imports();
    const tags = m.tags ?? [];
    const ntag = this.tagNames.length - tags.length;
    tags.forEach((t, i) => {
      this.line(t.span, 1, `(tag ${this.def(this.tagNames, ntag + i)}${this.typeUse(t.type, false)})`);
    });
    this.flush();
    m.funcs.forEach((f, i) => {
      this.func(f, this.funcImports + i);
      this.flush();
    });
    const nt = this.tableNames.length - m.tables.length;
    m.tables.forEach((t, i) => {
      const init = t.init === undefined ? '' : ` ${this.constExpr(t.init, '')}`;
      this.line(t.span, 1, `(table ${this.def(this.tableNames, nt + i)}${limits(t.type.limits)} ${t.type.elem}${init})`);
    });
    const nm = this.memNames.length - m.mems.length;
    m.mems.forEach((mem, i) => {
      this.line(mem.span, 1, `(memory ${this.def(this.memNames, nm + i)}${limits(mem.type.limits)})`);
    });
    const ng = this.globalNames.length - m.globals.length;
    m.globals.forEach((g, i) => {
      const type = g.type.mutable ? `(mut ${g.type.type})` : g.type.type;
      this.line(g.span, 1, `(global ${this.def(this.globalNames, ng + i)}${type} ${this.constExpr(g.init, '')})`);
    });
    for (const e of m.exports) {
      const names = this.spaceOf(e.kind);
      this.line(e.span, 1, `(export ${quoteName(e.name)} (${e.kind} ${ref(names, e.index)}))`);
    }
    if (m.start !== undefined) this.line(undefined, 1, `(start ${ref(this.funcNames, m.start)})`);
    m.elems.forEach((e, i) => this.elem(e, i));
    m.datas.forEach((d, i) => {
      let head = `(data ${this.def(this.dataNames, i)}`;
      if (d.mode.kind === 'active') {
        if (d.mode.memory !== 0) head += `(memory ${ref(this.memNames, d.mode.memory)}) `;
        head += this.constExpr(d.mode.offset, 'offset');
      }
      head = head.trimEnd();
      const bytes = d.bytes;
      if (bytes.length <= DATA_CHUNK) {
        this.line(d.span, 1, `${head} ${quoteBytes(bytes)})`);
        return;
      }
      this.line(d.span, 1, head);
      for (let at = 0; at < bytes.length; at += DATA_CHUNK) {
        this.line(undefined, 2, quoteBytes(bytes, at, Math.min(at + DATA_CHUNK, bytes.length)));
      }
      this.close(1);
    });
    this.close(0);
    this.flush();
    return this.chunks;
  }

  // --- Definitions --------------------------------------------------------------------

  /** A definition's name and index comment, e.g. `$f (;3;) `. */
  def(names: (string | undefined)[], index: number): string {
    const name = names[index];
    return name === undefined ? `(;${index};) ` : `${name} (;${index};) `;
  }

  spaceOf(kind: ExternKind): (string | undefined)[] {
    switch (kind) {
      case 'func': return this.funcNames;
      case 'table': return this.tableNames;
      case 'memory': return this.memNames;
      case 'global': return this.globalNames;
      case 'tag': return this.tagNames;
    }
  }

  /** A type definition after its name: `(func …)`, `(struct …)`, `(array …)`, maybe inside `(sub …)`. */
  typeDef(t: TypeDef): string {
    const c = t.comp;
    let comp: string;
    if (c === undefined) comp = `(func${this.signature(t.type, false)})`;
    else if (c.kind === 'struct') comp = `(struct${c.fields.map((f) => ` (field ${fieldType(f)})`).join('')})`;
    else comp = `(array ${fieldType(c.field)})`;
    if (t.sub === undefined) return comp;
    const supers = t.sub.supers.map((x) => ` ${ref(this.typeNames, x)}`).join('');
    return `(sub${t.sub.final ? ' final' : ''}${supers} ${comp})`;
  }

  imports(): void {
    const counters = { func: 0, table: 0, memory: 0, global: 0, tag: 0 };
    for (const imp of this.m.imports) {
      const d = imp.desc;
      const index = counters[d.kind]++;
      const def = this.def(this.spaceOf(d.kind), index);
      let desc: string;
      switch (d.kind) {
        case 'func':
          desc = `(func ${def}${this.typeUse(d.type, false)})`;
          break;
        case 'table':
          desc = `(table ${def}${limits(d.type.limits)} ${d.type.elem})`;
          break;
        case 'memory':
          desc = `(memory ${def}${limits(d.type.limits)})`;
          break;
        case 'global':
          desc = `(global ${def}${d.type.mutable ? `(mut ${d.type.type})` : d.type.type})`;
          break;
        case 'tag':
          desc = `(tag ${def}${this.typeUse(d.type, false)})`;
          break;
      }
      this.line(imp.span, 1, `(import ${quoteName(imp.module)} ${quoteName(imp.name)} ${desc})`);
    }
  }

  /** `(type n)` followed by the parameters and results when the type exists. */
  typeUse(typeIndex: number, namedParams: boolean): string {
    const type = this.m.types[typeIndex]?.type;
    const use = `(type ${ref(this.typeNames, typeIndex)})`;
    return type === undefined ? use : use + this.signature(type, namedParams);
  }

  /** ` (param …) (result …)`; parameters one by one when they have names. */
  signature(type: FuncType, namedParams: boolean): string {
    let s = '';
    const { params, results } = type;
    if (params.length > 0) {
      const names = this.localNames;
      if (namedParams && params.some((_, i) => names[i] !== undefined)) {
        params.forEach((t, i) => {
          const name = names[i];
          s += name === undefined ? ` (param ${t})` : ` (param ${name} ${t})`;
        });
      } else {
        s += ` (param ${params.join(' ')})`;
      }
    }
    if (results.length > 0) s += ` (result ${results.join(' ')})`;
    return s;
  }

  func(f: Func, index: number): void {
    const m = this.m;
    const type = m.types[f.type]?.type;
    const nparams = type?.params.length ?? 0;
    const total = nparams + f.locals.length;
    const textIds = f.localIds;
    const fromSection = m.names?.locals.get(index);
    this.localNames =
      textIds !== undefined || fromSection !== undefined
        ? assignNames(total, (i) => bareId(textIds?.[i]) ?? fromSection?.get(i))
        : [];
    this.line(f.span, 1, `(func ${this.def(this.funcNames, index)}${this.typeUse(f.type, true)}`);
    if (f.locals.length > 0) {
      const names = this.localNames;
      const parts: string[] = [];
      let run: ValType[] = [];
      const flush = () => {
        if (run.length > 0) parts.push(`(local ${run.join(' ')})`);
        run = [];
      };
      f.locals.forEach((t, k) => {
        const name = names[nparams + k];
        if (name === undefined) {
          run.push(t);
        } else {
          flush();
          parts.push(`(local ${name} ${t})`);
        }
      });
      flush();
      this.line(undefined, 2, parts.join(' '));
    }
    this.body(f.body, 2);
    this.close(1, f.endSpan);
    this.localNames = [];
  }

  elem(e: Elem, index: number): void {
    let s = `(elem ${this.def(this.elemNames, index)}`;
    const mode = e.mode;
    if (mode.kind === 'declarative') s += 'declare ';
    else if (mode.kind === 'active') {
      if (mode.table !== 0) s += `(table ${ref(this.tableNames, mode.table)}) `;
      s += `${this.constExpr(mode.offset, 'offset')} `;
    }
    // `func x*` when every item is a plain function reference, else `reftype (item …)*`.
    const allFuncs = (e.type === 'funcref' || e.type === '(ref func)') && e.init.every((item) => item.length === 1 && item[0]?.op === 'ref.func');
    if (allFuncs) {
      const parts: string[] = [s + 'func'];
      for (const item of e.init) parts.push(ref(this.funcNames, item[0]?.index ?? 0));
      this.line(e.span, 1, `${parts.join(' ')})`);
    } else {
      const parts: string[] = [s + e.type];
      for (const item of e.init) parts.push(this.constExpr(item, 'item'));
      this.line(e.span, 1, `${parts.join(' ')})`);
    }
  }

  /**
   * A constant expression on one line: `(i32.const 8)` for a single plain instruction,
   * else the flat instructions wrapped in `(keyword …)` (or bare when keyword is '').
   */
  constExpr(expr: Instr[], keyword: string): string {
    if (expr.length === 1) {
      const only = expr[0] as Instr;
      if (!isStructured(only)) return `(${this.instr(only, 0, false)})`;
    }
    const parts: string[] = keyword === '' ? [] : [`(${keyword}`];
    for (const instr of expr) parts.push(this.instr(instr, 0, false));
    return keyword === '' ? parts.join(' ') : `${parts.join(' ')})`;
  }

  // --- Instructions -------------------------------------------------------------------

  /** A function body, one instruction per line, indented by block depth from `level`. */
  body(body: Instr[], level: number): void {
    let depth = 0;
    for (let i = 0; i < body.length; i++) {
      const instr = body[i] as Instr;
      const code = instr.code;
      if (code === 0x0b) {
        if (depth > 0) depth--;
        this.line(instr.span, level + depth, 'end');
      } else if (code === 0x05) {
        this.line(instr.span, level + Math.max(0, depth - 1), 'else');
      } else if (code === 0x07 || code === 0x19) {
        // Legacy catch / catch_all: like else, between a try's parts.
        this.line(instr.span, level + Math.max(0, depth - 1), this.instr(instr, depth, true));
      } else if (code === 0x18) {
        // delegate ends its try, like end. Its label counts from outside the try, so the
        // `@n` comments of branches would not fit it: it prints bare.
        if (depth > 0) depth--;
        this.line(instr.span, level + depth, this.instr(instr, depth, false));
      } else if (isOpening(code)) {
        depth++;
        this.line(instr.span, level + depth - 1, `${this.instr(instr, depth - 1, true)}  ;; label = @${depth}`);
        this.lastLineComment = true;
      } else {
        this.line(instr.span, level + depth, this.instr(instr, depth, true));
      }
    }
  }

  /**
   * One instruction with its immediates. `depth` is the number of enclosing blocks, used
   * to annotate branch targets with the `@n` of their block when `labels` is set.
   */
  instr(instr: Instr, depth: number, labels: boolean): string {
    const info = opByCodeAny(instr.code);
    const op = instr.op;
    if (info === undefined) return op;
    switch (info.imm) {
      case 'none':
        return op;
      case 'memory':
        return instr.index === undefined || instr.index === 0 ? op : `${op} ${ref(this.memNames, instr.index)}`;
      case 'memory_copy': {
        const dst = instr.index2 ?? 0;
        const src = instr.index3 ?? 0;
        return dst === 0 && src === 0 ? op : `${op} ${ref(this.memNames, dst)} ${ref(this.memNames, src)}`;
      }
      case 'memory_fill':
        return (instr.index2 ?? 0) === 0 ? op : `${op} ${ref(this.memNames, instr.index2 ?? 0)}`;
      case 'block':
        return op + this.blockType(instr.blockType);
      case 'label': {
        const label = instr.index ?? 0;
        return labels ? `${op} ${label}${labelComment(depth, label)}` : `${op} ${label}`;
      }
      case 'br_table': {
        const parts: string[] = [op];
        for (const label of instr.labels ?? []) {
          parts.push(labels ? `${label}${labelComment(depth, label)}` : String(label));
        }
        return parts.join(' ');
      }
      case 'local':
        return `${op} ${ref(this.localNames, instr.index ?? 0)}`;
      case 'global':
        return `${op} ${ref(this.globalNames, instr.index ?? 0)}`;
      case 'func':
        return `${op} ${ref(this.funcNames, instr.index ?? 0)}`;
      case 'call_indirect': {
        const table = instr.index2 ?? 0;
        const use = `(type ${ref(this.typeNames, instr.index ?? 0)})`;
        return table === 0 ? `${op} ${use}` : `${op} ${ref(this.tableNames, table)} ${use}`;
      }
      case 'memarg':
        return op + this.memIndex(instr) + memarg(instr, info.align ?? 0);
      case 'memarg_lane':
        return `${op}${this.memIndex(instr)}${memarg(instr, info.align ?? 0)} ${instr.index ?? 0}`;
      case 'i32':
      case 'i64':
        return `${op} ${String(instr.value ?? 0)}`;
      case 'f32':
        return `${op} ${formatF32(Number(instr.value ?? 0))}`;
      case 'f64':
        return `${op} ${formatF64(BigInt(instr.value ?? 0n))}`;
      case 'v128':
        return `${op} ${v128(instr.bytes)}`;
      case 'shuffle':
        return `${op} ${Array.from(instr.bytes ?? new Uint8Array(16)).join(' ')}`;
      case 'lane':
        return `${op} ${instr.index ?? 0}`;
      case 'select_t':
        return `${op} (result${(instr.types ?? []).map((t) => ` ${t}`).join('')})`;
      case 'ref_null':
        if (instr.heapType !== undefined) return `${op} ${this.heap(instr.heapType)}`;
        return `${op} ${instr.refType === 'externref' ? 'extern' : 'func'}`;
      case 'table':
        return `${op} ${ref(this.tableNames, instr.index ?? 0)}`;
      case 'table_copy':
        return `${op} ${ref(this.tableNames, instr.index ?? 0)} ${ref(this.tableNames, instr.index2 ?? 0)}`;
      case 'table_init':
        // The binary has the element index first; the text puts the table first.
        return `${op} ${ref(this.tableNames, instr.index2 ?? 0)} ${ref(this.elemNames, instr.index ?? 0)}`;
      case 'elem':
        return `${op} ${ref(this.elemNames, instr.index ?? 0)}`;
      case 'data':
        return `${op} ${ref(this.dataNames, instr.index ?? 0)}`;
      case 'memory_init': {
        const mem = instr.index2 ?? 0;
        const data = ref(this.dataNames, instr.index ?? 0);
        return mem === 0 ? `${op} ${data}` : `${op} ${ref(this.memNames, mem)} ${data}`;
      }
      // --- WebAssembly 3.0
      case 'tag':
        return `${op} ${ref(this.tagNames, instr.index ?? 0)}`;
      case 'type':
        return `${op} ${ref(this.typeNames, instr.index ?? 0)}`;
      case 'try_table': {
        let s = op + this.blockType(instr.blockType);
        for (const c of instr.catches ?? []) {
          const tag = c.tag === undefined ? '' : `${ref(this.tagNames, c.tag)} `;
          s += ` (${c.kind} ${tag}${c.label})`;
        }
        return s;
      }
      case 'struct_field':
      case 'array_copy':
        return `${op} ${ref(this.typeNames, instr.index ?? 0)} ${instr.code === ARRAY_COPY ? ref(this.typeNames, instr.index2 ?? 0) : String(instr.index2 ?? 0)}`;
      case 'array_fixed':
        return `${op} ${ref(this.typeNames, instr.index ?? 0)} ${instr.index2 ?? 0}`;
      case 'array_data':
        return `${op} ${ref(this.typeNames, instr.index ?? 0)} ${ref(this.dataNames, instr.index2 ?? 0)}`;
      case 'array_elem':
        return `${op} ${ref(this.typeNames, instr.index ?? 0)} ${ref(this.elemNames, instr.index2 ?? 0)}`;
      case 'heap': {
        const nullable = 'nullable' in info && info.nullable === true;
        return `${op} (ref ${nullable ? 'null ' : ''}${this.heap(instr.heapType ?? 'any')})`;
      }
      case 'br_on_cast': {
        const label = instr.index ?? 0;
        const flags = instr.castFlags ?? 0;
        const from = `(ref ${flags & 1 ? 'null ' : ''}${this.heap(instr.heapType ?? 'any')})`;
        const to = `(ref ${flags & 2 ? 'null ' : ''}${this.heap(instr.heapType2 ?? 'any')})`;
        return `${op} ${label} ${from} ${to}${labels ? labelComment(depth, label) : ''}`;
      }
    }
  }

  /** The memory index of a load or store, when explicit and not 0 (multi-memory). */
  memIndex(instr: Instr): string {
    const memory = instr.memarg?.memory;
    return memory === undefined || memory === 0 ? '' : ` ${ref(this.memNames, memory)}`;
  }

  /** A heap type: an abstract one by name, a defined type by name or index. */
  heap(h: HeapType): string {
    return typeof h === 'number' ? ref(this.typeNames, h) : h;
  }

  blockType(bt: BlockType | undefined): string {
    if (bt === undefined || bt.kind === 'empty') return '';
    if (bt.kind === 'value') return ` (result ${bt.type})`;
    // A type index stays a type index, even when the type would fit the short forms.
    return ` ${this.typeUse(bt.index, false)}`;
  }
}

function isStructured(instr: Instr): boolean {
  const c = instr.code;
  return isOpening(c) || c === 0x05 || c === 0x0b || c === 0x07 || c === 0x19 || c === 0x18;
}

/** block, loop, if, and 3.0's try_table and legacy try. */
function isOpening(code: number): boolean {
  return code === 0x02 || code === 0x03 || code === 0x04 || code === 0x1f || code === 0x06;
}

const ARRAY_COPY = (0xfb << 16) | 17;

/** A GC field type: `t` or `(mut t)`. */
function fieldType(f: FieldType): string {
  return f.mutable ? `(mut ${f.type})` : f.type;
}

/** A reference: the name when there is one, else the index. */
function ref(names: (string | undefined)[], index: number): string {
  return names[index] ?? String(index);
}

function labelComment(depth: number, label: number): string {
  const target = depth - label;
  return target >= 0 ? ` (;@${target};)` : '';
}

function limits(l: Limits): string {
  const min = String(l.min64 ?? l.min);
  const max = l.max === undefined ? undefined : String(l.max64 ?? l.max);
  const bounds = max === undefined ? min : `${min} ${max}`;
  return l.index64 === true ? `i64 ${bounds}` : bounds;
}

/** ` offset=… align=…`, each only when not the default (0, the natural alignment). */
function memarg(instr: Instr, natural: number): string {
  const m = instr.memarg;
  if (m === undefined) return '';
  let s = '';
  if (m.offset !== 0) s += ` offset=${m.offset64 ?? m.offset}`;
  if (m.align !== natural) s += ` align=${2 ** m.align}`;
  return s;
}

/** A v128 constant as four exact 32-bit lanes. */
function v128(bytes: Uint8Array | undefined): string {
  const b = bytes ?? new Uint8Array(16);
  const lanes: string[] = ['i32x4'];
  for (let i = 0; i < 16; i += 4) {
    const lane = ((b[i] ?? 0) | ((b[i + 1] ?? 0) << 8) | ((b[i + 2] ?? 0) << 16) | ((b[i + 3] ?? 0) << 24)) >>> 0;
    lanes.push(`0x${lane.toString(16).padStart(8, '0')}`);
  }
  return lanes.join(' ');
}
