// D3 renderer for an LEB128 encoding: one column per byte, showing its hex value, the
// continuation bit and the 7 payload bits. A pure function of (root, data): a keyed join
// inside `root` only, so several copies on one page never touch each other.
import { select } from 'd3-selection';
import 'd3-transition';
import type { LebByte } from '../../engine/index.ts';

export interface LebView {
  /** The opcode byte shown before the immediate, e.g. 0x41 for i32.const. */
  readonly opcode: number;
  readonly bytes: readonly LebByte[];
  readonly reducedMotion: boolean;
}

interface Cell {
  readonly key: string;
  readonly byte: number;
  readonly label: string;
  readonly continues: boolean | undefined;
}

const WIDTH = 92;
const GAP = 10;
const HEIGHT = 118;

export function renderLeb128(root: SVGSVGElement, view: LebView): void {
  const cells: Cell[] = [
    { key: 'opcode', byte: view.opcode, label: 'opcode', continues: undefined },
    ...view.bytes.map((b, i) => ({
      key: `leb-${i}`,
      byte: b.byte,
      label: `bits ${b.shift}–${b.shift + 6}`,
      continues: b.continues,
    })),
  ];
  const width = cells.length * (WIDTH + GAP) - GAP;
  const svg = select(root).attr('viewBox', `0 0 ${width} ${HEIGHT}`).attr('width', width).attr('height', HEIGHT);
  const duration = view.reducedMotion ? 0 : 250;

  const groups = svg
    .selectAll<SVGGElement, Cell>('g.byte')
    .data(cells, (d) => d.key)
    .join(
      (enter) => {
        const g = enter
          .append('g')
          .attr('class', 'byte')
          .attr('opacity', 0)
          .attr('transform', (_, i) => `translate(${i * (WIDTH + GAP)},12)`);
        g.append('rect').attr('width', WIDTH).attr('height', 72).attr('rx', 8);
        g.append('text').attr('class', 'hex').attr('x', WIDTH / 2).attr('y', 34).attr('text-anchor', 'middle');
        g.append('text').attr('class', 'bits').attr('x', WIDTH / 2).attr('y', 58).attr('text-anchor', 'middle');
        g.append('text').attr('class', 'label').attr('x', WIDTH / 2).attr('y', 100).attr('text-anchor', 'middle');
        return g;
      },
      (update) => update,
      (exit) => exit.transition().duration(duration).attr('opacity', 0).remove(),
    );

  groups
    .transition()
    .duration(duration)
    .attr('opacity', 1)
    .attr('transform', (_, i) => `translate(${i * (WIDTH + GAP)},0)`);
  groups.classed('opcode', (d) => d.continues === undefined).classed('continues', (d) => d.continues === true);
  groups.select('text.hex').text((d) => `0x${d.byte.toString(16).padStart(2, '0')}`);
  groups.select('text.bits').text((d) => {
    const bits = d.byte.toString(2).padStart(8, '0');
    return d.continues === undefined ? bits : `${bits[0]}|${bits.slice(1)}`;
  });
  groups.select('text.label').text((d) => d.label);
}
