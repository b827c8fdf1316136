// Share links (site/lib/playground/share.ts): a program round-trips through the fragment
// exactly (Unicode included); the fragment is base64url; sources and fragments over the
// limits are refused with a message; damaged fragments (bad alphabet, not DEFLATE,
// truncated, not UTF-8) and decompression bombs are refused, never thrown.
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeShare, encodeShare, MAX_FRAGMENT, MAX_SOURCE, shareFragmentOf, shareUrl } from '../../site/lib/playground/share.ts';
import { EXAMPLES } from '../../site/lib/playground/examples.ts';

const b64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');

async function roundTrip(source: string): Promise<string> {
  const enc = await encodeShare(source);
  if (!enc.ok) throw new Error(enc.error);
  expect(enc.value).toMatch(/^[A-Za-z0-9_-]+$/);
  const dec = await decodeShare(enc.value);
  if (!dec.ok) throw new Error(dec.error);
  return dec.value;
}

describe('share links', () => {
  it('round-trips every example exactly, and compresses it', async () => {
    for (const e of EXAMPLES) {
      expect(await roundTrip(e.source)).toBe(e.source);
      const enc = await encodeShare(e.source);
      expect(enc.ok && enc.value.length < e.source.length).toBe(true);
    }
  });

  it('round-trips Unicode, CRLF, an empty line and a single character', async () => {
    for (const s of ['(module) ;; é 漢字 🙂\r\n\t', '\n', 'x']) expect(await roundTrip(s)).toBe(s);
  });

  it('matches raw DEFLATE as zlib writes it (no zlib or gzip header)', async () => {
    const s = EXAMPLES[0]!.source;
    const fromZlib = b64url(deflateRawSync(Buffer.from(s, 'utf8')));
    const dec = await decodeShare(fromZlib);
    expect(dec).toEqual({ ok: true, value: s });
  });

  it('refuses a source over the limit, and takes one just under it', async () => {
    const over = await encodeShare('a'.repeat(MAX_SOURCE + 1));
    expect(over.ok).toBe(false);
    if (!over.ok) expect(over.error).toMatch(/at most 256 KiB/);
    expect((await encodeShare(';;' + 'a'.repeat(MAX_SOURCE - 2))).ok).toBe(true);
  });

  it('refuses a program whose compressed link would be over the fragment limit', async () => {
    // Random-looking text barely compresses: 100 KiB of it needs more than 64 KiB of base64url.
    let x = 1;
    let s = '';
    while (s.length < 100 * 1024) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      s += String.fromCharCode(33 + (x >>> 16) % 90);
    }
    const r = await encodeShare(s);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/at most 64 KiB/);
  });

  it('refuses a fragment over the limit without decoding it', async () => {
    const r = await decodeShare('A'.repeat(MAX_FRAGMENT + 1));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/too long/);
  });

  it('refuses a decompression bomb once it passes the source limit', async () => {
    const bomb = b64url(deflateRawSync(Buffer.alloc(10 * 1024 * 1024, 0x20)));
    expect(bomb.length).toBeLessThan(MAX_FRAGMENT);
    const r = await decodeShare(bomb);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/over 256 KiB/);
  });

  it.each([
    ['an empty fragment', ''],
    ['characters outside base64url', 'abc+/=='],
    ['a base64url length that cannot be', 'abcde'],
    ['bytes that are not DEFLATE', b64url(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff]))],
    ['a truncated stream', b64url(deflateRawSync(Buffer.from('(module (func))'.repeat(20))).subarray(0, 8))],
    ['text that is not UTF-8', b64url(deflateRawSync(Buffer.from([0x28, 0xc3, 0x28, 0xff])))],
  ])('refuses %s with a message that the draft is unchanged', async (_what, fragment) => {
    const r = await decodeShare(fragment);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/draft is unchanged/);
  });

  it('finds the fragment in a location hash and builds the link', () => {
    expect(shareFragmentOf('#wat=abc')).toBe('abc');
    expect(shareFragmentOf('wat=abc')).toBe('abc');
    expect(shareFragmentOf('#chapters')).toBeNull();
    expect(shareFragmentOf('')).toBeNull();
    expect(shareUrl('https://school.example/course/playground/?x=1#old', 'abc')).toBe('https://school.example/course/playground/?x=1#wat=abc');
  });
});
