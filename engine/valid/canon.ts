// Canonical ids of defined types (https://webassembly.github.io/spec/core/valid/conventions.html#rolling-and-unrolling
// and https://webassembly.github.io/spec/core/valid/matching.html#defined-types): two defined
// types are the same type when they are structurally equal once their references to other
// defined types are themselves replaced by what those are. WebAssembly 3.0 compares
// recursion groups this way (iso-recursive types); without GC's `rec` every type is a
// singleton group, which may refer to itself (`(type $t (func (param (ref $t))))`) and to
// earlier types only.
//
// Each type gets an engine-wide id from a registry of canonical keys: a type's key spells
// its parameters and results with a reference to an earlier type written as that type's
// id and a reference to itself as `rec`. So ids are equal exactly when the types are
// equivalent, in one module or across modules (imports, call_indirect on a table another
// module filled), and the validator compares type codes with `===`.
// A reference to a later type (invalid: "unknown type") gets a key of its own; the
// validator rejects the module before that matters.

import type { Module, TypeDef, ValType } from '../syntax/index.ts';
import { refTypeParts } from '../syntax/index.ts';

const registry = new Map<string, number>();
/** Per id, its key, for messages and tests. */
const keys: string[] = [];

function keyOf(t: ValType, self: number, ids: ArrayLike<number>): string {
  const parts = refTypeParts(t);
  if (parts === undefined || typeof parts.heap !== 'number') return t;
  const h = parts.heap;
  const name = h === self ? 'rec' : h < self ? `#${ids[h]}` : `?${h}`;
  return `(ref ${parts.nullable ? 'null ' : ''}${name})`;
}

function typeKey(def: TypeDef, index: number, ids: ArrayLike<number>): string {
  // GC composite types are refused before anything runs; give each its own key.
  if (def.comp !== undefined || def.sub !== undefined || def.recSize !== undefined) return `gc ${keys.length}`;
  const ps = def.type.params.map((t) => keyOf(t, index, ids)).join(' ');
  const rs = def.type.results.map((t) => keyOf(t, index, ids)).join(' ');
  return `func ${ps} -> ${rs}`;
}

/** The canonical id of a key, registering it when new. */
function idOf(key: string): number {
  let id = registry.get(key);
  if (id === undefined) {
    id = keys.length;
    registry.set(key, id);
    keys.push(key);
  }
  return id;
}

const cache = new WeakMap<readonly TypeDef[], Int32Array>();

/** The canonical id of each of the module's type indices. */
export function canonicalIds(m: Module): Int32Array {
  const types = m.types;
  const cached = cache.get(types);
  if (cached !== undefined && cached.length === types.length) return cached;
  const ids = new Int32Array(types.length);
  for (let i = 0; i < types.length; i++) ids[i] = idOf(typeKey(types[i]!, i, ids));
  cache.set(types, ids);
  return ids;
}

/**
 * The canonical id of a function type on its own, outside any module: for types without
 * type indices (a host function's), the same id a module's equal type gets.
 */
export function funcTypeCanonicalId(params: readonly ValType[], results: readonly ValType[]): number {
  return idOf(`func ${params.join(' ')} -> ${results.join(' ')}`);
}

/** The canonical key of an id: 'func i32 (ref null #3) -> (ref rec)'. */
export function canonicalKey(id: number): string | undefined {
  return keys[id];
}
