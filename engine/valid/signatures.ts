// The function-body validator's view of the instruction table's fixed signatures
// (engine/syntax/instructions.ts, typed by engine/syntax/typing-rules.ts after
// https://webassembly.github.io/spec/core/valid/instructions.html): for each "plain"
// WebAssembly 2.0 instruction — numeric, vector, memory — its operand and result types as
// the validator's type codes, with what its immediates must satisfy, in dense per-opcode
// arrays, so engine/valid/code.ts and code-bytes.ts check most instructions with one
// array lookup and no allocation.
//
// Instructions whose typing depends on the context (control, calls, locals, globals,
// tables, references, select) have no signature in the table; those whose immediates
// name a function, table or segment, and i8x16.shuffle with its 16 lane indices, are
// checked one by one in engine/valid/code.ts, so they have no entry here either.

import { type ImmKind, type OpInfo, OPS, OPS_3, type ValType } from '../syntax/index.ts';
import { NO_TYPES, typeCodes } from './types.ts';

export interface ValidationSig {
  readonly params: Int32Array;
  readonly results: Int32Array;
  /** Needs memory 0 to exist. */
  readonly memory: boolean;
  /** Natural alignment (log2 bytes) the memarg may not exceed; -1 without a memarg. */
  readonly align: number;
  /** Lane count the lane immediate must stay below; 0 without one. */
  readonly lanes: number;
}

/** Immediates engine/valid/code.ts checks against the module itself. */
const TYPED_IN_CODE: ReadonlySet<ImmKind> = new Set<ImmKind>([
  'func', 'table', 'table_copy', 'table_init', 'elem', 'data', 'memory_init', 'shuffle',
]);
/** Immediates that name memory 0. */
const MEMORY: ReadonlySet<ImmKind> = new Set<ImmKind>(['memarg', 'memarg_lane', 'memory', 'memory_copy', 'memory_fill']);

const codes = (types: readonly ValType[]): Int32Array => (types.length === 0 ? NO_TYPES : typeCodes(types));

/** The validator's signature of a plain instruction, or undefined for one code.ts types itself. */
function derive(info: OpInfo): ValidationSig | undefined {
  const s = info.sig;
  if (s === undefined || TYPED_IN_CODE.has(info.imm)) return undefined;
  const hasMemarg = info.imm === 'memarg' || info.imm === 'memarg_lane';
  const align = hasMemarg ? info.align! : -1;
  // load_lane / store_lane pick one of (16 >> align) lanes; extract/replace_lane one of the
  // shape's lanes, the number after its "x" (i8x16: 16).
  const lanes =
    info.imm === 'memarg_lane' ? 16 >> align
    : info.imm === 'lane' ? Number(info.op.slice(info.op.indexOf('x') + 1, info.op.indexOf('.')))
    : 0;
  return { params: codes(s.params), results: codes(s.results), memory: MEMORY.has(info.imm), align, lanes };
}

// Dense per-opcode-space arrays, as in engine/syntax/opcodes.ts: looked up once per instruction.
const single: (ValidationSig | undefined)[] = new Array(256).fill(undefined);
const prefixFC: (ValidationSig | undefined)[] = new Array(32).fill(undefined);
// 0xFD also holds relaxed SIMD (3.0, sub-opcodes 0x100…0x113; immediates of 2.0's kinds).
const RELAXED_SIMD = OPS_3.filter((info) => info.proposal === 'relaxed-simd') as readonly OpInfo[];
const prefixFD: (ValidationSig | undefined)[] = new Array(0x114).fill(undefined);
for (const info of [...OPS, ...RELAXED_SIMD]) {
  const s = derive(info);
  if (s === undefined) continue;
  const prefix = info.code >>> 16;
  const sub = info.code & 0xffff;
  if (prefix === 0) single[sub] = s;
  else if (prefix === 0xfc) prefixFC[sub] = s;
  else prefixFD[sub] = s;
}

/** The fixed signature of the instruction with this opcode; undefined for contextual or unknown ones. */
export function validationSig(code: number): ValidationSig | undefined {
  if (code < 0x100) return single[code];
  const prefix = code >>> 16;
  const sub = code & 0xffff;
  if (prefix === 0xfd) return prefixFD[sub];
  if (prefix === 0xfc) return prefixFC[sub];
  return undefined;
}
