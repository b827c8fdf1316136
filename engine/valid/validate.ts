// Module validation for WebAssembly 2.0: https://webassembly.github.io/spec/core/valid/modules.html
// (types, limits and external types: https://webassembly.github.io/spec/core/valid/types.html;
// constant expressions: https://webassembly.github.io/spec/core/valid/instructions.html#constant-expressions).
// Function bodies are checked by engine/valid/code.ts.
//
// The checks run in the order of the reference interpreter (interpreter/valid/valid.ml),
// so a module with several errors reports the same first one: imports, globals, tables,
// memories, element and data segments, functions, start, exports, then the one-memory
// rule. Every failure is a ValidationError (engine/valid/error.ts) naming where it is.
//
// The result, ValidatedModule, keeps what the interpreter needs and validation already
// computed, so nothing is worked out twice:
// - funcTypes / tables / mems / globals: the types of every index space, imports first;
// - funcs: per defined function (in Module.funcs order) a FuncInfo (engine/valid/code.ts):
//   its local types, the maximum operand-stack height and control depth, and the side
//   table `jump`/`height`/`arity`/`brTable` of matching else/end positions and branch
//   continuations, indexed by instruction position.

import type {
  Export,
  FuncType,
  GlobalType,
  Instr,
  Limits,
  MemType,
  Module,
  Span,
  TableType,
  ValType,
  Version,
  VersionOptions,
} from '../syntax/index.ts';
import { refTypeParts } from '../syntax/index.ts';
import { canonicalIds } from './canon.ts';
import { CodeValidator, type CodeContext, type FuncInfo } from './code.ts';
import { ValidationError, type ValidationSite } from './error.ts';
import { matches } from './matching.ts';
import { F32, F64, H_DEF, I32, I64, V128, formatTypes, isDefaultable, refCode, typeCode, typeCodes, typeName } from './types.ts';
import { rejectUnsupported } from './unsupported.ts';
import { tagTypeError, tagTypeIndices } from './exceptions.ts';

export type { FuncInfo } from './code.ts';

export interface ValidatedModule {
  readonly module: Module;
  /** The type of every function, imported ones first. */
  readonly funcTypes: readonly FuncType[];
  /** Per function index: its index in Module.types. */
  readonly funcTypeIndices: readonly number[];
  readonly tables: readonly TableType[];
  readonly mems: readonly MemType[];
  readonly globals: readonly GlobalType[];
  /** How many functions, tables, memories and globals are imported (they come first in each index space). */
  readonly imported: { readonly funcs: number; readonly tables: number; readonly mems: number; readonly globals: number };
  /** Per defined function, in Module.funcs order (function index = imported.funcs + position). */
  readonly funcs: readonly FuncInfo[];
}

/** Memories are at most 2^16 pages of 64 KiB (4 GiB) in 2.0. */
const MAX_PAGES = 0x1_0000;
const MAX_TABLE = 0xffff_ffff;
/** An i64 memory (memory64) is at most 2^48 pages of 64 KiB (2^64 bytes). */
const MAX_PAGES_64 = 1n << 48n;

/**
 * Validates a module; throws a ValidationError for the first problem found. Modules using
 * WebAssembly 3.0 constructs (which the decoder reads) are refused first, by name.
 */
export function validateModule(module: Module, options: VersionOptions = {}): ValidatedModule {
  rejectUnsupported(module, options.version ?? '3.0');
  return new ModuleValidator(module, module.funcs.map((f) => f.type), module.datas.length, options.version ?? '3.0').run((context, imported) => {
    const code = new CodeValidator(context);
    const funcs: FuncInfo[] = new Array(module.funcs.length);
    for (let i = 0; i < module.funcs.length; i++) funcs[i] = code.validateFunc(imported + i, module.funcs[i]!);
    return funcs;
  });
}

/**
 * Checks the bodies of a module's defined functions, given the context (C) the module
 * level builds and how many functions are imported; returns what validateModule keeps per
 * function (engine/valid/binary.ts checks bodies straight from the bytes and keeps none).
 */
