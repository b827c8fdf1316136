// Validation of function bodies: the operand- and control-stack algorithm of the spec's
// appendix (https://webassembly.github.io/spec/core/appendix/algorithm.html) applied to
// the typing rules of https://webassembly.github.io/spec/core/valid/instructions.html,
// with the function rule of https://webassembly.github.io/spec/core/valid/modules.html#functions.
//
// The stacks are engine/valid/stack.ts's TypeStack, shared with the in-place checker of
// binaries (code-bytes.ts): typed arrays reused across functions (types as small integers
// from engine/valid/types.ts, UNKNOWN being the algorithm's bottom type), so checking an
// instruction allocates nothing. Its pops are checked before the stack pointer moves and
// throw TYPE_MISMATCH, which this file turns into an error message that shows the stack
// as it was.
//
// While it checks, the validator writes the side table the interpreter needs — where each
// structured instruction's `else`/`end` is, where a branch continues, how many values it
// carries and down to which height it unwinds — so no later pass has to re-match blocks.
// See FuncInfo for the shape.

import { type Func, type FuncType, type Instr, type Module, refTypeParts, type Span, type ValType, type Version } from '../syntax/index.ts';
import { ValidationError } from './error.ts';
import { checkException, type CodeHooks } from './exceptions.ts';
import { memoryInitParams, memoryProblem, memorySig } from './memories.ts';
import { validationSig } from './signatures.ts';
import { K_BLOCK, K_ELSE, K_FUNC, K_IF, K_LOOP, TYPE_MISMATCH, TypeStack } from './stack.ts';
import { tailCallMismatch } from './tail-call.ts';
import { matches } from './matching.ts';
import { checkRefInstr } from './typed-refs.ts';
import {
  FUNCREF,
  H_DEF,
  I32,
  I64,
  NO_TYPES,
  UNKNOWN,
  V128,
  type Types,
  formatTypes,
  isDefaultable,
  isNum,
  isVec,
  one,
  perType,
  refCode,
  typeCode,
  typeName,
} from './types.ts';

/**
 * What validation learned about one defined function.
 *
 * Positions are indices into `Func.body`; position `body.length` stands for the implicit
 * final `end`. Heights count operand-stack values above the function's base (locals are
 * not on the operand stack).
 *
 * `jump[i]`, by the instruction at i:
 * - `block`, `loop`: the position of its matching `end`;
 * - `if`: the position of its `else`, or of its `end` when it has none — so a false
 *   condition continues at `jump[i] + 1` either way;
 * - `else`: the position of the `end` of its `if`;
 * - `end`: the position of the `block`/`loop`/`if` it closes;
 * - `br`, `br_if`, `return`: the position where execution continues when the branch is
 *   taken: one past the label's `end` for a block or `if`, one past the `loop` instruction
 *   for a loop, `body.length` (the final `end`, i.e. return) for the function's own label;
 * - `br_table`: the offset in `brTable` of its first label's triple (see below);
 * - anything else: 0.
 * `height[i]` and `arity[i]` (for `br`, `br_if`, `return`): a taken branch keeps the top
 * `arity` values, drops everything down to `height`, and pushes the kept values back.
 * `brTable` holds, for each label of each `br_table` in order (default label last), the
 * triple (continuation position, height, arity), like jump/height/arity of a `br`.
 */
export interface FuncInfo {
  /** Index in the function index space (imported functions first). */
  readonly index: number;
  readonly type: FuncType;
  /** Parameters, then declared locals: the types of every local index. */
  readonly locals: readonly ValType[];
  /** The most operand-stack values the body ever holds. */
  readonly maxHeight: number;
  /** The most control frames ever open, the function's own frame included (so at least 1). */
  readonly maxDepth: number;
  readonly jump: Int32Array;
  readonly height: Int32Array;
  readonly arity: Int32Array;
  readonly brTable: Int32Array;
}

