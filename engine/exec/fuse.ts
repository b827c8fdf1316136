// Superinstructions: the interpreter runs a copy of each function's pre-decoded code
// (engine/exec/compile.ts) in which the first opcode of some common instruction sequences
// is replaced by a fused opcode that executes the whole sequence in one dispatch:
//
//   LGET_CONST_BIN  local.get x; i32.const c; <i32 binop>   pushes  x op c
//   LGET_LGET_BIN   local.get x; local.get y; <i32 binop>   pushes  x op y
//   LGET_BIN        local.get x; <i32 binop>                top  =  top op x
//   CONST_BIN       i32.const c; <i32 binop>                top  =  top op c
//
// and, ending in control (4, 4, 3, 4 and 2 instructions):
//
//   LGET_CONST_BIN_IF     local.get x; i32.const c; <i32 comparison>; if
//   LGET_CONST_BIN_CALL   local.get x; i32.const c; <i32 binop>; call f
//   CONST_BIN_BR_IF       i32.const c; <i32 comparison>; br_if   (the plain one, no stack adjustment)
//   LGET_CONST_BIN_BR_IF  local.get x; i32.const c; <i32 comparison>; br_if
//   END_RETURN            end; end-of-function (or return)
//   JUMP_END_RETURN       else or br whose target is the final end (2 instructions) or an
//                         `end` just before it (3): an `if … else` or a block that ends the
//                         function
//   LGET_RETURN           local.get x; then return, END_RETURN or JUMP_END_RETURN (2, 3 or 4)
//
// and, for address arithmetic and f64 multiply-adds (4, 4, 4, 4, 2 and 3 instructions):
//
//   LGET_CONST_BIN_TEE    local.get x; i32.const c; <i32 binop>; local.tee y
//   LGET_LGET_BIN_TEE     local.get x; local.get z; <i32 binop>; local.tee y
//   LGET_CONST_BIN_SET    local.get x; i32.const c; <i32 binop>; local.set y
//   LGET_LGET_BIN_SET     local.get x; local.get z; <i32 binop>; local.set y
//   LOAD_F64_BIN          f64.load o; f64.add|f64.sub|f64.mul
//   LGET_LOAD_F64_BIN     local.get x; f64.load o; f64.add|f64.sub|f64.mul
//
// A fused op that can trap (a load, a call) leaves the machine as the separate
// instructions would at that trap: the instructions before it done and counted.
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

import { branchTarget, FUSED, OPC } from './layout.ts';

// BR and BR_IF are the plain ones, without a stack adjustment; RETURN is also the final end.
const { I32_ADD, LOCAL_GET32, I32_CONST, IF, ELSE, END, BR, BR_IF, RETURN, CALL, LOCAL_SET32, LOCAL_TEE32, F64_LOAD } = OPC;

/** Whether internal opcode `op` is f64.add, f64.sub or f64.mul (LOAD_F64_BIN's binops). */
export function isF64Bin(op: number): boolean {
  return op === 0xa0 || op === 0xa1 || op === 0xa2;
}

/** Whether internal opcode `op` is an i32 binop that bin32 computes. */
function isBin32(op: number): boolean {
  return (op >= 0x46 && op <= 0x4f) || op === 0x6a || op === 0x6b || op === 0x6c || (op >= 0x71 && op <= 0x78);
}

/** Whether internal opcode `op` is an i32 comparison (eq … ge_u): the branch shapes take only these. */
function isCmp32(op: number): boolean {
  return op >= 0x46 && op <= 0x4f;
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
  // offsets has one more entry (the final end) than the body has instructions; the final
  // end is never fused itself, but END_RETURN looks at it.
  const n = offsets.length - 1;
  const op = (i: number): number => (i <= n ? code[offsets[i]!]! : -1);
  // Whether instruction j returns from the function, alone or through an end or a jump.
  const returns = (j: number): boolean => {
    const a = op(j);
    if (a === RETURN) return true;
    if (a === END) return op(j + 1) === RETURN;
    if (a !== ELSE && a !== BR) return false;
    // The target: an `else` lands on its `end`, a `br` just after the block's `end`.
    const t = branchTarget(code, offsets[j]!);
    return code[t] === RETURN || (code[t] === END && code[t + 1] === RETURN);
  };
  for (let i = 0; i < n; i++) {
    const a = op(i);
    if (a === LOCAL_GET32) {
      const b = op(i + 1);
      const c = op(i + 2);
      if (returns(i + 1)) fast[offsets[i]!] = FUSED.LGET_RETURN;
      else if (b === I32_CONST && isBin32(c)) {
        const d = op(i + 3);
        fast[offsets[i]!] = d === IF && isCmp32(c) ? FUSED.LGET_CONST_BIN_IF
          : d === CALL ? FUSED.LGET_CONST_BIN_CALL
          : d === BR_IF && isCmp32(c) ? FUSED.LGET_CONST_BIN_BR_IF
          : d === LOCAL_TEE32 ? FUSED.LGET_CONST_BIN_TEE
          : d === LOCAL_SET32 ? FUSED.LGET_CONST_BIN_SET
          : c === I32_ADD ? FUSED.LGET_CONST_ADD : FUSED.LGET_CONST_BIN;
      } else if (b === LOCAL_GET32 && isBin32(c)) {
        const d = op(i + 3);
        fast[offsets[i]!] = d === LOCAL_TEE32 ? FUSED.LGET_LGET_BIN_TEE
          : d === LOCAL_SET32 ? FUSED.LGET_LGET_BIN_SET
          : c === I32_ADD ? FUSED.LGET_LGET_ADD : FUSED.LGET_LGET_BIN;
      } else if (b === F64_LOAD && isF64Bin(c)) fast[offsets[i]!] = FUSED.LGET_LOAD_F64_BIN;
      else if (isBin32(b)) fast[offsets[i]!] = b === I32_ADD ? FUSED.LGET_ADD : FUSED.LGET_BIN;
    } else if (a === I32_CONST) {
      const b = op(i + 1);
      if (isBin32(b)) fast[offsets[i]!] = op(i + 2) === BR_IF && isCmp32(b) ? FUSED.CONST_BIN_BR_IF : b === I32_ADD ? FUSED.CONST_ADD : FUSED.CONST_BIN;
    } else if (a === F64_LOAD && isF64Bin(op(i + 1))) {
      fast[offsets[i]!] = FUSED.LOAD_F64_BIN;
    } else if (a !== RETURN && returns(i)) {
      fast[offsets[i]!] = a === END ? FUSED.END_RETURN : FUSED.JUMP_END_RETURN;
    }
  }
  return fast;
}
