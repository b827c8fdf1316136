// What the deployment checker in "Deploying" concludes from the response headers of a
// .wasm file. The rules follow the WebAssembly Web API (instantiateStreaming requires
// the MIME type application/wasm: https://webassembly.github.io/spec/web-api/#dom-webassembly-instantiatestreaming;
// the web-platform tests, wasm/webapi/contenttype.any.js, accept it in any letter case but
// reject it with any parameter, even "application/wasm;") and HTTP caching (RFC 9111,
// https://www.rfc-editor.org/rfc/rfc9111).

/** The headers the checker looks at (null when the response did not send one). */
export interface WasmHeaders {
  readonly contentType: string | null;
  readonly contentEncoding: string | null;
  readonly cacheControl: string | null;
  readonly etag: string | null;
  readonly lastModified: string | null;
}

export type Verdict = 'good' | 'note' | 'problem';

export interface Finding {
  readonly topic: string;
  readonly verdict: Verdict;
  readonly text: string;
}

/** The media type of a Content-Type value, lower-cased and without parameters. */
export function mediaType(contentType: string | null): string | null {
  if (contentType === null) return null;
  return contentType.split(';')[0]!.trim().toLowerCase() || null;
}

/** Whether instantiateStreaming accepts this Content-Type: application/wasm, any case, nothing else. */
export function streamable(contentType: string | null): boolean {
  return contentType !== null && contentType.trim().toLowerCase() === 'application/wasm';
}

/** Reads the headers a checker needs from a fetch Response's Headers. */
export function wasmHeaders(headers: Headers): WasmHeaders {
  return {
    contentType: headers.get('content-type'),
    contentEncoding: headers.get('content-encoding'),
    cacheControl: headers.get('cache-control'),
    etag: headers.get('etag'),
    lastModified: headers.get('last-modified'),
  };
}

/** The checker's verdict on each header, in the order the lesson discusses them. */
export function assessHeaders(h: WasmHeaders): Finding[] {
  const findings: Finding[] = [];
  const type = mediaType(h.contentType);
  const fallback = 'a loader has to fall back to arrayBuffer() and instantiate.';
  findings.push(
    streamable(h.contentType)
      ? { topic: 'Content-Type', verdict: 'good', text: 'application/wasm: instantiateStreaming can compile it while it downloads.' }
      : type === 'application/wasm'
        ? {
            topic: 'Content-Type',
            verdict: 'problem',
            text: `${h.contentType}: the parameter is too much — instantiateStreaming accepts only the bare application/wasm; ${fallback}`,
          }
        : {
            topic: 'Content-Type',
            verdict: 'problem',
            text: `${type ?? 'missing'}: instantiateStreaming rejects anything but application/wasm; ${fallback}`,
          },
  );

  const encoding = h.contentEncoding?.trim().toLowerCase() || null;
  findings.push(
    encoding === null || encoding === 'identity'
      ? {
          topic: 'Compression',
          verdict: 'note',
          text: 'not compressed on the wire. WebAssembly binaries usually shrink a lot with gzip, Brotli or zstd; tiny files are often sent as they are.',
        }
      : { topic: 'Compression', verdict: 'good', text: `${encoding}: the browser unpacks it before compiling; the type is still application/wasm.` },
  );

  const cache = h.cacheControl?.toLowerCase() ?? null;
  const maxAge = cache === null ? null : /(?:^|[,\s])max-age\s*=\s*(\d+)/.exec(cache)?.[1];
  let caching: Finding;
  if (cache === null) {
    caching = {
      topic: 'Caching',
      verdict: 'note',
      text: 'no Cache-Control: the browser guesses how long to keep it (heuristic freshness). Say what you mean.',
    };
  } else if (/\bno-store\b/.test(cache)) {
    caching = { topic: 'Caching', verdict: 'note', text: 'no-store: downloaded again on every visit.' };
  } else if (/\bno-cache\b/.test(cache) || maxAge === '0') {
    caching = {
      topic: 'Caching',
      verdict: 'good',
      text: `${h.cacheControl}: kept, but checked with the server before each use — right for a file whose name stays the same when it changes.`,
    };
  } else if (/\bimmutable\b/.test(cache) || (maxAge !== null && maxAge !== undefined && Number(maxAge) >= 86_400 * 30)) {
    caching = {
      topic: 'Caching',
      verdict: 'note',
      text: `${h.cacheControl}: kept for a long time without asking — right only if the file's name changes with its content (a hash in the name).`,
    };
  } else {
    caching = { topic: 'Caching', verdict: 'good', text: `${h.cacheControl}.` };
  }
  findings.push(caching);

  const validators = [h.etag ? 'ETag' : null, h.lastModified ? 'Last-Modified' : null].filter((v) => v !== null);
  findings.push(
    validators.length > 0
      ? { topic: 'Revalidation', verdict: 'good', text: `${validators.join(' and ')}: an unchanged file costs a 304 answer, not a new download.` }
      : { topic: 'Revalidation', verdict: 'note', text: 'no ETag or Last-Modified: checking whether the file changed means downloading it again.' },
  );
  return findings;
}

