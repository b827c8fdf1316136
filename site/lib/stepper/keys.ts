// The Stepper's keyboard shortcuts, in one table: the key handler reads it, the help
// overlay lists it, and each button's aria-keyshortcuts comes from it. Shortcuts work
// while focus is inside one Stepper (its root handles keydown), and not while typing in
// a text box; the letter keys also work with focus elsewhere on the page, for the one
// stepper that owns them (page-keys.ts decides which).

export type Action = 'into' | 'over' | 'out' | 'back' | 'play' | 'continue' | 'reset' | 'first' | 'last' | 'radix' | 'help';

export interface Shortcut {
  readonly action: Action;
  /** KeyboardEvent.key values. */
  readonly keys: readonly string[];
  /** How the help overlay shows them. */
  readonly label: string;
  readonly what: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { action: 'into', keys: ['s', 'ArrowRight'], label: 'S or →', what: 'Step into: run one instruction' },
  { action: 'over', keys: ['n'], label: 'N', what: 'Step over: a call or a whole block runs as one step' },
  { action: 'out', keys: ['u'], label: 'U', what: 'Step out of the current block, or of the function' },
  { action: 'back', keys: ['b', 'ArrowLeft'], label: 'B or ←', what: 'Step back one instruction' },
  { action: 'play', keys: ['p'], label: 'P', what: 'Run or pause, at the chosen speed' },
  { action: 'continue', keys: ['c'], label: 'C', what: 'Continue: run to the next breakpoint at full speed' },
  { action: 'reset', keys: ['r'], label: 'R', what: 'Reset to the first step' },
  { action: 'first', keys: ['Home'], label: 'Home', what: 'Go to the first step' },
  { action: 'last', keys: ['End'], label: 'End', what: 'Go to the furthest step run so far' },
  { action: 'radix', keys: ['x'], label: 'X', what: 'Show values in decimal, hex or as floats' },
  { action: 'help', keys: ['?'], label: '?', what: 'Show or hide these shortcuts' },
];

/** The aria-keyshortcuts value of an action. */
export function ariaKeys(action: Action): string {
  const s = SHORTCUTS.find((x) => x.action === action);
  return s === undefined ? '' : s.keys.map((k) => (k === '?' ? 'Shift+?' : k)).join(' ');
}

/** The action of a key press, or undefined (modifiers other than Shift never match). */
export function actionOf(e: KeyboardEvent): Action | undefined {
  if (e.ctrlKey || e.metaKey || e.altKey) return undefined;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  return SHORTCUTS.find((s) => s.keys.includes(key) || s.keys.includes(e.key))?.action;
}

/** Whether a key event comes from a control that needs the keys itself (typing, a slider, a list). */
export function typingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return target.type !== 'checkbox' && target.type !== 'button';
  return false;
}
