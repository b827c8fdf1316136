// Loading a module the way the course teaches it ("Deploying"): compile while it
// downloads with WebAssembly.instantiateStreaming, and when that is refused (most often
// because the server did not send Content-Type: application/wasm) fall back to
// downloading the whole file and calling WebAssembly.instantiate on its bytes.
// JS API: https://webassembly.github.io/spec/js-api/; Web API (streaming):
// https://webassembly.github.io/spec/web-api/#dom-webassembly-instantiatestreaming

/** A file of the site (e.g. "examples/add.wasm") as a URL under the site's base path. */
export function siteUrl(path: string, base: string = import.meta.env.BASE_URL, here: string = location.href): URL {
  return new URL(path.replace(/^\/+/, ''), new URL(base, here));
}

export interface Loaded {
  readonly instance: WebAssembly.Instance;
  readonly module: WebAssembly.Module;
  /** How it was compiled. */
  readonly how: 'streaming' | 'fallback';
  /** Why streaming was refused, when it was. */
  readonly streamingError?: string;
}

/** Fetches and instantiates a module, streaming when the server allows it. */
export async function loadWasm(url: URL | string, imports: WebAssembly.Imports = {}): Promise<Loaded> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load ${String(url)}: HTTP ${response.status}`);
  // A body can be read once: keep a copy for the fallback.
  const spare = response.clone();
  try {
    const { instance, module } = await WebAssembly.instantiateStreaming(response, imports);
    return { instance, module, how: 'streaming' };
  } catch (error) {
    // Only a refused response is worth a second try; a module that does not compile or
    // link would fail the same way again.
    if (!(error instanceof TypeError)) throw error;
    const { instance, module } = await WebAssembly.instantiate(await spare.arrayBuffer(), imports);
    return { instance, module, how: 'fallback', streamingError: error.message };
  }
}
