// wabt's interpreter `wasm-interp` as a peer, in two builds: the native one (C++, e.g.
// Debian's `wabt` package) and the one in the wabt npm package (the same C++ compiled to
// wasm by emscripten, run by Node). Each runs a kernel module's `run` export in a
// subprocess. Its time is that of `wasm-interp m.wasm --run-all-exports` minus the median
// time of `wasm-interp m.wasm`, which reads, validates and instantiates the module without
// running anything (the startup: for the npm build that includes starting Node).
// Times are the process's CPU time (task-clock from `perf stat`) when perf works, else
// wall time.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { median } from '../lib/stats.ts';

export type WabtInterp =
  | { readonly ok: true; readonly version: string; readonly clock: 'cpu' | 'wall'; run(path: string, reps: number): WabtRun }
  | { readonly ok: false; readonly reason: string };

export interface WabtRun {
  /** `run`'s result as an unsigned 32-bit number. */
  readonly checksum: number;
  /** Median run time with the startup subtracted. */
  readonly ms: number;
  readonly startupMs: number;
}

/**
 * A native program on PATH, skipping node_modules/.bin (npm puts the wabt package's
 * same-named wasm builds there while `npm run` runs).
 */
export function findNative(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '' || dir.includes('node_modules')) continue;
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

export function perfWorks(): boolean {
  const r = spawnSync('perf', ['stat', '-x,', '-e', 'task-clock', 'true'], { encoding: 'utf8' });
  return r.error === undefined && r.status === 0 && /task-clock/.test(r.stderr);
}

/** Runs `cmd args`: its CPU time (perf task-clock) when `cpu`, else its wall time. */
export function timedRun(cmd: readonly string[], args: readonly string[], cpu: boolean): { ms: number; stdout: string } {
  const t = performance.now();
  const r = cpu
    ? spawnSync('perf', ['stat', '-x,', '-e', 'task-clock', ...cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 })
    : spawnSync(cmd[0]!, [...cmd.slice(1), ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const wall = performance.now() - t;
  if (r.error !== undefined) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} ${args.join(' ')}: exit ${r.status}: ${r.stderr.trim()}`);
  if (!cpu) return { ms: wall, stdout: r.stdout };
  // perf's CSV line: "591.84,msec,task-clock,…"
  const m = /^([\d.]+),msec,task-clock/m.exec(r.stderr);
  if (m === null) throw new Error(`perf stat: no task-clock in ${JSON.stringify(r.stderr)}`);
  return { ms: Number(m[1]), stdout: r.stdout };
}

function interp(cmd: readonly string[]): WabtInterp {
  const probe = spawnSync(cmd[0]!, [...cmd.slice(1), '--version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) return { ok: false, reason: `${cmd.join(' ')} --version failed` };
  const cpu = perfWorks();
  return {
    ok: true,
    version: probe.stdout.trim(),
    clock: cpu ? 'cpu' : 'wall',
    run(path: string, reps: number): WabtRun {
      const startups: number[] = [];
      for (let i = 0; i < Math.max(3, reps); i++) startups.push(timedRun(cmd, [path], cpu).ms);
      const runs: number[] = [];
      let checksum = NaN;
      for (let i = 0; i < reps; i++) {
        const r = timedRun(cmd, [path, '--run-all-exports'], cpu);
        runs.push(r.ms);
        // One line per export: "run() => i32:832040" (printed unsigned).
        const m = /^run\(\) => i32:(\d+)$/m.exec(r.stdout);
        if (m === null) throw new Error(`${cmd.join(' ')} ${path}: no result for run() in ${JSON.stringify(r.stdout)}`);
        checksum = Number(m[1]) >>> 0;
      }
      const startupMs = median(startups);
      return { checksum, ms: Math.max(0, median(runs) - startupMs), startupMs };
    },
  };
}

/** The native wasm-interp, if installed. */
export function wabtNative(): WabtInterp {
  const exe = findNative('wasm-interp');
  if (exe === undefined) return { ok: false, reason: 'wasm-interp not found (Debian: apt-get install wabt)' };
  return interp([exe]);
}

/** The wabt npm package's wasm-interp (wasm, run by this Node). */
export function wabtNpm(root: string): WabtInterp {
  const script = join(root, 'node_modules', 'wabt', 'bin', 'wasm-interp');
  if (!existsSync(script)) return { ok: false, reason: 'node_modules/wabt/bin/wasm-interp not found' };
  return interp([process.execPath, script]);
}
