// Resource limits of the interpreter. The spec leaves resource exhaustion to the
// implementation (https://webassembly.github.io/spec/core/appendix/implementation.html#execution);
// here every such bound is configuration, so a guest program can neither crash nor hang the
// host: exceeding a bound traps ("call stack exhausted") or fails softly (memory.grow and
// table.grow return -1), and the step budget is the caller's choice in Machine.run.

export interface ResourceLimits {
  /** Wasm frames on one machine's frame stack; one more call traps "call stack exhausted". */
  readonly maxCallDepth: number;
  /** 8-byte slots of the value stack (locals and operands of all frames; a v128 takes two). */
  readonly maxStackSlots: number;
  /** Memory size cap in 64 KiB pages: memory.grow beyond it returns -1. */
  readonly maxMemoryPages: number;
  /** Table size cap in elements: table.grow beyond it returns -1. */
  readonly maxTableSize: number;
  /** How deeply host functions may re-enter wasm (each re-entry runs a nested machine). */
  readonly maxHostReentry: number;
}

export const DEFAULT_LIMITS: ResourceLimits = Object.freeze({
  maxCallDepth: 10_000,
  maxStackSlots: 1 << 22,
  maxMemoryPages: 16_384,
  maxTableSize: 1 << 22,
  maxHostReentry: 64,
});

/** The defaults with some bounds overridden. */
export function limitsWith(overrides: Partial<ResourceLimits> = {}): ResourceLimits {
  return Object.freeze({ ...DEFAULT_LIMITS, ...overrides });
}
