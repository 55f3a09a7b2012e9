#!/bin/sh
# tests/valgrind.sh - the unit tests and the program on every sample under valgrind
# No memory errors and no definite leaks (GLib's suppressions for its caches).
# Run from a built tree:  tests/valgrind.sh
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
command -v valgrind >/dev/null || { echo "valgrind not installed: skipped"; exit 77; }
supp=/usr/share/glib-2.0/valgrind/glib.supp
vg="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"
[ -f "$supp" ] && vg="$vg --suppressions=$supp"
vg="$vg --suppressions=$top/tests/valgrind.supp"
# memcheck must see the allocator the program is linked with
vg="$vg --soname-synonyms=somalloc=*mimalloc*"
export G_SLICE=always-malloc G_DEBUG=gc-friendly CK_FORK=no
pass=0 fail=0
run () {	# label command...
	label=$1; shift
	if "$@" > /dev/null 2> "$top/valgrind.log.tmp"; then
		pass=$((pass + 1)); echo "ok   $label"
	else
		fail=$((fail + 1)); echo "FAIL $label"; tail -40 "$top/valgrind.log.tmp"
	fi
}
cd "$top" || exit 99
for t in tests/check_*; do
	case "$t" in *.c|*.o|*.log|*.trs|*_pg|*check_linear) continue ;; esac	# linear: 1 MB inputs, too slow here
	[ -x "$t" ] || continue
	run "$t" env SAMPLES_DIR="$top/samples" $vg "$t"
done
run "bouncefilter over samples/" $vg src/bouncefilter --all -j 2 samples
run "bouncefilter over samples/broken" $vg src/bouncefilter --all samples/broken
run "bouncefilter from a pipe" sh -c "$vg src/bouncefilter < samples/rfc3464/postfix-userunknown.eml"
run "bouncefilter explain" $vg src/bouncefilter explain 550 5.1.1
rm -f "$top/valgrind.log.tmp"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
