// The text format at scale: parse + encode the disassembly of a real module (sql.js's
// SQLite build, printed by our printModule) with our parseWat + encodeModule, vs wabt's
// native wat2wasm (C++, a subprocess) and the wabt npm package (in a child process with
// a time limit). Our binary must be valid for V8. In-process times are CPU time of the
// process; wat2wasm's is its process's CPU time (perf task-clock; else wall), startup
// included.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeModule, encodeModule, parseWat, printModule } from '../engine/index.ts';
import { cpuTimed, median } from './lib/stats.ts';
import { findNative, perfWorks, timedRun } from './peers/wabt-interp.ts';
import { wabtNpmAssemble, type WabtTextRun } from './peers/wabt-npm-text.ts';

export const TEXT_SOURCE = 'node_modules/sql.js/dist/sql-wasm.wasm';
const NPM_TIMEOUT_MS = 60_000;

export interface TextResult {
  readonly source: string;
  readonly textBytes: number;
  readonly lines: number;
  readonly printMs: number;
  readonly oursMs: number;
  readonly oursBinaryBytes: number;
  /** wabt's wat2wasm in a subprocess (CPU time if perf works, its startup included), or why not. */
  readonly wabtNative: WabtTextRun;
  readonly wabtNpm: WabtTextRun;
}

function wat2wasm(watPath: string, reps: number): WabtTextRun & { clock?: 'cpu' | 'wall' } {
  const exe = findNative('wat2wasm');
  if (exe === undefined) return { error: 'wat2wasm not found (Debian: apt-get install wabt)' };
  const out = `${watPath}.wasm`;
  const cpu = perfWorks();
  const times: number[] = [];
  try {
    for (let i = 0; i < reps; i++) times.push(timedRun([exe], [watPath, '-o', out], cpu).ms);
  } catch (e) {
    return { error: e instanceof Error ? e.message.split('\n')[0]! : String(e) };
  }
  return { ms: median(times), bytes: readFileSync(out).length, clock: cpu ? 'cpu' : 'wall' };
}

export function benchText(root: string, reps: number): TextResult {
  const module = decodeModule(new Uint8Array(readFileSync(join(root, TEXT_SOURCE))));
  const { ms: printMs, value: text } = cpuTimed(() => printModule(module));
  const ours: number[] = [];
  let oursBin: Uint8Array = new Uint8Array(0);
  for (let i = 0; i < reps; i++) {
    const r = cpuTimed(() => encodeModule(parseWat(text, { maxLength: Infinity })));
    oursBin = r.value;
    ours.push(r.ms);
  }
  if (!WebAssembly.validate(oursBin as Uint8Array<ArrayBuffer>)) throw new Error('text: the binary we encoded is not valid for V8');
  const dir = mkdtempSync(join(tmpdir(), 'wasmstep-bench-'));
  try {
    const watPath = join(dir, 'module.wat');
    writeFileSync(watPath, text);
    return {
      source: TEXT_SOURCE, textBytes: Buffer.byteLength(text), lines: text.split('\n').length, printMs,
      oursMs: median(ours), oursBinaryBytes: oursBin.length,
      wabtNative: wat2wasm(watPath, reps), wabtNpm: wabtNpmAssemble(watPath, 1, NPM_TIMEOUT_MS),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
