// D3 renderer for the module's binary as annotated hex: sections, each with its rows (the
// id and size, entries, and in the code section one row per instruction, indented by
// block), each byte a span with its offset (data-offset) so the island can explain the
// byte under the pointer. The row of the instruction about to run is highlighted and
// scrolled into view inside `root` (never the page), in step with the Source view.
// A pure function of (root, data): joins inside `root` only.
import { select } from 'd3-selection';
import type { ByteMap, ByteRow, ByteSection } from './stepper/bytes-map.ts';
import { hex2 } from './stepper/format.ts';

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

export function renderBytes(root: HTMLElement, data: BytesData): void {
  const bytes = data.map.bytes;
  const sections = select(root)
    .selectAll<HTMLDivElement, ByteSection>('div.bsec')
    .data(data.map.sections, (s) => s.key)
    .join((enter) => {
      const div = enter.append('div').attr('class', 'bsec');
      div.append('div').attr('class', 'btitle');
      return div;
    });
  sections.order();
  sections.select('div.btitle').text((s) => `${s.title} · ${s.length} bytes at 0x${s.offset.toString(16)}`);

  const rows = sections
    .selectAll<HTMLDivElement, ByteRow>('div.brow')
    .data((s) => s.rows, (r) => String(r.offset))
    .join((enter) => {
      const div = enter.append('div').attr('class', (r) => `brow ${r.kind}`);
      div.append('span').attr('class', 'boff');
      div.append('span').attr('class', 'bhex');
      div.append('span').attr('class', 'blabel');
      return div;
    });
  rows
    .classed('current', (r) => r.offset === data.current && r.kind === 'instr')
    .classed('bp', (r) => data.breakpoints.has(r.offset));
  rows.select('span.boff').text((r) => r.offset.toString(16).padStart(4, '0'));
  rows
    .select('span.blabel')
    .style('padding-inline-start', (r) => `${r.indent * 0.8}rem`)
    .text((r) => r.label);
  const cells = rows
    .select<HTMLSpanElement>('span.bhex')
    .selectAll<HTMLSpanElement, Cell>('span')
    .data(
      (r) => Array.from(bytes.subarray(r.offset, r.offset + r.length), (byte, i) => ({ offset: r.offset + i, byte })),
      (c) => String(c.offset),
    )
    .join('span')
    .attr('data-offset', (c) => c.offset)
    .text((c) => hex2(c.byte));
  cells.classed('sel', (c) => c.offset === data.selected);

  // Bring the current row into view by scrolling root itself (scrollIntoView would move the page).
  const cur = root.querySelector<HTMLElement>('div.brow.current');
  if (cur !== null) {
    const top = cur.offsetTop;
    const bottom = top + cur.offsetHeight;
    if (top < root.scrollTop + 24 || bottom > root.scrollTop + root.clientHeight - 24) {
      root.scrollTop = Math.max(0, top - root.clientHeight / 3);
    }
  }
}
