// The Stepper's byte map: a module's binary cut into labelled rows for the Bytes view —
// the header, then each section (id, size, entries), and in the code section one row per
// instruction, keyed by byte offset so the view can highlight the instruction that runs.
// Every row lists its fields (opcode, LEB128 numbers, names, raw bytes) so hovering a byte
// can say what it is. Layout per https://webassembly.github.io/spec/core/binary/modules.html.
// The module has already decoded or been encoded by the engine, so the bytes are
// well-formed; anything unexpected just ends the section's walk with a raw row.

import { opByCodeAny, type ImmKind, type ImmKind3, type OpInfo3 } from '../../../engine/index.ts';

export interface ByteField {
  /** Offset of the field's first byte in the module. */
  readonly start: number;
  readonly length: number;
  /** What the field is, e.g. "section size", "local index". */
  readonly label: string;
  /** Its value as text, e.g. "7", "i32", "\"add\"". */
  readonly value: string;
  /** Encoded as LEB128 (unsigned or signed): hovering explains each byte. */
  readonly leb?: 'unsigned' | 'signed';
}

export interface ByteRow {
  /** Unique in the module: the offset of the row's first byte. */
  readonly offset: number;
  readonly length: number;
  /** What the row is, shown beside its bytes, e.g. "local.get 0". */
  readonly label: string;
  /** Nesting of blocks for instructions; 0 otherwise. */
  readonly indent: number;
  readonly kind: 'header' | 'section' | 'entry' | 'instr' | 'raw';
  readonly fields: readonly ByteField[];
  /** For instructions: the function (index space) and body position. */
  readonly funcIndex?: number;
  readonly instrIndex?: number;
}

export interface ByteSection {
  readonly key: string;
  readonly title: string;
  readonly offset: number;
  readonly length: number;
  readonly rows: readonly ByteRow[];
}

export interface ByteMap {
  readonly bytes: Uint8Array;
  readonly sections: readonly ByteSection[];
}

const SECTION_NAMES = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'data count', 'tag'];
const VAL_TYPES: Record<number, string> = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128', 0x70: 'funcref', 0x6f: 'externref' };
const KINDS = ['func', 'table', 'memory', 'global', 'tag'];
const CATCH_KINDS = ['catch', 'catch_ref', 'catch_all', 'catch_all_ref'];

/** A 2.0 instruction, or one of exception handling's (which the stepper runs too). */
function opByCode(code: number): OpInfo3 | undefined {
  const info = opByCodeAny(code);
  return info?.proposal === undefined || info.proposal === 'exceptions' || info.proposal === 'legacy-exceptions' ? info : undefined;
}
const RAW_CHUNK = 16;

