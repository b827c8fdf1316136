// The `wasmstep` command-line tool (bin/wasmstep, bin/wasmstep.ts), run as a user would:
// through the POSIX launcher, on temporary files. wabt is the oracle for the bytes.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import wabtInit from 'wabt';
import { decodeModule } from '../../engine/index.ts';

const root = path.resolve(import.meta.dirname, '../..');
const launcher = path.join(root, 'bin', 'wasmstep');
const sqlWasm = path.join(root, 'node_modules/sql.js/dist/sql-wasm.wasm');
const wabt = await wabtInit();

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'wasmstep-cli-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function run(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; command?: string } = {}) {
  const result = spawnSync(options.command ?? launcher, args, {
    cwd: options.cwd ?? dir,
    env: options.env ?? process.env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function wabtAssemble(source: string): Uint8Array {
  const parsed = wabt.parseWat('sample.wat', source, {});
  try {
    return parsed.toBinary({}).buffer;
  } finally {
    parsed.destroy();
  }
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

const SAMPLE = `(module
  (import "env" "log" (func $log (param i32)))
  (memory (export "memory") 1)
  (global $counter (mut i32) (i32.const 0))
  (data (i32.const 16) "hello\\00")
  (func $fac (export "fac") (param $n i64) (result i64)
    local.get $n
    i64.eqz
    if (result i64)
      i64.const 1
    else
      local.get $n
      local.get $n
      i64.const 1
      i64.sub
      call $fac
      i64.mul
    end)
  (func (export "tick") (result f32)
    global.get $counter
    i32.const 1
    i32.add
    global.set $counter
    global.get $counter
    call $log
    f32.const 0.5))
`;

describe('wasmstep', () => {
  it('the launcher is an executable POSIX shell script', () => {
    const text = readFileSync(launcher, 'utf8');
    expect(text.startsWith('#!/bin/sh\n')).toBe(true);
    expect(spawnSync('sh', ['-n', launcher]).status).toBe(0);
  });

  it('prints usage with no arguments and with --help', () => {
    for (const args of [[], ['--help'], ['-h']]) {
      const r = run(args);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('wasmstep wat2wasm <in.wat> [-o <out.wasm>]');
      expect(r.stdout).toContain('wasmstep inspect <in.wasm> [--json]');
    }
  });

  it('wat2wasm writes the same bytes as wabt, beside the input by default', () => {
    writeFileSync(path.join(dir, 'sample.wat'), SAMPLE);
    const r = run(['wat2wasm', 'sample.wat']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(hex(readFileSync(path.join(dir, 'sample.wasm')))).toBe(hex(wabtAssemble(SAMPLE)));

    const o = run(['wat2wasm', 'sample.wat', '-o', 'other.wasm']);
    expect(o.status).toBe(0);
    expect(hex(readFileSync(path.join(dir, 'other.wasm')))).toBe(hex(wabtAssemble(SAMPLE)));
  });

  it('wasm2wat prints text that re-assembles to the same bytes', () => {
    const bytes = wabtAssemble(SAMPLE);
    writeFileSync(path.join(dir, 'round.wasm'), bytes);
    const r = run(['wasm2wat', 'round.wasm']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\(module\n/);
    expect(r.stdout).toContain('f32.const 0.5');
    expect(hex(wabtAssemble(r.stdout))).toBe(hex(bytes));

    // Through a file and back through our own assembler, with byte offsets annotated.
    const o = run(['wasm2wat', 'round.wasm', '--offsets', '-o', 'round.wat']);
    expect(o.status).toBe(0);
    expect(o.stdout).toBe('');
    const text = readFileSync(path.join(dir, 'round.wat'), 'utf8');
    expect(text).toMatch(/^\(;@[0-9a-f]+;\) +i64\.eqz$/m);
    expect(run(['wat2wasm', 'round.wat', '-o', 'again.wasm']).status).toBe(0);
    expect(hex(readFileSync(path.join(dir, 'again.wasm')))).toBe(hex(bytes));
  });

  it('inspect lists the sections, imports, exports and features of a real module', () => {
    const r = run(['inspect', sqlWasm]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const m = decodeModule(readFileSync(sqlWasm));
    expect(r.stdout).toContain(`${sqlWasm}: ${readFileSync(sqlWasm).length} bytes`);
    for (const name of ['type', 'import', 'function', 'table', 'memory', 'global', 'export', 'element', 'datacount', 'code', 'data']) {
      expect(r.stdout).toMatch(new RegExp(`^ +\\d+  ${name} +0x[0-9a-f]{6} +\\d+`, 'm'));
    }
    expect(r.stdout).toContain(`  functions  ${m.funcs.length} defined`);
    expect(r.stdout).toContain(`Imports (${m.imports.length}):`);
    expect(r.stdout).toContain(`Exports (${m.exports.length}):`);
    expect(r.stdout).toMatch(/bulk memory and table instructions \(bulk-memory\): \d+ uses, first func \d+: memory\.\w+ @0x/);
    expect(r.stdout).toContain('(saturating-float-to-int)');
    expect(r.stdout).toContain('(sign-extension)');
    expect(r.stdout).not.toContain('(simd)');
  });

  it('inspect --json is machine-readable and points at the real section bytes', () => {
    const r = run(['inspect', '--json', sqlWasm]);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    const bytes = readFileSync(sqlWasm);
    const m = decodeModule(bytes);
    expect(report.size).toBe(bytes.length);
    expect(report.counts).toEqual({
      types: m.types.length,
      imports: m.imports.length,
      functions: m.funcs.length,
      tables: m.tables.length,
      memories: m.mems.length,
      globals: m.globals.length,
      exports: m.exports.length,
      elems: m.elems.length,
      datas: m.datas.length,
    });
    const code = report.sections.find((s: { id: number }) => s.id === 10);
    expect(bytes[code.offset]).toBe(10);
    expect(code.count).toBe(m.funcs.length);
    const last = report.sections[report.sections.length - 1];
    expect(last.contentOffset + last.size).toBe(bytes.length);
    expect(report.features.map((f: { id: string }) => f.id)).toEqual(['sign-extension', 'saturating-float-to-int', 'bulk-memory']);
    expect(report.imports[0]).toMatchObject({ module: m.imports[0]?.module, name: m.imports[0]?.name, kind: m.imports[0]?.desc.kind });
  });

  it('inspect detects each WebAssembly 2.0 feature, and none in an MVP module', () => {
    writeFileSync(
      path.join(dir, 'features.wasm'),
      wabtAssemble(`(module
        (import "env" "g" (global (mut i32)))
        (memory 1)
        (table 2 externref)
        (func (param i32) (result i32 i32)
          local.get 0 i32.extend8_s
          f32.const 1 i32.trunc_sat_f32_s)
        (func i32.const 0 i32.const 0 i32.const 0 memory.fill)
        (func (result v128) v128.const i64x2 0 0))`),
    );
    const r = run(['inspect', 'features.wasm', '--json']);
    expect(r.status).toBe(0);
    const features: { id: string; count: number; first: string; offset?: number }[] = JSON.parse(r.stdout).features;
    expect(features.map((f) => f.id)).toEqual([
      'sign-extension',
      'saturating-float-to-int',
      'mutable-globals',
      'multi-value',
      'reference-types',
      'bulk-memory',
      'simd',
    ]);
    expect(features.find((f) => f.id === 'mutable-globals')?.first).toBe('import env.g: mutable global');
    expect(features.find((f) => f.id === 'sign-extension')?.first).toBe('func 0: i32.extend8_s');

    writeFileSync(path.join(dir, 'mvp.wasm'), wabtAssemble('(module (func (export "f") (result i32) i32.const 1))'));
    const mvp = run(['inspect', 'mvp.wasm']);
    expect(mvp.status).toBe(0);
    expect(mvp.stdout).toContain('Features beyond WebAssembly 1.0:\n  none (a WebAssembly 1.0 module)\n');
  });

  it('inspect shows the producers custom section', () => {
    const r = run(['inspect', path.join(root, 'node_modules/brotli-wasm/pkg.node/brotli_wasm_bg.wasm')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ +0  custom +0x[0-9a-f]+ +\d+  "producers"$/m);
    expect(r.stdout).toMatch(/^    language: Rust/m);
    expect(r.stdout).toMatch(/^    processed-by: .*rustc/m);
  });

  it('reports a bad .wat as file:line:col and exits 1', () => {
    writeFileSync(path.join(dir, 'bad.wat'), '(module\n  (func\n    i32.const 1\n    i32.frobnicate))\n');
    const r = run(['wat2wasm', 'bad.wat']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^bad\.wat:4:5: \S.*\n$/);
    expect(r.stderr).toContain('i32.frobnicate');
    expect(existsSync(path.join(dir, 'bad.wasm'))).toBe(false);
  });

  it('reports a truncated .wasm as file:@0xoffset and exits 1', () => {
    const bytes = readFileSync(sqlWasm);
    const cut = bytes.subarray(0, 0x2000); // inside the code section
    writeFileSync(path.join(dir, 'cut.wasm'), cut);
    for (const command of ['wasm2wat', 'inspect']) {
      const r = run([command, 'cut.wasm']);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      const match = /^cut\.wasm:@0x([0-9a-f]+): (.+)\n$/.exec(r.stderr);
      expect(match, r.stderr).not.toBeNull();
      expect(parseInt(match?.[1] ?? '', 16)).toBeLessThanOrEqual(cut.length);
      expect(match?.[2]).toMatch(/unexpected end|length out of bounds/);
    }
  });

  it('inspect rejects a module with a malformed function body as wasm2wat does, file:@0xoffset, exit 1', () => {
    // One function, () -> (), whose body only a strict reading finds malformed.
    const withBody = (...body: number[]) =>
      Uint8Array.from([
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
        0x0a, body.length + 3, 0x01, body.length + 1, 0x00, ...body,
      ]);
    const cases: [string, Uint8Array, string][] = [
      // i32.const 0 as an overlong (six-byte) LEB128, then drop.
      ['overlong.wasm', withBody(0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x1a, 0x0b), 'integer representation too long'],
      // block, then an else that no if opened.
      ['else.wasm', withBody(0x02, 0x40, 0x05, 0x0b, 0x0b), 'END opcode expected'],
    ];
    for (const [name, bytes, message] of cases) {
      writeFileSync(path.join(dir, name), bytes);
      let offset = -1;
      try {
        decodeModule(bytes);
      } catch (e) {
        offset = (e as { offset: number }).offset;
      }
      expect(offset, name).toBeGreaterThan(0);
      const expected = `${name}:@0x${offset.toString(16)}: ${message}\n`;
      for (const command of ['inspect', 'wasm2wat']) {
        const r = run([command, name]);
        expect(r.status, `${command} ${name}`).toBe(1);
        expect(r.stdout).toBe('');
        expect(r.stderr).toBe(expected);
      }
      expect(run(['inspect', '--json', name]).stderr).toBe(expected);
    }
  });

  it('exits 2 with a clear message for a missing file or bad usage', () => {
    const missing = run(['wasm2wat', 'nope.wasm']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('wasmstep: cannot read nope.wasm: no such file\n');

    const cases: [string[], RegExp][] = [
      [['frob', 'x.wasm'], /unknown command 'frob'/],
      [['inspect'], /inspect takes exactly one input file, got 0/],
      [['wasm2wat', 'a.wasm', 'b.wasm'], /exactly one input file, got 2/],
      [['inspect', 'x.wasm', '--bogus'], /Unknown option '--bogus'/],
      [['inspect', 'x.wasm', '-o', 'y'], /inspect does not take --output/],
      [['wat2wasm', 'x.wat', '--json'], /wat2wasm does not take --json/],
    ];
    for (const [args, message] of cases) {
      const r = run(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain("Run 'wasmstep --help' for usage.");
    }
  });

  it('bin/wasmstep.ts also runs directly with Node', () => {
    writeFileSync(path.join(dir, 'direct.wasm'), wabtAssemble('(module (func (export "f")))'));
    const r = run([path.join(root, 'bin', 'wasmstep.ts'), 'wasm2wat', 'direct.wasm'], { command: process.execPath });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('(export "f" (func 0))');
  });

  it('the launcher refuses a Node older than 22.18 with a clear message', () => {
    // A copy of the launcher in a tree without node_modules finds `node` on PATH: a stub
    // that claims to be Node 20 and must never be asked to run the script.
    const fake = path.join(dir, 'fake');
    mkdirSync(path.join(fake, 'bin'), { recursive: true });
    mkdirSync(path.join(fake, 'path'), { recursive: true });
    copyFileSync(launcher, path.join(fake, 'bin', 'wasmstep'));
    chmodSync(path.join(fake, 'bin', 'wasmstep'), 0o755);
    const stub = path.join(fake, 'path', 'node');
    writeFileSync(stub, '#!/bin/sh\nif [ "$1" = --version ]; then echo v20.19.0; exit 0; fi\necho ran >&2\nexit 99\n');
    chmodSync(stub, 0o755);
    const env = { ...process.env, PATH: `${path.join(fake, 'path')}:/usr/bin:/bin` };
    const r = run(['--help'], { command: path.join(fake, 'bin', 'wasmstep'), env });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Node\.js >= 22\.18 is required .*v20\.19\.0/);
    expect(r.stderr).not.toContain('ran');
  });
});
