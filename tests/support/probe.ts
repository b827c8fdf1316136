// Probes for the differential tests (engine/api/differential-*.test.ts): call an exported
// function, or read an exported global, of ANY type and get its results bit for bit —
// through either our facade or Node's WebAssembly, with the same code.
//
// The JS boundary cannot carry a v128 and does not keep NaN payloads
// (https://webassembly.github.io/spec/js-api/#tojsvalue). So a probe is a tiny module that
// imports the target (function or global), loads the target's number and vector arguments
// from its own memory, calls it, and stores the results back to memory, where JS reads the
// raw bytes. Only reference arguments and results cross as JS values. Importing one
// instance's export into another keeps the call inside the engine — which also exercises
// cross-instance imports in both engines.

import type { FuncType, GlobalType, ValType, ValType2 } from '../../engine/index.ts';

/** The part of a `WebAssembly`-shaped namespace the probes use. */
export interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports?: object) => { readonly exports: object };
}

/** A value with its raw bits: f32 as u32 bits, f64 as u64 bits, v128 as 16 bytes, references as JS values. */
export type Bits =
  | { readonly type: 'i32'; readonly value: number }
  | { readonly type: 'i64'; readonly value: bigint }
  | { readonly type: 'f32'; readonly value: number }
  | { readonly type: 'f64'; readonly value: bigint }
  | { readonly type: 'v128'; readonly value: Uint8Array }
  | { readonly type: 'funcref' | 'externref'; readonly value: unknown };

// Probes only build 2.0 modules.
const TYPE_CODE_2: Record<ValType2, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b, funcref: 0x70, externref: 0x6f };
const TYPE_CODE = (t: ValType): number => TYPE_CODE_2[t as ValType2];
const LOAD: Record<string, number[]> = { i32: [0x28], i64: [0x29], f32: [0x2a], f64: [0x2b], v128: [0xfd, 0x00] };
const STORE: Record<string, number[]> = { i32: [0x36], i64: [0x37], f32: [0x38], f64: [0x39], v128: [0xfd, 0x0b] };
/** Arguments live at 16 * i, results at RESULTS + 16 * j. */
const RESULTS = 4096;

function isRef(t: ValType): boolean {
  return t === 'funcref' || t === 'externref';
}

function u32(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function str(s: string): number[] {
  const b = [...new TextEncoder().encode(s)];
  return [...u32(b.length), ...b];
}

function vec(items: number[][]): number[] {
  return [...u32(items.length), ...items.flat()];
}

function section(id: number, body: number[]): number[] {
  return [id, ...u32(body.length), ...body];
}

function funcType(params: readonly ValType[], results: readonly ValType[]): number[] {
  return [0x60, ...vec(params.map((t) => [TYPE_CODE(t)])), ...vec(results.map((t) => [TYPE_CODE(t)]))];
}

function memarg(offset: number): number[] {
  return [0, ...u32(offset)];
}

/** Binary of the probe module for a function of type `t`, imported as "t" "f". */
export function funcProbeBinary(t: FuncType): Uint8Array {
  const refParams = t.params.filter(isRef);
  const refResults = t.results.filter(isRef);
  const body: number[] = [];
  let refIndex = 0;
  t.params.forEach((p, i) => {
    if (isRef(p)) body.push(0x20, ...u32(refIndex++));
    else body.push(0x41, 0, ...LOAD[p]!, ...memarg(16 * i));
  });
  body.push(0x10, 0);
  const firstResultLocal = refParams.length;
  for (let j = t.results.length - 1; j >= 0; j--) body.push(0x21, ...u32(firstResultLocal + j));
  t.results.forEach((r, j) => {
    if (!isRef(r)) body.push(0x41, 0, 0x20, ...u32(firstResultLocal + j), ...STORE[r]!, ...memarg(RESULTS + 16 * j));
  });
  t.results.forEach((r, j) => {
    if (isRef(r)) body.push(0x20, ...u32(firstResultLocal + j));
  });
  body.push(0x0b);
  const locals = vec(t.results.map((r) => [1, TYPE_CODE(r)]));
  const code = [...locals, ...body];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([funcType(t.params, t.results), funcType(refParams, refResults)])),
    ...section(2, vec([[...str('t'), ...str('f'), 0x00, 0]])),
    ...section(3, vec([[1]])),
    ...section(5, vec([[0x00, 1]])),
    ...section(7, vec([[...str('call'), 0x00, 1], [...str('mem'), 0x02, 0]])),
    ...section(10, vec([[...u32(code.length), ...code]])),
  ]);
}

