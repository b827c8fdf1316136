// D3 renderer for the module's binary as annotated hex: sections, each with its rows (the
// id and size, entries, and in the code section one row per instruction, indented by
// block), each byte a span with its offset (data-offset) so the island can explain the
// byte under the pointer. An instruction row starts with a toggle button for a breakpoint
// on that instruction (data-row: the row's offset). The row of the instruction about to
// run is highlighted and scrolled into view inside `root` (never the page), in step with
// the Source view.
//
// The rows depend only on the module, so the keyed join runs when the map changes; a step
// only moves the marks (current row, breakpoints, the explained byte): a few class
// changes instead of rewriting every byte.
//
// A large module (more section titles and rows than WINDOW_THRESHOLD) is windowed
// (site/lib/stepper/virtual.ts): only the titles and rows near root's scroll position are
// drawn, flat, between two spacers that keep the scroll height; call renderBytes again
// when root scrolls. Marks are then re-applied to whatever rows are drawn.
// A pure function of (root, data): joins inside `root` only.
import { select, type Selection } from 'd3-selection';
import { rowAt, type ByteMap, type ByteRow, type ByteSection } from './bytes-map.ts';
import { keepInView, setAttr, setClass, setStyle } from './dom.ts';
import { hex2 } from './format.ts';
import { WINDOW_THRESHOLD, sameWindow, scrollFor, windowAt, type Span } from './virtual.ts';

export interface BytesData {
  readonly map: ByteMap;
  /** Byte offset of the instruction about to run (its row's offset), or null. */
  readonly current: number | null;
  /** The byte being explained (hover or keyboard), or null. */
  readonly selected: number | null;
  /** Offsets of instruction rows that carry a breakpoint. */
  readonly breakpoints: ReadonlySet<number>;
}

interface Cell {
  readonly offset: number;
  readonly byte: number;
}

/** One line of the view: a section's title or one of its rows. */
type Item = { readonly title: ByteSection; readonly row?: undefined } | { readonly title?: undefined; readonly row: ByteRow };

/** What a root shows, so the next call changes only what differs. */
interface Drawn {
  readonly map: ByteMap;
  /** Instruction rows by offset (only those drawn, when windowed). */
  instrRows: Map<number, HTMLElement>;
  /** Byte spans by offset (only those drawn, when windowed). */
  cells: HTMLElement[];
  current: number | null;
  selected: number | null;
  breakpoints: Set<number>;
  /** Windowed: every title and row in order, the item of each row offset, the drawn window. */
  readonly items: readonly Item[] | null;
  readonly itemOf: Map<number, number> | null;
  window: Span | null;
  rowHeight: number;
  titleHeight: number;
}

const drawn = new WeakMap<HTMLElement, Drawn>();
const offsetText = (r: ByteRow): string => r.offset.toString(16).padStart(4, '0');
const rowKey = (r: ByteRow): string => `${r.offset}:${r.kind}`;

function enterRow<T>(div: Selection<HTMLDivElement, T, HTMLElement, unknown>, rowOf: (t: T) => ByteRow): void {
  div.append((t) => document.createElement(rowOf(t).kind === 'instr' ? 'button' : 'span')).attr('class', 'boff');
  div.append('span').attr('class', 'bhex');
  div.append('span').attr('class', 'blabel');
}

/** Fills rows (new or reused): offset, label, bytes. */
function fillRows<T>(rows: Selection<HTMLDivElement, T, HTMLElement, unknown>, rowOf: (t: T) => ByteRow, bytes: Uint8Array): void {
  rows.attr('data-row', (t) => (rowOf(t).kind === 'instr' ? rowOf(t).offset : null));
  rows.select('.boff').text((t) => offsetText(rowOf(t)));
  // Instruction rows: the offset is a breakpoint toggle. One tab stop for the whole view
  // (the island handles Enter on the explained byte), so the buttons take no tab stop.
  rows
    .filter((t) => rowOf(t).kind === 'instr')
    .select('button.boff')
    .attr('type', 'button')
    .attr('tabindex', -1)
    .attr('aria-pressed', 'false')
    .attr('aria-label', (t) => `${offsetText(rowOf(t))}: breakpoint on ${rowOf(t).label.trim()}`);
  rows
    .select('span.blabel')
    .style('padding-inline-start', (t) => `${rowOf(t).indent * 0.8}rem`)
    .text((t) => rowOf(t).label);
  rows
    .select<HTMLSpanElement>('span.bhex')
    .selectAll<HTMLSpanElement, Cell>('span')
    .data(
      (t) => {
        const r = rowOf(t);
        return Array.from(bytes.subarray(r.offset, r.offset + r.length), (byte, i) => ({ offset: r.offset + i, byte }));
      },
      (c) => String(c.offset),
    )
    .join('span')
    .attr('data-offset', (c) => c.offset)
    .text((c) => hex2(c.byte));
}