export type BodyCheck = (context: CodeContext, importedFuncs: number) => readonly FuncInfo[];

/**
 * Validates everything but the function bodies of a module whose bodies are not decoded
 * (`module.funcs` may be empty; `funcTypes` gives each defined function's type index),
 * and lets `checkBodies` check those at the point the spec's order puts them.
 */
export function validateModuleWith(
  module: Module,
  funcTypes: readonly number[],
  checkBodies: BodyCheck,
  /** The number of data segments, when `module.datas` was left empty and the caller checks them. */
  dataSegments = module.datas.length,
  options: VersionOptions = {},
): ValidatedModule {
  rejectUnsupported(module, options.version ?? '3.0');
  return new ModuleValidator(module, funcTypes, dataSegments, options.version ?? '3.0').run(checkBodies);
}

class ModuleValidator {
  private readonly m: Module;
  /** Type index of each defined function. */
  private readonly definedTypes: readonly number[];
  private readonly dataSegments: number;
  private readonly funcTypeIndices: number[] = [];
  private readonly tables: TableType[] = [];
  private readonly mems: MemType[] = [];
  private readonly globals: GlobalType[] = [];
  private readonly memSpans: Span[] = [];
  private importedFuncs = 0;
  private importedGlobals = 0;
  private importedTables = 0;
  private importedMems = 0;

  /** The language checked (VersionOptions.version): '2.0' keeps 2.0's rules and wording. */
  private readonly version: Version;

  constructor(module: Module, definedTypes: readonly number[], dataSegments: number, version: Version) {
    this.version = version;
    this.m = module;
    this.definedTypes = definedTypes;
    this.dataSegments = dataSegments;
  }

