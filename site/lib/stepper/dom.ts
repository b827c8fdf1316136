// Small DOM helpers for the Stepper's D3 renderers (site/lib/stepper/render-*.ts). Every step
// redraws the views from a fresh snapshot, yet most of what they show has not changed.
// Writing an equal text still replaces a text node (a mutation every observer on the
// page hears) and invalidates style, so these compare first; reading text, attributes,
// classes and inline styles never forces a layout.
//
// Keeping the current line or row in view needs its position, a layout read. Reading it
// right after the views wrote would force a layout per view per step; instead the read and
// the scroll wait for the next animation frame, where the browser lays out anyway.

/** Sets an element's text when it differs. */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

/** Sets (or, with null, removes) an attribute when it differs. */
export function setAttr(el: Element, name: string, value: string | null): void {
  if (el.getAttribute(name) === value) return;
  if (value === null) el.removeAttribute(name);
  else el.setAttribute(name, value);
}

/** Sets an inline style property when it differs. */
export function setStyle(el: HTMLElement | SVGElement, name: string, value: string): void {
  if (el.style.getPropertyValue(name) !== value) el.style.setProperty(name, value);
}

/** Adds or removes a class when needed. */
export function setClass(el: Element, name: string, on: boolean): void {
  if (el.classList.contains(name) !== on) el.classList.toggle(name, on);
}

/** What keepInView keeps in view: an element, or a run of them (a line and the note under it). */
export type InView = HTMLElement | readonly HTMLElement[] | null;

const pendingScroll = new WeakMap<HTMLElement, () => InView>();

/**
 * On the next animation frame, scrolls `box` (never the page) so what `find` then returns
 * is inside it with `margin` pixels to spare; when it is not, puts it a third of the way
 * down — or lower, as far as it takes for its end to show (a note under the last line),
 * but never so far that its start goes out of view. Calls within one frame coalesce: the
 * last `find` wins. `box` must be the elements' offsetParent (positioned).
 */
export function keepInView(box: HTMLElement, find: () => InView, margin = 8): void {
  const scheduled = pendingScroll.has(box);
  pendingScroll.set(box, find);
  if (scheduled) return;
  requestAnimationFrame(() => {
    const f = pendingScroll.get(box);
    pendingScroll.delete(box);
    const found = f?.() ?? null;
    const els = found === null ? [] : Array.isArray(found) ? found : [found as HTMLElement];
    const first = els[0];
    const last = els[els.length - 1];
    if (first === undefined || last === undefined || !box.isConnected) return;
    const top = first.offsetTop;
    const bottom = last.offsetTop + last.offsetHeight;
    if (top < box.scrollTop + margin || bottom > box.scrollTop + box.clientHeight - margin) {
      const third = top - box.clientHeight / 3;
      const endShows = bottom - box.clientHeight + margin;
      box.scrollTop = Math.max(0, Math.min(top - margin, Math.max(third, endShows)));
    }
  });
}
