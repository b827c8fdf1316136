// The wasm2js example of "Older browsers" (public/examples/ch11-gcd-fac.*): the committed
// .wasm is our encoder's output for the .wat; the committed .js is exactly what
// bin/wasm2js.ts (Binaryen's wasm2js) makes of the .wat today; and the two agree when
// run — the .wasm on V8's WebAssembly, the .js as an ordinary ES module.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { wasm2js } from '../../bin/wasm2js.ts';
import { encodeModule, parseWat, validateModule } from '../../engine/index.ts';
import { compare, fromHalves, jsSide, toHalves, wasmSide, type Wasm2jsEnv, type Wasm2jsModule } from '../../site/lib/wasm2js-compare.ts';

const examples = join(import.meta.dirname, '..', '..', 'public', 'examples');
const wat = readFileSync(join(examples, 'ch11-gcd-fac.wat'), 'utf8');

async function bothSides() {
  const { instance } = await WebAssembly.instantiate(new Uint8Array(readFileSync(join(examples, 'ch11-gcd-fac.wasm'))));
  const mod = (await import(pathToFileURL(join(examples, 'ch11-gcd-fac.js')).href)) as Wasm2jsModule;
  const env = (await import(pathToFileURL(join(examples, 'ch11-env.js')).href)) as Wasm2jsEnv;
  return { wasm: wasmSide(instance.exports), js: jsSide(mod, env), mod };
}

describe('public/examples/ch11-gcd-fac', () => {
  it('.wasm is exactly our encoding of the .wat', () => {
    const module = parseWat(wat);
    validateModule(module);
    expect([...readFileSync(join(examples, 'ch11-gcd-fac.wasm'))]).toEqual([...encodeModule(module)]);
  });

  it('.js is what bin/wasm2js.ts makes of the .wat (run it again after changing either)', () => {
    expect(wasm2js(wat, 'ch11-gcd-fac.wat')).toBe(readFileSync(join(examples, 'ch11-gcd-fac.js'), 'utf8'));
  }, 120_000);

  it('the two agree on gcd and on fac across the i64 range, wrap-around included', async () => {
    const { wasm, js } = await bothSides();
    for (const [a, b] of [[1071, 462], [0, 5], [5, 0], [-1, 6], [17, 5]] as const) expect(js.gcd(a, b)).toBe(wasm.gcd(a, b));
    expect(wasm.gcd(1071, 462)).toBe(21);
    for (let n = 0n; n <= 25n; n++) expect(js.fac(n)).toBe(wasm.fac(n));
    expect(js.fac(20n)).toBe(2432902008176640000n);
    expect(js.fac(21n)).toBe(-4249290049419214848n);
  }, 30_000);

  it('where they differ: wasm traps on division by zero, the wasm2js JavaScript returns 0', async () => {
    const { wasm, js } = await bothSides();
    expect(js.div(-7, 2)).toBe(wasm.div(-7, 2));
    expect(() => wasm.div(7, 0)).toThrow(WebAssembly.RuntimeError);
    expect(js.div(7, 0)).toBe(0);
    const [, row] = compare(wasm, js, 7, 0, 1n);
    expect(row).toMatchObject({ call: 'div(7, 0)', js: '0', same: false });
    expect(row!.wasm).toMatch(/^RuntimeError: .*divi/);
  }, 30_000);

  it('the wasm2js fac takes and returns an i64 as two i32 halves', async () => {
    const { mod } = await bothSides();
    expect(mod.fac.length).toBe(2);
    expect(mod.gcd.length).toBe(2);
  }, 30_000);

  it('compare() reports each call on both sides', async () => {
    const { wasm, js } = await bothSides();
    expect(compare(wasm, js, 1071, 462, 21n)).toEqual([
      { call: 'gcd(1071, 462)', wasm: '21', js: '21', same: true },
      { call: 'div(1071, 462)', wasm: '2', js: '2', same: true },
      { call: 'fac(21)', wasm: '-4249290049419214848', js: '-4249290049419214848', same: true },
    ]);
  }, 30_000);
});

describe('i64 halves', () => {
  it('split and join round-trip, signed', () => {
    for (const v of [0n, 1n, -1n, 2n ** 32n, -(2n ** 63n), 2n ** 63n - 1n, 2432902008176640000n]) {
      const [low, high] = toHalves(v);
      expect(fromHalves(low, high)).toBe(v);
    }
    expect(toHalves(-1n)).toEqual([-1, -1]);
    expect(toHalves(2n ** 32n + 5n)).toEqual([5, 1]);
  });
});
