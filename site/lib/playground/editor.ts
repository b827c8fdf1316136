// The CodeMirror 6 setup for the Playground's editor: WebAssembly text highlighting
// (@codemirror/lang-wast), bracket matching, history, search, completion of instruction
// names from the engine's opcode table, and live diagnostics from the engine's parser and
// validator (./diagnostics.ts) ~150 ms after typing stops. Colours are CSS variables
// (site/styles/playground.css), so the editor follows Starlight's light/dark theme.

import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { wast } from '@codemirror/lang-wast';
import { bracketMatching, HighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { linter, lintKeymap, type Diagnostic } from '@codemirror/lint';
import { highlightSelectionMatches, searchKeymap } from '@codemirror/search';
import { Compartment, EditorState, type Extension } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { OPS } from '../../../engine/index.ts';
import { check, type Checked } from './diagnostics.ts';

/** How long after the last keystroke the text is checked. */
export const LINT_DELAY_MS = 150;

const highlight = HighlightStyle.define([
  { tag: tags.keyword, color: 'var(--pg-kw)' },
  { tag: tags.typeName, color: 'var(--pg-type)' },
  { tag: tags.number, color: 'var(--pg-num)' },
  { tag: tags.string, color: 'var(--pg-str)' },
  { tag: tags.variableName, color: 'var(--pg-id)' },
  { tag: [tags.lineComment, tags.blockComment], color: 'var(--pg-comment)', fontStyle: 'italic' },
]);

const theme = EditorView.theme({
  '&': { color: 'var(--pg-text)', backgroundColor: 'var(--pg-bg)', fontSize: 'var(--sl-text-sm)', height: '100%' },
  '.cm-scroller': { fontFamily: 'var(--sl-font-mono, ui-monospace, monospace)', lineHeight: '1.55' },
  '.cm-content': { caretColor: 'var(--pg-text)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--pg-text)' },
  '&.cm-focused': { outline: '2px solid var(--sl-color-accent)', outlineOffset: '-2px' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection': {
    backgroundColor: 'var(--pg-selection)',
  },
  '.cm-gutters': { backgroundColor: 'var(--pg-gutter-bg)', color: 'var(--pg-gutter-text)', borderRight: '1px solid var(--sl-color-gray-5)' },
  '.cm-activeLine': { backgroundColor: 'var(--pg-active-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--pg-active-line)', color: 'var(--pg-text)' },
  '.cm-matchingBracket, &.cm-focused .cm-matchingBracket': { backgroundColor: 'var(--pg-bracket)', outline: '1px solid var(--pg-bracket-edge)' },
  '.cm-nonmatchingBracket, &.cm-focused .cm-nonmatchingBracket': { backgroundColor: 'var(--pg-bad-bg)', color: 'var(--pg-text)' },
  '.cm-searchMatch': { backgroundColor: 'var(--pg-search)', outline: '1px solid var(--pg-bracket-edge)' },
  '.cm-selectionMatch': { backgroundColor: 'var(--pg-selection-match)' },
  '.cm-tooltip': { backgroundColor: 'var(--pg-tooltip-bg)', color: 'var(--pg-text)', border: '1px solid var(--sl-color-gray-4)', borderRadius: '0.3rem' },
  '.cm-tooltip-lint': { maxWidth: 'min(36rem, 90vw)', fontFamily: 'var(--sl-font-mono, ui-monospace, monospace)', fontSize: 'var(--sl-text-xs)' },
  '.cm-diagnostic-error': { borderLeftColor: 'var(--pg-bad)' },
  '.cm-tooltip-autocomplete ul li[aria-selected]': { backgroundColor: 'var(--sl-color-accent)', color: 'var(--sl-color-black)' },
  '.cm-panels': { backgroundColor: 'var(--pg-gutter-bg)', color: 'var(--pg-text)' },
  '.cm-panels input, .cm-panels button': { color: 'var(--pg-text)' },
  '.cm-textfield': { backgroundColor: 'var(--pg-bg)', border: '1px solid var(--sl-color-gray-4)' },
  '.cm-button': { backgroundImage: 'none', backgroundColor: 'var(--pg-tooltip-bg)', border: '1px solid var(--sl-color-gray-4)' },
});

const WORDS = [
  ...new Set([
    ...OPS.map((o) => o.op),
    ...['module', 'func', 'param', 'result', 'local', 'global', 'mut', 'memory', 'data', 'table', 'elem', 'export', 'import', 'type', 'start', 'then', 'offset', 'item', 'declare'],
    ...['i32', 'i64', 'f32', 'f64', 'v128', 'funcref', 'externref'],
  ]),
].sort();
const INSTRUCTIONS = new Set(OPS.map((o) => o.op));
const OPTIONS = WORDS.map((label) => ({ label, type: INSTRUCTIONS.has(label) ? 'function' : 'keyword' }));

/** Completes keywords and instruction names (from the engine's opcode table). */
function completeWords(context: CompletionContext): CompletionResult | null {
  const word = context.matchBefore(/[a-z][a-z0-9._]*/);
  if (word === null || (word.from === word.to && !context.explicit)) return null;
  return { from: word.from, options: OPTIONS, validFor: /^[a-z0-9._]*$/ };
}

export interface EditorHooks {
  /** Each time the text has been checked (after the lint delay), with the text checked. */
  readonly onCheck: (text: string, result: Checked) => void;
  /** Each time the text changes. */
  readonly onChange: (text: string) => void;
  /** While true (a disassembled binary), the text is not checked: it came from a valid module. */
  readonly skipCheck: () => boolean;
}

/** Compartments a caller reconfigures: dark or light, read-only or editable. */
export const darkMode = new Compartment();
export const readOnly = new Compartment();

export function editorExtensions(label: string, dark: boolean, hooks: EditorHooks): Extension[] {
  return [
    lineNumbers(),
    highlightActiveLineGutter(),
    history(),
    drawSelection(),
    indentOnInput(),
    bracketMatching(),
    closeBrackets(),
    highlightActiveLine(),
    highlightSelectionMatches(),
    autocompletion({ override: [completeWords], activateOnTyping: true }),
    wast(),
    syntaxHighlighting(highlight),
    theme,
    darkMode.of(EditorView.darkTheme.of(dark)),
    readOnly.of(EditorState.readOnly.of(false)),
    EditorView.contentAttributes.of({ 'aria-label': label, spellcheck: 'false', autocapitalize: 'off', autocorrect: 'off' }),
    linter(
      (view): Diagnostic[] => {
        if (hooks.skipCheck()) return [];
        const text = view.state.doc.toString();
        const result = check(text);
        hooks.onCheck(text, result);
        if (result.ok) return [];
        const p = result.problem;
        const len = view.state.doc.length;
        const from = Math.min(p.from, len);
        const to = Math.min(Math.max(p.to, from), len);
        return [{ from, to, severity: 'error', source: p.kind, message: `${p.line}:${p.column}: ${p.message}` }];
      },
      { delay: LINT_DELAY_MS },
    ),
    EditorView.updateListener.of((u) => {
      if (u.docChanged) hooks.onChange(u.state.doc.toString());
    }),
    keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, ...completionKeymap, ...lintKeymap]),
  ];
}
