// D3 renderer for a window of linear memory as a hex + ASCII dump, keyed by row address
// (16 bytes a row, or 8 on a narrow screen). The bytes of the last write so far and the
// bytes the last instruction read are highlighted (and say so in their title), so a store
// lights up exactly the bytes it changed, until the next write.
// A pure function of (root, data): joins inside `root` only.
import { select } from 'd3-selection';
import { hex2, hexAddress } from './format.ts';

export interface ByteRange {
  readonly address: number;
  readonly length: number;
}

export interface HexDumpData {
  /** Address of bytes[0]; a multiple of 16. */
  readonly base: number;
  readonly bytes: Uint8Array;
  readonly writes: readonly ByteRange[];
  readonly reads: readonly ByteRange[];
  /** Bytes per row: 16, or 8 on a narrow screen. */
  readonly columns: number;
}

interface Row {
  readonly address: number;
  readonly bytes: Uint8Array;
}

interface Cell {
  readonly address: number;
  readonly byte: number;
}

function inRanges(a: number, rs: readonly ByteRange[]): boolean {
  for (const r of rs) if (a >= r.address && a < r.address + r.length) return true;
  return false;
}

function ascii(b: number): string {
  return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '·';
}

export function renderHexDump(root: HTMLElement, data: HexDumpData): void {
  const rows: Row[] = [];
  const width = data.columns;
  for (let off = 0; off < data.bytes.length; off += width) {
    rows.push({ address: data.base + off, bytes: data.bytes.subarray(off, Math.min(off + width, data.bytes.length)) });
  }
  const cellsOf = (r: Row): Cell[] => Array.from(r.bytes, (byte, i) => ({ address: r.address + i, byte }));
  const mark = (sel: import('d3-selection').Selection<HTMLSpanElement, Cell, HTMLElement, Row>): void => {
    sel
      .classed('w', (c) => inRanges(c.address, data.writes))
      .classed('r', (c) => inRanges(c.address, data.reads))
      .classed('z', (c) => c.byte === 0);
  };

  const lines = select(root)
    .selectAll<HTMLDivElement, Row>('div.hexrow')
    .data(rows, (r) => String(r.address))
    .join((enter) => {
      const div = enter.append('div').attr('class', 'hexrow');
      div.append('span').attr('class', 'addr');
      div.append('span').attr('class', 'hex');
      div.append('span').attr('class', 'ascii').attr('aria-hidden', 'true');
      return div;
    });
  lines.order();
  lines.select('span.addr').text((r) => hexAddress(r.address).slice(2));

  const hex = lines
    .select<HTMLSpanElement>('span.hex')
    .selectAll<HTMLSpanElement, Cell>('span')
    .data(cellsOf, (c) => String(c.address))
    .join('span')
    .text((c) => hex2(c.byte))
    .attr('title', (c) => {
      const what = inRanges(c.address, data.writes) ? ', last written' : inRanges(c.address, data.reads) ? ', just read' : '';
      return `${hexAddress(c.address)}: ${c.byte} (0x${hex2(c.byte)})${what}`;
    });
  mark(hex);

  const text = lines
    .select<HTMLSpanElement>('span.ascii')
    .selectAll<HTMLSpanElement, Cell>('span')
    .data(cellsOf, (c) => String(c.address))
    .join('span')
    .text((c) => ascii(c.byte));
  mark(text);
}