/** The module-level facts function bodies are checked against (the spec's context C). */
export interface CodeContext {
  readonly module: Module;
  /** Per type index. */
  readonly typeParams: readonly Types[];
  readonly typeResults: readonly Types[];
  /** Per type index: its canonical id (engine/valid/canon.ts), for type codes of (ref $t). */
  readonly canon: Int32Array;
  /** Per function index (imports first): its type index. */
  readonly funcTypes: readonly number[];
  /** Per global index: type code, and 1 when mutable. */
  readonly globalTypes: Int32Array;
  readonly globalMutable: Uint8Array;
  /** Per table index: the element type code. */
  readonly tableTypes: Int32Array;
  /** Per table index: 1 when it is indexed by i64 (table64). */
  readonly table64?: Uint8Array;
  readonly memCount: number;
  /** Per memory index: 1 for an i64 memory (memory64). */
  readonly mem64: Uint8Array;
  /** Per element segment: the element type code. */
  readonly elemTypes: Int32Array;
  readonly dataCount: number;
  /** Whether the module has a data count section (binary) or would be given one (text). */
  readonly hasDataCount: boolean;
  /** C.refs: 1 for each function index a `ref.func` may name. */
  readonly refs: Uint8Array;
  /** The language checked (VersionOptions.version). */
  readonly version: Version;
  /** Per tag index (imports first): its function type index (exception handling). */
  readonly tagTypes: readonly number[];
  /** 'func 3 ($fib)' */
  funcWhere(index: number): string;
}

/** No pending branch in a fix-up chain (positions and pool offsets are below this). */
const NONE = 0x7fffffff;

/** Per-type constant lists used by instructions with a type from their context. */
const SELECT_OPERANDS = perType((t) => [t, t, I32]);
const I32_T = perType((t) => [I32, t]);
const T_I32 = perType((t) => [t, I32]);
const I32_T_I32 = perType((t) => [I32, t, I32]);
const I32x3 = Int32Array.of(I32, I32, I32);
// table64: the same with an i64 index.
const I64_T = perType((t) => [I64, t]);
const T_I64 = perType((t) => [t, I64]);
const I64_T_I64 = perType((t) => [I64, t, I64]);
const I64_I32_I32 = Int32Array.of(I64, I32, I32);
const V128x2 = Int32Array.of(V128, V128);

export class CodeValidator {
  private readonly c: CodeContext;
  private readonly st = new TypeStack();

  // The side table's bookkeeping, per control frame (indexed like the stack's frames).
  /** Position of the block/loop/if that opened the frame (-1 for the function). */
  private openers = new Int32Array(64);
  /** Position of the frame's `else`, once seen. */
  private elses = new Int32Array(64);
  /** Head of the chain of branches to the frame whose continuation is not yet known. */
  private pending = new Int32Array(64);
  /** A br_table's labels, as TypeStack.brTable reads them. */
  private labels = new Uint32Array(64);
  /** FuncInfo's maxHeight and maxDepth, so far. */
  private maxSp = 0;
  private maxDepth = 0;

  // The function being checked.
  private funcIndex = 0;
  private body: readonly Instr[] = [];
  private func: Func | undefined;
  private pc = 0;
  private jump = new Int32Array(0);
  private height = new Int32Array(0);
  private arity = new Int32Array(0);
  private pool: number[] = [];
  /** For exception handling's checks (exceptions.ts). */
  private readonly hooks: CodeHooks = {
    fail: (message) => this.fail(message),
    label: (l) => this.label(l),
    enter: (kind, params, results, opener) => this.enter(kind, params, results, opener),
    checkFrameEnd: (f, what) => this.checkFrameEnd(f, what),
    end: (pc) => {
      const top = this.st.depth - 1;
      this.checkFrameEnd(top, 'the try');
      this.jump[this.openers[top]!] = pc;
      this.jump[pc] = this.openers[top]!;
      this.resolvePending(top, pc + 1);
      this.st.popCtrl();
    },
  };

