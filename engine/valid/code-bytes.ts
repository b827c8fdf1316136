// Function-body validation straight from the binary: the operand- and control-stack
// algorithm of the spec's appendix (https://webassembly.github.io/spec/core/appendix/algorithm.html)
// run over the code section's bytes, reading each instruction's immediates in place, so a
// module with millions of instructions is checked without building one object per
// instruction (the in-place approach of Titzer, "A fast in-place interpreter for
// WebAssembly", OOPSLA 2022, applied to validation).
//
// It is a decider, not a reporter. It accepts a body only when the body is certainly a
// well-formed, valid body under the decoder's and engine/valid/code.ts's rules — WebAssembly
// 2.0, and under 3.0 also the legacy and 3.0 exception instructions (without exnref), tail
// calls and explicit memory indices (https://webassembly.github.io/spec/core/valid/instructions.html);
// at anything else — a type error, a malformed immediate, another 3.0 instruction, an
// unusual but legal encoding it does not bother with — it gives up by throwing UNDECIDED
// (or, from its stack, TYPE_MISMATCH), and engine/valid/binary.ts asks the AST decoder and
// validator, whose error (wording, location, order) is the answer. So the error path is
// exactly the reference's, and this file only has to be right about what it accepts.
//
// The stacks are engine/valid/stack.ts's TypeStack, the one code.ts runs on; this file
// reads immediates and types each instruction. Data segments, which a Go toolchain's
// module has ~100,000 of, are checked in place the same way (checkDataSection).
// Everything it keeps is in typed arrays reused from function to function.

import type { CodeContext } from './code.ts';
import { validationSig, type ValidationSig } from './signatures.ts';
import { K_BLOCK, K_FUNC, K_IF, K_LOOP, TypeStack } from './stack.ts';
import { matches } from './matching.ts';
import { DEFAULT_MAX_NESTING, OPS } from '../syntax/index.ts';
import { EXTERNREF, F32, F64, FUNCREF, I32, I64, NO_TYPES, ONE, UNKNOWN, V128, isNum, isVec, sameTypes } from './types.ts';

/** Thrown when this checker cannot accept a body; the caller asks the reference validator. */
export const UNDECIDED: unique symbol = Symbol('undecided');

/** The decoder's limit on declared locals (engine/binary/decode.ts). */
const MAX_LOCALS = 50_000;

/** 2.0 value type by its binary code (0 where the byte is no 2.0 value type). */
const VALTYPE = new Uint8Array(256);
VALTYPE[0x7f] = I32;
VALTYPE[0x7e] = I64;
VALTYPE[0x7d] = F32;
VALTYPE[0x7c] = F64;
VALTYPE[0x7b] = V128;
VALTYPE[0x70] = FUNCREF;
VALTYPE[0x6f] = EXTERNREF;

// Immediates of the plain instructions (those with a fixed signature in signatures.ts).
const IMM_NONE = 0;
const IMM_MEMARG = 1;
const IMM_MEMARG_LANE = 2;
const IMM_LANE = 3;
const IMM_BYTES16 = 4;

const SINGLE_SIG: (ValidationSig | undefined)[] = [];
const SINGLE_IMM = new Uint8Array(256);
for (let code = 0; code < 256; code++) SINGLE_SIG.push(validationSig(code));
for (let code = 0x28; code <= 0x3e; code++) SINGLE_IMM[code] = IMM_MEMARG;

/** The 2.0 vector instructions (0xfd prefix), by sub-opcode. */
const VECTOR_SIG: (ValidationSig | undefined)[] = new Array(256).fill(undefined);
const VECTOR_IMM = new Uint8Array(256);
/** The 0xfc instructions with a fixed signature (saturating truncations). */
const FC_SIG: (ValidationSig | undefined)[] = new Array(32).fill(undefined);
for (const info of OPS) {
  const prefix = info.code >>> 16;
  const sub = info.code & 0xffff;
  if (prefix === 0xfd) {
    VECTOR_SIG[sub] = validationSig(info.code);
    VECTOR_IMM[sub] =
      info.imm === 'memarg' ? IMM_MEMARG
      : info.imm === 'memarg_lane' ? IMM_MEMARG_LANE
      : info.imm === 'lane' ? IMM_LANE
      : info.imm === 'v128' || info.imm === 'shuffle' ? IMM_BYTES16
      : IMM_NONE;
  } else if (prefix === 0xfc) FC_SIG[sub] = validationSig(info.code);
}

