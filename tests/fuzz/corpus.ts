// Seed inputs the fuzzers mutate: real binaries (the course's examples, brotli-wasm,
// sql.js), the 2.0 spec suite's modules as binaries and as their original text, and the
// course's .wat examples. Lists are sorted, so a (seed, case) pair always picks the same seed.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { encodeModule, parseQuoted, parseWast } from '../../engine/index.ts';
import { suiteFiles, testsuiteRoot } from '../support/testsuite.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

export interface Corpus {
  /** Small binaries (the spec suite's modules, the course examples): most mutations start here. */
  readonly small: readonly Uint8Array[];
  /** Real compiler output, hundreds of KB: mutated now and then. */
  readonly large: readonly Uint8Array[];
  /** WebAssembly text modules. */
  readonly texts: readonly string[];
  /** Why part of the corpus is missing, if it is. */
  readonly notes: readonly string[];
}

const LARGE = ['node_modules/brotli-wasm/pkg.node/brotli_wasm_bg.wasm', 'node_modules/sql.js/dist/sql-wasm.wasm'];

function filesUnder(dir: string, ext: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((f) => path.join(dir, f));
}

let cached: Corpus | undefined;

/** The corpus, read once per process. */
export function corpus(): Corpus {
  if (cached !== undefined) return cached;
  const notes: string[] = [];
  const small: Uint8Array[] = filesUnder(path.join(repoRoot, 'public'), '.wasm').map((f) => new Uint8Array(readFileSync(f)));
  const texts: string[] = filesUnder(path.join(repoRoot, 'public'), '.wat').map((f) => readFileSync(f, 'utf8'));
  const large = LARGE.map((f) => path.join(repoRoot, f))
    .filter((f) => existsSync(f))
    .map((f) => new Uint8Array(readFileSync(f)));
  if (large.length < LARGE.length) notes.push(`some real binaries are missing (${LARGE.join(', ')})`);

  const files = suiteFiles('2.0');
  if (files === undefined) {
    notes.push(`spec suite not found at ${path.join(testsuiteRoot, 'wasm-2.0')} (set WASM_TESTSUITE): seeds are the course examples and real binaries only`);
  } else {
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      let commands;
      try {
        commands = parseWast(source);
      } catch {
        continue;
      }
      for (const c of commands) {
        if (c.type !== 'module') continue;
        const m = c.module;
        try {
          if (m.kind === 'binary') small.push(m.bytes);
          else if (m.kind === 'quote') small.push(encodeModule(parseQuoted(m)));
          else if (m.kind === 'text') {
            small.push(encodeModule(m.module));
            // The module's own text, comments and odd number spellings included.
            texts.push(source.slice(m.span.start, m.span.end));
          }
        } catch {
          // A module only the script context makes sense of; not a useful seed.
        }
      }
    }
  }
  cached = { small, large, texts, notes };
  return cached;
}
