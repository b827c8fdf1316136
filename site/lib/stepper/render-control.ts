// D3 renderer for the control stack of the current frame: one row per label, innermost on
// top, each with the depth `br` uses for it, its kind and name, its block type, and where
// `br depth` would continue (after the block's end, back at the loop's start, or a return
// from the function). The label the next branch instruction targets is marked. Keyed by
// the block's body position so rows stay put while blocks open and close.
// A pure function of (root, data): joins inside `root` only.
import { select } from 'd3-selection';
import 'd3-transition';
import type { LabelView } from '../../../engine/index.ts';
import { setAttr, setClass, setStyle, setText } from './dom.ts';

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

  // Only labels that open or close fade; the others are rewritten only where they changed.
  const joined = list
    .selectAll<HTMLLIElement, Row>('li.label')
    .data(rows, (d) => d.key)
    .join(
      (enter) => {
        const li = enter.append('li').attr('class', 'label');
        li.append('span').attr('class', 'depth');
        const main = li.append('span').attr('class', 'main');
        main.append('span').attr('class', 'kind');
        main.append('span').attr('class', 'name');
        main.append('span').attr('class', 'sig');
        li.append('span').attr('class', 'goes');
        if (duration > 0) li.style('opacity', '0').transition().duration(duration).style('opacity', '1');
        return li;
      },
      (update) => {
        // Back before a label finished leaving: it stays.
        update.filter('.leaving').classed('leaving', false).interrupt().style('opacity', '1');
        return update;
      },
      (exit) => {
        if (duration === 0) exit.remove();
        else exit.filter(':not(.leaving)').classed('leaving', true).transition().duration(duration).style('opacity', '0').remove();
      },
    );

  joined.each(function (d) {
    const l = d.label;
    setClass(this, 'next-target', l.depth === data.nextBranch);
    setClass(this, 'last-target', l.depth === data.lastBranch);
    setAttr(this, 'data-kind', l.kind);
    setStyle(this, 'margin-inline-start', `${Math.min(d.nest, 8) * 0.9}rem`);
    const [depth, main, goes] = this.children as unknown as [HTMLElement, HTMLElement, HTMLElement];
    const [kind, name, sig] = main.children as unknown as [HTMLElement, HTMLElement, HTMLElement];
    setText(depth, String(l.depth));
    setAttr(depth, 'title', `label index ${l.depth}: br ${l.depth} targets this`);
    setText(kind, l.kind === 'func' ? 'function' : l.kind);
    setText(name, l.kind === 'func' ? data.funcName : (l.name ?? ''));
    setText(sig, l.params.length === 0 && l.results.length === 0 ? '' : `${types(l.params)} → ${types(l.results)}`);
    setText(goes, `br ${l.depth} ${target(l, data.funcName)}${l.arity > 0 ? `, carrying ${l.arity} value${l.arity === 1 ? '' : 's'}` : ''}`);
  });
  joined.order();
}
