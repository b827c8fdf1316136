// D3 renderer for the operand stack of the current frame: one cell per value, bottom at
// the bottom, keyed by the value's stable id (engine/trace/snapshot.ts) so a push drops a
// new cell on top and a pop lifts it away, forwards and backwards alike. Dashed markers
// show the stack height at which each open block started (where a `br` cuts back to).
// Only cells that arrive, leave or change place move; the rest are not touched.
// A pure function of (root, data): joins inside `root` only.
import { select } from 'd3-selection';
import 'd3-transition';
import type { StackValue } from '../../../engine/index.ts';
import { setAttr, setClass, setStyle, setText } from './dom.ts';
import { describeValue, formatValue, type Radix } from './format.ts';

export interface StackMarker {
  readonly key: string;
  /** Values below the marker. */
  readonly height: number;
  readonly label: string;
}

export interface StackData {
  /** Bottom first. */
  readonly values: readonly StackValue[];
  /** Ids of the values the last step pushed. */
  readonly pushed: ReadonlySet<string>;
  readonly markers: readonly StackMarker[];
  readonly radix: Radix;
  readonly reducedMotion: boolean;
}

/** Pixel height of one cell (CSS gives cells this height too). */
const ROW = 34;
/** At most this many cells are drawn; older ones collapse into a count at the bottom. */
const MAX_SHOWN = 40;

interface Cell {
  readonly id: string;
  readonly slot: number;
  readonly value: StackValue | null;
  readonly text: string;
}

export function renderStack(root: HTMLElement, data: StackData): void {
  const duration = data.reducedMotion ? 0 : 260;
  const hidden = Math.max(0, data.values.length - MAX_SHOWN);
  const cells: Cell[] = [];
  if (hidden > 0) cells.push({ id: 'more', slot: 0, value: null, text: `… ${hidden} older value${hidden === 1 ? '' : 's'}` });
  data.values.slice(hidden).forEach((v, i) => {
    cells.push({ id: v.id, slot: i + (hidden > 0 ? 1 : 0), value: v, text: formatValue(v, data.radix) });
  });
  const rows = Math.max(cells.length, 1);
  setStyle(root, 'height', `${rows * ROW + 8}px`);
  setClass(root, 'empty', cells.length === 0);
  const area = select(root);
  const list = area
    .selectAll<HTMLOListElement, null>('ol.cells')
    .data([null])
    .join((enter) => enter.append('ol').attr('class', 'cells').attr('aria-label', 'Values, bottom first'));

  // Only cells that arrive, leave or change slot move; the others are left alone.
  const joined = list
    .selectAll<HTMLLIElement, Cell>('li.cell')
    .data(cells, (d) => d.id)
    .join(
      (enter) => {
        const li = enter.append('li').attr('class', 'cell');
        li.append('span').attr('class', 'type');
        li.append('span').attr('class', 'val');
        return li;
      },
      (update) => update,
      (exit) => {
        if (duration === 0) {
          exit.remove();
          return;
        }
        exit
          .filter(':not(.leaving)')
          .classed('leaving', true)
          .attr('data-slot', null)
          .transition('move')
          .duration(duration)
          .style('bottom', function () {
            return `${parseFloat((this as HTMLElement).style.bottom) + ROW / 2}px`;
          })
          .style('opacity', '0')
          .remove();
      },
    );

  joined.each(function (d) {
    const returning = this.classList.contains('leaving');
    if (returning) {
      // Back before it finished leaving: it stays.
      select(this).interrupt('move');
      this.classList.remove('leaving');
    }
    setClass(this, 'pushed', d.value !== null && data.pushed.has(d.id));
    setClass(this, 'more', d.value === null);
    setAttr(this, 'data-type', d.value?.type ?? null);
    setAttr(this, 'title', d.value === null ? null : describeValue(d.value));
    const [type, val] = this.children as unknown as [HTMLElement, HTMLElement];
    setText(type, d.value?.type ?? '');
    setText(val, d.text);

    const slot = String(d.slot);
    const target = `${d.slot * ROW}px`;
    if (this.dataset.slot === slot && !returning) return;
    const arriving = this.dataset.slot === undefined && !returning;
    this.dataset.slot = slot;
    if (duration === 0) {
      select(this).interrupt('move');
      setStyle(this, 'bottom', target);
      setStyle(this, 'opacity', '1');
      return;
    }
    if (arriving) {
      // A push drops in from half a cell above.
      this.style.bottom = `${(d.slot + 1) * ROW}px`;
      this.style.opacity = '0';
    }
    select(this).transition('move').duration(duration).style('bottom', target).style('opacity', '1');
  });
  // Keep DOM order = stack order (bottom first) for screen readers.
  joined.order();

  const markers = data.markers.filter((m) => m.height - hidden > 0 && m.height - hidden < cells.length + (hidden > 0 ? 0 : 1));
  const lines = area
    .selectAll<HTMLDivElement, StackMarker>('div.marker')
    .data(markers, (d) => d.key)
    .join(
      (enter) => {
        const div = enter.append('div').attr('class', 'marker').attr('aria-hidden', 'true');
        div.append('span');
        return div;
      },
      (update) => update,
      (exit) => exit.remove(),
    );
  lines.each(function (d) {
    setText(this.firstElementChild!, d.label);
    const target = `${(d.height - hidden + (hidden > 0 ? 1 : 0)) * ROW - 1}px`;
    if (this.dataset.bottom === target) return;
    const arriving = this.dataset.bottom === undefined;
    this.dataset.bottom = target;
    if (duration === 0 || arriving) {
      setStyle(this, 'bottom', target);
      if (arriving && duration > 0) select(this).style('opacity', '0').transition('fade').duration(duration).style('opacity', '1');
      return;
    }
    select(this).transition('move').duration(duration).style('bottom', target);
  });
}
