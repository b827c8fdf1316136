#!/bin/sh
# Builds ch09-digits.wasm from ch09-digits.c with clang 14 and wasm-ld 14 (Debian's
# clang-14 and lld-14 packages), in the two steps the lesson "C and C++" describes.
#   Compile:  --target=wasm32   a WebAssembly object file with 32-bit pointers
#             -O1               light optimisation: small, but still readable in the stepper
#   Link:     --no-entry        a library, not a program: there is no main()
#             --export=…        what JavaScript may use (by default only the memory)
# No C library is linked: the C file needs none. The steps are run separately because
# the clang driver, when it links an optimised build itself, also runs Binaryen's
# wasm-opt if it finds one on PATH, and the bytes would then depend on PATH.
# Usage: sh ch09-build.sh [output.wasm]   (default: ch09-digits.wasm beside this script)
set -eu
here=$(dirname "$0")
out=${1:-"$here/ch09-digits.wasm"}
obj=$(mktemp "${TMPDIR:-/tmp}/ch09-digits.XXXXXX.o")
trap 'rm -f "$obj"' EXIT
clang-14 --version | head -n 1
wasm-ld-14 --version
clang-14 --target=wasm32 -O1 -c -o "$obj" "$here/ch09-digits.c"
wasm-ld-14 --no-entry \
  --export=digit_sum --export=gcd --export=calls \
  -o "$out" "$obj"
echo "wrote $out ($(wc -c < "$out") bytes)"
