// The Playground's example gallery: each program is a .wat file in ./examples/, with the
// call the stepper starts with and what that call does. `expect` is checked by
// tests/unit/playground-examples.test.ts on the engine, so the gallery's descriptions
// cannot drift from what the programs really do.

import hello from './examples/hello.wat?raw';
import factorial from './examples/factorial.wat?raw';
import fib from './examples/fib.wat?raw';
import strings from './examples/strings.wat?raw';
import loops from './examples/loops.wat?raw';
import brTable from './examples/br_table.wat?raw';
import callIndirect from './examples/call_indirect.wat?raw';
import memoryGrow from './examples/memory_grow.wat?raw';
import trap from './examples/trap.wat?raw';
import simd from './examples/simd.wat?raw';
import tailCall from './examples/tail_call.wat?raw';
import exceptions from './examples/exceptions.wat?raw';
import tryTable from './examples/try_table.wat?raw';

export type Expectation =
  /** The call returns these values (i64 as bigint); `log` is what env.log printed, one entry per call. */
  | { readonly results: readonly (number | bigint)[]; readonly log?: readonly string[] }
  /** The call traps with this message. */
  | { readonly trap: string };

export interface Example {
  /** Stable id, the file's name without .wat. */
  readonly id: string;
  readonly title: string;
  /** One sentence: what to watch. */
  readonly summary: string;
  readonly source: string;
  readonly invoke: string;
  /** Argument texts, as the stepper's argument boxes take them. */
  readonly args: readonly string[];
  readonly expect: Expectation;
}

export const EXAMPLES: readonly Example[] = [
  {
    id: 'hello',
    title: 'Hello, console',
    summary: 'An imported env.log prints to the Console view.',
    source: hello,
    invoke: 'hello',
    args: ['7'],
    expect: { results: [], log: ['42', '7', '14'] },
  },
  {
    id: 'factorial',
    title: 'Factorial (i64)',
    summary: 'Recursion in 64-bit integers.',
    source: factorial,
    invoke: 'fact',
    args: ['5'],
    expect: { results: [120n] },
  },
  {
    id: 'fib',
    title: 'Fibonacci',
    summary: 'Two recursive calls per call: watch the frames.',
    source: fib,
    invoke: 'fib',
    args: ['6'],
    expect: { results: [8] },
  },
  {
    id: 'strings',
    title: 'Strings in memory',
    summary: 'A data segment and a byte-by-byte strlen.',
    source: strings,
    invoke: 'strlen',
    args: ['16'],
    expect: { results: [19] },
  },
  {
    id: 'loops',
    title: 'Loops',
    summary: 'block, loop, br_if and br: the sum 1 + … + n.',
    source: loops,
    invoke: 'sum',
    args: ['10'],
    expect: { results: [55] },
  },
  {
    id: 'br_table',
    title: 'br_table',
    summary: 'A jump table: days in a month.',
    source: brTable,
    invoke: 'days',
    args: ['2'],
    expect: { results: [28] },
  },
  {
    id: 'call_indirect',
    title: 'call_indirect',
    summary: 'Functions in a table, called by index.',
    source: callIndirect,
    invoke: 'apply',
    args: ['2', '6', '7'],
    expect: { results: [42] },
  },
  {
    id: 'memory_grow',
    title: 'memory.grow',
    summary: 'Asking for more pages of linear memory.',
    source: memoryGrow,
    invoke: 'grow',
    args: ['2'],
    expect: { results: [3] },
  },
  {
    id: 'trap',
    title: 'A trap',
    summary: 'A load past the end of memory stops the machine.',
    source: trap,
    invoke: 'peek',
    args: ['65534'],
    expect: { trap: 'out of bounds memory access' },
  },
  {
    id: 'simd',
    title: 'SIMD dot product',
    summary: 'Four multiplications in one i32x4.mul.',
    source: simd,
    invoke: 'dot',
    args: ['0', '16'],
    expect: { results: [70] },
  },
  {
    id: 'tail_call',
    title: 'Tail calls',
    summary: 'A loop as recursion with return_call: the frame is replaced, never pushed.',
    source: tailCall,
    invoke: 'sum',
    args: ['5', '0'],
    expect: { results: [15] },
  },
  {
    id: 'exceptions',
    title: 'Exceptions',
    summary: 'throw and try_table inside wasm; with 0, a JS Error comes back in with the JS tag.',
    source: exceptions,
    invoke: 'collatz',
    args: ['6'],
    expect: { results: [8], log: ['6', '3', '10', '5', '16', '8', '4', '2', '1'] },
  },
  {
    id: 'try_table',
    title: 'Exceptions: throw and try_table',
    summary: 'A throw two calls down is caught by catch_ref, counted, thrown on with throw_ref and caught again: watch the Exceptions panel.',
    source: tryTable,
    invoke: 'safe_scale',
    args: ['20'],
    expect: { results: [-1] },
  },
];

/** The program a first visit starts with. */
export const FIRST_EXAMPLE: Example = EXAMPLES[0]!;

export function exampleById(id: string): Example | undefined {
  return EXAMPLES.find((e) => e.id === id);
}
