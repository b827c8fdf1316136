// The wasmstep engine: a WebAssembly implementation in plain TypeScript, layered like
// the spec (https://webassembly.github.io/spec/core/). It has no DOM, UI or bundler
// dependencies and runs in Node >= 22.18 as-is. See docs/ARCHITECTURE.md for the layers.
//
// This is the engine's one front door for code outside engine/: the union of the layers'
// own front doors (engine/<layer>/index.ts). A bundle that needs only one layer may import
// that layer's index.ts instead; nothing outside engine/ imports a file behind a door.

export * from './syntax/index.ts';
export * from './text/index.ts';
export * from './binary/index.ts';
export * from './valid/index.ts';
export * from './exec/index.ts';
export * from './script/index.ts';
export * from './trace/index.ts';

// api: the facade shaped like `WebAssembly`. Its classes carry the JS API's names
// (Instance, Memory, LinkError, …), which the exec layer uses for the store's own objects,
// so this door names the namespace and what goes with it; engine/api/index.ts has the rest.
export { WasmStep, compileWat, instantiateWat, watToBinary } from './api/index.ts';
