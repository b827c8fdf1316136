// Runtime structures: function instances and module instances
// (https://webassembly.github.io/spec/core/exec/runtime.html#function-instances,
// https://webassembly.github.io/spec/core/exec/runtime.html#module-instances).
// Memories, tables and globals have their own files; this one ties them together.
//
// There is no separate store object: instances refer to their functions, tables, memories
// and globals directly, so an instance can import another instance's exports (or a host's)
// by just holding the same object, and the garbage collector frees what nobody refers to.

import type { FuncType, Module } from '../syntax/index.ts';
import type { CompiledFunc } from './compile.ts';
import type { HostErrorHook, TagInstance } from './exceptions.ts';
import type { MemoryInstance } from './memory.ts';
import type { TableInstance } from './table.ts';
import type { GlobalInstance, HostValue } from './values.ts';

// Function types are compared structurally (https://webassembly.github.io/spec/core/valid/types.html#function-types);
// interning each distinct type to a small number makes call_indirect's check one comparison.
const typeIds = new Map<string, number>();

/** A number equal for two function types exactly when they are equal. */
export function funcTypeId(t: FuncType): number {
  const key = `${t.params.join(',')}->${t.results.join(',')}`;
  let id = typeIds.get(key);
  if (id === undefined) {
    id = typeIds.size;
    typeIds.set(key, id);
  }
  return id;
}

/** A function defined by a module: its code runs on the interpreter. */
export class WasmFunction {
  readonly kind = 'wasm';
  readonly type: FuncType;
  readonly typeId: number;
  readonly instance: Instance;
  /** Index in its module's function index space (imports first). */
  readonly index: number;
  /** The pre-decoded body (engine/exec/compile.ts). */
  readonly code: CompiledFunc;
  constructor(type: FuncType, instance: Instance, index: number, code: CompiledFunc) {
    this.type = type;
    this.typeId = funcTypeId(type);
    this.instance = instance;
    this.index = index;
    this.code = code;
  }
}

/**
 * A host function: a JS callback given arguments as JS values (engine/exec/values.ts) and
 * returning undefined (no results), one value, or an array of values (several results).
 */
export type HostCallback = (...args: HostValue[]) => unknown;

export class HostFunction {
  readonly kind = 'host';
  readonly type: FuncType;
  readonly typeId: number;
  readonly callback: HostCallback;
  /** For messages and views. */
  readonly name: string;
  constructor(type: FuncType, callback: HostCallback, name = callback.name || 'host') {
    this.type = type;
    this.typeId = funcTypeId(type);
    this.callback = callback;
    this.name = name;
  }
}

export type FuncInstance = WasmFunction | HostFunction;

/** What an export or import can be. */
export type ExternValue = FuncInstance | TableInstance | MemoryInstance | GlobalInstance | TagInstance;

/** A module instance: the module's definitions resolved to runtime objects. */
export class Instance {
  readonly module: Module;
  /** Indexed like the module's index spaces (imports first). */
  readonly funcs: FuncInstance[] = [];
  readonly tables: TableInstance[] = [];
  readonly mems: MemoryInstance[] = [];
  readonly globals: GlobalInstance[] = [];
  /** Exception tags (engine/exec/exceptions.ts), imports first. */
  readonly tags: TagInstance[] = [];
  /** What a host function's non-WasmThrow error becomes when this instance's code called it (instantiate's onHostError). */
  onHostError: HostErrorHook | undefined = undefined;
  /** Element segments' references; a dropped segment is empty. */
  readonly elems: unknown[][] = [];
  /** Data segments' bytes; a dropped segment is empty. */
  readonly datas: Uint8Array[] = [];
  /** typeIds[i] = funcTypeId(module.types[i].type), for call_indirect. */
  readonly typeIds: number[];
  readonly exports = new Map<string, ExternValue>();

  constructor(module: Module) {
    this.module = module;
    this.typeIds = module.types.map((t) => funcTypeId(t.type));
  }
}
