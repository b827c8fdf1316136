// The binary layer's front door (https://webassembly.github.io/spec/core/binary/index.html):
// .wasm bytes to the AST and back, the outline of a large module without decoding its
// instructions, and the custom sections and LEB128 numbers the views explain.

export { DecodeError } from './error.ts';
export { DEFAULT_MAX_MODULE_BYTES, decodeFunctionBody, decodeModule, decodeModuleShell } from './decode.ts';
export type { BodyRange, DecodeOptions, ModuleShell } from './decode.ts';
// encodeModule only reads its module; recordByteSpans is the step that writes byte spans.
export { encodeModule, recordByteSpans } from './encode.ts';
export type { SpansToRecord } from './encode.ts';
export { decodeOutline, decodeOutlineFunction } from './outline.ts';
export type { CustomOutline, FunctionOutline, ModuleOutline, OutlineOptions, SectionOutline } from './outline.ts';
export { readProducers, readTargetFeatures } from './custom-sections.ts';
export type { ProducerField, TargetFeature } from './custom-sections.ts';
export { decodeSigned, decodeUnsigned, encodeSigned, encodeU32, explain } from './leb128.ts';
export type { Decoded, LebByte } from './leb128.ts';
// The byte reader, for validateBinary's in-place checks.
export { Reader } from './reader.ts';
