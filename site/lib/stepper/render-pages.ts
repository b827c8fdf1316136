// D3 renderer for a linear memory's page map: one square per 64 KiB page, keyed by page
// number, so `memory.grow` visibly adds squares (and stepping back takes them away);
// pages the memory may still grow into, up to its declared maximum, are dashed outlines.
// Pages with the last read, or the last write so far, are marked; the page of the address
// the hex dump is about is pressed. Pages are buttons (data-page) — the island handles the click.
// A pure function of (root, data): joins inside `root` only.
import { select } from 'd3-selection';
import 'd3-transition';
import { hexAddress } from './format.ts';

export interface PagesData {
  readonly pages: number;
  readonly maxPages: number | null;
  /** The page the hex dump shows. */
  readonly selected: number;
  readonly readPages: ReadonlySet<number>;
  readonly writePages: ReadonlySet<number>;
  readonly reducedMotion: boolean;
}

/** Page squares drawn at most; bigger memories say how many more there are. */
export const MAX_DRAWN = 256;
const PAGE = 65536;

interface Slot {
  readonly page: number;
  readonly live: boolean;
}

export function renderPages(root: HTMLElement, data: PagesData): void {
  const duration = data.reducedMotion ? 0 : 300;
  const live = Math.min(data.pages, MAX_DRAWN);
  const reserve = data.maxPages === null ? 0 : Math.max(0, Math.min(data.maxPages, MAX_DRAWN) - live);
  const slots: Slot[] = [];
  for (let p = 0; p < live; p++) slots.push({ page: p, live: true });
  for (let p = live; p < live + reserve; p++) slots.push({ page: p, live: false });

  const joined = select(root)
    .selectAll<HTMLElement, Slot>('.page')
    .data(slots, (d) => `${d.page}:${d.live}`)
    .join(
      (enter) =>
        enter
          .append((d) => document.createElement(d.live ? 'button' : 'span'))
          .attr('class', (d) => (d.live ? 'page live' : 'page spare'))
          .call((s) => {
            s.filter((d) => d.live)
              .attr('type', 'button')
              .attr('data-page', (d) => d.page)
              .style('transform', 'scale(0.2)')
              .style('opacity', '0')
              .transition()
              .duration(duration)
              .style('transform', 'scale(1)')
              .style('opacity', '1');
            s.filter((d) => !d.live).attr('aria-hidden', 'true');
          }),
      (update) => update.interrupt().style('transform', null).style('opacity', null),
      (exit) => {
        exit.filter((d) => !d.live).remove();
        exit
          .filter((d) => d.live)
          .transition()
          .duration(duration)
          .style('transform', 'scale(0.2)')
          .style('opacity', '0')
          .remove();
      },
    );

  joined
    .filter((d) => d.live)
    .classed('read', (d) => data.readPages.has(d.page))
    .classed('written', (d) => data.writePages.has(d.page))
    .attr('aria-pressed', (d) => String(d.page === data.selected))
    .attr('aria-label', (d) => {
      const marks = [data.writePages.has(d.page) ? 'has the last write' : '', data.readPages.has(d.page) ? 'just read' : ''].filter(Boolean);
      return `Page ${d.page}, ${hexAddress(d.page * PAGE)} to ${hexAddress(d.page * PAGE + PAGE - 1)}${marks.length ? `, ${marks.join(' and ')}` : ''}`;
    })
    .text((d) => String(d.page));
  joined.order();
}
