// WebAssembly.Instance and instantiate (https://webassembly.github.io/spec/js-api/#instances,
// https://webassembly.github.io/spec/js-api/#dom-webassembly-instantiate).
//
// "Read the imports" (https://webassembly.github.io/spec/js-api/#read-the-imports) happens
// here, before the engine sees anything: each import is looked up with Get on the import
// object (so getters run once each, in import order), and a value of the wrong kind is a
// TypeError (the module namespace is not an object) or a LinkError (anything else). The
// engine then checks types and limits (LinkError) and runs the segments and the start
// function (a trap is a RuntimeError).

import {
  type ExternValue, GlobalInstance, type ImportValue, type Instance as EngineInstance, instantiate as instantiateAst, LinkError as EngineLinkError, MemoryInstance, TableInstance, TagInstance, Trap,
} from '../exec/index.ts';
import type { Module as ModuleAst } from '../syntax/index.ts';
import { LinkError } from './errors.ts';
import { globalInstanceOf, wrapGlobal } from './global.ts';
import { copyBufferSource, isObject, webIdlInterface } from './idl.ts';
import { memoryInstanceOf, wrapMemory } from './memory.ts';
import { compileModuleBytes, isModuleObject, Module, moduleAst } from './module.ts';
import { tableInstanceOf, wrapTable } from './table.ts';
import { tagInstanceOf, wrapTag } from './tag.ts';
import { thrownToWasm } from './exception.ts';
import { exportedFunction, funcOfExported, hostFunctionFromJS, jsError, runOptions, toWasmValue, type RunOptions } from './js-values.ts';

/** A JS API import object: module name → import name → value. */
export type ImportObject = Record<string, Record<string, unknown>>;

/** The resolved instance result of `instantiate(bytes, …)`. */
export interface WebAssemblyInstantiatedSource {
  readonly module: Module;
  readonly instance: Instance;
}

function link(message: string): never {
  throw new LinkError(message);
}

/** Reads the imports (see the header); returns one engine value per import, in order. */
function readImports(ast: ModuleAst, importObject: unknown): ImportValue[] {
  if (ast.imports.length > 0 && importObject === undefined) throw new TypeError('the module has imports, but no import object was given');
  if (importObject !== undefined && !isObject(importObject)) throw new TypeError('the import object must be an object');
  const types = ast.types;
  let funcIndex = 0;
  return ast.imports.map((imp, index) => {
    const what = `import #${index} "${imp.module}" "${imp.name}"`;
    const o = (importObject as Record<string, unknown>)[imp.module];
    if (!isObject(o)) throw new TypeError(`${what}: module "${imp.module}" is not an object`);
    const v = (o as Record<string, unknown>)[imp.name];
    const desc = imp.desc;
    switch (desc.kind) {
      case 'func': {
        const at = funcIndex++;
        if (typeof v !== 'function') return link(`${what}: function import requires a callable`);
        const type = types[desc.type]!.type;
        // Our own Exported Function is imported as the function instance itself, so a call
        // stays inside the engine and its identity (e.g. in tables) is preserved.
        return funcOfExported(v) ?? hostFunctionFromJS(type, v as (...args: unknown[]) => unknown, imp.name, at);
      }
      case 'global': {
        const g = globalInstanceOf(v);
        if (g !== undefined) return g;
        const { type, mutable } = desc.type;
        if (type === 'i64' && typeof v !== 'bigint') return link(`${what}: an i64 global import requires a BigInt or a WebAssembly.Global`);
        if ((type === 'i32' || type === 'f32' || type === 'f64') && typeof v !== 'number') {
          return link(`${what}: a ${type} global import requires a Number or a WebAssembly.Global`);
        }
        if (type === 'v128') return link(`${what}: a v128 global import requires a WebAssembly.Global`);
        let value: unknown;
        try {
          value = toWasmValue(v, type);
        } catch (e) {
          if (e instanceof TypeError) return link(`${what}: ${e.message}`);
          throw e;
        }
        if (mutable) return link(`${what}: a mutable global import requires a WebAssembly.Global`);
        return new GlobalInstance(type, false, value);
      }
      case 'memory':
        return memoryInstanceOf(v) ?? link(`${what}: memory import requires a WebAssembly.Memory`);
      case 'table':
        return tableInstanceOf(v) ?? link(`${what}: table import requires a WebAssembly.Table`);
      case 'tag':
        // The engine checks the tag's type; a Tag object is its TagInstance, whose identity is the tag's.
        return tagInstanceOf(v) ?? link(`${what}: tag import requires a WebAssembly.Tag`);
    }
  });
}

