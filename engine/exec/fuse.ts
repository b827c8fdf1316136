// Superinstructions: the interpreter runs a copy of each function's pre-decoded code
// (engine/exec/compile.ts) in which the first opcode of some common instruction sequences
// is replaced by a fused opcode that executes the whole sequence in one dispatch:
//
//   LGET_CONST_BIN  local.get x; i32.const c; <i32 binop>   pushes  x op c
//   LGET_LGET_BIN   local.get x; local.get y; <i32 binop>   pushes  x op y
//   LGET_BIN        local.get x; <i32 binop>                top  =  top op x
//   CONST_BIN       i32.const c; <i32 binop>                top  =  top op c
//
// Only that one word changes: the layout, the immediates and every later instruction stay
// as they are, so code offsets, positions and branch targets mean the same in both copies,
// and the binop is read from its own place in the code. The fused op counts as the number
// of instructions it covers, and when fewer steps than that are left in the budget it
// executes just its first instruction — so `step()` and breakpoints still stop between any
// two instructions. It also writes the operand slots just above the stack top exactly as
// the separate instructions would, so the value stack stays bit-for-bit the same. Views
// and the trace layer read the unfused `code`; only the dispatch loop reads `fast`.
// The binops are the i32 ones that cannot trap (not div/rem): comparisons, add, sub, mul,
// and, or, xor, shifts, rotates (https://webassembly.github.io/spec/core/exec/numerics.html).

/** Fused internal opcodes: byte values no wasm instruction or width variant uses. */
export const FUSED = {
  LGET_CONST_BIN: 0xc8,
  LGET_LGET_BIN: 0xc9,
  LGET_BIN: 0xca,
  CONST_BIN: 0xcb,
  // The same shapes with i32.add, the commonest binop (address arithmetic): they need no
  // second dispatch on the binop.
  LGET_CONST_ADD: 0xcc,
  LGET_LGET_ADD: 0xcd,
  LGET_ADD: 0xce,
  CONST_ADD: 0xcf,
} as const;

const I32_ADD = 0x6a;

const LOCAL_GET32 = 0x20;
const I32_CONST = 0x41;

/** Whether internal opcode `op` is an i32 binop that bin32 computes. */
function isBin32(op: number): boolean {
  return (op >= 0x46 && op <= 0x4f) || op === 0x6a || op === 0x6b || op === 0x6c || (op >= 0x71 && op <= 0x78);
}

/** `a op b` for the i32 binops isBin32 accepts (values as signed 32-bit numbers). */
export function bin32(op: number, a: number, b: number): number {
  switch (op) {
    case 0x46: return a === b ? 1 : 0; // eq
    case 0x47: return a !== b ? 1 : 0; // ne
    case 0x48: return a < b ? 1 : 0; // lt_s
    case 0x49: return a >>> 0 < b >>> 0 ? 1 : 0; // lt_u
    case 0x4a: return a > b ? 1 : 0; // gt_s
    case 0x4b: return a >>> 0 > b >>> 0 ? 1 : 0; // gt_u
    case 0x4c: return a <= b ? 1 : 0; // le_s
    case 0x4d: return a >>> 0 <= b >>> 0 ? 1 : 0; // le_u
    case 0x4e: return a >= b ? 1 : 0; // ge_s
    case 0x4f: return a >>> 0 >= b >>> 0 ? 1 : 0; // ge_u
    case 0x6a: return (a + b) | 0; // add
    case 0x6b: return (a - b) | 0; // sub
    case 0x6c: return Math.imul(a, b); // mul
    case 0x71: return a & b; // and
    case 0x72: return a | b; // or
    case 0x73: return a ^ b; // xor
    case 0x74: return a << b; // shl (JS masks the count to 5 bits, as wasm does)
    case 0x75: return a >> b; // shr_s
    case 0x76: return a >>> b | 0; // shr_u
    case 0x77: return (a << (b & 31)) | (a >>> (32 - (b & 31))); // rotl
    default: return (a >>> (b & 31)) | (a << (32 - (b & 31))); // 0x78 rotr
  }
}

/** The code the dispatch loop runs: `code` with the first opcode of fusable sequences replaced. */
export function fuseCode(code: Int32Array, offsets: Int32Array): Int32Array {
  const fast = code.slice();
  // offsets has one more entry (the final end) than the body has instructions.
  const n = offsets.length - 1;
  const op = (i: number): number => (i < n ? code[offsets[i]!]! : -1);
  for (let i = 0; i < n; i++) {
    const a = op(i);
    if (a === LOCAL_GET32) {
      const b = op(i + 1);
      const c = op(i + 2);
      if (b === I32_CONST && isBin32(c)) fast[offsets[i]!] = c === I32_ADD ? FUSED.LGET_CONST_ADD : FUSED.LGET_CONST_BIN;
      else if (b === LOCAL_GET32 && isBin32(c)) fast[offsets[i]!] = c === I32_ADD ? FUSED.LGET_LGET_ADD : FUSED.LGET_LGET_BIN;
      else if (isBin32(b)) fast[offsets[i]!] = b === I32_ADD ? FUSED.LGET_ADD : FUSED.LGET_BIN;
    } else if (a === I32_CONST) {
      const b = op(i + 1);
      if (isBin32(b)) fast[offsets[i]!] = b === I32_ADD ? FUSED.CONST_ADD : FUSED.CONST_BIN;
    }
  }
  return fast;
}
