// Sieve of Eratosthenes over 0..N, repeated: byte loads and stores in tight loops.
#include "common.h"

#define N (1 << 20)
static u8 composite[N + 1];

static u32 sieve(void) {
  for (u32 i = 0; i <= N; i++) composite[i] = 0;
  u32 count = 0;
  for (u32 i = 2; i <= N; i++) {
    if (composite[i]) continue;
    count++;
    for (u32 j = i + i; j <= N; j += i) composite[j] = 1;
  }
  return count;
}

// Returns a checksum of the prime counts and the last primes found.
EXPORT("run") u32 run(void) {
  u32 sum = 0;
  for (u32 r = 0; r < 4; r++) sum = sum * 31 + sieve();
  for (u32 i = N; i > N - 1000; i--) if (!composite[i]) sum = sum * 31 + i;
  return sum;
}
