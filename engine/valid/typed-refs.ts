// Validation of the typed function reference instructions
// (https://webassembly.github.io/spec/core/valid/instructions.html#reference-instructions
// and #control-instructions): call_ref, ref.as_non_null, br_on_null, br_on_non_null.
// They are checked on the function-body validator's stacks (engine/valid/code.ts calls in
// here), writing the same side table for the branches of br_on_null / br_on_non_null as
// br_if does: where a taken branch continues, its height and arity.

import type { Instr } from '../syntax/index.ts';
import type { CodeValidator } from './code.ts';
import { matches } from './matching.ts';
import type { TypeStack } from './stack.ts';
import { H_DEF, formatTypes, isRefCode, refCode, typeName } from './types.ts';

/** A reference type's non-null version: (ref null ht) → (ref ht). */
function nonNull(t: number): number {
  return t & ~1;
}

function popRef(v: CodeValidator, st: TypeStack, op: string): number {
  const rt = st.popRefType();
  if (rt < 0) {
    const found = st.sp > st.heights[st.depth - 1]! ? formatTypes([st.vals[st.sp - 1]!]) : '[]';
    v.fail(`type mismatch: ${op} needs a reference, found ${found}`);
  }
  return rt;
}

export function checkRefInstr(v: CodeValidator, st: TypeStack, ins: Instr, pc: number): void {
  const c = v.context;
  switch (ins.code) {
    case 0x14: {
      // call_ref $t: [t1* (ref null $t)] -> [t2*]
      const x = ins.index!;
      if (!(x >= 0 && x < c.typeParams.length)) v.fail(`unknown type ${x}`);
      st.popExpect(refCode(H_DEF + c.canon[x]!, true));
      st.popVals(c.typeParams[x]!);
      st.pushVals(c.typeResults[x]!);
      break;
    }
    case 0xd4: // ref.as_non_null: [(ref null ht)] -> [(ref ht)]
      st.push(nonNull(popRef(v, st, 'ref.as_non_null')));
      break;
    case 0xd5: {
      // br_on_null l: [t* (ref null ht)] -> [t* (ref ht)], branching with t* on null
      const f = v.label(ins.index!);
      const types = st.labelTypes(f);
      const rt = popRef(v, st, 'br_on_null');
      st.popVals(types);
      st.pushVals(types);
      v.branch(pc, f, types.length);
      st.push(nonNull(rt));
      break;
    }
    case 0xd6: {
      // br_on_non_null l: [t* (ref null ht)] -> [t*], branching with t* (ref ht) on non-null;
      // the label's last type must take the reference.
      const f = v.label(ins.index!);
      const types = st.labelTypes(f);
      const n = types.length;
      const last = n > 0 ? types[n - 1]! : -1;
      if (last < 0 || !isRefCode(last)) {
        v.fail(`type mismatch: br_on_non_null's label must take a reference last, takes ${formatTypes(types)}`);
      }
      const rt = popRef(v, st, 'br_on_non_null');
      if (!matches(nonNull(rt), last)) {
        v.fail(`type mismatch: br_on_non_null's label takes ${typeName(last)}, found ${typeName(nonNull(rt))}`);
      }
      const rest = types.subarray(0, n - 1);
      st.popVals(rest);
      st.pushVals(rest);
      v.branch(pc, f, n);
      break;
    }
  }
}
