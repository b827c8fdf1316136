// Shared by the benchmark kernels: fixed-width types and a deterministic PRNG, no libc.
#pragma once
typedef unsigned int u32;
typedef int i32;
typedef unsigned long long u64;
typedef unsigned char u8;

#define EXPORT(name) __attribute__((export_name(name)))

// xorshift32: the same input bytes on every engine.
static inline u32 xorshift32(u32 *s) {
  u32 x = *s;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *s = x;
}
