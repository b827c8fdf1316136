// `wasmstep validate`, `run` (with --trace) and `spec`, through the real launcher.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

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
});