/** Binary of the probe module for a global of type `g`, imported as "t" "g". */
export function globalProbeBinary(g: GlobalType): Uint8Array {
  const ref = isRef(g.type);
  const body = ref ? [0x23, 0, 0x0b] : [0x41, 0, 0x23, 0, ...STORE[g.type]!, ...memarg(RESULTS), 0x0b];
  const code = [0, ...body];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([funcType([], ref ? [g.type] : [])])),
    ...section(2, vec([[...str('t'), ...str('g'), 0x03, TYPE_CODE(g.type), g.mutable ? 1 : 0]])),
    ...section(3, vec([[0]])),
    ...section(5, vec([[0x00, 1]])),
    ...section(7, vec([[...str('call'), 0x00, 0], [...str('mem'), 0x02, 0]])),
    ...section(10, vec([[...u32(code.length), ...code]])),
  ]);
}

function readBits(view: DataView, t: ValType, at: number): Bits {
  switch (t) {
    case 'i32':
      return { type: t, value: view.getInt32(at, true) };
    case 'i64':
      return { type: t, value: view.getBigInt64(at, true) };
    case 'f32':
      return { type: t, value: view.getUint32(at, true) };
    case 'f64':
      return { type: t, value: view.getBigUint64(at, true) };
    case 'v128':
      return { type: t, value: new Uint8Array(view.buffer.slice(at, at + 16)) };
    default:
      throw new TypeError(`not a number or vector type: ${t}`);
  }
}

function writeBits(view: DataView, v: Bits, at: number): void {
  switch (v.type) {
    case 'i32':
      view.setInt32(at, v.value, true);
      return;
    case 'i64':
      view.setBigInt64(at, v.value, true);
      return;
    case 'f32':
      view.setUint32(at, v.value, true);
      return;
    case 'f64':
      view.setBigUint64(at, v.value, true);
      return;
    case 'v128':
      new Uint8Array(view.buffer, at, 16).set(v.value);
      return;
    default:
      throw new TypeError(`not a number or vector type: ${v.type}`);
  }
}

/** Probe modules per API and type (compiled once), and probe instances per target. */
export class Prober {
  readonly api: WasmApi;
  private readonly modules = new Map<string, object>();
  private readonly instances = new WeakMap<object, { exports: { call: (...a: unknown[]) => unknown; mem: { buffer: ArrayBuffer } } }>();

  constructor(api: WasmApi) {
    this.api = api;
  }

  private module(key: string, bytes: () => Uint8Array): object {
    let m = this.modules.get(key);
    if (m === undefined) {
      m = new this.api.Module(bytes());
      this.modules.set(key, m);
    }
    return m;
  }

  private probeFor(target: object, key: string, bytes: () => Uint8Array, name: 'f' | 'g') {
    let p = this.instances.get(target);
    if (p === undefined) {
      p = new this.api.Instance(this.module(key, bytes), { t: { [name]: target } }) as never;
      this.instances.set(target, p!);
    }
    return p!;
  }

  /** Calls `fn` (an exported function of type t) with bit-exact arguments; returns bit-exact results or throws what the call threw. */
  call(fn: object, t: FuncType, args: readonly Bits[]): Bits[] {
    const key = `f:${t.params.join(',')}->${t.results.join(',')}`;
    const p = this.probeFor(fn, key, () => funcProbeBinary(t), 'f');
    const view = new DataView(p.exports.mem.buffer);
    const refArgs: unknown[] = [];
    args.forEach((a, i) => {
      if (isRef(a.type)) refArgs.push(a.value);
      else writeBits(view, a, 16 * i);
    });
    const ret = p.exports.call(...refArgs);
    const refResults = t.results.filter(isRef).length;
    const refs = refResults === 0 ? [] : refResults === 1 ? [ret] : (ret as unknown[]);
    const out = new DataView(p.exports.mem.buffer);
    let k = 0;
    return t.results.map((r, j) => (isRef(r) ? ({ type: r, value: refs[k++] } as Bits) : readBits(out, r, RESULTS + 16 * j)));
  }

  /** Reads the exported global `g` of type t bit-exactly. */
  get(g: object, t: GlobalType): Bits {
    const key = `g:${t.mutable ? 'mut ' : ''}${t.type}`;
    const p = this.probeFor(g, key, () => globalProbeBinary(t), 'g');
    const ret = p.exports.call();
    if (isRef(t.type)) return { type: t.type, value: ret } as Bits;
    return readBits(new DataView(p.exports.mem.buffer), t.type, RESULTS);
  }
}