  run(checkBodies: BodyCheck): ValidatedModule {
    const m = this.m;
    // Types may refer to themselves and to earlier types only (each is its own recursion group).
    m.types.forEach((t, i) => {
      const site = { where: `type ${i}${idName(t.id)}`, span: t.span };
      for (const p of t.type.params) this.checkValType(p, site, i + 1);
      for (const r of t.type.results) this.checkValType(r, site, i + 1);
    });
    const canon = canonicalIds(m);
    const typeParams = m.types.map((t) => typeCodes(t.type.params, canon));
    const typeResults = m.types.map((t) => typeCodes(t.type.results, canon));

    if (m.dataCount !== undefined && m.dataCount !== this.dataSegments) {
      this.fail(`data count and data section have inconsistent lengths: ${m.dataCount} and ${this.dataSegments}`, {
        where: 'module',
        span: m.span,
      });
    }

    // Imports: https://webassembly.github.io/spec/core/valid/modules.html#imports
    m.imports.forEach((imp, i) => {
      const site = { where: `import ${i} (${JSON.stringify(imp.module)} ${JSON.stringify(imp.name)})`, span: imp.span };
      const d = imp.desc;
      switch (d.kind) {
        case 'func':
          if (d.type >= m.types.length) this.fail(`unknown type ${d.type}`, site);
          this.funcTypeIndices.push(d.type);
          this.importedFuncs++;
          break;
        case 'table':
          this.checkTableType(d.type, site);
          this.tables.push(d.type);
          this.importedTables++;
          break;
        case 'memory':
          this.checkMemType(d.type, site);
          this.mems.push(d.type);
          this.memSpans.push(imp.span);
          this.importedMems++;
          break;
        case 'global':
          this.checkValType(d.type.type, site);
          this.globals.push(d.type);
          this.importedGlobals++;
          break;
        case 'tag': {
          const error = tagTypeError(m, d.type);
          if (error !== undefined) this.fail(error, site);
          break;
        }
      }
    });

    // The rest of the context: every index space is known before any definition is
    // checked, since definitions may refer forward (a global initializer to a later function).
    this.definedTypes.forEach((type, i) => {
      const index = this.importedFuncs + i;
      if (type >= m.types.length) this.fail(`unknown type ${type}`, { where: this.funcWhere(index), funcIndex: index, span: m.funcs[i]?.span ?? m.span });
      this.funcTypeIndices.push(type);
    });
    for (const t of m.tables) this.tables.push(t.type);
    for (const mem of m.mems) {
      this.mems.push(mem.type);
      this.memSpans.push(mem.span);
    }
    for (const g of m.globals) this.globals.push(g.type);
    (m.tags ?? []).forEach((t, i) => {
      const error = tagTypeError(m, t.type);
      if (error !== undefined) this.fail(error, { where: `tag ${i}${idName(t.id)}`, span: t.span });
    });

    const funcCount = this.funcTypeIndices.length;
    m.globals.forEach((g, i) => this.checkValType(g.type.type, { where: `global ${this.importedGlobals + i}${idName(g.id)}`, span: g.span }));
    m.elems.forEach((e, i) => this.checkValType(e.type, { where: `elem ${i}${idName(e.id)}`, span: e.span }));
    m.tables.forEach((t, i) => this.checkValType(t.type.elem, { where: `table ${this.importedTables + i}${idName(t.id)}`, span: t.span }));
    const globalTypes = Int32Array.from(this.globals, (g) => typeCode(g.type, canon));
    const globalMutable = Uint8Array.from(this.globals, (g) => (g.mutable ? 1 : 0));
    const context: CodeContext = {
      module: m,
      typeParams,
      typeResults,
      canon,
      funcTypes: this.funcTypeIndices,
      globalTypes,
      globalMutable,
      tableTypes: Int32Array.from(this.tables, (t) => typeCode(t.elem, canon)),
      table64: Uint8Array.from(this.tables, (t) => (t.limits.index64 === true ? 1 : 0)),
      memCount: this.mems.length,
      mem64: Uint8Array.from(this.mems, (t) => (t.limits.index64 === true ? 1 : 0)),
      elemTypes: Int32Array.from(m.elems, (e) => typeCode(e.type, canon)),
      dataCount: this.dataSegments,
      hasDataCount: m.dataCount !== undefined,
      refs: this.declaredRefs(funcCount),
      version: this.version,
      tagTypes: tagTypeIndices(m),
      funcWhere: (index) => this.funcWhere(index),
    };

    // Globals: their initializers see only the imported globals.
    m.globals.forEach((g, i) => {
      const index = this.importedGlobals + i;
      this.checkConst(context, g.init, typeCode(g.type.type, canon), { where: `global ${index}${idName(g.id)}`, span: g.span }, index);
    });
    m.tables.forEach((t, i) => {
      const site = { where: `table ${this.importedTables + i}${idName(t.id)}`, span: t.span };
      this.checkTableType(t.type, site);
      // 3.0: a table's initial value (every element), a constant of its element type.
      // Tables come before the module's own globals, so it may read only imported ones.
      if (t.init !== undefined) this.checkConst(context, t.init, typeCode(t.type.elem, canon), site, this.importedGlobals);
      // A table of non-null references has no default element: it needs an initial value.
      if (t.init === undefined && !isDefaultable(typeCode(t.type.elem, canon))) this.fail(`type mismatch: a table of ${t.type.elem} needs an initial value`, site);
    });
    m.mems.forEach((mem, i) => this.checkMemType(mem.type, { where: `memory ${this.importedMems + i}${idName(mem.id)}`, span: mem.span }));

    // Element segments: https://webassembly.github.io/spec/core/valid/modules.html#element-segments
    m.elems.forEach((e, i) => {
      const where = `elem ${i}${idName(e.id)}`;
      const type = typeCode(e.type, canon);
      e.init.forEach((item, j) => this.checkConst(context, item, type, { where: `${where}, item ${j}`, span: e.span }));
      if (e.mode.kind === 'active') {
        const x = e.mode.table;
        if (x >= this.tables.length) this.fail(`unknown table ${x}`, { where, span: e.span });
        const tableType = this.tables[x]!.elem;
        if (!matches(type, typeCode(tableType, canon))) {
          this.fail(`type mismatch: element segment of ${e.type} for table ${x} of ${tableType}`, { where, span: e.span });
        }
        // The offset has the table's index type (table64).
        this.checkConst(context, e.mode.offset, this.tables[x]!.limits.index64 === true ? I64 : I32, { where: `${where}, offset`, span: e.span });
      }
    });

    // Data segments: https://webassembly.github.io/spec/core/valid/modules.html#data-segments
    m.datas.forEach((d, i) => {
      const where = `data ${i}${idName(d.id)}`;
      if (d.mode.kind === 'active') {
        if (d.mode.memory >= this.mems.length) this.fail(`unknown memory ${d.mode.memory}`, { where, span: d.span });
        // The offset has the memory's address type (memory64).
        this.checkConst(context, d.mode.offset, this.mems[d.mode.memory]!.limits.index64 === true ? I64 : I32, { where: `${where}, offset`, span: d.span });
      }
    });

    // Function bodies.
    const funcs = checkBodies(context, this.importedFuncs);

    // Start function: https://webassembly.github.io/spec/core/valid/modules.html#start-function
    if (m.start !== undefined) {
      const site = { where: 'start', span: m.span };
      if (m.start >= funcCount) this.fail(`unknown function ${m.start}`, site);
      const t = m.types[this.funcTypeIndices[m.start]!]!.type;
      if (t.params.length !== 0 || t.results.length !== 0) {
        this.fail(
          `start function must have type [] -> [], function ${m.start} has ${formatTypes(typeCodes(t.params, canon))} -> ${formatTypes(typeCodes(t.results, canon))}`,
          site,
        );
      }
    }

    // Exports: https://webassembly.github.io/spec/core/valid/modules.html#exports
    const names = new Set<string>();
    m.exports.forEach((e, i) => {
      const site = { where: `export ${i} (${JSON.stringify(e.name)})`, span: e.span };
      this.checkExportDesc(e, site);
      if (names.has(e.name)) this.fail(`duplicate export name ${JSON.stringify(e.name)}`, site);
      names.add(e.name);
    });

    // 2.0 allows several tables (reference types) but only one memory; 3.0 any number.
    if (this.version === '2.0' && this.mems.length > 1) {
      this.fail(`multiple memories: a module may have at most one memory, this one has ${this.mems.length}`, {
        where: 'module',
        span: this.memSpans[1],
      });
    }

    return {
      module: m,
      funcTypes: this.funcTypeIndices.map((t) => m.types[t]!.type),
      funcTypeIndices: this.funcTypeIndices,
      tables: this.tables,
      mems: this.mems,
      globals: this.globals,
      imported: {
        funcs: this.importedFuncs,
        tables: this.importedTables,
        mems: this.importedMems,
        globals: this.importedGlobals,
      },
      funcs,
    };
  }

