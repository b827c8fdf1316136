// validateBinary against V8 on real exception-handling code: the function bodies of
// Pyodide's CPython (Emscripten output with legacy exceptions: try, catch, catch_all,
// rethrow, delegate, throw), mutated many ways. For every mutant where both decide,
// validateBinary's verdict must be WebAssembly.validate's.
//
// A 9.6 MB module per mutant would take minutes, so each test module is Pyodide itself
// with most bodies replaced by `unreachable` (valid for any function type), its data
// segments emptied and its exports and custom sections dropped: every type, import, tag,
// table, global and element segment stays, so calls, tags and tables in the kept bodies
// mean what they mean in Pyodide (whose bodies use no ref.func, the one instruction an
// export could make valid).
//
// "Decides": validateBinary accepts (in place or not), or throws a DecodeError or
// ValidationError other than the reference's refusal of a feature the interpreter does
// not run yet ("wasmstep does not execute …"), which is no verdict on the module. So an
// in-place "valid" is always compared; an invalid mutant is compared once the reference
// validator reads its feature. V8 runs in a child process with the exception flags on
// (tests/support/v8-validate.ts).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ourVerdict, v8Validate } from '../../tests/support/v8-validate.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const PYODIDE = path.join(repoRoot, 'node_modules/pyodide/pyodide.asm.wasm');
const MUTANTS = Number(process.env.WASM_EH_MUTANTS ?? 300);
const SEED = 20261204;

// --- Module surgery, on the section level

const leb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};

function readU32(b: Uint8Array, p: number): [number, number] {
  let value = 0;
  for (let shift = 0; ; shift += 7) {
    const x = b[p++]!;
    value += (x & 0x7f) * 2 ** shift;
    if (x < 0x80) return [value, p];
  }
}

