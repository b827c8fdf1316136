// A module's outline, for exploring large modules (a 20 MB toolchain output has millions
// of instructions): sections (with their entry counts), types, imports, exports, every
// function's index, name, type and body byte range, custom sections (with `producers` and
// `target_features` parsed) and the features the module uses, all WITHOUT building an
// object per instruction (the module explorer and `wasmstep inspect` read it). Bodies
// are only scanned, opcode by opcode, skipping immediates, to find which features their
// instructions use; decodeOutlineFunction then decodes one body on demand, with byte
// spans, for disassembly (engine/text/print.ts).
// Binary format: https://webassembly.github.io/spec/core/binary/modules.html

import { DecodeError } from './error.ts';
import {
  type Custom, detectFeatures, type Export, FEATURE_ORDER, type FeatureId, featureName, featureOfInstr, type FeatureUse, type Func, type FuncType, type ImmKind, type ImmKind3, type Import, type Instr, type Module, type Names, OPS, OPS_3, type TypeDef,
} from '../syntax/index.ts';
import { readProducers, readTargetFeatures, type ProducerField, type TargetFeature } from './custom-sections.ts';
import { decodeFunctionBody, decodeModuleShell, type DecodeOptions } from './decode.ts';
import { Reader } from './reader.ts';

/** Section names by id (custom sections are named by their own name). */
const SECTION_NAMES = [
  'custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data',
  'datacount', 'tag',
];

export interface SectionOutline {
  readonly id: number;
  /** 'type', 'code', … or, for a custom section, its own name. */
  readonly name: string;
  /** Offset of the section id byte. */
  readonly offset: number;
  /** Offset and size of the content (after id and size). */
  readonly contentOffset: number;
  readonly size: number;
  /**
   * For a non-custom section with content, the u32 it starts with: the number of entries
   * of a vector section, the function index of `start`, the count of `datacount`.
   */
  readonly count?: number;
}

export interface CustomOutline {
  readonly name: string;
  readonly offset: number;
  /** Size of the content after the section's name. */
  readonly size: number;
  readonly producers?: ProducerField[];
  readonly targetFeatures?: TargetFeature[];
}

export interface FunctionOutline {
  /** Index in the function index space (imports first). */
  readonly index: number;
  /** From the name section, when it names the function. */
  readonly name?: string;
  /** Index of its type in `types`, and the type when it is a function type. */
  readonly typeIndex: number;
  readonly type?: FuncType;
  /** For an imported function. */
  readonly import?: { readonly module: string; readonly name: string };
  /** Names it is exported under. */
  readonly exports: readonly string[];
  /** For a defined function: the body entry (size included) and its content after the size. */
  readonly body?: { readonly offset: number; readonly size: number; readonly start: number; readonly end: number };
}

export interface ModuleOutline {
  readonly byteLength: number;
  /** The binary format version from the preamble (1: the decoder accepts no other). */
  readonly version: number;
  readonly sections: readonly SectionOutline[];
  readonly types: readonly TypeDef[];
  readonly imports: readonly Import[];
  readonly exports: readonly Export[];
  /** Every function, imported ones first. */
  readonly functions: readonly FunctionOutline[];
  readonly customs: readonly CustomOutline[];
  /**
   * The module without its function bodies (`funcs` is empty): tables, memories, globals,
   * tags, segments and the rest, for views that show them.
   */
  readonly shell: Module;
  readonly names?: Names;
  /**
   * The 2.0 and 3.0 features the module uses, as detectFeatures finds them, except that
   * `first` is the earliest use in the file (detectFeatures names a use outside the bodies,
   * such as a passive data segment, before any body's).
   */
  readonly features: readonly FeatureUse[];
}