  /**
   * C.refs: the functions a `ref.func` in a function body may name — those referenced
   * anywhere outside function bodies (element segments, exports, global initializers),
   * https://webassembly.github.io/spec/core/valid/modules.html#valid-module
   */
  private declaredRefs(funcCount: number): Uint8Array {
    const refs = new Uint8Array(funcCount);
    const scan = (expr: readonly Instr[]) => {
      for (const ins of expr) if (ins.code === 0xd2 && ins.index! < funcCount) refs[ins.index!] = 1;
    };
    for (const g of this.m.globals) scan(g.init);
    for (const e of this.m.elems) {
      for (const item of e.init) scan(item);
      if (e.mode.kind === 'active') scan(e.mode.offset);
    }
    for (const d of this.m.datas) if (d.mode.kind === 'active') scan(d.mode.offset);
    for (const e of this.m.exports) if (e.kind === 'func' && e.index < funcCount) refs[e.index] = 1;
    return refs;
  }

  /**
   * A constant expression producing one value of type `expected`. In 2.0, `global.get`
   * may only read imported immutable globals, whichever definition the expression is in.
   */
  private checkConst(
    c: CodeContext, expr: readonly Instr[], expected: number, site: { where: string; span: Span },
    /** The globals the expression may read (3.0): those before the global it initializes, else all. */
    visibleGlobals = this.globals.length,
  ): void {
    const v3 = this.version !== '2.0';
    const at = (i: number): ValidationSite => ({ where: site.where, instrIndex: i, op: expr[i]!.op, span: expr[i]!.span });
    // First: is every instruction constant? (Looking a global up may already fail.)
    for (let i = 0; i < expr.length; i++) {
      const ins = expr[i]!;
      switch (ins.code) {
        case 0x41: // i32.const
        case 0x42: // i64.const
        case 0x43: // f32.const
        case 0x44: // f64.const
        case 0xfd000c: // v128.const
        case 0xd0: // ref.null
        case 0xd2: // ref.func
          break;
        case 0x23: {
          // global.get
          const x = ins.index!;
          if (v3) {
            // 3.0 (extended constants, GC): any preceding immutable global.
            if (x >= visibleGlobals) this.fail(`unknown global ${x}`, at(i));
          } else if (x >= this.importedGlobals) {
            this.fail(
              x < this.globals.length
                ? `unknown global ${x}: constant expressions may only read imported globals`
                : `unknown global ${x}`,
              at(i),
            );
          }
          if (this.globals[x]!.mutable) this.fail(`constant expression required: global ${x} is mutable`, at(i));
          break;
        }
        default: {
          // i32/i64 add, sub and mul are constant in WebAssembly 3.0 (extended constant
          // expressions): valid there, so say why 2.0 refuses them.
          const arithmetic = ins.code === 0x6a || ins.code === 0x6b || ins.code === 0x6c || ins.code === 0x7c || ins.code === 0x7d || ins.code === 0x7e;
          if (arithmetic && v3) break;
          const extended = arithmetic
            ? ' (WebAssembly 3.0 allows it: extended constant expressions)'
            : '';
          this.fail(`constant expression required: ${ins.op} is not allowed in a constant expression${extended}`, at(i));
        }
      }
    }
    // Then the types, as for a block [] -> [expected]; every constant instruction pushes one
    // value, but the binary arithmetic of extended constants pops two first.
    const types: number[] = [];
    for (let i = 0; i < expr.length; i++) {
      const ins = expr[i]!;
      if (ins.code === 0x6a || ins.code === 0x6b || ins.code === 0x6c || ins.code === 0x7c || ins.code === 0x7d || ins.code === 0x7e) {
        const t = ins.code <= 0x6c ? I32 : I64;
        const b = types.pop();
        const a = types.pop();
        if (a !== t || b !== t) {
          this.fail(`type mismatch: ${ins.op} expects [${typeName(t)} ${typeName(t)}], gets ${formatTypes([a, b].filter((x) => x !== undefined))}`, at(i));
        }
        types.push(t);
        continue;
      }
      switch (ins.code) {
        case 0x41: types.push(I32); break;
        case 0x42: types.push(I64); break;
        case 0x43: types.push(F32); break;
        case 0x44: types.push(F64); break;
        case 0xfd000c: types.push(V128); break;
        case 0xd0: {
          const t: ValType = ins.refType ?? `(ref null ${ins.heapType!})`;
          this.checkValType(t, at(i));
          types.push(typeCode(t, c.canon));
          break;
        }
        case 0xd2:
          if (ins.index! >= c.funcTypes.length) this.fail(`unknown function ${ins.index}`, at(i));
          types.push(refCode(H_DEF + c.canon[c.funcTypes[ins.index!]!]!, false));
          break;
        default: types.push(c.globalTypes[ins.index!]!);
      }
    }
    if (types.length !== 1 || !matches(types[0]!, expected)) {
      const last = expr.length - 1;
      this.fail(
        `type mismatch: constant expression must produce [${typeName(expected)}], produces ${formatTypes(types)}`,
        last >= 0 ? at(last) : site,
      );
    }
  }

