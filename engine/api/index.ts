// A facade over the engine with the shape of the JS API's `WebAssembly` namespace
// (https://webassembly.github.io/spec/js-api/): Module, Instance, Memory, Table, Global,
// Tag, Exception and JSTag (exception handling's JS API,
// https://webassembly.github.io/exception-handling/js-api/), validate, compile,
// instantiate and the three error classes — so code written for
// `WebAssembly` runs on our interpreter by swapping the namespace, and the same test can
// run against both (engine/api/*.test.ts do exactly that against Node's V8).
//
// Two extensions, both optional: `new Instance(module, imports, { limits, budget })` (and
// the same third argument to `instantiate`) bounds the interpreter; engine/api/wat.ts
// accepts .wat text.

import { CompileError, LinkError, RuntimeError } from './errors.ts';
import { Global } from './global.ts';
import { Instance, instantiate } from './instance.ts';
import { Memory } from './memory.ts';
import { compile, Module, validate } from './module.ts';
import { Table } from './table.ts';
import { webIdlNamespace } from './idl.ts';
import { Tag, JSTag } from './tag.ts';
import { Exception } from './exception.ts';

export { CompileError, LinkError, RuntimeError } from './errors.ts';
export { Global, type GlobalDescriptor } from './global.ts';
export { Instance, instantiate, engineInstanceOf, type ImportObject, type WebAssemblyInstantiatedSource } from './instance.ts';
export { Memory, type MemoryDescriptor } from './memory.ts';
export { compile, Module, validate, moduleAst, type ModuleExportDescriptor, type ModuleImportDescriptor, type ImportExportKind } from './module.ts';
export { Table, type TableDescriptor } from './table.ts';
export { Tag, JSTag, type TagType } from './tag.ts';
export { Exception, type ExceptionOptions } from './exception.ts';
export type { RunOptions } from './js-values.ts';
export { compileWat, instantiateWat, watToBinary } from './wat.ts';

const interfaces = { Module, Instance, Memory, Table, Global, Tag, Exception, CompileError, LinkError, RuntimeError };
const operations = { validate, compile, instantiate };
/** Read-only values on the namespace, as V8 defines them (not writable, not enumerable). */
const constants = { JSTag };

/**
 * The namespace, shaped like `WebAssembly` down to its property attributes and
 * `Symbol.toStringTag` (engine/api/idl.ts). Like `WebAssembly` it is not frozen; to derive
 * a variant, inherit from it (`Object.create(WasmStep)`): its interfaces are not
 * enumerable, so a spread would drop them.
 */
export const WasmStep: Readonly<typeof interfaces & typeof operations & typeof constants> = webIdlNamespace('WebAssembly', interfaces, operations, constants);
