// WebAssembly.Tag, WebAssembly.Exception and WebAssembly.JSTag on the facade, with the
// same expectations run on Node's own `WebAssembly` (as engine/api/api.test.ts does), so
// each expectation is checked against V8 too.
import wabtInit from 'wabt';
import { describe, expect, it } from 'vitest';
import { WasmStep } from './index.ts';

// The modules are encoded by wabt, so both sides get the same independent bytes.
const wabt = await wabtInit();
function watToBinary(src: string): Uint8Array {
  const m = wabt.parseWat('t.wat', src, { exceptions: true, reference_types: true, multi_value: true });
  try {
    m.resolveNames();
    m.validate();
    return new Uint8Array(m.toBinary({}).buffer);
  } finally {
    m.destroy();
  }
}

type Api = Record<string, any>;

const apis: [string, Api][] = [
  ['V8', WebAssembly as unknown as Api],
  ['WasmStep', WasmStep as unknown as Api],
];

describe.each(apis)('%s', (_, W) => {
  describe('Tag', () => {
    it('takes a dictionary of value types', () => {
      expect(new W.Tag({ parameters: ['i32', 'i64', 'f32', 'f64', 'v128', 'externref', 'anyfunc'] })).toBeInstanceOf(W.Tag);
    });

    it('rejects a missing or bad descriptor, and unknown value types, with TypeError', () => {
      for (const bad of [undefined, null, 1, 'i32', {}, { parameters: 1 }, { parameters: ['i16'] }, { parameters: ['funcref2'] }, { parameters: [Symbol()] }]) {
        expect(() => new W.Tag(bad)).toThrow(TypeError);
      }
      expect(() => W.Tag({ parameters: [] })).toThrow(TypeError);
    });

    it('has the Web IDL shape: name, length, toStringTag', () => {
      expect(W.Tag.name).toBe('Tag');
      expect(W.Tag.length).toBe(1);
      expect(Object.prototype.toString.call(new W.Tag({ parameters: [] }))).toBe('[object WebAssembly.Tag]');
    });
  });

  describe('Exception', () => {
    const tag = new W.Tag({ parameters: ['i32', 'i64', 'f32', 'externref', 'anyfunc'] });

    it('converts the payload with ToWebAssemblyValue and reads it back with ToJSValue', () => {
      const obj = {};
      const e = new W.Exception(tag, ['42.9', 7n, 1.1, obj, null]);
      expect(e.getArg(tag, 0)).toBe(42);
      expect(e.getArg(tag, 1)).toBe(7n);
      expect(e.getArg(tag, 2)).toBe(Math.fround(1.1));
      expect(e.getArg(tag, 3)).toBe(obj);
      expect(e.getArg(tag, 4)).toBe(null);
      // undefined is a value of externref, not an absent one.
      expect(new W.Exception(tag, [0, 0n, 0, undefined, null]).getArg(tag, 3)).toBe(undefined);
    });

    it('rejects a payload that does not fit the tag with TypeError', () => {
      expect(() => new W.Exception(tag, [1, 2n, 3, 4])).toThrow(TypeError);
      expect(() => new W.Exception(tag, [1n, 2n, 3, 4, null])).toThrow(TypeError);
      expect(() => new W.Exception(tag, [1, 2, 3, 4, null])).toThrow(TypeError);
      expect(() => new W.Exception(tag, [1, 2n, 3, 4, () => 0])).toThrow(TypeError);
      expect(() => new W.Exception(new W.Tag({ parameters: ['v128'] }), [0])).toThrow(TypeError);
      expect(() => new W.Exception(tag, 5)).toThrow(TypeError);
      expect(() => new W.Exception({}, [])).toThrow(TypeError);
    });

    it('refuses WebAssembly.JSTag: JS values are thrown as themselves', () => {
      expect(W.JSTag).toBeInstanceOf(W.Tag);
      expect(() => new W.Exception(W.JSTag, [{}])).toThrow(TypeError);
    });

    it('is(tag) compares tag identity, not type', () => {
      const same = new W.Tag({ parameters: ['i32', 'i64', 'f32', 'externref', 'anyfunc'] });
      const e = new W.Exception(tag, [1, 2n, 3, null, null]);
      expect(e.is(tag)).toBe(true);
      expect(e.is(same)).toBe(false);
      expect(() => e.getArg(same, 0)).toThrow(TypeError);
      expect(() => e.is({})).toThrow(TypeError);
    });

    it('getArg checks its index: RangeError past the end, TypeError outside unsigned long', () => {
      const e = new W.Exception(tag, [1, 2n, 3, null, null]);
      expect(() => e.getArg(tag, 5)).toThrow(RangeError);
      for (const bad of [undefined, -1, NaN, 2 ** 32]) expect(() => e.getArg(tag, bad)).toThrow(TypeError);
      expect(e.getArg(tag, '0')).toBe(1);
    });

    it('has a stack only when asked for one', () => {
      const plain = new W.Exception(tag, [1, 2n, 3, null, null]);
      expect(plain.stack).toBe(undefined);
      const traced = new W.Exception(tag, [1, 2n, 3, null, null], { traceStack: true });
      expect(typeof traced.stack).toBe('string');
      expect(traced.stack).toMatch(/exceptions\.test\.ts/);
    });

    it('has the Web IDL shape: name, brand checks', () => {
      expect(W.Exception.name).toBe('Exception');
      expect(() => W.Exception(tag, [])).toThrow(TypeError);
      expect(() => W.Exception.prototype.is.call({}, tag)).toThrow(TypeError);
      expect(() => W.Exception.prototype.getArg.call({}, tag, 0)).toThrow(TypeError);
      expect(Object.prototype.toString.call(new W.Exception(new W.Tag({ parameters: [] }), []))).toBe('[object WebAssembly.Exception]');
    });
  });
});

