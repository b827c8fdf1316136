// The facade (engine/api/) against the JS API (https://webassembly.github.io/spec/js-api/):
// every behaviour test runs twice, once on Node's own `WebAssembly` and once on
// `WasmStep`, with the same expectations — so each expectation is checked against V8
// as well, and a test that is wrong about the JS API fails on V8 first.
import { describe, expect, it } from 'vitest';
import { ParseError } from '../text/index.ts';
import { compileWat, engineInstanceOf, instantiateWat, moduleAst, WasmStep, watToBinary } from './index.ts';

type Exports = Record<string, any>;
interface Api {
  Module: any;
  Instance: any;
  Memory: any;
  Table: any;
  Global: any;
  CompileError: any;
  LinkError: any;
  RuntimeError: any;
  validate(bytes: unknown): boolean;
  compile(bytes: unknown): Promise<any>;
  instantiate(source: unknown, imports?: object): Promise<any>;
}

const apis: [string, Api][] = [
  ['V8', WebAssembly as unknown as Api],
  ['WasmStep', WasmStep as unknown as Api],
];

describe.each(apis)('%s', (_, W) => {
  const instance = (wat: string, imports?: object): Exports => new W.Instance(new W.Module(watToBinary(wat)), imports).exports;
  const catchError = (f: () => unknown): unknown => {
    try {
      f();
    } catch (e) {
      return e;
    }
    throw new Error('did not throw');
  };

  describe('Module, validate, compile', () => {
    const bytes = watToBinary(`(module
      (import "m" "f" (func (param i32)))
      (import "m" "mem" (memory 1))
      (import "n" "g" (global i64))
      (import "n" "t" (table 1 funcref))
      (func (export "run"))
      (export "memory" (memory 0))
      (global (export "glob") i32 (i32.const 0))
      (table (export "table") 0 funcref))`);

    it('compiles from an ArrayBuffer and from typed arrays (only the viewed bytes)', () => {
      const copy = bytes.slice();
      const padded = new Uint8Array(bytes.length + 8);
      padded.set(bytes, 4);
      for (const source of [copy.buffer, copy, padded.subarray(4, 4 + bytes.length)]) expect(new W.Module(source)).toBeInstanceOf(W.Module);
    });

    it('lists exports and imports with their kinds', () => {
      const m = new W.Module(bytes);
      expect(W.Module.exports(m)).toEqual([
        { name: 'run', kind: 'function' },
        { name: 'memory', kind: 'memory' },
        { name: 'glob', kind: 'global' },
        { name: 'table', kind: 'table' },
      ]);
      expect(W.Module.imports(m)).toEqual([
        { module: 'm', name: 'f', kind: 'function' },
        { module: 'm', name: 'mem', kind: 'memory' },
        { module: 'n', name: 'g', kind: 'global' },
        { module: 'n', name: 't', kind: 'table' },
      ]);
      expect(() => W.Module.exports({})).toThrow(TypeError);
    });

    it('returns custom sections by name, as fresh ArrayBuffers', () => {
      // Custom sections "a" [7 8], "b" [9], "a" [].
      const m = new W.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 0, 4, 1, 97, 7, 8, 0, 3, 1, 98, 9, 0, 2, 1, 97]));
      const a = W.Module.customSections(m, 'a');
      expect(a.map((b: ArrayBuffer) => [...new Uint8Array(b)])).toEqual([[7, 8], []]);
      expect(a[0]).toBeInstanceOf(ArrayBuffer);
      expect(W.Module.customSections(m, 'zz')).toEqual([]);
    });

    it('rejects bad bytes with CompileError and non-buffers with TypeError', () => {
      expect(() => new W.Module(new Uint8Array([0, 97, 115, 109, 2, 0, 0, 0]))).toThrow(W.CompileError);
      // Well-formed but invalid: i32.add with nothing on the stack.
      const invalid = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 5, 1, 3, 0, 106, 11]);
      expect(() => new W.Module(invalid)).toThrow(W.CompileError);
      expect(W.validate(invalid)).toBe(false);
      expect(W.validate(bytes)).toBe(true);
      expect(() => W.validate('not bytes')).toThrow(TypeError);
      expect(() => new W.Module([0, 97, 115, 109])).toThrow(TypeError);
      expect(new W.CompileError('x')).toBeInstanceOf(Error);
    });

    it('copies the bytes: changing the buffer afterwards changes nothing', () => {
      const copy = watToBinary('(module (func (export "f") (result i32) i32.const 7))');
      const m = new W.Module(copy);
      copy.fill(0);
      expect(new W.Instance(m).exports.f()).toBe(7);
    });

    it('compile and instantiate are promises; every failure is a rejection', async () => {
      const m = await W.compile(watToBinary('(module (func (export "f") (result i32) i32.const 3))'));
      expect(m).toBeInstanceOf(W.Module);
      const inst = await W.instantiate(m);
      expect(inst).toBeInstanceOf(W.Instance);
      expect(inst.exports.f()).toBe(3);
      const both = await W.instantiate(watToBinary('(module (func (export "f") (result i32) i32.const 4))'));
      expect(Object.keys(both)).toEqual(['module', 'instance']);
      expect(both.module).toBeInstanceOf(W.Module);
      expect(both.instance.exports.f()).toBe(4);
      await expect(W.compile(new Uint8Array([1, 2, 3]))).rejects.toBeInstanceOf(W.CompileError);
      await expect(W.instantiate(watToBinary('(module (import "m" "f" (func)))'), {})).rejects.toBeInstanceOf(TypeError);
      await expect(W.instantiate(watToBinary('(module (func unreachable) (start 0))'))).rejects.toBeInstanceOf(W.RuntimeError);
    });
  });

  describe('exports', () => {
    it('is a frozen object with a null prototype, in module order', () => {
      const e = instance('(module (func (export "b")) (func (export "a")) (memory (export "c") 0))');
      expect(Object.keys(e)).toEqual(['b', 'a', 'c']);
      expect(Object.getPrototypeOf(e)).toBe(null);
      expect(Object.isFrozen(e)).toBe(true);
    });

    it('exported functions: name is the function index, length the parameter count, not constructors', () => {
      const e = instance('(module (func) (func (export "f") (param i32 f64) (result i32) i32.const 0))');
      expect(e.f.name).toBe('1');
      expect(e.f.length).toBe(2);
      expect(() => new e.f()).toThrow(TypeError);
    });
  });

  describe('ToWebAssemblyValue and ToJSValue', () => {
    const e = instance(`(module
      (func (export "i32") (param i32) (result i32) local.get 0)
      (func (export "i64") (param i64) (result i64) local.get 0)
      (func (export "f32") (param f32) (result f32) local.get 0)
      (func (export "f64") (param f64) (result f64) local.get 0)
      (func (export "ext") (param externref) (result externref) local.get 0)
      (func (export "fn") (param funcref) (result funcref) local.get 0)
      (func (export "v128") (param v128))
      (func (export "multi") (param i64 f32) (result i64 f32 i32) local.get 0 local.get 1 i32.const -1)
      (func (export "u32") (result i32) i32.const -1))`);

    it('i32: ToInt32 (wrapping, truncation, strings, objects); results are signed', () => {
      expect(e.i32(2 ** 32 + 5)).toBe(5);
      expect(e.i32(2 ** 31)).toBe(-(2 ** 31));
      expect(e.i32(-1.9)).toBe(-1);
      expect(e.i32('7')).toBe(7);
      expect(e.i32(true)).toBe(1);
      expect(e.i32(NaN)).toBe(0);
      expect(e.i32(undefined)).toBe(0);
      expect(e.i32()).toBe(0);
      expect(e.i32({ valueOf: () => 9 })).toBe(9);
      expect(e.u32()).toBe(-1);
      expect(() => e.i32(1n)).toThrow(TypeError);
      expect(() => e.i32(Symbol('s'))).toThrow(TypeError);
    });

    it('i64: ToBigInt64 — BigInt, strings and booleans, never Numbers', () => {
      expect(e.i64(-1n)).toBe(-1n);
      expect(e.i64(2n ** 64n + 3n)).toBe(3n);
      expect(e.i64(2n ** 63n)).toBe(-(2n ** 63n));
      expect(e.i64('12')).toBe(12n);
      expect(e.i64(true)).toBe(1n);
      expect(() => e.i64(1)).toThrow(TypeError);
      expect(() => e.i64(undefined)).toThrow(TypeError);
      expect(() => e.i64()).toThrow(TypeError);
    });

    it('f32 rounds to single precision; f64 keeps -0, infinities and NaN', () => {
      expect(e.f32(0.1)).toBe(Math.fround(0.1));
      expect(e.f32(1e40)).toBe(Infinity);
      expect(Object.is(e.f64(-0), -0)).toBe(true);
      expect(e.f64(-Infinity)).toBe(-Infinity);
      expect(e.f64(undefined)).toBeNaN();
      expect(e.f64('2.5')).toBe(2.5);
      expect(() => e.f64(2n)).toThrow(TypeError);
    });

    it('externref: any JS value, undefined included, comes back as itself', () => {
      const o = { x: 1 };
      expect(e.ext(o)).toBe(o);
      expect(e.ext(undefined)).toBe(undefined);
      expect(e.ext(null)).toBe(null);
      expect(e.ext(0)).toBe(0);
      expect(e.ext('s')).toBe('s');
    });

    it('funcref: null or an exported function, which comes back as the same object', () => {
      expect(e.fn(e.i32)).toBe(e.i32);
      expect(e.fn(null)).toBe(null);
      expect(() => e.fn(() => 1)).toThrow(TypeError);
      expect(() => e.fn(1)).toThrow(TypeError);
    });

    it('v128 cannot cross: TypeError', () => {
      expect(() => e.v128()).toThrow(TypeError);
    });

    it('several results come back as an array', () => {
      expect(e.multi(-2n, 1.5)).toEqual([-2n, 1.5, -1]);
    });
  });

  describe('traps and errors', () => {
    const e = instance(`(module
      (memory 1)
      (func (export "unreachable") unreachable)
      (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
      (func (export "load") (param i32) (result i32) local.get 0 i32.load)
      (func $r (export "recurse") (param i32) (result i32) local.get 0 call $r))`);

    it('a trap is a RuntimeError', () => {
      for (const f of [() => e.unreachable(), () => e.div(1, 0), () => e.div(-(2 ** 31), -1), () => e.load(65535)]) {
        const err = catchError(f);
        expect(err).toBeInstanceOf(W.RuntimeError);
        expect(err).toBeInstanceOf(Error);
      }
      expect(e.div(7, 2)).toBe(3);
    });

    it('running out of stack is a RangeError, as in JS', () => {
      expect(catchError(() => e.recurse(0))).toBeInstanceOf(RangeError);
    });

    it('a trap in the start function rejects instantiation with RuntimeError', () => {
      expect(() => instance('(module (func unreachable) (start 0))')).toThrow(W.RuntimeError);
    });

    it('an out-of-bounds segment traps at instantiation, after earlier segments were written (2.0 order)', () => {
      const mem = new W.Memory({ initial: 1 });
      const err = catchError(() => instance('(module (import "m" "mem" (memory 1)) (data (i32.const 0) "ab") (data (i32.const 65535) "cd"))', { m: { mem } }));
      expect(err).toBeInstanceOf(W.RuntimeError);
      expect([...new Uint8Array(mem.buffer, 0, 2)]).toEqual([97, 98]);
    });
  });

  describe('imports', () => {
    it('calls JS functions with converted arguments and converts their results', () => {
      const seen: unknown[][] = [];
      const e = instance(
        `(module
          (import "m" "f" (func $f (param i32 i64 f32 f64 externref) (result i32 i64)))
          (func (export "c") (result i32 i64)
            i32.const -1 i64.const -2 f32.const 1.5 f64.const -0 ref.null extern call $f))`,
        { m: { f: (...a: unknown[]) => (seen.push(a), [1.9, 3n]) } },
      );
      expect(e.c()).toEqual([1, 3n]);
      expect(seen).toEqual([[-1, -2n, 1.5, -0, null]]);
    });

    it('a JS function given a wrong result throws TypeError through wasm', () => {
      const i64 = instance('(module (import "m" "f" (func $f (result i64))) (func (export "c") (result i64) call $f))', { m: { f: () => 5 } });
      expect(() => i64.c()).toThrow(TypeError);
      const multi = instance('(module (import "m" "f" (func $f (result i32 i32))) (func (export "c") (result i32 i32) call $f))', { m: { f: () => 5 } });
      expect(() => multi.c()).toThrow(TypeError);
      const short = instance('(module (import "m" "f" (func $f (result i32 i32))) (func (export "c") (result i32 i32) call $f))', { m: { f: () => [1] } });
      expect(() => short.c()).toThrow(TypeError);
    });

    it('a JS exception passes through wasm unchanged', () => {
      const boom = new Error('boom');
      const e = instance('(module (import "m" "f" (func $f)) (func (export "c") call $f))', {
        m: {
          f: () => {
            throw boom;
          },
        },
      });
      expect(catchError(() => e.c())).toBe(boom);
    });

    it('a v128 in a JS import signature throws TypeError when called, not when linked', () => {
      let called = false;
      const e = instance('(module (import "m" "f" (func $f (param v128))) (func (export "c") v128.const i64x2 0 0 call $f))', {
        m: { f: () => (called = true) },
      });
      expect(() => e.c()).toThrow(TypeError);
      expect(called).toBe(false);
    });

    it('looks imports up with Get, once per import, in order', () => {
      const order: string[] = [];
      const importObject = {
        get m() {
          order.push('m');
          return {
            get x() {
              order.push('x');
              return () => 0;
            },
            get y() {
              order.push('y');
              return () => 0;
            },
          };
        },
      };
      instance('(module (import "m" "x" (func)) (import "m" "y" (func)) (import "m" "x" (func)))', importObject);
      expect(order).toEqual(['m', 'x', 'm', 'y', 'm', 'x']);
    });

    it('TypeError for a missing import object or module namespace, LinkError for a bad value', () => {
      const wat = '(module (import "m" "x" (func)))';
      expect(() => instance(wat)).toThrow(TypeError);
      expect(() => instance(wat, {})).toThrow(TypeError);
      expect(() => instance(wat, { m: 1 })).toThrow(TypeError);
      expect(() => instance(wat, { m: {} })).toThrow(W.LinkError);
      expect(() => instance(wat, { m: { x: 1 } })).toThrow(W.LinkError);
      expect(() => instance('(module (import "m" "x" (memory 1)))', { m: { x: {} } })).toThrow(W.LinkError);
      expect(() => instance('(module (import "m" "x" (memory 2)))', { m: { x: new W.Memory({ initial: 1 }) } })).toThrow(W.LinkError);
      expect(() => instance('(module (import "m" "x" (table 1 funcref)))', { m: { x: new W.Table({ element: 'externref', initial: 1 }) } })).toThrow(W.LinkError);
      // A wasm function of the wrong type.
      const f = instance('(module (func (export "f") (param i32)))').f;
      expect(() => instance('(module (import "m" "x" (func (param i64))))', { m: { x: f } })).toThrow(W.LinkError);
    });

    it('globals: a Number or BigInt for an immutable import, a Global object otherwise', () => {
      const get = (type: string, mut: string, v: unknown) =>
        instance(`(module (import "m" "g" (global ${mut === '' ? type : `(mut ${type})`})) (func (export "get") (result ${type}) global.get 0))`, { m: { g: v } }).get();
      expect(get('i32', '', 5)).toBe(5);
      expect(get('i64', '', 5n)).toBe(5n);
      expect(get('f32', '', 0.1)).toBe(Math.fround(0.1));
      expect(get('externref', '', undefined)).toBe(undefined);
      expect(() => get('i32', '', 5n)).toThrow(W.LinkError);
      expect(() => get('i32', '', '5')).toThrow(W.LinkError);
      expect(() => get('i64', '', 5)).toThrow(W.LinkError);
      expect(() => get('funcref', '', 5)).toThrow(W.LinkError);
      expect(() => get('i32', 'mut', 5)).toThrow(W.LinkError);
      expect(get('i32', 'mut', new W.Global({ value: 'i32', mutable: true }, 8))).toBe(8);
      expect(() => get('i32', '', new W.Global({ value: 'i64' }, 8n))).toThrow(W.LinkError);
      expect(() => get('i32', 'mut', new W.Global({ value: 'i32' }, 8))).toThrow(W.LinkError);
    });

    it('links instances: functions, memories, tables and globals are shared, and re-exported as the same objects', () => {
      const a = instance(`(module
        (func (export "f") (result i32) i32.const 11)
        (memory (export "m") 1)
        (table (export "t") 2 funcref)
        (global (export "g") (mut i32) (i32.const 1))
        (elem (i32.const 0) func 0))`);
      const b = instance(
        `(module
          (import "a" "f" (func $f (result i32)))
          (import "a" "m" (memory 1))
          (import "a" "t" (table 2 funcref))
          (import "a" "g" (global $g (mut i32)))
          (type $t (func (result i32)))
          (func (export "run") (result i32)
            (i32.store (i32.const 8) (i32.const 0x01020304))
            (global.set $g (i32.const 99))
            (table.set 0 (i32.const 1) (ref.func $f))
            (i32.add (call $f) (call_indirect (type $t) (i32.const 0))))
          (export "f" (func $f)) (export "m" (memory 0)) (export "t" (table 0)) (export "g" (global $g)))`,
        { a },
      );
      expect(b.run()).toBe(22);
      expect(new DataView(a.m.buffer).getInt32(8, true)).toBe(0x01020304);
      expect(a.g.value).toBe(99);
      expect(a.t.get(1)).toBe(a.f);
      expect(b.f).toBe(a.f);
      expect(b.m).toBe(a.m);
      expect(b.t).toBe(a.t);
      expect(b.g).toBe(a.g);
    });

    it('a JS function put in a table comes back as an exported-function wrapper, named by its index', () => {
      const js = () => 5;
      const e = instance('(module (import "m" "f" (func $f (result i32))) (table (export "t") 1 funcref) (elem (i32.const 0) func $f) (export "f" (func $f)))', {
        m: { f: js },
      });
      expect(e.f).not.toBe(js);
      expect(e.t.get(0)).toBe(e.f);
      expect(e.f.name).toBe('0');
    });
  });

  describe('Memory', () => {
    it('has a buffer per size: growing detaches the old one, even by 0 pages', () => {
      const m = new W.Memory({ initial: 1, maximum: 3 });
      const b0 = m.buffer;
      expect(m.buffer).toBe(b0);
      expect(b0.byteLength).toBe(65536);
      new Uint8Array(b0)[5] = 42;
      expect(m.grow(1)).toBe(1);
      expect(b0.byteLength).toBe(0);
      const b1 = m.buffer;
      expect(b1.byteLength).toBe(2 * 65536);
      expect(new Uint8Array(b1)[5]).toBe(42);
      expect(m.grow(0)).toBe(2);
      expect(b1.byteLength).toBe(0);
      expect(m.buffer).not.toBe(b1);
      expect(new Uint8Array(m.buffer)[5]).toBe(42);
    });

    it('growing past the maximum is a RangeError; bad descriptors are TypeError or RangeError', () => {
      const m = new W.Memory({ initial: 1, maximum: 2 });
      expect(() => m.grow(2)).toThrow(RangeError);
      expect(m.buffer.byteLength).toBe(65536);
      expect(() => new W.Memory({})).toThrow(TypeError);
      expect(() => new W.Memory({ initial: -1 })).toThrow(TypeError);
      expect(() => new W.Memory({ initial: 70000 })).toThrow(RangeError);
      expect(() => new W.Memory({ initial: 2, maximum: 1 })).toThrow(RangeError);
    });

    it('sees growth by wasm: the next `buffer` is the new size, and the old one is then detached', () => {
      const e = instance('(module (memory (export "m") 1) (func (export "grow") (result i32) i32.const 1 memory.grow))');
      const b0 = e.m.buffer;
      expect(e.grow()).toBe(1);
      expect(e.m.buffer.byteLength).toBe(2 * 65536);
      expect(b0.byteLength).toBe(0);
    });

    it('wasm memory.grow detaches the old buffer at once, before JS asks for `buffer` again', () => {
      const seen: number[] = [];
      let b0: ArrayBuffer | undefined;
      const e = instance(
        '(module (import "js" "look" (func $look)) (memory (export "m") 1) (func (export "grow") (result i32) i32.const 1 memory.grow call $look))',
        { js: { look: () => seen.push(b0!.byteLength) } },
      );
      b0 = e.m.buffer;
      expect(e.grow()).toBe(1);
      // Inside the call (the import runs right after memory.grow) and after it.
      expect(seen).toEqual([0]);
      expect(b0!.byteLength).toBe(0);
    });

    it('JS and wasm see the same bytes', () => {
      const e = instance('(module (memory (export "m") 1) (func (export "get") (param i32) (result i32) local.get 0 i32.load8_u) (data (i32.const 3) "\\07"))');
      expect(new Uint8Array(e.m.buffer)[3]).toBe(7);
      new Uint8Array(e.m.buffer)[4] = 9;
      expect(e.get(4)).toBe(9);
    });
  });

  describe('Web IDL shape', () => {
    const interfaces = ['Module', 'Instance', 'Memory', 'Table', 'Global'] as const;

    it('tags the namespace and every interface for Object.prototype.toString', () => {
      expect(Object.prototype.toString.call(W)).toBe('[object WebAssembly]');
      expect(Object.getOwnPropertyDescriptor(W, Symbol.toStringTag)).toEqual({ value: 'WebAssembly', writable: false, enumerable: false, configurable: true });
      for (const name of interfaces) {
        expect(Object.getOwnPropertyDescriptor((W as any)[name].prototype, Symbol.toStringTag)).toEqual({
          value: `WebAssembly.${name}`, writable: false, enumerable: false, configurable: true,
        });
      }
      expect(String(new W.Memory({ initial: 0 }))).toBe('[object WebAssembly.Memory]');
      expect(String(new W.Module(watToBinary('(module)')))).toBe('[object WebAssembly.Module]');
    });

    it('has namespace members with Web IDL attributes: interfaces hidden, operations enumerable', () => {
      for (const name of [...interfaces, 'CompileError', 'LinkError', 'RuntimeError']) {
        expect(Object.getOwnPropertyDescriptor(W, name)).toMatchObject({ writable: true, enumerable: false, configurable: true });
      }
      for (const name of ['validate', 'compile', 'instantiate']) {
        expect(Object.getOwnPropertyDescriptor(W, name)).toMatchObject({ writable: true, enumerable: true, configurable: true });
      }
    });

    it('counts only required arguments in `length`, and makes operations and attributes enumerable', () => {
      expect([W.instantiate.length, W.Instance.length, W.Table.length, W.Global.length]).toEqual([1, 1, 1, 1]);
      expect([W.Table.prototype.set.length, W.Table.prototype.grow.length]).toEqual([1, 1]);
      for (const [proto, key] of [[W.Table.prototype, 'length'], [W.Table.prototype, 'get'], [W.Instance.prototype, 'exports'], [W.Memory.prototype, 'buffer'], [W.Global.prototype, 'valueOf'], [W.Module, 'exports']]) {
        expect(Object.getOwnPropertyDescriptor(proto, key)!.enumerable).toBe(true);
      }
    });

    it('brand-checks: valueOf on a non-Global and ArrayBuffer.prototype as bytes are TypeErrors', () => {
      expect(() => W.Global.prototype.valueOf.call(true)).toThrow(TypeError);
      expect(() => W.validate(ArrayBuffer.prototype)).toThrow(TypeError);
      expect(() => new W.Module(ArrayBuffer.prototype)).toThrow(TypeError);
    });

    it('treats an explicit undefined as a value: set(0, undefined) on a funcref table is a TypeError', () => {
      const t = new W.Table({ element: 'anyfunc', initial: 1 });
      expect(() => t.set(0, undefined)).toThrow(TypeError);
      t.set(0);
      expect(t.get(0)).toBe(null);
    });

    it('instantiate(bytes) reads the imports only after returning', async () => {
      const order: string[] = [];
      const imports = { get m() { order.push('m'); return { g: 1 }; } };
      const p = W.instantiate(watToBinary('(module (import "m" "g" (global i32)))'), imports);
      expect(order).toEqual([]);
      await p;
      expect(order).toEqual(['m']);
    });

    it('takes several results from an iterable as ECMAScript iterates: @@iterator and next read once', () => {
      const log: string[] = [];
      const iterable = {
        get [Symbol.iterator]() {
          log.push('@@iterator');
          return function* () { log.push('next'); yield 1; yield 2; };
        },
      };
      const e = instance('(module (import "m" "f" (func $f (result i32 i32))) (func (export "g") (result i32 i32) call $f))', { m: { f: () => iterable } });
      expect(e.g()).toEqual([1, 2]);
      expect(log).toEqual(['@@iterator', 'next']);
    });
  });

  describe('Table', () => {
    it('get, set, grow and length; index out of range is a RangeError', () => {
      const e = instance('(module (func (export "f")) (table (export "t") 2 4 funcref))');
      const t = e.t;
      expect(t.length).toBe(2);
      expect(t.get(0)).toBe(null);
      t.set(1, e.f);
      expect(t.get(1)).toBe(e.f);
      t.set(1);
      expect(t.get(1)).toBe(null);
      expect(t.grow(1, e.f)).toBe(2);
      expect(t.length).toBe(3);
      expect(t.get(2)).toBe(e.f);
      expect(() => t.get(3)).toThrow(RangeError);
      expect(() => t.set(3, null)).toThrow(RangeError);
      expect(() => t.grow(2)).toThrow(RangeError);
      expect(() => t.set(0, () => 1)).toThrow(TypeError);
    });

    it('externref tables default to undefined; anyfunc tables to null', () => {
      const t = new W.Table({ element: 'externref', initial: 1 }, 'x');
      expect(t.get(0)).toBe('x');
      expect(t.grow(1)).toBe(1);
      expect(t.get(1)).toBe(undefined);
      t.set(0);
      expect(t.get(0)).toBe(undefined);
      expect(new W.Table({ element: 'anyfunc', initial: 1 }).get(0)).toBe(null);
      expect(() => new W.Table({ element: 'i32', initial: 1 })).toThrow(TypeError);
      expect(() => new W.Table({ element: 'anyfunc', initial: 2, maximum: 1 })).toThrow(RangeError);
    });

    it('wasm and JS share the table', () => {
      const e = instance('(module (table (export "t") 1 externref) (func (export "get") (result externref) i32.const 0 table.get 0))');
      const o = {};
      e.t.set(0, o);
      expect(e.get()).toBe(o);
    });
  });

  describe('Global', () => {
    it('value, valueOf, and the setter for mutable globals only', () => {
      const g = new W.Global({ value: 'i64', mutable: true });
      expect(g.value).toBe(0n);
      g.value = '5';
      expect(g.valueOf()).toBe(5n);
      expect(() => (g.value = 1)).toThrow(TypeError);
      const c = new W.Global({ value: 'i32' }, 2 ** 32 + 5);
      expect(c.value).toBe(5);
      expect(() => (c.value = 2)).toThrow(TypeError);
      expect(new W.Global({ value: 'f32' }, 0.1).value).toBe(Math.fround(0.1));
      expect(new W.Global({ value: 'externref' }).value).toBe(undefined);
      expect(new W.Global({ value: 'anyfunc' }).value).toBe(null);
      expect(() => new W.Global({ value: 'v128' })).toThrow(TypeError);
      expect(() => new W.Global({ value: 'i8' })).toThrow(TypeError);
    });

    it('wasm and JS share an exported mutable global', () => {
      const e = instance('(module (global (export "g") (mut f64) (f64.const 1.5)) (func (export "set") (param f64) local.get 0 global.set 0))');
      expect(e.g.value).toBe(1.5);
      e.set(-0);
      expect(Object.is(e.g.value, -0)).toBe(true);
      e.g.value = 3;
      expect(e.g.value).toBe(3);
    });
  });
});

