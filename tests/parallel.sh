#!/bin/sh
# tests/parallel.sh - --jobs 3 gives what --jobs 1 gives: the records byte for
# byte, the suppression list, the summary and the quarantine, over the samples
# read as a directory of files and as one mbox (several batches, so replies
# from three worker processes must come back in input order).
set -u
top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
bin=${BOUNCEFILTER:-$top/src/bouncefilter}
samples=${SAMPLES_DIR:-$top/samples}
pass=0 fail=0
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
XDG_CONFIG_HOME=$tmp/xdg; export XDG_CONFIG_HOME	# no personal configuration

ok () { pass=$((pass + 1)); echo "ok   $1"; }
bad () { fail=$((fail + 1)); echo "FAIL $1"; }
same () {	# label file-jobs-1 file-jobs-3: equal, and not empty
	if [ ! -s "$2" ]; then bad "$1: nothing written"
	elif cmp -s "$2" "$3"; then ok "$1 ($(wc -l < "$2") lines)"
	else bad "$1"; diff "$2" "$3" | head -10; fi
}

# every sample but the broken ones, as files, four times over (more batches
# than workers), and the same messages as one mbox
mkdir "$tmp/files" "$tmp/mbox"
for round in 1 2 3 4; do
	find "$samples" -name '*.eml' ! -path '*/broken/*' | LC_ALL=C sort | while read -r f; do
		cp "$f" "$tmp/files/$round-$(basename "$(dirname "$f")")-$(basename "$f")"
	done
done
for f in "$tmp"/files/*.eml; do
	printf 'From MAILER-DAEMON Thu Jan  1 00:00:00 2026\n'
	tr -d '\r' < "$f" | sed 's/^From />From /'
	printf '\n'
done > "$tmp/mbox/all.mbox"

for j in 1 3; do
	"$bin" --all --jobs $j "$tmp/files" > "$tmp/files.$j" 2>/dev/null
	"$bin" --all --jobs $j "$tmp/mbox" > "$tmp/mbox.$j" 2>/dev/null
	"$bin" --quiet --jobs $j --db "sqlite:$tmp/list.$j.db" --format=none --summary=json \
		"$tmp/files" > "$tmp/summary.$j" 2>/dev/null
	"$bin" suppress list --db "sqlite:$tmp/list.$j.db" > "$tmp/list.$j" 2>/dev/null
	# without a store, workers count their share and the main process adds them up
	"$bin" --quiet --jobs $j --format=none --summary=json "$tmp/mbox" > "$tmp/tally.$j" 2>/dev/null
	"$bin" --quiet --jobs $j --format=none --quarantine "$tmp/q$j" "$tmp/mbox" 2>/dev/null
	# file names in a Maildir are unique, not stable: compare the contents
	cat "$tmp/q$j"/new/* 2>/dev/null | cksum > "$tmp/quarantine.$j"
	ls "$tmp/q$j"/new 2>/dev/null | wc -l >> "$tmp/quarantine.$j"
done
same "records from a directory of files" "$tmp/files.1" "$tmp/files.3"
same "records from an mbox" "$tmp/mbox.1" "$tmp/mbox.3"
same "summary" "$tmp/summary.1" "$tmp/summary.3"
same "summary counted by the workers" "$tmp/tally.1" "$tmp/tally.3"
same "suppression list" "$tmp/list.1" "$tmp/list.3"
same "quarantine" "$tmp/quarantine.1" "$tmp/quarantine.3"
if [ "$(tail -1 "$tmp/quarantine.1")" -gt 0 ]; then ok "quarantine holds the non-bounces"
else bad "quarantine is empty"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
