// WebAssembly.Tag, WebAssembly.Exception and WebAssembly.JSTag on the facade, with the
// same expectations run on Node's own `WebAssembly` (as engine/api/api.test.ts does), so
// each expectation is checked against V8 too.
import { describe, expect, it } from 'vitest';
import { WasmStep } from './index.ts';

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