const I32x3 = Int32Array.of(I32, I32, I32);

// Control frame kinds of the exception instructions, beyond stack.ts's (which treats any
// other kind as a block: its label carries the frame's results).
// Legacy exception handling (https://github.com/WebAssembly/exception-handling/blob/main/proposals/exception-handling/legacy/Exceptions.md):
// a `try` before any handler (it may still take `catch`, `catch_all` or `delegate`), a
// `catch` handler (more `catch`es or a `catch_all` may follow) and a `catch_all` handler
// (only `end` may follow); `rethrow` may only name a handler's label.
const K_TRY = 16;
const K_CATCH = 17;
const K_CATCH_ALL = 18;

/** A list of value types, as the context and the stacks hold them. */
type Types = CodeContext['typeParams'][number];

export class BodyBytesChecker {
  private readonly c: CodeContext;
  private readonly bytes: Uint8Array;
  private pos = 0;
  private end = 0;
  private readonly st = new TypeStack();

  /** Types of the current function's locals (parameters first), and how many there are. */
  private locals = new Int32Array(64);
  private nLocals = 0;
  private labels = new Uint32Array(64);

  /** Instructions accepted so far, over every body (for reports). */
  instructions = 0;

  /** Most blocks open at once (NestingOptions.maxNesting): deeper goes to the decoder, which refuses it. */
  private readonly maxNesting: number;

  /** Per tag index (imports first): the exception's parameter types (C.tags; tags have no results). */
  private readonly tags: readonly Types[];

  /** WebAssembly 3.0's instructions and encodings are read (VersionOptions.version). */
  private readonly v3: boolean;

  constructor(context: CodeContext, bytes: Uint8Array, maxNesting = DEFAULT_MAX_NESTING, tags: readonly Types[] = []) {
    this.maxNesting = maxNesting;
    this.tags = tags;
    this.v3 = context.version !== '2.0';
    this.c = context;
    this.bytes = bytes;
  }

