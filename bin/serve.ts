// A small static file server for the built site (dist/): what `npm start` and
// `npm run preview` run, and what the browser tests use. It serves the site under its
// base path, sends .wasm as application/wasm (so WebAssembly.instantiateStreaming works),
// answers unknown paths with the site's 404 page, and sends the site's
// Content-Security-Policy (bin/csp.ts; docs/DEPLOY.md) unless told not to.
//
//   node bin/serve.ts [--dir dist] [--base /course/] [--port 4321] [--host 127.0.0.1] [--no-csp]
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { normalizeBase } from '../site/lib/paths.ts';
import { contentSecurityPolicy } from './csp.ts';

export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.wat': 'text/plain; charset=utf-8',
  '.wast': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.pf_meta': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
  '.pagefind': 'application/octet-stream',
};

export interface ServeOptions {
  readonly dir: string;
  readonly base?: string;
  readonly port?: number;
  readonly host?: string;
  /** Send the Content-Security-Policy header (default true). */
  readonly csp?: boolean;
}

export interface RunningServer {
  readonly server: Server;
  /** The site's root URL, base path included, e.g. http://127.0.0.1:4321/course/ */
  readonly url: string;
  close(): Promise<void>;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Maps a request path to a file in `root`, or undefined when there is none. */
async function resolveFile(root: string, relative: string): Promise<string | undefined> {
  const candidate = normalize(join(root, relative));
  if (candidate !== root && !candidate.startsWith(root + sep)) return undefined; // no ../ escapes
  if (await isFile(candidate)) return candidate;
  const index = join(candidate, 'index.html');
  if (await isFile(index)) return index;
  return undefined;
}

export function serve(options: ServeOptions): Promise<RunningServer> {
  const root = resolve(options.dir);
  const base = normalizeBase(options.base ?? '/');
  const host = options.host ?? '127.0.0.1';
  // Computed once: the policy holds the hashes of the build's inline scripts.
  const csp = options.csp === false ? undefined : contentSecurityPolicy(root);

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      response.writeHead(400).end('Bad request');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (base !== '/' && pathname === base.slice(0, -1)) {
      response.writeHead(301, { location: base }).end();
      return;
    }
    const file = pathname.startsWith(base) ? await resolveFile(root, pathname.slice(base.length)) : undefined;
    // A directory without its trailing slash: redirect, as static hosts do.
    if (file?.endsWith(`${sep}index.html`) && !pathname.endsWith('/') && !pathname.endsWith('index.html')) {
      response.writeHead(301, { location: `${pathname}/${url.search}` }).end();
      return;
    }
    const target = file ?? (await resolveFile(root, '404.html'));
    if (!target) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    const type = MIME_TYPES[extname(target).toLowerCase()] ?? 'application/octet-stream';
    response.writeHead(file ? 200 : 404, {
      'content-type': type,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
      ...(csp === undefined ? {} : { 'content-security-policy': csp }),
    });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    createReadStream(target).pipe(response);
  });

  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      resolvePromise({
        server,
        url: `http://${host}:${port}${base}`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string', default: process.env.SITE_OUT ?? 'dist' },
      base: { type: 'string', default: process.env.SITE_BASE ?? '/' },
      port: { type: 'string', default: process.env.PORT ?? '4321' },
      host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
      csp: { type: 'boolean', default: true },
    },
    allowNegative: true,
  });
  if (!(await isFile(join(values.dir, 'index.html')))) {
    console.error(`No built site in ${values.dir}/ — run "npm run build" first.`);
    process.exit(1);
  }
  const running = await serve({ dir: values.dir, base: values.base, port: Number(values.port), host: values.host, csp: values.csp });
  const shown = values.host === '127.0.0.1' ? running.url.replace('127.0.0.1', 'localhost') : running.url;
  console.log(`wasmstep is being served at ${shown}  (Ctrl+C to stop)`);
}
