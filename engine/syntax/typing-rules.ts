// The stack signature an instruction's opcode fixes by itself, from the typing rules of
// https://webassembly.github.io/spec/core/valid/instructions.html (numeric, vector,
// memory, and the table and reference instructions whose types need no context), read
// off the mnemonic and the immediate kind. engine/syntax/instructions.ts applies them once
// to every entry of the instruction table; the validator and the interpreter derive their
// encodings from the result.
//
// Signatures are WebAssembly 2.0's: 32-bit memories and tables (memory64 and table64
// make addresses depend on the memory or table, and the validator refuses them first).
// Undefined means the typing depends on the context or on a type immediate: control,
// calls, locals, globals, select, drop, table.get/set/grow/fill, ref.null, ref.is_null,
// and the 3.0 reference, GC and exception instructions. Relaxed SIMD is typed like the
// other vector instructions.

import type { ValType } from './ast.ts';
import type { ImmKind, ImmKind3 } from './instructions.ts';

/** Operand types, bottom of the stack first, and result types. */
export interface StackSig {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

// One frozen signature per distinct shape, shared by every instruction that has it.
const interned = new Map<string, StackSig>();

function sig(params: readonly ValType[], results: readonly ValType[]): StackSig {
  const key = `${params.join(' ')}>${results.join(' ')}`;
  let s = interned.get(key);
  if (s === undefined) {
    s = Object.freeze({ params: Object.freeze([...params]), results: Object.freeze([...results]) });
    interned.set(key, s);
  }
  return s;
}

const SCALAR = new Set<string>(['i32', 'i64', 'f32', 'f64']);

/** The scalar type a vector shape's lanes are read as and written from. */
const LANE_SCALAR: Readonly<Record<string, ValType>> = {
  i8x16: 'i32', i16x8: 'i32', i32x4: 'i32', i64x2: 'i64', f32x4: 'f32', f64x2: 'f64',
};

const SCALAR_COMPARE = /^(eq|ne|[lg][te](_[su])?)$/;
const SCALAR_UNARY = /^(clz|ctz|popcnt|abs|neg|ceil|floor|trunc|nearest|sqrt|extend(8|16|32)_s)$/;
const SCALAR_BINARY = /^(add|sub|mul|div(_[su])?|rem_[su]|and|or|xor|shl|shr_[su]|rotl|rotr|min|max|copysign)$/;
/** Conversions name their operand type: i32.wrap_i64, f64.convert_i32_u, i64.trunc_sat_f32_s… */
const CONVERSION_FROM = /_(i32|i64|f32|f64)(_|$)/;
/** Vector operations taking one v128 (by the start of the name after the shape). */
const VECTOR_UNARY = /^(abs|neg|popcnt|sqrt|ceil|floor|trunc|nearest|not|extend_|extadd_|convert|demote|promote|relaxed_trunc)/;
/** Vector operations taking three v128s. */
const VECTOR_TERNARY = /^(bitselect|relaxed_n?madd|relaxed_laneselect|relaxed_dot_\w+_add_s)$/;

/**
 * The stack signature fixed by an instruction's mnemonic and immediate kind, or undefined
 * when its typing depends on the context. Throws for a scalar mnemonic no rule covers, so a
 * new table entry cannot go untyped by accident.
 */
export function fixedSig(op: string, imm: ImmKind | ImmKind3): StackSig | undefined {
  const dot = op.indexOf('.');
  const prefix = dot < 0 ? '' : op.slice(0, dot);
  const name = op.slice(dot + 1);
  switch (imm) {
    case 'memarg': {
      const t = prefix as ValType; // i32.load → i32, v128.load8x8_s → v128
      return name.startsWith('load') ? sig(['i32'], [t]) : sig(['i32', t], []);
    }
    case 'memarg_lane':
      return name.startsWith('load') ? sig(['i32', 'v128'], ['v128']) : sig(['i32', 'v128'], []);
    case 'memory':
      return name === 'size' ? sig([], ['i32']) : sig(['i32'], ['i32']); // memory.size, memory.grow
    case 'memory_copy': case 'memory_fill': case 'memory_init': case 'table_copy': case 'table_init':
      return sig(['i32', 'i32', 'i32'], []);
    case 'data': case 'elem':
      return sig([], []); // data.drop, elem.drop
    case 'table':
      return op === 'table.size' ? sig([], ['i32']) : undefined; // the others move the table's reference type
    case 'func':
      return op === 'ref.func' ? sig([], ['funcref']) : undefined; // call, return_call: the callee's type
    case 'i32': case 'i64': case 'f32': case 'f64': case 'v128':
      return sig([], [imm]); // the constants
    case 'lane': {
      const scalar = LANE_SCALAR[prefix]!;
      return name === 'replace_lane' ? sig(['v128', scalar], ['v128']) : sig(['v128'], [scalar]);
    }
    case 'shuffle':
      return sig(['v128', 'v128'], ['v128']);
    case 'none':
      break;
    default:
      return undefined; // blocks, labels, locals, globals, call_indirect, select_t, ref_null, 3.0 type immediates
  }
  if (SCALAR.has(prefix)) {
    const t = prefix as ValType;
    if (name === 'eqz') return sig([t], ['i32']);
    if (SCALAR_COMPARE.test(name)) return sig([t, t], ['i32']);
    if (SCALAR_UNARY.test(name)) return sig([t], [t]);
    if (SCALAR_BINARY.test(name)) return sig([t, t], [t]);
    const from = CONVERSION_FROM.exec(name);
    if (from !== null) return sig([from[1] as ValType], [t]);
    throw new Error(`typing rules: no rule for ${op}`);
  }
  if (prefix === 'v128' || LANE_SCALAR[prefix] !== undefined) {
    if (name === 'splat') return sig([LANE_SCALAR[prefix]!], ['v128']);
    if (name === 'any_true' || name === 'all_true' || name === 'bitmask') return sig(['v128'], ['i32']);
    if (name === 'shl' || name === 'shr_s' || name === 'shr_u') return sig(['v128', 'i32'], ['v128']);
    if (VECTOR_TERNARY.test(name)) return sig(['v128', 'v128', 'v128'], ['v128']);
    if (VECTOR_UNARY.test(name)) return sig(['v128'], ['v128']);
    return sig(['v128', 'v128'], ['v128']);
  }
  return undefined; // unreachable, nop, else, end, return, drop, select, ref.is_null, 3.0 reference instructions
}
