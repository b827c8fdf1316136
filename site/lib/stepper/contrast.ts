// Shiki's GitHub themes are made for a plain white or near-black page; the Stepper also
// puts code on a highlighted current line. This nudges any token colour that would fall
// under WCAG's 4.5:1 on the lightest (or darkest) background it can sit on — darker in
// the light theme, lighter in the dark one — so every token stays readable.

import type { WatToken } from '../highlight.ts';

/** The backgrounds code can sit on that are closest to the text colours (the worst case). */
const WORST = { light: [0xf1, 0xef, 0xff], dark: [0x2c, 0x2a, 0x4a] } as const;
const MIN = 4.6;

function parse(hex: string): number[] | null {
  const m = /^#([0-9a-f]{6})/i.exec(hex);
  if (m === null) return null;
  const h = m[1]!;
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
}

function luminance(rgb: readonly number[]): number {
  const c = rgb.map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
}

export function contrast(a: readonly number[], b: readonly number[]): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
}

const cache = new Map<string, string>();

/** A colour like `color` with at least 4.5:1 against the theme's worst background. */
export function readable(color: string, theme: 'light' | 'dark'): string {
  const key = `${theme}${color}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let rgb = parse(color);
  let out = color;
  if (rgb !== null) {
    const toward = theme === 'light' ? 0 : 255;
    for (let k = 0; k < 20 && contrast(rgb, WORST[theme]) < MIN; k++) rgb = rgb.map((v) => Math.round(v + (toward - v) * 0.08));
    out = `#${rgb.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
  }
  cache.set(key, out);
  return out;
}

/** Tokens with both colours made readable. */
export function readableTokens(lines: readonly (readonly WatToken[])[]): WatToken[][] {
  return lines.map((line) => line.map((t) => ({ content: t.content, light: readable(t.light, 'light'), dark: readable(t.dark, 'dark') })));
}