  // Initialization of non-defaultable locals (non-null references), by the block-scoped
  // rule of https://webassembly.github.io/spec/core/valid/instructions.html#local-instructions:
  // a local.set/tee marks its local set until the end of the enclosing block. Only
  // functions that declare such locals pay for it (`nonDefaultable`).
  nonDefaultable = false;
  /** 1 for each local that is set (or defaultable) here. */
  localSet = new Uint8Array(64);
  /** Locals marked set, in order, so a frame's end can unset those marked inside it. */
  inits = new Int32Array(64);
  initSp = 0;
  /** Per control frame: initSp when it was entered. */
  initHeights = new Int32Array(64);

  constructor(context: CodeContext) {
    this.c = context;
  }

  /** Validates one defined function; `index` is its index in the function index space. */
  validateFunc(index: number, func: Func): FuncInfo {
    const c = this.c;
    const st = this.st;
    const typeIndex = c.funcTypes[index]!;
    const results = c.typeResults[typeIndex]!;
    const type = c.module.types[typeIndex]!.type;
    const localTypes: ValType[] = [...type.params, ...func.locals];
    this.funcIndex = index;
    this.func = func;
    this.body = func.body;
    this.pc = 0;
    const locals = Int32Array.from(localTypes, (t) => this.code(t));
    this.startLocals(locals, type.params.length);
    const body = func.body;
    const n = body.length;

    this.funcIndex = index;
    this.func = func;
    this.body = body;
    this.jump = new Int32Array(n + 1);
    this.height = new Int32Array(n + 1);
    this.arity = new Int32Array(n + 1);
    this.pool = [];
    this.maxSp = 0;
    this.maxDepth = 0;
    st.reset();
    this.enter(K_FUNC, NO_TYPES, results, -1);
    try {
      this.checkInstrs(body, locals, results);
    } catch (e) {
      if (e === TYPE_MISMATCH) this.fail(this.mismatch(st.expected));
      throw e;
    }

    // The implicit final `end`.
    this.pc = n;
    if (st.depth > 1) {
      const top = st.depth - 1;
      this.fail(`unclosed block: the ${body[this.openers[top]!]!.op} at instr ${this.openers[top]} has no end`);
    }
    this.checkFrameEnd(0, 'the function');
    this.jump[n] = -1;

    return {
      index,
      type,
      locals: localTypes,
      maxHeight: this.maxSp,
      maxDepth: this.maxDepth,
      jump: this.jump,
      height: this.height,
      arity: this.arity,
      brTable: Int32Array.from(this.pool),
    };
  }

