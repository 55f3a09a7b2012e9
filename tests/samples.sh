#!/bin/sh
# tests/samples.sh - every samples/<group>/<name>.eml (or .mbox, or a Maildir
# directory <name>.maildir) against the expected output beside it (<name>.jsonl),
# read once from the file and once through a pipe ("cat | bouncefilter"),
# where "file" is "-".
#   tests/samples.sh            compare (exit 1 on any difference)
#   tests/samples.sh --regen    rewrite the expected files (review the diff!)
# Output: one "ok"/"FAIL" line per sample, then "N passed, N failed".
set -u
top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
bin=${BOUNCEFILTER:-$top/src/bouncefilter}
samples=${SAMPLES_DIR:-$top/samples}
regen=no
[ "${1:-}" = --regen ] && regen=yes
pass=0 fail=0
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM

check_same () {	# label expected actual
	if cmp -s "$2" "$3"; then
		pass=$((pass + 1)); echo "ok   $1"
	else
		fail=$((fail + 1)); echo "FAIL $1"; diff -u "$2" "$3" | head -20
	fi
}

cd "$samples" || exit 99
for input in $(find . -path ./broken -prune -o \( -name '*.eml' -o -name '*.mbox' -o -name '*.maildir' \) -print | sed 's|^\./||' | LC_ALL=C sort); do
	case "$input" in *.maildir/*) continue ;; esac
	expected=${input%.*}.jsonl
	"$bin" --all --terse "$input" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	if [ "$regen" = yes ]; then
		cp "$tmp/out" "$expected"; echo "wrote $expected"; continue
	fi
	if [ $rc -ne 0 ]; then
		fail=$((fail + 1)); echo "FAIL $input: exit $rc"; cat "$tmp/err"; continue
	fi
	if [ ! -f "$expected" ]; then
		fail=$((fail + 1)); echo "FAIL $input: no $expected"; continue
	fi
	check_same "$input" "$expected" "$tmp/out"
	[ -d "$input" ] && continue
	# the same through a pipe, where the file is named "-"
	cat "$input" | "$bin" --all --terse > "$tmp/pipe"; rc=$?
	sed "s|\"file\":\"$(printf '%s' "$input" | sed 's/[.[\*^$|]/\\&/g')\"|\"file\":\"-\"|" "$expected" > "$tmp/want"
	if [ $rc -ne 0 ]; then
		fail=$((fail + 1)); echo "FAIL $input (pipe): exit $rc"; continue
	fi
	check_same "$input (pipe)" "$tmp/want" "$tmp/pipe"
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ] && [ $pass -gt 0 ]
