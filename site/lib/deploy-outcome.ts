// What the deployment checker in "Deploying" concludes from trying a module: whether
// WebAssembly.compileStreaming compiled it (which needs what the server controls: the
// status, the bare application/wasm type, a body the browser can decode, a page CSP that
// allows compiling), else whether compiling the downloaded bytes did, and what the module
// imports. Imports are the module's own business, not the server's: a module with imports
// (Emscripten's, wasm-bindgen's, Pyodide's) is instantiated by its JavaScript glue, which
// supplies them, so the checker reports them as information and never tries to
// instantiate such a module without them (https://webassembly.github.io/spec/js-api/#dom-module-imports).

/** One import as WebAssembly.Module.imports() lists it. */
export interface ModuleImport {
  readonly module: string;
  readonly name: string;
  readonly kind: string;
}

/** How the module compiled: streamed, through the arrayBuffer() fallback, or not at all. */
export type Compiled =
  | { readonly kind: 'streamed' }
  | { readonly kind: 'fallback'; readonly refused: string }
  | { readonly kind: 'failed'; readonly refused: string; readonly error: string };

/** Classifies the two attempts: compileStreaming's error (null if it worked), then compile(bytes)'s (null if it worked or was not tried). */
export function compiled(streamingError: string | null, fallbackError: string | null): Compiled {
  if (streamingError === null) return { kind: 'streamed' };
  if (fallbackError === null) return { kind: 'fallback', refused: streamingError };
  return { kind: 'failed', refused: streamingError, error: fallbackError };
}

/** How many import names the summary lists before "…". */
const LISTED = 4;

/** The distinct import modules, in first-seen order (e.g. ["env", "wasi_snapshot_preview1"]). */
export function importModules(imports: readonly ModuleImport[]): string[] {
  return [...new Set(imports.map((i) => i.module))];
}

/**
 * What a module's imports mean for running it here, as one line of information:
 * nothing to supply, or how many imports from which modules its JavaScript glue provides,
 * with the first few named (e.g. "env.memory (memory)").
 */
export function describeImports(imports: readonly ModuleImport[]): string {
  if (imports.length === 0) return 'none: the module instantiates on its own, so the checker runs it.';
  const modules = importModules(imports);
  const named = imports.slice(0, LISTED).map((i) => `${i.module}.${i.name} (${i.kind})`);
  const more = imports.length > LISTED ? `, … ${imports.length - LISTED} more` : '';
  const from = `${modules.length === 1 ? 'module' : 'modules'} ${modules.join(', ')}`;
  return (
    `this module needs ${imports.length} import${imports.length === 1 ? '' : 's'} from ${from}: ` +
    `it runs only with its JavaScript glue, which supplies them (${named.join(', ')}${more}). ` +
    'That is the module’s business, not the server’s: the checker compiles it but does not instantiate it.'
  );
}

/** Whether the checker should instantiate the compiled module: only when it needs nothing from outside. */
export function instantiable(imports: readonly ModuleImport[]): boolean {
  return imports.length === 0;
}