  /** The body's instructions in order, on stacks that hold the function's frame. */
  private checkInstrs(body: readonly Instr[], locals: Types, results: Types): void {
    const c = this.c;
    const st = this.st;
    const n = body.length;
    for (let pc = 0; pc < n; pc++) {
      this.pc = pc;
      const ins = body[pc]!;
      const code = ins.code;
      switch (code) {
        case 0x00: // unreachable
          st.setUnreachable();
          break;
        case 0x01: // nop
          break;
        case 0x02: // block
        case 0x03: // loop
        case 0x04: {
          // if
          let params: Types = NO_TYPES;
          let res: Types = NO_TYPES;
          const bt = ins.blockType;
          if (bt !== undefined && bt.kind !== 'empty') {
            if (bt.kind === 'value') res = one(this.code(bt.type));
            else {
              // The decoder reads the index as an s33; a negative one names no type.
              if (!(bt.index >= 0 && bt.index < c.typeParams.length)) this.fail(`unknown type ${bt.index}`);
              params = c.typeParams[bt.index]!;
              res = c.typeResults[bt.index]!;
            }
          }
          if (code === 0x04) st.popExpect(I32);
          this.enter(code === 0x02 ? K_BLOCK : code === 0x03 ? K_LOOP : K_IF, params, res, pc);
          break;
        }
        case 0x05: {
          // else
          const top = st.depth - 1;
          if (st.kinds[top] !== K_IF) this.fail('else without a matching if');
          this.checkFrameEnd(top, 'the then branch');
          this.jump[this.openers[top]!] = pc;
          this.elses[top] = pc;
          if (this.nonDefaultable) this.resetInits(top);
          st.toElse();
          break;
        }
        case 0x0b: {
          // end
          const top = st.depth - 1;
          if (top === 0) this.fail('end without a matching block, loop or if');
          const kind = st.kinds[top]!;
          this.checkFrameEnd(top, kind === K_LOOP ? 'the loop' : kind === K_BLOCK ? 'the block' : kind === K_IF ? 'the if' : 'the else branch');
          if (!st.elseMayBeMissing(top)) {
            this.fail(
              `type mismatch: an if without else must have equal parameter and result types, has ${formatTypes(st.starts[top]!)} -> ${formatTypes(st.ends[top]!)}`,
            );
          }
          const opener = this.openers[top]!;
          if (kind === K_ELSE) this.jump[this.elses[top]!] = pc;
          else this.jump[opener] = pc;
          this.jump[pc] = opener;
          this.resolvePending(top, pc + 1);
          if (this.nonDefaultable) this.resetInits(top);
          st.popCtrl();
          break;
        }
        case 0x0c: {
          // br
          const f = this.label(ins.index!);
          const types = st.labelTypes(f);
          st.popVals(types);
          this.branch(pc, f, types.length);
          st.setUnreachable();
          break;
        }
        case 0x0d: {
          // br_if
          const f = this.label(ins.index!);
          const types = st.labelTypes(f);
          st.popExpect(I32);
          st.popVals(types);
          st.pushVals(types);
          this.branch(pc, f, types.length);
          break;
        }
        case 0x0e:
          this.brTable(pc, ins.labels!);
          break;
        case 0x1f: // try_table
        case 0x08: // throw
        case 0x0a: // throw_ref
        case 0x06: // try (legacy)
        case 0x07: // catch
        case 0x19: // catch_all
        case 0x18: // delegate
        case 0x09: // rethrow
          checkException(st, c, ins, pc, this.hooks, typeCode);
          break;
        case 0x0f: // return
          st.popVals(results);
          this.jump[pc] = n;
          this.height[pc] = 0;
          this.arity[pc] = results.length;
          st.setUnreachable();
          break;
        case 0x10: {
          // call
          const x = ins.index!;
          if (x >= c.funcTypes.length) this.fail(`unknown function ${x}`);
          const t = c.funcTypes[x]!;
          st.popVals(c.typeParams[t]!);
          st.pushVals(c.typeResults[t]!);
          break;
        }
        case 0x11: {
          // call_indirect
          const x = ins.index!;
          const table = ins.index2 ?? 0;
          if (table >= c.tableTypes.length) this.fail(`unknown table ${table}`);
          if (x >= c.typeParams.length) this.fail(`unknown type ${x}`);
          if (!matches(c.tableTypes[table]!, FUNCREF)) {
            this.fail(`type mismatch: call_indirect needs a table of funcref, table ${table} holds ${typeName(c.tableTypes[table]!)}`);
          }
          st.popExpect(this.at(table));
          st.popVals(c.typeParams[x]!);
          st.pushVals(c.typeResults[x]!);
          break;
        }
        case 0x12: // return_call
        case 0x13: // return_call_indirect
        case 0x15: { // return_call_ref (./tail-call.ts)
          const x = ins.index!;
          let t = x;
          if (code === 0x12) {
            if (x >= c.funcTypes.length) this.fail(`unknown function ${x}`);
            t = c.funcTypes[x]!;
          } else if (code === 0x15) {
            // return_call_ref $t: [t1* (ref null $t)], like call_ref
            if (!(x >= 0 && x < c.typeParams.length)) this.fail(`unknown type ${x}`);
            st.popExpect(refCode(H_DEF + c.canon[x]!, true));
          } else {
            const table = ins.index2 ?? 0;
            if (table >= c.tableTypes.length) this.fail(`unknown table ${table}`);
            if (x >= c.typeParams.length) this.fail(`unknown type ${x}`);
            if (!matches(c.tableTypes[table]!, FUNCREF)) {
              this.fail(`type mismatch: return_call_indirect needs a table of funcref, table ${table} holds ${typeName(c.tableTypes[table]!)}`);
            }
            st.popExpect(this.at(table));
          }
          const wrong = tailCallMismatch(ins.op, c.typeResults[t]!, results);
          if (wrong !== undefined) this.fail(wrong);
          st.popVals(c.typeParams[t]!);
          st.setUnreachable();
          break;
        }
        case 0x1a: // drop
          st.popAny();
          break;
        case 0x1b: {
          // select
          st.popExpect(I32);
          const t1 = st.popAny();
          const t2 = st.popAny();
          if (!((isNum(t1) && isNum(t2)) || (isVec(t1) && isVec(t2)))) {
            this.fail(
              `type mismatch: select without a type needs two numeric or two vector operands, found ${formatTypes([t2, t1])}; reference operands need select (result t)`,
            );
          }
          if (t1 !== t2 && t1 !== UNKNOWN && t2 !== UNKNOWN) this.fail(`type mismatch: select operands differ, found ${formatTypes([t2, t1])}`);
          st.push(t1 === UNKNOWN ? t2 : t1);
          break;
        }
        case 0x1c: {
          // select (result t)
          const types = ins.types ?? [];
          if (types.length !== 1) this.fail(`invalid result arity: select must have exactly one result type, has ${types.length}`);
          const t = this.code(types[0]!);
          st.popVals(SELECT_OPERANDS(t));
          st.push(t);
          break;
        }
        case 0x20: // local.get
          st.push(this.local(locals, ins.index!));
          if (this.nonDefaultable && this.localSet[ins.index!] === 0) this.fail(`uninitialized local: local ${ins.index} is read before it is set`);
          break;
        case 0x21: // local.set
          st.popExpect(this.local(locals, ins.index!));
          if (this.nonDefaultable) this.setLocal(ins.index!);
          break;
        case 0x22: {
          // local.tee
          const t = this.local(locals, ins.index!);
          st.popExpect(t);
          st.push(t);
          if (this.nonDefaultable) this.setLocal(ins.index!);
          break;
        }
        case 0x23: // global.get
          st.push(c.globalTypes[this.global(ins.index!)]!);
          break;
        case 0x24: {
          // global.set
          const x = this.global(ins.index!);
          if (c.globalMutable[x] !== 1) this.fail(`global is immutable: global ${x} cannot be set`);
          st.popExpect(c.globalTypes[x]!);
          break;
        }
        case 0x25: { // table.get
          const t = this.table(ins.index!);
          st.popExpect(this.at(ins.index!));
          st.push(t);
          break;
        }
        case 0x26: { // table.set
          const t = this.table(ins.index!);
          st.popVals((this.at(ins.index!) === I64 ? I64_T : I32_T)(t));
          break;
        }
        case 0xfc000c: {
          // table.init (index: element segment, index2: table)
          const t = this.table(ins.index2 ?? 0);
          const e = this.elem(ins.index!);
          if (!matches(e, t)) this.fail(`type mismatch: element segment ${ins.index} holds ${typeName(e)}, table ${ins.index2 ?? 0} holds ${typeName(t)}`);
          st.popVals(this.at(ins.index2 ?? 0) === I64 ? I64_I32_I32 : I32x3);
          break;
        }
        case 0xfc000d: // elem.drop
          this.elem(ins.index!);
          break;
        case 0xfc000e: {
          // table.copy (index: destination, index2: source)
          const dst = this.table(ins.index ?? 0);
          const src = this.table(ins.index2 ?? 0);
          if (!matches(src, dst)) this.fail(`type mismatch: table.copy from a table of ${typeName(src)} to a table of ${typeName(dst)}`);
          // table64: the count has the smaller of the two index types.
          const d = this.at(ins.index ?? 0);
          const s = this.at(ins.index2 ?? 0);
          st.popVals(d === I32 && s === I32 ? I32x3 : Int32Array.of(d, s, d === I64 && s === I64 ? I64 : I32));
          break;
        }
        case 0xfc000f: { // table.grow
          const t = this.table(ins.index!);
          const at = this.at(ins.index!);
          st.popVals((at === I64 ? T_I64 : T_I32)(t));
          st.push(at);
          break;
        }
        case 0xfc0010: // table.size
          this.table(ins.index!);
          st.push(this.at(ins.index!));
          break;
        case 0xfc0011: { // table.fill
          const t = this.table(ins.index!);
          st.popVals((this.at(ins.index!) === I64 ? I64_T_I64 : I32_T_I32)(t));
          break;
        }
        case 0xfc0008: { // memory.init
          const bad = memoryProblem(c, ins, -1);
          if (bad !== undefined) this.fail(bad);
          this.data(ins.index!);
          st.popVals(memoryInitParams(c, ins));
          break;
        }
        case 0xfc0009: // data.drop
          this.data(ins.index!);
          break;
        case 0xd0: // ref.null
          st.push(this.code(ins.refType ?? `(ref null ${ins.heapType!})`));
          break;
        case 0xd1: {
          // ref.is_null
          if (!st.popRef()) {
            const found = st.sp > st.heights[st.depth - 1]! ? formatTypes([st.vals[st.sp - 1]!]) : '[]';
            this.fail(`type mismatch: ref.is_null needs a reference, found ${found}`);
          }
          st.push(I32);
          break;
        }
        case 0xd2: {
          // ref.func
          const x = ins.index!;
          if (x >= c.funcTypes.length) this.fail(`unknown function ${x}`);
          if (c.refs[x] !== 1) {
            this.fail(
              `undeclared function reference: function ${x} must appear in an element segment, an export or a global initializer to be referenced`,
            );
          }
          // Its precise type (WebAssembly 3.0): a non-null reference to the function's type.
          st.push(refCode(H_DEF + c.canon[c.funcTypes[x]!]!, false));
          break;
        }
        case 0x14: // call_ref
        case 0xd4: // ref.as_non_null
        case 0xd5: // br_on_null
        case 0xd6: // br_on_non_null
          checkRefInstr(this, st, ins, pc);
          break;
        case 0xfd000d: {
          // i8x16.shuffle: 16 lane indices into the 32 lanes of both operands
          const lanes = ins.bytes!;
          for (let i = 0; i < lanes.length; i++) {
            if (lanes[i]! >= 32) this.fail(`invalid lane index: ${lanes[i]} (shuffle lanes must be below 32)`);
          }
          st.popVals(V128x2);
          st.push(V128);
          break;
        }
        default: {
          let s = validationSig(code);
          if (s === undefined) this.fail(`unknown instruction ${ins.op} (opcode 0x${code.toString(16)})`);
          if (s.memory) {
            const bad = memoryProblem(c, ins, s.align);
            if (bad !== undefined) this.fail(bad);
            s = memorySig(c, ins, s);
          }
          if (s.lanes > 0 && ins.index! >= s.lanes) this.fail(`invalid lane index: ${ins.index} (the shape has ${s.lanes} lanes)`);
          st.apply(s.params, s.results);
        }
      }
      // Every instruction pops before it pushes, so the stack is at its highest after one.
      if (st.sp > this.maxSp) this.maxSp = st.sp;
    }
  }