/**
 * Whether a page's Content-Security-Policy lets it compile WebAssembly. Compilation is
 * governed by script-src (or default-src when there is none): it needs 'wasm-unsafe-eval'
 * or the broader 'unsafe-eval' (CSP Level 3, https://www.w3.org/TR/CSP3/#can-compile-wasm-bytes).
 * Several policies (one header each, joined with commas) must all allow it.
 */
export function assessCsp(header: string | null): Finding {
  if (header === null || header.trim() === '') {
    return { topic: 'Content-Security-Policy', verdict: 'note', text: 'none on this page: nothing restricts WebAssembly (nor anything else).' };
  }
  const blocking = header.split(',').filter((policy) => {
    const directives = new Map(
      policy
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .filter((parts) => parts[0])
        .map((parts) => [parts[0]!.toLowerCase(), parts.slice(1).map((v) => v.toLowerCase())] as const),
    );
    const sources = directives.get('script-src') ?? directives.get('default-src');
    return sources !== undefined && !sources.includes("'wasm-unsafe-eval'") && !sources.includes("'unsafe-eval'");
  });
  return blocking.length === 0
    ? { topic: 'Content-Security-Policy', verdict: 'good', text: "this page's policy allows WebAssembly ('wasm-unsafe-eval', or no script restriction)." }
    : {
        topic: 'Content-Security-Policy',
        verdict: 'problem',
        text: "this page's policy restricts scripts without 'wasm-unsafe-eval': compiling any module fails with a CompileError.",
      };
}

/**
 * The part of a policy that decides about WebAssembly, short enough to show: the
 * script-src (or default-src) sources of each policy, with hash and nonce sources
 * counted rather than listed. E.g. "script-src 'self' 'wasm-unsafe-eval' + 14 hashes".
 */
export function cspSummary(header: string | null): string {
  if (header === null || header.trim() === '') return '(none)';
  return header
    .split(',')
    .map((policy) => {
      const directives = policy.split(';').map((d) => d.trim().split(/\s+/)).filter((parts) => parts[0]);
      const pick = directives.find((p) => p[0]!.toLowerCase() === 'script-src') ?? directives.find((p) => p[0]!.toLowerCase() === 'default-src');
      if (!pick) return 'no script-src or default-src';
      const [name, ...sources] = pick;
      const hashes = sources.filter((v) => /^'(sha256|sha384|sha512|nonce)-/i.test(v));
      const rest = sources.filter((v) => !hashes.includes(v));
      return [name, ...rest].join(' ') + (hashes.length ? ` + ${hashes.length} hash${hashes.length === 1 ? '' : 'es'}` : '');
    })
    .join('; and ');
}

/** Sizes in the units a person reads: 41 B, 2.4 KiB, 1.3 MiB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
