// Shiki for code shown by islands (Markdown code blocks are highlighted at build time by
// Starlight's Expressive Code with the same alias). Shiki has no `wat` grammar id: the
// WebAssembly text grammar is `wasm`, so `wat` and `wast` are aliases of it.
// Tokens, not HTML, are returned so views build DOM nodes themselves and never inject markup.
import { createHighlighterCore, type HighlighterCore, type ThemedToken } from 'shiki/core';
import { createJavaScriptRegexEngine } from 'shiki/engine/javascript';

export const langAlias = { wat: 'wasm', wast: 'wasm' } as const;

let highlighter: Promise<HighlighterCore> | undefined;

function getHighlighter(): Promise<HighlighterCore> {
  highlighter ??= createHighlighterCore({
    themes: [import('@shikijs/themes/github-light'), import('@shikijs/themes/github-dark')],
    langs: [import('@shikijs/langs/wasm')],
    langAlias: { ...langAlias },
    engine: createJavaScriptRegexEngine(),
  });
  return highlighter;
}

/** A token with its colour in both themes, so CSS can switch without re-highlighting. */
export interface WatToken {
  readonly content: string;
  readonly light: string;
  readonly dark: string;
}

/** Highlights WebAssembly text into lines of tokens. */
export async function highlightWat(code: string): Promise<WatToken[][]> {
  const shiki = await getHighlighter();
  const { tokens } = shiki.codeToTokens(code, {
    lang: 'wat',
    themes: { light: 'github-light', dark: 'github-dark' },
    defaultColor: false,
  });
  return tokens.map((line) => line.map(toWatToken));
}

function toWatToken(token: ThemedToken): WatToken {
  const styles = token.htmlStyle ?? {};
  return {
    content: token.content,
    light: styles['--shiki-light'] ?? 'inherit',
    dark: styles['--shiki-dark'] ?? 'inherit',
  };
}