  // --- Control frames and the side table

  /** Opens a frame (TypeStack.enter) and starts its side-table bookkeeping. */
  private enter(kind: number, params: Types, results: Types, opener: number): void {
    const f = this.st.enter(kind, params, results);
    if (f >= this.maxDepth) this.maxDepth = f + 1;
    if (f === this.openers.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.openers = grow(this.openers);
      this.elses = grow(this.elses);
      this.pending = grow(this.pending);
      this.initHeights = grow(this.initHeights);
    }
    this.initHeights[f] = this.initSp;
    this.openers[f] = opener;
    this.elses[f] = -1;
    this.pending[f] = NONE;
  }

  /** pop_ctrl's checks: the frame's values are exactly its end types. */
  private checkFrameEnd(f: number, what: string): void {
    const st = this.st;
    if (st.frameEndOk(f)) return;
    const base = st.heights[f]!;
    const from = Math.max(base, st.sp - 8);
    const found = (from > base ? '[… ' : '[') + formatTypes(st.vals, from, st.sp).slice(1);
    this.fail(`type mismatch: ${what} must end with ${formatTypes(st.ends[f]!)}, found ${found}`);
  }

  /** The control frame a label index refers to. */
  label(l: number): number {
    const f = this.st.label(l);
    if (f < 0) this.fail(`unknown label ${l}`);
    return f;
  }