export interface OutlineOptions extends DecodeOptions {
  /** Called with (bytes done, total bytes) as the outline advances, for progress bars. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Reads a module's outline. Throws only DecodeError. */
export function decodeOutline(bytes: Uint8Array, options: OutlineOptions = {}): ModuleOutline {
  const total = bytes.length;
  const progress = options.onProgress;
  const shell = decodeModuleShell(bytes, options, progress === undefined ? undefined : (done) => progress(Math.floor(done / 2), total));
  const m = shell.module;

  // The module has decoded, so the preamble and each section's leading u32 are well-formed.
  const r = new Reader(bytes, 4);
  const version = r.fixedU32();
  const sections: SectionOutline[] = [];
  let customAt = 0;
  for (const s of shell.sections) {
    const name = s.id === 0 ? (m.customs[customAt++]?.name ?? '') : (SECTION_NAMES[s.id] ?? `section ${s.id}`);
    const section = { id: s.id, name, offset: s.offset, contentOffset: s.contentOffset, size: s.size };
    if (s.id === 0 || s.size === 0) sections.push(section);
    else {
      r.pos = s.contentOffset;
      sections.push({ ...section, count: r.u32() });
    }
  }
  const customs = m.customs.map(customOutline);
  const names = m.names;

  const exportsOf = new Map<number, string[]>();
  for (const e of m.exports) {
    if (e.kind !== 'func') continue;
    const list = exportsOf.get(e.index);
    if (list === undefined) exportsOf.set(e.index, [e.name]);
    else list.push(e.name);
  }
  const functions: FunctionOutline[] = [];
  const describe = (index: number, typeIndex: number, rest: Partial<FunctionOutline>): FunctionOutline => {
    const def = m.types[typeIndex];
    const name = names?.functions.get(index);
    return {
      index,
      typeIndex,
      ...(def !== undefined && def.comp === undefined ? { type: def.type } : {}),
      ...(name === undefined ? {} : { name }),
      exports: exportsOf.get(index) ?? [],
      ...rest,
    };
  };
  for (const imp of m.imports) {
    if (imp.desc.kind !== 'func') continue;
    functions.push(describe(functions.length, imp.desc.type, { import: { module: imp.module, name: imp.name } }));
  }
  const imported = functions.length;
  shell.bodies.forEach((b, i) => {
    functions.push(
      describe(imported + i, shell.funcTypes[i] ?? -1, { body: { offset: b.at, size: b.end - b.at, start: b.start, end: b.end } }),
    );
  });

  // Features of everything but the bodies, then of the bodies, scanned.
  const found = new Map<FeatureId, { count: number; first: string; offset?: number }>();
  for (const f of detectFeatures(m)) found.set(f.id, { count: f.count, first: f.first, ...(f.offset === undefined ? {} : { offset: f.offset }) });
  const scanner = new BodyScanner(bytes, m.types, found);
  let reported = 0;
  shell.bodies.forEach((b, i) => {
    scanner.scan(b.at, b.start, b.end, imported + i);
    if (progress !== undefined && b.end - reported > 1 << 20) {
      reported = b.end;
      progress(Math.floor((total + b.end) / 2), total);
    }
  });
  progress?.(total, total);
  const features: FeatureUse[] = [];
  for (const id of FEATURE_ORDER) {
    const entry = found.get(id);
    if (entry !== undefined) features.push({ id, name: featureName(id), ...entry });
  }

  return {
    byteLength: total,
    version,
    sections,
    types: m.types,
    imports: m.imports,
    exports: m.exports,
    functions,
    customs,
    shell: m,
    ...(names === undefined ? {} : { names }),
    features,
  };
}

/** Decodes one defined function of an outline, with byte spans on every instruction. */
export function decodeOutlineFunction(bytes: Uint8Array, outline: ModuleOutline, index: number, options: DecodeOptions = {}): Func {
  const f = outline.functions[index];
  if (f?.body === undefined) throw new DecodeError(`function ${index} has no body in this module`, 0);
  return decodeFunctionBody(bytes, f.body.start, f.body.end, f.typeIndex, options);
}

function customOutline(c: Custom): CustomOutline {
  const base = { name: c.name, offset: c.span.bytes?.offset ?? 0, size: c.bytes.length };
  if (c.name === 'producers') {
    const producers = readProducers(c.bytes);
    return producers === undefined ? base : { ...base, producers };
  }
  if (c.name === 'target_features') {
    const targetFeatures = readTargetFeatures(c.bytes);
    return targetFeatures === undefined ? base : { ...base, targetFeatures };
  }
  return base;
}

// --- The body scanner -------------------------------------------------------------------

// How to skip each immediate kind, as small numbers for a switch.
const NONE = 0;
const BLOCK = 1;
const LEB = 2;
const BYTE = 3;
const BR_TABLE = 4;
const TWO_LEB = 5;
const MEMARG = 6;
const MEMARG_LANE = 7;
const FIXED4 = 9;
const FIXED8 = 10;
const FIXED16 = 11;
const SELECT_T = 12;
const TRY_TABLE = 13;
const BR_ON_CAST = 14;
const UNKNOWN = 255;

const SKIP: Record<ImmKind | ImmKind3, number> = {
  none: NONE, block: BLOCK, label: LEB, local: LEB, global: LEB, func: LEB, table: LEB, elem: LEB, data: LEB,
  memory: LEB, memory_fill: LEB, ref_null: LEB, tag: LEB, type: LEB, heap: LEB, lane: BYTE, br_table: BR_TABLE,
  call_indirect: TWO_LEB, table_copy: TWO_LEB, table_init: TWO_LEB, memory_init: TWO_LEB, memory_copy: TWO_LEB,
  struct_field: TWO_LEB, array_fixed: TWO_LEB, array_data: TWO_LEB, array_elem: TWO_LEB, array_copy: TWO_LEB,
  memarg: MEMARG, memarg_lane: MEMARG_LANE, i32: LEB, i64: LEB, f32: FIXED4, f64: FIXED8, v128: FIXED16,
  shuffle: FIXED16, select_t: SELECT_T, try_table: TRY_TABLE, br_on_cast: BR_ON_CAST,
};

/** Per opcode space: how to skip the immediates, the feature, and the mnemonic. */
interface Space {
  skip: Uint8Array;
  feature: (FeatureId | undefined)[];
  op: (string | undefined)[];
}

function space(size: number): Space {
  return { skip: new Uint8Array(size).fill(UNKNOWN), feature: new Array(size), op: new Array(size) };
}

const SINGLE = space(256);
/** The prefixed opcode spaces, by prefix byte (an array: looked up for every instruction). */
const PREFIXED: (Space | undefined)[] = new Array(256).fill(undefined);
PREFIXED[0xfb] = space(32);
PREFIXED[0xfc] = space(32);
PREFIXED[0xfd] = space(0x114);
for (const info of [...OPS, ...OPS_3]) {
  const prefix = info.code >>> 16;
  const s = prefix === 0 ? SINGLE : PREFIXED[prefix];
  if (s === undefined) continue;
  const sub = info.code & 0xffff;
  s.skip[sub] = SKIP[info.imm];
  s.feature[sub] = featureOfInstr({ op: info.op, code: info.code, span: {} } as Instr);
  s.op[sub] = info.op;
}

/** Features of value types by their first byte (3.0's two-byte types are looked at further). */
const TYPE_FEATURE: (FeatureId | undefined)[] = [];
TYPE_FEATURE[0x7b] = 'simd';
TYPE_FEATURE[0x6f] = 'reference-types';
TYPE_FEATURE[0x69] = 'exceptions';
TYPE_FEATURE[0x74] = 'exceptions';
for (const b of [0x6e, 0x6d, 0x6c, 0x6b, 0x6a, 0x71, 0x72, 0x73]) TYPE_FEATURE[b] = 'gc';

class BodyScanner {
  readonly b: Uint8Array;
  /** The module's types, to describe a block type given by index. */
  readonly types: readonly TypeDef[];
  readonly found: Map<FeatureId, { count: number; first: string; offset?: number }>;
  pos = 0;
  func = 0;

