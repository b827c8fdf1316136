// The Content-Security-Policy of a build (bin/csp.ts) and its header from bin/serve.ts.
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, inlineScriptHashes } from '../../bin/csp.ts';
import { serve } from '../../bin/serve.ts';

const sha = (s: string): string => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

const dir = mkdtempSync(join(tmpdir(), 'wasmstep-csp-'));
mkdirSync(join(dir, 'a'), { recursive: true });
const theme = "document.documentElement.dataset.theme = 'dark';";
const island = '\n  import("/_astro/x.js");\n';
writeFileSync(
  join(dir, 'index.html'),
  `<script>${theme}</script><script type="module">${island}</script><script type="module" src="/_astro/page.js"></script>` +
    `<script type="application/ld+json">{"a":1}</script>`,
);
writeFileSync(join(dir, 'a/index.html'), `<SCRIPT type="text/javascript">${theme}</SCRIPT><script>${island}</script>`);

describe('Content-Security-Policy', () => {
  it('allows each distinct executable inline script by its hash, and nothing else inline', () => {
    expect(inlineScriptHashes(dir)).toEqual([sha(theme), sha(island)].sort());
  });

  it('lets pages compile WebAssembly, keeps scripts same-origin, and forbids plugins and framing by others', () => {
    const policy = contentSecurityPolicy(dir);
    const script = policy.split('; ').find((d) => d.startsWith('script-src '))!;
    expect(script).toContain("'wasm-unsafe-eval'");
    expect(script).not.toContain("'unsafe-inline'");
    expect(script).not.toContain("'unsafe-eval' ");
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).toContain("frame-ancestors 'self'");
  });

  it('is sent by bin/serve.ts by default, and not with csp: false', async () => {
    const on = await serve({ dir });
    const off = await serve({ dir, csp: false });
    try {
      expect((await fetch(on.url)).headers.get('content-security-policy')).toBe(contentSecurityPolicy(dir));
      expect((await fetch(off.url)).headers.get('content-security-policy')).toBeNull();
    } finally {
      await on.close();
      await off.close();
    }
  });
});