function collect(root: HTMLElement, d: Drawn): void {
  const instrRows = new Map<number, HTMLElement>();
  for (const el of root.querySelectorAll<HTMLElement>('.brow[data-row]')) instrRows.set(Number(el.dataset.row), el);
  const cells: HTMLElement[] = [];
  for (const el of root.querySelectorAll<HTMLElement>('.bhex span[data-offset]')) cells[Number(el.dataset.offset)] = el;
  d.instrRows = instrRows;
  d.cells = cells;
}

function drawAll(root: HTMLElement, d: Drawn): void {
  const map = d.map;
  const sections = select(root)
    .selectAll<HTMLDivElement, ByteSection>('div.bsec')
    .data(map.sections, (s) => s.key)
    .join((enter) => {
      const div = enter.append('div').attr('class', 'bsec');
      div.append('div').attr('class', 'btitle');
      return div;
    });
  sections.order();
  sections.select('div.btitle').text(titleText);
  const rows = sections
    .selectAll<HTMLDivElement, ByteRow>('div.brow')
    .data((s) => s.rows, rowKey)
    .join((enter) => {
      const div = enter.append('div').attr('class', (r) => `brow ${r.kind}`);
      enterRow(div, (r) => r);
      return div;
    });
  fillRows(rows, (r) => r, map.bytes);
  collect(root, d);
}

const titleText = (s: ByteSection): string => `${s.title} · ${s.length} bytes at 0x${s.offset.toString(16)}`;

/** Top of item i, in pixels from the top of the first item (titles may be taller than rows). */
function itemTop(d: Drawn, i: number): number {
  let titles = 0;
  // Sections are few: count the titles before i by walking the sections' first items.
  let k = 0;
  for (const s of d.map.sections) {
    if (k >= i) break;
    titles++;
    k += 1 + s.rows.length;
  }
  return i * d.rowHeight + titles * (d.titleHeight - d.rowHeight);
}

/** Windowed: draws the items near root's scroll position, if they are not the ones drawn. */
function drawWindow(root: HTMLElement, d: Drawn): boolean {
  const items = d.items!;
  const win = windowAt(root.scrollTop, root.clientHeight, d.rowHeight, items.length);
  if (d.window !== null && sameWindow(d.window, win)) return false;
  d.window = win;
  let top = root.querySelector<HTMLElement>(':scope > .bpad-top');
  if (top === null) {
    root.replaceChildren();
    top = document.createElement('div');
    top.className = 'bpad-top';
    const mid = document.createElement('div');
    mid.className = 'bwin';
    const bottom = document.createElement('div');
    bottom.className = 'bpad-bottom';
    root.append(top, mid, bottom);
  }
  const mid = top.nextElementSibling as HTMLElement;
  const bottom = mid.nextElementSibling as HTMLElement;
  const shown = items.slice(win.first, win.last);
  const lines = select(mid)
    .selectAll<HTMLDivElement, Item>(':scope > div')
    .data(shown, (it) => (it.title ? `t:${it.title.key}` : `r:${rowKey(it.row!)}`))
    .join((enter) => enter.append('div').attr('class', (it) => (it.title ? 'btitle' : `brow ${it.row!.kind}`)));
  lines.order();
  lines.filter((it) => it.title !== undefined).text((it) => titleText(it.title!));
  const rows = lines.filter((it) => it.row !== undefined);
  // New rows have no children yet: give them their three parts.
  enterRow(rows.filter(function () { return this.childElementCount === 0; }), (it) => it.row!);
  fillRows(rows, (it) => it.row!, d.map.bytes);
  // Measure once, from what is drawn: every row has one height, titles another.
  if (d.rowHeight === 0) {
    const r = mid.querySelector<HTMLElement>('.brow');
    const t = mid.querySelector<HTMLElement>('.btitle');
    d.rowHeight = r?.offsetHeight || 18;
    d.titleHeight = t?.offsetHeight || d.rowHeight;
  }
  const total = itemTop(d, items.length);
  const before = itemTop(d, win.first);
  setStyle(top, 'height', `${before}px`);
  setStyle(bottom, 'height', `${Math.max(0, total - itemTop(d, win.last))}px`);
  collect(mid, d);
  return true;
}

function markBreakpoint(row: HTMLElement | undefined, on: boolean): void {
  if (row === undefined) return;
  setClass(row, 'bp', on);
  const button = row.firstElementChild;
  if (button !== null) setAttr(button, 'aria-pressed', String(on));
}

