// Multiple memories and memory64 in the text format
// (https://webassembly.github.io/spec/core/text/modules.html#memories,
// https://webassembly.github.io/spec/core/text/instructions.html#memory-instructions):
// the u64 literals of i64 limits and `offset=`, and the limits they make. The parser
// (engine/text/parser.ts) reads the tokens; this file turns literals into values.

import type { Limits } from '../syntax/index.ts';
import { parseI64 } from './numbers.ts';

/** A u64 literal in its unsigned form (digits, hex, underscores); undefined if it is not one or exceeds 2^64-1. */
export function parseU64(s: string): bigint | undefined {
  if (s.length === 0 || s.charCodeAt(0) === 43 || s.charCodeAt(0) === 45) return undefined; // '+', '-'
  const v = parseI64(s);
  return v === undefined ? undefined : BigInt.asUintN(64, v);
}

/**
 * Limits of an i64 memory (or table): `min`/`max` as numbers, with the exact bigint beside
 * them when they exceed 2^53, as the decoder gives them (engine/syntax/ast.ts, Limits).
 */
export function limits64(min: bigint, max: bigint | undefined): Limits {
  const l: { min: number; max?: number; index64: boolean; min64?: bigint; max64?: bigint } = { min: Number(min), index64: true };
  if (min > BigInt(Number.MAX_SAFE_INTEGER)) l.min64 = min;
  if (max !== undefined) {
    l.max = Number(max);
    if (max > BigInt(Number.MAX_SAFE_INTEGER)) l.max64 = max;
  }
  return l;
}
