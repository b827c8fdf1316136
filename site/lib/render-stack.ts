// D3 renderer for the operand stack of the current frame: one cell per value, bottom at
// the bottom, keyed by the value's stable id (engine/trace/snapshot.ts) so a push drops a
// new cell on top and a pop lifts it away, forwards and backwards alike. Dashed markers
// show the stack height at which each open block started (where a `br` cuts back to).
// A pure function of (root, data): joins inside `root` only.
import { select } from 'd3-selection';
import 'd3-transition';
import type { StackValue } from '../../engine/trace/snapshot.ts';
import { describeValue, formatValue, type Radix } from './stepper/format.ts';

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
  const area = select(root).style('height', `${rows * ROW + 8}px`);
  area.classed('empty', cells.length === 0);
  const list = area
    .selectAll<HTMLOListElement, null>('ol.cells')
    .data([null])
    .join((enter) => enter.append('ol').attr('class', 'cells').attr('aria-label', 'Values, bottom first'));

  const joined = list
    .selectAll<HTMLLIElement, Cell>('li.cell')
    .data(cells, (d) => d.id)
    .join(
      (enter) => {
        const li = enter
          .append('li')
          .attr('class', 'cell')
          .style('bottom', (d) => `${(d.slot + 1) * ROW}px`)
          .style('opacity', '0');
        li.append('span').attr('class', 'type');
        li.append('span').attr('class', 'val');
        return li;
      },
      (update) => update,
      (exit) =>
        exit
          .classed('leaving', true)
          .transition('move')
          .duration(duration)
          .style('bottom', function () {
            return `${parseFloat((this as HTMLElement).style.bottom) + ROW / 2}px`;
          })
          .style('opacity', '0')
          .remove(),
    );

  joined
    .classed('leaving', false)
    .classed('pushed', (d) => d.value !== null && data.pushed.has(d.id))
    .classed('more', (d) => d.value === null)
    .attr('data-type', (d) => d.value?.type ?? null)
    .attr('title', (d) => (d.value === null ? null : describeValue(d.value)));
  joined.select('span.type').text((d) => d.value?.type ?? '');
  joined.select('span.val').text((d) => d.text);
  joined
    .transition('move')
    .duration(duration)
    .style('bottom', (d) => `${d.slot * ROW}px`)
    .style('opacity', '1');
  // Keep DOM order = stack order (bottom first) for screen readers.
  joined.order();

  const markers = data.markers.filter((m) => m.height - hidden > 0 && m.height - hidden < cells.length + (hidden > 0 ? 0 : 1));
  const lines = area
    .selectAll<HTMLDivElement, StackMarker>('div.marker')
    .data(markers, (d) => d.key)
    .join(
      (enter) => {
        const div = enter.append('div').attr('class', 'marker').attr('aria-hidden', 'true').style('opacity', '0');
        div.append('span');
        return div;
      },
      (update) => update,
      (exit) => exit.remove(),
    );
  lines.select('span').text((d) => d.label);
  lines
    .transition('move')
    .duration(duration)
    .style('bottom', (d) => `${(d.height - hidden + (hidden > 0 ? 1 : 0)) * ROW - 1}px`)
    .style('opacity', '1');
}
