// Self-hosts Pyodide (CPython compiled to WebAssembly; https://pyodide.org) for the live
// Python cell of "Python in the browser" (site/islands/PythonCell.svelte). The files come
// from the npm package `pyodide` in node_modules and are never committed:
//
//   - `astro build`: the astro:build:done hook copies them into <outDir>/vendor/pyodide/;
//   - `astro dev`: a Vite middleware serves the same files at <base>vendor/pyodide/.
//
// The island learns what it will download (names, sizes, versions) from the virtual module
// `virtual:wasmstep/pyodide`, so it can say "about N MB" without requesting anything
// before the learner asks. Only the files a plain `loadPyodide()` fetches are shipped;
// the package's wheels (numpy & co.) are not part of the npm package.
import { copyFileSync, createReadStream, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';

/** Where the files live under the site's base path. */
export const PYODIDE_DIR = 'vendor/pyodide/';

/** What loadPyodide() fetches from its indexURL, in the order it needs them. */
export const PYODIDE_FILES = ['pyodide.mjs', 'pyodide-lock.json', 'pyodide.asm.mjs', 'pyodide.asm.wasm', 'python_stdlib.zip'] as const;

const VIRTUAL_ID = 'virtual:wasmstep/pyodide';
const RESOLVED_ID = '\0' + VIRTUAL_ID;

const TYPES: Readonly<Record<string, string>> = {
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.zip': 'application/zip',
};

/** The installed package's directory. */
export function pyodidePackageDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('pyodide/package.json'));
}

export interface PyodideManifest {
  readonly version: string;
  readonly python: string;
  readonly files: readonly { readonly name: string; readonly bytes: number }[];
}

export function pyodideManifest(dir: string = pyodidePackageDir()): PyodideManifest {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
  const lock = JSON.parse(readFileSync(join(dir, 'pyodide-lock.json'), 'utf8')) as { info?: { python?: string } };
  return {
    version: pkg.version,
    python: lock.info?.python ?? '3',
    files: PYODIDE_FILES.map((name) => ({ name, bytes: statSync(join(dir, name)).size })),
  };
}

export default function pyodide(): AstroIntegration {
  const dir = pyodidePackageDir();
  return {
    name: 'wasmstep:pyodide',
    hooks: {
      'astro:config:setup': ({ updateConfig }) => {
        updateConfig({
          vite: {
            plugins: [
              {
                name: 'wasmstep:pyodide',
                resolveId: (id: string) => (id === VIRTUAL_ID ? RESOLVED_ID : undefined),
                load: (id: string) =>
                  id === RESOLVED_ID ? `export default ${JSON.stringify(pyodideManifest(dir))};` : undefined,
                // `astro dev` only: serve the files straight from node_modules.
                configureServer(server) {
                  server.middlewares.use((req, res, next) => {
                    const path = (req.url ?? '').split('?')[0] ?? '';
                    const name = path.slice(path.lastIndexOf('/') + 1);
                    const known = (PYODIDE_FILES as readonly string[]).includes(name);
                    if (!known || !path.endsWith(`/${PYODIDE_DIR}${name}`)) return next();
                    res.setHeader('content-type', TYPES[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream');
                    createReadStream(join(dir, name)).pipe(res);
                  });
                },
              },
            ],
          },
        });
      },
      'astro:build:done': ({ dir: out, logger }) => {
        const target = join(fileURLToPath(out), PYODIDE_DIR);
        mkdirSync(target, { recursive: true });
        for (const name of PYODIDE_FILES) copyFileSync(join(dir, name), join(target, name));
        logger.info(`copied Pyodide ${pyodideManifest(dir).version} into ${PYODIDE_DIR}`);
      },
    },
  };
}