function concat(parts: readonly ArrayLike<number>[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

interface Section {
  readonly id: number;
  readonly content: Uint8Array;
}

function sections(b: Uint8Array): Section[] {
  const out: Section[] = [];
  let p = 8;
  while (p < b.length) {
    const id = b[p]!;
    const [size, at] = readU32(b, p + 1);
    out.push({ id, content: b.subarray(at, at + size) });
    p = at + size;
  }
  return out;
}

/** Each function body (locals and instructions, without its size) of a code section. */
function bodies(code: Uint8Array): Uint8Array[] {
  let [n, p] = readU32(code, 0);
  const out: Uint8Array[] = [];
  for (; n > 0; n--) {
    const [size, at] = readU32(code, p);
    out.push(code.subarray(at, at + size));
    p = at + size;
  }
  return out;
}

/** Empty passive segments in place of a data section's, so data indices keep their meaning. */
function emptyData(data: Uint8Array): Uint8Array {
  const [n] = readU32(data, 0);
  const segments = new Uint8Array(n * 2);
  for (let i = 0; i < n; i++) segments[2 * i] = 1; // passive, no bytes
  return concat([leb(n), segments]);
}

const UNREACHABLE_BODY = Uint8Array.of(0x00, 0x00, 0x0b);

/** A test module: the shell's sections with `kept` bodies (by function position) and `unreachable` elsewhere. */
function assemble(shell: readonly Section[], count: number, kept: ReadonlyMap<number, Uint8Array>): Uint8Array {
  const parts: ArrayLike<number>[] = [Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00)];
  for (const s of shell) {
    let content = s.content;
    if (s.id === 10) {
      const code: ArrayLike<number>[] = [leb(count)];
      for (let i = 0; i < count; i++) {
        const body = kept.get(i) ?? UNREACHABLE_BODY;
        code.push(leb(body.length), body);
      }
      content = concat(code);
    }
    parts.push([s.id, ...leb(content.length)], content);
  }
  return concat(parts);
}

function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The bytes a mutation writes: the exception and tail-call opcodes, the structure around
// them, block types and small immediates (labels, tag and local indices).
const INTERESTING = [
  0x06, 0x07, 0x08, 0x09, 0x0a, 0x18, 0x19, 0x1f, 0x12, 0x13, // try catch throw rethrow throw_ref delegate catch_all try_table return_call(_indirect)
  0x02, 0x03, 0x04, 0x05, 0x0b, 0x0c, 0x0d, 0x0f, 0x10, 0x1a, 0x00, 0x01, 0x20, 0x21, 0x41, 0x6a,
  0x40, 0x7f, 0x7e, 0x69, 0x00, 0x01, 0x02, 0x03, 0x04, 0x80,
];

type Mutation = (body: Uint8Array, rnd: () => number) => Uint8Array;

/** A position after the locals declaration (a crude bound: past the first few bytes). */
const at = (body: Uint8Array, rnd: () => number): number => Math.min(body.length - 1, 1 + Math.floor(rnd() * (body.length - 1)));
const pick = <T,>(a: readonly T[], rnd: () => number): T => a[Math.floor(rnd() * a.length)]!;

const MUTATIONS: readonly Mutation[] = [
  // Overwrite a byte.
  (b, rnd) => {
    const out = b.slice();
    out[at(b, rnd)] = pick(INTERESTING, rnd);
    return out;
  },
  // Delete a byte.
  (b, rnd) => {
    const i = at(b, rnd);
    return concat([b.subarray(0, i), b.subarray(i + 1)]);
  },
  // Insert one or two bytes.
  (b, rnd) => {
    const i = at(b, rnd);
    const ins = rnd() < 0.5 ? [pick(INTERESTING, rnd)] : [pick(INTERESTING, rnd), pick(INTERESTING, rnd)];
    return concat([b.subarray(0, i), ins, b.subarray(i)]);
  },
  // Swap two bytes.
  (b, rnd) => {
    const out = b.slice();
    const i = at(b, rnd);
    const j = at(b, rnd);
    [out[i], out[j]] = [out[j]!, out[i]!];
    return out;
  },
  // Move a handler: delete a catch_all/catch/delegate/end byte and insert it elsewhere.
  (b, rnd) => {
    const marks: number[] = [];
    for (let i = 1; i < b.length - 1; i++) if (b[i] === 0x19 || b[i] === 0x07 || b[i] === 0x18 || b[i] === 0x0b) marks.push(i);
    if (marks.length === 0) return b;
    const i = pick(marks, rnd);
    const without = concat([b.subarray(0, i), b.subarray(i + 1)]);
    const j = at(without, rnd);
    return concat([without.subarray(0, j), [b[i]!], without.subarray(j)]);
  },
];

const present = existsSync(PYODIDE);

describe.skipIf(!present)('validateBinary vs V8 on mutated exception-handling code from Pyodide', () => {
  it(`agrees on every mutant both decide (${MUTANTS} mutants, seed ${SEED})`, async () => {
    const bytes = new Uint8Array(readFileSync(PYODIDE));
    const all = sections(bytes);
    const code = all.find((s) => s.id === 10)!;
    const shell = all.filter((s) => s.id !== 0 && s.id !== 7).map((s) => (s.id === 11 ? { id: 11, content: emptyData(s.content) } : s));
    const list = bodies(code.content);

    // Bodies with legacy exception code (a try with an empty block type and a catch_all or
    // delegate somewhere; a byte pattern, so a few picks may have none: the mutants do not
    // depend on it), short enough to mutate a lot.
    const has = (b: Uint8Array, x: number, y?: number) => {
      for (let i = 0; i < b.length - 1; i++) if (b[i] === x && (y === undefined || b[i + 1] === y)) return true;
      return false;
    };
    const picks: number[] = [];
    for (let i = 0; i < list.length && picks.length < 60; i++) {
      const b = list[i]!;
      if (b.length > 40 && b.length < 1500 && has(b, 0x06, 0x40) && (has(b, 0x19) || has(b, 0x18))) picks.push(i);
    }
    expect(picks.length).toBeGreaterThanOrEqual(20);
    const kept = new Map(picks.map((i) => [i, list[i]!]));

    // The unmutated module: valid, decided in place, as V8 says.
    const base = assemble(shell, list.length, kept);
    expect(ourVerdict(base)).toEqual({ verdict: 'valid', by: 'bytes' });
    expect(v8Validate([base])).toEqual([true]);

    const rnd = rng(SEED);
    const mutants: Uint8Array[] = [];
    for (let n = 0; n < MUTANTS; n++) {
      const i = pick(picks, rnd);
      const mutated = new Map(kept);
      mutated.set(i, pick(MUTATIONS, rnd)(kept.get(i)!, rnd));
      mutants.push(assemble(shell, list.length, mutated));
    }
    const theirs = v8Validate(mutants);
    const disagreements: string[] = [];
    const tally = { validBytes: 0, validReference: 0, invalid: 0, undecided: 0, v8Invalid: 0 };
    mutants.forEach((m, k) => {
      const ours = ourVerdict(m);
      if (!theirs[k]) tally.v8Invalid++;
      if (ours.verdict === 'undecided') {
        tally.undecided++;
        return;
      }
      if (ours.verdict === 'valid') tally[ours.by === 'bytes' ? 'validBytes' : 'validReference']++;
      else tally.invalid++;
      if ((ours.verdict === 'valid') !== theirs[k]) disagreements.push(`mutant ${k}: ours ${ours.verdict}${ours.message === undefined ? '' : ` (${ours.message})`}, V8 ${theirs[k] ? 'valid' : 'invalid'}`);
    });
    console.log(`${MUTANTS} mutants of ${picks.length} Pyodide bodies: ${JSON.stringify(tally)}`);
    expect(disagreements).toEqual([]);
    // Not vacuous: many mutants are accepted in place, and V8 rejects many.
    expect(tally.validBytes).toBeGreaterThan(MUTANTS / 20);
    expect(tally.v8Invalid).toBeGreaterThan(MUTANTS / 4);
  }, 300_000);
});
