#!/bin/sh
# Builds the benchmark kernels bench/c/*.c and *.wat into bench/wasm/*.wasm (committed, so
# running the benchmark needs no C compiler). Plain C without libc (-fno-builtin keeps
# clang from turning loops into memset calls); each module exports `run`, which takes no
# arguments and returns a checksum. The .wat files are assembled by bin/wasmstep.
# Needs clang and wasm-ld (Debian: apt-get install clang-14 lld-14); CLANG= and WASM_LD=
# override the commands.
set -eu
cd "$(dirname "$0")"
CLANG=${CLANG:-clang-14}
WASM_LD=${WASM_LD:-wasm-ld-14}
out=../wasm
mkdir -p "$out"
for src in sieve matmul crc32 sha256 simd; do
  extra=""
  [ "$src" = simd ] && extra="-msimd128"
  "$CLANG" --target=wasm32 -nostdlib -O2 -fno-builtin $extra -fuse-ld="$(command -v "$WASM_LD")" \
    -Wl,--no-entry -Wl,--export=run -Wl,--strip-all -o "$out/$src.wasm" "$src.c"
  echo "$out/$src.wasm: $(wc -c < "$out/$src.wasm") bytes"
done
for src in fib; do
  ../../bin/wasmstep wat2wasm "$src.wat" -o "$out/$src.wasm"
  echo "$out/$src.wasm: $(wc -c < "$out/$src.wasm") bytes"
done