  /** https://webassembly.github.io/spec/core/valid/types.html#limits */
  private checkLimits(l: Limits, range: number, tooBig: string, site: ValidationSite): void {
    if (l.min > range) this.fail(`${tooBig}, the minimum is ${l.min}`, site);
    if (l.max !== undefined) {
      if (l.max > range) this.fail(`${tooBig}, the maximum is ${l.max}`, site);
      if (l.min > l.max) this.fail(`size minimum must not be greater than maximum: ${l.min} > ${l.max}`, site);
    }
  }

  /**
   * A value type's type index, if any, names a type: below `limit` (the type count, or
   * for a type definition its own index + 1).
   */
  private checkValType(t: ValType, site: ValidationSite, limit = this.m.types.length): void {
    if (t.charCodeAt(0) !== 0x28) return; // '(': (ref null? ht)
    const h = refTypeParts(t)?.heap;
    if (typeof h === 'number' && h >= limit) this.fail(`unknown type ${h}`, site);
  }

  private checkTableType(t: TableType, site: ValidationSite): void {
    this.checkValType(t.elem, site);
    // table64: any u64 limits (beyond 2^53 their exact value is kept beside), min ≤ max.
    if (t.limits.index64 === true) {
      const l = t.limits;
      const min = l.min64 ?? BigInt(l.min);
      const max = l.max64 ?? (l.max === undefined ? undefined : BigInt(l.max));
      if (max !== undefined && min > max) this.fail(`size minimum must not be greater than maximum: ${min} > ${max}`, site);
      return;
    }
    this.checkLimits(t.limits, MAX_TABLE, 'table size must be at most 2^32-1', site);
  }

