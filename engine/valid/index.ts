// The validation layer's front door (https://webassembly.github.io/spec/core/valid/index.html):
// validateModule on the AST (with the branch side table the interpreter compiles from) and
// validateBinary, the same verdict from the bytes without building instructions
// (validateBinaryInPlace: its in-place check alone, which may not decide).

export { ValidationError } from './error.ts';
export { validateModule } from './validate.ts';
export type { FuncInfo, ValidatedModule } from './validate.ts';
export { validateBinary, validateBinaryInPlace } from './binary.ts';
export type { BinaryValidation } from './binary.ts';
// The validator's view of the instruction table, for the table's own tests.
export { validationSig } from './signatures.ts';
export { typeName } from './types.ts';
// The reference type system (engine/valid/types.ts), for linking and the runtime: type
// codes, canonical ids of defined types, and subtyping.
export { canonicalIds, funcTypeCanonicalId } from './canon.ts';
export { matches } from './matching.ts';
export { typeCode } from './types.ts';
