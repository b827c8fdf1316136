// The instruction tables against their frozen copy (instructions.snapshot.json), so a
// change to how the tables are built changes no name, opcode, immediate or alignment.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPS } from './opcodes.ts';
import { OPS_3 } from './opcodes3.ts';

const frozen = JSON.parse(readFileSync(new URL('./instructions.snapshot.json', import.meta.url), 'utf8')) as {
  readonly ops: readonly [string, string, string, number | null][];
  readonly ops3: readonly [string, string, string, string, boolean | null][];
};

describe('the instruction table against its frozen snapshot', () => {
  it('lists the 2.0 instructions with the same opcodes, names, immediates and alignments', () => {
    const now = OPS.map((o) => [`0x${o.code.toString(16).padStart(2, '0')}`, o.op, o.imm, o.align ?? null]);
    expect(now).toEqual(frozen.ops);
  });

  it('lists the 3.0 and legacy-exception instructions with the same opcodes, names, immediates and proposals', () => {
    const now = OPS_3.map((o) => [`0x${o.code.toString(16).padStart(2, '0')}`, o.op, o.imm, o.proposal, o.nullable ?? null]);
    expect(now).toEqual(frozen.ops3);
  });
});
