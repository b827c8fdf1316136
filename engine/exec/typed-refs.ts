// The pre-decoder's part for typed function references
// (https://webassembly.github.io/spec/core/exec/instructions.html#reference-instructions
// and #control-instructions): call_ref, ref.as_non_null, br_on_null, br_on_non_null, on
// their own internal opcodes (engine/exec/layout.ts, 0x2A0..0x2BF), so the 2.0 opcodes'
// cases in the dispatch loop stay as they were.
//
// br_on_null and br_on_non_null always carry BR_ADJ's side-table entry [target height
// carry refs]: taken, they move the carried values down as br does.
// - br_on_null: the entry is computed with the reference already popped (a null is
//   dropped when the branch is taken); not taken, the reference stays.
// - br_on_non_null: the entry is computed with the reference on the stack (it is the
//   last value the label takes); not taken, the null is dropped.

import type { Instr } from '../syntax/index.ts';
import type { Compiler } from './compile.ts';
import { OPC } from './layout.ts';

/** (ref null ht) → (ref ht), for the types the pre-decoder tracks. */
function nonNull(t: string): string {
  if (t === 'funcref') return '(ref func)';
  if (t === 'externref') return '(ref extern)';
  if (t === 'nullfuncref') return '(ref nofunc)';
  if (t === 'nullexternref') return '(ref noextern)';
  return t.startsWith('(ref null ') ? `(ref ${t.slice(10)}` : t;
}

export function compileRefInstr(c: Compiler, ins: Instr): void {
  const code = c.code;
  switch (ins.code) {
    case 0x14: { // call_ref [type]
      const t = ins.index === undefined ? undefined : c.mt.types[ins.index];
      if (t === undefined) c.invalid(`unknown type ${ins.index}`);
      c.pop();
      c.popN(t.params.length);
      c.pushAll(t.results);
      code.push(OPC.CALL_REF, ins.index!);
      return;
    }
    case 0xd4: { // ref.as_non_null
      const t = c.pop();
      c.push(t === 'unknown' ? '(ref func)' : (nonNull(t) as typeof t));
      code.push(OPC.REF_AS_NON_NULL);
      return;
    }
    case 0xd5: { // br_on_null [target height carry refs]
      const t = c.pop();
      code.push(OPC.BR_ON_NULL);
      c.branchEntry(c.label(ins.index));
      c.push(t === 'unknown' ? '(ref func)' : (nonNull(t) as typeof t));
      return;
    }
    case 0xd6: { // br_on_non_null [target height carry refs]
      code.push(OPC.BR_ON_NON_NULL);
      c.branchEntry(c.label(ins.index));
      c.pop();
      return;
    }
  }
}
