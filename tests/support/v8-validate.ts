// WebAssembly.validate in a child Node, and validateBinary's verdict, for the tests that
// compare the two on WebAssembly 3.0 modules (engine/valid/binary-3.test.ts,
// engine/valid/binary-v8-eh.test.ts, the fuzzer's validation oracle).
//
// V8 runs in a child process so its feature flags are the test's, not the test runner's:
// by default the exception-handling flags (legacy and exnref), which Node 22 ships on; the
// memory64 and multi-memory ones are on there too.
import { spawnSync } from 'node:child_process';
import { DecodeError } from '../../engine/binary/index.ts';
import { validateBinary, ValidationError } from '../../engine/valid/index.ts';

export const V8_FLAGS = ['--experimental-wasm-legacy-eh', '--experimental-wasm-exnref'];
const CHILD = `
const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const buf = Buffer.concat(chunks);
let p = 0, out = '';
while (p < buf.length) {
  const n = buf.readUInt32LE(p); p += 4;
  out += WebAssembly.validate(buf.subarray(p, p + n)) ? '1' : '0';
  p += n;
}
process.stdout.write(out);`;

/** WebAssembly.validate on each module, in one child process. */
export function v8Validate(modules: readonly Uint8Array[], flags: readonly string[] = V8_FLAGS): boolean[] {
  const parts: Uint8Array[] = [];
  for (const m of modules) {
    const len = Buffer.alloc(4);
    len.writeUInt32LE(m.length);
    parts.push(len, m);
  }
  const r = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', CHILD], {
    input: Buffer.concat(parts),
    maxBuffer: 1 << 26,
    encoding: 'utf8',
  });
  if (r.status !== 0 || r.stdout.length !== modules.length) throw new Error(`V8 child failed: ${r.stderr}`);
  return [...r.stdout].map((c) => c === '1');
}

export type Verdict = 'valid' | 'invalid' | 'undecided';

/** validateBinary's verdict, and who decided a valid one. */
export function ourVerdict(bytes: Uint8Array): { verdict: Verdict; by?: 'bytes' | 'reference'; message?: string } {
  try {
    return { verdict: 'valid', by: validateBinary(bytes).decidedBy };
  } catch (e) {
    if (e instanceof ValidationError && e.specMessage.startsWith('wasmstep does not execute')) return { verdict: 'undecided', message: e.message };
    if (e instanceof ValidationError || e instanceof DecodeError) return { verdict: 'invalid', message: e.message };
    throw e;
  }
}

