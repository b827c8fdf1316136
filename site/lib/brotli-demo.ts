// The arithmetic of the brotli-wasm demo in "Rust and WebAssembly" (site/islands/
// BrotliDemo.svelte): compress a text with the package's real wasm-bindgen exports,
// decompress the result again, and report sizes. The island passes in the package's own
// `compress`/`decompress`; this file never touches the DOM, so tests can run it on the
// Node build of the same package.

export interface Brotli {
  compress(buf: Uint8Array, options?: { quality?: number }): Uint8Array;
  decompress(buf: Uint8Array): Uint8Array;
}

export interface Measurement {
  /** UTF-8 bytes of the text: what crosses into linear memory. */
  readonly inputBytes: number;
  /** JavaScript's `text.length`: UTF-16 code units, not bytes. */
  readonly utf16Units: number;
  readonly compressedBytes: number;
  /** compressed ÷ input; Infinity for an empty input. */
  readonly ratio: number;
  /** Whether decompressing gave back exactly the input bytes. */
  readonly roundTrip: boolean;
  /** The first compressed bytes, as hex pairs. */
  readonly head: string;
}

/** Brotli's quality levels: 0 (fastest) to 11 (smallest). */
export const QUALITY_MIN = 0;
export const QUALITY_MAX = 11;

export function measure(brotli: Brotli, text: string, quality: number): Measurement {
  if (!Number.isInteger(quality) || quality < QUALITY_MIN || quality > QUALITY_MAX) {
    throw new RangeError(`quality must be a whole number from ${QUALITY_MIN} to ${QUALITY_MAX}, not ${quality}`);
  }
  const input = new TextEncoder().encode(text);
  const packed = brotli.compress(input, { quality });
  const unpacked = brotli.decompress(packed);
  const same = unpacked.length === input.length && unpacked.every((b, i) => b === input[i]);
  return {
    inputBytes: input.length,
    utf16Units: text.length,
    compressedBytes: packed.length,
    ratio: input.length === 0 ? Infinity : packed.length / input.length,
    roundTrip: same,
    head: hexHead(packed, 16),
  };
}

/** The first `count` bytes as lowercase hex pairs, with "…" when there are more. */
export function hexHead(bytes: Uint8Array, count: number): string {
  const shown = [...bytes.subarray(0, count)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  return bytes.length > count ? `${shown} …` : shown;
}

/** "1,234 bytes", "1 byte". */
export function bytesText(n: number): string {
  return `${n.toLocaleString('en')} byte${n === 1 ? '' : 's'}`;
}

/** The compressed size as a share of the input: "23.5 %", or "—" for empty input. */
export function ratioText(ratio: number): string {
  return Number.isFinite(ratio) ? `${(ratio * 100).toFixed(1)} %` : '—';
}
