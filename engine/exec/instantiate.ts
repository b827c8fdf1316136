// Instantiation (https://webassembly.github.io/spec/core/exec/modules.html#instantiation):
// validate, resolve and type-check the imports, allocate functions, tables, memories,
// globals and segments, then — in the 2.0 order — apply the active element segments
// (table.init + elem.drop), drop the declarative ones, apply the active data segments
// (memory.init + data.drop), and run the start function. A segment out of bounds traps
// there and then, and what earlier segments wrote to imported tables and memories stays
// (that is observable, and the spec tests check it).
//
// Import matching (https://webassembly.github.io/spec/core/exec/modules.html#import-matching):
// functions by type, globals by type and mutability, tables by element type, memories and
// tables by limits (current size ≥ declared min, and a declared max requires a max no
// larger).

import type { FuncType, Instr, Limits as SizeLimits, Module, ValType } from '../syntax/index.ts';
import { canonicalIds, matches, typeCode, validateModule } from '../valid/index.ts';
import { compileFunc, moduleTypes } from './compile.ts';
import { TagInstance, type HostErrorHook } from './exceptions.ts';
import { DEFAULT_LIMITS, type ResourceLimits } from './limits.ts';
import { Machine } from './machine.ts';
import { MemoryInstance } from './memory.ts';
import { funcTypeId, HostFunction, Instance, WasmFunction, type ExternValue, type FuncInstance, type HostCallback } from './runtime.ts';
import { TableInstance } from './table.ts';
import { LinkError, Trap, TrapMessage } from './trap.ts';
import { GlobalInstance, isRef, type HostValue } from './values.ts';

/** What can satisfy an import: a runtime object, or a JS function for a function import. */
export type ImportValue = ExternValue | HostCallback;

/** Imports by module and name, or a resolver returning undefined for unknown ones. */
export type Imports =
  | { readonly [module: string]: { readonly [name: string]: ImportValue | undefined } | undefined }
  | ((module: string, name: string) => ImportValue | undefined);

export interface InstantiateOptions {
  readonly limits?: ResourceLimits;
  /** Validate first (default true). Only skip for modules already validated. */
  readonly validate?: boolean;
  /** Run the start function (default true). When false, `startFunction` tells what to run. */
  readonly runStart?: boolean;
  /** Instruction budget for the start function (default unbounded); exceeding it traps. */
  readonly startBudget?: number;
  /**
   * For an error other than a WasmThrow thrown by a host function this instance's code
   * calls: an exception to throw into wasm at the call instead, or undefined to let the
   * error leave the machine unchanged (the JS API wraps JS errors with its JSTag this way).
   */
  readonly onHostError?: HostErrorHook;
}

const validated = new WeakSet<Module>();
/** A segment with no items, or a dropped one: shared, as a module may have millions of them. */
const NO_REFS: unknown[] = [];

function lookup(imports: Imports, module: string, name: string): ImportValue | undefined {
  if (typeof imports === 'function') return imports(module, name);
  const m = Object.hasOwn(imports, module) ? imports[module] : undefined;
  return m !== undefined && Object.hasOwn(m, name) ? m[name] : undefined;
}

/** A global's or table's type code: set when a module made it, else from its (abstract) type. */
function globalCode(g: GlobalInstance): number {
  return g.typeCode >= 0 ? g.typeCode : typeCode(g.type);
}
function elemCode(t: TableInstance): number {
  return t.elemCode >= 0 ? t.elemCode : typeCode(t.type.elem);
}

/** Limits subtyping: `actual` (current size, instance max) matches `declared`. */
function limitsMatch(actualMin: number, actualMax: number | undefined, declared: SizeLimits): boolean {
  if (actualMin < declared.min) return false;
  if (declared.max === undefined) return true;
  return actualMax !== undefined && actualMax <= declared.max;
}

/** A value cell for constant expressions: bits in words, or a reference. */
interface Cell {
  words: Int32Array;
  ref: unknown;
}