describe.each(apis)('%s: exceptions crossing the boundary', (_, W) => {
  const instance = (wat: string, imports?: object): Record<string, any> => new W.Instance(new W.Module(watToBinary(wat)), imports).exports;
  const thrown = (f: () => unknown): unknown => {
    try {
      f();
    } catch (e) {
      return e;
    }
    throw new Error('did not throw');
  };

  it('exports a tag as one Tag object per tag instance, and links imported Tags by identity', () => {
    const a = instance(`(module (tag $t (export "t") (export "u") (param i32)) (tag (export "other") (param i32)))`);
    expect(a.t).toBeInstanceOf(W.Tag);
    expect(a.t).toBe(a.u);
    expect(a.t).not.toBe(a.other);
    const b = instance(`(module (import "m" "t" (tag $t (param i32))) (export "again" (tag $t)))`, { m: { t: a.t } });
    expect(b.again).toBe(a.t);
    // WebAssembly.JSTag imported and exported again is the same object.
    const j = instance(`(module (import "m" "js" (tag $js (param externref))) (export "js" (tag $js)))`, { m: { js: W.JSTag } });
    expect(j.js).toBe(W.JSTag);
    // A fresh instantiation makes fresh tags.
    const a2 = instance(`(module (tag $t (export "t") (export "u") (param i32)) (tag (export "other") (param i32)))`);
    expect(a2.t).not.toBe(a.t);
  });

  it('refuses a tag import that is not a Tag, or has another type, with LinkError', () => {
    const wat = `(module (import "m" "t" (tag (param i32))))`;
    expect(() => instance(wat, { m: { t: {} } })).toThrow(W.LinkError);
    expect(() => instance(wat, { m: { t: new W.Tag({ parameters: ['i64'] }) } })).toThrow(W.LinkError);
    expect(() => instance(wat, { m: { t: new W.Tag({ parameters: ['i32'] }) } })).not.toThrow();
  });

  it('throws an uncaught wasm exception to JS as a WebAssembly.Exception with its payload', () => {
    const e = instance(`(module (tag $t (export "t") (param i32 i64 f64))
      (func (export "f") (param i32) (throw $t (local.get 0) (i64.const -5) (f64.const 2.5))))`);
    const x = thrown(() => e.f(7)) as any;
    expect(x).toBeInstanceOf(W.Exception);
    expect(x.is(e.t)).toBe(true);
    expect([x.getArg(e.t, 0), x.getArg(e.t, 1), x.getArg(e.t, 2)]).toEqual([7, -5n, 2.5]);
  });

  it('throws a WebAssembly.Exception from a JS import into wasm, where catch and catch_ref see it', () => {
    const tag = new W.Tag({ parameters: ['i32'] });
    const exn = new W.Exception(tag, [42]);
    const e = instance(`(module (import "m" "t" (tag $t (param i32))) (import "m" "f" (func $f))
      (func (export "payload") (result i32) (block $h (result i32) (try_table (catch $t $h) (call $f)) (i32.const -1)))
      (func (export "rethrow") (block $h (result exnref) (try_table (catch_all_ref $h) (call $f)) (return)) (throw_ref)))`,
    { m: { t: tag, f: () => { throw exn; } } });
    expect(e.payload()).toBe(42);
    // The same exception comes back out: the same object.
    expect(thrown(() => e.rethrow())).toBe(exn);
  });

  it('wraps any other JS value thrown by an import with JSTag: catch_all catches it, uncaught it comes out as itself', () => {
    const error = new Error('from JS');
    const e = instance(`(module (import "m" "js" (tag $js (param externref))) (import "m" "f" (func $f))
      (func (export "caught") (result i32) (block $h (try_table (catch_all $h) (call $f)) (return (i32.const 0))) (i32.const 1))
      (func (export "value") (result externref) (block $h (result externref) (try_table (catch $js $h) (call $f)) (ref.null extern)))
      (func (export "through") (call $f))
      (func (export "throwjs") (param externref) (throw $js (local.get 0))))`,
    { m: { js: W.JSTag, f: () => { throw error; } } });
    expect(e.caught()).toBe(1);
    expect(e.value()).toBe(error);
    expect(thrown(() => e.through())).toBe(error);
    // A JSTag exception made by wasm leaves as its value, not as an Exception.
    const obj = {};
    expect(thrown(() => e.throwjs(obj))).toBe(obj);
    expect(thrown(() => e.throwjs(undefined))).toBe(undefined);
  });

  it('keeps a trap uncatchable even when it passed through a JS import', () => {
    let inner: Record<string, any> = {};
    const e = instance(`(module (import "m" "f" (func $f))
      (func (export "trap") unreachable)
      (func (export "caught") (result i32) (block $h (try_table (catch_all $h) (call $f)) (return (i32.const 0))) (i32.const 1)))`,
    { m: { f: () => inner.trap() } });
    inner = e;
    expect(thrown(() => e.caught())).toBeInstanceOf(W.RuntimeError);
  });

  it('rejects instantiation with the Exception a start function throws', async () => {
    const bytes = watToBinary(`(module (tag $t (param i32)) (func $s (throw $t (i32.const 3))) (start $s))`);
    await expect(W.instantiate(bytes)).rejects.toBeInstanceOf(W.Exception);
  });
});

describe('WasmStep beyond V8', () => {
  it('Exception.length is 2, its required arguments in the JS API (V8 says 1)', () => {
    expect(WasmStep.Exception.length).toBe(2);
  });

  it('reads a tag\'s parameters through their iterator, as Web IDL sequences are (V8 wants an array-like)', () => {
    const tag = new WasmStep.Tag({ parameters: new Set(['i32', 'f64']) as unknown as ['i32'] });
    expect(new WasmStep.Exception(tag, new Set([1, 2.5])).getArg(tag, 1)).toBe(2.5);
  });

  it('is a read-only property of the namespace, as in V8', () => {
    const d = Object.getOwnPropertyDescriptor(WasmStep, 'JSTag')!;
    const v8 = Object.getOwnPropertyDescriptor(WebAssembly, 'JSTag')!;
    expect({ ...d, value: undefined }).toEqual({ ...v8, value: undefined });
    expect(d.value).toBeInstanceOf(WasmStep.Tag);
  });
});
