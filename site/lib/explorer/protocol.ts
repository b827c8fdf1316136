// The messages between the Module explorer page and its worker (site/lib/explorer/worker.ts).
// All plain data: the module goes in once, as the File (or Blob) itself, which the worker
// reads — so even reading a 20 MB file happens off the page's thread — and its bytes stay
// in the worker; the page gets the summary, then (as a separate message, so the outline
// shows first) the verdict on the module's validity, then one function's disassembly at a time.

import type { FunctionDisasm } from './disasm.ts';
import type { ExplorerSummary } from './summary.ts';
import type { ModuleVerdict } from './validation.ts';

export type ToWorker =
  | { readonly kind: 'open'; readonly id: number; readonly fileName: string; readonly file: Blob }
  | { readonly kind: 'function'; readonly id: number; readonly index: number };

export type FromWorker =
  | { readonly kind: 'progress'; readonly id: number; readonly done: number; readonly total: number }
  | { readonly kind: 'outline'; readonly id: number; readonly summary: ExplorerSummary }
  | { readonly kind: 'verdict'; readonly id: number; readonly verdict: ModuleVerdict }
  | { readonly kind: 'function'; readonly id: number; readonly disasm: FunctionDisasm }
  | { readonly kind: 'error'; readonly id: number; readonly message: string };
