// The Playground's pure parts: diagnostics locate the engine's first error as a range in
// the text (site/lib/playground/diagnostics.ts); opening a .wasm disassembles it with its
// names and lists the stubs for its imports, and refuses broken or oversized files
// (binary.ts); the draft store survives a refusing storage and the debounce coalesces
// calls (draft.ts).
import { afterEach, describe, expect, it, vi } from 'vitest';
import wabtInit from 'wabt';
import { encodeModule, parseWat } from '../../engine/index.ts';
import { check, lineColumn, tokenEnd } from '../../site/lib/playground/diagnostics.ts';
import { baseName, MAX_PLAYGROUND_BYTES, MAX_STEP_BYTES, openBinary } from '../../site/lib/playground/binary.ts';
import { debounce, readDraft, writeDraft, type DraftStorage } from '../../site/lib/playground/draft.ts';

describe('diagnostics', () => {
  it('is clean for a valid module', () => {
    expect(check('(module (func (result i32) i32.const 1))').ok).toBe(true);
  });

  it('underlines exactly the unknown instruction, at its line and column', () => {
    const src = '(module\n  (func (result i32)\n    i32.cnst 1))';
    const r = check(src);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(src.slice(r.problem.from, r.problem.to)).toBe('i32.cnst');
    expect(r.problem).toMatchObject({ kind: 'Parse error', line: 3, column: 5 });
    expect(r.problem.message).toMatch(/unknown operator/);
  });

  it('underlines the instruction a validation error names', () => {
    const src = '(module\n  (func (param f64) (result i32)\n    local.get 0\n    i32.const 2\n    i32.div_s))';
    const r = check(src);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem.kind).toBe('Validation error');
    expect(src.slice(r.problem.from, r.problem.to)).toBe('i32.div_s');
    expect(r.problem).toMatchObject({ line: 5, column: 5 });
    expect(r.problem.message).toMatch(/type mismatch/);
  });

  it('points at the end of the text when it ends too early', () => {
    const src = '(module (func';
    const r = check(src);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem.from).toBe(src.length);
  });

  it('measures tokens: words, strings, parentheses', () => {
    expect(tokenEnd('foo.bar 1', 0)).toBe(7);
    expect(tokenEnd('"a\\"b" x', 0)).toBe(6);
    expect(tokenEnd('(x', 0)).toBe(1);
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});

