// Windowing for the Stepper's long views (Source and Bytes). A module of a megabyte has
// hundreds of thousands of lines and rows; drawing them all takes seconds and makes every
// later layout slow. Past a threshold a view draws only the lines near its scroll position
// (plus a margin) between two spacers that keep the full scroll height, so what it costs
// follows what is visible, not the size of the module. Lines and rows have one height
// each (monospace, no wrapping), which makes positions arithmetic.

/** Views with more lines or rows than this are windowed; smaller ones draw everything. */
export const WINDOW_THRESHOLD = 1500;
/** Lines drawn above and below the visible ones, so a scroll rarely shows a gap. */
export const WINDOW_MARGIN = 60;

/** A half-open range [first, last) of 0-based line or row indexes. */
export interface Span {
  readonly first: number;
  readonly last: number;
}

/** The lines to draw for a scroll position: those visible, plus the margin, within [0, count). */
export function windowAt(scrollTop: number, viewHeight: number, itemHeight: number, count: number, margin = WINDOW_MARGIN): Span {
  const h = itemHeight > 0 ? itemHeight : 1;
  const top = Math.floor(Math.max(0, scrollTop) / h);
  const shown = Math.ceil(Math.max(viewHeight, h) / h);
  const first = Math.max(0, Math.min(count, top - margin));
  const last = Math.max(first, Math.min(count, top + shown + margin));
  return { first, last };
}

/** Whether two windows are the same. */
export function sameWindow(a: Span, b: Span): boolean {
  return a.first === b.first && a.last === b.last;
}

/** The scrollTop that shows [top, bottom) inside a box, or null when it already shows (a third of the way down otherwise). */
export function scrollFor(top: number, bottom: number, scrollTop: number, viewHeight: number, margin: number): number | null {
  if (top >= scrollTop + margin && bottom <= scrollTop + viewHeight - margin) return null;
  return Math.max(0, top - viewHeight / 3);
}
