// The fixed stack signatures of WebAssembly 2.0's "plain" instructions — numeric, vector,
// memory — as typed lists, so the function-body validator checks most instructions with
// one table lookup. Derived once from engine/syntax/opcodes.ts by mnemonic, following
// the typing rules of https://webassembly.github.io/spec/core/valid/instructions.html
// (numeric #numeric-instructions, vector #vector-instructions, memory #memory-instructions).
//
// Instructions whose typing depends on the context or on their immediates (control,
// calls, locals, globals, tables, references, select, memory.init, data.drop,
// i8x16.shuffle) have no entry here; engine/valid/code.ts types them one by one.

import { OPS, type OpInfo } from '../syntax/opcodes.ts';
import { F32, F64, I32, I64, NO_TYPES, V128 } from './types.ts';

export interface OpSig {
  readonly params: Uint8Array;
  readonly results: Uint8Array;
  /** Needs memory 0 to exist. */
  readonly memory: boolean;
  /** Natural alignment (log2 bytes) the memarg may not exceed; -1 without a memarg. */
  readonly align: number;
  /** Lane count the lane immediate must stay below; 0 without one. */
  readonly lanes: number;
}

const SCALAR: Readonly<Record<string, number>> = { i32: I32, i64: I64, f32: F32, f64: F64 };

/** The scalar a vector shape's lanes are read as and written from. */
const SHAPE: Readonly<Record<string, { scalar: number; lanes: number }>> = {
  i8x16: { scalar: I32, lanes: 16 },
  i16x8: { scalar: I32, lanes: 8 },
  i32x4: { scalar: I32, lanes: 4 },
  i64x2: { scalar: I64, lanes: 2 },
  f32x4: { scalar: F32, lanes: 4 },
  f64x2: { scalar: F64, lanes: 2 },
};

const SCALAR_COMPARE = new Set(['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u', 'lt', 'gt', 'le', 'ge']);
const SCALAR_UNARY = new Set([
  'clz', 'ctz', 'popcnt', 'abs', 'neg', 'ceil', 'floor', 'trunc', 'nearest', 'sqrt',
  'extend8_s', 'extend16_s', 'extend32_s',
]);
const SCALAR_BINARY = new Set([
  'add', 'sub', 'mul', 'div_s', 'div_u', 'rem_s', 'rem_u', 'and', 'or', 'xor', 'shl', 'shr_s', 'shr_u',
  'rotl', 'rotr', 'div', 'min', 'max', 'copysign',
]);
/** Vector operations taking one v128 (by the start of the name after the shape). */
const VECTOR_UNARY = /^(abs|neg|popcnt|sqrt|ceil|floor|trunc|nearest|not|extend_|extadd_|convert|demote|promote)/;
/** Handled by engine/valid/code.ts. */
const CONTEXTUAL = new Set([
  'unreachable', 'nop', 'block', 'loop', 'if', 'else', 'end', 'br', 'br_if', 'br_table', 'return',
  'call', 'call_indirect', 'ref.null', 'ref.is_null', 'ref.func', 'drop', 'select',
  'local.get', 'local.set', 'local.tee', 'global.get', 'global.set',
  'table.get', 'table.set', 'table.init', 'elem.drop', 'table.copy', 'table.grow', 'table.size', 'table.fill',
  'memory.init', 'data.drop', 'i8x16.shuffle',
]);

const list = (...types: number[]): Uint8Array => (types.length === 0 ? NO_TYPES : Uint8Array.from(types));

function sig(params: Uint8Array, results: Uint8Array, extra: Partial<OpSig> = {}): OpSig {
  return { params, results, memory: false, align: -1, lanes: 0, ...extra };
}

