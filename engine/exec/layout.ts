// The interpreter's code layout: what the pre-decoder (engine/exec/compile.ts) writes and
// the dispatch loop (engine/exec/machine.ts) and the trace layer (engine/trace/) read.
// Execution semantics: https://webassembly.github.io/spec/core/exec/instructions.html
//
// A compiled function's `code` is an Int32Array: each body instruction becomes one
// internal opcode followed by its immediates, so one wasm instruction is one interpreter
// step. Internal opcodes are the wasm byte for single-byte instructions, 0xE0 + n for the
// 0xFC n prefix, 0x100 + n for the 0xFD n (SIMD) prefix, a few spare bytes for variants
// specialised by value width (OPC), and a few more for superinstructions (FUSED, only in
// the `fast` copy the dispatch loop runs). The range stays dense for a jump table.
//
// Immediates follow their opcode in wasm order, with these differences:
//
// - Control carries its side table in place (Titzer, "A fast in-place interpreter for
//   WebAssembly", OOPSLA 2022): `if` its else-target, `else`, `br` and `br_if` their target
//   (code offsets). A branch that must also move the operand stack (BR_ADJ, BR_IF_ADJ and
//   every br_table entry) carries an entry of ENTRY_WORDS words:
//   [target, height, carry, refs]: the code offset to continue at, the slot height above
//   the frame pointer to return the stack to, how many slots of values it carries there,
//   and whether any of them is a reference. br_table is [BR_TABLE, max, entry × (max + 1)],
//   its last entry the default. `block`, `loop` and `end` have no immediates.
// - Locals are slot offsets from the frame pointer, not indices.
// - A memarg is its offset alone (alignment does not matter to execution); lane loads and
//   stores add the lane index after it.
// - 64-bit constants are two words, low first; v128 constants and shuffles four words.
//
// This file is the one place that knows those positions: everything else reads the code
// through the accessors below. Only the dispatch loop reads immediates directly, where a
// call would cost time in its hottest cases.

import { OPS, OPS_3 } from '../syntax/index.ts';

/** Internal opcodes, by name. */
export const OPC = {
  // Wasm bytes kept as internal opcodes, named where the layout gives them side-table
  // immediates or other code looks for them.
  BLOCK: 0x02,
  LOOP: 0x03,
  IF: 0x04,
  ELSE: 0x05,
  END: 0x0b,
  BR: 0x0c,
  BR_IF: 0x0d,
  BR_TABLE: 0x0e,
  /** return, and also the function's final end. */
  RETURN: 0x0f,
  CALL: 0x10,
  CALL_INDIRECT: 0x11,
  DROP: 0x1a,
  SELECT32: 0x1b,
  LOCAL_GET32: 0x20,
  LOCAL_SET32: 0x21,
  LOCAL_TEE32: 0x22,
  GLOBAL_GET32: 0x23,
  GLOBAL_SET32: 0x24,
  F64_LOAD: 0x2b,
  I32_CONST: 0x41,
  I32_ADD: 0x6a,
  // Not wasm bytes: branches with a stack adjustment, and variants by value width.
  BR_ADJ: 0x06,
  BR_IF_ADJ: 0x07,
  DROP2: 0x08,
  SELECT64: 0x09,
  SELECT128: 0x0a,
  SELECT_REF: 0x1c,
  LOCAL_GET64: 0x12,
  LOCAL_GET128: 0x13,
  LOCAL_GET_REF: 0x14,
  LOCAL_SET64: 0x15,
  LOCAL_SET128: 0x16,
  LOCAL_SET_REF: 0x17,
  LOCAL_TEE64: 0x18,
  LOCAL_TEE128: 0x19,
  LOCAL_TEE_REF: 0x1d,
  GLOBAL_GET64: 0x1e,
  GLOBAL_GET128: 0x1f,
  GLOBAL_GET_REF: 0x27,
  GLOBAL_SET64: 0xc5,
  GLOBAL_SET128: 0xc6,
  GLOBAL_SET_REF: 0xc7,
  /** 0xFC n → FC + n */
  FC: 0xe0,
  /** 0xFD n → FD + n */
  FD: 0x100,
  // Typed function references (0x2A0..0x2BF): call_ref [type]; ref.as_non_null;
  // br_on_null and br_on_non_null [target height carry refs], always with the adjusting
  // entry of BR_ADJ (whether the branch is taken depends on the reference).
  CALL_REF: 0x2a0,
  REF_AS_NON_NULL: 0x2a1,
  BR_ON_NULL: 0x2a2,
  BR_ON_NON_NULL: 0x2a3,
  // Tail calls (0x2C0..0x2CF): the callee's frame replaces the caller's (exec/tail-call.ts).
  RETURN_CALL: 0x2c0,
  RETURN_CALL_INDIRECT: 0x2c1,
  RETURN_CALL_REF: 0x2c2,
  // Exception handling (engine/exec/handlers.ts, engine/exec/throw.ts): 0x2D0..0x2FF.
  /** try_table: a no-op; its handlers are in the function's side table. */
  TRY_TABLE: 0x2d0,
  /** legacy try: a no-op, like try_table. */
  TRY: 0x2d1,
  /** legacy catch x [end-target]: reached by the try body's completion, it jumps past the handlers. */
  CATCH: 0x2d2,
  /** legacy catch_all [end-target]: the same. */
  CATCH_ALL: 0x2d3,
  /** legacy delegate l: reached by the try body's completion, it is an `end`. */
  DELEGATE: 0x2d4,
  /** throw [tag] */
  THROW: 0x2d5,
  /** throw_ref */
  THROW_REF: 0x2d6,
  /** legacy rethrow [slot]: the hidden slot (from the frame pointer) of the enclosing catch's exception. */
  RETHROW: 0x2d7,
  // Memory instructions on a memory other than 0 or with i64 addresses (multiple memories,
  // memory64; engine/exec/memories.ts), so memory 0's i32 opcodes stay as they are.
  /** A load or store: [MEM_ACCESS, its own internal opcode, memory, offset low, offset high, lane]. */
  MEM_ACCESS: 0x220,
  /** memory.size [memory] */
  MEM_SIZE: 0x221,
  /** memory.grow [memory] */
  MEM_GROW: 0x222,
  /** memory.init [data, memory] */
  MEM_INIT: 0x223,
  /** memory.copy [destination memory, source memory] */
  MEM_COPY: 0x224,
  /** memory.fill [memory] */
  MEM_FILL: 0x225,
} as const;

