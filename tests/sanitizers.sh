#!/bin/sh
# tests/sanitizers.sh - the whole test suite built with AddressSanitizer and UBSan
# Clones the committed tree into a scratch directory, builds it with
# -fsanitize=address,undefined (any report aborts), and runs make check there.
#   tests/sanitizers.sh [SCRATCH-DIR]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
scratch=${1:-$(mktemp -d)}
git clone -q "$top" "$scratch/src"
cd "$scratch/src"
./autogen.sh > /dev/null 2>&1
flags="-g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined"
# ASan brings its own allocator: not mimalloc
./configure --quiet --without-mimalloc CFLAGS="$flags" LDFLAGS="-fsanitize=address,undefined"
make -j"$(nproc)" > /dev/null
# GLib and GMime keep global caches for the process's life: leaks are valgrind's job
ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	make -j"$(nproc)" check || { cat test-suite.log | tail -100; exit 1; }
echo "sanitizers: make check passed under ASan/UBSan"
