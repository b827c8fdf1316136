// Downloads from the Playground: the text as .wat, and the module as .wasm — encoded by
// the engine (engine/binary/encode.ts) from the checked text, or the opened file's own
// bytes. Nothing is uploaded: the browser saves a Blob.

import { encodeModule, type Module } from '../../../engine/index.ts';

/** The binary for a module that has parsed and validated. */
export function wasmBytes(module: Module): Uint8Array {
  return encodeModule(module);
}

/** Saves `data` as a file called `name` through a temporary link. */
export function saveFile(name: string, data: string | Uint8Array, type: string): void {
  const blob = new Blob([typeof data === 'string' ? data : (data as Uint8Array<ArrayBuffer>)], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // Give the browser time to start the download before the URL is released.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
