#!/bin/sh
# tests/pipe_contract.sh - the exit-code and output contract of pipe mode
# (one message on stdin, as procmail, Sieve, Postfix pipe(8) and Exim run it):
# 0 when handled, bounce or not; 75 when it cannot be handled now; never any
# other code from a pipe; stdout never begins with a status code.
set -u
top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
bin=${BOUNCEFILTER:-$top/src/bouncefilter}
samples=${SAMPLES_DIR:-$top/samples}
pass=0 fail=0
tmp=$(mktemp -d) || exit 99
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT INT TERM
bounce=$samples/rfc3464/postfix-userunknown.eml

expect () {	# label want-exit got-exit
	if [ "$2" = "$3" ]; then
		pass=$((pass + 1)); echo "ok   $1"
	else
		fail=$((fail + 1)); echo "FAIL $1: exit $3, want $2"
	fi
}
expect_true () {	# label command...
	label=$1; shift
	if "$@"; then pass=$((pass + 1)); echo "ok   $label"
	else fail=$((fail + 1)); echo "FAIL $label"; fi
}

"$bin" < "$bounce" > "$tmp/out"; expect "bounce on stdin" 0 $?
expect_true "one JSON line for the bounce" test "$(wc -l < "$tmp/out")" -eq 1
expect_true "output does not begin with a status code" sh -c "! grep -Eq '^[245]\.[0-9]' '$tmp/out'"

head -c 4096 /dev/urandom > "$tmp/garbage"
"$bin" < "$tmp/garbage" > "$tmp/out"; expect "binary garbage" 0 $?
expect_true "nothing printed for garbage" test ! -s "$tmp/out"

"$bin" < /dev/null > "$tmp/out"; expect "empty input" 0 $?
"$bin" < "$samples/not/plain-reply.eml" > "$tmp/out"; expect "not a bounce" 0 $?
expect_true "nothing printed for a non-bounce" test ! -s "$tmp/out"

if [ -w /dev/full ]; then
	"$bin" < "$bounce" > /dev/full 2>/dev/null; expect "write error (disk full)" 75 $?
fi
"$bin" --no-such-option < "$bounce" > /dev/null 2>&1; expect "unknown option" 64 $?
"$bin" "$tmp/does-not-exist" > /dev/null 2>&1; expect "unreadable input file" 75 $?
"$bin" "$bounce" "$tmp/does-not-exist" "$bounce" > "$tmp/out" 2>/dev/null; rc=$?
expect "batch goes on after a bad input, worst code" 75 $rc
expect_true "batch printed both good inputs" test "$(wc -l < "$tmp/out")" -eq 2

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
