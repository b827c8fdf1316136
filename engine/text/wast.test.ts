// Tests for the .wast script format (https://github.com/WebAssembly/spec/blob/main/interpreter/README.md#scripts).
import { describe, expect, it } from 'vitest';
import { ParseError } from './error.ts';
import { parseQuoted, parseWast, type Command } from './wast.ts';

function only<T extends Command['type']>(commands: Command[], type: T): Command & { type: T } {
  expect(commands).toHaveLength(1);
  expect(commands[0]!.type).toBe(type);
  return commands[0] as Command & { type: T };
}

function parseError(run: () => unknown): ParseError {
  try {
    run();
  } catch (error) {
    if (error instanceof ParseError) return error;
    throw error;
  }
  throw new Error('expected a ParseError');
}

describe('modules in scripts', () => {
  it('parses text modules in place, with their id and location', () => {
    const cs = parseWast(';; x\n(module $M (func (export "f")))\n  (module)');
    expect(cs.map((c) => [c.type, c.line, c.column])).toEqual([['module', 2, 1], ['module', 3, 3]]);
    const m = cs[0]!.type === 'module' ? cs[0]!.module : undefined;
    expect(m?.kind).toBe('text');
    expect(m?.id).toBe('$M');
    if (m?.kind === 'text') {
      expect(m.module.id).toBe('$M');
      expect(m.module.exports[0]!.name).toBe('f');
      expect(m.module.span.text).toMatchObject({ line: 2, column: 1, endColumn: 32 });
    }
  });

  it('reads binary modules as bytes', () => {
    const c = only(parseWast('(module $B binary "\\00asm" "\\01\\00\\00\\00")'), 'module');
    expect(c.module.kind).toBe('binary');
    expect(c.module.id).toBe('$B');
    if (c.module.kind === 'binary') expect([...c.module.bytes]).toEqual([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
  });

  it('keeps quoted modules as text, parsed on demand with their own positions', () => {
    const c = only(parseWast('(module quote "(func (export \\"g\\"))" "(memory 1)")'), 'module');
    expect(c.module.kind).toBe('quote');
    if (c.module.kind !== 'quote') return;
    expect(c.module.text).toBe('(func (export "g"))(memory 1)');
    const m = parseQuoted(c.module);
    expect([m.funcs.length, m.mems.length, m.exports[0]!.name]).toEqual([1, 1, 'g']);
  });

  it('rejects a quoted module that is not UTF-8', () => {
    const m = only(parseWast('(assert_malformed (module quote "(func) \\ff") "x")'), 'assert_malformed').module;
    if (m.kind !== 'quote') throw new Error('expected quote');
    expect(parseError(() => parseQuoted(m)).specMessage).toBe('malformed UTF-8 encoding');
  });

  it('keeps going after a text module that does not parse, recording the error', () => {
    const cs = parseWast('(assert_malformed\n  (module (func (i32.const 1x))) "unknown operator")\n(module)');
    expect(cs.map((c) => c.type)).toEqual(['assert_malformed', 'module']);
    const c = cs[0]!;
    if (c.type !== 'assert_malformed' || c.module.kind !== 'text-error') throw new Error('expected a text-error module');
    expect([c.module.error.specMessage, c.module.error.line, c.module.error.column]).toEqual(['unknown operator 1x', 2, 28]);
    expect(c.message).toBe('unknown operator');
  });

  it('reads a script that is only the fields of one module', () => {
    const c = only(parseWast('(func) (memory 0) (func (export "f"))'), 'module');
    if (c.module.kind !== 'text') throw new Error('expected text');
    expect([c.module.module.funcs.length, c.module.module.mems.length]).toEqual([2, 1]);
  });
});

describe('actions and assertions', () => {
  it('reads invoke with every kind of argument', () => {
    const c = only(
      parseWast(`(invoke $M "f" (i32.const -1) (i64.const 0xffffffffffffffff) (f32.const -0) (f64.const nan:0x1)
        (v128.const i16x8 1 2 3 4 5 6 7 -1) (ref.null func) (ref.extern 7))`),
      'action',
    );
    expect(c.action).toMatchObject({ type: 'invoke', module: '$M', name: 'f' });
    if (c.action.type !== 'invoke') return;
    expect(c.action.args.map((a) => [a.type, 'value' in a && !(a.value instanceof Uint8Array) ? a.value : undefined])).toEqual([
      ['i32', -1], ['i64', -1n], ['f32', 0x8000_0000], ['f64', 0x7ff0_0000_0000_0001n], ['v128', undefined], ['ref.null', undefined], ['ref.extern', 7],
    ]);
    const v = c.action.args[4]!;
    if (v.type === 'v128') {
      expect([...v.value.subarray(0, 4)]).toEqual([1, 0, 2, 0]);
      expect(v.lanes).toEqual([1, 2, 3, 4, 5, 6, 7, 0xffff]);
    }
  });

  it('reads assert_return with NaN patterns, lane patterns, reference patterns and either', () => {
    const c = only(
      parseWast(`(assert_return (get "g")
        (f32.const nan:canonical) (f64.const nan:arithmetic)
        (v128.const f32x4 nan:canonical 1 -0 nan:arithmetic)
        (ref.func) (ref.extern) (ref.null extern)
        (either (i32.const 1) (i32.const 2)))`),
      'assert_return',
    );
    expect(c.action).toMatchObject({ type: 'get', name: 'g' });
    expect(c.expected[0]).toEqual({ type: 'f32', nan: 'nan:canonical' });
    expect(c.expected[1]).toEqual({ type: 'f64', nan: 'nan:arithmetic' });
    expect(c.expected[2]).toMatchObject({ type: 'v128', shape: 'f32x4', lanes: ['nan:canonical', 0x3f80_0000, 0x8000_0000, 'nan:arithmetic'] });
    expect(c.expected.slice(3, 6)).toEqual([{ type: 'ref.func' }, { type: 'ref.extern' }, { type: 'ref.null', refType: 'externref' }]);
    expect(c.expected[6]).toEqual({ type: 'either', options: [{ type: 'i32', value: 1 }, { type: 'i32', value: 2 }] });
  });

  it('does not accept NaN patterns as arguments', () => {
    expect(parseError(() => parseWast('(invoke "f" (f32.const nan:canonical))')).specMessage).toBe('unexpected token');
  });

  it('reads the other assertions with their messages', () => {
    const cs = parseWast(`(register "M" $M)
(assert_trap (invoke "f") "unreachable")
(assert_trap (module (func)) "out of bounds")
(assert_exhaustion (invoke "r") "call stack exhausted")
(assert_invalid (module (func (result i32))) "type mismatch")
(assert_unlinkable (module (import "m" "f" (func))) "unknown import")
(assert_uninstantiable (module binary "") "x")`);
    expect(cs.map((c) => [c.type, c.line, 'message' in c ? c.message : ''])).toEqual([
      ['register', 1, ''],
      ['assert_trap', 2, 'unreachable'],
      ['assert_trap_module', 3, 'out of bounds'],
      ['assert_exhaustion', 4, 'call stack exhausted'],
      ['assert_invalid', 5, 'type mismatch'],
      ['assert_unlinkable', 6, 'unknown import'],
      ['assert_uninstantiable', 7, 'x'],
    ]);
    expect(cs[0]).toMatchObject({ name: 'M', module: '$M' });
  });

  it('reads module definitions and module instances (3.0 scripts)', () => {
    const cs = parseWast(`(module definition $M (global (export "g") i32 (i32.const 1)))
(module definition binary "\\00asm" "\\01\\00\\00\\00")
(module instance $I $M)
(module instance)`);
    expect(cs.map((c) => c.type)).toEqual(['module', 'module', 'module_instance', 'module_instance']);
    expect(cs[0]).toMatchObject({ definition: true, module: { kind: 'text', id: '$M' } });
    expect(cs[1]).toMatchObject({ definition: true, module: { kind: 'binary' } });
    expect(cs[2]).toMatchObject({ instance: '$I', module: '$M', line: 3 });
    expect(cs[3]).not.toHaveProperty('instance');
    expect(cs[3]).not.toHaveProperty('module');
  });

  it('reports malformed scripts with their location', () => {
    const e = parseError(() => parseWast('(module)\n(assert_bogus (module) "x")'));
    expect([e.specMessage, e.line, e.column]).toEqual(['unknown operator assert_bogus', 2, 2]);
    const f = parseError(() => parseWast('(assert_return (invoke "f") (i32.const 1x))'));
    expect([f.specMessage, f.line, f.column]).toEqual(['unknown operator 1x', 1, 40]);
    const g = parseError(() => parseWast('(assert_return (invoke "f") (v128.const i32x4 1 2))'));
    expect([g.specMessage, g.column]).toEqual(['wrong number of lane literals', 50]);
  });
});
