// D3 renderer for the call frames: one card per frame, newest on top, with the function's
// name, where it stands (a caller stands at its call), its parameters and locals with
// their values, and a caller's operands waiting under its call; the local the last step
// changed is marked. Cards are keyed by the frame's stable id, so a call slides a new card
// in and a return takes it away. Deep recursion collapses the middle of the stack into
// one line with a button to show it all.
// A pure function of (root, data): joins inside `root` only.
import { select } from 'd3-selection';
import 'd3-transition';
import type { FrameView, LocalView } from '../../engine/trace/snapshot.ts';
import { describeValue, formatValue, type Radix } from './stepper/format.ts';

export interface FramesData {
  /** Outermost first (as in the snapshot). */
  readonly frames: readonly FrameView[];
  /** Frames in the call stack (may exceed frames.length when the snapshot left out the oldest). */
  readonly frameCount: number;
  /** The local the last step wrote: its frame id and index. */
  readonly changed: { readonly frameId: number; readonly index: number } | null;
  readonly radix: Radix;
  /** Show every frame even when the stack is deep. */
  readonly expanded: boolean;
  readonly reducedMotion: boolean;
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

export function renderFrames(root: HTMLElement, data: FramesData): void {
  const duration = data.reducedMotion ? 0 : 240;
  const list = select(root);
  const joined = list
    .selectAll<HTMLLIElement, Item>(':scope > li')
    .data(items(data), (d) => d.key)
    .join(
      (enter) => enter.append('li').style('opacity', '0'),
      (update) => update,
      (exit) => exit.transition().duration(duration).style('opacity', '0').remove(),
    );
  joined.transition().duration(duration).style('opacity', '1');
  joined.order();

  // The gap line: text, and a button when the middle is collapsed.
  const gaps = joined.filter((d) => d.kind === 'gap').attr('class', 'gap');
  gaps.each(function (d) {
    if (d.kind !== 'gap') return;
    const li = select(this);
    li.selectAll('*').remove();
    li.append('span').text(`… ${d.hidden} more frame${d.hidden === 1 ? '' : 's'} …`);
    if (d.collapsible) {
      li.append('button').attr('type', 'button').attr('data-action', 'expand-frames').text('Show all');
    }
  });

  const cards = joined.filter((d) => d.kind === 'frame') as unknown as import('d3-selection').Selection<HTMLLIElement, Extract<Item, { kind: 'frame' }>, HTMLElement, unknown>;
  cards.attr('class', (d) => `frame${d.top ? ' top' : ''}`);
  cards.each(function (d) {
    const li = select(this);
    if (li.select('header').empty()) {
      const h = li.append('header');
      h.append('span').attr('class', 'fname');
      h.append('span').attr('class', 'where');
      li.append('table').attr('class', 'locals').append('tbody');
      li.append('p').attr('class', 'ops');
    }
    const f = d.frame;
    li.attr('aria-label', `Frame ${f.depth}: ${f.funcName ?? `func ${f.funcIndex}`}`);
    li.select('span.fname').text(f.funcName ?? `func ${f.funcIndex}`);
    const line = f.at.text === null ? '' : `line ${f.at.text.line} · `;
    li.select('span.where').text(`${line}${d.top ? '' : 'waiting at '}${f.at.op}`);
    const rows = li
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
    rows.classed('param', (l) => l.param).classed('changed', (l) => data.changed !== null && data.changed.frameId === f.id && data.changed.index === l.index);
    rows.select('th').text(localName);
    rows.select('td.type').text((l) => l.type);
    rows.select('td.val').text((l) => formatValue(l, data.radix)).attr('title', (l) => describeValue(l));
    li.select('table').classed('none', f.locals.length === 0);
    // A caller's operands wait under its call: show them (the current frame's are in the stack view).
    const ops = d.top ? [] : f.stack;
    li.select('p.ops')
      .classed('none', ops.length === 0)
      .text(ops.length === 0 ? '' : `operands waiting: ${ops.map((v) => formatValue(v, data.radix)).join(', ')}`);
  });
}
