// The operand and result types of every instruction whose signature is fixed by its
// opcode alone (numeric, conversion, memory and vector instructions), per the typing
// rules of https://webassembly.github.io/spec/core/valid/instructions.html.
// The pre-decoder needs them to track the operand stack's types — a v128 takes two value
// slots, a reference lives beside the slots — and the inspector to tell a paused stack's
// types. Derived from the mnemonics of engine/syntax/opcodes.ts so nothing is listed twice.

import type { ValType } from '../syntax/ast.ts';
import { OPS } from '../syntax/opcodes.ts';
import { simdArity } from './simd.ts';

export interface OpSig {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

const NUM = /^(i32|i64|f32|f64)$/;
const sigs = new Map<number, OpSig>();
const cache = new Map<string, OpSig>();

function sig(params: readonly ValType[], results: readonly ValType[]): OpSig {
  const key = `${params.join(' ')}>${results.join(' ')}`;
  let s = cache.get(key);
  if (s === undefined) {
    s = Object.freeze({ params: Object.freeze([...params]), results: Object.freeze([...results]) });
    cache.set(key, s);
  }
  return s;
}

/** The scalar type of a SIMD shape's lanes as they cross to the scalar stack. */
function laneScalar(shape: string): ValType {
  if (shape === 'i64x2') return 'i64';
  if (shape === 'f32x4') return 'f32';
  if (shape === 'f64x2') return 'f64';
  return 'i32';
}

for (const info of OPS) {
  const { op, code } = info;
  const dot = op.indexOf('.');
  const prefix = dot < 0 ? '' : op.slice(0, dot);
  const name = op.slice(dot + 1);
  let s: OpSig | undefined;
  if (info.imm === 'memarg' || info.imm === 'memarg_lane') {
    const t: ValType = prefix === 'v128' ? 'v128' : (prefix as ValType);
    if (name.startsWith('load') && info.imm === 'memarg_lane') s = sig(['i32', 'v128'], ['v128']);
    else if (name.startsWith('load')) s = sig(['i32'], [t]);
    else if (info.imm === 'memarg_lane') s = sig(['i32', 'v128'], []);
    else s = sig(['i32', t], []);
  } else if (code >> 16 === 0xfd) {
    if (name === 'const') s = sig([], ['v128']);
    else {
      const a = simdArity(code);
      if (a !== undefined) {
        const params: ValType[] = new Array<ValType>(a.vectors).fill('v128');
        if (a.scalarIn !== undefined) params.push(a.scalarIn);
        s = sig(params, [a.scalarOut ?? 'v128']);
      } else if (name.startsWith('extract_lane')) s = sig(['v128'], [laneScalar(prefix)]);
    }
  } else if (NUM.test(prefix)) {
    const t = prefix as ValType;
    const from = /_(i32|i64|f32|f64)(_|$)/.exec(name);
    if (name === 'const') s = sig([], [t]);
    else if (name === 'eqz') s = sig([t], ['i32']);
    else if (/^(eq|ne|[lg][te](_[su])?)$/.test(name)) s = sig([t, t], ['i32']);
    else if (from !== null) s = sig([from[1] as ValType], [t]);
    else if (/^(clz|ctz|popcnt|abs|neg|ceil|floor|trunc|nearest|sqrt|extend(8|16|32)_s)$/.test(name)) s = sig([t], [t]);
    else s = sig([t, t], [t]);
  }
  if (s !== undefined) sigs.set(code, s);
}

/** The fixed signature of the instruction with this opcode, or undefined when it depends on immediates or context. */
export function opSig(code: number): OpSig | undefined {
  return sigs.get(code);
}
