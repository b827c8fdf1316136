// `wasmstep validate` and `wasmstep run`: load a .wat or .wasm, validate it
// (https://webassembly.github.io/spec/core/valid/), instantiate it with visible stub
// imports, call one export, and optionally print one line per executed instruction.
import { DecodeError, decodeModule, decodeModuleShell, recordByteSpans } from '../engine/binary/index.ts';
import { formatF32, formatF64, ParseError, parseWat } from '../engine/text/index.ts';
import {
  DEFAULT_LIMITS, exportedFunction, frames, hostFunction, type HostValue, type Imports, instantiate, LinkError, Machine, Trap, type TypedValue,
} from '../engine/exec/index.ts';
import { spectest } from '../engine/script/index.ts';
import type { Module, Span, ValType } from '../engine/syntax/index.ts';
import { validateBinary, validateModule, ValidationError } from '../engine/valid/index.ts';

/** A failure with the exit status it should end the program with. */
export class CliFailure extends Error {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}

function isBinary(bytes: Uint8Array): boolean {
  return bytes[0] === 0x00 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;
}

function where(file: string, span: Span | undefined): string {
  if (span?.text) return `${file}:${span.text.line}:${span.text.column}`;
  if (span?.bytes) return `${file}:@0x${span.bytes.offset.toString(16)}`;
  return file;
}

/** Engine errors as `file:line:col: message` or `file:@0x…: message`, exit status 1. */
export function locatedFailure(file: string, error: unknown): CliFailure {
  if (error instanceof ParseError) return new CliFailure(`${file}:${error.line}:${error.column}: ${error.specMessage}`, 1);
  if (error instanceof DecodeError) return new CliFailure(`${file}:@0x${error.offset.toString(16)}: ${error.specMessage}`, 1);
  if (error instanceof ValidationError) {
    return new CliFailure(`${where(file, error.span)}: ${error.where}${error.op ? ` (${error.op})` : ''}: ${error.specMessage}`, 1);
  }
  if (error instanceof LinkError) return new CliFailure(`${file}: link error: ${error.message}`, 1);
  if (error instanceof Trap) return new CliFailure(`${file}: trap: ${error.message}`, 1);
  throw error;
}

/** Parses or decodes and validates; text gets byte spans too, so traces can show offsets. */
export function loadModule(file: string, bytes: Uint8Array): Module {
  try {
    let module: Module;
    if (isBinary(bytes)) module = decodeModule(bytes);
    else {
      module = parseWat(new TextDecoder('utf-8', { fatal: false }).decode(bytes));
      recordByteSpans(module);
    }
    validateModule(module);
    return module;
  } catch (error) {
    throw locatedFailure(file, error);
  }
}

export function validateCommand(file: string, bytes: Uint8Array): string {
  if (!isBinary(bytes)) {
    const module = loadModule(file, bytes);
    return `${file}: valid (${module.funcs.length} functions, ${module.imports.length} imports, ${module.exports.length} exports)\n`;
  }
  // A binary is checked from its bytes: toolchain output of many megabytes validates in
  // a fraction of the time building its instruction AST would take.
  let result;
  try {
    result = validateBinary(bytes);
  } catch (error) {
    throw locatedFailure(file, error);
  }
  // Valid, so the shell (no bodies, no data segments) decodes; it only supplies the counts.
  const { module } = decodeModuleShell(bytes, {}, undefined, true);
  const checked = result.instructions > 0 ? `, ${result.instructions} instructions` : '';
  return `${file}: valid (${result.functions} functions, ${module.imports.length} imports, ${module.exports.length} exports${checked})\n`;
}

/** A value as a learner reads it. */
export function showValue(v: TypedValue): string {
  switch (v.type) {
    case 'i32':
      return `i32:${v.value}`;
    case 'i64':
      return `i64:${v.value}`;
    case 'f32':
      return `f32:${formatF32(v.bits)}`;
    case 'f64':
      return `f64:${formatF64(v.bits)}`;
    case 'v128':
      return `v128:${[...v.value].map((b) => b.toString(16).padStart(2, '0')).join(' ')}`;
    default:
      return v.value === null ? `${v.type}:null` : `${v.type}:ref`;
  }
}

function showHost(t: ValType, v: HostValue): string {
  if (t === 'v128' && v instanceof Uint8Array) return showValue({ type: 'v128', value: v });
  return `${t}:${String(v)}`;
}

function parseArg(text: string, type: ValType, index: number): HostValue {
  const bad = () => new CliFailure(`wasmstep: argument ${index + 1} (${text}) is not a valid ${type}`, 2);
  try {
    switch (type) {
      case 'i32': {
        const n = BigInt(text);
        if (n < -(2n ** 31n) || n >= 2n ** 32n) throw bad();
        return Number(BigInt.asIntN(32, n));
      }
      case 'i64': {
        const n = BigInt(text);
        if (n < -(2n ** 63n) || n >= 2n ** 64n) throw bad();
        return BigInt.asIntN(64, n);
      }
      case 'f32':
      case 'f64': {
        const n = Number(text);
        if (Number.isNaN(n) && !/^[+-]?nan$/i.test(text)) throw bad();
        return n;
      }
      default:
        throw new CliFailure(`wasmstep: cannot pass a ${type} argument from the command line`, 2);
    }
  } catch (error) {
    if (error instanceof CliFailure) throw error;
    throw bad();
  }
}