  /**
   * Checks the body at [start, end) (its locals and instructions, after the size) of the
   * function with type index `typeIndex`. Returns normally only when the body is valid.
   */
  check(start: number, end: number, typeIndex: number): void {
    const c = this.c;
    const st = this.st;
    const bytes = this.bytes;
    this.pos = start;
    this.end = end;
    st.reset();

    this.readLocals(c.typeParams[typeIndex]!);
    const locals = this.locals;
    const nLocals = this.nLocals;
    const results = c.typeResults[typeIndex]!;
    st.pushCtrl(K_FUNC, NO_TYPES, results);

    let count = 0;
    for (;;) {
      if (this.pos >= end) throw UNDECIDED;
      const op = bytes[this.pos++]!;
      count++;
      switch (op) {
        case 0x00: // unreachable
          st.setUnreachable();
          break;
        case 0x01: // nop
          break;
        case 0x02: // block
        case 0x03: // loop
        case 0x04: // if
        case 0x06: {
          // try (legacy exceptions)
          if (op === 0x06 && !this.v3) throw UNDECIDED;
          const typeIndexOrCode = this.blockType();
          let params: Int32Array = NO_TYPES;
          let res: Int32Array = NO_TYPES;
          if (typeIndexOrCode >= 0) {
            params = c.typeParams[typeIndexOrCode]!;
            res = c.typeResults[typeIndexOrCode]!;
          } else if (typeIndexOrCode !== -1) res = ONE[-typeIndexOrCode - 2]!;
          if (op === 0x04) st.popExpect(I32);
          st.enter(op === 0x02 ? K_BLOCK : op === 0x03 ? K_LOOP : op === 0x04 ? K_IF : K_TRY, params, res);
          // The function's own frame is not a nested block.
          if (st.depth - 1 > this.maxNesting) throw UNDECIDED;
          break;
        }
        case 0x05: {
          // else
          const top = st.depth - 1;
          if (st.kinds[top] !== K_IF || !st.frameEndOk(top)) throw UNDECIDED;
          st.toElse();
          break;
        }
        case 0x07: // catch x
        case 0x19: // catch_all
        case 0x18: // delegate l
        case 0x09: // rethrow l
        case 0x08: // throw x
        case 0x1f: // try_table
          if (!this.v3) throw UNDECIDED;
          this.exception(op);
          break;
        case 0x0b: {
          // end
          const top = st.depth - 1;
          if (!st.frameEndOk(top)) throw UNDECIDED;
          if (top === 0) {
            // The function's final end: it must be the body's last byte.
            if (this.pos !== end) throw UNDECIDED;
            this.instructions += count;
            return;
          }
          if (!st.elseMayBeMissing(top)) throw UNDECIDED;
          st.popCtrl();
          break;
        }
        case 0x0c: {
          // br
          st.popVals(st.labelTypes(this.label(this.u32())));
          st.setUnreachable();
          break;
        }
        case 0x0d: {
          // br_if
          const types = st.labelTypes(this.label(this.u32()));
          st.popExpect(I32);
          st.popVals(types);
          st.pushVals(types);
          break;
        }
        case 0x0e:
          this.brTable();
          break;
        case 0x0f: // return
          st.popVals(results);
          st.setUnreachable();
          break;
        case 0x10: {
          // call
          const x = this.u32();
          if (x >= c.funcTypes.length) throw UNDECIDED;
          const t = c.funcTypes[x]!;
          st.popVals(c.typeParams[t]!);
          st.pushVals(c.typeResults[t]!);
          break;
        }
        case 0x11: {
          // call_indirect
          const x = this.u32();
          const table = this.u32();
          if (table >= c.tableTypes.length || x >= c.typeParams.length || c.tableTypes[table] !== FUNCREF) throw UNDECIDED;
          st.popExpect(I32);
          st.popVals(c.typeParams[x]!);
          st.pushVals(c.typeResults[x]!);
          break;
        }
        case 0x12: // return_call x
        case 0x13: // return_call_indirect x y
          if (!this.v3) throw UNDECIDED;
          this.returnCall(op, results);
          break;
        case 0x1a: // drop
          st.popAny();
          break;
        case 0x1b: {
          // select
          st.popExpect(I32);
          const t1 = st.popAny();
          const t2 = st.popAny();
          if (!((isNum(t1) && isNum(t2)) || (isVec(t1) && isVec(t2)))) throw UNDECIDED;
          if (t1 !== t2 && t1 !== UNKNOWN && t2 !== UNKNOWN) throw UNDECIDED;
          st.push(t1 === UNKNOWN ? t2 : t1);
          break;
        }
        case 0x1c: {
          // select (result t): exactly one 2.0 type
          if (this.byte() !== 1) throw UNDECIDED;
          const t = VALTYPE[this.byte()]!;
          if (t === 0) throw UNDECIDED;
          st.popExpect(I32);
          st.popExpect(t);
          st.popExpect(t);
          st.push(t);
          break;
        }
        case 0x20: {
          // local.get
          const x = this.u32();
          if (x >= nLocals) throw UNDECIDED;
          st.push(locals[x]!);
          break;
        }
        case 0x21: {
          // local.set
          const x = this.u32();
          if (x >= nLocals) throw UNDECIDED;
          st.popExpect(locals[x]!);
          break;
        }
        case 0x22: {
          // local.tee
          const x = this.u32();
          if (x >= nLocals) throw UNDECIDED;
          const t = locals[x]!;
          st.popExpect(t);
          st.push(t);
          break;
        }
        case 0x23: {
          // global.get
          const x = this.u32();
          if (x >= c.globalTypes.length) throw UNDECIDED;
          st.push(c.globalTypes[x]!);
          break;
        }
        case 0x24: {
          // global.set
          const x = this.u32();
          if (x >= c.globalTypes.length || c.globalMutable[x] !== 1) throw UNDECIDED;
          st.popExpect(c.globalTypes[x]!);
          break;
        }
        case 0x25: {
          // table.get
          const t = this.table(this.u32());
          st.popExpect(I32);
          st.push(t);
          break;
        }
        case 0x26: {
          // table.set
          const t = this.table(this.u32());
          st.popExpect(t);
          st.popExpect(I32);
          break;
        }
        case 0x3f: // memory.size
        case 0x40: // memory.grow
          this.memoryIndex();
          if (op === 0x40) st.popExpect(I32);
          st.push(I32);
          break;
        case 0x41: // i32.const
          this.skipSigned(5);
          st.push(I32);
          break;
        case 0x42: // i64.const
          this.skipSigned(10);
          st.push(I64);
          break;
        case 0x43: // f32.const
          this.skip(4);
          st.push(F32);
          break;
        case 0x44: // f64.const
          this.skip(8);
          st.push(F64);
          break;
        case 0xd0: {
          // ref.null: func or extern
          const b = this.byte();
          if (b === 0x70) st.push(FUNCREF);
          else if (b === 0x6f) st.push(EXTERNREF);
          else throw UNDECIDED;
          break;
        }
        case 0xd1: // ref.is_null
          if (!st.popRef()) throw UNDECIDED;
          st.push(I32);
          break;
        case 0xd2: {
          // ref.func
          const x = this.u32();
          if (x >= c.funcTypes.length || c.refs[x] !== 1) throw UNDECIDED;
          st.push(FUNCREF);
          break;
        }
        case 0xfc:
          this.prefixFC();
          break;
        case 0xfd:
          this.prefixFD();
          break;
        default: {
          const s = SINGLE_SIG[op];
          if (s === undefined) throw UNDECIDED;
          if (SINGLE_IMM[op] === IMM_MEMARG) this.memarg(s.align);
          st.apply(s.params, s.results);
        }
      }
    }
  }

