// Plain English for learners: `narrate` says what an instruction just did with its actual
// values ("i32.add popped 2 and 3 and pushed 5"; "br_if 1: the condition was 0, so no
// branch"; "i32.store wrote 4 bytes 2a 00 00 00 at address 1024"), and `describe` gives a
// one-line description of any instruction for hover help. Both cover every WebAssembly
// 2.0 opcode of engine/syntax/opcodes.ts (a test checks that); which sentence an
// instruction gets is its narration kind in the instruction table
// (engine/syntax/instructions.ts). The wording follows the spec's execution rules
// (https://webassembly.github.io/spec/core/exec/instructions.html).

import { type NarrationKind, opByName, opByName3 } from '../syntax/index.ts';
import type { LastStep } from './snapshot.ts';
import { hexBytes, v128Text, type V128Shape, type ValueView } from './value-views.ts';

export type { NarrationKind } from '../syntax/index.ts';

const SHAPES = /^(i8x16|i16x8|i32x4|i64x2|f32x4|f64x2)\./;

function nameOf(op: string): string {
  const dot = op.indexOf('.');
  return dot < 0 ? op : op.slice(dot + 1);
}

/** The narration kind of an instruction mnemonic (from the instruction table), or undefined when the engine does not run it. */
export function narrationKind(op: string): NarrationKind | undefined {
  return opByName(op)?.narration ?? opByName3(op)?.narration;
}

/** "$overflow with i32 7" */
function thrownText(e: NonNullable<LastStep['exception']>): string {
  const t = e.values.map((v) => `${v.type} ${v.text}`);
  if (t.length === 0) return e.tag.name;
  return `${e.tag.name} with ${t.length === 1 ? t[0] : `${t.slice(0, -1).join(', ')} and ${t[t.length - 1]}`}`;
}

function lineOf(l: { text: { line: number } | null; instrIndex: number }): string {
  return l.text === null ? `instruction ${l.instrIndex}` : `line ${l.text.line}`;
}

/** Where the exception went: the frames it left, and the clause that caught it (or none). */
function unwindText(s: Omit<LastStep, 'text'>): string {
  const e = s.exception!;
  const parts: string[] = [];
  for (const f of e.framesPopped) parts.push(`no handler in ${f.funcName ?? `function ${f.funcIndex}`}`);
  const c = e.caught;
  if (c === null) {
    parts.push('no handler caught it, so it leaves the call as an uncaught exception');
    return parts.join('; ');
  }
  const clause = c.clause;
  const what = clause.tag === null ? clause.kind : `${clause.kind} ${clause.tag.name}`;
  const where = `${c.handlerKind} in ${c.funcName ?? `function ${c.funcIndex}`} at ${lineOf(c.at)}`;
  const pushes = s.pushed.length === 0 ? 'pushes nothing' : `pushes ${list(s.pushed, s.op)}`;
  const then = c.handlerKind === 'try'
    ? `runs its handler at ${lineOf(c.to)}`
    : `branches to label ${clause.label} (${lineOf(c.to)})`;
  parts.push(`caught by ${what} of the ${where}, which ${pushes} and ${then}`);
  return parts.join('; ');
}

function throwText(s: Omit<LastStep, 'text'>): string {
  const e = s.exception!;
  const head = e.fromHost ? `${s.op}: the host function threw ${thrownText(e)}`
    : s.op === 'throw' ? `throw ${thrownText(e)}`
    : s.op === 'rethrow' ? `rethrow ${thrownText(e)} (the exception its catch caught)`
    : s.op === 'throw_ref' ? `throw_ref threw the exception ${thrownText(e)} again`
    : `${s.op} threw ${thrownText(e)}`;
  return `${head}: ${unwindText(s)}`;
}

// ------------------------------------------------------------------ narration

function shapeOf(op: string): V128Shape {
  const m = SHAPES.exec(op);
  return m === null ? 'i32x4' : (m[1] as V128Shape);
}

/** A value as a sentence shows it (v128s in the instruction's lane shape). */
function show(v: ValueView | null | undefined, op = ''): string {
  if (v === null || v === undefined) return '?';
  if (v.type === 'v128') return v128Text(v, shapeOf(op));
  return v.text;
}

