// Differential fuzzing against V8 (Node's own WebAssembly):
// - execution: binaryen's translate-to-fuzz modules (`wasm-opt -ttf --denan`, 2.0 features
//   only; the machinery is engine/api/test-support/fuzz.ts) run on our facade and on V8,
//   every export called in order; results, traps, host calls and the final memories,
//   tables and globals must agree;
// - validation: decode + validate must accept exactly what WebAssembly.validate accepts,
//   on the decoder fuzzer's mutants. V8 runs in a child process with the proposals it
//   keeps behind flags switched off; a module V8 accepts through a shipped later proposal
//   is fine when our error names that proposal.
import { spawnSync } from 'node:child_process';
import { type BinaryenFeature, compare, exposeState, generate, ours, runModule, v8 } from '../support/fuzz.ts';
import { DecodeError, validateModule, ValidationError } from '../../engine/index.ts';
import { checkBinary } from './oracles.ts';

export { generate };

/**
 * The 3.0 features binaryen adds to the execution differential's modules. Enabling one
 * for execution, once the engine runs it, is adding it here, e.g. 'tail-call': modules
 * are then decoded as 3.0, and any construct the engine still refuses makes its module
 * 'outside' (not a finding). The validation differential (tests/fuzz/validate3.ts) has
 * them all on already.
 */
export const EXEC_FEATURES: readonly BinaryenFeature[] = [];

/** The binaryen seed of differential case `index` in campaign `seed`: campaigns do not overlap. */
export function binaryenSeed(seed: number, index: number): number {
  return ((seed % 4000) * 1_000_000 + index) >>> 0;
}

export type ExecOutcome = { readonly verdict: 'agree' | 'outside' | 'budget' } | { readonly verdict: 'finding'; readonly problem: string };

/** Runs one generated module on both engines. */
export function execCase(seed: number, bytes: Uint8Array): ExecOutcome {
  let exposed;
  try {
    exposed = exposeState(bytes, EXEC_FEATURES.length > 0 ? '3.0' : '2.0');
  } catch (e) {
    return { verdict: 'finding', problem: `decoding a binaryen module failed: ${(e as Error).message}` };
  }
  if ('outside' in exposed) return { verdict: 'outside' };
  // A module of a later proposal that decodes but is refused before running (e.g. typed
  // function references) is outside 2.0 too; any other rejection is a finding.
  try {
    validateModule(exposed.ast);
  } catch (e) {
    if (e instanceof ValidationError && explained(e, exposed.bytes) !== undefined) return { verdict: 'outside' };
    return { verdict: 'finding', problem: `our validator rejects a binaryen module: ${(e as Error).message}` };
  }
  const a = runModule(ours, exposed.bytes, exposed.ast);
  const b = runModule(v8, exposed.bytes, exposed.ast);
  if (a.budget) return { verdict: 'budget' };
  const diff = compare(seed, a, b);
  return diff.length === 0 ? { verdict: 'agree' } : { verdict: 'finding', problem: diff.join('; ') };
}

const V8_FLAGS = [
  '--no-experimental-wasm-multi-memory',
  '--no-experimental-wasm-memory64',
  '--no-experimental-wasm-exnref',
  '--no-experimental-wasm-legacy-eh',
  '--no-experimental-wasm-imported-strings',
];

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

/** WebAssembly.validate on each module, in one child process with the flags above. */
export function v8Validate(modules: readonly Uint8Array[]): boolean[] {
  const parts: Uint8Array[] = [];
  for (const m of modules) {
    const len = Buffer.alloc(4);
    len.writeUInt32LE(m.length);
    parts.push(len, m);
  }
  const r = spawnSync(process.execPath, [...V8_FLAGS, '--input-type=module', '-e', CHILD], { input: Buffer.concat(parts), maxBuffer: 1 << 28, encoding: 'utf8' });
  if (r.status !== 0 || r.stdout.length !== modules.length) throw new Error(`V8 child failed: ${r.stderr}`);
  return [...r.stdout].map((c) => c === '1');
}

/**
 * Why V8 may accept what we reject: a proposal V8 ships beyond 2.0, or a known V8
 * leniency, as our error message shows it. Undefined when nothing explains it.
 */
export function explained(error: Error, bytes: Uint8Array): string | undefined {
  const message = error instanceof DecodeError || error instanceof ValidationError ? error.specMessage : error.message;
  if (message === 'malformed section id' && error instanceof DecodeError && bytes[error.offset] === 13) return 'exception handling (tag section)';
  if (message.startsWith('not supported: ')) return message.slice('not supported: '.length);
  // Decoded (3.0 syntax) but refused before running: the validator names the proposal.
  const unexecuted = /^wasmstep does not execute (.+?)(?: yet)?(?: \(|$)/.exec(message);
  if (unexecuted !== null) return unexecuted[1];
  if (message.startsWith('malformed reference type')) return 'typed function references / GC (heap types)';
  if (/^unknown global \d+: constant expressions may only read imported globals/.test(message)) return 'GC (global.get of defined globals)';
  if (/^constant expression required: i(32|64)\.(add|sub|mul) /.test(message)) return 'extended constant expressions';
  // V8 reads a block type as one s33 and takes a negative one as a value type (padded
  // encodings such as 0xc0 0x7f); the spec's blocktype is 0x40, a value type, or a type index.
  if (/^unknown type -\d+$/.test(message)) return 'V8 leniency: padded block type encoding';
  return undefined;
}

/** Our verdict vs V8's on each module: the unexplained disagreements, by position. */
export function validateAgainstV8(modules: readonly Uint8Array[]): Map<number, string> {
  const verdicts = v8Validate(modules);
  const out = new Map<number, string>();
  modules.forEach((bytes, i) => {
    const o = checkBinary(bytes);
    if (!o.ok) return; // the decoder fuzzer reports it
    const oursValid = o.verdict === 'valid';
    if (oursValid === verdicts[i]) return;
    if (!oursValid && o.error !== undefined && explained(o.error, bytes) !== undefined) return;
    out.set(i, oursValid ? 'we accept, V8 rejects' : `we reject (${o.error?.message ?? ''}), V8 accepts`);
  });
  return out;
}
