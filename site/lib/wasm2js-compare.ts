// The two faces of public/examples/ch11-gcd-fac: the .wasm run by the browser's own
// WebAssembly, and the JavaScript Binaryen's wasm2js made of it (bin/wasm2js.ts), behind
// one interface so the lesson "Older browsers" can call both and compare. The one real
// difference is i64: WebAssembly's JS API passes it as a BigInt
// (https://webassembly.github.io/spec/js-api/#tojsvalue), while wasm2js splits it into two
// i32 halves — low half as the argument/result, high half beside it (getTempRet0).

/** The module's exports, as a caller wants them. */
export interface GcdFac {
  gcd(a: number, b: number): number;
  div(a: number, b: number): number;
  fac(n: bigint): bigint;
}

/** A 64-bit integer from its low and high 32-bit halves, read as signed. */
export function fromHalves(low: number, high: number): bigint {
  return BigInt.asIntN(64, (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0));
}

/** The low and high 32-bit halves of a 64-bit integer, each as a signed i32. */
export function toHalves(value: bigint): [low: number, high: number] {
  const bits = BigInt.asUintN(64, value);
  return [Number(bits & 0xffff_ffffn) | 0, Number(bits >> 32n) | 0];
}

interface WasmExports {
  gcd(a: number, b: number): number;
  div(a: number, b: number): number;
  fac(n: bigint): bigint;
}

/** The .wasm's exports: i64 already arrives as a BigInt. */
export function wasmSide(exports: WebAssembly.Exports): GcdFac {
  const e = exports as unknown as WasmExports;
  return { gcd: (a, b) => e.gcd(a, b), div: (a, b) => e.div(a, b), fac: (n) => e.fac(BigInt.asIntN(64, n)) };
}

/** What the generated module and its env module export. */
export interface Wasm2jsModule {
  gcd(a: number, b: number): number;
  div(a: number, b: number): number;
  /** fac(low, high) returns the low half of the result; the high half is in getTempRet0(). */
  fac(low: number, high: number): number;
}
export interface Wasm2jsEnv {
  getTempRet0(): number;
}

/** The wasm2js module's exports: i64 goes in as two halves and comes back as two. */
export function jsSide(mod: Wasm2jsModule, env: Wasm2jsEnv): GcdFac {
  return {
    gcd: (a, b) => mod.gcd(a, b),
    div: (a, b) => mod.div(a, b),
    fac: (n) => {
      const [low, high] = toHalves(n);
      const resultLow = mod.fac(low, high);
      return fromHalves(resultLow, env.getTempRet0());
    },
  };
}

export interface Comparison {
  readonly call: string;
  readonly wasm: string;
  readonly js: string;
  readonly same: boolean;
}

/** Calls gcd(a, b), div(a, b) and fac(n) on both sides; a trap or exception becomes its message. */
export function compare(wasm: GcdFac, js: GcdFac, a: number, b: number, n: bigint): Comparison[] {
  const attempt = (f: () => number | bigint): string => {
    try {
      return String(f());
    } catch (e) {
      return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    }
  };
  const rows: [string, () => number | bigint, () => number | bigint][] = [
    [`gcd(${a}, ${b})`, () => wasm.gcd(a, b), () => js.gcd(a, b)],
    [`div(${a}, ${b})`, () => wasm.div(a, b), () => js.div(a, b)],
    [`fac(${n})`, () => wasm.fac(n), () => js.fac(n)],
  ];
  return rows.map(([call, w, j]) => {
    const wasmResult = attempt(w);
    const jsResult = attempt(j);
    return { call, wasm: wasmResult, js: jsResult, same: wasmResult === jsResult };
  });
}
