// D3 renderer for the call frames: one card per frame, newest on top, with the function's
// name, where it stands (a caller stands at its call), its parameters and locals with
// their values, and a caller's operands waiting under its call; the local the last step
// changed is marked; before a throw, so are the frames it will leave. Cards are keyed by
// the frame's stable id, so a call slides a new card in and a return takes it away, while a
// tail call (return_call), whose callee's frame keeps the caller's id, redraws the same card
// in place with a "replaced $f" marker that flashes on the step it happened. Deep recursion collapses the middle of the stack into
// one line with a button to show it all. Only arriving and leaving cards animate, and a
// card is redrawn only when what it shows changed: a step usually changes the top card alone.
// A pure function of (root, data): joins inside `root` only.
import { select } from 'd3-selection';
import 'd3-transition';
import type { FrameView, LocalView, ValueView } from '../../../engine/index.ts';
import { setAttr, setClass, setText } from './dom.ts';
import { describeValue, formatValue, type Radix } from './format.ts';

export interface FramesData {
  /** Outermost first (as in the snapshot). */
  readonly frames: readonly FrameView[];
  /** Frames in the call stack (may exceed frames.length when the snapshot left out the oldest). */
  readonly frameCount: number;
  /** The local the last step wrote: its frame id and index. */
  readonly changed: { readonly frameId: number; readonly index: number } | null;
  readonly radix: Radix;
  /** The snapshot's step: a tail call that happened on it is marked as just now. */
  readonly stepIndex: number;
  /** Show every frame even when the stack is deep. */
  readonly expanded: boolean;
  readonly reducedMotion: boolean;
  /** When the next instruction throws: the frames deeper than this depth are the ones it leaves (-1: all of them). */
  readonly throwLeavesBelow?: number | null;
}

/** From this many frames on, the middle collapses. */
export const COLLAPSE_AT = 50;
const KEEP_NEWEST = 6;
const KEEP_OLDEST = 2;

type Item =
  | { readonly kind: 'frame'; readonly key: string; readonly frame: FrameView; readonly top: boolean }
  | { readonly kind: 'gap'; readonly key: string; readonly hidden: number; readonly collapsible: boolean };

function items(d: FramesData): Item[] {
  const newestFirst = [...d.frames].reverse();
  const frame = (f: FrameView, i: number): Item => ({ kind: 'frame', key: `f${f.id}`, frame: f, top: i === 0 });
  const missing = d.frameCount - d.frames.length;
  if (d.frameCount >= COLLAPSE_AT && !d.expanded) {
    const head = newestFirst.slice(0, KEEP_NEWEST).map(frame);
    const tailStart = Math.max(KEEP_NEWEST, newestFirst.length - KEEP_OLDEST);
    const tail = missing > 0 ? [] : newestFirst.slice(tailStart).map((f, i) => frame(f, tailStart + i));
    const hidden = d.frameCount - head.length - tail.length;
    return [...head, { kind: 'gap', key: 'gap', hidden, collapsible: true }, ...tail];
  }
  const all = newestFirst.map(frame);
  if (missing > 0) all.push({ kind: 'gap', key: 'gap', hidden: missing, collapsible: false });
  return all;
}

function localName(l: LocalView): string {
  return l.name ?? `${l.param ? 'param' : 'local'} ${l.index}`;
}

/** Everything a card shows, as one string: an unchanged card is left alone. */
function cardKey(d: Extract<Item, { kind: 'frame' }>, data: FramesData): string {
  const f = d.frame;
  const changed = data.changed !== null && data.changed.frameId === f.id ? data.changed.index : -1;
  const r = f.replaced;
  const replaced = r === null ? '' : `${r.funcName ?? r.funcIndex}@${r.step === data.stepIndex && !data.reducedMotion}`;
  let key = `${d.top}|${data.radix}|${changed}|${f.funcName}|${f.depth}|${f.at.op}|${f.at.text?.line ?? ''}|${replaced}|${leaves(f, data)}`;
  for (const l of f.locals) key += `|${valueKey(l)}`;
  if (!d.top) for (const v of f.stack) key += `|${valueKey(v)}`;
  return key;
}

/** The pending throw leaves this frame (exception handling: its catcher is in an older frame, or none). */
function leaves(f: FrameView, data: FramesData): boolean {
  const below = data.throwLeavesBelow;
  return below !== undefined && below !== null && f.depth > below;
}

function valueKey(v: ValueView): string {
  return `${v.type}:${v.text}:${'hex' in v ? v.hex : ''}`;
}

const cardKeys = new WeakMap<Element, string>();