function itemsOf(map: ByteMap): { items: Item[]; itemOf: Map<number, number> } | null {
  let n = 0;
  for (const s of map.sections) n += 1 + s.rows.length;
  if (n <= WINDOW_THRESHOLD) return null;
  const items: Item[] = [];
  const itemOf = new Map<number, number>();
  for (const s of map.sections) {
    items.push({ title: s });
    for (const r of s.rows) {
      itemOf.set(r.offset, items.length);
      items.push({ row: r });
    }
  }
  return { items, itemOf };
}

export function renderBytes(root: HTMLElement, data: BytesData): void {
  let d = drawn.get(root);
  let fresh = false;
  if (d === undefined || d.map !== data.map) {
    if (d !== undefined) root.replaceChildren();
    const w = itemsOf(data.map);
    d = {
      map: data.map,
      instrRows: new Map(),
      cells: [],
      current: null,
      selected: null,
      breakpoints: new Set(),
      items: w?.items ?? null,
      itemOf: w?.itemOf ?? null,
      window: null,
      rowHeight: 0,
      titleHeight: 0,
    };
    drawn.set(root, d);
    if (d.items === null) drawAll(root, d);
    fresh = true;
  }

  if (d.items !== null && drawWindow(root, d) && !fresh) {
    // A new window: rows drawn afresh or reused carry no marks, or stale ones; mark all drawn.
    for (const [offset, row] of d.instrRows) {
      markBreakpoint(row, data.breakpoints.has(offset));
      setClass(row, 'current', offset === data.current);
    }
    for (const el of root.querySelectorAll<HTMLElement>('.bhex span.sel')) el.classList.remove('sel');
    if (data.selected !== null) d.cells[data.selected]?.classList.add('sel');
    d.breakpoints = new Set(data.breakpoints);
    d.selected = data.selected;
    if (d.current !== data.current) {
      d.current = data.current;
      reveal(root, d, data.current);
    }
    return;
  }

  for (const offset of d.breakpoints) if (!data.breakpoints.has(offset)) markBreakpoint(d.instrRows.get(offset), false);
  for (const offset of data.breakpoints) if (!d.breakpoints.has(offset)) markBreakpoint(d.instrRows.get(offset), true);
  d.breakpoints = new Set(data.breakpoints);

  if (d.selected !== data.selected) {
    if (d.selected !== null) d.cells[d.selected]?.classList.remove('sel');
    if (data.selected !== null) d.cells[data.selected]?.classList.add('sel');
    d.selected = data.selected;
  }

  if (d.current !== data.current) {
    if (d.current !== null) d.instrRows.get(d.current)?.classList.remove('current');
    const row = data.current === null ? undefined : d.instrRows.get(data.current);
    row?.classList.add('current');
    d.current = data.current;
    reveal(root, d, data.current);
  }
}

/** Brings the row at `offset` into view by scrolling root itself (scrollIntoView would move the page). */
function reveal(root: HTMLElement, d: Drawn, offset: number | null): void {
  if (offset === null) return;
  if (d.items === null) {
    const row = d.instrRows.get(offset);
    if (row !== undefined) keepInView(root, () => (row.isConnected && row.classList.contains('current') ? row : null), 24);
    return;
  }
  const i = d.itemOf!.get(offset);
  if (i === undefined) return;
  // Windowed: the row may not be drawn; its place is arithmetic. The scroll moves the window.
  requestAnimationFrame(() => {
    if (!root.isConnected) return;
    const pad = root.querySelector<HTMLElement>(':scope > .bpad-top')?.offsetTop ?? 0;
    const top = pad + itemTop(d, i);
    const to = scrollFor(top, top + d.rowHeight, root.scrollTop, root.clientHeight, 24);
    if (to !== null) root.scrollTop = to;
  });
}

/**
 * Scrolls root so the byte at `offset` shows (for keyboard moves), drawing its row when
 * the view is windowed. Returns false when there is no such byte.
 */
export function revealByte(root: HTMLElement, offset: number): boolean {
  const d = drawn.get(root);
  if (d === undefined) return false;
  let top: number;
  if (d.items === null) {
    const row = d.cells[offset]?.parentElement?.parentElement;
    if (row == null) return false;
    top = row.offsetTop;
  } else {
    const start = rowAt(d.map, offset)?.offset;
    const i = start === undefined ? undefined : d.itemOf!.get(start);
    if (i === undefined) return false;
    top = (root.querySelector<HTMLElement>(':scope > .bpad-top')?.offsetTop ?? 0) + itemTop(d, i);
  }
  if (top < root.scrollTop || top > root.scrollTop + root.clientHeight - 30) root.scrollTop = Math.max(0, top - root.clientHeight / 3);
  return true;
}
