// Run mode on the benchmark kernels (bench/wasm/*.wasm, built from bench/c/): our
// interpreter vs wabt's interpreter (native, and the npm package's wasm build) and V8's
// JIT on the same module, and the checksum each returns (a disagreement fails the run).
//
// Instructions are counted once, by our machine: every wasm instruction executed,
// including block, loop, end, else, a branch not taken and the function's final end (one
// `Machine.steps` each). The same count divides every engine's time, so "instructions per
// second" means the same thing in each column. Times are CPU time of the process (ours,
// V8) or subprocess (wabt), so a busy machine disturbs them less than wall time.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeModule, exportedFunction, instantiate, Machine } from '../engine/index.ts';
import { cpuTimed, median } from './lib/stats.ts';
import { wabtNative, wabtNpm, type WabtInterp, type WabtRun } from './peers/wabt-interp.ts';

export const KERNEL_DIR = join(import.meta.dirname, 'wasm');

/** The kernel names, in the order of bench/c/build.sh's output. */
export function kernelNames(): string[] {
  const order = ['fib', 'sieve', 'matmul', 'crc32', 'sha256', 'simd'];
  const present = readdirSync(KERNEL_DIR).filter((f) => f.endsWith('.wasm')).map((f) => f.slice(0, -5));
  return [...order.filter((k) => present.includes(k)), ...present.filter((k) => !order.includes(k)).sort()];
}

/** Runs a kernel's `run` on our interpreter: its checksum and instruction count. */
export function runOurs(bytes: Uint8Array): { checksum: number; instructions: number; ms: number } {
  const instance = instantiate(decodeModule(bytes));
  const m = new Machine();
  m.start(exportedFunction(instance, 'run'), []);
  const { ms, value: status } = cpuTimed(() => m.run());
  if (status !== 'done') throw new Error(`run ended ${status}${m.trap ? `: ${m.trap.message}` : ''}`);
  return { checksum: (m.results()[0] as number) >>> 0, instructions: m.steps, ms };
}

export interface KernelResult {
  readonly name: string;
  readonly instructions: number;
  readonly checksum: number;
  readonly oursMs: number;
  readonly v8Ms: number;
  readonly wabt: WabtRun | { readonly skipped: string };
  /** The wabt npm package's wasm-interp (wabt compiled to wasm). */
  readonly wabtNpm: WabtRun | { readonly skipped: string };
  /** Every engine that ran returned the same checksum. */
  readonly agree: boolean;
  readonly mismatch?: string;
}

export interface KernelBench {
  readonly kernels: KernelResult[];
  readonly wabtVersion: string | null;
  readonly wabtClock: 'cpu' | 'wall' | null;
}

function peer(p: WabtInterp, path: string, reps: number): WabtRun | { readonly skipped: string } {
  return p.ok ? p.run(path, reps) : { skipped: p.reason };
}

export function benchKernels(root: string, reps: number): KernelBench {
  const wabt = wabtNative();
  const npm = wabtNpm(root);
  const kernels: KernelResult[] = [];
  for (const name of kernelNames()) {
    const path = join(KERNEL_DIR, `${name}.wasm`);
    const bytes = new Uint8Array(readFileSync(path));
    const ours: number[] = [];
    let first: ReturnType<typeof runOurs> | undefined;
    for (let i = 0; i < reps; i++) {
      const r = runOurs(bytes);
      if (first === undefined) first = r;
      else if (r.checksum !== first.checksum || r.instructions !== first.instructions) {
        throw new Error(`${name}: our engine is not deterministic`);
      }
      ours.push(r.ms);
    }
    // V8: a fresh instance, one untimed call to let it tier up, then the timed calls —
    // each sample a batch of calls lasting ≥ 50 ms, since a call can take less than the
    // CPU clock's resolution.
    const v8run = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.run as () => number;
    const v8Sum = v8run() >>> 0;
    const t = performance.now();
    v8run();
    const batch = Math.max(1, Math.ceil(50 / Math.max(performance.now() - t, 0.01)));
    const v8: number[] = [];
    for (let i = 0; i < Math.max(reps, 5); i++) {
      v8.push(cpuTimed(() => {
        for (let k = 0; k < batch; k++) v8run();
      }).ms / batch);
    }
    const w = peer(wabt, path, reps);
    const wn = peer(npm, path, reps);
    const sums: [string, number][] = [['ours', first!.checksum], ['V8', v8Sum]];
    if ('checksum' in w) sums.push(['wabt', w.checksum]);
    if ('checksum' in wn) sums.push(['wabt npm', wn.checksum]);
    const agree = sums.every(([, s]) => s === first!.checksum);
    kernels.push({
      name, instructions: first!.instructions, checksum: first!.checksum, oursMs: median(ours), v8Ms: median(v8), wabt: w, wabtNpm: wn, agree,
      ...(agree ? {} : { mismatch: sums.map(([k, s]) => `${k} ${s}`).join(', ') }),
    });
  }
  return { kernels, wabtVersion: wabt.ok ? wabt.version : null, wabtClock: wabt.ok ? wabt.clock : null };
}
