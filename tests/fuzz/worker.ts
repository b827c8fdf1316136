// The fuzzing loop of `npm run fuzz`, in a worker thread so bin/fuzz.ts can stop it when a
// case hangs or exhausts its memory. It runs chunks of each kind in turn until the deadline,
// announces every case in a shared heartbeat before starting it, and posts each chunk's
// tally back.
import { parentPort, workerData } from 'node:worker_threads';
import { newTally, runDecoder, runExec, runText, runWatgen, type Tally } from './campaign.ts';
import type { FuzzKind } from './findings.ts';
import type { BinaryenFeature } from '../support/fuzz.ts';
import { runValidate3 } from './validate3.ts';
import { loadWabt } from './watgen.ts';

export interface WorkerInput {
  readonly seed: number;
  /** Next case of each kind (undefined: that kind is not run). */
  readonly next: Partial<Record<'decoder' | 'text' | 'exec' | 'watgen' | 'validate3', number>>;
  /** The binaryen features of the validate3 cases. */
  readonly features: readonly BinaryenFeature[];
  readonly deadline: number;
  /** [kind code, case index, counter], written before each case. */
  readonly heartbeat: SharedArrayBuffer;
}

export interface ChunkMessage {
  readonly kind: 'decoder' | 'text' | 'exec' | 'watgen' | 'validate3';
  readonly next: number;
  readonly tallies: readonly (readonly [string, Tally])[];
}

export const KIND_CODES: readonly FuzzKind[] = ['decoder', 'text', 'exec', 'v8-validate', 'watgen', 'v8-validate-3'];
const CHUNK = { decoder: 200, text: 100, exec: 10, watgen: 100, validate3: 20 } as const;

const input = workerData as WorkerInput;
const beat = new Int32Array(input.heartbeat);
const onCase = (kind: FuzzKind, index: number): void => {
  Atomics.store(beat, 0, KIND_CODES.indexOf(kind));
  Atomics.store(beat, 1, index);
  Atomics.add(beat, 2, 1);
};

const next = { ...input.next };
const wabt = next.watgen !== undefined ? await loadWabt() : undefined;
while (Date.now() < input.deadline) {
  for (const kind of ['decoder', 'text', 'exec', 'watgen', 'validate3'] as const) {
    const start = next[kind];
    if (start === undefined || Date.now() >= input.deadline) continue;
    const t = newTally();
    const tallies: [string, Tally][] = [[kind, t]];
    if (kind === 'decoder') {
      const v8 = newTally();
      tallies.push(['v8-validate', v8]);
      runDecoder(input.seed, start, CHUNK.decoder, t, v8, onCase);
    } else if (kind === 'text') runText(input.seed, start, CHUNK.text, t, onCase);
    else if (kind === 'exec') runExec(input.seed, start, CHUNK.exec, t, onCase);
    else if (kind === 'validate3') runValidate3(input.seed, start, CHUNK.validate3, t, input.features, onCase);
    else runWatgen(wabt!, input.seed, start, CHUNK.watgen, t, onCase);
    next[kind] = start + CHUNK[kind];
    parentPort!.postMessage({ kind, next: next[kind], tallies } satisfies ChunkMessage);
  }
}
