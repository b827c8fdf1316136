// The Module explorer's worker: decodes a module's outline off the page's thread (a 20 MB
// module takes a second or more), reporting progress, then validates it (a separate
// message, after the outline), and disassembles one function at a time on request. It
// keeps the bytes and the outline of the module last opened.

import { decodeOutline, type ModuleOutline } from '../../../engine/index.ts';
import { disassembleFunction } from './disasm.ts';
import type { FromWorker, ToWorker } from './protocol.ts';
import { summarize } from './summary.ts';
import { judgeModule, type ModuleVerdict } from './validation.ts';

/** The worker's global scope, as much of it as is used (the DOM typings describe a window). */
const scope = self as unknown as {
  postMessage(message: FromWorker, transfer: Transferable[]): void;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
};

let opened: { bytes: Uint8Array; outline: ModuleOutline } | undefined;

const post = (message: FromWorker, transfer: Transferable[] = []): void => scope.postMessage(message, transfer);

async function open(id: number, fileName: string, file: Blob): Promise<void> {
  opened = undefined;
  post({ kind: 'progress', id, done: 0, total: file.size });
  const bytes = new Uint8Array(await file.arrayBuffer());
  let lastPercent = -1;
  // A malformed function body does not keep the outline from the page: the verdict below
  // says what is wrong and where.
  const outline = decodeOutline(bytes, {
    tolerateBodies: true,
    onProgress: (done, total) => {
      // At most one message per percent.
      const percent = Math.floor((100 * done) / Math.max(1, total));
      if (percent === lastPercent) return;
      lastPercent = percent;
      post({ kind: 'progress', id, done, total });
    },
  });
  opened = { bytes, outline };
  const summary = summarize(outline, fileName);
  const f = summary.functions;
  post({ kind: 'outline', id, summary }, [f.sizes.buffer, f.offsets.buffer, f.types.buffer]);
  // Its own turn of the queue: the outline message is on its way before validation starts.
  queue = queue.then(() => validate(id));
}

function validate(id: number): void {
  // A newer module was opened meanwhile: this verdict would be about the wrong one.
  if (opened === undefined || id !== latestOpen) return;
  let verdict: ModuleVerdict;
  try {
    verdict = judgeModule(opened.bytes, opened.outline);
  } catch (error) {
    // Not a verdict on the module (judgeModule turns those into one): a failure of the validator.
    verdict = { verdict: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
  post({ kind: 'verdict', id, verdict });
}

function disassemble(id: number, index: number): void {
  if (opened === undefined) throw new Error('no module is open');
  const disasm = disassembleFunction(opened.bytes, opened.outline, index);
  post({ kind: 'function', id, disasm }, [disasm.bytes.buffer]);
}

/** The id of the last 'open' request received. */
let latestOpen = 0;

async function handle(m: ToWorker): Promise<void> {
  try {
    if (m.kind === 'open') await open(m.id, m.fileName, m.file);
    else disassemble(m.id, m.index);
  } catch (error) {
    post({ kind: 'error', id: m.id, message: error instanceof Error ? error.message : String(error) });
  }
}

// One request at a time, in order: reading a file is asynchronous.
let queue: Promise<void> = Promise.resolve();
scope.onmessage = (e) => {
  if (e.data.kind === 'open') latestOpen = e.data.id;
  queue = queue.then(() => handle(e.data));
};
