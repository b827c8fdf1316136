// ch09-digits.c: two small C functions for the stepper. No C library: nothing
// here needs one. Build with ch09-build.sh (clang 14 and wasm-ld 14).

// A global variable. It lives in linear memory; the linker picks its address.
int calls;

// Adds up `count` bytes starting at `bytes`. `noinline` keeps it a separate
// function, so the caller has to put its buffer in memory and pass a pointer.
__attribute__((noinline)) static int sum_bytes(const unsigned char *bytes,
                                               int count) {
  int sum = 0;
  for (int i = 0; i < count; i++) sum += bytes[i];
  return sum;
}

// The sum of the decimal digits of n, e.g. 1234 -> 1 + 2 + 3 + 4 = 10.
// The digits go into an array on the (shadow) stack.
int digit_sum(unsigned n) {
  unsigned char digits[10];
  int count = 0;
  calls++;
  do {
    digits[count++] = n % 10;
    n /= 10;
  } while (n != 0);
  return sum_bytes(digits, count);
}

// Greatest common divisor, Euclid's way: no memory needed but `calls`.
int gcd(int a, int b) {
  calls++;
  while (b != 0) {
    int t = a % b;
    a = b;
    b = t;
  }
  return a;
}