/**
 * Evaluates a constant expression (https://webassembly.github.io/spec/core/valid/instructions.html#constant-expressions):
 * constants, ref.null, ref.func, global.get — and the extended-constant integer arithmetic,
 * which costs nothing to allow.
 */
function evalConst(expr: readonly Instr[], inst: Instance): Cell {
  const stack: Cell[] = [];
  const cell = (): Cell => ({ words: new Int32Array(4), ref: null });
  for (const ins of expr) {
    const c = cell();
    switch (ins.code) {
      case 0x41: // i32.const
      case 0x43: // f32.const
        c.words[0] = Number(ins.value) | 0;
        break;
      case 0x42: // i64.const
      case 0x44: { // f64.const
        const v = BigInt.asUintN(64, BigInt(ins.value ?? 0));
        c.words[0] = Number(v & 0xffff_ffffn) | 0;
        c.words[1] = Number(v >> 32n) | 0;
        break;
      }
      case 0xfd000c: // v128.const
        c.words.set(new Int32Array(new Uint8Array(ins.bytes ?? new Uint8Array(16)).buffer));
        break;
      case 0xd0: // ref.null
        break;
      case 0xd2: // ref.func
        c.ref = inst.funcs[ins.index!];
        break;
      case 0x23: { // global.get
        const g = inst.globals[ins.index!]!;
        c.words.set(g.words);
        c.ref = g.ref;
        break;
      }
      case 0x6a: case 0x6b: case 0x6c: { // i32.add/sub/mul
        const b = stack.pop()!.words[0]!;
        const a = stack.pop()!.words[0]!;
        c.words[0] = ins.code === 0x6a ? (a + b) | 0 : ins.code === 0x6b ? (a - b) | 0 : Math.imul(a, b);
        break;
      }
      case 0x7c: case 0x7d: case 0x7e: { // i64.add/sub/mul
        const y = stack.pop()!.words;
        const x = stack.pop()!.words;
        const a = (BigInt(x[1]!) << 32n) | BigInt(x[0]! >>> 0);
        const b = (BigInt(y[1]!) << 32n) | BigInt(y[0]! >>> 0);
        const r = BigInt.asUintN(64, ins.code === 0x7c ? a + b : ins.code === 0x7d ? a - b : a * b);
        c.words[0] = Number(r & 0xffff_ffffn) | 0;
        c.words[1] = Number(r >> 32n) | 0;
        break;
      }
      default:
        throw new Trap(`internal error: ${ins.op} in a constant expression`);
    }
    stack.push(c);
  }
  return stack.pop() ?? cell();
}

/** Checks one import against the object given for it; returns the object to use. */
function matchImport(module: Module, index: number, value: ImportValue | undefined, types: readonly FuncType[]): ExternValue {
  const imp = module.imports[index]!;
  const what = `"${imp.module}" "${imp.name}"`;
  if (value === undefined) throw new LinkError('unknown import', index, what);
  const bad = (detail: string): never => {
    throw new LinkError('incompatible import type', index, `${what}: ${detail}`);
  };
  const desc = imp.desc;
  // Types by canonical id and type code (engine/valid/types.ts), so the imported object's
  // type compares with the import's whatever module each comes from.
  const canon = canonicalIds(module);
  switch (desc.kind) {
    case 'func': {
      const t = types[desc.type]!;
      const id = canon[desc.type]!;
      if (typeof value === 'function') return new HostFunction(t, value as HostCallback, imp.name, id);
      if (!(value instanceof WasmFunction || value instanceof HostFunction)) return bad('expected a function');
      // Without GC's declared subtypes a function type matches only an equivalent one.
      if (value.typeId !== id) return bad('function type differs');
      return value;
    }
    case 'table':
      if (!(value instanceof TableInstance)) return bad('expected a table');
      // Tables are mutable: their element types must be equal.
      if (elemCode(value) !== typeCode(desc.type.elem, canon)) return bad('element type differs');
      if ((value.type.limits.index64 === true) !== (desc.type.limits.index64 === true)) return bad('index type differs'); // table64
      if (!limitsMatch(value.size, value.type.limits.max, desc.type.limits)) return bad('limits do not match');
      return value;
    case 'memory':
      if (!(value instanceof MemoryInstance)) return bad('expected a memory');
      if ((value.type.limits.index64 === true) !== (desc.type.limits.index64 === true)) return bad('address type differs (i32 and i64 memory)');
      if (!limitsMatch(value.pages, value.type.limits.max, desc.type.limits)) return bad('limits do not match');
      return value;
    case 'global':
      if (!(value instanceof GlobalInstance)) return bad('expected a global');
      // A mutable global's type must be equal, an immutable one's a subtype.
      if (value.mutable !== desc.type.mutable) return bad('global type differs');
      if (desc.type.mutable ? globalCode(value) !== typeCode(desc.type.type, canon) : !matches(globalCode(value), typeCode(desc.type.type, canon))) {
        return bad('global type differs');
      }
      return value;
    case 'tag':
      // Tags link by identity; their types must be equal (https://webassembly.github.io/spec/core/valid/types.html#tag-types).
      if (!(value instanceof TagInstance)) return bad('expected a tag');
      if ((value.typeId ?? funcTypeId(value.type)) !== canon[desc.type]) return bad('tag type differs');
      return value;
  }
}

