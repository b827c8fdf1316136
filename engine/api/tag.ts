// WebAssembly.Tag and WebAssembly.JSTag
// (https://webassembly.github.io/exception-handling/js-api/#tag-objects,
// https://webassembly.github.io/exception-handling/js-api/#dom-webassembly-jstag) over the
// engine's TagInstance (engine/exec/exceptions.ts). A tag's identity is its TagInstance, so
// JS sees one Tag object per TagInstance (the JS API's tag object cache): a tag exported
// twice, or imported back, is the same object.

import { JS_TAG, TagInstance } from '../exec/index.ts';
import type { ValType } from '../syntax/index.ts';
import { valueType } from './global.ts';
import { dictionary, isObject, webIdlInterface } from './idl.ts';

const tags = new WeakMap<object, TagInstance>();
const objects = new WeakMap<TagInstance, Tag>();

/** The tag type dictionary (https://webassembly.github.io/exception-handling/js-api/#dictdef-tagtype). */
export interface TagType {
  readonly parameters: readonly ('i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'externref' | 'anyfunc')[];
}

/**
 * A Web IDL `sequence<ValueType>`: an iterable object (read through its @@iterator, step by
 * step), each element converted with ToString and checked against the ValueType enum.
 */
function valueTypeSequence(v: unknown): ValType[] {
  if (!isObject(v)) throw new TypeError('the tag type\'s parameters must be a sequence of value types');
  const method = (v as { [Symbol.iterator]?: unknown })[Symbol.iterator];
  if (typeof method !== 'function') throw new TypeError('the tag type\'s parameters must be iterable');
  const out: ValType[] = [];
  for (const item of { [Symbol.iterator]: () => Reflect.apply(method, v, []) as Iterator<unknown> }) {
    if (typeof item === 'symbol') throw new TypeError('a value type must be a string, not a symbol');
    out.push(valueType(item));
  }
  return out;
}

export class Tag {
  constructor(type: TagType) {
    const d = dictionary(type, 'the tag type');
    if (d.parameters === undefined) throw new TypeError('the tag type needs its parameters');
    register(this, new TagInstance({ params: valueTypeSequence(d.parameters), results: [] }));
  }
}

webIdlInterface(Tag, 'Tag');

function register(t: Tag, tag: TagInstance): void {
  tags.set(t, tag);
  objects.set(tag, t);
}

/** The one Tag object of an engine tag. */
export function wrapTag(tag: TagInstance): Tag {
  let t = objects.get(tag);
  if (t === undefined) {
    t = Object.create(Tag.prototype) as Tag;
    register(t, tag);
  }
  return t;
}

/** The engine tag behind a Tag object, or undefined for any other value. */
export function tagInstanceOf(v: unknown): TagInstance | undefined {
  return typeof v === 'object' && v !== null ? tags.get(v) : undefined;
}

/** The engine tag behind a Tag object; TypeError for any other value (Web IDL's conversion to `Tag`). */
export function tagArgument(v: unknown, what: string): TagInstance {
  const tag = tagInstanceOf(v);
  if (tag === undefined) throw new TypeError(`${what} must be a WebAssembly.Tag`);
  return tag;
}

/** WebAssembly.JSTag: the tag JS exceptions carry inside wasm (one externref, the thrown value). */
export const JSTag: Tag = wrapTag(JS_TAG);