/** The signature of a plain instruction, or undefined for a contextual one. */
function derive(info: OpInfo): OpSig | undefined {
  const { op } = info;
  if (CONTEXTUAL.has(op)) return undefined;
  const dot = op.indexOf('.');
  const prefix = op.slice(0, dot);
  const name = op.slice(dot + 1);

  if (info.imm === 'memarg' || info.imm === 'memarg_lane') {
    const mem = { memory: true, align: info.align ?? 0 };
    const t = prefix === 'v128' ? V128 : SCALAR[prefix]!;
    // load_lane / store_lane: the lane immediate picks one of (16 >> align) lanes.
    if (info.imm === 'memarg_lane') {
      const lane = { ...mem, lanes: 16 >> (info.align ?? 0) };
      return name.startsWith('load') ? sig(list(I32, V128), list(V128), lane) : sig(list(I32, V128), NO_TYPES, lane);
    }
    return name.startsWith('load') ? sig(list(I32), list(t), mem) : sig(list(I32, t), NO_TYPES, mem);
  }
  if (prefix === 'memory') {
    const mem = { memory: true };
    if (name === 'size') return sig(NO_TYPES, list(I32), mem);
    if (name === 'grow') return sig(list(I32), list(I32), mem);
    return sig(list(I32, I32, I32), NO_TYPES, mem); // fill, copy
  }
  if (name === 'const') return sig(NO_TYPES, list(prefix === 'v128' ? V128 : SCALAR[prefix]!));

  const scalar = SCALAR[prefix];
  if (scalar !== undefined) {
    if (name === 'eqz') return sig(list(scalar), list(I32));
    if (SCALAR_COMPARE.has(name)) return sig(list(scalar, scalar), list(I32));
    if (SCALAR_UNARY.has(name)) return sig(list(scalar), list(scalar));
    if (SCALAR_BINARY.has(name)) return sig(list(scalar, scalar), list(scalar));
    // Conversions name their operand type: i32.wrap_i64, f64.convert_i32_u, i64.trunc_sat_f32_s…
    const from = /_(i32|i64|f32|f64)/.exec(name);
    if (from) return sig(list(SCALAR[from[1]!]!), list(scalar));
    throw new Error(`signatures: no rule for ${op}`);
  }

  const shape = SHAPE[prefix];
  if (prefix === 'v128' || shape !== undefined) {
    if (name === 'splat') return sig(list(shape!.scalar), list(V128));
    if (name.startsWith('extract_lane')) return sig(list(V128), list(shape!.scalar), { lanes: shape!.lanes });
    if (name === 'replace_lane') return sig(list(V128, shape!.scalar), list(V128), { lanes: shape!.lanes });
    if (name === 'any_true' || name === 'all_true' || name === 'bitmask') return sig(list(V128), list(I32));
    if (name === 'shl' || name === 'shr_s' || name === 'shr_u') return sig(list(V128, I32), list(V128));
    if (name === 'bitselect') return sig(list(V128, V128, V128), list(V128));
    if (VECTOR_UNARY.test(name)) return sig(list(V128), list(V128));
    return sig(list(V128, V128), list(V128));
  }
  throw new Error(`signatures: no rule for ${op}`);
}

// Dense per-opcode-space arrays, as in engine/syntax/opcodes.ts: looked up once per instruction.
const single: (OpSig | undefined)[] = new Array(256).fill(undefined);
const prefixFC: (OpSig | undefined)[] = new Array(32).fill(undefined);
const prefixFD: (OpSig | undefined)[] = new Array(256).fill(undefined);
for (const info of OPS) {
  const s = derive(info);
  if (s === undefined) continue;
  const prefix = info.code >>> 16;
  const sub = info.code & 0xffff;
  if (prefix === 0) single[sub] = s;
  else if (prefix === 0xfc) prefixFC[sub] = s;
  else prefixFD[sub] = s;
}

/** The fixed signature of the instruction with this opcode; undefined for contextual or unknown ones. */
export function opSig(code: number): OpSig | undefined {
  if (code < 0x100) return single[code];
  const prefix = code >>> 16;
  const sub = code & 0xffff;
  if (prefix === 0xfd) return prefixFD[sub];
  if (prefix === 0xfc) return prefixFC[sub];
  return undefined;
}
