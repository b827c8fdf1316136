// The Content-Security-Policy of a built site (see docs/DEPLOY.md, "Content-Security-Policy").
//
//   node bin/csp.ts [dist]      # prints the policy for that build, one line
//
// Scripts: only the site's own files, plus the inline scripts Astro and Starlight write into
// the pages (the theme switch that runs before first paint, island hydration), allowed by
// their SHA-256 hashes, which are read from the built HTML — so no 'unsafe-inline' for
// scripts. 'wasm-unsafe-eval' lets the pages compile WebAssembly (Pagefind's search index,
// Shiki's highlighter). Styles allow 'unsafe-inline': Starlight and Svelte write style
// attributes, and CSS cannot run script. Everything else is same-origin only.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Script types the browser executes (other types, e.g. JSON-LD, are data, not script). */
const EXECUTABLE = /^(?:|text\/javascript|application\/javascript|module)$/i;

/** The SHA-256 source expressions ('sha256-…') of every inline script in the site's HTML files, sorted. */
export function inlineScriptHashes(dir: string): string[] {
  const hashes = new Set<string>();
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.html'));
  for (const file of files) {
    const html = readFileSync(path.join(dir, file), 'utf8');
    for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
      const attrs = m[1]!;
      if (/\bsrc\s*=/i.test(attrs)) continue;
      const type = /\btype\s*=\s*["']?([^"'\s>]*)/i.exec(attrs)?.[1] ?? '';
      if (!EXECUTABLE.test(type)) continue;
      hashes.add(`'sha256-${createHash('sha256').update(m[2]!, 'utf8').digest('base64')}'`);
    }
  }
  return [...hashes].sort();
}

/** The policy for the built site in `dir`, as one header value. */
export function contentSecurityPolicy(dir: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'wasm-unsafe-eval' ${inlineScriptHashes(dir).join(' ')}`.trimEnd(),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join('; ');
}

if (import.meta.main) {
  console.log(contentSecurityPolicy(process.argv[2] ?? process.env.SITE_OUT ?? 'dist'));
}
