// The JS API test adapter (tests/support/js-api.ts) on small made-up test files: META
// lines, results, a hung file timing out, a file throwing at top level, and the global
// `WebAssembly` and the harness's globals put back afterwards. It needs the testsuite's
// testharness.js, so it is skipped, like the suite tests, where the testsuite is absent.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { metaOf, runJsApiFile } from '../support/js-api.ts';
import { testsuiteRoot } from '../support/testsuite.ts';

const harness = path.join(testsuiteRoot, 'harness', 'testharness.js');
const present = existsSync(harness);

describe('metaOf', () => {
  it('reads scripts, globals and timeout=long from the leading comment lines only', () => {
    const meta = metaOf('// META: global=window,jsshell\n// META: script=/wasm/jsapi/a.js\n// META: timeout=long\n\ntest(() => {});\n// META: script=late.js\n');
    expect(meta).toEqual({ scripts: ['/wasm/jsapi/a.js'], globals: ['window', 'jsshell'], long: true });
    expect(metaOf('test(() => {});').globals).toEqual(['window', 'dedicatedworker']);
  });
});

(present ? describe : describe.skip)('runJsApiFile', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'js-api-'));
  mkdirSync(path.join(root, 'harness'));
  mkdirSync(path.join(root, 'js-api'));
  copyFileSync(harness, path.join(root, 'harness', 'testharness.js'));
  const file = (name: string, text: string): string => {
    const at = path.join(root, 'js-api', name);
    writeFileSync(at, `// META: global=jsshell\n// META: script=/wasm/jsapi/helper.js\n${text}`);
    return at;
  };
  writeFileSync(path.join(root, 'js-api', 'helper.js'), 'const helperValue = 42;\n');
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const fake = { marker: 'fake WebAssembly' };

  it('runs the file with the helper, on the given namespace, and collects every subtest', async () => {
    const r = await runJsApiFile(root, file('ok.any.js', `
      test(() => assert_equals(WebAssembly.marker, 'fake WebAssembly'), 'sees the namespace');
      test(() => assert_equals(helperValue, 42), 'sees the helper');
      promise_test(async () => assert_true(false, 'no'), 'fails');
    `), fake);
    expect(r.error).toBe(null);
    expect(r.subtests.map((s) => [s.name, s.status])).toEqual([['sees the namespace', 'PASS'], ['sees the helper', 'PASS'], ['fails', 'FAIL']]);
    expect(globalThis.WebAssembly).not.toBe(fake);
    expect('test' in globalThis || 'assert_equals' in globalThis).toBe(false);
  });

  it('reports a hung file as timed out, and one that throws at top level', async () => {
    const hung = await runJsApiFile(root, file('hang.any.js', `promise_test(() => new Promise(() => {}), 'hangs');`), fake, { timeoutMs: 300 });
    expect(hung.error).toMatch(/^timed out after 300 ms/);
    const threw = await runJsApiFile(root, file('throw.any.js', `throw new TypeError('boom');`), fake);
    expect(threw.error).toBe('threw at top level: TypeError: boom');
    expect(globalThis.WebAssembly).not.toBe(fake);
  });

  it('does not run a file that is not meant for a JS shell', async () => {
    const at = path.join(root, 'js-api', 'window.any.js');
    writeFileSync(at, "// META: global=window\ntest(() => {}, 'x');\n");
    expect((await runJsApiFile(root, at, fake)).error).toBe('not run: META: global=window has no jsshell');
  });
});
