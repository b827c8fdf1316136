// The file-drop action (site/lib/file-drop.ts) shared by the Module explorer and the
// Playground, on a stand-in element: only drags that carry files are taken, the first
// dropped file is handed over, the highlight follows the drag, a captured drop is kept
// from the element's children, and destroy removes every listener.
import { describe, expect, it } from 'vitest';
import { fileDrop, type FileDropOptions } from '../../site/lib/file-drop.ts';

/** An element stand-in: an event target with one child. */
function element() {
  const child = new EventTarget();
  const node = Object.assign(new EventTarget(), { contains: (n: unknown) => n === child || n === node });
  return { node: node as unknown as HTMLElement, child };
}

interface Fired {
  readonly event: Event;
  readonly stopped: () => boolean;
  readonly dropEffect: () => string;
}

/** Dispatches a drag event carrying `types` (and `files`) on `target`. */
function drag(target: EventTarget, type: string, types: string[], files: File[] = [], relatedTarget: unknown = null): Fired {
  const dataTransfer = { types, files, dropEffect: 'none' };
  const event = new Event(type, { cancelable: true });
  let stopped = false;
  Object.defineProperties(event, {
    dataTransfer: { value: dataTransfer },
    relatedTarget: { value: relatedTarget },
    stopPropagation: { value: () => (stopped = true) },
  });
  target.dispatchEvent(event);
  return { event, stopped: () => stopped, dropEffect: () => dataTransfer.dropEffect };
}

function setup(capture?: boolean) {
  const { node, child } = element();
  const files: string[] = [];
  const dragging: boolean[] = [];
  const options: FileDropOptions = { onFile: (f) => files.push(f.name), onDragging: (d) => dragging.push(d), capture };
  const action = fileDrop(node, options);
  return { node, child, files, dragging, action };
}

describe('the file-drop action', () => {
  it('takes a drag that carries files: copy, highlighted, the first file opened', () => {
    const { node, files, dragging } = setup();
    const over = drag(node, 'dragover', ['Files']);
    expect(over.event.defaultPrevented).toBe(true);
    expect(over.dropEffect()).toBe('copy');
    expect(dragging).toEqual([true]);
    const drop = drag(node, 'drop', ['Files'], [new File(['a'], 'a.wasm'), new File(['b'], 'b.wasm')]);
    expect(drop.event.defaultPrevented).toBe(true);
    expect(drop.stopped()).toBe(false);
    expect(files).toEqual(['a.wasm']);
    expect(dragging).toEqual([true, false]);
  });

  it('leaves other drags (text, links) to the browser', () => {
    const { node, files, dragging } = setup();
    expect(drag(node, 'dragover', ['text/plain']).event.defaultPrevented).toBe(false);
    const drop = drag(node, 'drop', ['text/plain']);
    expect(drop.event.defaultPrevented).toBe(false);
    expect(files).toEqual([]);
    expect(dragging).toEqual([false]);
  });

  it('stays highlighted while the drag moves onto a child, not when it leaves', () => {
    const { node, child, dragging } = setup();
    drag(node, 'dragover', ['Files']);
    drag(node, 'dragleave', ['Files'], [], child);
    expect(dragging).toEqual([true]);
    drag(node, 'dragleave', ['Files'], [], null);
    expect(dragging).toEqual([true, false]);
  });

  it('keeps a captured drop from the children (an editor would insert the bytes as text)', () => {
    const { node, files } = setup(true);
    const drop = drag(node, 'drop', ['Files'], [new File(['x'], 'x.wat')]);
    expect(drop.stopped()).toBe(true);
    expect(files).toEqual(['x.wat']);
  });

  it('uses the options of the last update, and destroy removes its listeners', () => {
    const { node, files, action } = setup();
    const later: string[] = [];
    action.update?.({ onFile: (f) => later.push(f.name) });
    drag(node, 'drop', ['Files'], [new File(['c'], 'c.wasm')]);
    expect(files).toEqual([]);
    expect(later).toEqual(['c.wasm']);
    action.destroy?.();
    const over = drag(node, 'dragover', ['Files']);
    expect(over.event.defaultPrevented).toBe(false);
    drag(node, 'drop', ['Files'], [new File(['d'], 'd.wasm')]);
    expect(later).toEqual(['c.wasm']);
  });
});