/** Maps the engine's instantiation errors to the JS API's. */
function instantiationError(e: unknown): unknown {
  if (e instanceof EngineLinkError) return new LinkError(e.message, { cause: e });
  // The engine reports a table or memory beyond its configured size cap as a trap;
  // for JS that is running out of memory, which is a RangeError.
  if (e instanceof Trap && /^(table|memory) too large/.test(e.specMessage)) return new RangeError(e.specMessage, { cause: e });
  return jsError(e);
}

/** The exports object: null prototype, frozen, one property per export in module order. */
function exportsObject(inst: EngineInstance, ast: ModuleAst): object {
  const out = Object.create(null) as Record<string, unknown>;
  for (const ex of ast.exports) {
    const v: ExternValue | undefined = inst.exports.get(ex.name);
    if (v === undefined) continue;
    if (v instanceof MemoryInstance) out[ex.name] = wrapMemory(v);
    else if (v instanceof TableInstance) out[ex.name] = wrapTable(v);
    else if (v instanceof GlobalInstance) out[ex.name] = wrapGlobal(v);
    else if (v instanceof TagInstance) out[ex.name] = wrapTag(v);
    else out[ex.name] = exportedFunction(v);
  }
  return Object.freeze(out);
}

const exportsOf = new WeakMap<object, object>();
const enginesOf = new WeakMap<object, EngineInstance>();

export class Instance {
  /**
   * Instantiates synchronously. The third argument is our extension (engine/api/js-values.ts,
   * RunOptions): the interpreter's limits and a per-call step budget.
   */
  // importObject and options are a rest parameter so that `length` is 1, as Web IDL counts
  // only the required arguments.
  constructor(module: Module, ...rest: [importObject?: object, options?: RunOptions]) {
    const [importObject, options = {}] = rest;
    const ast = moduleAst(module);
    const values = readImports(ast, importObject);
    // The engine asks for the imports in order; hand them over by position, so that two
    // imports with the same names (legal in wasm) each get their own value.
    let next = 0;
    const resolve = (mod: string, name: string): ImportValue | undefined => {
      const imp = ast.imports[next];
      if (imp === undefined || imp.module !== mod || imp.name !== name) throw new Error(`internal error: import "${mod}" "${name}" requested out of order`);
      return values[next++];
    };
    let inst: EngineInstance;
    try {
      // A JS import's exception enters wasm as a wasm exception: onHostError wraps any
      // thrown value that is not a WebAssembly.Exception with WebAssembly.JSTag.
      inst = instantiateAst(ast, resolve, { limits: options.limits, validate: false, startBudget: options.budget, onHostError: thrownToWasm });
    } catch (e) {
      throw instantiationError(e);
    }
    runOptions.set(inst, options);
    enginesOf.set(this, inst);
    exportsOf.set(this, exportsObject(inst, ast));
  }

  get exports(): object {
    const e = exportsOf.get(this);
    if (e === undefined) throw new TypeError('not a WebAssembly.Instance');
    return e;
  }
}

webIdlInterface(Instance, 'Instance');

/** The engine instance behind an Instance object (for views and tests), or undefined. */
export function engineInstanceOf(v: unknown): EngineInstance | undefined {
  return typeof v === 'object' && v !== null ? enginesOf.get(v) : undefined;
}

/**
 * instantiate(bytes, imports) resolves to { module, instance }; instantiate(module, imports)
 * to the Instance. Every failure is a rejection.
 */
export function instantiate(source: Module, importObject?: object, options?: RunOptions): Promise<Instance>;
export function instantiate(source: ArrayBuffer | ArrayBufferView, importObject?: object, options?: RunOptions): Promise<WebAssemblyInstantiatedSource>;
export function instantiate(
  source: Module | ArrayBuffer | ArrayBufferView,
  ...rest: [importObject?: object, options?: RunOptions]
): Promise<Instance | WebAssemblyInstantiatedSource> {
  const [importObject, options] = rest;
  if (isModuleObject(source)) return new Promise((resolve) => resolve(new Instance(source, importObject, options)));
  // For bytes, only the copy is taken now; compiling, and so reading the imports, happens
  // in a later job, as "asynchronously compile a WebAssembly module" says: the import
  // object's getters must not run before instantiate returns.
  let bytes: Uint8Array;
  try {
    bytes = copyBufferSource(source);
  } catch (e) {
    return Promise.reject(e);
  }
  return Promise.resolve().then(() => {
    const module = compileModuleBytes(bytes);
    return { module, instance: new Instance(module, importObject, options) };
  });
}