class Walk {
  readonly b: Uint8Array;
  pos: number;
  fields: ByteField[] = [];
  constructor(b: Uint8Array, pos: number) {
    this.b = b;
    this.pos = pos;
  }
  private need(n: number): void {
    if (this.pos + n > this.b.length) throw new RangeError('unexpected end');
  }
  byte(label: string, value?: (b: number) => string): number {
    this.need(1);
    const v = this.b[this.pos]!;
    this.fields.push({ start: this.pos, length: 1, label, value: value ? value(v) : hex(v) });
    this.pos++;
    return v;
  }
  u32(label: string, describe?: (n: number) => string): number {
    const start = this.pos;
    let result = 0;
    let shift = 0;
    for (;;) {
      this.need(1);
      const byte = this.b[this.pos++]!;
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if ((byte & 0x80) === 0 || shift > 35) break;
    }
    this.fields.push({ start, length: this.pos - start, label, value: describe ? describe(result) : String(result), leb: 'unsigned' });
    return result;
  }
  signed(label: string): bigint {
    const start = this.pos;
    let result = 0n;
    let shift = 0n;
    let byte: number;
    do {
      this.need(1);
      byte = this.b[this.pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
    } while ((byte & 0x80) !== 0 && shift < 70n);
    if ((byte & 0x40) !== 0) result -= 1n << shift;
    this.fields.push({ start, length: this.pos - start, label, value: result.toString(), leb: 'signed' });
    return result;
  }
  fixed(n: number, label: string, value: string): void {
    this.need(n);
    this.fields.push({ start: this.pos, length: n, label, value });
    this.pos += n;
  }
  name(label: string): string {
    const len = this.u32(`${label} length`);
    this.need(len);
    const text = new TextDecoder().decode(this.b.subarray(this.pos, this.pos + len));
    this.fields.push({ start: this.pos, length: len, label: `${label} (UTF-8)`, value: JSON.stringify(text) });
    this.pos += len;
    return text;
  }
  valType(label: string): string {
    return VAL_TYPES[this.byte(label, (v) => VAL_TYPES[v] ?? hex(v))] ?? '?';
  }
  limits(label: string): string {
    const flag = this.byte(`${label} limits flag`, (v) => (v === 1 ? 'has a maximum' : 'no maximum'));
    const min = this.u32(`${label} minimum`);
    if (flag === 1) return `${min}…${this.u32(`${label} maximum`)}`;
    return `${min}…`;
  }
  take(): ByteField[] {
    const f = this.fields;
    this.fields = [];
    return f;
  }
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(2, '0')}`;
}

/** Instruction immediates, field by field (https://webassembly.github.io/spec/core/binary/instructions.html). */
function immediates(w: Walk, imm: ImmKind | ImmKind3): string {
  switch (imm) {
    case 'none':
      return '';
    case 'tag':
      return ` ${w.u32('tag index')}`;
    case 'try_table': {
      let s = immediates(w, 'block');
      const n = w.u32('number of catch clauses');
      for (let i = 0; i < n; i++) {
        const kind = w.byte(`clause ${i}: kind`, (v) => `${v} (${CATCH_KINDS[v] ?? '?'})`);
        const tag = kind < 2 ? ` ${w.u32(`clause ${i}: tag index`)}` : '';
        s += ` (${CATCH_KINDS[kind] ?? '?'}${tag} ${w.u32(`clause ${i}: label index`)})`;
      }
      return s;
    }
    case 'block': {
      const b = w.b[w.pos]!;
      if (b === 0x40) {
        w.byte('block type', () => 'no result');
        return '';
      }
      if (VAL_TYPES[b] !== undefined) return ` (result ${w.valType('block type')})`;
      return ` (type ${w.signed('block type index')})`;
    }
    case 'label':
      return ` ${w.u32('label index')}`;
    case 'br_table': {
      const n = w.u32('number of labels');
      const ls: number[] = [];
      for (let i = 0; i < n; i++) ls.push(w.u32(`label ${i}`));
      ls.push(w.u32('default label'));
      return ` ${ls.join(' ')}`;
    }
    case 'local':
      return ` ${w.u32('local index')}`;
    case 'global':
      return ` ${w.u32('global index')}`;
    case 'func':
      return ` ${w.u32('function index')}`;
    case 'call_indirect': {
      const t = w.u32('type index');
      const tb = w.u32('table index');
      return ` (type ${t})${tb === 0 ? '' : ` table ${tb}`}`;
    }
    case 'memarg':
    case 'memarg_lane': {
      const a = w.u32('alignment (log2 bytes)', (n) => `${n} (${2 ** n}-byte)`);
      const o = w.u32('offset');
      let s = `${o === 0 ? '' : ` offset=${o}`} align=${2 ** a}`;
      if (imm === 'memarg_lane') s += ` ${w.byte('lane index', String)}`;
      return s;
    }
    case 'memory':
      w.byte('memory index', String);
      return '';
    case 'i32':
      return ` ${w.signed('value, signed LEB128')}`;
    case 'i64':
      return ` ${w.signed('value, signed LEB128')}`;
    case 'f32': {
      const v = new DataView(w.b.buffer, w.b.byteOffset + w.pos, 4).getFloat32(0, true);
      w.fixed(4, 'value, IEEE-754 single, little-endian', String(v));
      return ` ${v}`;
    }
    case 'f64': {
      const v = new DataView(w.b.buffer, w.b.byteOffset + w.pos, 8).getFloat64(0, true);
      w.fixed(8, 'value, IEEE-754 double, little-endian', String(v));
      return ` ${v}`;
    }
    case 'v128':
      w.fixed(16, 'value, 16 bytes', '');
      return ' …';
    case 'shuffle':
      w.fixed(16, 'lane indices', '');
      return ' …';
    default:
      // Other 3.0 immediates: opByCode above never yields their instructions.
      return '';
    case 'lane':
      return ` ${w.byte('lane index', String)}`;
    case 'select_t': {
      const n = w.u32('number of types');
      const ts: string[] = [];
      for (let i = 0; i < n; i++) ts.push(w.valType('result type'));
      return ` (result ${ts.join(' ')})`;
    }
    case 'ref_null':
      return ` ${w.valType('reference type').replace('ref', '')}`;
    case 'table':
      return ` ${w.u32('table index')}`;
    case 'table_copy':
      return ` ${w.u32('destination table')} ${w.u32('source table')}`;
    case 'table_init': {
      const e = w.u32('element segment');
      return ` ${w.u32('table index')} ${e}`;
    }
    case 'elem':
      return ` ${w.u32('element segment')}`;
    case 'data':
      return ` ${w.u32('data segment')}`;
    case 'memory_init': {
      const d = w.u32('data segment');
      w.byte('memory index', String);
      return ` ${d}`;
    }
    case 'memory_copy':
      w.byte('destination memory', String);
      w.byte('source memory', String);
      return '';
    case 'memory_fill':
      w.byte('memory index', String);
      return '';
  }
}

/** Reads one instruction at w.pos into a row. */
function instrRow(w: Walk, indent: number, extra: Partial<ByteRow> = {}): ByteRow & { op: string } {
  const start = w.pos;
  const first = w.b[w.pos]!;
  let code = first;
  if (first === 0xfc || first === 0xfd) {
    w.byte('prefix byte');
    const sub = w.u32('sub-opcode');
    code = (first << 16) | sub;
  } else {
    w.byte('opcode');
  }
  const info = opByCode(code);
  const op = info?.op ?? `unknown ${hex(first)}`;
  const opField = w.fields[w.fields.length - 1]!;
  w.fields[w.fields.length - 1] = { ...opField, value: first === 0xfc || first === 0xfd ? `${opField.value} (${op})` : `${hex(first)} (${op})` };
  const rest = info === undefined ? '' : immediates(w, info.imm);
  return { offset: start, length: w.pos - start, label: op + rest, indent, kind: 'instr', fields: w.take(), op, ...extra };
}

/** Position after the unsigned or signed LEB128 at p (its bytes are skipped, not read). */
function skipLeb(b: Uint8Array, p: number): number {
  while (p < b.length && (b[p]! & 0x80) !== 0) p++;
  return p + 1;
}

/** The value of the unsigned LEB128 at p (for counts). */
function lebValue(b: Uint8Array, p: number): number {
  let result = 0;
  let shift = 0;
  for (;;) {
    const byte = b[p++] ?? 0;
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0 || shift > 35 || p >= b.length) return result;
  }
}

/** Where the instruction at p ends, found without building its fields (see LazyInstrRow). */
function instrEnd(b: Uint8Array, p: number): { end: number; op: string } {
  const first = b[p]!;
  let code = first;
  let q = p + 1;
  if (first === 0xfc || first === 0xfd) {
    code = (first << 16) | lebValue(b, q);
    q = skipLeb(b, q);
  }
  const info = opByCode(code);
  if (info === undefined) return { end: q, op: `unknown ${hex(first)}` };
  switch (info.imm) {
    case 'none':
      break;
    case 'block': {
      const t = b[q]!;
      q = t === 0x40 || VAL_TYPES[t] !== undefined ? q + 1 : skipLeb(b, q);
      break;
    }
    case 'br_table': {
      const n = lebValue(b, q);
      q = skipLeb(b, q);
      for (let i = 0; i <= n && q <= b.length; i++) q = skipLeb(b, q);
      break;
    }
    case 'try_table': {
      const t = b[q]!;
      q = t === 0x40 || VAL_TYPES[t] !== undefined ? q + 1 : skipLeb(b, q);
      const n = lebValue(b, q);
      q = skipLeb(b, q);
      // Each clause: its kind byte, a tag index for catch and catch_ref, a label index.
      for (let i = 0; i < n && q <= b.length; i++) q = skipLeb(b, b[q]! < 2 ? skipLeb(b, q + 1) : q + 1);
      break;
    }
    case 'select_t': {
      const n = lebValue(b, q);
      q = skipLeb(b, q) + n;
      break;
    }
    case 'memarg':
      q = skipLeb(b, skipLeb(b, q));
      break;
    case 'memarg_lane':
      q = skipLeb(b, skipLeb(b, q)) + 1;
      break;
    case 'call_indirect':
    case 'table_copy':
    case 'table_init':
      q = skipLeb(b, skipLeb(b, q));
      break;
    case 'memory_init':
      q = skipLeb(b, q) + 1;
      break;
    case 'memory_copy':
      q += 2;
      break;
    case 'memory':
    case 'memory_fill':
    case 'lane':
    case 'ref_null':
      q += 1;
      break;
    case 'f32':
      q += 4;
      break;
    case 'f64':
      q += 8;
      break;
    case 'v128':
    case 'shuffle':
      q += 16;
      break;
    default:
      // label, local, global, func, table, elem, data, i32, i64: one LEB128.
      q = skipLeb(b, q);
  }
  if (q > b.length) throw new RangeError('unexpected end');
  return { end: q, op: info.op };
}

/**
 * An instruction row of a function body. A module of a megabyte has some hundred thousand
 * of them, and building every label and field up front costs seconds (mostly the garbage
 * collector's); here only the extent is found at once, and the label and fields are built
 * the first time something reads them (a drawn row, an explained byte).
 */
class LazyInstrRow implements ByteRow {
  readonly kind = 'instr' as const;
  readonly offset: number;
  readonly length: number;
  readonly indent: number;
  readonly funcIndex: number;
  readonly instrIndex: number;
  readonly #bytes: Uint8Array;
  #full: { label: string; fields: readonly ByteField[] } | null = null;
  constructor(bytes: Uint8Array, offset: number, length: number, indent: number, funcIndex: number, instrIndex: number) {
    this.#bytes = bytes;
    this.offset = offset;
    this.length = length;
    this.indent = indent;
    this.funcIndex = funcIndex;
    this.instrIndex = instrIndex;
  }
  #load(): { label: string; fields: readonly ByteField[] } {
    if (this.#full === null) {
      const r = instrRow(new Walk(this.#bytes, this.offset), this.indent);
      this.#full = { label: r.label, fields: r.fields };
    }
    return this.#full;
  }
  get label(): string {
    return this.#load().label;
  }
  get fields(): readonly ByteField[] {
    return this.#load().fields;
  }
}

/** A constant expression ending with `end`, as rows. */
function constExpr(w: Walk, rows: ByteRow[], indent: number): void {
  for (;;) {
    const r = instrRow(w, indent);
    rows.push(r);
    if (r.op === 'end') return;
  }
}

function rawRows(b: Uint8Array, from: number, to: number, label: string, rows: ByteRow[]): void {
  for (let at = from; at < to; at += RAW_CHUNK) {
    const n = Math.min(RAW_CHUNK, to - at);
    const ascii = Array.from(b.subarray(at, at + n), (c) => (c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.')).join('');
    rows.push({ offset: at, length: n, label: at === from ? label : `“${ascii}”`, indent: 1, kind: 'raw', fields: [{ start: at, length: n, label, value: '' }] });
  }
}

function typeList(ts: string[]): string {
  return ts.length === 0 ? '()' : `(${ts.join(' ')})`;
}

/** Entries of one section's content [w.pos, end) as rows. */
function sectionRows(w: Walk, id: number, end: number, rows: ByteRow[], funcBase: { next: number; tags?: number }): void {
  const entry = (label: string, start: number): void => {
    rows.push({ offset: start, length: w.pos - start, label, indent: 1, kind: 'entry', fields: w.take() });
  };
  const vec = (what: string, each: (i: number, start: number) => void): void => {
    const s = w.pos;
    const n = w.u32(`number of ${what}`);
    entry(`${n} ${what}`, s);
    for (let i = 0; i < n; i++) each(i, w.pos);
  };
  switch (id) {
    case 1:
      return vec('types', (i, s) => {
        w.byte('function type form', () => '0x60 (func)');
        const pn = w.u32('number of parameters');
        const ps: string[] = [];
        for (let k = 0; k < pn; k++) ps.push(w.valType(`parameter ${k} type`));
        const rn = w.u32('number of results');
        const rs: string[] = [];
        for (let k = 0; k < rn; k++) rs.push(w.valType(`result ${k} type`));
        entry(`type ${i}: ${typeList(ps)} → ${typeList(rs)}`, s);
      });
    case 2:
      return vec('imports', (i, s) => {
        const mod = w.name('module name');
        const nm = w.name('import name');
        const kind = w.byte('import kind', (v) => `${v} (${KINDS[v] ?? '?'})`);
        let desc = '';
        if (kind === 0) {
          desc = `type ${w.u32('type index')}`;
          funcBase.next++;
        } else if (kind === 1) desc = `${w.valType('element type')} ${w.limits('table')}`;
        else if (kind === 2) desc = `${w.limits('memory')} pages`;
        else if (kind === 4) {
          w.byte('tag attribute', () => '0 (exception)');
          desc = `type ${w.u32('type index')}`;
          funcBase.tags = (funcBase.tags ?? 0) + 1;
        }
        else desc = `${w.valType('global type')} ${w.byte('mutability', (v) => (v ? 'var' : 'const')) ? 'var' : 'const'}`;
        entry(`import ${i}: "${mod}" "${nm}" ${KINDS[kind] ?? ''} ${desc}`, s);
      });
    case 3:
      return vec('functions', (i, s) => {
        const t = w.u32('type index');
        entry(`func ${funcBase.next + i}: type ${t}`, s);
      });
    case 4:
      return vec('tables', (i, s) => {
        const t = w.valType('element type');
        entry(`table ${i}: ${t} ${w.limits('table')}`, s);
      });
    case 5:
      return vec('memories', (i, s) => {
        entry(`memory ${i}: ${w.limits('memory')} pages`, s);
      });
    case 6:
      return vec('globals', (i, s) => {
        const t = w.valType('value type');
        const mut = w.byte('mutability', (v) => (v ? 'var' : 'const'));
        entry(`global ${i}: ${mut ? 'mut ' : ''}${t} =`, s);
        constExpr(w, rows, 2);
      });
    case 7:
      return vec('exports', (i, s) => {
        const nm = w.name('export name');
        const kind = w.byte('export kind', (v) => `${v} (${KINDS[v] ?? '?'})`);
        const idx = w.u32(`${KINDS[kind] ?? ''} index`);
        entry(`export ${i}: "${nm}" = ${KINDS[kind] ?? '?'} ${idx}`, s);
      });
    case 8: {
      const s = w.pos;
      entry(`start: func ${w.u32('function index')}`, s);
      return;
    }
    case 9:
      return vec('element segments', (i, s) => {
        const flags = w.u32('segment flags', (n) => `${n}${n & 1 ? (n & 2 ? ' declarative' : ' passive') : ' active'}${n & 4 ? ', expressions' : ', function indices'}`);
        const active = (flags & 1) === 0;
        if (active && flags & 2) w.u32('table index');
        entry(`elem ${i}${active ? ' at' : ''}`, s);
        if (active) constExpr(w, rows, 2);
        const s2 = w.pos;
        if (flags & 3) {
          if (flags & 4) w.valType('reference type');
          else w.byte('element kind', () => '0x00 (funcref)');
        }
        const n = w.u32('number of elements');
        if (flags & 4) {
          entry(`${n} element expressions`, s2);
          for (let k = 0; k < n; k++) constExpr(w, rows, 2);
        } else {
          const fs: number[] = [];
          for (let k = 0; k < n; k++) fs.push(w.u32(`element ${k}: function index`));
          entry(`${n} functions: ${fs.join(' ')}`, s2);
        }
      });
    case 10:
      return vec('function bodies', (i, s) => {
        const funcIndex = funcBase.next + i;
        const size = w.u32('body size (bytes)');
        const bodyEnd = w.pos + size;
        const groups = w.u32('number of local groups');
        const ls: string[] = [];
        for (let k = 0; k < groups; k++) {
          const n = w.u32(`local group ${k}: count`);
          const t = w.valType(`local group ${k}: type`);
          ls.push(`${n} × ${t}`);
        }
        entry(`func ${funcIndex}: ${size} bytes${ls.length ? `, locals ${ls.join(', ')}` : ', no locals'}`, s);
        let indent = 2;
        let k = 0;
        while (w.pos < bodyEnd) {
          const { end, op } = instrEnd(w.b, w.pos);
          if (op === 'end' || op === 'else' || op === 'catch' || op === 'catch_all' || op === 'delegate') indent = Math.max(2, indent - 1);
          rows.push(new LazyInstrRow(w.b, w.pos, end - w.pos, indent, funcIndex, k));
          w.pos = end;
          k++;
          if (op === 'block' || op === 'loop' || op === 'if' || op === 'else' || op === 'try_table' || op === 'try' || op === 'catch' || op === 'catch_all') indent++;
        }
      });
    case 11:
      return vec('data segments', (i, s) => {
        const flags = w.u32('segment flags', (n) => (n === 1 ? '1 (passive)' : `${n} (active)`));
        if (flags === 2) w.u32('memory index');
        entry(`data ${i}${flags === 1 ? ' (passive)' : ' at'}`, s);
        if (flags !== 1) constExpr(w, rows, 2);
        const s2 = w.pos;
        const n = w.u32('length (bytes)');
        entry(`${n} bytes:`, s2);
        rawRows(w.b, w.pos, w.pos + n, 'segment bytes', rows);
        w.pos += n;
      });
    case 12: {
      const s = w.pos;
      entry(`${w.u32('number of data segments')} data segments`, s);
      return;
    }
    case 13:
      return vec('tags', (i, s) => {
        w.byte('tag attribute', () => '0 (exception)');
        entry(`tag ${(funcBase.tags ?? 0) + i}: type ${w.u32('type index')}`, s);
      });
    case 0: {
      const s = w.pos;
      const nm = w.name('custom section name');
      entry(`name "${nm}"`, s);
      rawRows(w.b, w.pos, end, 'custom section contents', rows);
      w.pos = end;
      return;
    }
  }
}

/** Cuts a module's bytes into sections and rows. */
export function mapBytes(bytes: Uint8Array): ByteMap {
  const sections: ByteSection[] = [];
  const w = new Walk(bytes, 0);
  w.fixed(4, 'magic number', '"\\0asm"');
  w.fixed(4, 'version, 32-bit little-endian', String(bytes[4] ?? 0));
  sections.push({
    key: 'header',
    title: 'header',
    offset: 0,
    length: 8,
    rows: [{ offset: 0, length: 8, label: 'magic "\\0asm", version 1', indent: 0, kind: 'header', fields: w.take() }],
  });
  const funcBase = { next: 0 };
  let k = 0;
  while (w.pos < bytes.length) {
    const start = w.pos;
    const id = w.byte('section id', (v) => `${v} (${SECTION_NAMES[v] ?? 'unknown'})`);
    const size = w.u32('section size (bytes)');
    const end = w.pos + size;
    const name = SECTION_NAMES[id] ?? `unknown ${id}`;
    const rows: ByteRow[] = [{ offset: start, length: w.pos - start, label: `${name} section, ${size} bytes`, indent: 0, kind: 'section', fields: w.take() }];
    try {
      sectionRows(w, id, end, rows, funcBase);
    } catch {
      w.take();
    }
    if (w.pos < end) {
      rawRows(bytes, w.pos, end, 'section contents', rows);
    }
    w.pos = end;
    w.take();
    sections.push({ key: `s${k++}@${start}`, title: `${name} section`, offset: start, length: end - start, rows });
  }
  return { bytes, sections };
}

/** The row holding byte `offset` (sections and their rows are in offset order), found by bisection. */
export function rowAt(map: ByteMap, offset: number): ByteRow | undefined {
  for (const s of map.sections) {
    if (offset < s.offset || offset >= s.offset + s.length) continue;
    const rows = s.rows;
    let lo = 0;
    let hi = rows.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (rows[mid]!.offset <= offset) lo = mid;
      else hi = mid - 1;
    }
    const r = rows[lo];
    return r !== undefined && offset >= r.offset && offset < r.offset + r.length ? r : undefined;
  }
  return undefined;
}

/** The field a byte belongs to, with a sentence about the byte (LEB128 bytes explained). */
export function describeByte(row: ByteRow, offset: number, byte: number): string {
  const f = row.fields.find((x) => offset >= x.start && offset < x.start + x.length);
  const at = `byte 0x${offset.toString(16)}: ${hex(byte)}`;
  if (f === undefined) return `${at} — ${row.label}`;
  const value = f.value === '' ? '' : ` = ${f.value}`;
  if (f.leb === undefined) {
    const part = f.length > 1 ? ` (byte ${offset - f.start + 1} of ${f.length})` : '';
    return `${at} — ${f.label}${value}${part}`;
  }
  const i = offset - f.start;
  const more = (byte & 0x80) !== 0;
  const payload = byte & 0x7f;
  return (
    `${at} — ${f.label}${value}, ${f.leb} LEB128 byte ${i + 1} of ${f.length}: ` +
    `high bit ${more ? '1 (more bytes follow)' : '0 (last byte)'}, payload ${payload} → bits ${7 * i}–${7 * i + 6}`
  );
}
