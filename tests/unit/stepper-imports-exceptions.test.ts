// The stepper's imports for exceptions (site/lib/stepper/imports.ts): a tag import named
// js_tag is the JS tag, any other a new tag; a `throw…` function import is JS code that
// throws a JS Error, which HOST_ERRORS brings into wasm as an exception with the JS tag —
// as the Playground's "Exceptions" example shows.
import { describe, expect, it } from 'vitest';
import { instantiate, invoke, JS_TAG, parseWat, TagInstance, validateModule, WasmThrow } from '../../engine/index.ts';
import { EXAMPLES } from '../../site/lib/playground/examples.ts';
import { HOST_ERRORS, makeImports, type HostConsole } from '../../site/lib/stepper/imports.ts';

const console = (): HostConsole => ({ lines: [], stepIndex: () => 0, onLine: () => {} });

describe('the stepper\'s imports for exceptions', () => {
  it('stands the JS tag in for js_tag (param externref), and a new tag of its type for any other tag import', () => {
    const module = parseWat(`(module
      (import "env" "js_tag" (tag (param externref)))
      (import "env" "mine" (tag (param i32)))
      (import "env" "js_tag2" (tag (param externref))))`);
    const imports = makeImports(module, console()) as Record<string, Record<string, unknown>>;
    expect(imports.env!.js_tag).toBe(JS_TAG);
    expect(imports.env!.mine).toBeInstanceOf(TagInstance);
    expect(imports.env!.mine).not.toBe(JS_TAG);
    expect((imports.env!.mine as TagInstance).type.params).toEqual(['i32']);
    expect(imports.env!.js_tag2).not.toBe(JS_TAG);
  });

  it('brings a throw… import\'s JS Error into wasm with the JS tag: the Exceptions example with 0', () => {
    const example = EXAMPLES.find((e) => e.id === 'exceptions')!;
    const module = parseWat(example.source);
    validateModule(module);
    const out = console();
    const instance = instantiate(module, makeImports(module, out), HOST_ERRORS);
    expect(invoke(instance, 'collatz', [0])).toEqual([-1]);
    expect(out.lines.map((l) => [l.kind, l.text])).toEqual([['throw', 'env.throw_error(0) throws a JS Error']]);
  });

  it('lets the JS Error leave wasm, as a WasmThrow with the Error as payload, when nothing catches it', () => {
    const module = parseWat(`(module (import "env" "throw_it" (func $t)) (func (export "f") (call $t)))`);
    const instance = instantiate(module, makeImports(module, console()), HOST_ERRORS);
    let caught: unknown;
    try {
      invoke(instance, 'f', []);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(WasmThrow);
    const exn = (caught as WasmThrow).exception;
    expect(exn.tag).toBe(JS_TAG);
    expect(exn.values[0]).toBeInstanceOf(Error);
    expect((exn.values[0] as Error).message).toBe('thrown by env.throw_it()');
  });
});