  /**
   * Checks a data section's content at [start, end): `count` segments, each passive or
   * active on memory 0 with a constant offset — `i32.const` or `global.get` of an
   * imported immutable i32 global (the 2.0 rule,
   * https://webassembly.github.io/spec/core/valid/modules.html#data-segments).
   */
  checkDataSection(start: number, end: number, count: number, importedGlobals: number): void {
    const c = this.c;
    this.pos = start;
    this.end = end;
    if (this.u32() !== count) throw UNDECIDED;
    for (let i = 0; i < count; i++) {
      const flags = this.u32();
      if (flags === 2 && this.u32() !== 0) throw UNDECIDED;
      if (flags === 0 || flags === 2) {
        if (c.memCount === 0) throw UNDECIDED;
        const op = this.byte();
        if (op === 0x41) this.skipSigned(5);
        else if (op === 0x23) {
          const x = this.u32();
          if (x >= importedGlobals || c.globalMutable[x] !== 0 || c.globalTypes[x] !== I32) throw UNDECIDED;
        } else throw UNDECIDED;
        if (this.byte() !== 0x0b) throw UNDECIDED;
      } else if (flags !== 1) throw UNDECIDED;
      this.skip(this.u32());
    }
    if (this.pos !== end) throw UNDECIDED;
  }

  /** Parameters, then the declared locals, into `locals`. */
  private readLocals(params: Int32Array): void {
    let n = params.length;
    if (n > this.locals.length) this.locals = new Int32Array(n * 2);
    this.locals.set(params);
    const groups = this.u32();
    let total = 0;
    for (let g = 0; g < groups; g++) {
      const count = this.u32();
      const t = VALTYPE[this.byte()]!;
      if (t === 0) throw UNDECIDED;
      total += count;
      if (total > MAX_LOCALS) throw UNDECIDED;
      if (n + count > this.locals.length) {
        const bigger = new Int32Array((n + count) * 2);
        bigger.set(this.locals.subarray(0, n));
        this.locals = bigger;
      }
      this.locals.fill(t, n, n + count);
      n += count;
    }
    this.nLocals = n;
  }

