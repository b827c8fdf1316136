// Share links: the program travels in the URL's fragment, so no server ever sees it.
// The text is UTF-8, compressed with raw DEFLATE (CompressionStream 'deflate-raw') and
// written as base64url: `#wat=<base64url>`. Both directions are size-limited, and a
// fragment is checked completely (alphabet, size, decompression, UTF-8, decompressed
// size) before anything uses it, so a bad or hostile link is a clear message, never a
// hang or a lost draft.

/** The longest fragment accepted or produced (characters after `#wat=`). */
export const MAX_FRAGMENT = 64 * 1024;
/** The longest program accepted or produced, in UTF-8 bytes. */
export const MAX_SOURCE = 256 * 1024;
/** The fragment's key: `#wat=…`. */
export const FRAGMENT_KEY = 'wat';

export type ShareResult = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly error: string };

const kib = (n: number): string => `${Math.round(n / 1024)} KiB`;

function toBase64url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  try {
    const binary = atob(b64);
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

async function collect(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array | null> {
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    // Stop reading a decompression bomb as soon as it passes the limit.
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function pipe(bytes: Uint8Array, transform: CompressionStream | DecompressionStream): ReadableStream<Uint8Array> {
  const writer = transform.writable.getWriter();
  // Errors surface on the readable side; the writer's own promises are settled here so they never go unhandled.
  writer.write(bytes as Uint8Array<ArrayBuffer>).catch(() => {});
  writer.close().catch(() => {});
  return transform.readable as ReadableStream<Uint8Array>;
}

/** The fragment (without `#wat=`) for a program, or why it cannot be shared. */
export async function encodeShare(source: string): Promise<ShareResult> {
  const bytes = new TextEncoder().encode(source);
  if (bytes.length > MAX_SOURCE) return { ok: false, error: `The program is ${kib(bytes.length)}; a share link holds at most ${kib(MAX_SOURCE)}.` };
  const packed = await collect(pipe(bytes, new CompressionStream('deflate-raw')), Infinity);
  const text = toBase64url(packed ?? new Uint8Array());
  if (text.length > MAX_FRAGMENT) {
    return { ok: false, error: `Even compressed, the program needs a ${kib(text.length)} link; a share link holds at most ${kib(MAX_FRAGMENT)}. Download it as .wat instead.` };
  }
  return { ok: true, value: text };
}

/** The program in a fragment produced by encodeShare, or a message saying what is wrong with it. */
export async function decodeShare(fragment: string): Promise<ShareResult> {
  const bad = (why: string): ShareResult => ({ ok: false, error: `This share link is damaged (${why}), so it was not opened. Your draft is unchanged.` });
  if (fragment.length > MAX_FRAGMENT) {
    return { ok: false, error: `This share link is too long (${kib(fragment.length)}; the limit is ${kib(MAX_FRAGMENT)}), so it was not opened. Your draft is unchanged.` };
  }
  if (fragment.length === 0) return bad('it holds no program');
  const bytes = fromBase64url(fragment);
  if (bytes === null) return bad('it is not base64url text');
  let raw: Uint8Array | null;
  try {
    raw = await collect(pipe(bytes, new DecompressionStream('deflate-raw')), MAX_SOURCE);
  } catch {
    return bad('it does not decompress');
  }
  if (raw === null) {
    return { ok: false, error: `This share link's program is over ${kib(MAX_SOURCE)}, so it was not opened. Your draft is unchanged.` };
  }
  try {
    return { ok: true, value: new TextDecoder('utf-8', { fatal: true }).decode(raw) };
  } catch {
    return bad('its text is not UTF-8');
  }
}

/** The program's fragment in a location hash (`#wat=…`), or null when the hash is not a share link. */
export function shareFragmentOf(hash: string): string | null {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  const prefix = `${FRAGMENT_KEY}=`;
  return h.startsWith(prefix) ? h.slice(prefix.length) : null;
}

/** The full share URL for a page URL and an encoded fragment. */
export function shareUrl(pageUrl: string, fragment: string): string {
  const u = new URL(pageUrl);
  u.hash = `${FRAGMENT_KEY}=${fragment}`;
  return u.href;
}