  /** Fills jump/height/arity of a br or br_if at `pc` to frame `f`. */
  branch(pc: number, f: number, arity: number): void {
    this.height[pc] = this.st.heights[f]!;
    this.arity[pc] = arity;
    this.jump[pc] = this.continuation(f, pc);
  }

  /**
   * Where a branch to frame f continues, when known now (loops, the function); otherwise
   * links `slot` into the frame's fix-up chain and returns the previous head, the chain's
   * next link, to be replaced when the frame's `end` is reached (resolvePending).
   * Slots are positions in `jump`, or ~offset for `pool` entries.
   */
  private continuation(f: number, slot: number): number {
    const kind = this.st.kinds[f];
    if (kind === K_LOOP) return this.openers[f]! + 1;
    if (kind === K_FUNC) return this.body.length;
    const next = this.pending[f]!;
    this.pending[f] = slot;
    return next;
  }

  private resolvePending(f: number, target: number): void {
    let slot = this.pending[f]!;
    while (slot !== NONE) {
      if (slot >= 0) {
        const next = this.jump[slot]!;
        this.jump[slot] = target;
        slot = next;
      } else {
        const next = this.pool[~slot]!;
        this.pool[~slot] = target;
        slot = next;
      }
    }
  }

  private brTable(pc: number, labels: readonly number[]): void {
    const st = this.st;
    st.popExpect(I32);
    const last = labels.length - 1;
    if (last < 0) this.fail('br_table without a default label');
    if (labels.length > this.labels.length) this.labels = new Uint32Array(labels.length * 2);
    const copy = this.labels;
    for (let i = 0; i <= last; i++) copy[i] = labels[i]!;
    const bad = st.brTable(copy, last);
    if (bad >= 0) {
      const f = this.label(labels[bad]!);
      this.fail(
        `type mismatch: br_table targets must take the same number of values: label ${labels[bad]} takes ${formatTypes(st.labelTypes(f))}, the default label ${labels[last]} takes ${formatTypes(st.labelTypes(this.label(labels[last]!)))}`,
      );
    }
    const arity = st.labelTypes(this.label(labels[last]!)).length;
    const pool = this.pool;
    this.jump[pc] = pool.length;
    for (let i = 0; i <= last; i++) {
      const f = st.depth - 1 - labels[i]!;
      const at = pool.length;
      pool.push(0, st.heights[f]!, arity);
      pool[at] = this.continuation(f, ~at);
    }
  }
  // --- Context lookups