/** The internal opcodes of the typed function reference instructions, by wasm byte. */
const TYPED_REF_OPC: Readonly<Record<number, number>> = {
  0x14: OPC.CALL_REF, 0xd4: OPC.REF_AS_NON_NULL, 0xd5: OPC.BR_ON_NULL, 0xd6: OPC.BR_ON_NON_NULL,
};

/**
 * Superinstructions (engine/exec/fuse.ts): byte values no wasm instruction or width
 * variant uses. A fused opcode replaces the first opcode of a sequence in the `fast` copy
 * only; the immediates and every later instruction stay where they are.
 */
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
  // Longer shapes that end in control: a loop's exit test, an `if` on a comparison, a call
  // on a computed argument, and a block's `end` right before the function's final one.
  LGET_CONST_BIN_IF: 0xd3,
  LGET_CONST_BIN_CALL: 0xd4,
  CONST_BIN_BR_IF: 0xd5,
  LGET_CONST_BIN_BR_IF: 0xd6,
  END_RETURN: 0xd7,
  JUMP_END_RETURN: 0xde,
  LGET_RETURN: 0xdf,
  // Address arithmetic kept in a local, and the f64 multiply-add of a loaded operand.
  LGET_CONST_BIN_TEE: 0xd8,
  LGET_LGET_BIN_TEE: 0xd9,
  LGET_CONST_BIN_SET: 0xda,
  LGET_LGET_BIN_SET: 0xdb,
  LOAD_F64_BIN: 0xdc,
  LGET_LOAD_F64_BIN: 0xdd,
} as const;

/** The internal opcode of a wasm instruction code (before width specialisation). */
export function internalOp(code: number): number {
  const prefix = code >>> 16;
  if (prefix === 0xfc) return OPC.FC + (code & 0xffff);
  if (prefix === 0xfd) return OPC.FD + (code & 0xffff);
  return TYPED_REF_OPC[code] ?? code;
}

/**
 * table64: the table instructions on a table indexed by i64 (or, for table.copy, with
 * either table so), 0x280 + k, with the immediates of their 2.0 forms (engine/exec/table64.ts).
 */
export const TABLE64 = {
  GET: 0x280,
  SET: 0x281,
  INIT: 0x282,
  COPY: 0x283,
  GROW: 0x284,
  SIZE: 0x285,
  FILL: 0x286,
  CALL_INDIRECT: 0x287,
} as const;

/** Per TABLE64 opcode (minus TABLE64.GET): the internal opcode of its 2.0 form. */
export const TABLE64_BASE: readonly number[] = [0x25, 0x26, OPC.FC + 12, OPC.FC + 14, OPC.FC + 15, OPC.FC + 16, OPC.FC + 17, OPC.CALL_INDIRECT];

/** Words in a branch's side-table entry: [target, height, carry, refs]. */
export const ENTRY_WORDS = 4;

/**
 * Length in code words (opcode + immediates) of each internal opcode; 0 for br_table,
 * whose length depends on its label count (see instrLength).
 */
