// D3 renderer for the Exceptions panel (exception handling,
// https://webassembly.github.io/spec/core/exec/instructions.html#exec-throw-ref): the
// exception in flight — the one the current instruction is about to throw, with the clause
// that would catch it, or the one the last step threw, with its unwinding (frames and
// labels popped, handlers passed, where it was caught) — and the handlers in scope,
// innermost first, each with its clauses; the clause that would catch the pending throw
// is marked with words, not colour alone. Everything comes from the snapshot
// (Snapshot.throwing, Snapshot.handlers, LastStep.exception: docs/TRACE.md).
// A pure function of (root, data): joins inside `root` only, keyed by fact name, by
// handler (frame id and position) and by clause index.
import { select } from 'd3-selection';
import 'd3-transition';
import type { Location, Snapshot, ValueView } from '../../../engine/index.ts';
import { setAttr, setClass, setText } from './dom.ts';
import { formatValue, type Radix } from './format.ts';

type HandlerView = Snapshot['handlers'][number];
type ClauseView = HandlerView['clauses'][number];
type PendingThrow = NonNullable<Snapshot['throwing']>;
type ThrowView = NonNullable<NonNullable<Snapshot['last']>['exception']>;

export interface ExceptionsData {
  /** Handlers in scope, innermost first. */
  readonly handlers: readonly HandlerView[];
  /** What the current instruction would throw, and who would catch it. */
  readonly throwing: PendingThrow | null;
  /** What the last step threw, and the unwinding it did. */
  readonly thrown: ThrowView | null;
  readonly radix: Radix;
  readonly reducedMotion: boolean;
}

/** One line of the "in flight" list: a name, its text, and the source line it points at. */
export interface Fact {
  readonly key: string;
  readonly name: string;
  readonly text: string;
  /** A source line to show (a button that brings it into view), or null. */
  readonly line: number | null;
}

function funcName(l: { readonly funcName: string | null; readonly funcIndex: number }): string {
  return l.funcName ?? `func ${l.funcIndex}`;
}

function where(l: Location): string {
  return `${l.op} in ${funcName(l)}`;
}

function lineOf(l: Location | null): number | null {
  return l?.text?.line ?? null;
}

function payload(values: readonly ValueView[], radix: Radix): string {
  return values.length === 0 ? 'no values' : values.map((v) => formatValue(v, radix)).join(', ');
}

/** A catch clause as the source writes it: `catch $e 1`, `catch_all_ref 0`, or a legacy `catch $e`. */
export function clauseText(c: ClauseView): string {
  return [c.kind, c.tag?.name ?? '', c.label === null ? '' : String(c.label)].filter((s) => s !== '').join(' ');
}

/** The facts the panel lists about the exception in flight (pending, or thrown by the last step). */
export function facts(d: Pick<ExceptionsData, 'handlers' | 'throwing' | 'thrown' | 'radix'>): Fact[] {
  const out: Fact[] = [];
  const p = d.throwing;
  if (p !== null) {
    out.push({ key: 'next', name: 'About to throw', text: `${p.tag.name} (${payload(p.values, d.radix)})`, line: null });
    const h = p.catcher === null ? undefined : d.handlers[p.catcher.handler];
    const c = h === undefined || p.catcher === null ? undefined : h.clauses[p.catcher.clause];
    out.push(
      h === undefined || c === undefined
        ? { key: 'catcher', name: 'Would be caught by', text: 'no handler: it would leave the call uncaught', line: null }
        : { key: 'catcher', name: 'Would be caught by', text: `${clauseText(c)} of the ${h.kind} in ${funcName(h.at)}`, line: lineOf(h.at) },
    );
  }
  const t = d.thrown;
  if (t !== null) {
    out.push({ key: 'tag', name: 'Thrown', text: `${t.tag.name} (${payload(t.values, d.radix)})`, line: null });
    out.push({ key: 'at', name: 'Thrown at', text: t.fromHost ? `a host function called by ${where(t.thrownAt)}` : where(t.thrownAt), line: lineOf(t.thrownAt) });
    out.push({
      key: 'frames',
      name: 'Frames popped',
      text: t.framesPopped.length === 0 ? 'none' : `${t.framesPopped.length}: ${t.framesPopped.map(funcName).join(', ')}`,
      line: null,
    });
    out.push({ key: 'labels', name: 'Labels popped', text: String(t.labelsPopped), line: null });
    out.push({
      key: 'passed',
      name: 'Handlers passed',
      text: t.passed.length === 0 ? 'none' : t.passed.map((h) => `${h.kind} in ${funcName(h)}${h.at.text === null ? '' : ` (line ${h.at.text.line})`}`).join('; '),
      line: null,
    });
    const c = t.caught;
    out.push(
      c === null
        ? { key: 'caught', name: 'Caught', text: 'by no handler: the call ends with the exception', line: null }
        : { key: 'caught', name: 'Caught by', text: `${clauseText(c.clause)} of the ${c.handlerKind} in ${funcName(c)}; goes on at ${c.to.op}`, line: lineOf(c.to) },
    );
  }
  return out;
}

