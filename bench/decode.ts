// Decode + validate real-world modules: our decodeModule and validateModule vs V8's
// WebAssembly.validate and the wabt npm package's readWasm + validate (wabt compiled to
// wasm, run by V8). A module an engine rejects is reported with its error, not timed.
// Times are CPU time of this process (all four run in it).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import wabtInit from 'wabt';
import { decodeModule } from '../engine/binary/decode.ts';
import { validateModule } from '../engine/valid/validate.ts';
import { cpuTimed, median } from './lib/stats.ts';

export const REAL_MODULES = [
  'node_modules/@swc/wasm/wasm_bg.wasm',
  'node_modules/esbuild-wasm/esbuild.wasm',
  'node_modules/pyodide/pyodide.asm.wasm',
] as const;

/** A median time, or why there is none. */
export type Timing = { readonly ms: number } | { readonly error: string };

export interface DecodeResult {
  readonly module: string;
  readonly bytes: number;
  readonly oursDecode: Timing;
  readonly oursValidate: Timing;
  readonly v8Validate: Timing;
  readonly wabtReadValidate: Timing;
}

/** Median CPU time of `f` over `reps` runs, or the first error it throws. */
function timing(reps: number, f: () => void): Timing {
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    try {
      times.push(cpuTimed(f).ms);
    } catch (e) {
      return { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    }
  }
  return { ms: median(times) };
}

// Every feature the wabt package can read, so it rejects only what it does not know.
const WABT_FEATURES = {
  exceptions: true, mutable_globals: true, sat_float_to_int: true, sign_extension: true, simd: true, threads: true,
  multi_value: true, tail_call: true, bulk_memory: true, reference_types: true, extended_const: true,
} as const;

export async function benchDecode(root: string, reps: number): Promise<DecodeResult[]> {
  const wabt = await wabtInit();
  const out: DecodeResult[] = [];
  for (const rel of REAL_MODULES) {
    const path = join(root, rel);
    if (!existsSync(path)) continue;
    const bytes = new Uint8Array(readFileSync(path));
    let module: ReturnType<typeof decodeModule> | undefined;
    const oursDecode = timing(reps, () => {
      module = decodeModule(bytes);
    });
    const oursValidate: Timing = module === undefined ? { error: 'not decoded' } : timing(reps, () => void validateModule(module!));
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
    out.push({ module: rel, bytes: bytes.length, oursDecode, oursValidate, v8Validate, wabtReadValidate });
  }
  return out;
}
