// WebAssembly.Module, validate and compile (https://webassembly.github.io/spec/js-api/#modules,
// https://webassembly.github.io/spec/js-api/#dom-webassembly-validate): a Module is a
// decoded and validated module AST. Decoding errors (DecodeError) and validation errors
// (ValidationError) both become CompileError, with the engine error as `cause`.

import { DecodeError, decodeModule } from '../binary/index.ts';
import type { ExternKind, Module as ModuleAst } from '../syntax/index.ts';
import { validateBinary, validateModule, ValidationError } from '../valid/index.ts';
import { CompileError } from './errors.ts';
import { copyBufferSource, webIdlInterface } from './idl.ts';
import { JS_LIMITS, jsLimitViolation } from './limits.ts';

/** The decoder's size cap raised to the JS API's (engine/api/limits.ts checks the rest). */
const DECODE = { maxBytes: JS_LIMITS.moduleBytes } as const;

/** The JS API's ImportExportKind. */
export type ImportExportKind = 'function' | 'table' | 'memory' | 'global' | 'tag';

export interface ModuleExportDescriptor {
  readonly name: string;
  readonly kind: ImportExportKind;
}

export interface ModuleImportDescriptor {
  readonly module: string;
  readonly name: string;
  readonly kind: ImportExportKind;
}

const asts = new WeakMap<object, ModuleAst>();

function kindName(kind: ExternKind): ImportExportKind {
  return kind === 'func' ? 'function' : kind;
}

/** Decodes and validates; throws CompileError. */
function compileBytes(bytes: Uint8Array): ModuleAst {
  const overLimit = jsLimitViolation(bytes);
  if (overLimit !== undefined) throw new CompileError(overLimit);
  try {
    const ast = decodeModule(bytes, DECODE);
    validateModule(ast);
    return ast;
  } catch (e) {
    if (e instanceof DecodeError || e instanceof ValidationError) throw new CompileError(e.message, { cause: e });
    throw e;
  }
}

/** The validated AST behind a Module object; TypeError for anything else. */
export function moduleAst(m: unknown): ModuleAst {
  const ast = typeof m === 'object' && m !== null ? asts.get(m) : undefined;
  if (ast === undefined) throw new TypeError('not a WebAssembly.Module');
  return ast;
}

export class Module {
  /** Compiles synchronously: throws TypeError for a non-buffer argument, CompileError for a bad module. */
  constructor(bytes: ArrayBuffer | ArrayBufferView) {
    asts.set(this, compileBytes(copyBufferSource(bytes)));
  }

  static exports(moduleObject: Module): ModuleExportDescriptor[] {
    return moduleAst(moduleObject).exports.map((e) => ({ name: e.name, kind: kindName(e.kind) }));
  }

  static imports(moduleObject: Module): ModuleImportDescriptor[] {
    return moduleAst(moduleObject).imports.map((i) => ({ module: i.module, name: i.name, kind: kindName(i.desc.kind) }));
  }

  /** The contents (after the name) of every custom section called `sectionName`, as fresh ArrayBuffers. */
  static customSections(moduleObject: Module, sectionName: string): ArrayBuffer[] {
    const ast = moduleAst(moduleObject);
    if (sectionName === undefined) throw new TypeError('customSections needs a section name');
    const name = String(sectionName);
    return ast.customs.filter((c) => c.name === name).map((c) => c.bytes.slice().buffer as ArrayBuffer);
  }
}

webIdlInterface(Module, 'Module');

/** A Module object for bytes already copied from a BufferSource; throws CompileError. */
export function compileModuleBytes(bytes: Uint8Array): Module {
  const m = Object.create(Module.prototype) as Module;
  asts.set(m, compileBytes(bytes));
  return m;
}

/** Whether v is a Module object (has the brand, whatever its prototype). */
export function isModuleObject(v: unknown): v is Module {
  return typeof v === 'object' && v !== null && asts.has(v);
}

/**
 * Whether the bytes are a valid module (TypeError for a non-buffer argument). The verdict
 * is compileBytes's, but a valid module is checked from its bytes without building the
 * AST nobody would use (engine/valid/binary.ts).
 */
export function validate(bytes: ArrayBuffer | ArrayBufferView): boolean {
  const copy = copyBufferSource(bytes);
  if (jsLimitViolation(copy) !== undefined) return false;
  try {
    validateBinary(copy, DECODE);
    return true;
  } catch (e) {
    if (e instanceof DecodeError || e instanceof ValidationError) return false;
    throw e;
  }
}

/** Compiles a module; the promise rejects with TypeError or CompileError. */
export function compile(bytes: ArrayBuffer | ArrayBufferView): Promise<Module> {
  return new Promise((resolve) => resolve(new Module(bytes)));
}
