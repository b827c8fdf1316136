// Exception handling's runtime objects: tag instances, exception instances, and the error
// that carries an exception out of wasm
// (https://webassembly.github.io/spec/core/exec/runtime.html#tag-instances,
// https://webassembly.github.io/spec/core/exec/runtime.html#exception-instances).
//
// A tag's identity is the object itself: two tag definitions of the same type are
// different tags, and an import links by identity. An exception keeps its payload in host
// form (engine/exec/values.ts: i32 a number, i64 a bigint, f32/f64 a number, v128 a
// Uint8Array, references as themselves), converted from stack words only at `throw` and
// back at a catch, never per step. An `exnref` on the operand stack is the
// ExceptionInstance object.

import type { FuncType } from '../syntax/index.ts';
import type { HostValue } from './values.ts';

/** A tag instance: what `catch $t` compares a thrown exception's tag against. */
export class TagInstance {
  readonly kind = 'tag';
  /** The tag's function type: its params are the exception's payload; results are empty. */
  readonly type: FuncType;
  /** For messages and views. */
  readonly name: string;
  constructor(type: FuncType, name = 'tag') {
    this.type = type;
    this.name = name;
  }
}

/** An exception instance: a tag and the values thrown with it. */
export class ExceptionInstance {
  readonly tag: TagInstance;
  readonly values: readonly HostValue[];
  /**
   * The payload's float bits, when it has floats: f32/f64 numbers alone may not keep a NaN's
   * payload, and a wasm catch must push exactly the bits thrown. Indexed like `values`.
   */
  readonly bits: readonly (number | bigint | undefined)[] | undefined;
  constructor(tag: TagInstance, values: readonly HostValue[], bits?: readonly (number | bigint | undefined)[]) {
    this.tag = tag;
    this.values = values;
    this.bits = bits;
  }
}

/**
 * What escapes `invoke`, `callFunction*` and the start function when a wasm exception is
 * not caught inside wasm. Not a Trap: a trap is never caught by wasm handlers. A host
 * function may throw one, and the machine then throws its exception into wasm at the call.
 */
export class WasmThrow extends Error {
  readonly exception: ExceptionInstance;
  constructor(exception: ExceptionInstance) {
    super(`uncaught wasm exception (tag ${exception.tag.name})`);
    this.name = 'WasmThrow';
    this.exception = exception;
  }
}

/** The one JS tag (the JS API's WebAssembly.JSTag): JS errors thrown into wasm carry it. */
export const JS_TAG: TagInstance = new TagInstance({ params: ['externref'], results: [] }, 'JSTag');

/** The hook instantiate() takes for non-WasmThrow errors of host functions (see machine.ts). */
export type HostErrorHook = (error: unknown) => ExceptionInstance | undefined;
