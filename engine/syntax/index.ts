// The syntax layer's front door (https://webassembly.github.io/spec/core/syntax/index.html):
// the module AST both formats share, the one table of instruction facts and its views, and
// feature detection. Every other layer builds on it; it imports no other layer.

// The abstract syntax: modules, types, instructions (spans included).
export type * from './ast.ts';
export { SectionId, emptyModule, refTypeParts } from './ast.ts';

// Instruction facts (instructions.ts) and their 2.0 and 3.0 views.
export type { NarrationKind, StackSig } from './instructions.ts';
export { OPS, laterProposal, opByCode, opByName } from './opcodes.ts';
export type { ImmKind, OpInfo } from './opcodes.ts';
export { OPS_3, PROPOSAL_NAMES, opByCodeAny, opByName3, proposalOfCode } from './opcodes3.ts';
export type { ImmKind3, OpInfo3, ProposalId } from './opcodes3.ts';

// Which WebAssembly features (2.0 extensions, 3.0 proposals) a module uses.
export { FEATURE_ORDER, detectFeatures, featureName, featureOfInstr } from './features.ts';
export type { FeatureId, FeatureUse } from './features.ts';

// The nesting limit both formats share (the text parser's and the decoder's maxNesting).
export { DEFAULT_MAX_NESTING, nestingTooDeep } from './limits.ts';
export type { NestingOptions, Version, VersionOptions } from './limits.ts';
