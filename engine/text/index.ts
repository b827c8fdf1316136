// The text layer's front door (https://webassembly.github.io/spec/core/text/index.html):
// .wat and .wast scripts to the AST with line:column spans, and the AST back to text.

export { ParseError } from './error.ts';
export { DEFAULT_MAX_TEXT_LENGTH, parseWat } from './parser.ts';
export type { ParseOptions, TextOptions } from './parser.ts';
export { parseQuoted, parseWast } from './wast.ts';
export type { Action, Command, WastExpected, WastModule, WastValue } from './wast.ts';

// The disassembler, and the exact float text it and the views print.
export { printModule, printModuleChunks } from './print.ts';
export { formatF32, formatF64 } from './format.ts';