export const OP_LENGTH: Uint8Array = (() => {
  const len = new Uint8Array(0x300);
  const byImm: Record<string, number> = {
    none: 1, block: 1, label: 2, local: 2, global: 2, func: 2, call_indirect: 3, memarg: 2, memory: 1,
    i32: 2, i64: 3, f32: 2, f64: 3, v128: 5, shuffle: 5, lane: 2, memarg_lane: 3, select_t: 1, ref_null: 1,
    table: 2, table_copy: 3, table_init: 3, elem: 2, data: 2, memory_init: 2, memory_copy: 1, memory_fill: 1,
  };
  for (const info of OPS) len[internalOp(info.code)] = byImm[info.imm] ?? 0;
  for (const info of OPS_3) if (info.proposal === 'relaxed-simd') len[internalOp(info.code)] = 1; // FD + 0x100…0x113
  TABLE64_BASE.forEach((base, k) => (len[TABLE64.GET + k] = len[base]!));
  len[OPC.IF] = 2; // else target
  len[OPC.ELSE] = 2; // end target
  len[OPC.BR_TABLE] = 0; // variable
  len[OPC.BR_ADJ] = 1 + ENTRY_WORDS;
  len[OPC.BR_IF_ADJ] = 1 + ENTRY_WORDS;
  len[OPC.CALL_REF] = 2;
  len[OPC.REF_AS_NON_NULL] = 1;
  len[OPC.BR_ON_NULL] = 1 + ENTRY_WORDS;
  len[OPC.BR_ON_NON_NULL] = 1 + ENTRY_WORDS;
  len[OPC.RETURN_CALL] = 2; // [func]
  len[OPC.RETURN_CALL_INDIRECT] = 3; // [type table]
  len[OPC.RETURN_CALL_REF] = 2; // [type]
  len[OPC.DROP2] = 1;
  len[OPC.SELECT64] = 1;
  len[OPC.SELECT128] = 1;
  for (const op of [
    OPC.LOCAL_GET64, OPC.LOCAL_GET128, OPC.LOCAL_GET_REF, OPC.LOCAL_SET64, OPC.LOCAL_SET128, OPC.LOCAL_SET_REF,
    OPC.LOCAL_TEE64, OPC.LOCAL_TEE128, OPC.LOCAL_TEE_REF, OPC.GLOBAL_GET64, OPC.GLOBAL_GET128, OPC.GLOBAL_GET_REF,
    OPC.GLOBAL_SET64, OPC.GLOBAL_SET128, OPC.GLOBAL_SET_REF,
  ]) len[op] = 2;
  len[OPC.TRY_TABLE] = 1;
  len[OPC.TRY] = 1;
  len[OPC.CATCH] = 2;
  len[OPC.CATCH_ALL] = 2;
  len[OPC.DELEGATE] = 1;
  len[OPC.THROW] = 2;
  len[OPC.THROW_REF] = 1;
  len[OPC.RETHROW] = 2;
  len[OPC.MEM_ACCESS] = 6;
  len[OPC.MEM_SIZE] = 2;
  len[OPC.MEM_GROW] = 2;
  len[OPC.MEM_INIT] = 3;
  len[OPC.MEM_COPY] = 3;
  len[OPC.MEM_FILL] = 2;
  return len;
})();

/** Length in code words of the instruction at `pc` (of `code`; fused opcodes are not lengths). */
export function instrLength(code: Int32Array, pc: number): number {
  const op = code[pc]!;
  return op === OPC.BR_TABLE ? 2 + ENTRY_WORDS * (code[pc + 1]! + 1) : OP_LENGTH[op]!;
}

// ---------------------------------------------------------------- control

/**
 * Where the instruction at `pc` continues when it jumps: the target of br and br_if (with
 * or without a stack adjustment), the else-target of if, the end-target of else.
 */
export function branchTarget(code: Int32Array, pc: number): number {
  return code[pc + 1]!;
}

/** Number of entries of the br_table at `pc` (its labels and the default). */
export function brTableSize(code: Int32Array, pc: number): number {
  return code[pc + 1]! + 1;
}

/** Code offset of entry `i` of the br_table at `pc`; an index past the labels takes the default (the last). */
export function brTableEntry(code: Int32Array, pc: number, i: number): number {
  const max = code[pc + 1]!;
  return pc + 2 + ENTRY_WORDS * (i < max ? i : max);
}

/**
 * Code offset of the side-table entry the adjusting branch at `pc` takes: BR_ADJ's and
 * BR_IF_ADJ's only one, or br_table's for operand `index` (unsigned).
 */
