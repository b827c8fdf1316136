// A module's outline, for exploring large modules (a 20 MB toolchain output has millions
// of instructions): sections (with their entry counts), types, imports, exports, every
// function's index, name, type and body byte range, custom sections (with `producers` and
// `target_features` parsed) and the features the module uses, all WITHOUT building an
// object per instruction (the module explorer and `wasmstep inspect` read it). Bodies
// are only scanned, opcode by opcode, checking and skipping immediates: as strictly as
// decodeModule reads them, so that the outline rejects every module decodeModule rejects,
// with the same error, and to find which features their instructions use.
// decodeOutlineFunction then decodes one body on demand, with byte spans, for
// disassembly (engine/text/print.ts).
// Binary format: https://webassembly.github.io/spec/core/binary/modules.html

import { DecodeError } from './error.ts';
import {
  type Custom, DEFAULT_MAX_NESTING, detectFeatures, type Export, FEATURE_ORDER, type FeatureId, featureName, featureOfInstr, type FeatureUse, type Func, type FuncType, type ImmKind, type ImmKind3, type Import, type Instr, laterProposal, type Module, type Names, nestingTooDeep, OPS, OPS_3, type TypeDef,
} from '../syntax/index.ts';
import { readProducers, readTargetFeatures, type ProducerField, type TargetFeature } from './custom-sections.ts';
import {
  ABSTRACT_HEAP,
  MAX_LOCALS,
  SHORTHAND_TYPES,
  VAL_TYPES,
  decodeFunctionBody,
  decodeModuleShell,
  malformedRefType,
  malformedValType,
  type DecodeOptions,
} from './decode.ts';
import { END_IN_SECTION, Reader } from './reader.ts';

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
  /** With `tolerateBodies`: the first error found in a function body, when there is one. */
  readonly bodyError?: DecodeError;
}

/** A feature's uses while they are counted. */
interface FeatureCount {
  count: number;
  first: string;
  offset?: number;
}

export interface OutlineOptions extends DecodeOptions {
  /** Called with (bytes done, total bytes) as the outline advances, for progress bars. */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Outline a module whose function bodies are malformed instead of throwing: a body's
   * scan stops at its first error, and the first such error is the outline's `bodyError`
   * (for a view that shows the outline and reports the error itself, as the module
   * explorer does). Everything outside the bodies must still decode.
   */
  readonly tolerateBodies?: boolean;
}

/**
 * Reads a module's outline. Throws only DecodeError: for every module decodeModule
 * rejects, with the same message at the same offset (unless `tolerateBodies`).
 */
