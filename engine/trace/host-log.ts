// The record of host function calls, so that time travel never calls the host twice.
// Host calls are numbered in execution order; since everything else a traced call does is
// deterministic, the k-th host call is the same call every time execution passes it. The
// first time, the host really runs and its results (or the exception it threw) and its
// changes to memories, tables and globals (engine/trace/world.ts) are recorded; every
// later time they are replayed from here.
//
// Kept compact for long runs: two parallel arrays, and maps for the rare calls that
// changed the store or threw.

import type { HostFunction } from '../exec/index.ts';
import type { HostEffect } from './world.ts';

export class HostLog {
  private readonly fns: HostFunction[] = [];
  private readonly values: unknown[] = [];
  private readonly effects = new Map<number, HostEffect>();
  private readonly errors = new Map<number, { error: unknown }>();

  /** Number of host calls recorded (the calls made so far on the furthest path). */
  get length(): number {
    return this.fns.length;
  }

  /** Records call number `length`: it returned `value` (its results as the host gave them). */
  returned(fn: HostFunction, value: unknown, effect: HostEffect | undefined): void {
    if (effect !== undefined) this.effects.set(this.fns.length, effect);
    this.fns.push(fn);
    this.values.push(value);
  }

  /** Records call number `length`: it threw `error`. */
  threw(fn: HostFunction, error: unknown, effect: HostEffect | undefined): void {
    if (effect !== undefined) this.effects.set(this.fns.length, effect);
    this.errors.set(this.fns.length, { error });
    this.fns.push(fn);
    this.values.push(undefined);
  }

  fn(k: number): HostFunction {
    return this.fns[k]!;
  }

  value(k: number): unknown {
    return this.values[k];
  }

  effect(k: number): HostEffect | undefined {
    return this.effects.get(k);
  }

  error(k: number): { error: unknown } | undefined {
    return this.errors.get(k);
  }
}
