// Decode + validate real-world modules. The headline is validateBinary — what our facade's
// WebAssembly.validate runs: the module shell decoded, bodies and data segments checked in
// place — against V8's WebAssembly.validate (target: at most 5× its time) and the wabt npm
// package's readWasm + validate (wabt compiled to wasm, run by V8; target: faster). Our
// AST path, decodeModule + validateModule, is timed too: it is what `new WebAssembly.Module`
// costs in our engine. A module an engine rejects is reported with its error; for ours, the
// time to reject is measured as well.
// Times are CPU time of this process (all engines run in it): the median of several samples
// after one unrecorded warm-up, so that each engine's code is compiled (our validator's
// JavaScript, wabt's wasm) — validateBinary's first call is recorded apart (firstMs). A full
// garbage collection before each module keeps one module's AST from being collected on the
// next module's time; not before each sample: with a forced collection before every sample
// our validator never got past its cold speed (on swc, every sample near its first one,
// about twice the warm time).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import wabtInit from 'wabt';
import { decodeModule, validateBinary, validateModule } from '../engine/index.ts';
import { cpuTimed, median } from './lib/stats.ts';

export const REAL_MODULES = [
  'node_modules/@swc/wasm/wasm_bg.wasm',
  'node_modules/esbuild-wasm/esbuild.wasm',
  'node_modules/pyodide/pyodide.asm.wasm',
] as const;

/** validateBinary may take at most this many times V8's WebAssembly.validate. */
export const V8_TARGET = 5;
/** …and must be faster than wabt npm's readWasm + validate (a ratio below this). */
export const WABT_TARGET = 1;

/** A median time, or why there is none. */
export type Timing = { readonly ms: number } | { readonly error: string };

/** validateBinary's median time, with its verdict: what decided and how much it checked, or why it rejected. */
export type BinaryTiming =
  | {
    readonly ms: number; readonly firstMs: number;
    readonly decidedBy: 'bytes' | 'reference'; readonly functions: number; readonly instructions: number;
  }
  | { readonly ms: number; readonly firstMs: number; readonly rejected: string };

/** One target: our time over the peer's, and whether it is met (undefined: not comparable). */
export interface TargetCheck {
  readonly ratio?: number;
  readonly met?: boolean;
  /** "met", "not met", or "not comparable: why". */
  readonly verdict: string;
}

export interface DecodeResult {
  readonly module: string;
  readonly bytes: number;
  readonly oursValidateBinary: BinaryTiming;
  readonly oursDecode: Timing;
  readonly oursValidate: Timing;
  readonly v8Validate: Timing;
  readonly wabtReadValidate: Timing;
  /** validateBinary vs V8's validate: ratio ≤ V8_TARGET. */
  readonly vsV8: TargetCheck;
  /** validateBinary vs wabt npm's readWasm + validate: ratio < WABT_TARGET. */
  readonly vsWabt: TargetCheck;
}

// A full collection outside the timed region. The flag is set at run time, so that
// `node bench/run.ts` needs no command-line option.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function message(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** Median CPU time of `f` over `reps` runs after a warm-up, or the first error it throws. */
function timing(reps: number, f: () => void): Timing {
  const times: number[] = [];
  for (let i = 0; i <= reps; i++) {
    try {
      const { ms } = cpuTimed(f);
      if (i > 0) times.push(ms);
    } catch (e) {
      return { error: message(e) };
    }
  }
  return { ms: median(times) };
}

/** Median CPU time of validateBinary over `reps` runs after the first, whether it accepts or rejects. */
function timeValidateBinary(reps: number, bytes: Uint8Array): BinaryTiming {
  const times: number[] = [];
  let accepted: ReturnType<typeof validateBinary> | undefined;
  let rejected: string | undefined;
  for (let i = 0; i <= reps; i++) {
    const start = process.cpuUsage();
    try {
      accepted = validateBinary(bytes);
    } catch (e) {
      rejected = message(e);
    }
    const used = process.cpuUsage(start);
    times.push((used.user + used.system) / 1000);
  }
  if (accepted !== undefined && rejected !== undefined) throw new Error(`validateBinary both accepted and rejected: ${rejected}`);
  const [firstMs, ...warm] = times as [number, ...number[]];
  const ms = median(warm);
  return rejected !== undefined ? { ms, firstMs, rejected } : { ms, firstMs, ...accepted! };
}

/** The features wasmstep reads but does not validate, named by its "does not execute X yet" error. */
const UNSUPPORTED = /does not execute (.+?) yet/;

/** Our validateBinary time against a peer's, for a target "ratio below `limit`" (`inclusive`: at most). */
export function checkTarget(ours: BinaryTiming, peer: Timing, limit: number, inclusive: boolean): TargetCheck {
  if ('rejected' in ours) {
    const feature = UNSUPPORTED.exec(ours.rejected)?.[1];
    if (feature !== undefined) return { verdict: `not comparable: module uses ${feature}, which wasmstep does not validate` };
    if ('error' in peer) return { verdict: 'not comparable: both reject the module' };
    return { met: false, verdict: 'not met: wasmstep rejects a module the peer accepts' };
  }
  if ('error' in peer) return { verdict: 'not comparable: the peer rejects the module' };
  const ratio = ours.ms / peer.ms;
  const met = inclusive ? ratio <= limit : ratio < limit;
  return { ratio, met, verdict: met ? 'met' : 'not met' };
}

// Every feature the wabt package can read, so it rejects only what it does not know.
const WABT_FEATURES = {
  exceptions: true, mutable_globals: true, sat_float_to_int: true, sign_extension: true, simd: true, threads: true,
  multi_value: true, tail_call: true, bulk_memory: true, reference_types: true, extended_const: true,
} as const;

/**
 * `reps` samples of the validators (ours, V8's, wabt's), `astReps` of our AST decode and
 * validate, which take seconds each on these modules.
 */
export async function benchDecode(root: string, reps: number, astReps: number): Promise<DecodeResult[]> {
  const wabt = await wabtInit();
  const out: DecodeResult[] = [];
  for (const rel of REAL_MODULES) {
    const path = join(root, rel);
    if (!existsSync(path)) continue;
    const bytes = new Uint8Array(readFileSync(path));
    collectGarbage();
    const oursValidateBinary = timeValidateBinary(reps, bytes);
    let module: ReturnType<typeof decodeModule> | undefined;
    const oursDecode = timing(astReps, () => {
      module = decodeModule(bytes);
    });
    const oursValidate: Timing = module === undefined ? { error: 'not decoded' } : timing(astReps, () => void validateModule(module!));
    module = undefined;
    const v8Validate = timing(reps, () => {
      if (!WebAssembly.validate(bytes)) throw new Error('WebAssembly.validate returned false');
    });
    const wabtReadValidate = timing(reps, () => {
      const m = wabt.readWasm(bytes, { readDebugNames: false, check: false, ...WABT_FEATURES });
      try {
        m.validate();
      } finally {
        m.destroy();
      }
    });
    out.push({
      module: rel, bytes: bytes.length, oursValidateBinary, oursDecode, oursValidate, v8Validate, wabtReadValidate,
      vsV8: checkTarget(oursValidateBinary, v8Validate, V8_TARGET, true),
      vsWabt: checkTarget(oursValidateBinary, wabtReadValidate, WABT_TARGET, false),
    });
  }
  return out;
}
