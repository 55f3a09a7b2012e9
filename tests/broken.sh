#!/bin/sh
# tests/broken.sh - hostile and malformed input: never crash, never hang, exit 0
# The small cases live in samples/broken/ beside their expected output; the
# large ones (1,000-deep nesting, a 10 MB header line, 50,000 recipient
# groups, a 100 MB message) are made here. Each run is bounded in time
# (timeout) and in memory (ulimit -v).
set -u
top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
bin=${BOUNCEFILTER:-$top/src/bouncefilter}
samples=${SAMPLES_DIR:-$top/samples}
pass=0 fail=0
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
limit_s=60
limit_kb=1048576	# 1 GiB of address space, far above what a message needs
# AddressSanitizer reserves terabytes of address space for its shadow memory:
# under it (tests/sanitizers.sh) the time bound stays, the memory bound goes.
[ -n "${ASAN_OPTIONS:-}" ] && limit_kb=unlimited

run () {	# output-file args...: bounded run, prints the exit code
	out=$1; shift
	( ulimit -v $limit_kb; exec timeout $limit_s "$bin" "$@" ) > "$out" 2> "$tmp/err"
	echo $?
}
ok () { pass=$((pass + 1)); echo "ok   $1"; }
not_ok () { fail=$((fail + 1)); echo "FAIL $1"; }
check () {	# label condition...
	label=$1; shift
	if "$@"; then ok "$label"; else not_ok "$label"; fi
}

cd "$samples" || exit 99
for input in broken/*; do
	case "$input" in *.jsonl) continue ;; esac
	expected=${input%.*}.jsonl
	rc=$(run "$tmp/out" --all --terse "$input")
	check "$input: exit 0" test "$rc" = 0
	[ "$rc" = 0 ] || { echo "     exit $rc:"; head -c 2000 "$tmp/err"; }
	if cmp -s "$expected" "$tmp/out"; then ok "$input: expected output"
	else not_ok "$input: expected output"; diff -u "$expected" "$tmp/out" | head -10; fi
done

# 1,000-deep multipart nesting around a delivery-status part
python3 - "$tmp/deep.eml" <<'PY'
import sys
depth = 1000
out = ["From: MAILER-DAEMON@example.org\nSubject: deep\nMIME-Version: 1.0\n"]
for i in range(depth):
    out.append('Content-Type: multipart/mixed; boundary="d%d"\n\n--d%d\n' % (i, i))
out.append("Content-Type: message/delivery-status\n\nFinal-Recipient: rfc822; deep@example.net\nAction: failed\nStatus: 5.1.1\n\n")
for i in reversed(range(depth)):
    out.append("--d%d--\n" % i)
open(sys.argv[1], "w").write("".join(out))
PY
rc=$(run "$tmp/out" "$tmp/deep.eml")
check "1,000-deep nesting: exit 0" test "$rc" = 0
check "1,000-deep nesting: nothing past the depth limit is taken" test ! -s "$tmp/out"

# a 10 MB header line
{ printf 'From: MAILER-DAEMON@example.org\nSubject: '; head -c 10485760 /dev/zero | tr '\0' 'x'
  printf '\nContent-Type: multipart/report; report-type=delivery-status; boundary="h"\n\n--h\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822; longheader@example.net\nAction: failed\nStatus: 5.2.2\n\n--h--\n'; } > "$tmp/header.eml"
rc=$(run "$tmp/out" "$tmp/header.eml")
check "10 MB header line: exit 0" test "$rc" = 0
check "10 MB header line: the recipient is still found" grep -q '"recipient":"longheader@example.net"' "$tmp/out"

# a DSN with 50,000 recipient groups: the first 10,000 kept, the cut marked
python3 - "$tmp/many.eml" <<'PY'
import sys
parts = ["From: MAILER-DAEMON@example.org\nSubject: many\nMIME-Version: 1.0\n"
         'Content-Type: multipart/report; report-type=delivery-status; boundary="m"\n\n--m\n'
         "Content-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n"]
for i in range(50000):
    parts.append("Final-Recipient: rfc822; u%d@example.net\nAction: failed\nStatus: 5.1.1\n\n" % i)
parts.append("--m--\n")
open(sys.argv[1], "w").write("".join(parts))
PY
rc=$(run "$tmp/out" --terse "$tmp/many.eml")
check "50,000 recipient groups: exit 0" test "$rc" = 0
check "50,000 recipient groups: 10,000 reported" test "$(wc -l < "$tmp/out")" -eq 10000
check "50,000 recipient groups: marked too-many-recipients" grep -q 'too-many-recipients' "$tmp/out"

# a 100 MB message: read up to the limit, the rest skipped, marked
{ printf 'From: MAILER-DAEMON@example.org\nSubject: huge\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="g"\n\n--g\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822; huge@example.net\nAction: failed\nStatus: 5.3.4\n\n--g\nContent-Type: text/plain\n\n'
  head -c 104857600 /dev/zero | tr '\0' 'y' | fold -w 76; printf '\n--g--\n'; } > "$tmp/huge.eml"
rc=$(run "$tmp/out" --terse "$tmp/huge.eml")
check "100 MB message: exit 0" test "$rc" = 0
check "100 MB message: recipient found" grep -q '"recipient":"huge@example.net"' "$tmp/out"
check "100 MB message: marked message-too-large" grep -q 'message-too-large' "$tmp/out"
rc=$(cat "$tmp/huge.eml" | ( ulimit -v $limit_kb; exec timeout $limit_s "$bin" --terse ) > "$tmp/out" 2>/dev/null; echo $?)
check "100 MB message through a pipe: exit 0" test "$rc" = 0

# --filter through a pipe on a message past the size limit: analysed from its
# first part, copied through whole (stdin spooled to a file, not held in memory)
printf '[limits]\nmax_message_bytes = 1048576\n' > "$tmp/small.conf"
head -c 3145728 "$tmp/huge.eml" > "$tmp/big.eml"
rc=$( ( ulimit -v $limit_kb; exec timeout $limit_s "$bin" --config "$tmp/small.conf" --filter ) \
	< "$tmp/big.eml" > "$tmp/filtered" 2>/dev/null; echo $?)
check "3 MB message, 1 MB limit, --filter: exit 0" test "$rc" = 0
check "3 MB message, --filter: the recipient found in the first part" \
	grep -q '^X-Bounce-Recipient: huge@example.net' "$tmp/filtered"
added=$(sed -n '/^X-Bounce-/!q;p' "$tmp/filtered" | wc -l)	# the headers put on top
tail -n +$((added + 1)) "$tmp/filtered" > "$tmp/unfiltered"
check "3 MB message, --filter: every byte copied through" cmp -s "$tmp/unfiltered" "$tmp/big.eml"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
