// The script layer's front door: runWast runs .wast scripts (modules, actions, assertions)
// as the spec's reference interpreter does
// (https://github.com/WebAssembly/spec/blob/main/interpreter/README.md#scripts), with the
// `spectest` host module the official test suite imports.

export { runWast, spectest } from './run-wast.ts';
export type { CommandResult, WastReport } from './run-wast.ts';