  constructor(bytes: Uint8Array, types: readonly TypeDef[], found: Map<FeatureId, { count: number; first: string; offset?: number }>) {
    this.b = bytes;
    this.types = types;
    this.found = found;
  }

  add(id: FeatureId, what: string, offset: number, times = 1): void {
    const entry = this.found.get(id);
    if (entry === undefined) this.found.set(id, { count: times, first: `func ${this.func}: ${what}`, offset });
    else {
      entry.count += times;
      // detectFeatures numbers the non-body uses first; a body use may come earlier in the file.
      if (entry.offset !== undefined && offset < entry.offset) {
        entry.first = `func ${this.func}: ${what}`;
        entry.offset = offset;
      }
    }
  }

  fail(at: number, message: string): never {
    throw new DecodeError(message, at);
  }

  leb(): number {
    const b = this.b;
    let p = this.pos;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (p >= b.length) this.fail(p, 'unexpected end of section or function');
      const byte = b[p++] as number;
      result += (byte & 0x7f) * scale;
      scale *= 128;
      if (byte < 0x80) {
        this.pos = p;
        return result;
      }
    }
    return this.fail(p, 'integer representation too long');
  }

  /** A value type at pos: skipped, its feature counted (at its own offset unless told where). */
  valType(what: string, times = 1, at = this.pos): void {
    const byte = this.b[this.pos++] as number;
    if (byte === 0x63 || byte === 0x64) {
      const heap = this.b[this.pos] as number;
      this.leb();
      const id: FeatureId | undefined =
        heap === 0x69 || heap === 0x74 ? 'exceptions'
        : heap === 0x70 || heap === 0x6f ? (byte === 0x64 ? 'function-references' : undefined)
        : heap < 0x40 || heap >= 0x80 ? 'function-references' // a type index
        : 'gc';
      if (id !== undefined) this.add(id, what, at, times);
      return;
    }
    const id = TYPE_FEATURE[byte];
    if (id !== undefined) this.add(id, what, at, times);
  }

