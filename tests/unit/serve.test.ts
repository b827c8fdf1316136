// The static server used by `npm start` and the browser tests.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type RunningServer } from '../../bin/serve.ts';

const dir = mkdtempSync(join(tmpdir(), 'wasmstep-serve-'));
mkdirSync(join(dir, 'lessons/a'), { recursive: true });
writeFileSync(join(dir, 'index.html'), '<h1>home</h1>');
writeFileSync(join(dir, '404.html'), '<h1>not found</h1>');
writeFileSync(join(dir, 'lessons/a/index.html'), '<h1>a</h1>');
writeFileSync(join(dir, 'm.wasm'), Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0));

describe.each(['/', '/course/'])('serving dist under base %s', (base) => {
  let site: RunningServer;
  beforeAll(async () => {
    site = await serve({ dir, base });
  });
  afterAll(() => site.close());

  it('serves pages and directories', async () => {
    const home = await fetch(site.url);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await home.text()).toBe('<h1>home</h1>');
    expect(await (await fetch(`${site.url}lessons/a/`)).text()).toBe('<h1>a</h1>');
  });

  it('redirects a directory without its trailing slash', async () => {
    const response = await fetch(`${site.url}lessons/a`, { redirect: 'manual' });
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe(`${base}lessons/a/`);
  });

  it('serves .wasm as application/wasm, so streaming instantiation works', async () => {
    const response = await fetch(`${site.url}m.wasm`);
    expect(response.headers.get('content-type')).toBe('application/wasm');
    const { module } = await WebAssembly.instantiateStreaming(response);
    expect(WebAssembly.Module.exports(module)).toEqual([]);
  });

  it('answers unknown paths with the 404 page and status', async () => {
    const response = await fetch(`${site.url}no/such/page/`);
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('<h1>not found</h1>');
  });

  it('never serves files outside its directory', async () => {
    const origin = new URL(site.url).origin;
    const response = await fetch(`${origin}${base}..%2f..%2f..%2fetc%2fpasswd`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('root:');
  });
});

describe('base paths', () => {
  it('nothing outside the base is served under /course/', async () => {
    const site = await serve({ dir, base: '/course/' });
    try {
      const origin = new URL(site.url).origin;
      expect((await fetch(`${origin}/index.html`)).status).toBe(404);
      const bare = await fetch(`${origin}/course`, { redirect: 'manual' });
      expect(bare.status).toBe(301);
      expect(bare.headers.get('location')).toBe('/course/');
    } finally {
      await site.close();
    }
  });
});