function list(vs: readonly (ValueView | null | undefined)[], op = ''): string {
  const t = vs.map((v) => show(v, op));
  if (t.length === 0) return 'nothing';
  if (t.length === 1) return t[0]!;
  return `${t.slice(0, -1).join(', ')} and ${t[t.length - 1]}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function variableName(x: { name: string | null; index: number; kind: string }): string {
  return x.name ?? `${x.kind} ${x.index}`;
}

const RELATION: Record<string, string> = { eq: '=', ne: '≠', lt: '<', gt: '>', le: '≤', ge: '≥' };

function labelText(l: LastStep['branch'] extends infer B ? (B extends { label: infer L } ? L : never) : never): string {
  if (l === null) return 'the label';
  const name = l.name === null ? '' : ` ${l.name}`;
  return l.kind === 'func' ? 'the function' : `${l.kind === 'else' ? 'if' : l.kind}${name}`;
}

function where(s: Omit<LastStep, 'text'>): string {
  const b = s.branch;
  if (b === null || b.label === null) return 'to its label';
  const l = b.label;
  if (l.kind === 'func') return 'out of the function (a return)';
  if (l.kind === 'loop') return `back to the start of ${labelText(l)}`;
  return `to the end of ${labelText(l)}`;
}

function carrying(s: Omit<LastStep, 'text'>): string {
  const moved = s.return !== null ? s.return.values : s.pushed;
  return moved.length === 0 ? '' : `, carrying ${list(moved, s.op)}`;
}

function returnText(s: Omit<LastStep, 'text'>, verb: string): string {
  const r = s.return;
  if (r === null) return `${verb}`;
  const from = r.fromFuncName ?? `function ${r.fromFuncIndex}`;
  const values = r.values.length === 0 ? 'no values' : list(r.values, s.op);
  if (r.toFrameId === null) return `${verb} ${values} from ${from}: the call is done`;
  return `${verb} ${values} from ${from} to ${r.toFuncName ?? `function ${r.toFuncIndex}`}`;
}

function access(s: Omit<LastStep, 'text'>, which: 'memoryReads' | 'memoryWrites'): string {
  const a = s[which][0];
  if (a === undefined) return '';
  const bytes = a.length === 0 ? '' : ` ${hexBytes(a.bytes as number[])}${a.truncated ? ' …' : ''}`;
  // With several memories, one other than the first is named.
  return `${plural(a.length, 'byte')}${bytes} at address ${a.address}${a.memory > 0 ? ` of memory ${a.memory}` : ''}`;
}

function growText(s: Omit<LastStep, 'text'>, unit: string): string {
  const g = s.grow;
  if (g === null) return `${s.op} ran`;
  if (g.result === -1) return `${s.op} by ${plural(g.delta, unit)} failed, so it pushed -1 (the size stays ${plural(g.before, unit)})`;
  return `${s.op} by ${plural(g.delta, unit)}: grew from ${g.before} to ${plural(g.after, unit)} and pushed the old size ${g.before}`;
}

/** One sentence saying what the step did, with its values. */
export function narrate(s: Omit<LastStep, 'text'>): string {
  const op = s.op;
  const kind = narrationKind(op);
  if (kind === undefined) throw new Error(`no narration for ${op}`);
  if (s.exception !== null) return throwText(s);
  if (s.trap !== null) return `${op} trapped: ${s.trap.message}`;
  const popped = s.popped;
  const pushed = s.pushed;
  switch (kind) {
    case 'unreachable':
      return 'unreachable: this always traps';
    case 'nop':
      return 'nop did nothing';
    case 'block':
    case 'loop': {
      const l = s.branch?.label ?? null;
      const name = l?.name === null || l === null ? '' : ` ${l.name}`;
      return kind === 'block'
        ? `block${name}: entered the block; a br to it jumps to its end`
        : `loop${name}: entered the loop; a br to it jumps back to its start`;
    }
    case 'if': {
      const b = s.branch;
      const c = show(b?.condition);
      if (b?.taken === true) return `if: the condition was ${c}, so the then branch runs`;
      const to = b?.to === null || b?.to === undefined ? '' : b.to.op === 'end' ? ', so the if is skipped' : ', so the else branch runs';
      return `if: the condition was ${c}${to || ', so the then branch is skipped'}`;
    }
    case 'else':
      return 'else: the then branch is done, so execution jumps to the end of the if';
    case 'try_table':
    case 'try': {
      const l = s.branch?.label ?? null;
      const name = l?.name === null || l === null ? '' : ` ${l.name}`;
      return `${kind}${name}: entered the block; an exception thrown inside it is checked against its catch clauses`;
    }
    case 'catch':
    case 'catch_all':
      return `${op}: the try body finished without an exception, so execution skips the handlers to the end of the try`;
    case 'delegate':
      return `delegate: the try body finished without an exception, so it leaves the try (an exception would have gone on to label ${s.branch?.depth ?? 'l'})`;
    case 'throw':
    case 'throw_ref':
    case 'rethrow':
      return `${op} ran`;
    case 'end': {
      if (s.return !== null) return returnText(s, 'end of the function: returned');
      const l = s.branch?.label ?? null;
      return `end of ${labelText(l)}: left the ${l?.kind === 'loop' ? 'loop' : l?.kind === 'if' || l?.kind === 'else' ? 'if' : 'block'}`;
    }
    case 'br': {
      const n = s.branch?.depth ?? 0;
      if (s.return !== null) return `br ${n} ${returnText(s, 'returned')}`;
      return `br ${n} jumped ${where(s)}${carrying(s)}`;
    }
    case 'br_if': {
      const b = s.branch;
      const n = b?.depth ?? 0;
      if (b?.taken !== true) return `br_if ${n}: the condition was ${show(b?.condition)}, so no branch`;
      if (s.return !== null) return `br_if ${n}: the condition was ${show(b.condition)}, so it ${returnText(s, 'returned')}`;
      return `br_if ${n}: the condition was ${show(b.condition)}, so it jumped ${where(s)}${carrying(s)}`;
    }
    case 'br_table': {
      const b = s.branch;
      const i = show(b?.index);
      if (s.return !== null) return `br_table: the index was ${i}, so it took label ${b?.depth} and ${returnText(s, 'returned')}`;
      return `br_table: the index was ${i}, so it took label ${b?.depth} and jumped ${where(s)}${carrying(s)}`;
    }
    case 'return':
      return returnText(s, 'return: returned');
    case 'br_on_null':
    case 'br_on_non_null': {
      const b = s.branch;
      const n = b?.depth ?? 0;
      const was = op === 'br_on_null' ? 'null' : 'not null';
      if (b?.taken !== true) {
        return op === 'br_on_null'
          ? `br_on_null ${n}: the reference was not null, so no branch; it stays on the stack as a non-null reference`
          : `br_on_non_null ${n}: the reference was null, so no branch; the null was dropped`;
      }
      if (s.return !== null) return `${op} ${n}: the reference was ${was}, so it ${returnText(s, 'returned')}`;
      return `${op} ${n}: the reference was ${was}, so it jumped ${where(s)}${carrying(s)}`;
    }
    case 'ref.as_non_null':
      return `ref.as_non_null: ${show(popped[0])} is not null, so it pushed it back typed as a non-null reference`;
    case 'call_ref':
    case 'call':
    case 'call_indirect': {
      const c = s.call;
      if (c === null) return `${op} ran`;
      const name = c.funcName ?? (c.funcIndex === null ? 'a function' : `function ${c.funcIndex}`);
      const args = c.args.length === 0 ? 'no arguments' : list(c.args, op);
      const results = c.results === null || c.results.length === 0 ? 'nothing' : list(c.results, op);
      const host = c.host ? ` (a host function) and it returned ${results}` : ': a new frame starts';
      if (c.indirect) return `call_indirect: table element ${c.element} holds ${name}; called it with ${args}${host}`;
      if (op === 'call_ref') return `call_ref: the reference is to ${name}; called it with ${args}${host}`;
      return `call ${name} with ${args}${host}`;
    }
    case 'return_call':
    case 'return_call_indirect':
    case 'return_call_ref':
      return tailCallText(s);
    case 'drop':
      return `drop popped ${list(popped, op)} and discarded it`;
    case 'select': {
      const [a, b, c] = popped;
      const chose = pushed[0];
      const which = c?.type === 'i32' && c.signed !== 0 ? 'the first' : 'the second';
      return `select popped ${show(a)}, ${show(b)} and the condition ${show(c)}, and pushed ${show(chose)} (${which}, because the condition was ${c?.type === 'i32' && c.signed !== 0 ? 'not 0' : '0'})`;
    }
    case 'local.get':
    case 'global.get': {
      const x = s.read;
      return x === null ? `${op} pushed ${list(pushed, op)}` : `${op} ${variableName(x)} pushed its value ${show(x.after)}`;
    }
    case 'local.set':
    case 'global.set': {
      const x = s.variable;
      if (x === null) return `${op} popped ${list(popped, op)}`;
      return `${op} ${variableName(x)} popped ${show(x.after)} and stored it (it was ${show(x.before)})`;
    }
    case 'local.tee': {
      const x = s.variable;
      if (x === null) return `${op} kept the value on the stack`;
      return `local.tee ${variableName(x)} stored ${show(x.after)} (it was ${show(x.before)}) and left it on the stack`;
    }
    case 'table.get': {
      const t = s.table;
      return `table.get: element ${t?.start} of the table is ${show(t?.values[0])}; pushed it`;
    }
    case 'table.set': {
      const t = s.table;
      return `table.set: set element ${t?.start} of the table to ${show(t?.values[0])}`;
    }
    case 'table.size':
      return `table.size: the table has ${plural(s.size ?? 0, 'element')}; pushed ${s.size}`;
    case 'table.grow':
      return growText(s, 'element');
    case 'table.fill': {
      const t = s.table;
      return `table.fill set ${plural(t?.length ?? 0, 'element')} from index ${t?.start} to ${show(popped[1])}`;
    }
    case 'table.copy': {
      const t = s.table;
      return `table.copy copied ${plural(t?.length ?? 0, 'element')} from index ${show(popped[1])} to index ${t?.start}`;
    }
    case 'table.init': {
      const t = s.table;
      const seg = s.segment;
      return `table.init copied ${plural(t?.length ?? 0, 'element')} from element segment ${seg?.index} (from index ${seg?.offset}) to table index ${t?.start}`;
    }
    case 'elem.drop':
      return `elem.drop ${s.segment?.index}: element segment ${s.segment?.index} is now empty`;
    case 'memory.size':
      return `memory.size: the memory has ${plural(s.size ?? 0, 'page')} (${(s.size ?? 0) * 64} KiB); pushed ${s.size}`;
    case 'memory.grow':
      return growText(s, 'page');
    case 'memory.init': {
      const seg = s.segment;
      return `memory.init copied ${plural(seg?.length ?? 0, 'byte')} from data segment ${seg?.index} (from offset ${seg?.offset}) to address ${s.memoryWrites[0]?.address}`;
    }
    case 'data.drop':
      return `data.drop ${s.segment?.index}: data segment ${s.segment?.index} is now empty`;
    case 'memory.copy': {
      const r = s.memoryReads[0];
      const w = s.memoryWrites[0];
      return `memory.copy copied ${plural(w?.length ?? 0, 'byte')} from address ${r?.address} to address ${w?.address}`;
    }
    case 'memory.fill': {
      const w = s.memoryWrites[0];
      return `memory.fill set ${plural(w?.length ?? 0, 'byte')} at address ${w?.address} to ${show(popped[1])}`;
    }
    case 'ref.null':
      return `ref.null pushed a null ${pushed[0]?.type ?? 'reference'}`;
    case 'ref.is_null': {
      const r = pushed[0];
      const yes = r?.type === 'i32' && r.signed === 1;
      return `ref.is_null popped ${show(popped[0])} and pushed ${show(r)} (it is ${yes ? '' : 'not '}null)`;
    }
    case 'ref.func':
      return `ref.func pushed a reference to ${show(pushed[0])}`;
    case 'const':
      return `${op} pushed ${list(pushed, op)}`;
    case 'load':
      return `${op} read ${access(s, 'memoryReads')} and pushed ${list(pushed, op)}`;
    case 'store':
      return `${op} wrote ${access(s, 'memoryWrites')}`;
    case 'compare': {
      const [a, b] = popped;
      const r = pushed[0];
      const rel = RELATION[nameOf(op).slice(0, 2)] ?? '?';
      const sign = nameOf(op).endsWith('_u') ? ' (unsigned)' : nameOf(op).endsWith('_s') ? ' (signed)' : '';
      const truth = r?.type === 'i32' && r.signed === 1 ? 'true' : 'false';
      return `${op} popped ${show(a, op)} and ${show(b, op)} and pushed ${show(r)} (${show(a, op)} ${rel} ${show(b, op)}${sign} is ${truth})`;
    }
    case 'test': {
      const r = pushed[0];
      return `${op} popped ${show(popped[0])} and pushed ${show(r)} (it is ${r?.type === 'i32' && r.signed === 1 ? '' : 'not '}zero)`;
    }
    case 'numeric':
      if (popped.length === 0) return `${op} pushed ${list(pushed, op)}`;
      return `${op} popped ${list(popped, op)} and pushed ${list(pushed, op)}`;
  }
}

// ------------------------------------------------------------------ descriptions

const TYPE_WORD: Record<string, string> = { i32: 'i32', i64: 'i64', f32: 'f32', f64: 'f64' };

const CONTROL: Record<string, string> = {
  unreachable: 'Traps at once: marks code that must never run.',
  nop: 'Does nothing.',
  block: 'Starts a block; a branch to it jumps forward to its end.',
  loop: 'Starts a loop; a branch to it jumps back to its start.',
  if: 'Pops an i32 condition: runs the then branch when it is not 0, else the else branch (if any).',
  else: 'Ends the then branch of an if and starts its else branch.',
  end: 'Ends a block, loop, if or function.',
  br: 'Branches unconditionally to the label with the given index (0 is the innermost).',
  br_if: 'Pops an i32 condition and branches to the label when it is not 0.',
  br_table: 'Pops an index and branches to the label at that index in its list, or to the default label when out of range.',
  return: 'Returns from the current function with the values on top of the stack.',
  call: 'Calls a function: pops its arguments and, when it returns, pushes its results.',
  call_indirect: 'Pops a table index and calls the function stored there, checking its type (traps if it does not match).',
  return_call: "Tail call: pops the callee's arguments and calls it in place of the current function, whose frame the callee's replaces; its results are the current function's.",
  return_call_indirect: 'Tail call through a table: pops a table index and calls the function stored there (checking its type) in place of the current function, whose frame it replaces.',
  return_call_ref: 'Tail call through a reference: pops a function reference (traps if null) and calls it in place of the current function, whose frame it replaces.',
  drop: 'Pops a value and discards it.',
  select: 'Pops a condition and two values; pushes the first if the condition is not 0, else the second.',
  'local.get': 'Pushes the value of a local variable.',
  'local.set': 'Pops a value and stores it in a local variable.',
  'local.tee': 'Stores the top value in a local variable and leaves it on the stack.',
  'global.get': 'Pushes the value of a global variable.',
  'global.set': 'Pops a value and stores it in a mutable global variable.',
  'table.get': 'Pops an index and pushes the reference stored at it in a table.',
  'table.set': 'Pops a reference and an index and stores the reference in the table at that index.',
  'table.size': 'Pushes the number of elements in a table.',
  'table.grow': 'Pops a count and an initial reference; grows the table by that many elements and pushes the old size, or -1 on failure.',
  'table.fill': 'Pops a count, a reference and an index; sets that many table elements from the index to the reference.',
  'table.copy': 'Pops a count, a source and a destination index; copies that many elements between tables (overlap is fine).',
  'table.init': 'Pops a count, a source and a destination index; copies elements from a passive element segment into a table.',
  'elem.drop': 'Empties an element segment; later table.init from it traps unless the count is 0.',
  'memory.size': 'Pushes the memory size in 64 KiB pages.',
  'memory.grow': 'Pops a number of pages; grows the memory by that many and pushes the old size in pages, or -1 on failure.',
  'memory.init': 'Pops a count, a source offset and a destination address; copies bytes from a passive data segment into memory.',
  'data.drop': 'Empties a data segment; later memory.init from it traps unless the count is 0.',
  'memory.copy': 'Pops a count, a source and a destination address; copies that many bytes within memory (overlap is fine).',
  'memory.fill': 'Pops a count, a byte value and an address; sets that many bytes to the value.',
  'ref.null': 'Pushes a null reference of the given type.',
  'ref.is_null': 'Pops a reference and pushes 1 if it is null, else 0.',
  'ref.func': 'Pushes a reference to the given function.',
  throw: 'Pops the tag\'s values and throws an exception with them: execution goes to the innermost handler that catches the tag, leaving frames and blocks.',
  throw_ref: 'Pops an exnref and throws that exception again (traps on null).',
  try_table: 'Starts a block whose catch clauses handle exceptions thrown inside it: each branches to a label with the payload (and the exnref for _ref).',
  try: 'Starts a legacy try block: its catch and catch_all handlers run when an exception thrown inside matches.',
  catch: 'Starts a legacy handler for one tag: it runs with the exception\'s values on the stack.',
  catch_all: 'Starts a legacy handler for any exception.',
  delegate: 'Ends a legacy try: exceptions thrown inside go on to the handlers around the given label.',
  rethrow: 'Throws again the exception caught by the enclosing catch at the given label.',
  call_ref: 'Pops a function reference and calls the function it refers to with the arguments below it; traps on null.',
  'ref.as_non_null': 'Traps if the reference on top is null; otherwise leaves it, typed as non-null.',
  br_on_null: 'Pops a reference: branches to the label when it is null; otherwise pushes it back as non-null.',
  br_on_non_null: 'Branches to the label, carrying the reference, when it is not null; otherwise drops the null.',
};

const INT_OPS: Record<string, string> = {
  clz: 'pushes the number of leading zero bits',
  ctz: 'pushes the number of trailing zero bits',
  popcnt: 'pushes the number of 1 bits',
  add: 'pushes their sum, wrapping around on overflow',
  sub: 'pushes the lower minus the top, wrapping around on overflow',
  mul: 'pushes their product, wrapping around on overflow',
  div_s: 'pushes the lower divided by the top as signed integers, rounded toward zero (traps on division by zero and on overflow)',
  div_u: 'pushes the lower divided by the top as unsigned integers (traps on division by zero)',
  rem_s: 'pushes the signed remainder of the lower divided by the top, with the sign of the dividend (traps on division by zero)',
  rem_u: 'pushes the unsigned remainder of the lower divided by the top (traps on division by zero)',
  and: 'pushes their bitwise and',
  or: 'pushes their bitwise or',
  xor: 'pushes their bitwise exclusive or',
  shl: 'pushes the lower shifted left by the top (modulo the bit width)',
  shr_s: 'pushes the lower shifted right by the top, copying the sign bit (arithmetic shift)',
  shr_u: 'pushes the lower shifted right by the top, filling with zeros (logical shift)',
  rotl: 'pushes the lower rotated left by the top',
  rotr: 'pushes the lower rotated right by the top',
  eqz: 'pushes 1 if it is zero, else 0',
  eq: 'pushes 1 if they are equal, else 0',
  ne: 'pushes 1 if they differ, else 0',
  lt_s: 'pushes 1 if the lower is less than the top as signed integers, else 0',
  lt_u: 'pushes 1 if the lower is less than the top as unsigned integers, else 0',
  gt_s: 'pushes 1 if the lower is greater than the top as signed integers, else 0',
  gt_u: 'pushes 1 if the lower is greater than the top as unsigned integers, else 0',
  le_s: 'pushes 1 if the lower is less than or equal to the top as signed integers, else 0',
  le_u: 'pushes 1 if the lower is less than or equal to the top as unsigned integers, else 0',
  ge_s: 'pushes 1 if the lower is greater than or equal to the top as signed integers, else 0',
  ge_u: 'pushes 1 if the lower is greater than or equal to the top as unsigned integers, else 0',
  extend8_s: 'pushes its low 8 bits sign-extended to the full width',
  extend16_s: 'pushes its low 16 bits sign-extended to the full width',
  extend32_s: 'pushes its low 32 bits sign-extended to 64 bits',
  abs: 'pushes its absolute value, with wrapping (the minimum stays negative)',
  neg: 'pushes its negation, with wrapping',
};

const FLOAT_OPS: Record<string, string> = {
  abs: 'pushes its absolute value (the sign bit cleared)',
  neg: 'pushes it negated (the sign bit flipped)',
  ceil: 'pushes it rounded up to an integer',
  floor: 'pushes it rounded down to an integer',
  trunc: 'pushes it rounded toward zero to an integer',
  nearest: 'pushes it rounded to the nearest integer, ties to even',
  sqrt: 'pushes its square root',
  add: 'pushes their sum (IEEE 754, rounded to nearest)',
  sub: 'pushes the lower minus the top',
  mul: 'pushes their product',
  div: 'pushes the lower divided by the top',
  min: 'pushes the smaller (NaN if either is NaN; -0 is less than +0)',
  max: 'pushes the larger (NaN if either is NaN; +0 is greater than -0)',
  copysign: 'pushes the magnitude of the lower with the sign of the top',
  eq: 'pushes 1 if they are equal, else 0 (NaN equals nothing)',
  ne: 'pushes 1 if they are not equal, else 0',
  lt: 'pushes 1 if the lower is less than the top, else 0',
  gt: 'pushes 1 if the lower is greater than the top, else 0',
  le: 'pushes 1 if the lower is less than or equal to the top, else 0',
  ge: 'pushes 1 if the lower is greater than or equal to the top, else 0',
};

const UNARY = /^(clz|ctz|popcnt|eqz|extend\d+_s|abs|neg|ceil|floor|trunc|nearest|sqrt)$/;

function conversion(t: string, name: string): string | undefined {
  let m = /^wrap_i64$/.exec(name);
  if (m !== null) return 'Keeps the low 32 bits of an i64 as an i32.';
  m = /^trunc_(sat_)?(f32|f64)_([su])$/.exec(name);
  if (m !== null) {
    const sat = m[1] !== undefined;
    return `Converts an ${m[2]} to a${m[3] === 's' ? ' signed' : 'n unsigned'} ${t}, rounding toward zero${sat ? '; out-of-range values saturate and NaN becomes 0' : ' (traps on NaN or when out of range)'}.`;
  }
  m = /^extend_i32_([su])$/.exec(name);
  if (m !== null) return `Extends an i32 to an i64, ${m[1] === 's' ? 'copying the sign bit' : 'filling with zeros'}.`;
  m = /^convert_(i32|i64)_([su])$/.exec(name);
  if (m !== null) return `Converts a${m[2] === 's' ? ' signed' : 'n unsigned'} ${m[1]} to the nearest ${t}.`;
  if (name === 'demote_f64') return 'Rounds an f64 to the nearest f32.';
  if (name === 'promote_f32') return 'Converts an f32 to the f64 with the same value.';
  m = /^reinterpret_(i32|i64|f32|f64)$/.exec(name);
  if (m !== null) return `Reads the bits of an ${m[1]} as an ${t}, unchanged.`;
  return undefined;
}

const SHAPE_INFO: Record<string, { lanes: number; lane: string }> = {
  i8x16: { lanes: 16, lane: '8-bit integer' },
  i16x8: { lanes: 8, lane: '16-bit integer' },
  i32x4: { lanes: 4, lane: '32-bit integer' },
  i64x2: { lanes: 2, lane: '64-bit integer' },
  f32x4: { lanes: 4, lane: 'f32' },
  f64x2: { lanes: 2, lane: 'f64' },
};

function vectorOp(shape: string, name: string): string | undefined {
  const s = SHAPE_INFO[shape]!;
  const lanes = `${s.lanes} ${s.lane} lanes`;
  const half = (x: string): string => (x === 'low' ? 'lower' : 'upper');
  let m: RegExpExecArray | null;
  switch (name) {
    case 'splat': return `Pops a scalar and pushes a vector with it in all ${lanes}.`;
    case 'extract_lane': case 'extract_lane_s': case 'extract_lane_u':
      return `Pushes one of the ${lanes} of a vector as a scalar${name.endsWith('_s') ? ', sign-extended' : name.endsWith('_u') ? ', zero-extended' : ''}.`;
    case 'replace_lane': return `Pops a scalar and a vector; pushes the vector with one of its ${lanes} replaced.`;
    case 'shuffle': return 'Builds a vector from 16 bytes chosen by index from two vectors.';
    case 'swizzle': return 'Builds a vector by picking bytes of the first vector at the indices in the second (0 when out of range).';
    case 'all_true': return `Pushes 1 if all ${lanes} are non-zero, else 0.`;
    case 'bitmask': return `Pushes an i32 whose bit k is the sign bit of lane k (${lanes}).`;
    case 'avgr_u': return `Averages the unsigned ${lanes} of two vectors pairwise, rounding up.`;
    case 'q15mulr_sat_s': return 'Multiplies the Q15 fixed-point lanes pairwise, rounding and saturating.';
    case 'pmin': return `Pseudo-minimum of the ${lanes} pairwise: b < a ? b : a.`;
    case 'pmax': return `Pseudo-maximum of the ${lanes} pairwise: a < b ? b : a.`;
    case 'dot_i16x8_s': return 'Multiplies the signed 16-bit lanes pairwise and adds adjacent products into 4 32-bit lanes.';
    case 'demote_f64x2_zero': return 'Rounds the two f64 lanes to f32 into the lower lanes; the upper lanes become 0.';
    case 'promote_low_f32x4': return 'Converts the two lower f32 lanes to f64.';
  }
  if ((m = /^(add|sub)_sat_([su])$/.exec(name)) !== null) {
    return `${m[1] === 'add' ? 'Adds' : 'Subtracts'} the ${lanes} of two vectors pairwise as ${m[2] === 's' ? 'signed' : 'unsigned'} integers, saturating instead of wrapping.`;
  }
  if ((m = /^(min|max)_([su])$/.exec(name)) !== null) {
    return `Takes the ${m[1] === 'min' ? 'smaller' : 'larger'} of each pair of ${lanes} as ${m[2] === 's' ? 'signed' : 'unsigned'} integers.`;
  }
  if ((m = /^narrow_(i16x8|i32x4)_([su])$/.exec(name)) !== null) {
    return `Narrows the lanes of two ${m[1]} vectors into ${lanes}, saturating as ${m[2] === 's' ? 'signed' : 'unsigned'}.`;
  }
  if ((m = /^extend_(low|high)_(i8x16|i16x8|i32x4)_([su])$/.exec(name)) !== null) {
    return `Widens the ${half(m[1]!)} half of the ${m[2]} lanes into ${lanes}, ${m[3] === 's' ? 'sign' : 'zero'}-extending.`;
  }
  if ((m = /^extmul_(low|high)_(i8x16|i16x8|i32x4)_([su])$/.exec(name)) !== null) {
    return `Multiplies the ${half(m[1]!)} halves of two ${m[2]} vectors lane by lane into ${lanes} (${m[3] === 's' ? 'signed' : 'unsigned'}, no overflow).`;
  }
  if ((m = /^extadd_pairwise_(i8x16|i16x8)_([su])$/.exec(name)) !== null) {
    return `Adds adjacent pairs of ${m[1]} lanes into ${lanes} (${m[2] === 's' ? 'signed' : 'unsigned'}).`;
  }
  if ((m = /^trunc_sat_(f32x4|f64x2)_([su])(_zero)?$/.exec(name)) !== null) {
    return `Converts the ${m[1]} lanes to ${m[2] === 's' ? 'signed' : 'unsigned'} 32-bit integers, rounding toward zero and saturating${m[3] !== undefined ? '; the upper lanes become 0' : ''}.`;
  }
  if ((m = /^convert_(low_)?i32x4_([su])$/.exec(name)) !== null) {
    return `Converts the ${m[1] !== undefined ? 'two lower ' : ''}${m[2] === 's' ? 'signed' : 'unsigned'} 32-bit lanes to ${s.lane} lanes.`;
  }
  const base = shape.startsWith('f') ? FLOAT_OPS[name] : INT_OPS[name];
  if (base === undefined) return undefined;
  if (name === 'shl' || name === 'shr_s' || name === 'shr_u') {
    return `Shifts each of the ${lanes} of a vector by a scalar i32, ${name === 'shl' ? 'left' : name === 'shr_s' ? 'right, copying the sign bit' : 'right, filling with zeros'} (modulo the lane width).`;
  }
  if (base.startsWith('pushes 1 if')) {
    const cond = base.slice('pushes 1 if '.length).replace(/, else 0.*$/, '');
    return `Compares the ${lanes} of two vectors pairwise: a result lane is all ones if ${cond}, else 0.`;
  }
  return `Lane-wise over the ${lanes} of ${UNARY.test(name) ? 'a vector' : 'two vectors'}: ${base}.`;
}

function v128Op(name: string): string | undefined {
  const V: Record<string, string> = {
    const: 'Pushes a constant 128-bit vector.',
    not: 'Flips every bit of a vector.',
    and: 'Takes the bitwise and of two vectors.',
    andnot: 'Takes the bitwise and of the first vector with the complement of the second.',
    or: 'Takes the bitwise or of two vectors.',
    xor: 'Takes the bitwise exclusive or of two vectors.',
    bitselect: 'Takes bits from the first vector where the mask (third) has 1s, else from the second.',
    any_true: 'Pushes 1 if any bit of the vector is set, else 0.',
    load: 'Pops an address and pushes the 16 bytes there as a vector.',
    store: 'Pops a vector and an address and writes the vector\'s 16 bytes there.',
    load32_zero: 'Loads 32 bits into the lowest lane; the other lanes are 0.',
    load64_zero: 'Loads 64 bits into the lowest lane; the other lane is 0.',
  };
  if (V[name] !== undefined) return V[name];
  let m = /^load(8|16|32)x(8|4|2)_([su])$/.exec(name);
  if (m !== null) return `Loads ${m[2]} ${m[1]}-bit integers and widens each into a ${2 * Number(m[1])}-bit lane (${m[3] === 's' ? 'sign' : 'zero'}-extended).`;
  m = /^load(8|16|32|64)_splat$/.exec(name);
  if (m !== null) return `Loads one ${m[1]}-bit value and copies it into every lane.`;
  m = /^load(8|16|32|64)_lane$/.exec(name);
  if (m !== null) return `Pops a vector and an address; replaces one ${m[1]}-bit lane with the value loaded there.`;
  m = /^store(8|16|32|64)_lane$/.exec(name);
  if (m !== null) return `Pops a vector and an address; writes one ${m[1]}-bit lane of the vector there.`;
  return undefined;
}

function memoryOp(t: string, name: string): string | undefined {
  if (name === 'load') return `Pops an address and pushes the ${t} stored there (little-endian).`;
  if (name === 'store') return `Pops a ${t} and an address and writes the value there (little-endian).`;
  let m = /^load(8|16|32)_([su])$/.exec(name);
  if (m !== null) return `Pops an address, loads ${m[1]} bits there and pushes them as an ${t}, ${m[2] === 's' ? 'sign' : 'zero'}-extended.`;
  m = /^store(8|16|32)$/.exec(name);
  if (m !== null) return `Pops an ${t} and an address and writes its low ${m[1]} bits there.`;
  return undefined;
}

/** Relaxed SIMD (3.0), with the deterministic choice wasmstep makes (engine/exec/relaxed-simd.ts). */
const RELAXED: Record<string, string> = {
  relaxed_swizzle: 'Builds a vector by picking bytes of the first vector at the indices in the second; wasmstep gives 0 for an index of 16 or more, as swizzle.',
  relaxed_trunc_f32x4_s: 'Converts the f32x4 lanes to signed 32-bit integers, rounding toward zero; wasmstep saturates out-of-range values and turns NaN into 0.',
  relaxed_trunc_f32x4_u: 'Converts the f32x4 lanes to unsigned 32-bit integers, rounding toward zero; wasmstep saturates out-of-range values and turns NaN into 0.',
  relaxed_trunc_f64x2_s_zero: 'Converts the f64x2 lanes to signed 32-bit integers, rounding toward zero; wasmstep saturates, turns NaN into 0 and zeroes the upper lanes.',
  relaxed_trunc_f64x2_u_zero: 'Converts the f64x2 lanes to unsigned 32-bit integers, rounding toward zero; wasmstep saturates, turns NaN into 0 and zeroes the upper lanes.',
  relaxed_madd: 'Multiplies the lanes of the first two vectors and adds the third; wasmstep rounds after the multiply and after the add (not fused).',
  relaxed_nmadd: 'Multiplies the negated lanes of the first vector by the second and adds the third; wasmstep rounds after each step (not fused).',
  relaxed_laneselect: 'Takes bits from the first vector where the mask (third) has 1s, else from the second; wasmstep uses every mask bit, as bitselect.',
  relaxed_min: 'Takes the smaller of each pair of lanes; wasmstep behaves as min (NaN if either is NaN; -0 is less than +0).',
  relaxed_max: 'Takes the larger of each pair of lanes; wasmstep behaves as max (NaN if either is NaN; +0 is greater than -0).',
  relaxed_q15mulr_s: 'Multiplies the Q15 fixed-point lanes pairwise, rounding; wasmstep saturates as q15mulr_sat_s.',
  relaxed_dot_i8x16_i7x16_s: 'Multiplies the 8-bit lanes pairwise (signed) and adds adjacent products into 8 16-bit lanes, saturating.',
  relaxed_dot_i8x16_i7x16_add_s: 'Multiplies the 8-bit lanes pairwise (signed), sums each four adjacent products into 4 32-bit lanes and adds the third vector.',
};

/** A one-line description of an instruction, for hover help; undefined for unknown mnemonics. */
export function describe(op: string): string | undefined {
  if (CONTROL[op] !== undefined) return CONTROL[op];
  if (opByName3(op)?.proposal === 'relaxed-simd') return RELAXED[op.slice(op.indexOf('.') + 1)];
  if (opByName(op) === undefined) return undefined;
  const dot = op.indexOf('.');
  const prefix = op.slice(0, dot);
  const name = op.slice(dot + 1);
  if (prefix === 'v128') return v128Op(name);
  if (SHAPE_INFO[prefix] !== undefined) return vectorOp(prefix, name);
  const t = TYPE_WORD[prefix];
  if (t === undefined) return undefined;
  if (name === 'const') return `Pushes a constant ${t}.`;
  const mem = memoryOp(t, name);
  if (mem !== undefined) return mem;
  const conv = conversion(t, name);
  if (conv !== undefined) return conv;
  const d = t.startsWith('f') ? FLOAT_OPS[name] : INT_OPS[name];
  if (d === undefined) return undefined;
  return UNARY.test(name) ? `Pops an ${t} and ${d}.` : `Pops two ${t} values and ${d}.`;
}

/** return_call, return_call_indirect: the callee's frame replaces the caller's (or a host callee's results return at once). */
function tailCallText(s: Omit<LastStep, 'text'>): string {
  const c = s.call;
  if (c === null) return `${s.op} ran`;
  const name = c.funcName ?? (c.funcIndex === null ? 'a function' : `function ${c.funcIndex}`);
  const args = c.args.length === 0 ? 'no arguments' : list(c.args, s.op);
  const head = c.indirect ? `return_call_indirect: table element ${c.element} holds ${name}; tail-called it with ${args}`
    : s.op === 'return_call_ref' ? `return_call_ref: the reference is to ${name}; tail-called it with ${args}`
    : `return_call ${name} with ${args}`;
  if (c.host) return `${head}; it is a host function, so it ran and its results return at once: ${returnText(s, 'returned')}`;
  const t = c.tail;
  const from = t === null ? 'the caller' : t.funcName ?? `function ${t.funcIndex}`;
  const depth = t === null ? '' : `, so the call stack stays ${plural(t.depth, 'frame')} deep`;
  return `${head}: the frame of ${from} is replaced by a new frame for ${name} (a tail call: nothing is pushed)${depth}`;
}
