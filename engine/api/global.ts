// WebAssembly.Global (https://webassembly.github.io/spec/js-api/#globals) over the
// engine's GlobalInstance: `value` (get, and set when mutable) and `valueOf()`, converted
// by ToJSValue / ToWebAssemblyValue (engine/api/js-values.ts). A v128 global can be created
// by wasm and passed around, but its value cannot be read or written from JS.

import { type GlobalInstance, hostGlobal } from '../exec/index.ts';
import type { ValType } from '../syntax/index.ts';
import { dictionary, webIdlInterface } from './idl.ts';
import { defaultValue, toJSValue, toWasmValue } from './js-values.ts';

const globals = new WeakMap<object, GlobalInstance>();
const objects = new WeakMap<GlobalInstance, Global>();

function globalOf(g: unknown): GlobalInstance {
  const global = typeof g === 'object' && g !== null ? globals.get(g) : undefined;
  if (global === undefined) throw new TypeError('not a WebAssembly.Global');
  return global;
}

/** The global descriptor (https://webassembly.github.io/spec/js-api/#dictdef-globaldescriptor). */
export interface GlobalDescriptor {
  readonly value: 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'externref' | 'anyfunc';
  readonly mutable?: boolean;
}

/** ToValueType (https://webassembly.github.io/spec/js-api/#tovaluetype). */
export function valueType(v: unknown): ValType {
  const s = String(v);
  switch (s) {
    case 'i32':
    case 'i64':
    case 'f32':
    case 'f64':
    case 'v128':
    case 'externref':
      return s;
    case 'anyfunc':
      return 'funcref';
    default:
      throw new TypeError(`'${s}' is not a WebAssembly value type`);
  }
}

export class Global {
  // The value is a rest parameter so that `length` is 1, as Web IDL counts only required arguments.
  constructor(descriptor: GlobalDescriptor, ...rest: [v?: unknown]) {
    const d = dictionary(descriptor, 'the global descriptor');
    const mutable = Boolean(d.mutable);
    const type = valueType(d.value);
    const v = rest[0];
    const value = v === undefined ? defaultValue(type) : toWasmValue(v, type);
    register(this, hostGlobal(type, mutable, value));
  }

  get value(): unknown {
    const g = globalOf(this);
    return toJSValue(g.value, g.type);
  }

  set value(v: unknown) {
    const g = globalOf(this);
    if (!g.mutable) throw new TypeError("can't set the value of an immutable global");
    g.value = toWasmValue(v, g.type);
  }

  valueOf(): unknown {
    // Through the brand check, not `this.value`: valueOf.call(true) must be a TypeError.
    const g = globalOf(this);
    return toJSValue(g.value, g.type);
  }
}

webIdlInterface(Global, 'Global');

function register(g: Global, global: GlobalInstance): void {
  globals.set(g, global);
  objects.set(global, g);
}

/** The one Global object of an engine global (the JS API's global object cache). */
export function wrapGlobal(global: GlobalInstance): Global {
  let g = objects.get(global);
  if (g === undefined) {
    g = Object.create(Global.prototype) as Global;
    register(g, global);
  }
  return g;
}

/** The engine global behind a Global object, or undefined for any other value. */
export function globalInstanceOf(v: unknown): GlobalInstance | undefined {
  return typeof v === 'object' && v !== null ? globals.get(v) : undefined;
}
