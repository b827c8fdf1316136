// The deployment checker's verdict on compiling a module and on its imports
// (site/lib/deploy-outcome.ts): a module with imports is information, never a server
// fault; only a module without imports is instantiated. The imports are those V8 reports
// for real modules: the course's add.wasm (none) and Pyodide's own (many, its glue's).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { compiled, describeImports, importModules, instantiable, type ModuleImport } from '../../site/lib/deploy-outcome.ts';

const pyodideWasm = createRequire(import.meta.url).resolve('pyodide/pyodide.asm.wasm');

describe('the deployment checker on compiling and imports', () => {
  it('tells streaming, the fallback and a failure apart', () => {
    expect(compiled(null, null)).toEqual({ kind: 'streamed' });
    expect(compiled('TypeError: Incorrect response MIME type', null)).toEqual({ kind: 'fallback', refused: 'TypeError: Incorrect response MIME type' });
    expect(compiled('TypeError: x', 'CompileError: y')).toEqual({ kind: 'failed', refused: 'TypeError: x', error: 'CompileError: y' });
  });

  it('runs a module without imports, and says so', async () => {
    const module = await WebAssembly.compile(readFileSync('public/examples/add.wasm'));
    const imports = WebAssembly.Module.imports(module);
    expect(imports).toEqual([]);
    expect(instantiable(imports)).toBe(true);
    expect(describeImports(imports)).toMatch(/^none/);
  });

  it("reports Pyodide's imports as its glue's business, without instantiating it", async () => {
    const module = await WebAssembly.compile(readFileSync(pyodideWasm));
    const imports: ModuleImport[] = WebAssembly.Module.imports(module);
    expect(imports.length).toBeGreaterThan(10);
    expect(instantiable(imports)).toBe(false);
    const modules = importModules(imports);
    expect(modules).toContain('env');
    const text = describeImports(imports);
    expect(text).toContain(`this module needs ${imports.length} imports from modules ${modules.join(', ')}`);
    expect(text).toContain('JavaScript glue');
    // The first four are named with their kind; the rest counted.
    const first = imports[0]!;
    expect(text).toContain(`${first.module}.${first.name} (${first.kind})`);
    expect(text).toContain(`… ${imports.length - 4} more`);
    expect(text).not.toMatch(/✗|problem|fault/i);
  });

  it('names one import of one module in the singular', () => {
    const one = [{ module: 'env', name: 'log', kind: 'function' }];
    expect(describeImports(one)).toMatch(/^this module needs 1 import from module env: .*\(env\.log \(function\)\)/);
    expect(instantiable(one)).toBe(false);
  });
});