/**
 * Imports: `spectest` as in the spec suite; any other function import becomes a visible
 * stub that prints its call and returns zeros. Other imports cannot be made up.
 */
function stubImports(module: Module, log: (line: string) => void): Imports {
  const imports: Record<string, Record<string, unknown>> = {};
  const spec = spectest();
  for (const imp of module.imports) {
    const slot = (imports[imp.module] ??= {});
    if (imp.module === 'spectest' && spec.has(imp.name)) {
      slot[imp.name] = spec.get(imp.name);
      continue;
    }
    if (imp.desc.kind !== 'func') {
      throw new CliFailure(`wasmstep: cannot provide the ${imp.desc.kind} import "${imp.module}" "${imp.name}"`, 1);
    }
    const type = module.types[imp.desc.type]!.type;
    slot[imp.name] = hostFunction(type.params, type.results, (...args: HostValue[]) => {
      log(`[host] ${imp.module}.${imp.name}(${args.map((a, i) => showHost(type.params[i]!, a)).join(', ')})`);
      const zeros = type.results.map((t) => (t === 'i64' ? 0n : t === 'v128' ? new Uint8Array(16) : t.endsWith('ref') ? null : 0));
      return zeros.length === 1 ? zeros[0] : zeros;
    }, `${imp.module}.${imp.name}`);
  }
  return imports as Imports;
}

export interface RunOptions {
  readonly invoke: string;
  readonly args: readonly string[];
  readonly trace: boolean;
  readonly budget: number;
}

export function runCommand(file: string, bytes: Uint8Array, options: RunOptions, out: (line: string) => void): void {
  const module = loadModule(file, bytes);
  const names = new Map<number, string>();
  const imported = module.imports.filter((i) => i.desc.kind === 'func').length;
  module.funcs.forEach((f, i) => {
    const name = f.id ?? module.names?.functions.get(imported + i);
    if (name) names.set(imported + i, name.startsWith('$') ? name : `$${name}`);
  });
  let instance;
  try {
    instance = instantiate(module, stubImports(module, out), { limits: DEFAULT_LIMITS });
  } catch (error) {
    throw locatedFailure(file, error);
  }
  let func;
  try {
    func = exportedFunction(instance, options.invoke);
  } catch {
    const exported = module.exports.filter((e) => e.kind === 'func').map((e) => e.name);
    throw new CliFailure(`wasmstep: ${file} exports no function "${options.invoke}" (it exports: ${exported.join(', ') || 'none'})`, 2);
  }
  const params = func.type.params;
  if (options.args.length !== params.length) {
    throw new CliFailure(`wasmstep: ${options.invoke} takes ${params.length} argument(s) (${params.join(' ')}), got ${options.args.length}`, 2);
  }
  const machine = new Machine(DEFAULT_LIMITS);
  machine.start(func, options.args.map((a, i) => parseArg(a, params[i]!, i)));
  if (options.trace) {
    while (machine.status === 'paused' || machine.status === 'idle') {
      if (machine.steps >= options.budget) break;
      const top = frames(machine).at(-1);
      const before = top && {
        fn: names.get(top.funcIndex) ?? `func ${top.funcIndex}`,
        op: top.instr ? top.instr.op : 'end',
        at: top.span?.bytes ? `@0x${top.span.bytes.offset.toString(16).padStart(4, '0')}` : top.span?.text ? `${top.span.text.line}:${top.span.text.column}` : '',
      };
      // step() changes the status; read it afresh rather than through the loop's narrowing.
      const status: string = machine.step();
      const now = frames(machine).at(-1);
      const stack = status === 'done' ? machine.typedResults() : (now?.stack ?? []);
      if (before) out(`${String(machine.steps).padStart(6)}  ${before.fn.padEnd(14)} ${before.at.padEnd(8)} ${before.op.padEnd(22)} [${stack.map(showValue).join(' ')}]`);
    }
  } else {
    machine.run(options.budget);
  }
  if (machine.status === 'trapped') {
    const trap = machine.trap!;
    const top = frames(machine).at(-1);
    throw new CliFailure(`${where(file, top?.span)}: trap: ${trap.message} (after ${machine.steps} instructions)`, 1);
  }
  if (machine.status !== 'done') {
    throw new CliFailure(`wasmstep: stopped after ${machine.steps} instructions (the --budget); the function has not returned`, 1);
  }
  const results = machine.typedResults();
  out(`${results.map(showValue).join(' ') || '(no results)'}    ; ${machine.steps} instructions`);
}
