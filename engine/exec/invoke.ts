// Calling an instance's exported functions from JS
// (https://webassembly.github.io/spec/core/appendix/embedding.html#functions, func_invoke):
// runs the call on a fresh Machine to completion and returns its results, or throws the
// Trap (or the WasmThrow of an uncaught exception). A step budget keeps a guest's infinite loop from hanging the caller.

import { DEFAULT_LIMITS, type ResourceLimits } from './limits.ts';
import { Machine } from './machine.ts';
import { HostFunction, WasmFunction, type FuncInstance, type Instance } from './runtime.ts';
import { Trap } from './trap.ts';
import type { HostValue, TypedValue } from './values.ts';

export interface InvokeOptions {
  readonly limits?: ResourceLimits;
  /** Most instructions to run (default unbounded); running out throws a Trap. */
  readonly budget?: number;
}

/** The exported function `name` of `instance`; throws TypeError when there is none. */
export function exportedFunction(instance: Instance, name: string): FuncInstance {
  const f = instance.exports.get(name);
  if (!(f instanceof WasmFunction || f instanceof HostFunction)) throw new TypeError(`no exported function "${name}"`);
  return f;
}

function finish(m: Machine, budget: number | undefined): void {
  const status = m.run(budget ?? Infinity);
  if (m.thrown !== undefined) throw m.thrown; // an exception no wasm handler caught
  if (status === 'trapped') throw m.trap!;
  if (status !== 'done') throw new Trap('step budget exhausted');
}

/** Calls a function with JS arguments; returns its results as JS values (an array, one per result). */
export function callFunction(f: FuncInstance, args: readonly HostValue[], options: InvokeOptions = {}): HostValue[] {
  const m = new Machine(options.limits ?? DEFAULT_LIMITS);
  m.start(f, args);
  finish(m, options.budget);
  return m.results();
}

/** Calls a function with typed arguments (floats by their bits); returns typed results. */
export function callFunctionTyped(f: FuncInstance, args: readonly TypedValue[], options: InvokeOptions = {}): TypedValue[] {
  const m = new Machine(options.limits ?? DEFAULT_LIMITS);
  m.startTyped(f, args);
  finish(m, options.budget);
  return m.typedResults();
}

/** invoke(instance, name, args): calls an exported function; results as JS values. */
export function invoke(instance: Instance, name: string, args: readonly HostValue[] = [], options: InvokeOptions = {}): HostValue[] {
  return callFunction(exportedFunction(instance, name), args, options);
}