/** The index of the function to run as the module's start, when there is one. */
export function startFunction(instance: Instance): FuncInstance | undefined {
  const s = instance.module.start;
  return s === undefined ? undefined : instance.funcs[s];
}

/** Instantiates a module: throws ValidationError, LinkError, or Trap (segments, start). */
export function instantiate(module: Module, imports: Imports = {}, options: InstantiateOptions = {}): Instance {
  const limits = options.limits ?? DEFAULT_LIMITS;
  if (options.validate !== false && !validated.has(module)) {
    validateModule(module);
    validated.add(module);
  }
  const mt = moduleTypes(module);
  const inst = new Instance(module);
  const canon = canonicalIds(module);

  // Imports, in order, each into its index space.
  module.imports.forEach((imp, i) => {
    const v = matchImport(module, i, lookup(imports, imp.module, imp.name), mt.types);
    if (imp.desc.kind === 'func') inst.funcs.push(v as FuncInstance);
    else if (imp.desc.kind === 'table') inst.tables.push(v as TableInstance);
    else if (imp.desc.kind === 'memory') inst.mems.push(v as MemoryInstance);
    else if (imp.desc.kind === 'tag') inst.tags.push(v as TagInstance);
    else inst.globals.push(v as GlobalInstance);
  });
  // A defined tag is a fresh identity per instantiation.
  for (const t of module.tags ?? []) inst.tags.push(new TagInstance(mt.types[t.type]!, t.id ?? `tag ${inst.tags.length}`, canon[t.type]));
  inst.onHostError = options.onHostError;

  // Functions first, so global initializers and element segments can refer to them.
  module.funcs.forEach((f, i) => {
    const index = mt.importedFuncs + i;
    inst.funcs.push(new WasmFunction(mt.funcs[index]!, inst, index, compileFunc(module, mt, index), canon[f.type]));
  });

  // Globals see the imported globals (and, with extended constants, earlier ones).
  for (const g of module.globals) {
    const c = evalConst(g.init, inst);
    const gi = new GlobalInstance(g.type.type, g.type.mutable);
    gi.typeCode = typeCode(g.type.type, canon);
    gi.words.set(c.words);
    gi.ref = c.ref;
    inst.globals.push(gi);
  }
  for (const t of module.tables) {
    try {
      // 3.0: every element starts as the table's initial value, when it has one.
      const ti = new TableInstance(t.type, t.init === undefined ? null : evalConst(t.init, inst).ref, limits.maxTableSize);
      ti.elemCode = typeCode(t.type.elem, canon);
      inst.tables.push(ti);
    } catch (e) {
      throw new Trap(`table too large: ${(e as Error).message}`);
    }
  }
  for (const m of module.mems) {
    try {
      inst.mems.push(new MemoryInstance(m.type, limits.maxMemoryPages));
    } catch (e) {
      throw new Trap(`memory too large: ${(e as Error).message}`);
    }
  }
  for (const e of module.elems) inst.elems.push(e.init.length === 0 ? NO_REFS : e.init.map((expr) => evalConst(expr, inst).ref));
  for (const d of module.datas) inst.datas.push(d.bytes);

  for (const ex of module.exports) {
    const space = ex.kind === 'func' ? inst.funcs : ex.kind === 'table' ? inst.tables : ex.kind === 'memory' ? inst.mems
      : ex.kind === 'tag' ? inst.tags : inst.globals;
    const v = space[ex.index];
    if (v !== undefined) inst.exports.set(ex.name, v);
  }

  // Element segments: active ones are table.init then elem.drop; declarative ones are dropped.
  module.elems.forEach((e, i) => {
    if (e.mode.kind === 'active') {
      const table = inst.tables[e.mode.table]!;
      const at = evalConst(e.mode.offset, inst).words;
      // table64: an i64 offset of 2^32 or more is out of bounds, as 0xffffffff is.
      const offset = table.type.limits.index64 === true && at[1] !== 0 ? 0xffff_ffff : at[0]! >>> 0;
      const items = inst.elems[i]!;
      if (offset + items.length > table.size) throw new Trap(TrapMessage.tableOutOfBounds);
      for (let k = 0; k < items.length; k++) table.elements[offset + k] = items[k];
    }
    if (e.mode.kind !== 'passive') inst.elems[i] = NO_REFS;
  });
  // Data segments: active ones are memory.init then data.drop.
  module.datas.forEach((d, i) => {
    if (d.mode.kind !== 'active') return;
    const mem = inst.mems[d.mode.memory];
    const words = evalConst(d.mode.offset, inst).words;
    // An i64 memory's offset is a u64 (memory64): from 2^53 up it is beyond any memory.
    const high = mem?.type.limits.index64 === true ? words[1]! >>> 0 : 0;
    const offset = high >= 0x20_0000 ? Infinity : high * 0x1_0000_0000 + (words[0]! >>> 0);
    if (mem === undefined || offset + d.bytes.length > mem.byteLength) throw new Trap(TrapMessage.memoryOutOfBounds);
    mem.bytes.set(d.bytes, offset);
    inst.datas[i] = new Uint8Array(0);
  });

  const start = startFunction(inst);
  if (start !== undefined && options.runStart !== false) {
    const m = new Machine(limits);
    m.start(start, []);
    const status = m.run(options.startBudget ?? Infinity);
    if (m.thrown !== undefined) throw m.thrown;
    if (status === 'trapped') throw m.trap!;
    if (status !== 'done') throw new Trap('step budget exhausted');
  }
  return inst;
}

/** A host function from a JS callback, for import objects. */
export function hostFunction(params: readonly ValType[], results: readonly ValType[], callback: HostCallback, name?: string): HostFunction {
  return new HostFunction({ params, results }, callback, name);
}

/** A global for import objects. */
export function hostGlobal(type: ValType, mutable: boolean, value: HostValue): GlobalInstance {
  return new GlobalInstance(type, mutable, isRef(type) ? (value ?? null) : value);
}

/** A memory for import objects, `min` and `max` in pages. */
export function hostMemory(min: number, max?: number, limits: ResourceLimits = DEFAULT_LIMITS): MemoryInstance {
  return new MemoryInstance({ limits: max === undefined ? { min } : { min, max } }, limits.maxMemoryPages);
}

/** A table for import objects. */
export function hostTable(elem: 'funcref' | 'externref', min: number, max?: number, limits: ResourceLimits = DEFAULT_LIMITS): TableInstance {
  return new TableInstance({ elem, limits: max === undefined ? { min } : { min, max } }, null, limits.maxTableSize);
}
