// The code editor of the Exercise island: CodeMirror 6 with the WebAssembly text grammar
// (@codemirror/lang-wast), line numbers, undo history and bracket matching, coloured
// through CSS variables so it follows the light and dark themes. Loaded on demand by the
// island, which shows a plain textarea until then. Tab is left to move focus (keyboard
// users must be able to leave the editor); indentation follows Enter.
// A problem the engine reports is shown as a diagnostic at its line and column.

import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { wast } from '@codemirror/lang-wast';
import { bracketMatching, HighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';
import { tags } from '@lezer/highlight';

export interface EditorOptions {
  readonly parent: HTMLElement;
  readonly doc: string;
  /** The accessible name of the editing area. */
  readonly label: string;
  /** Id of an element describing the editor (the instructions, the problem). */
  readonly describedBy: string;
  readonly onChange: (doc: string) => void;
  /** Ctrl/Cmd+Enter. */
  readonly onCheck: () => void;
}

export interface Editor {
  getDoc(): string;
  setDoc(doc: string): void;
  /** Marks a problem at a 1-based line and column (null clears). */
  mark(problem: { line: number; column: number | null; message: string } | null): void;
  focusAt(line: number, column: number | null): void;
  destroy(): void;
}

const style = HighlightStyle.define([
  { tag: tags.keyword, color: 'var(--ws-code-keyword)' },
  { tag: tags.typeName, color: 'var(--ws-code-type)' },
  { tag: tags.number, color: 'var(--ws-code-number)' },
  { tag: tags.string, color: 'var(--ws-code-string)' },
  { tag: tags.variableName, color: 'var(--ws-code-name)' },
  { tag: [tags.lineComment, tags.blockComment], color: 'var(--ws-code-comment)', fontStyle: 'italic' },
  { tag: tags.paren, color: 'var(--ws-code-paren)' },
]);

const theme = EditorView.theme({
  '&': { fontSize: 'var(--sl-text-sm)', backgroundColor: 'var(--sl-color-black)', color: 'var(--sl-color-white)' },
  '.cm-content': { fontFamily: 'var(--sl-font-system-mono, ui-monospace, monospace)', caretColor: 'var(--sl-color-white)' },
  '.cm-gutters': { backgroundColor: 'var(--sl-color-gray-6)', color: 'var(--sl-color-gray-2)', border: 'none' },
  '.cm-activeLine': { backgroundColor: 'color-mix(in srgb, var(--sl-color-accent) 10%, transparent)' },
  '&.cm-focused .cm-cursor': { borderLeftColor: 'var(--sl-color-white)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground': { backgroundColor: 'var(--sl-color-accent-low)' },
  '&.cm-focused': { outline: '2px solid var(--sl-color-accent)', outlineOffset: '2px' },
});

function position(view: EditorView, line: number, column: number | null): number {
  const doc = view.state.doc;
  const l = doc.line(Math.min(Math.max(1, line), doc.lines));
  return Math.min(l.from + Math.max(0, (column ?? 1) - 1), l.to);
}

export function createEditor(o: EditorOptions): Editor {
  const view = new EditorView({
    parent: o.parent,
    state: EditorState.create({
      doc: o.doc,
      extensions: [
        lineNumbers(),
        history(),
        highlightActiveLine(),
        indentOnInput(),
        bracketMatching(),
        wast(),
        syntaxHighlighting(style),
        theme,
        keymap.of([
          { key: 'Mod-Enter', run: () => (o.onCheck(), true) },
          ...defaultKeymap,
          ...historyKeymap,
        ]),
        EditorView.contentAttributes.of({ 'aria-label': o.label, 'aria-describedby': o.describedBy, 'aria-multiline': 'true' }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) o.onChange(u.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    getDoc: () => view.state.doc.toString(),
    setDoc(doc) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: doc } });
    },
    mark(problem) {
      const diagnostics: Diagnostic[] = [];
      if (problem !== null) {
        const from = position(view, problem.line, problem.column);
        diagnostics.push({ from, to: Math.min(from + 1, view.state.doc.length), severity: 'error', message: problem.message });
      }
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
    focusAt(line, column) {
      const at = position(view, line, column);
      view.dispatch({ selection: { anchor: at }, scrollIntoView: true });
      view.focus();
    },
    destroy: () => view.destroy(),
  };
}
