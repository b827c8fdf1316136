// Validation of tail calls, return_call and return_call_indirect (WebAssembly 3.0,
// https://webassembly.github.io/spec/core/valid/instructions.html#xref-syntax-instructions-syntax-instr-control-mathsf-return-call-x):
// like call and call_indirect they pop the callee's parameters, but instead of pushing its
// results they return them from the current function, so the callee's results must match
// the caller's, and what follows is unreachable (as after `return`). Shared by the AST
// validator (./code.ts) and the in-place checker (./code-bytes.ts).

import { allMatch } from './matching.ts';
import { formatTypes, type Types } from './types.ts';

/**
 * Why a tail call to a function returning `callee` cannot end a function returning
 * `caller`, or undefined when it can: each result must match (be a subtype of) the
 * caller's.
 */
export function tailCallMismatch(op: string, callee: Types, caller: Types): string | undefined {
  if (allMatch(callee, caller)) return undefined;
  return `type mismatch: ${op} returns the callee's results ${formatTypes(callee)} from a function that returns ${formatTypes(caller)}`;
}