  /** The code of a value type of this module (its type indices already checked). */
  code(t: ValType): number {
    if (t.charCodeAt(0) === 0x28) {
      // '(': (ref null? ht), whose type index must name a type.
      const h = refTypeParts(t)?.heap;
      if (typeof h === 'number' && !(h < this.c.typeParams.length)) this.fail(`unknown type ${h}`);
    }
    return typeCode(t, this.c.canon);
  }

  /** The module-level context, for the instructions checked in other files. */
  get context(): CodeContext {
    return this.c;
  }

  // --- Non-defaultable locals

  private startLocals(locals: Types, params: number): void {
    let nd = false;
    for (let i = params; i < locals.length; i++) if (!isDefaultable(locals[i]!)) nd = true;
    this.nonDefaultable = nd;
    this.initSp = 0;
    if (!nd) return;
    if (locals.length > this.localSet.length) this.localSet = new Uint8Array(locals.length * 2);
    for (let i = 0; i < locals.length; i++) this.localSet[i] = i < params || isDefaultable(locals[i]!) ? 1 : 0;
  }

  private setLocal(x: number): void {
    if (this.localSet[x] === 1) return;
    this.localSet[x] = 1;
    if (this.initSp === this.inits.length) {
      const bigger = new Int32Array(this.inits.length * 2);
      bigger.set(this.inits);
      this.inits = bigger;
    }
    this.inits[this.initSp++] = x;
  }