function drawCard(li: HTMLLIElement, d: Extract<Item, { kind: 'frame' }>, data: FramesData): void {
  const card = select(li);
  if (li.firstElementChild === null || li.firstElementChild.tagName !== 'HEADER') {
    card.selectAll('*').remove();
    const h = card.append('header');
    h.append('span').attr('class', 'fname');
    h.append('span').attr('class', 'where');
    card.append('p').attr('class', 'replaced');
    card.append('table').attr('class', 'locals').append('tbody');
    card.append('p').attr('class', 'ops');
  }
  const f = d.frame;
  const r = f.replaced;
  const was = r === null ? '' : (r.funcName ?? `func ${r.funcIndex}`);
  // The flash restarts only when the class comes back (the card is redrawn on that step).
  const now = r !== null && r.step === data.stepIndex && !data.reducedMotion;
  const left = leaves(f, data);
  setAttr(li, 'class', `frame${d.top ? ' top' : ''}${now ? ' replaced-now' : ''}${left ? ' unwinds' : ''}`);
  setAttr(li, 'aria-label', `Frame ${f.depth}: ${f.funcName ?? `func ${f.funcIndex}`}${r === null ? '' : `, which replaced the frame of ${was} (tail call)`}`);
  const mark = li.querySelector('p.replaced')!;
  setClass(mark, 'none', r === null);
  setText(mark, r === null ? '' : `⤺ replaced ${was} in place (tail call)`);
  setAttr(mark, 'title', r === null ? '' : `A return_call at step ${r.step} gave this frame's place to ${f.funcName ?? `func ${f.funcIndex}`}: no new frame was pushed.`);
  setText(li.querySelector('span.fname')!, f.funcName ?? `func ${f.funcIndex}`);
  const line = f.at.text === null ? '' : `line ${f.at.text.line} · `;
  setText(li.querySelector('span.where')!, `${line}${d.top ? '' : 'waiting at '}${f.at.op}${left ? ' · the throw leaves it' : ''}`);
  const rows = card
    .select('tbody')
    .selectAll<HTMLTableRowElement, LocalView>('tr')
    .data(f.locals, (l) => String(l.index))
    .join((enter) => {
      const tr = enter.append('tr');
      tr.append('th').attr('scope', 'row');
      tr.append('td').attr('class', 'type');
      tr.append('td').attr('class', 'val');
      return tr;
    });
  rows.each(function (l) {
    setClass(this, 'param', l.param);
    setClass(this, 'changed', data.changed !== null && data.changed.frameId === f.id && data.changed.index === l.index);
    const [th, type, val] = this.children as unknown as [HTMLElement, HTMLElement, HTMLElement];
    setText(th, localName(l));
    setText(type, l.type);
    setText(val, formatValue(l, data.radix));
    setAttr(val, 'title', describeValue(l));
  });
  setClass(li.querySelector('table')!, 'none', f.locals.length === 0);
  // A caller's operands wait under its call: show them (the current frame's are in the stack view).
  const ops = d.top ? [] : f.stack;
  const p = li.querySelector('p.ops')!;
  setClass(p, 'none', ops.length === 0);
  setText(p, ops.length === 0 ? '' : `operands waiting: ${ops.map((v) => formatValue(v, data.radix)).join(', ')}`);
}

function drawGap(li: HTMLLIElement, d: Extract<Item, { kind: 'gap' }>): void {
  const text = `… ${d.hidden} more frame${d.hidden === 1 ? '' : 's'} …`;
  if (li.className === 'gap' && li.firstElementChild?.textContent === text && (li.querySelector('button') !== null) === d.collapsible) return;
  const gap = select(li).attr('class', 'gap');
  gap.selectAll('*').remove();
  gap.append('span').text(text);
  if (d.collapsible) gap.append('button').attr('type', 'button').attr('data-action', 'expand-frames').text('Show all');
}

export function renderFrames(root: HTMLElement, data: FramesData): void {
  const duration = data.reducedMotion ? 0 : 240;
  const list = select(root);
  // Only arriving and leaving cards fade; a card that stays is not touched unless it changed.
  const joined = list
    .selectAll<HTMLLIElement, Item>(':scope > li')
    .data(items(data), (d) => d.key)
    .join(
      (enter) => {
        const li = enter.append('li');
        if (duration > 0) li.style('opacity', '0').transition().duration(duration).style('opacity', '1');
        return li;
      },
      (update) => {
        // Back before a card finished leaving: it stays.
        const back = update.filter('.leaving').classed('leaving', false).interrupt();
        back.style('opacity', '1');
        return update;
      },
      (exit) => {
        if (duration === 0) exit.remove();
        else exit
          .filter(':not(.leaving)')
          .classed('leaving', true)
          .transition()
          .duration(duration)
          .style('opacity', '0')
          .remove();
      },
    );
  joined.order();

  joined.each(function (d) {
    if (d.kind === 'gap') {
      cardKeys.delete(this);
      drawGap(this, d);
      return;
    }
    const key = cardKey(d, data);
    if (cardKeys.get(this) === key) return;
    cardKeys.set(this, key);
    drawCard(this, d, data);
  });
}
