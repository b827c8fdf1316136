// The documented ways our text → binary encoding may differ from wabt's wat2wasm, shared
// by the spec-suite comparison (tests/spec/text-encoding.test.ts) and the generated-module
// fuzzer (tests/fuzz/watgen.ts). Each is still a correct encoding of the same module; each
// rewrites our AST the way wabt writes it, after which the bytes must be identical.
import { type Instr, type Module, opByName } from '../../engine/index.ts';

/**
 * Encodings where wabt and we legitimately differ. Each rewrites our AST the way wabt
 * writes the same module; the result must then match wabt byte for byte.
 */
export const ALLOWED: Record<string, { reason: string; rewrite(module: Module): boolean }> = {
  'empty else': {
    reason:
      'An `else` with an empty branch may be omitted in the binary (spec 5.4.1). We keep it because the learner wrote it and the stepper shows it; wabt drops it.',
    rewrite: (module) => rewriteBodies(module, (body) => dropEmptyElse(body)),
  },
  'short block type': {
    reason:
      'A block type `(type n)` whose function type is [] → [] or [] → [t] may be encoded by index or in the short form; both denote the same type. We keep the index the text gave; wabt shortens it.',
    rewrite: (module) =>
      rewriteBodies(module, (body) => {
        let changed = false;
        for (const instr of body) {
          const bt = instr.blockType;
          if (bt?.kind !== 'index') continue;
          const type = module.types[bt.index]?.type;
          if (!type || type.params.length > 0 || type.results.length > 1) continue;
          const result = type.results[0];
          instr.blockType = result === undefined ? { kind: 'empty' } : { kind: 'value', type: result };
          changed = true;
        }
        return changed;
      }),
  },
  'typed select without types': {
    reason:
      '`select (result)` with an empty result list is the typed select opcode 0x1c with zero types in the text; wabt writes the untyped 0x1b. The validator rejects both the same way.',
    rewrite: (module) =>
      rewriteBodies(module, (body) => {
        let changed = false;
        body.forEach((instr, i) => {
          if (instr.op === 'select' && instr.types && instr.types.length === 0) {
            body[i] = { op: 'select', code: opByName('select')!.code, span: instr.span };
            changed = true;
          }
        });
        return changed;
      }),
  },
  'data count without data': {
    reason:
      'A module using memory.init or data.drop needs a data count section (spec 5.5.16); we write it even when the count is 0, wabt omits it then (making such modules undecodable).',
    rewrite: (module) => {
      if (module.dataCount === undefined || module.datas.length > 0) return false;
      module.dataCount = undefined;
      return true;
    },
  },
};

function rewriteBodies(module: Module, rewrite: (body: Instr[]) => boolean): boolean {
  let changed = false;
  for (const func of module.funcs) changed = rewrite(func.body) || changed;
  return changed;
}

function dropEmptyElse(body: Instr[]): boolean {
  let changed = false;
  for (let i = body.length - 2; i >= 0; i--) {
    if (body[i]!.op === 'else' && body[i + 1]!.op === 'end') {
      body.splice(i, 1);
      changed = true;
    }
  }
  return changed;
}
