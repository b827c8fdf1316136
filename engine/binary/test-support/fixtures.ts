// Test support: shared paths and options for the binary layer's tests.

import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

/** Real toolchain output (Rust/wasm-bindgen and Emscripten), for decoding and round trips. */
export const REAL_BINARIES = [
  'node_modules/brotli-wasm/pkg.node/brotli_wasm_bg.wasm',
  'node_modules/@resvg/resvg-wasm/index_bg.wasm',
  'node_modules/sql.js/dist/sql-wasm.wasm',
];

/** wabt features for WebAssembly 2.0. */
export const WABT_FEATURES = {
  simd: true,
  bulk_memory: true,
  reference_types: true,
  multi_value: true,
  sat_float_to_int: true,
  sign_extension: true,
  mutable_globals: true,
};
