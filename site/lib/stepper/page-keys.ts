// Page-wide Stepper shortcuts: one module per page (not per island) that decides which
// Stepper answers a shortcut pressed while focus is in none of them — so "press S" works
// on a lesson without clicking the stepper first.
//
// The owner is the stepper last interacted with (focus or a pointer inside it) while any
// of it is still on screen, else the one most in view (most visible pixels), else the
// first on the page. Only one stepper answers. What is on screen is measured when a key
// is pressed (one layout read per key press), not tracked while scrolling: an observer's
// report arrives a frame late, and a key pressed right after a scroll would miss it.
//
// Keys are never taken from anything that needs them: a text box, a select, contenteditable,
// a CodeMirror editor, a dialog, another island or widget (anything inside an
// <astro-island> other than a stepper, or with an ARIA widget role), nor with Ctrl, Meta
// or Alt held. Only single-character shortcuts (and Escape, to pause a run) are taken
// page-wide: arrows, Home and End keep scrolling the page. Keys pressed inside a stepper
// are its own (Stepper.svelte handles them); this module leaves those alone.

/** Handles a page-wide key for one stepper; returns whether it acted. */
export type PageKeyHandler = (e: KeyboardEvent) => boolean;

interface Entry {
  readonly el: HTMLElement;
  readonly handle: PageKeyHandler;
  /** When it was last focused or pointed at (0: never). */
  used: number;
}

const entries: Entry[] = [];
let clock = 0;

/** Elements whose keys are their own: typing, choosing, editing, dialogs, other widgets. */
const CLAIMED = [
  'input',
  'textarea',
  'select',
  '[contenteditable]:not([contenteditable="false"])',
  '.cm-editor',
  'dialog',
  '[role="dialog"]',
  '[role="application"]',
  '[role="textbox"]',
  '[role="combobox"]',
  '[role="listbox"]',
  '[role="menu"]',
  '[role="grid"]',
  '[role="tree"]',
  '[role="slider"]',
  '[role="spinbutton"]',
  '[role="tablist"]',
  'astro-island',
].join(',');

/** Whether a key event's target keeps its keys (is in a control or another island). */
export function claimedTarget(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  if (target instanceof HTMLElement && target.isContentEditable) return true;
  return target.closest(CLAIMED) !== null;
}

/** Whether a key may be taken page-wide at all (before asking who owns it). */
export function pageKey(e: KeyboardEvent): boolean {
  if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return false;
  return e.key.length === 1 || e.key === 'Escape';
}

/** Pixels of an element on screen (the height of its visible part). */
function visibleHeight(el: HTMLElement): number {
  const r = el.getBoundingClientRect();
  if (r.width === 0 || r.right <= 0 || r.left >= window.innerWidth) return 0;
  return Math.max(0, Math.min(r.bottom, window.innerHeight) - Math.max(r.top, 0));
}

/** The stepper that answers page-wide keys now, or undefined when there is none. */
function owner(): Entry | undefined {
  const live = entries.filter((x) => x.el.isConnected).map((x) => ({ x, visible: visibleHeight(x.el) }));
  const onScreen = live.filter((v) => v.visible > 0);
  let recent: Entry | undefined;
  for (const { x } of onScreen) if (x.used > 0 && (recent === undefined || x.used > recent.used)) recent = x;
  if (recent !== undefined) return recent;
  let most: (typeof live)[number] | undefined;
  for (const v of onScreen) if (most === undefined || v.visible > most.visible) most = v;
  if (most !== undefined) return most.x;
  const inOrder = live.map((v) => v.x).sort((a, b) => (a.el.compareDocumentPosition(b.el) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  return inOrder[0];
}

function onKeydown(e: KeyboardEvent): void {
  if (e.defaultPrevented || !pageKey(e)) return;
  const t = e.target;
  // Inside a stepper: that stepper's own handler had it.
  if (t instanceof Node && entries.some((x) => x.el.contains(t))) return;
  if (claimedTarget(t)) return;
  if (document.querySelector('dialog[open]') !== null) return;
  const o = owner();
  if (o !== undefined && o.handle(e)) e.preventDefault();
}

/**
 * Lets a stepper answer page-wide shortcuts when it owns them (see above). Returns the
 * function that takes it off the page again.
 */
export function registerStepper(el: HTMLElement, handle: PageKeyHandler): () => void {
  const entry: Entry = { el, handle, used: 0 };
  const touch = (): void => {
    entry.used = ++clock;
  };
  if (entries.length === 0) document.addEventListener('keydown', onKeydown);
  entries.push(entry);
  el.addEventListener('focusin', touch);
  el.addEventListener('pointerdown', touch);
  return () => {
    el.removeEventListener('focusin', touch);
    el.removeEventListener('pointerdown', touch);
    entries.splice(entries.indexOf(entry), 1);
    if (entries.length === 0) document.removeEventListener('keydown', onKeydown);
  };
}
