// The wabt npm package (wabt compiled to wasm) assembling a .wat file: parseWat +
// resolveNames + toBinary. Run as a child process (`node wabt-npm-text.ts file.wat reps`,
// printing JSON) so that a run that takes too long can be stopped by a timeout.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';
import { cpuTimed, median } from '../lib/stats.ts';

export type WabtTextRun = { readonly ms: number; readonly bytes: number } | { readonly error: string };

/** Assembles `watPath` `reps` times in a child process; gives up after `timeoutMs`. */
export function wabtNpmAssemble(watPath: string, reps: number, timeoutMs: number): WabtTextRun {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), watPath, String(reps)], { encoding: 'utf8', timeout: timeoutMs });
  if (r.error !== undefined && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') {
    return { error: `did not finish within ${(timeoutMs / 1000).toFixed(0)} s` };
  }
  if (r.status !== 0) return { error: r.stderr.trim().split('\n').slice(-1)[0] ?? `exit ${r.status}` };
  return JSON.parse(r.stdout) as WabtTextRun;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = readFileSync(process.argv[2]!, 'utf8');
  const reps = Number(process.argv[3] ?? 1);
  const wabt = await wabtInit();
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < reps; i++) {
    times.push(cpuTimed(() => {
      const m = wabt.parseWat('module.wat', text, { simd: true, bulk_memory: true, reference_types: true, multi_value: true });
      try {
        m.resolveNames();
        bytes = m.toBinary({}).buffer.length;
      } finally {
        m.destroy();
      }
    }).ms);
  }
  console.log(JSON.stringify({ ms: median(times), bytes }));
}
