// Exception handling's runtime objects (https://webassembly.github.io/spec/core/exec/runtime.html#tag-instances,
// https://webassembly.github.io/spec/core/exec/runtime.html#exception-instances).

import type { FuncType } from '../syntax/index.ts';
import type { HostValue } from './values.ts';

/** A tag instance: its identity is the object (two definitions of one type are two tags). */
export class TagInstance {
  readonly kind = 'tag';
  readonly type: FuncType;
  readonly name: string;
  constructor(type: FuncType, name = 'tag') {
    this.type = type;
    this.name = name;
  }
}

/** An exception: its tag and its payload in host form (engine/exec/values.ts, HostValue). */
export class ExceptionInstance {
  readonly tag: TagInstance;
  readonly values: readonly HostValue[];
  constructor(tag: TagInstance, values: readonly HostValue[]) {
    this.tag = tag;
    this.values = values;
  }
}

/** A wasm exception no wasm handler caught. Not a Trap: traps are never catchable. */
export class WasmThrow extends Error {
  readonly exception: ExceptionInstance;
  constructor(exception: ExceptionInstance) {
    super('uncaught wasm exception');
    this.name = 'WasmThrow';
    this.exception = exception;
  }
}

/** The JS API's JSTag: one externref parameter. */
export const JS_TAG: TagInstance = new TagInstance({ params: ['externref'], results: [] }, 'JSTag');
