// `wasmstep validate`, `run` (with --trace) and `spec`, through the real launcher.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { watToBinary } from '../../engine/api/index.ts';

const root = path.resolve(import.meta.dirname, '../..');
const launcher = path.join(root, 'bin', 'wasmstep');
const dir = mkdtempSync(path.join(tmpdir(), 'wasmstep-cli-run-'));

function wasmstep(...args: string[]) {
  const result = spawnSync(launcher, args, { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function file(name: string, text: string): string {
  const where = path.join(dir, name);
  writeFileSync(where, text);
  return where;
}

const fib = file(
  'fib.wat',
  `(module
  (import "env" "log" (func $log (param i32)))
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  (func (export "main") (result i32) (call $log (i32.const 7)) (call $fib (i32.const 4)))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "spin") (loop $l (br $l))))
`,
);

describe('wasmstep validate', () => {
  it('accepts a valid module', () => {
    const r = wasmstep('validate', fib);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('valid (4 functions, 1 imports, 4 exports)');
  });

  it('locates a type error at line:column with the spec wording', () => {
    const bad = file('bad.wat', '(module\n  (func (result i32)\n    i64.const 1))\n');
    const r = wasmstep('validate', bad);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: .*type mismatch`));
  });

  it('checks a binary from its bytes and counts the instructions it checked', () => {
    const wasm = path.join(dir, 'fib.wasm');
    writeFileSync(wasm, watToBinary(readFileSync(fib, 'utf8')));
    const r = wasmstep('validate', wasm);
    expect(r.status).toBe(0);
    const m = /^(.*): valid \(4 functions, 1 imports, 4 exports, (\d+) instructions\)$/.exec(r.stdout.trimEnd());
    expect(m?.[1]).toBe(wasm);
    expect(Number(m?.[2])).toBeGreaterThan(20);
  });

  it("checks Pyodide's CPython (legacy exception handling) from its bytes", () => {
    const wasm = path.join(root, 'node_modules/pyodide/pyodide.asm.wasm');
    const r = wasmstep('validate', wasm);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/: valid \(\d+ functions, \d+ imports, \d+ exports, \d+ instructions\)$/m);
  });

  it('locates a type error in a binary body at its byte offset', () => {
    // One function whose body is a lone i32.add (at byte 0x17) with nothing on the stack.
    const wasm = path.join(dir, 'bad.wasm');
    writeFileSync(wasm, new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 5, 1, 3, 0, 106, 11]));
    const r = wasmstep('validate', wasm);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd()).toBe(`${wasm}:@0x17: func 0 (i32.add): type mismatch: expected [i32 i32], found []`);
  });
});

describe('wasmstep run', () => {
  it('calls an export and prints its result and step count', () => {
    const r = wasmstep('run', fib, '--invoke', 'fib', '20');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^i32:6765 +; \d+ instructions$/m);
  });

  it('--trace prints one line per instruction with the stack after it, and stub imports show their calls', () => {
    const r = wasmstep('run', fib, '--invoke', 'main', '--trace');
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const steps = Number(/; (\d+) instructions/.exec(lines.at(-1) ?? '')?.[1]);
    expect(lines.filter((l) => /^ +\d+ /.test(l))).toHaveLength(steps);
    expect(lines).toContain('[host] env.log(i32:7)');
    expect(lines.find((l) => l.includes('i32.lt_u'))).toMatch(/\$fib +@0x[0-9a-f]{4} +i32\.lt_u +\[i32:0\]/);
    expect(lines.at(-1)).toMatch(/^i32:3 /);
  });

  it('reports a trap where it happened, with the spec message', () => {
    const r = wasmstep('run', fib, '--invoke', 'div', '1', '0');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/fib\.wat:9:\d+: trap: integer divide by zero/);
  });

  it('stops an endless loop at the budget', () => {
    const r = wasmstep('run', fib, '--invoke', 'spin', '--budget', '10000');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('stopped after 10000 instructions');
  });

  it('rejects wrong arguments with usage status 2', () => {
    expect(wasmstep('run', fib, '--invoke', 'fib').status).toBe(2);
    expect(wasmstep('run', fib, '--invoke', 'fib', 'ten').stderr).toContain('not a valid i32');
    expect(wasmstep('run', fib, '--invoke', 'nope').stderr).toContain('exports no function "nope"');
  });
});

describe('wasmstep spec', () => {
  const script = file(
    'mini.wast',
    `(module (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
(assert_return (invoke "add" (i32.const 2) (i32.const 3)) (i32.const 5))
(assert_return (invoke "add" (i32.const 2) (i32.const 3)) (i32.const 6))
(assert_invalid (module (func (result i32) (i64.const 0))) "type mismatch")
`,
  );

  it('prints a line per file and ends with the command counts', () => {
    const out = path.join(dir, 'out.json');
    const r = wasmstep('spec', script, '--json', out);
    expect(r.status).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe(`${script}: 3 passed, 1 failed`);
    expect(lines.at(-1)).toBe('3 passed, 1 failed');
    const json = JSON.parse(readFileSync(out, 'utf8')) as { passed: number; failed: number };
    expect(json).toMatchObject({ passed: 3, failed: 1 });
  });

  it('checks a script as 2.0 with --version 2.0, where a second memory is invalid', () => {
    const two = file('two-memories.wast', '(assert_invalid (module (memory 1) (memory 1)) "multiple memories")\n');
    const r = wasmstep('spec', two, '--version', '2.0');
    expect(r.stdout.trim().split('\n').at(-1)).toBe('1 passed, 0 failed');
    expect(r.status).toBe(0);
    const bad = wasmstep('spec', two, '--version', '4.0');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--version takes 2.0 or 3.0');
  });
});
