// The wasmstep engine: a WebAssembly implementation in plain TypeScript, layered like
// the spec (https://webassembly.github.io/spec/core/). It has no DOM, UI or bundler
// dependencies and runs in Node >= 22.18 as-is. See docs/ARCHITECTURE.md for the layers.

// Errors, one class per phase, each with its location.
export { DecodeError, ParseError } from './errors.ts';
export { ValidationError } from './valid/error.ts';

// syntax: the module AST shared by both formats, and the instruction table.
export type * from './syntax/ast.ts';
export { emptyModule, SectionId } from './syntax/ast.ts';
export { OPS, opByCode, opByName, laterProposal } from './syntax/opcodes.ts';
export type { ImmKind, OpInfo } from './syntax/opcodes.ts';
export { OPS_3, opByCodeAny, proposalOfCode, PROPOSAL_NAMES } from './syntax/opcodes3.ts';
export type { ImmKind3, OpInfo3, ProposalId } from './syntax/opcodes3.ts';
export { refTypeParts } from './syntax/ast.ts';
export { detectFeatures, featureName, FEATURE_ORDER } from './syntax/features.ts';
export type { FeatureId, FeatureUse } from './syntax/features.ts';

// binary: .wasm ⇄ AST.
export { decodeModule } from './binary/decode.ts';
export { encodeModule, recordByteSpans } from './binary/encode.ts';
export type { SpansToRecord } from './binary/encode.ts';
export { encodeU32, encodeSigned, decodeUnsigned, decodeSigned, explain } from './binary/leb128.ts';
export type { Decoded, LebByte } from './binary/leb128.ts';
export { decodeFunctionBody, decodeModuleShell } from './binary/decode.ts';
export type { BodyRange, ModuleShell } from './binary/decode.ts';
export { decodeOutline, decodeOutlineFunction } from './binary/outline.ts';
export type { ModuleOutline, FunctionOutline, SectionOutline, CustomOutline, OutlineOptions } from './binary/outline.ts';
export { readProducers, readTargetFeatures } from './binary/custom-sections.ts';
export type { ProducerField, TargetFeature } from './binary/custom-sections.ts';

// text: .wat / .wast → AST.
export { parseWat } from './text/parser.ts';
export { parseWast, parseQuoted } from './text/wast.ts';
export type { Command, WastModule, WastValue, WastExpected, Action } from './text/wast.ts';

// valid: the validation algorithm, with side tables for the interpreter.
export { validateModule } from './valid/validate.ts';
export type { ValidatedModule, FuncInfo } from './valid/validate.ts';
export { validateBinary } from './valid/binary.ts';
export type { BinaryValidation } from './valid/binary.ts';

// exec: instantiation and the pausable interpreter; script: the .wast runner.
export {
  Trap, LinkError, TrapMessage, DEFAULT_LIMITS, limitsWith, MemoryInstance, PAGE_SIZE, TableInstance, GlobalInstance,
  Instance, WasmFunction, HostFunction, instantiate, startFunction, hostFunction, hostGlobal, hostMemory, hostTable,
  invoke, callFunction, callFunctionTyped, exportedFunction, Machine, HostError, frames, frameAt, frameCount,
  currentFrame, globalValues,
} from './exec/index.ts';
export type {
  ResourceLimits as ExecLimits, HostValue, TypedValue, FuncInstance, ExternValue, HostCallback, Imports, ImportValue,
  InstantiateOptions, InvokeOptions, Status, StepResult, MachineFrameView as MachineFrameView, LabelInfo,
} from './exec/index.ts';
export { runWast, spectest } from './script/run-wast.ts';
export type { WastReport, CommandResult } from './script/run-wast.ts';

// api: a facade shaped like the `WebAssembly` JavaScript API.
export { WasmStep, compileWat, instantiateWat, watToBinary } from './api/index.ts';

// trace: sessions with time travel, JSON snapshots and narration.
export * from './trace/index.ts';

// Input size limits of the decoder and the text parser (see docs/ARCHITECTURE.md, Robustness).
export { DEFAULT_MAX_MODULE_BYTES } from './binary/decode.ts';
export type { DecodeOptions } from './binary/decode.ts';
export { DEFAULT_MAX_TEXT_LENGTH } from './text/parser.ts';
export type { ParseOptions } from './text/parser.ts';
