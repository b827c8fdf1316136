// A SIMD kernel (wasm simd128 intrinsics): an i32x4 multiply-accumulate and an f32x4
// saxpy over 64 KiB arrays, repeated; checksum from the accumulated lanes.
#include "common.h"
#include <wasm_simd128.h>

#define LEN (16 * 1024)
static i32 xs[LEN], ys[LEN];
static float fx[LEN], fy[LEN];

EXPORT("run") u32 run(void) {
  u32 seed = 0xabcdef;
  for (u32 i = 0; i < LEN; i++) {
    xs[i] = (i32)(xorshift32(&seed) & 0xffff) - 0x8000;
    ys[i] = (i32)(xorshift32(&seed) & 0xffff) - 0x8000;
    fx[i] = (float)(xorshift32(&seed) & 0xfff) / 256.0f;
    fy[i] = 1.0f;
  }
  v128_t acc = wasm_i32x4_splat(0);
  v128_t a = wasm_f32x4_splat(0.5f);
  for (u32 r = 0; r < 40; r++) {
    for (u32 i = 0; i < LEN; i += 4) {
      v128_t x = wasm_v128_load(&xs[i]);
      v128_t y = wasm_v128_load(&ys[i]);
      acc = wasm_i32x4_add(acc, wasm_i32x4_mul(x, y));
      acc = wasm_v128_xor(acc, wasm_i32x4_shl(acc, 1));
      v128_t fv = wasm_v128_load(&fy[i]);
      fv = wasm_f32x4_add(fv, wasm_f32x4_mul(a, wasm_v128_load(&fx[i])));
      fv = wasm_f32x4_min(fv, wasm_f32x4_splat(4096.0f));
      wasm_v128_store(&fy[i], fv);
    }
  }
  u32 h = (u32)wasm_i32x4_extract_lane(acc, 0) ^ (u32)wasm_i32x4_extract_lane(acc, 1) * 3 ^
          (u32)wasm_i32x4_extract_lane(acc, 2) * 5 ^ (u32)wasm_i32x4_extract_lane(acc, 3) * 7;
  for (u32 i = 0; i < LEN; i++) {
    union { float f; u32 u; } v = { fy[i] };
    h = h * 31 + v.u;
  }
  return h;
}
