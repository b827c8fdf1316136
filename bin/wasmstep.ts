// `wasmstep`: the engine's command-line tool. Assembles .wat to .wasm, disassembles .wasm
// to .wat and reports what a .wasm file contains, with the engine's own parser, encoder,
// decoder and printer (text format: https://webassembly.github.io/spec/core/text/,
// binary format: https://webassembly.github.io/spec/core/binary/).
// Run it through the launcher `bin/wasmstep`, or as `node bin/wasmstep.ts` with Node ≥ 22.18.
//
// Exit status: 0 on success, 1 when the input is not a valid module (the message says
// where: `file:line:col:` in text, `file:@0x…:` in a binary), 2 for bad usage or a file
// that cannot be read or written.

import { closeSync, openSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DecodeError, decodeModule, encodeModule } from '../engine/binary/index.ts';
import { ParseError, parseWat, printModuleChunks } from '../engine/text/index.ts';
import type { Module, Version } from '../engine/syntax/index.ts';
import { runWast } from '../engine/script/index.ts';
import { validateModule } from '../engine/valid/index.ts';
import { formatReport, inspectModule, type Report } from './inspect.ts';
import { CliFailure, locatedFailure, runCommand, validateCommand } from './run.ts';

const USAGE = `wasmstep — WebAssembly tools built on the wasmstep engine

Usage:
  wasmstep wat2wasm <in.wat> [-o <out.wasm>]   assemble text to binary
                                             (default output: <in>.wasm beside the input)
  wasmstep wasm2wat <in.wasm> [-o <out.wat>]   disassemble binary to text (default: stdout)
           [--offsets]                         start each line with its byte offset
  wasmstep inspect <in.wasm> [--json]          sections, counts, imports, exports, custom
                                             sections and the features the module uses
  wasmstep validate <in.wat|in.wasm>           check a module; says where it is invalid
  wasmstep run <in.wat|in.wasm> --invoke <name> [args…]
           [--trace] [--budget <n>]            call an export and print its results;
                                             --trace prints every executed instruction
                                             (function, offset, instruction, stack after).
                                             Function imports become stubs that print calls.
  wasmstep spec <file.wast|dir>… [--json <out.json>] [--version 2.0|3.0]
                                             run spec test scripts; one line per file,
                                             then "N passed, M failed" (commands);
                                             --version 2.0 keeps 2.0's rules (default 3.0)
  wasmstep --help                              this text

Exit status: 0 success, 1 invalid input (file:line:col or file:@0xoffset), 2 usage or I/O error.
`;

/** A failure that ends the run with a message and an exit status. */
class Exit extends Error {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}

function usageError(message: string): Exit {
  return new Exit(`wasmstep: ${message}\nRun 'wasmstep --help' for usage.`, 2);
}

function readInput(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    throw new Exit(`wasmstep: cannot read ${file}: ${why}`, 2);
  }
}

function writeOutput(file: string, data: string | Uint8Array): void {
  try {
    writeFileSync(file, data);
  } catch (error) {
    throw new Exit(`wasmstep: cannot write ${file}: ${(error as Error).message}`, 2);
  }
}

/** Engine errors as `file:line:col: message` or `file:@0x…: message`. */
function located(file: string, error: unknown): Exit {
  if (error instanceof ParseError) return new Exit(`${file}:${error.line}:${error.column}: ${error.specMessage}`, 1);
  if (error instanceof DecodeError) return new Exit(`${file}:@0x${error.offset.toString(16)}: ${error.specMessage}`, 1);
  throw error;
}

function decode(file: string, bytes: Uint8Array): Module {
  try {
    return decodeModule(bytes);
  } catch (error) {
    throw located(file, error);
  }
}

function wat2wasm(input: string, output: string | undefined): void {
  const source = new TextDecoder('utf-8').decode(readInput(input));
  let bytes: Uint8Array;
  try {
    const module = parseWat(source);
    validateModule(module);
    bytes = encodeModule(module);
  } catch (error) {
    throw asExit(locatedFailure(input, error));
  }
  const parsed = path.parse(input);
  writeOutput(output ?? path.join(parsed.dir, `${parsed.name}.wasm`), bytes);
}