  private prefixFC(): void {
    const c = this.c;
    const st = this.st;
    const sub = this.u32();
    switch (sub) {
      case 8: {
        // memory.init data 0
        const x = this.u32();
        this.memoryIndex();
        if (!c.hasDataCount || x >= c.dataCount) throw UNDECIDED;
        st.popVals(I32x3);
        return;
      }
      case 9: {
        // data.drop
        const x = this.u32();
        if (!c.hasDataCount || x >= c.dataCount) throw UNDECIDED;
        return;
      }
      case 10: // memory.copy 0 0
        this.memoryIndex();
        this.memoryIndex();
        st.popVals(I32x3);
        return;
      case 11: // memory.fill 0
        this.memoryIndex();
        st.popVals(I32x3);
        return;
      case 12: {
        // table.init elem table
        const e = this.elem(this.u32());
        // A (ref func) segment (3.0 function indices) fits a funcref table too.
        if (!matches(e, this.table(this.u32()))) throw UNDECIDED;
        st.popVals(I32x3);
        return;
      }
      case 13: // elem.drop
        this.elem(this.u32());
        return;
      case 14: {
        // table.copy dst src
        const dst = this.table(this.u32());
        if (this.table(this.u32()) !== dst) throw UNDECIDED;
        st.popVals(I32x3);
        return;
      }
      case 15: {
        // table.grow
        const t = this.table(this.u32());
        st.popExpect(I32);
        st.popExpect(t);
        st.push(I32);
        return;
      }
      case 16: // table.size
        this.table(this.u32());
        st.push(I32);
        return;
      case 17: {
        // table.fill
        const t = this.table(this.u32());
        st.popExpect(I32);
        st.popExpect(t);
        st.popExpect(I32);
        return;
      }
    }
    const s = sub < FC_SIG.length ? FC_SIG[sub] : undefined;
    if (s === undefined) throw UNDECIDED;
    st.apply(s.params, s.results);
  }

  private prefixFD(): void {
    const st = this.st;
    const sub = this.u32();
    const s = sub < 256 ? VECTOR_SIG[sub] : undefined;
    if (s === undefined) {
      if (sub !== 0x0d) throw UNDECIDED;
      // i8x16.shuffle: 16 lane indices into the 32 lanes of both operands
      if (this.pos + 16 > this.end) throw UNDECIDED;
      for (let i = 0; i < 16; i++) if (this.bytes[this.pos + i]! >= 32) throw UNDECIDED;
      this.pos += 16;
      st.popExpect(V128);
      st.popExpect(V128);
      st.push(V128);
      return;
    }
    switch (VECTOR_IMM[sub]) {
      case IMM_MEMARG:
        this.memarg(s.align);
        break;
      case IMM_MEMARG_LANE:
        this.memarg(s.align);
        if (this.byte() >= s.lanes) throw UNDECIDED;
        break;
      case IMM_LANE:
        if (this.byte() >= s.lanes) throw UNDECIDED;
        break;
      case IMM_BYTES16:
        this.skip(16);
        break;
    }
    st.apply(s.params, s.results);
  }

  /**
   * A memarg with a 32-bit offset and at most natural alignment, on memory 0 or (3.0,
   * multiple memories: bit 6 of the flags announces the index) on an explicit memory.
   */
  private memarg(natural: number): void {
    let align = this.u32();
    if (align > natural) {
      if (!this.v3 || align >= 0x80 || (align & 0x40) === 0 || (align & 0x3f) > natural) throw UNDECIDED;
      if (this.u32() >= this.c.memCount) throw UNDECIDED;
      align &= 0x3f;
    } else if (this.c.memCount === 0) throw UNDECIDED;
    this.u32();
  }