  private checkMemType(t: MemType, site: ValidationSite): void {
    // memory64: at most 2^48 pages (2^64 bytes); limits beyond 2^53 keep their exact value beside.
    if (t.limits.index64 === true) {
      const l = t.limits;
      const min = l.min64 ?? BigInt(l.min);
      const max = l.max64 ?? (l.max === undefined ? undefined : BigInt(l.max));
      if (min > MAX_PAGES_64) this.fail(`memory size must be at most 2^48 pages (2^64 bytes), the minimum is ${min}`, site);
      if (max !== undefined && max > MAX_PAGES_64) this.fail(`memory size must be at most 2^48 pages (2^64 bytes), the maximum is ${max}`, site);
      if (max !== undefined && min > max) this.fail(`size minimum must not be greater than maximum: ${min} > ${max}`, site);
      return;
    }
    this.checkLimits(t.limits, MAX_PAGES, 'memory size must be at most 65536 pages (4GiB)', site);
  }

  private checkExportDesc(e: Export, site: ValidationSite): void {
    const count =
      e.kind === 'func'
        ? this.funcTypeIndices.length
        : e.kind === 'table'
          ? this.tables.length
          : e.kind === 'memory'
            ? this.mems.length
            : e.kind === 'tag'
              ? tagTypeIndices(this.m).length
              : this.globals.length;
    if (e.index >= count) this.fail(`unknown ${e.kind === 'func' ? 'function' : e.kind} ${e.index}`, site);
  }

  /** 'func 3 ($fib)': with the text identifier, or the name from the name section. */
  funcWhere(index: number): string {
    const m = this.m;
    let name: string | undefined;
    if (index >= this.importedFuncs) name = m.funcs[index - this.importedFuncs]?.id;
    else name = m.imports.filter((i) => i.desc.kind === 'func')[index]?.id;
    name ??= m.names?.functions.get(index);
    return `func ${index}${idName(name)}`;
  }

  private fail(message: string, site: ValidationSite): never {
    throw new ValidationError(message, site);
  }
}

/** " ($name)" or "" */
function idName(id: string | undefined): string {
  if (id === undefined) return '';
  return ` (${id.startsWith('$') ? id : `$${id}`})`;
}
