// The wasmstep engine: a WebAssembly implementation in plain TypeScript, layered like
// the spec (https://webassembly.github.io/spec/core/). It has no DOM, UI or bundler
// dependencies and runs in Node >= 22.18 as-is. Layers arrive one at a time; today the
// binary layer's LEB128 integers and the typed errors are here.

export { DecodeError, ParseError } from './errors.ts';
export { encodeU32, encodeSigned, decodeUnsigned, decodeSigned, explain } from './binary/leb128.ts';
export type { Decoded, LebByte } from './binary/leb128.ts';