  /** The memory index of memory.size, grow, fill, copy and init: a zero byte in 2.0, a u32 in 3.0. */
  private memoryIndex(): void {
    const x = this.v3 ? this.u32() : this.byte();
    if (x >= this.c.memCount || (x !== 0 && !this.v3)) throw UNDECIDED;
  }

  // --- 3.0 control instructions (https://webassembly.github.io/spec/core/valid/instructions.html#control-instructions)

  /** The legacy exception instructions, `throw` and `try_table`. */
  private exception(op: number): void {
    const st = this.st;
    const top = st.depth - 1;
    const kind = st.kinds[top];
    switch (op) {
      case 0x07: // catch x: ends the try's (or the previous catch's) instructions; the handler gets the exception's values
      case 0x19: {
        // catch_all: the same without values
        if ((kind !== K_TRY && kind !== K_CATCH) || !st.frameEndOk(top)) throw UNDECIDED;
        const params = op === 0x07 ? this.tag(this.u32()) : NO_TYPES;
        st.kinds[top] = op === 0x07 ? K_CATCH : K_CATCH_ALL;
        st.sp = st.heights[top]!;
        st.unreachable[top] = 0;
        st.pushVals(params);
        return;
      }
      case 0x18: {
        // delegate l: ends a try without handlers; l is a label of the context around the try
        if (kind !== K_TRY || !st.frameEndOk(top)) throw UNDECIDED;
        const l = this.u32();
        st.popCtrl();
        this.label(l);
        return;
      }
      case 0x09: {
        // rethrow l: l must be a handler's label
        const k = st.kinds[this.label(this.u32())];
        if (k !== K_CATCH && k !== K_CATCH_ALL) throw UNDECIDED;
        st.setUnreachable();
        return;
      }
      case 0x08: // throw x
        st.popVals(this.tag(this.u32()));
        st.setUnreachable();
        return;
      case 0x1f: {
        // try_table bt catch*: each handler branches to a label of the context around it
        // with the exception's values. catch_ref and catch_all_ref (which pass an exnref)
        // are left to the reference.
        const typeIndexOrCode = this.blockType();
        const n = this.u32();
        if (n > this.end - this.pos) throw UNDECIDED;
        for (let i = 0; i < n; i++) {
          const handler = this.byte();
          let values: Types = NO_TYPES;
          if (handler === 0) values = this.tag(this.u32());
          else if (handler !== 2) throw UNDECIDED;
          if (!sameTypes(st.labelTypes(this.label(this.u32())), values)) throw UNDECIDED;
        }
        let params: Types = NO_TYPES;
        let res: Types = NO_TYPES;
        if (typeIndexOrCode >= 0) {
          params = this.c.typeParams[typeIndexOrCode]!;
          res = this.c.typeResults[typeIndexOrCode]!;
        } else if (typeIndexOrCode !== -1) res = ONE[-typeIndexOrCode - 2]!;
        st.enter(K_BLOCK, params, res);
        if (st.depth - 1 > this.maxNesting) throw UNDECIDED;
        return;
      }
    }
    throw UNDECIDED;
  }

  /**
   * return_call and return_call_indirect (tail calls): a call whose results are the
   * function's, which then returns.
   */
  private returnCall(op: number, results: Types): void {
    const c = this.c;
    const st = this.st;
    let t: number;
    if (op === 0x12) {
      const x = this.u32();
      if (x >= c.funcTypes.length) throw UNDECIDED;
      t = c.funcTypes[x]!;
    } else {
      t = this.u32();
      const table = this.u32();
      if (table >= c.tableTypes.length || t >= c.typeParams.length || c.tableTypes[table] !== FUNCREF) throw UNDECIDED;
      st.popExpect(I32);
    }
    if (!sameTypes(c.typeResults[t]!, results)) throw UNDECIDED;
    st.popVals(c.typeParams[t]!);
    st.setUnreachable();
  }

  /** The parameter types of tag x. */
  private tag(x: number): Types {
    if (x >= this.tags.length) throw UNDECIDED;
    return this.tags[x]!;
  }

