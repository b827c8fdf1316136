// D3 renderer for the Module explorer's section sizes: one table row per section, in file
// order, keyed by the section's offset, with a bar scaled to the largest section and the
// size in bytes and as a share of the file, as text. A pure function of (root, data):
// joins inside `root` (a <tbody>) only. Section names come from the module (custom
// sections name themselves): they are set as text, never as markup.
import { scaleLinear } from 'd3-scale';
import { select } from 'd3-selection';
import { percentText, type SectionRow } from './summary.ts';

export interface SectionsData {
  readonly sections: readonly SectionRow[];
  readonly byteLength: number;
}

export function renderSections(root: HTMLElement, data: SectionsData): void {
  const largest = Math.max(1, ...data.sections.map((s) => s.size));
  const width = scaleLinear().domain([0, largest]).range([0, 100]);

  const rows = select(root)
    .selectAll<HTMLTableRowElement, SectionRow>('tr')
    .data(data.sections, (d) => String(d.offset))
    .join((enter) => {
      const tr = enter.append('tr');
      tr.append('th').attr('scope', 'row').attr('class', 'name');
      tr.append('td').attr('class', 'bar-cell').append('span').attr('class', 'bar').attr('aria-hidden', 'true');
      tr.append('td').attr('class', 'num bytes');
      tr.append('td').attr('class', 'num share');
      return tr;
    });

  rows.classed('custom', (d) => d.id === 0);
  rows.select('.name').text((d) => (d.id === 0 ? `custom “${d.name}”` : d.name));
  // At least a sliver, so a small section still shows a bar.
  rows.select<HTMLElement>('.bar').style('width', (d) => `${Math.max(0.4, width(d.size))}%`);
  rows.select('.bytes').text((d) => d.size.toLocaleString('en'));
  rows.select('.share').text((d) => percentText(d.size, data.byteLength));
}
