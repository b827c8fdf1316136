// The page's side of the explorer's worker: one worker per page, opened lazily; `open`
// hands it the file (the worker reads it) and resolves with the summary (reporting progress),
// then reports the verdict on its validity, which comes later; `disassemble` asks for one
// function. Answers to superseded requests are dropped.

import type { FunctionDisasm } from './disasm.ts';
import type { FromWorker, ToWorker } from './protocol.ts';
import type { ExplorerSummary } from './summary.ts';
import type { ModuleVerdict } from './validation.ts';

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  progress?: (done: number, total: number) => void;
}

export class ExplorerClient {
  worker: Worker | undefined;
  nextId = 1;
  readonly pending = new Map<number, Pending>();
  /** The open request still waiting for its verdict (after its outline resolved), and who to tell. */
  verdictFor: { id: number; report: (verdict: ModuleVerdict) => void } | undefined;

  private start(): Worker {
    if (this.worker !== undefined) return this.worker;
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'module-explorer' });
    worker.onmessage = (e: MessageEvent<FromWorker>) => {
      const m = e.data;
      if (m.kind === 'verdict') {
        const v = this.verdictFor;
        if (v?.id !== m.id) return;
        this.verdictFor = undefined;
        v.report(m.verdict);
        return;
      }
      const p = this.pending.get(m.id);
      if (p === undefined) return;
      if (m.kind === 'progress') {
        p.progress?.(m.done, m.total);
        return;
      }
      this.pending.delete(m.id);
      if (m.kind === 'error') p.reject(new Error(m.message));
      else p.resolve(m.kind === 'outline' ? m.summary : m.disasm);
    };
    worker.onerror = (e) => {
      e.preventDefault();
      const error = new Error(`the explorer's worker failed: ${e.message || 'it could not start'}`);
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
      this.verdictFor?.report({ verdict: 'failed', message: error.message });
      this.verdictFor = undefined;
      this.worker?.terminate();
      this.worker = undefined;
    };
    this.worker = worker;
    return worker;
  }

  private request<T>(message: (id: number) => ToWorker, transfer: Transferable[], progress?: Pending['progress']): Promise<T> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, ...(progress ? { progress } : {}) });
      worker.postMessage(message(id), transfer);
    });
  }

  /**
   * Reads a module and decodes its outline, both in the worker; once the outline is out,
   * the worker validates the module and `verdict` is called with the result (unless
   * another module was opened first, or decoding the outline failed).
   */
  open(
    file: Blob,
    fileName: string,
    progress?: (done: number, total: number) => void,
    verdict?: (verdict: ModuleVerdict) => void,
  ): Promise<ExplorerSummary> {
    // Whatever was asked of the previous module no longer matters.
    for (const [id, p] of this.pending) {
      p.reject(new Error('superseded'));
      this.pending.delete(id);
    }
    this.verdictFor = undefined;
    return this.request(
      (id) => {
        if (verdict !== undefined) this.verdictFor = { id, report: verdict };
        return { kind: 'open', id, fileName, file };
      },
      [],
      progress,
    );
  }

  disassemble(index: number): Promise<FunctionDisasm> {
    return this.request((id) => ({ kind: 'function', id, index }), []);
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = undefined;
    this.pending.clear();
    this.verdictFor = undefined;
  }
}
