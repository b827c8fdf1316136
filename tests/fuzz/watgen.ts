// The wat2wasm differential fuzzer: generated text modules (tests/support/wat-gen.ts),
// valid by construction, encoded by us (parseWat + encodeModule, what watToBinary does) and
// by wabt's wat2wasm. Both must accept and validate the module, and the bytes must be
// identical, or identical after the documented canonical rewrites of
// tests/support/wabt-canonical.ts. wabt writes no name section here (its debug-names
// option is off), and neither do we. Anything else is a finding: most likely an index
// resolved differently (the symbolic references of an abbreviation), or a type order.
import wabtInit from 'wabt';
import { encodeModule, parseWat, validateModule } from '../../engine/index.ts';
import { generateWat } from '../support/wat-gen.ts';
import { ALLOWED } from '../support/wabt-canonical.ts';
import { wabtBinary, type Wabt } from '../support/wabt-bytes.ts';
import { caseSeed, rng } from './rng.ts';

export type { Wabt };
export const loadWabt = (): Promise<Wabt> => wabtInit();

/** wabt's features for the WebAssembly 2.0 the generator writes. */

export type WatgenOutcome = { readonly ok: true; readonly verdict: string } | { readonly ok: false; readonly problem: string };

/** The text of case `index` of campaign `seed`. */
export function watgenCase(seed: number, index: number): string {
  return generateWat(rng(caseSeed(seed, index) ^ 0x5747)).text;
}

const message = (e: unknown): string => (e instanceof Error ? e.message.split('\n')[0]!.slice(0, 300) : String(e));
const same = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** Where two binaries first differ, with a little context. */
function firstDifference(a: Uint8Array, b: Uint8Array): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const hex = (x: Uint8Array): string => Array.from(x.subarray(Math.max(0, i - 4), i + 8), (v) => v.toString(16).padStart(2, '0')).join(' ');
  return `at byte ${i} (ours ${a.length} bytes: …${hex(a)}…; wabt ${b.length} bytes: …${hex(b)}…)`;
}

/** The oracle: our bytes against wabt's for one text module. */
export function checkWatgen(wabt: Wabt, src: string): WatgenOutcome {
  let ours: Uint8Array;
  try {
    const module = parseWat(src);
    validateModule(module);
    ours = encodeModule(module);
  } catch (e) {
    return { ok: false, problem: `we reject a generated module: ${message(e)}` };
  }
  let theirs: Uint8Array;
  try {
    theirs = wabtBinary(wabt, src);
  } catch (e) {
    return { ok: false, problem: `wabt rejects a generated module: ${message(e)}` };
  }
  if (same(ours, theirs)) return { ok: true, verdict: 'identical' };
  const module = parseWat(src);
  const applied = Object.entries(ALLOWED).filter(([, rule]) => rule.rewrite(module)).map(([name]) => name);
  const again = encodeModule(module);
  if (applied.length > 0 && same(again, theirs)) return { ok: true, verdict: applied.join(' + ') };
  return { ok: false, problem: `bytes differ from wabt ${firstDifference(again, theirs)}${applied.length > 0 ? ` after ${applied.join(', ')}` : ''}` };
}
