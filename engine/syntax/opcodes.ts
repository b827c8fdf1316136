// The WebAssembly 2.0 view of the instruction table (engine/syntax/instructions.ts): the
// language the text parser, validator and interpreter implement, with lookups by opcode
// and by mnemonic, and the names of the later proposals that claim the opcodes 2.0 leaves
// free. The decoder, encoder, text parser and disassembler all read it.
// Binary: https://webassembly.github.io/spec/core/binary/instructions.html
//
// `code` follows engine/syntax/ast.ts: one byte, or (prefix << 16 | sub-opcode) for the
// 0xFC (saturating truncation, bulk memory, tables) and 0xFD (SIMD) prefixes.

import { INSTRUCTIONS, PROPOSAL_NAMES, type OpInfo } from './instructions.ts';

export type { ImmKind, OpInfo } from './instructions.ts';

/** Every WebAssembly 2.0 instruction, ordered by opcode. */
export const OPS: readonly OpInfo[] = Object.freeze(INSTRUCTIONS.filter((info): info is OpInfo => info.proposal === undefined));

// Dense arrays per opcode space: the decoder looks up every instruction, so this is the
// hottest table in the engine.
const single: (OpInfo | undefined)[] = new Array(256).fill(undefined);
const prefixFC: (OpInfo | undefined)[] = new Array(32).fill(undefined);
const prefixFD: (OpInfo | undefined)[] = new Array(256).fill(undefined);
const byName = new Map<string, OpInfo>();
for (const info of OPS) {
  const prefix = info.code >>> 16;
  const sub = info.code & 0xffff;
  if (prefix === 0) single[sub] = info;
  else if (prefix === 0xfc) prefixFC[sub] = info;
  else prefixFD[sub] = info;
  // The untyped `select` (0x1b) comes first and keeps the name.
  if (!byName.has(info.op)) byName.set(info.op, info);
}

/** The instruction with this text mnemonic (for `select`, the untyped 0x1B form). */
export function opByName(name: string): OpInfo | undefined {
  return byName.get(name);
}

/** The instruction with this opcode: a byte, or (prefix << 16 | sub-opcode). */
export function opByCode(code: number): OpInfo | undefined {
  if (code < 0x100) return code >= 0 ? single[code] : undefined;
  const prefix = code >>> 16;
  const sub = code & 0xffff;
  if (code - prefix * 0x10000 !== sub) return undefined;
  if (prefix === 0xfc) return prefixFC[sub];
  if (prefix === 0xfd) return prefixFD[sub];
  return undefined;
}

// Single-byte opcodes that later proposals assign, so a decoder can say "not supported:
// tail calls" rather than "illegal opcode" for a module built by a newer toolchain: the
// 3.0 instructions of the table (legacy exceptions count as exception handling), and the
// stack-switching opcodes 0xE0–0xE5, which nothing here reads yet.
const laterSingle: (string | undefined)[] = new Array(256).fill(undefined);
for (const info of INSTRUCTIONS) {
  if (info.proposal === undefined || info.code >= 0x100) continue;
  laterSingle[info.code] = PROPOSAL_NAMES[info.proposal === 'legacy-exceptions' ? 'exceptions' : info.proposal];
}
for (let code = 0xe0; code <= 0xe5; code++) laterSingle[code] = 'stack switching';

/** Opcodes from later proposals: returns e.g. 'tail calls', 'exception handling', 'typed function references', 'garbage collection', 'threads', 'relaxed SIMD', 'memory64'… or undefined. */
export function laterProposal(code: number): string | undefined {
  if (opByCode(code) !== undefined) return undefined;
  if (code < 0x100) {
    if (code === 0xfb) return 'garbage collection';
    if (code === 0xfe) return 'threads';
    return laterSingle[code];
  }
  const prefix = Math.floor(code / 0x10000);
  const sub = code - prefix * 0x10000;
  if (prefix === 0xfb) return 'garbage collection';
  if (prefix === 0xfe) return 'threads';
  if (prefix === 0xfd && sub >= 0x100 && sub <= 0x113) return 'relaxed SIMD';
  if (prefix === 0xfc && sub >= 0x13 && sub <= 0x16) return 'wide arithmetic';
  return undefined;
}
