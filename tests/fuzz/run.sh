#!/bin/sh
# tests/fuzz/run.sh - build the libFuzzer harnesses with clang and run each one
#   tests/fuzz/run.sh [SECONDS]   (default 60; CI runs them briefly on every change)
#   FUZZ_HARNESSES="tests/fuzz/fuzz_dsn.c ..." picks some of them
# The harnesses link the library sources compiled with
# -fsanitize=fuzzer-no-link,address,undefined; seed corpora come from samples/.
# A finding leaves its crash-* file in fuzz-build/<harness>/ and exits 1.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-60}
build=${FUZZ_BUILD:-$top/fuzz-build}
cc=${FUZZ_CC:-clang}
command -v "$cc" >/dev/null || { echo "fuzz: $cc not found (apt-get install clang)"; exit 77; }
[ -f "$top/config.h" ] || { echo "fuzz: run ./configure first"; exit 1; }
mkdir -p "$build/obj"
# objects depend on every header: when any changed, rebuild them all
headers=$(cd "$top" && find src -name '*.h' | sort | xargs cat config.h | cksum)
if [ "$(cat "$build/obj/headers.sum" 2>/dev/null)" != "$headers" ]; then
	rm -f "$build"/obj/*.o
	echo "$headers" > "$build/obj/headers.sum"
fi
flags="-g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined"
deps=$(pkg-config --cflags gmime-3.0 json-glib-1.0 sqlite3 libpq)
libs=$(pkg-config --libs gmime-3.0 gmodule-2.0 json-glib-1.0 sqlite3)
objs=
for src in $(cd "$top" && { find src -name '*.c' ! -path 'src/cli/*'; echo src/cli/settings.c; } | sort); do
	obj=$build/obj/$(echo "$src" | tr / _).o
	if [ ! -f "$obj" ] || [ "$top/$src" -nt "$obj" ]; then
		$cc $flags -fsanitize=fuzzer-no-link -I"$top" -I"$top/src" $deps -c "$top/$src" -o "$obj"
	fi
	objs="$objs $obj"
done
status=0
for harness in ${FUZZ_HARNESSES:-"$top"/tests/fuzz/fuzz_*.c}; do
	name=$(basename "$harness" .c)
	mkdir -p "$build/$name/corpus"
	# shellcheck disable=SC2086
	$cc $flags -fsanitize=fuzzer -I"$top" -I"$top/src" $deps "$harness" $objs $libs -o "$build/$name/$name"
	find "$top/samples" -type f ! -name '*.jsonl' -size -64k -exec cp {} "$build/$name/corpus/" \; 2>/dev/null || true
	cp "$top/contrib/bouncefilter.conf" "$build/$name/corpus/seed-config.conf"	# for fuzz_config
	echo "fuzz: $name for ${seconds}s"
	if ( cd "$build/$name" && ASAN_OPTIONS=detect_leaks=0 ./"$name" -max_total_time="$seconds" \
		-max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 corpus ) \
		> "$build/$name/log" 2>&1; then
		grep -E "DONE|^stat::(number_of_executed_units|average_exec_per_sec)" "$build/$name/log" | tail -3
	else
		status=1
		echo "fuzz: $name FAILED, see $build/$name/log"; tail -30 "$build/$name/log"
	fi
done
exit $status