export function decodeOutline(bytes: Uint8Array, options: OutlineOptions = {}): ModuleOutline {
  const total = bytes.length;
  const progress = options.onProgress;
  const tolerate = options.tolerateBodies === true;
  // Each body is scanned as soon as it is located, so that its errors come before those
  // of the sections after it, as in decodeModule. Its feature uses are merged below.
  const bodyUses = new Map<FeatureId, FeatureCount>();
  let scanner: BodyScanner | undefined;
  let imported = 0;
  let bodyError: DecodeError | undefined;
  const shell = decodeModuleShell(
    bytes,
    options,
    progress === undefined ? undefined : (done) => progress(done, total),
    false,
    (body, i, module) => {
      if (scanner === undefined) {
        scanner = new BodyScanner(bytes, module.types, bodyUses, options.version !== '2.0', options.maxNesting ?? DEFAULT_MAX_NESTING);
        imported = module.imports.reduce((n, imp) => (imp.desc.kind === 'func' ? n + 1 : n), 0);
      }
      if (!tolerate) scanner.scan(body.at, body.start, body.end, imported + i);
      else {
        try {
          scanner.scan(body.at, body.start, body.end, imported + i);
        } catch (error) {
          if (!(error instanceof DecodeError)) throw error;
          bodyError ??= error;
        }
      }
    },
  );
  const m = shell.module;
  // The one check of decodeModule's that needs the instructions, made last as there.
  if (m.dataCount === undefined && scanner !== undefined && scanner.dataIndexUsedAt >= 0) {
    const error = new DecodeError('data count section required', scanner.dataIndexUsedAt);
    if (!tolerate) throw error;
    bodyError ??= error;
  }

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
  shell.bodies.forEach((b, i) => {
    functions.push(
      describe(imported + i, shell.funcTypes[i] ?? -1, { body: { offset: b.at, size: b.end - b.at, start: b.start, end: b.end } }),
    );
  });

  // Features of everything but the bodies, then of the bodies. detectFeatures names a use
  // outside the bodies first; a body's use may come earlier in the file.
  const found = new Map<FeatureId, FeatureCount>();
  for (const f of detectFeatures(m)) found.set(f.id, { count: f.count, first: f.first, ...(f.offset === undefined ? {} : { offset: f.offset }) });
  for (const [id, use] of bodyUses) {
    const entry = found.get(id);
    if (entry === undefined) found.set(id, use);
    else {
      entry.count += use.count;
      if (entry.offset !== undefined && use.offset !== undefined && use.offset < entry.offset) {
        entry.first = use.first;
        entry.offset = use.offset;
      }
    }
  }
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
    ...(bodyError === undefined ? {} : { bodyError }),
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

// The scan is as strict as decodeModule's reading of a body, and raises the same errors
// at the same offsets: every LEB128 is read at its full width and range, value and heap
// types and flags are checked, blocks are matched up to the `end` that closes the body
// (which, as in decodeModule, is looked for past the body's declared size), and the first
// instruction naming a data segment is noted, for decodeOutline to require a data count
// section. Only nothing is built.

// What follows each opcode, as small numbers for a switch. The 2.0 reading has kinds of
// its own where it reads other immediates (reserved zero bytes, 2.0 memargs, ref types).
const NONE = 0;
const BLOCK = 1;
const IF = 2;
const U32 = 3;
const BYTE = 4;
const BR_TABLE = 5;
const TWO_U32 = 6;
const CALL_INDIRECT = 7;
const MEMARG = 8;
const MEMARG_LANE = 9;
const I32 = 10;
const I64 = 11;
const FIXED4 = 12;
const FIXED8 = 13;
const FIXED16 = 14;
const SELECT_T = 15;
const REF_NULL = 16;
const HEAP = 17;
const MEMORY = 18;
const DATA = 19;
const MEMORY_INIT = 20;
const MEMORY_COPY = 21;
const MEMORY_FILL = 22;
const ARRAY_DATA = 23;
const TRY_TABLE = 24;
const BR_ON_CAST = 25;
/** Legacy exceptions: try, catch, catch_all, delegate. */
const TRY = 26;
const CATCH = 27;
const CATCH_ALL = 28;
const DELEGATE = 29;
/** 2.0 only. */
const MEMARG_2 = 30;
const MEMARG_LANE_2 = 31;
const ZERO = 32;
const ZERO_2 = 33;
const MEMORY_INIT_2 = 34;
const REF_TYPE_2 = 35;
const UNKNOWN = 255;

/** The kind of what follows an opcode, in the 3.0 reading or (v3 false) the 2.0 one. */
function immediates(imm: ImmKind | ImmKind3, code: number, v3: boolean): number {
  switch (imm) {
    case 'none': return code === 0x19 ? CATCH_ALL : NONE;
    case 'block': return code === 0x04 ? IF : code === 0x06 ? TRY : BLOCK;
    case 'tag': return code === 0x07 ? CATCH : U32;
    case 'label': return code === 0x18 ? DELEGATE : U32;
    case 'local': case 'global': case 'func': case 'table': case 'elem': case 'type': return U32;
    case 'lane': return BYTE;
    case 'br_table': return BR_TABLE;
    // detectFeatures counts another table for call_indirect only, not return_call_indirect.
    case 'call_indirect': return code === 0x11 ? CALL_INDIRECT : TWO_U32;
    case 'table_copy': case 'table_init': case 'struct_field': case 'array_fixed': case 'array_elem': case 'array_copy':
      return TWO_U32;
    case 'memarg': return v3 ? MEMARG : MEMARG_2;
    case 'memarg_lane': return v3 ? MEMARG_LANE : MEMARG_LANE_2;
    case 'i32': return I32;
    case 'i64': return I64;
    case 'f32': return FIXED4;
    case 'f64': return FIXED8;
    case 'v128': case 'shuffle': return FIXED16;
    case 'select_t': return SELECT_T;
    case 'ref_null': return v3 ? REF_NULL : REF_TYPE_2;
    case 'heap': return HEAP;
    case 'memory': return v3 ? MEMORY : ZERO;
    case 'data': return DATA;
    case 'memory_init': return v3 ? MEMORY_INIT : MEMORY_INIT_2;
    case 'memory_copy': return v3 ? MEMORY_COPY : ZERO_2;
    case 'memory_fill': return v3 ? MEMORY_FILL : ZERO;
    case 'array_data': return ARRAY_DATA;
    case 'try_table': return TRY_TABLE;
    case 'br_on_cast': return BR_ON_CAST;
  }
}

/** One opcode space of one reading: the immediates' kind, the feature and the mnemonic per opcode. */
interface Space {
  readonly kind: Uint8Array;
  readonly feature: (FeatureId | undefined)[];
  readonly op: (string | undefined)[];
}

/** The opcode spaces of one reading: single-byte opcodes, and the prefixed ones by prefix byte. */
interface Opcodes {
  readonly single: Space;
  /** An array rather than a map: looked up for every instruction. */
  readonly prefixed: readonly (Space | undefined)[];
}

function opcodes(v3: boolean): Opcodes {
  const space = (size: number): Space => ({ kind: new Uint8Array(size).fill(UNKNOWN), feature: new Array(size), op: new Array(size) });
  const single = space(256);
  const prefixed: (Space | undefined)[] = new Array(256).fill(undefined);
  if (v3) prefixed[0xfb] = space(32);
  prefixed[0xfc] = space(32);
  prefixed[0xfd] = space(0x114);
  for (const info of v3 ? [...OPS, ...OPS_3] : OPS) {
    const prefix = info.code >>> 16;
    const s = prefix === 0 ? single : prefixed[prefix];
    if (s === undefined) continue;
    const sub = info.code & 0xffff;
    s.kind[sub] = immediates(info.imm, info.code, v3);
    s.feature[sub] = featureOfInstr({ op: info.op, code: info.code, span: {} } as Instr);
    s.op[sub] = info.op;
  }
  return { single, prefixed };
}

const OPCODES_3 = opcodes(true);
const OPCODES_2 = opcodes(false);

// Value types by their first byte: 1 is a whole type, 2 is `ref`/`ref null` and a heap type.
const TYPES_2 = new Uint8Array(128);
for (let byte = 0; byte < 128; byte++) if (VAL_TYPES[byte] !== undefined) TYPES_2[byte] = 1;
const TYPES_3 = TYPES_2.slice();
for (let byte = 0; byte < 128; byte++) if (SHORTHAND_TYPES[byte] !== undefined) TYPES_3[byte] = 1;
TYPES_3[0x63] = 2;
TYPES_3[0x64] = 2;

/** Features of value types by their first byte (3.0's two-byte types are looked at further). */
const TYPE_FEATURE: (FeatureId | undefined)[] = [];
TYPE_FEATURE[0x7b] = 'simd';
TYPE_FEATURE[0x6f] = 'reference-types';
TYPE_FEATURE[0x69] = 'exceptions';
TYPE_FEATURE[0x74] = 'exceptions';
for (const b of [0x6e, 0x6d, 0x6c, 0x6b, 0x6a, 0x71, 0x72, 0x73]) TYPE_FEATURE[b] = 'gc';

// What each open block is, as decodeModule tracks them: `else` closes only an `if`'s
// then-branch, a legacy `catch` follows only a `try` or a catch, `delegate` ends a `try`.
const FRAME_BLOCK = 0;
const FRAME_IF = 1;
const FRAME_ELSE = 2;
const FRAME_TRY = 3;
const FRAME_CATCH = 4;

class BodyScanner {
  readonly r: Reader;
  readonly b: Uint8Array;
  /** The module's types, to describe a block type given by index. */
  readonly types: readonly TypeDef[];
  /** The uses of features found, each named by its first (the bodies are scanned in file order). */
  readonly found: Map<FeatureId, FeatureCount>;
  /** Whether WebAssembly 3.0 is read (DecodeOptions.version). */
  readonly v3: boolean;
  readonly single: Space;
  readonly prefixed: readonly (Space | undefined)[];
  readonly typeKinds: Uint8Array;
  /** The kinds of the open blocks (FRAME_*). */
  readonly frames: number[] = [];
  /** Offset of the first instruction that names a data segment, or -1. */
  dataIndexUsedAt = -1;
  func = 0;

  /** Most blocks open at once (NestingOptions.maxNesting). */
  readonly maxNesting: number;

  constructor(bytes: Uint8Array, types: readonly TypeDef[], found: Map<FeatureId, FeatureCount>, v3: boolean, maxNesting: number) {
    this.maxNesting = maxNesting;
    this.r = new Reader(bytes);
    this.r.endMessage = END_IN_SECTION;
    this.b = bytes;
    this.types = types;
    this.found = found;
    this.v3 = v3;
    const opcodes = v3 ? OPCODES_3 : OPCODES_2;
    this.single = opcodes.single;
    this.prefixed = opcodes.prefixed;
    this.typeKinds = v3 ? TYPES_3 : TYPES_2;
  }

  add(id: FeatureId, what: string, offset: number, times = 1): void {
    // A group of no locals declares none.
    if (times === 0) return;
    const entry = this.found.get(id);
    if (entry === undefined) this.found.set(id, { count: times, first: `func ${this.func}: ${what}`, offset });
    else entry.count += times;
  }

  fail(at: number, message: string): never {
    throw new DecodeError(message, at);
  }

  /** A value type: checked, skipped, its feature counted (placed at `at`). */
  valType(what: string, times: number, at: number): void {
    const r = this.r;
    const typeAt = r.pos;
    const byte = r.s7Byte();
    const kind = this.typeKinds[byte];
    if (kind === 1) {
      const id = TYPE_FEATURE[byte];
      if (id !== undefined) this.add(id, what, at, times);
      return;
    }
    if (kind !== 2) malformedValType(byte, typeAt, this.v3);
    const heap = this.heapType();
    const id: FeatureId | undefined =
      heap === 0x69 || heap === 0x74 ? 'exceptions'
      : heap === 0x70 || heap === 0x6f ? (byte === 0x64 ? 'function-references' : undefined)
      : heap < 0x40 || heap >= 0x80 ? 'function-references' // a type index
      : 'gc';
    if (id !== undefined) this.add(id, what, at, times);
  }

  /** A heap type: an abstract one (a byte) or a type index (a non-negative s33). Returns its first byte. */
  heapType(): number {
    const r = this.r;
    const at = r.pos;
    const first = r.peek();
    if (first >= 0 && ABSTRACT_HEAP[first] !== undefined) r.pos++;
    else if (r.s33() < 0) this.fail(at, 'malformed heap type');
    return first;
  }

  // Uses in an instruction's immediates are placed at the instruction, and worded, as
  // detectFeatures does.
  blockType(op: string, at: number): void {
    const r = this.r;
    const p = r.peek();
    if (p === 0x40) {
      r.pos++;
    } else if (p >= 0 && (p & 0xc0) === 0x40) {
      this.valType(op, 1, at);
    } else {
      const index = r.s33();
      const type = this.types[index]?.type;
      const shape = type === undefined ? `type ${index}` : `${type.params.length} params, ${type.results.length} results`;
      this.add('multi-value', `${op} (${shape})`, at);
    }
  }

  /** The memory index and offset after a 3.0 memarg's flags. */
  memarg(op: string, at: number): void {
    const r = this.r;
    const flagsAt = r.pos;
    const flags = r.u32();
    if (flags >= 0x80) this.fail(flagsAt, 'malformed memop flags');
    if (flags & 0x40 && r.u32() !== 0) this.add('multi-memory', `${op} on another memory`, at);
    if (r.u64() > 0xffff_ffff) this.add('memory64', `${op} offset beyond 4 GiB`, at);
  }

  /** A 2.0 memarg: alignment and offset. */
  memarg2(): void {
    const r = this.r;
    const at = r.pos;
    const align = r.u32();
    if (align >= 32) {
      // Bit 6 announces an explicit memory index (multi-memory).
      if (align & 0x40 && align < 0x80) this.fail(at, 'not supported: multi-memory');
      if (align > 32) this.fail(r.pos - 1, 'malformed memop flags');
    }
    r.u32();
  }

  /** A signed 64-bit LEB128, checked like Reader.s64 but not built. */
  s64(): void {
    const r = this.r;
    const b = this.b;
    let p = r.pos;
    for (let i = 0; i < 10; i++) {
      if (p >= b.length) r.eof();
      const byte = b[p++] as number;
      if (i === 9) {
        // Tenth byte: one value bit left; the rest must copy it.
        const high = byte & 0x7f;
        if (high !== 0 && high !== 0x7f) this.fail(p - 1, 'integer too large');
        if (byte & 0x80) this.fail(p, 'integer representation too long');
      }
      if (byte < 0x80) {
        r.pos = p;
        return;
      }
    }
  }

  /** The error for an opcode neither reading knows: a later proposal's, or illegal. */
  unknown(code: number, at: number): never {
    const proposal = code >= 0 ? laterProposal(code) : undefined;
    return this.fail(at, proposal === undefined ? 'illegal opcode' : `not supported: ${proposal}`);
  }

  /** After a block's opening at `at`: past the limit, the error decodeModule gives there. */
  opened(at: number): void {
    if (this.frames.length > this.maxNesting) this.fail(at, nestingTooDeep(this.maxNesting));
  }

  /** A legacy catch/catch_all: only directly after a `try`'s body or another catch. */
  legacyCatch(at: number): void {
    const frames = this.frames;
    const top = frames.length === 0 ? -1 : frames[frames.length - 1];
    if (top !== FRAME_TRY && top !== FRAME_CATCH) this.fail(at, 'catch outside try');
    frames[frames.length - 1] = FRAME_CATCH;
  }

  /** The body whose entry (size included) starts at `entry` and whose content is [start, end). */
  scan(entry: number, start: number, end: number, func: number): void {
    const r = this.r;
    const b = this.b;
    const frames = this.frames;
    const single = this.single;
    const prefixes = this.prefixed;
    frames.length = 0;
    this.func = func;
    r.pos = start;
    // detectFeatures counts each local, so a group of n counts n times, and places locals
    // at their function's entry (the AST gives them no spans of their own).
    const localsAt = start;
    let locals = 0;
    for (let groups = r.len32(); groups > 0; groups--) {
      const n = r.u32();
      locals += n;
      this.valType('local', n, entry);
    }
    if (locals > MAX_LOCALS) this.fail(localsAt, 'too many locals');
    for (;;) {
      const at = r.pos;
      if (at >= b.length) r.eof();
      const byte = b[at] as number;
      r.pos = at + 1;
      if (byte === 0x0b) {
        if (frames.length === 0) break;
        frames.pop();
        continue;
      }
      if (byte === 0x05) {
        if (frames.length === 0 || frames[frames.length - 1] !== FRAME_IF) this.fail(at, 'END opcode expected');
        frames[frames.length - 1] = FRAME_ELSE;
        continue;
      }
      let s: Space = single;
      let sub = byte;
      const prefixed = prefixes[byte];
      if (prefixed !== undefined) {
        s = prefixed;
        sub = r.u32();
      }
      const kind = sub < s.kind.length ? (s.kind[sub] as number) : UNKNOWN;
      if (kind === UNKNOWN) this.unknown(prefixed === undefined ? byte : sub <= 0xffff ? (byte << 16) | sub : -1, at);
      const op = s.op[sub] as string;
      const feature = s.feature[sub];
      if (feature !== undefined) this.add(feature, op, at);
      // The common immediates here; the rest in `immediates`, which keeps this loop small
      // for the JIT (it is compiled sooner, and recompiled sooner when a rare case first turns up).
      switch (kind) {
        case NONE:
          break;
        case U32:
          // One-byte LEB128s are most of them (reading past the end yields undefined: the slow path).
          if ((b[r.pos] as number) < 0x80) r.pos++;
          else r.u32();
          break;
        case MEMARG: {
          // Most are flags without a memory index and a one-byte offset.
          const p = r.pos;
          if ((b[p] as number) < 0x40 && (b[p + 1] as number) < 0x80) r.pos = p + 2;
          else this.memarg(op, at);
          break;
        }
        case I32:
          if ((b[r.pos] as number) < 0x80) r.pos++;
          else r.s32();
          break;
        case BLOCK:
          this.blockType(op, at);
          frames.push(FRAME_BLOCK);
          this.opened(at);
          break;
        case IF:
          this.blockType(op, at);
          frames.push(FRAME_IF);
          this.opened(at);
          break;
        default:
          this.immediates(kind, op, at);
      }
    }
    // As decodeModule: the body's `end` must be its last byte.
    if (r.pos !== end) this.fail(r.pos < end ? r.pos : end, 'section size mismatch');
  }

  /** The immediates of the less common kinds (see scan), after the opcode at `at`. */
  immediates(kind: number, op: string, at: number): void {
    const r = this.r;
    const frames = this.frames;
    switch (kind) {
      case BYTE:
        r.u8();
        break;
      case BR_TABLE:
        for (let n = r.len32(); n >= 0; n--) r.u32();
        break;
      case TWO_U32:
        r.u32();
        r.u32();
        break;
      case CALL_INDIRECT: {
        r.u32();
        const table = r.u32();
        if (table !== 0) this.add('reference-types', `${op} on table ${table}`, at);
        break;
      }
      case MEMARG_LANE:
        this.memarg(op, at);
        r.u8();
        break;
      case I64:
        this.s64();
        break;
      case FIXED4:
        r.pos += 4;
        break;
      case FIXED8:
        r.pos += 8;
        break;
      case FIXED16:
        r.pos += 16;
        break;
      case SELECT_T:
        for (let n = r.len32(); n > 0; n--) this.valType('select', 1, at);
        break;
      case REF_NULL: {
        const first = this.heapType();
        if (first !== 0x70 && first !== 0x6f) {
          const id: FeatureId =
            first === 0x69 || first === 0x74 ? 'exceptions' : first < 0x40 || first >= 0x80 ? 'function-references' : 'gc';
          this.add(id, 'ref.null', at);
        }
        break;
      }
      case HEAP:
        this.heapType();
        break;
      case MEMORY:
        if (r.u32() !== 0) this.add('multi-memory', `${op} on another memory`, at);
        break;
      case DATA:
        if (this.dataIndexUsedAt < 0) this.dataIndexUsedAt = at;
        r.u32();
        break;
      case MEMORY_INIT:
        if (this.dataIndexUsedAt < 0) this.dataIndexUsedAt = at;
        r.u32();
        if (r.u32() !== 0) this.add('multi-memory', `${op} on another memory`, at);
        break;
      case MEMORY_COPY: {
        const to = r.u32();
        const from = r.u32();
        if (to !== 0 || from !== 0) this.add('multi-memory', `${op} on another memory`, at);
        break;
      }
      case MEMORY_FILL:
        if (r.u32() !== 0) this.add('multi-memory', `${op} on another memory`, at);
        break;
      case ARRAY_DATA:
        if (this.dataIndexUsedAt < 0) this.dataIndexUsedAt = at;
        r.u32();
        r.u32();
        break;
      case TRY_TABLE:
        this.blockType(op, at);
        for (let n = r.len32(); n > 0; n--) {
          const kindAt = r.pos;
          const clause = r.u8();
          if (clause > 3) this.fail(kindAt, 'malformed catch clause');
          if (clause <= 1) r.u32();
          r.u32();
        }
        frames.push(FRAME_BLOCK);
        this.opened(at);
        break;
      case BR_ON_CAST: {
        const flagsAt = r.pos;
        if (r.u8() > 3) this.fail(flagsAt, 'malformed cast flags');
        r.u32();
        this.heapType();
        this.heapType();
        break;
      }
      case TRY:
        this.blockType(op, at);
        frames.push(FRAME_TRY);
        this.opened(at);
        break;
      case CATCH:
        this.legacyCatch(at);
        r.u32();
        break;
      case CATCH_ALL:
        this.legacyCatch(at);
        break;
      case DELEGATE:
        // delegate ends a try that has no catch yet, like `end`.
        if (frames.length === 0 || frames[frames.length - 1] !== FRAME_TRY) this.fail(at, 'delegate outside try');
        frames.pop();
        r.u32();
        break;
      case MEMARG_2:
        this.memarg2();
        break;
      case MEMARG_LANE_2:
        this.memarg2();
        r.u8();
        break;
      case ZERO:
        r.zero();
        break;
      case ZERO_2:
        r.zero();
        r.zero();
        break;
      case MEMORY_INIT_2:
        if (this.dataIndexUsedAt < 0) this.dataIndexUsedAt = at;
        r.u32();
        r.zero();
        break;
      case REF_TYPE_2: {
        const typeAt = r.pos;
        const byte = r.s7Byte();
        if (byte !== 0x70 && byte !== 0x6f) malformedRefType(byte, typeAt, false);
        break;
      }
    }
  }
}