describe('WasmStep beyond V8', () => {
  it('accepts a DataView, which is a BufferSource (V8 in Node 22 rejects it)', () => {
    const bytes = watToBinary('(module)');
    expect(new WasmStep.Module(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength))).toBeInstanceOf(WasmStep.Module);
  });

  it('instantiateWat and compileWat accept text; a syntax error is a CompileError caused by a ParseError', () => {
    const e = instantiateWat('(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))').exports as Exports;
    expect(e.add(2, 40)).toBe(42);
    expect(WasmStep.Module.exports(compileWat('(module (memory (export "m") 0))'))).toEqual([{ name: 'm', kind: 'memory' }]);
    let err: unknown;
    try {
      compileWat('(module (func (export "f") i32.bogus))');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WasmStep.CompileError);
    expect((err as Error).cause).toBeInstanceOf(ParseError);
  });

  it('a step budget turns a runaway call into a RuntimeError, and the instance stays usable', () => {
    const m = compileWat('(module (func (export "spin") (loop br 0)) (func (export "ok") (result i32) i32.const 1))');
    const e = new WasmStep.Instance(m, undefined, { budget: 10_000 }).exports as Exports;
    expect(() => e.spin()).toThrow(WasmStep.RuntimeError);
    expect(() => e.spin()).toThrow('step budget exhausted');
    expect(e.ok()).toBe(1);
  });

  it('gives views the AST and the engine instance, and keeps the located Trap as the cause', () => {
    const m = compileWat('(module (func (export "f") nop unreachable))');
    expect(moduleAst(m).funcs).toHaveLength(1);
    const inst = new WasmStep.Instance(m);
    expect(engineInstanceOf(inst)?.exports.has('f')).toBe(true);
    let err: unknown;
    try {
      (inst.exports as Exports).f();
    } catch (e) {
      err = e;
    }
    expect((err as Error).message).toBe('unreachable');
    expect((err as { cause?: { position?: number } }).cause?.position).toBe(1);
  });
});