describe('opening a .wasm file', () => {
  const wat = `(module
    (import "env" "log" (func $log (param i32)))
    (import "env" "now" (func $now (result f64)))
    (import "env" "mem" (memory 1 2))
    (import "env" "tab" (table 2 funcref))
    (import "env" "g" (global $g (mut i64)))
    (func $double (export "double") (param $x i32) (result i32)
      local.get $x
      i32.const 2
      i32.mul))`;

  it('disassembles with the names from the name section, and lists a stub for each import', async () => {
    // wabt writes the name section (the engine's encoder does not).
    const wabt = await wabtInit();
    const m = wabt.parseWat('double.wat', wat);
    const bytes = new Uint8Array(m.toBinary({ write_debug_names: true }).buffer);
    m.destroy();
    const r = openBinary(bytes, 'double.wasm');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.opened.source).toContain('(func $double');
    expect(r.opened.source).toContain('local.get $x');
    expect(r.opened.source).toContain('i32.mul');
    expect(r.opened.unsteppable).toBeNull();
    expect(r.opened.stubs.map((s) => [s.label, s.kind])).toEqual([
      ['env.log', 'func'],
      ['env.now', 'func'],
      ['env.mem', 'memory'],
      ['env.tab', 'table'],
      ['env.g', 'global'],
    ]);
    expect(r.opened.stubs[0]!.stub).toMatch(/prints its arguments/);
    expect(r.opened.stubs[1]!.stub).toMatch(/\(\) → f64: a stub that returns 0/);
    expect(r.opened.stubs[2]!.stub).toMatch(/1 page \(max 2\)/);
    expect(r.opened.stubs[4]!.stub).toMatch(/mutable i64 global holding 0/);
  });

  it('steps a module that imports tags: js_tag is the JS tag, another tag a new one, throw… a JS function that throws', async () => {
    const wabt = await wabtInit();
    const m = wabt.parseWat('tags.wat', `(module
      (import "env" "js_tag" (tag (param externref)))
      (import "env" "mine" (tag (param i32 f64)))
      (import "env" "throw_error" (func (param i32)))
      (func (export "f")))`, { exceptions: true });
    const bytes = new Uint8Array(m.toBinary({}).buffer);
    m.destroy();
    const r = openBinary(bytes, 'tags.wasm');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.opened.unsteppable).toBeNull();
    expect(r.opened.stubs.map((s) => [s.label, s.kind])).toEqual([['env.js_tag', 'tag'], ['env.mine', 'tag'], ['env.throw_error', 'func']]);
    expect(r.opened.stubs[0]!.stub).toMatch(/the JS tag \(WebAssembly\.JSTag\)/);
    expect(r.opened.stubs[1]!.stub).toMatch(/a new exception tag \(i32, f64\)/);
    expect(r.opened.stubs[2]!.stub).toMatch(/JS code that throws a JS Error/);
  });

  it('refuses bytes that do not decode, saying where', () => {
    const r = openBinary(new Uint8Array([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]), 'bad.wasm');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.refusal.large).toBe(false);
      expect(r.refusal.message).toMatch(/^bad\.wasm is not a valid WebAssembly module: Decode error at byte 0x/);
    }
  });

  it('refuses a file over the size limit as large, before decoding', () => {
    const r = openBinary(new Uint8Array(MAX_PLAYGROUND_BYTES + 1), 'big.wasm');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.refusal.large).toBe(true);
  });

  it('steps a module as large as the Playground opens', () => {
    expect(MAX_STEP_BYTES).toBe(MAX_PLAYGROUND_BYTES);
    const big = encodeModule(parseWat(`(module (memory 16) (data (i32.const 0) "${'x'.repeat(MAX_STEP_BYTES - 200)}") (func (export "f")))`));
    expect(big.length).toBeLessThanOrEqual(MAX_STEP_BYTES);
    expect(big.length).toBeGreaterThan(MAX_STEP_BYTES - 300);
    const r = openBinary(big, 'big.wasm');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.opened.tooBigToStep).toBe(false);
    expect(r.opened.unsteppable).toBeNull();
  });

  it('says when there is nothing to call', () => {
    const r = openBinary(encodeModule(parseWat('(module (memory 1))')), 'mem.wasm');
    expect(r.ok && r.opened.unsteppable).toMatch(/exports no function/);
  });

  it('names downloads after the file', () => {
    expect(baseName('C:\\x\\add.wasm')).toBe('add');
    expect(baseName('/a/b/fib.WAT')).toBe('fib');
    expect(baseName('.wasm')).toBe('program');
  });
});

describe('the draft', () => {
  afterEach(() => vi.useRealTimers());

  it('reads back what it wrote, and survives a storage that throws', () => {
    const map = new Map<string, string>();
    const ok: DraftStorage = { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
    expect(writeDraft(ok, '(module)')).toBe(true);
    expect(readDraft(ok)).toBe('(module)');
    const full: DraftStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {},
    };
    expect(writeDraft(full, 'x')).toBe(false);
    expect(readDraft(full)).toBeNull();
    expect(writeDraft(null, 'x')).toBe(false);
  });

  it('debounces: one call with the last arguments; flush runs it at once', () => {
    vi.useFakeTimers();
    const calls: string[] = [];
    const d = debounce((s: string) => calls.push(s), 100);
    d('a');
    d('b');
    vi.advanceTimersByTime(99);
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(calls).toEqual(['b']);
    d('c');
    d.flush();
    expect(calls).toEqual(['b', 'c']);
    vi.advanceTimersByTime(200);
    expect(calls).toEqual(['b', 'c']);
  });
});
