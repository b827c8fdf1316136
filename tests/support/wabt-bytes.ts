// wabt's wat2wasm as an oracle for the text format: the bytes npm `wabt` encodes for a
// WebAssembly 2.0 text module, as used by the differential fuzzer and the text layer's tests.
import type wabtInit from 'wabt';

export type Wabt = Awaited<ReturnType<typeof wabtInit>>;

/** The 2.0 features, for wabt's parser (its defaults predate some of them). */
export const WABT_2_0_FEATURES = {
  bulk_memory: true,
  reference_types: true,
  multi_value: true,
  sat_float_to_int: true,
  sign_extension: true,
  mutable_globals: true,
  simd: true,
};

/** wabt's encoding of `src`, after resolving names and validating (either may throw). */
export function wabtBinary(wabt: Wabt, src: string): Uint8Array {
  // As UTF-8 bytes: given a JS string, wabt's binding drops the high bits of non-ASCII text.
  const m = wabt.parseWat('t.wat', new TextEncoder().encode(src), WABT_2_0_FEATURES);
  try {
    m.resolveNames();
    m.validate();
    return new Uint8Array(m.toBinary({}).buffer);
  } finally {
    m.destroy();
  }
}
