// A Svelte action that opens a file dropped on an element (the Module explorer's page, the
// Playground's editor): `use:fileDrop={{ onFile, onDragging }}`. Only drags that carry
// files are taken, so dragging text or a link over the element behaves as usual. What a
// file may be (type, size) and the message when it is refused are the caller's, in onFile.

import type { ActionReturn } from 'svelte/action';

export interface FileDropOptions {
  /** Called with the first file of a drop. */
  onFile(file: File): void;
  /** Called with true while files are dragged over the element, false when they leave or drop (to highlight it). */
  onDragging?(dragging: boolean): void;
  /**
   * Take the drag in the capture phase and keep the drop from the element's children: an
   * editor inside (CodeMirror) would otherwise insert the file's bytes as text. Read once,
   * when the action starts.
   */
  capture?: boolean;
}

/** Whether a drag carries files (not text, a link or an element of the page). */
function hasFiles(e: DragEvent): boolean {
  return e.dataTransfer?.types.includes('Files') ?? false;
}

export function fileDrop(node: HTMLElement, options: FileDropOptions): ActionReturn<FileDropOptions> {
  let opts = options;
  const capture = options.capture === true;

  const onDragOver = (e: DragEvent): void => {
    if (!hasFiles(e)) return;
    // Without preventDefault the element is no drop target and the browser opens the file.
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    opts.onDragging?.(true);
  };
  const onDragLeave = (e: DragEvent): void => {
    // Leaving for one of its own children is not leaving.
    if (!node.contains(e.relatedTarget as Node | null)) opts.onDragging?.(false);
  };
  const onDrop = (e: DragEvent): void => {
    opts.onDragging?.(false);
    if (!hasFiles(e)) return;
    e.preventDefault();
    if (capture) e.stopPropagation();
    const file = e.dataTransfer?.files[0];
    if (file !== undefined) opts.onFile(file);
  };

  node.addEventListener('dragover', onDragOver, capture);
  node.addEventListener('dragleave', onDragLeave);
  node.addEventListener('drop', onDrop, capture);
  return {
    update(next) {
      opts = next;
    },
    destroy() {
      node.removeEventListener('dragover', onDragOver, capture);
      node.removeEventListener('dragleave', onDragLeave);
      node.removeEventListener('drop', onDrop, capture);
    },
  };
}
