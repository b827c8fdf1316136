// D3 renderer for the control stack of the current frame: one row per label, innermost on
// top, each with the depth `br` uses for it, its kind and name, its block type, and where
// `br depth` would continue (after the block's end, back at the loop's start, or a return
// from the function). The label the next branch instruction targets is marked. Keyed by
// the block's body position so rows stay put while blocks open and close.
// A pure function of (root, data): joins inside `root` only.
import { select } from 'd3-selection';
import 'd3-transition';
import type { LabelView } from '../../engine/trace/snapshot.ts';

export interface ControlData {
  /** Innermost first (labels[n] is what `br n` targets). */
  readonly labels: readonly LabelView[];
  /** The frame's function, for "returns from $f". */
  readonly funcName: string;
  /** The depth the instruction about to run branches to (br, br_if, br_table default), if it is one. */
  readonly nextBranch: number | null;
  /** The depth the last step branched to, when it took a branch. */
  readonly lastBranch: number | null;
  readonly reducedMotion: boolean;
}

interface Row {
  readonly key: string;
  readonly label: LabelView;
  readonly nest: number;
}

function types(ts: readonly string[]): string {
  return `[${ts.join(' ')}]`;
}

function target(l: LabelView, funcName: string): string {
  const line = l.branchTo.text === null ? '' : ` (line ${l.branchTo.text.line})`;
  if (l.branchTo.kind === 'return') return `returns from ${funcName}`;
  if (l.branchTo.kind === 'loop-start') return `back to the loop's start${line}`;
  return `to after its end${line}`;
}

export function renderControl(root: HTMLElement, data: ControlData): void {
  const duration = data.reducedMotion ? 0 : 220;
  const n = data.labels.length;
  const rows: Row[] = data.labels.map((l, i) => ({ key: `${l.start}`, label: l, nest: n - 1 - i }));
  const list = select(root);

  const joined = list
    .selectAll<HTMLLIElement, Row>('li.label')
    .data(rows, (d) => d.key)
    .join(
      (enter) => {
        const li = enter.append('li').attr('class', 'label').style('opacity', '0');
        li.append('span').attr('class', 'depth');
        const main = li.append('span').attr('class', 'main');
        main.append('span').attr('class', 'kind');
        main.append('span').attr('class', 'name');
        main.append('span').attr('class', 'sig');
        li.append('span').attr('class', 'goes');
        return li;
      },
      (update) => update,
      (exit) => exit.transition().duration(duration).style('opacity', '0').remove(),
    );

  joined
    .classed('next-target', (d) => d.label.depth === data.nextBranch)
    .classed('last-target', (d) => d.label.depth === data.lastBranch)
    .attr('data-kind', (d) => d.label.kind)
    .style('margin-inline-start', (d) => `${Math.min(d.nest, 8) * 0.9}rem`);
  joined.select('span.depth').text((d) => String(d.label.depth)).attr('title', (d) => `label index ${d.label.depth}: br ${d.label.depth} targets this`);
  joined.select('span.kind').text((d) => (d.label.kind === 'func' ? 'function' : d.label.kind));
  joined.select('span.name').text((d) => (d.label.kind === 'func' ? data.funcName : d.label.name ?? ''));
  joined
    .select('span.sig')
    .text((d) => (d.label.params.length === 0 && d.label.results.length === 0 ? '' : `${types(d.label.params)} → ${types(d.label.results)}`));
  joined.select('span.goes').text((d) => `br ${d.label.depth} ${target(d.label, data.funcName)}${d.label.arity > 0 ? `, carrying ${d.label.arity} value${d.label.arity === 1 ? '' : 's'}` : ''}`);
  joined.transition().duration(duration).style('opacity', '1');
  joined.order();
}
