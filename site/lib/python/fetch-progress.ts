// Downloads a file while counting its bytes, so the Python cell can show how much of
// Pyodide has arrived (fetch() reports nothing until a body is read; reading it chunk by
// chunk is the only way to see it arrive). Used by site/lib/python/worker.ts.

/**
 * Fetches `url` and returns its body, calling `onBytes(n)` for each chunk of n bytes as it
 * arrives. Throws on an HTTP error. `fetchImpl` is the fetch to use (the worker passes the
 * real one, since it answers Pyodide's own requests for these files from memory).
 */
export async function fetchCounted(
  url: string,
  onBytes: (n: number) => void,
  fetchImpl: typeof fetch = fetch,
): Promise<{ readonly bytes: Uint8Array<ArrayBuffer>; readonly type: string }> {
  const response = await fetchImpl(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const type = response.headers.get('content-type') ?? 'application/octet-stream';
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onBytes(bytes.length);
    return { bytes, type };
  }
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.length;
    onBytes(value.length);
  }
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return { bytes, type };
}