  /** Leaving frame f's block (or its then branch): locals set inside it are unset again. */
  private resetInits(f: number): void {
    const h = this.initHeights[f]!;
    while (this.initSp > h) this.localSet[this.inits[--this.initSp]!] = 0;
  }

  private local(locals: Types, x: number): number {
    if (x >= locals.length) this.fail(`unknown local ${x}`);
    return locals[x]!;
  }

  private global(x: number): number {
    if (x >= this.c.globalTypes.length) this.fail(`unknown global ${x}`);
    return x;
  }

  /** The element type of table x. */
  private table(x: number): number {
    if (x >= this.c.tableTypes.length) this.fail(`unknown table ${x}`);
    return this.c.tableTypes[x]!;
  }

  /** The index type of table x (checked to exist): i64 for a table64, else i32. */
  private at(x: number): number {
    return this.c.table64?.[x] === 1 ? I64 : I32;
  }

  /** The element type of element segment x. */
  private elem(x: number): number {
    if (x >= this.c.elemTypes.length) this.fail(`unknown elem segment ${x}`);
    return this.c.elemTypes[x]!;
  }

  private data(x: number): void {
    // The binary format needs the count up front to check these in one pass.
    if (!this.c.hasDataCount) this.fail('data count section required');
    if (x >= this.c.dataCount) this.fail(`unknown data segment ${x}`);
  }

  // --- Errors

  /**
   * "type mismatch: expected [i32 i32], found [i32 f64]", from the stack as it is: the
   * message of a TypeStack pop that threw TYPE_MISMATCH wanting `expected` (null: any one value).
   */
  private mismatch(expected: Types | null): string {
    const st = this.st;
    if (expected === null) return `type mismatch: ${this.body[this.pc]?.op ?? 'the instruction'} needs an operand, found []`;
    const base = st.heights[st.depth - 1]!;
    const from = Math.max(base, st.sp - expected.length);
    return `type mismatch: expected ${formatTypes(expected)}, found ${formatTypes(st.vals, from, st.sp)}`;
  }

  fail(message: string): never {
    const pc = this.pc;
    const n = this.body.length;
    const ins = this.body[pc];
    const span: Span | undefined = pc === n ? this.func?.endSpan : ins?.span;
    throw new ValidationError(message, {
      where: this.c.funcWhere(this.funcIndex),
      funcIndex: this.funcIndex,
      instrIndex: pc,
      op: pc === n ? 'end' : ins?.op,
      span,
    });
  }
}