export function branchEntry(code: Int32Array, pc: number, index: number): number {
  // BR_ADJ, BR_IF_ADJ, BR_ON_NULL and BR_ON_NON_NULL have theirs right after the opcode.
  return code[pc] === OPC.BR_TABLE ? brTableEntry(code, pc, index) : pc + 1;
}

/** The code offset a branch entry continues at. */
export function entryTarget(code: Int32Array, entry: number): number {
  return code[entry]!;
}

/** The slot height (above the frame pointer) a branch entry returns the operand stack to. */
export function entryHeight(code: Int32Array, entry: number): number {
  return code[entry + 1]!;
}

/** How many slots of values a branch entry carries to its height. */
export function entryCarry(code: Int32Array, entry: number): number {
  return code[entry + 2]!;
}

/** Whether any value a branch entry carries is a reference (the reference array moves too). */
export function entryRefs(code: Int32Array, entry: number): boolean {
  return code[entry + 3] !== 0;
}

// ---------------------------------------------------------------- calls

/** The function index (function index space) the `call` or `return_call` at `pc` calls. */
export function callFunc(code: Int32Array, pc: number): number {
  return code[pc + 1]!;
}

/** The type index the `call_indirect`, `return_call_indirect` or `return_call_ref` at `pc` expects. */
export function callType(code: Int32Array, pc: number): number {
  return code[pc + 1]!;
}

/**
 * A code offset inside the call instruction whose return address (the offset after it,
 * what a caller's frame keeps) is `returnPc`: positionOf maps it to the call.
 */
export function callSite(returnPc: number): number {
  return returnPc - 1;
}

// ---------------------------------------------------------------- vector immediates

/** Word `k` (0-3, little-endian bytes) of the 16-byte immediate of v128.const or i8x16.shuffle at `pc`. */
export function v128Word(code: Int32Array, pc: number, k: number): number {
  return code[pc + 1 + k]!;
}

/** The lane index of the extract_lane or replace_lane at `pc`. */
export function laneIndex(code: Int32Array, pc: number): number {
  return code[pc + 1]!;
}

// ---------------------------------------------------------------- memory, tables, segments

/** The offset of the memarg of the load or store at `pc`, unsigned (not MEM_ACCESS: see memAccessOffset). */
export function memOffset(code: Int32Array, pc: number): number {
  return code[pc + 1]! >>> 0;
}

/** The offset of the MEM_ACCESS at `pc`, unsigned, exact below 2^53. */
export function memAccessOffset(code: Int32Array, pc: number): number {
  return (code[pc + 3]! >>> 0) + (code[pc + 4]! >>> 0) * 0x1_0000_0000;
}

/** The memory the instruction at `pc` uses: 0 but for the MEM_* opcodes (memory.copy: its destination). */
export function memIndex(code: Int32Array, pc: number): number {
  const op = code[pc]!;
  if (op === OPC.MEM_ACCESS || op === OPC.MEM_INIT) return code[pc + 2]!;
  if (op >= OPC.MEM_SIZE && op <= OPC.MEM_FILL) return code[pc + 1]!;
  return 0;
}

/** The wasm load or store (its internal opcode) a MEM_ACCESS at `pc` performs; otherwise the opcode itself. */
export function memAccessOp(code: Int32Array, pc: number): number {
  return code[pc] === OPC.MEM_ACCESS ? code[pc + 1]! : code[pc]!;
}

/** The lane index of the v128 lane load or store at `pc` (after its memarg). */
export function memLane(code: Int32Array, pc: number): number {
  return code[pc + 2]!;
}

/**
 * Whether the instruction at `pc` is a tail call (return_call, return_call_indirect, return_call_ref): its
 * callee's frame replaces the current one instead of being pushed on it.
 */
export function isTailCall(code: Int32Array, pc: number): boolean {
  const op = code[pc]!;
  return op >= OPC.RETURN_CALL && op <= OPC.RETURN_CALL_REF;
}

/**
 * The table the instruction at `pc` uses: call_indirect's and table.init's second
 * immediate; table.copy's destination; the only one of table.get, set, size, grow, fill.
 */
export function tableIndex(code: Int32Array, pc: number): number {
  const op = code[pc]!;
  return op === OPC.CALL_INDIRECT || op === OPC.FC + 12 || op === OPC.RETURN_CALL_INDIRECT || op === TABLE64.CALL_INDIRECT || op === TABLE64.INIT ? code[pc + 2]! : code[pc + 1]!;
}

/** The source table of the table.copy at `pc`. */
export function tableCopySource(code: Int32Array, pc: number): number {
  return code[pc + 2]!;
}

/** The data or element segment of memory.init, data.drop, table.init or elem.drop at `pc`. */
export function segmentIndex(code: Int32Array, pc: number): number {
  return code[pc + 1]!;
}
