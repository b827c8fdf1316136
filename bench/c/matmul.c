// Dense matrix multiply in f64 (naive i-k-j order): f64 loads, multiply-adds, stores.
#include "common.h"

#define M 120
static double a[M * M], b[M * M], c[M * M];

EXPORT("run") u32 run(void) {
  u32 seed = 0x1234567;
  for (u32 i = 0; i < M * M; i++) {
    a[i] = (double)(xorshift32(&seed) & 0xffff) / 4096.0 - 8.0;
    b[i] = (double)(xorshift32(&seed) & 0xffff) / 4096.0 - 8.0;
  }
  for (u32 rep = 0; rep < 4; rep++) {
    for (u32 i = 0; i < M * M; i++) c[i] = 0;
    for (u32 i = 0; i < M; i++)
      for (u32 k = 0; k < M; k++) {
        double x = a[i * M + k];
        for (u32 j = 0; j < M; j++) c[i * M + j] += x * b[k * M + j];
      }
    // Feed the result back so the repetitions are not identical work.
    for (u32 i = 0; i < M * M; i++) a[i] = c[i] / 1024.0;
  }
  // Checksum: the bits of every result, folded.
  u32 h = 0;
  for (u32 i = 0; i < M * M; i++) {
    union { double d; u64 u; } v = { c[i] };
    h = (h * 31) ^ (u32)v.u ^ (u32)(v.u >> 32);
  }
  return h;
}