function handlerKey(h: HandlerView): string {
  return `${h.frameId}@${h.at.instrIndex}`;
}

export function renderExceptions(root: HTMLElement, data: ExceptionsData): void {
  const duration = data.reducedMotion ? 0 : 200;
  const sel = select(root);
  const flight = sel.select<HTMLElement>('ul.flight');
  const handlers = sel.select<HTMLElement>('ol.handlers');

  flight
    .selectAll<HTMLLIElement, Fact>(':scope > li')
    .data(facts(data), (f) => f.key)
    .join((enter) => {
      const li = enter.append('li');
      li.append('span').attr('class', 'k');
      // The value, then its line: the button flows after the text, in the value's column.
      const vb = li.append('span').attr('class', 'vb');
      vb.append('span').attr('class', 'v');
      vb.append('button').attr('type', 'button').attr('class', 'goto');
      return li;
    })
    .each(function (f) {
      const [k, vb] = this.children as unknown as [HTMLElement, HTMLElement];
      const [v, b] = vb.children as unknown as [HTMLElement, HTMLButtonElement];
      setAttr(this, 'data-fact', f.key);
      setText(k, f.name);
      setText(v, f.text);
      setClass(b, 'none', f.line === null);
      setText(b, f.line === null ? '' : `line ${f.line}`);
      setAttr(b, 'data-line', f.line === null ? null : String(f.line));
      setAttr(b, 'aria-label', f.line === null ? null : `Show line ${f.line} in the source`);
    })
    .order();

  const catcher = data.throwing?.catcher ?? null;
  const pendingTag = data.throwing?.tag.name ?? '';
  const items = handlers
    .selectAll<HTMLLIElement, HandlerView>(':scope > li')
    .data(data.handlers, handlerKey)
    .join(
      (enter) => {
        const li = enter.append('li').attr('class', 'handler');
        const h = li.append('header');
        h.append('span').attr('class', 'hkind');
        h.append('span').attr('class', 'hwhere');
        li.append('ul').attr('class', 'clauses');
        if (duration > 0) li.style('opacity', '0').transition().duration(duration).style('opacity', '1');
        return li;
      },
      (update) => {
        update.filter('.leaving').classed('leaving', false).interrupt().style('opacity', '1');
        return update;
      },
      (exit) => {
        if (duration === 0) exit.remove();
        else exit.filter(':not(.leaving)').classed('leaving', true).transition().duration(duration).style('opacity', '0').remove();
      },
    );
  items.order();
  items.each(function (h, i) {
    const [header, list] = this.children as unknown as [HTMLElement, HTMLElement];
    const [kind, at] = header.children as unknown as [HTMLElement, HTMLElement];
    const catches = catcher !== null && catcher.handler === i;
    setClass(this, 'catches', catches);
    setAttr(this, 'data-kind', h.kind);
    setText(kind, h.kind === 'delegate' ? `try … delegate ${h.delegateLabel ?? ''}` : h.kind);
    setText(at, `${funcName(h.at)}${h.at.text === null ? '' : ` · line ${h.at.text.line}`}`);
    const rows = h.clauses.map((c, k) => ({ c, k, mark: catches && catcher.clause === k }));
    select(list)
      .selectAll<HTMLLIElement, (typeof rows)[number]>(':scope > li')
      .data(rows, (r) => String(r.k))
      .join((enter) => {
        const li = enter.append('li');
        li.append('code');
        li.append('span').attr('class', 'mark');
        return li;
      })
      .each(function (r) {
        const [code, mark] = this.children as unknown as [HTMLElement, HTMLElement];
        setClass(this, 'catching', r.mark);
        setText(code, clauseText(r.c));
        setText(mark, r.mark ? `← catches the pending ${pendingTag}` : '');
      });
    setClass(list, 'none', h.clauses.length === 0);
  });
}