  // --- Immediates

  private byte(): number {
    if (this.pos >= this.end) throw UNDECIDED;
    return this.bytes[this.pos++]!;
  }

  private skip(n: number): void {
    if (this.pos + n > this.end) throw UNDECIDED;
    this.pos += n;
  }

  /** An unsigned LEB128 u32, under the decoder's rules (at most 5 bytes, no excess bits). */
  private u32(): number {
    const bytes = this.bytes;
    const end = this.end;
    let pos = this.pos;
    if (pos >= end) throw UNDECIDED;
    let b = bytes[pos++]!;
    if (b < 0x80) {
      this.pos = pos;
      return b;
    }
    let result = b & 0x7f;
    for (let shift = 7; shift < 28; shift += 7) {
      if (pos >= end) throw UNDECIDED;
      b = bytes[pos++]!;
      result |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return result >>> 0;
      }
    }
    if (pos >= end) throw UNDECIDED;
    b = bytes[pos++]!;
    if (b > 0x0f) throw UNDECIDED;
    this.pos = pos;
    return (result >>> 0) + b * 0x1000_0000;
  }

  /**
   * Skips a signed LEB128 of at most `max` bytes (5 for s32, 10 for s64) whose last byte
   * carries no bits beyond the value's width other than sign copies.
   */
  private skipSigned(max: number): void {
    const bytes = this.bytes;
    const end = this.end;
    let pos = this.pos;
    for (let i = 1; ; i++) {
      if (pos >= end) throw UNDECIDED;
      const b = bytes[pos++]!;
      if (b < 0x80) {
        if (i === max) {
          // s32: 4 value bits left, so bits 4–6 copy bit 3; s64: 1 bit left, bits 1–6 copy bit 0.
          const rest = max === 5 ? b & 0x78 : b & 0x7f;
          if (max === 5 ? rest !== 0 && rest !== 0x78 : rest !== 0 && rest !== 0x7f) throw UNDECIDED;
        }
        this.pos = pos;
        return;
      }
      if (i === max) throw UNDECIDED;
    }
  }

  /**
   * A block type: -1 for [], -(t + 2) for a single 2.0 value type t, or a type index
   * (non-negative s33 of at most 4 bytes; longer encodings are left to the reference).
   */
  private blockType(): number {
    const b = this.byte();
    if (b === 0x40) return -1;
    if ((b & 0xc0) === 0x40) {
      const t = VALTYPE[b]!;
      if (t === 0) throw UNDECIDED;
      return -(t + 2);
    }
    let result = b & 0x7f;
    let last = b;
    for (let shift = 7; last >= 0x80; shift += 7) {
      if (shift > 21) throw UNDECIDED;
      last = this.byte();
      result |= (last & 0x7f) << shift;
    }
    // A set sign bit in the last byte makes the s33 negative: no type.
    if (last & 0x40 || result >= this.c.typeParams.length) throw UNDECIDED;
    return result;
  }

  // --- Labels

  /** The control frame label l refers to. */
  private label(l: number): number {
    const f = this.st.label(l);
    if (f < 0) throw UNDECIDED;
    return f;
  }

  private brTable(): void {
    const n = this.u32();
    if (n >= this.labels.length) {
      // Each label takes at least a byte, so a count past the body's bytes is malformed.
      if (n > this.end - this.pos) throw UNDECIDED;
      this.labels = new Uint32Array(n + 1);
    }
    const labels = this.labels;
    for (let i = 0; i <= n; i++) labels[i] = this.u32();
    this.st.popExpect(I32);
    if (this.st.brTable(labels, n) >= 0) throw UNDECIDED;
  }

  // --- Context lookups

  /** The element type of table x. */
  private table(x: number): number {
    if (x >= this.c.tableTypes.length) throw UNDECIDED;
    return this.c.tableTypes[x]!;
  }

  /** The element type of element segment x. */
  private elem(x: number): number {
    if (x >= this.c.elemTypes.length) throw UNDECIDED;
    return this.c.elemTypes[x]!;
  }
}