  // Uses in an instruction's immediates are placed at the instruction, and worded, as
  // detectFeatures does.
  blockType(op: string, at: number): void {
    const p = this.b[this.pos] as number;
    if (p === 0x40) {
      this.pos++;
    } else if ((p & 0xc0) === 0x40) {
      this.valType(op, 1, at);
    } else {
      // A positive s33: its unsigned reading is the same number.
      const index = this.leb();
      const type = this.types[index]?.type;
      const shape = type === undefined ? `type ${index}` : `${type.params.length} params, ${type.results.length} results`;
      this.add('multi-value', `${op} (${shape})`, at);
    }
  }

  /** The body whose entry (size included) starts at `entry` and whose content is [start, end). */
  scan(entry: number, start: number, end: number, func: number): void {
    const b = this.b;
    this.func = func;
    this.pos = start;
    // detectFeatures counts each local, so a group of n counts n times, and places locals
    // at their function's entry (the AST gives them no spans of their own).
    for (let groups = this.leb(); groups > 0; groups--) this.valType('local', this.leb(), entry);
    while (this.pos < end) {
      const at = this.pos;
      const byte = b[this.pos++] as number;
      let s: Space = SINGLE;
      let sub = byte;
      const prefixed = PREFIXED[byte];
      if (prefixed !== undefined) {
        s = prefixed;
        sub = this.leb();
      }
      const skip = sub < s.skip.length ? (s.skip[sub] as number) : UNKNOWN;
      if (skip === UNKNOWN) this.fail(at, 'illegal opcode');
      const op = s.op[sub] as string;
      const feature = s.feature[sub];
      if (feature !== undefined) this.add(feature, op, at);
      switch (skip) {
        case NONE:
          break;
        case BLOCK:
          this.blockType(op, at);
          break;
        case LEB: {
          const first = b[this.pos] as number;
          const x = this.leb();
          if (byte === 0xd0 && first !== 0x70 && first !== 0x6f) {
            const id: FeatureId =
              first === 0x69 || first === 0x74 ? 'exceptions' : first < 0x40 || first >= 0x80 ? 'function-references' : 'gc';
            this.add(id, 'ref.null', at);
          }
          // memory.size/grow on another memory; call_indirect's table is read below.
          if ((byte === 0x3f || byte === 0x40) && x !== 0) this.add('multi-memory', `${op} on another memory`, at);
          break;
        }
        case BYTE:
          this.pos++;
          break;
        case BR_TABLE:
          for (let n = this.leb(); n >= 0; n--) this.leb();
          break;
        case TWO_LEB: {
          this.leb();
          const y = this.leb();
          if ((byte === 0x11 || byte === 0x13) && y !== 0) this.add('reference-types', `${op} on table ${y}`, at);
          if (byte === 0xfc && sub >= 8 && sub <= 10 && sub !== 9 && y !== 0) this.add('multi-memory', `${op} on another memory`, at);
          break;
        }
        case MEMARG:
        case MEMARG_LANE: {
          const flags = this.leb();
          if (flags & 0x40 && this.leb() !== 0) this.add('multi-memory', `${op} on another memory`, at);
          if (this.leb() > 0xffff_ffff) this.add('memory64', `${op} offset beyond 4 GiB`, at);
          if (skip === MEMARG_LANE) this.pos++;
          break;
        }
        case FIXED4:
          this.pos += 4;
          break;
        case FIXED8:
          this.pos += 8;
          break;
        case FIXED16:
          this.pos += 16;
          break;
        case SELECT_T:
          for (let n = this.leb(); n > 0; n--) this.valType('select', 1, at);
          break;
        case TRY_TABLE:
          this.blockType(op, at);
          for (let n = this.leb(); n > 0; n--) {
            const kind = b[this.pos++] as number;
            if (kind <= 1) this.leb();
            this.leb();
          }
          break;
        case BR_ON_CAST:
          this.pos++;
          this.leb();
          this.leb();
          this.leb();
          break;
      }
    }
    if (this.pos !== end) this.fail(end, 'section size mismatch');
  }
}