function wasm2wat(input: string, output: string | undefined, offsets: boolean): void {
  // Written chunk by chunk: the text of a large module can be hundreds of MB, more than
  // fits in one JavaScript string.
  const chunks = printModuleChunks(decode(input, readInput(input)), { offsets });
  if (output === undefined) {
    for (const chunk of chunks) process.stdout.write(chunk);
    return;
  }
  let fd: number | undefined;
  try {
    fd = openSync(output, 'w');
    for (const chunk of chunks) writeSync(fd, chunk);
  } catch (error) {
    throw new Exit(`wasmstep: cannot write ${output}: ${(error as Error).message}`, 2);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function asExit(failure: CliFailure): Exit {
  return new Exit(failure.message, failure.status);
}

/** Runs `body`, turning the run/validate helpers' failures into exits. */
function guarded(body: () => void): void {
  try {
    body();
  } catch (error) {
    if (error instanceof CliFailure) throw asExit(error);
    throw error;
  }
}

function wastFiles(inputs: string[]): string[] {
  return inputs.flatMap((input) => {
    let isDir: boolean;
    try {
      isDir = statSync(input).isDirectory();
    } catch {
      throw new Exit(`wasmstep: cannot read ${input}: no such file or directory`, 2);
    }
    if (!isDir) return [input];
    return readdirSync(input)
      .filter((name) => name.endsWith('.wast'))
      .sort()
      .map((name) => path.join(input, name));
  });
}

function spec(inputs: string[], json: string | undefined, version: Version): void {
  let passed = 0;
  let failed = 0;
  const perFile: { file: string; passed: number; failed: number; results: unknown[] }[] = [];
  for (const file of wastFiles(inputs)) {
    const report = runWast(new TextDecoder('utf-8').decode(readInput(file)), { version });
    passed += report.passed;
    failed += report.failed;
    perFile.push({ file, passed: report.passed, failed: report.failed, results: [...report.results] });
    process.stdout.write(`${file}: ${report.passed} passed, ${report.failed} failed\n`);
    for (const r of report.results.filter((x) => !x.passed).slice(0, 20)) {
      process.stdout.write(`  ${file}:${r.line}: ${r.type}: ${r.reason ?? 'failed'}\n`);
    }
  }
  if (json !== undefined) writeOutput(json, `${JSON.stringify({ passed, failed, files: perFile }, null, 2)}\n`);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  if (failed > 0) throw new Exit('', 1);
}

function inspect(input: string, json: boolean): void {
  const bytes = readInput(input);
  let report: Report;
  try {
    report = inspectModule(input, bytes);
  } catch (error) {
    throw located(input, error);
  }
  process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
}

const OPTIONS = {
  output: { type: 'string', short: 'o' },
  json: { type: 'boolean' },
  invoke: { type: 'string' },
  trace: { type: 'boolean' },
  budget: { type: 'string' },
  offsets: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

// `spec --json <file>` names an output file; `inspect --json` is a switch.
const SPEC_OPTIONS = { ...OPTIONS, json: { type: 'string' }, version: { type: 'string' } } as const;

function parse(argv: string[]) {
  try {
    if (argv[0] === 'spec') {
      const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: SPEC_OPTIONS });
      const { json, version, ...rest } = values;
      return { values: { ...rest, json: json !== undefined, jsonFile: json, specVersion: version }, positionals };
    }
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
    return { values: { ...values, jsonFile: undefined as string | undefined, specVersion: undefined as string | undefined }, positionals };
  } catch (error) {
    throw usageError((error as Error).message);
  }
}

/** Runs one command; throws Exit on failure. */
export function main(argv: string[]): void {
  const { values, positionals } = parse(argv);
  const [command, ...files] = positionals;
  if (values.help === true || command === undefined || command === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  const commands = ['wat2wasm', 'wasm2wat', 'inspect', 'validate', 'run', 'spec'];
  if (!commands.includes(command)) throw usageError(`unknown command '${command}' (expected ${commands.join(', ')})`);
  const allowed: Record<string, string[]> = {
    wat2wasm: ['output'],
    wasm2wat: ['output', 'offsets'],
    inspect: ['json'],
    validate: [],
    run: ['invoke', 'trace', 'budget'],
    spec: ['json'],
  };
  for (const [option, value] of Object.entries(values)) {
    if (value === undefined || option === 'jsonFile' || option === 'specVersion' || (option === 'json' && value === false)) continue;
    if (!allowed[command]?.includes(option)) throw usageError(`${command} does not take --${option}`);
  }
  if (command === 'spec') {
    if (files.length === 0) throw usageError('spec takes one or more .wast files or folders');
    const version = values.specVersion ?? '3.0';
    if (version !== '2.0' && version !== '3.0') throw usageError(`--version takes 2.0 or 3.0, not '${version}'`);
    spec(files, values.jsonFile, version);
    return;
  }
  if (command === 'run') {
    const [input, ...args] = files;
    if (input === undefined || values.invoke === undefined) throw usageError('usage: wasmstep run <file> --invoke <name> [args…]');
    const budget = values.budget === undefined ? Infinity : Number(values.budget);
    if (!(budget > 0)) throw usageError(`--budget must be a positive number, got ${values.budget}`);
    guarded(() =>
      runCommand(input, readInput(input), { invoke: values.invoke!, args, trace: values.trace === true, budget }, (line) =>
        process.stdout.write(`${line}\n`),
      ),
    );
    return;
  }
  if (files.length !== 1) throw usageError(`${command} takes exactly one input file, got ${files.length}`);
  const input = files[0] as string;
  if (command === 'wat2wasm') wat2wasm(input, values.output);
  else if (command === 'wasm2wat') wasm2wat(input, values.output, values.offsets === true);
  else if (command === 'validate') guarded(() => process.stdout.write(validateCommand(input, readInput(input))));
  else inspect(input, values.json === true);
}

const entry = process.argv[1];
if (entry !== undefined && realpathSync(entry) === import.meta.filename) {
  // `wasmstep wasm2wat x.wasm | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  try {
    main(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof Exit)) throw error;
    if (error.message !== '') process.stderr.write(`${error.message}\n`);
    // exitCode rather than exit(): let a large stdout write drain first.
    process.exitCode = error.status;
  }
}
