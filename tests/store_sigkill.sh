#!/bin/sh
# tests/store_sigkill.sh - a batch killed half-way, then run again
#
# Runs "bouncefilter --db sqlite:FILE MBOX" over a few thousand bounces
# (hard bounces and mailbox-full soft bounces over several weeks) once
# cleanly, and once killed with SIGKILL half-way and then run again.
# The killed database must open and pass "PRAGMA integrity_check" when
# the sqlite3 command is there, and after the rerun both lists must be
# the same: same export (CSV, expired entries included) and same counts.
# SKIP (77) while the command has no --db option.
BOUNCEFILTER=${BOUNCEFILTER:-src/bouncefilter}
N=${STORE_SIGKILL_MESSAGES:-4000}

if ! "$BOUNCEFILTER" --help 2>&1 | grep -q -- '--db'; then
	echo "SKIP: $BOUNCEFILTER has no --db option"
	exit 77
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# Message k: every third a soft bounce for one of 100 addresses, else a
# hard bounce for an address of its own; 4 messages an hour from 1 Jan 2024.
awk -v n="$N" 'BEGIN {
	split("Jan Feb Mar Apr", mon, " ");
	for (k = 0; k < n; k++) {
		h = int(k / 4); day = int(h / 24); hour = h % 24;
		m = int(day / 28); d = day % 28 + 1;
		date = sprintf("%02d %s 2024 %02d:%02d:00 +0000", d, mon[m % 4 + 1], hour, (k % 4) * 15);
		if (k % 3 == 0) {
			rcpt = sprintf("full%d@example.net", (k / 3) % 100);
			status = "4.2.2"; diag = "452 4.2.2 Mailbox full";
		} else {
			rcpt = sprintf("user%d@example.com", k);
			status = "5.1.1"; diag = "550 5.1.1 User unknown";
		}
		printf "From MAILER-DAEMON %s\n", "Mon Jan  1 00:00:00 2024";
		printf "From: MAILER-DAEMON@mx.example.net\nTo: sender@example.org\n";
		printf "Subject: Undelivered Mail Returned to Sender\nDate: %s\n", date;
		printf "Message-ID: <sigkill-%d@mx.example.net>\nMIME-Version: 1.0\n", k;
		printf "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b%d\"\n\n", k;
		printf "--b%d\nContent-Type: text/plain\n\nDelivery to %s failed.\n\n", k, rcpt;
		printf "--b%d\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n", k;
		printf "Final-Recipient: rfc822; %s\nAction: failed\nStatus: %s\n", rcpt, status;
		printf "Diagnostic-Code: smtp; %s\n\n--b%d--\n\n", diag, k;
	}
}' >"$tmp/batch.mbox"

start=$(date +%s%N)
"$BOUNCEFILTER" --db "sqlite:$tmp/clean.db" "$tmp/batch.mbox" >/dev/null 2>"$tmp/clean.err"
rc=$?
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
if [ $rc != 0 ]; then
	echo "FAIL: clean run exited $rc"; head -5 "$tmp/clean.err"; exit 1
fi

# Kill half-way through the clean run's time.
"$BOUNCEFILTER" --db "sqlite:$tmp/killed.db" "$tmp/batch.mbox" >/dev/null 2>&1 &
pid=$!
half=$((elapsed_ms / 2))
sleep "$((half / 1000)).$(printf '%03d' $((half % 1000)))"
kill -KILL $pid 2>/dev/null
wait $pid 2>/dev/null

fail=0
if command -v sqlite3 >/dev/null 2>&1; then
	check=$(sqlite3 "$tmp/killed.db" "PRAGMA integrity_check" 2>&1)
	if [ "$check" != ok ]; then
		echo "FAIL: integrity_check after SIGKILL: $check"; fail=1
	fi
fi
"$BOUNCEFILTER" suppress stats --db "sqlite:$tmp/killed.db" >"$tmp/killed.half" 2>&1 ||
	{ echo "FAIL: killed database does not open"; cat "$tmp/killed.half"; exit 1; }
half_events=$(awk -F'\t' '$1 == "events" { print $2 }' "$tmp/killed.half")

"$BOUNCEFILTER" --db "sqlite:$tmp/killed.db" "$tmp/batch.mbox" >/dev/null 2>"$tmp/rerun.err" ||
	{ echo "FAIL: rerun exited $?"; head -5 "$tmp/rerun.err"; exit 1; }

for name in clean killed; do
	"$BOUNCEFILTER" suppress export --all --format csv --db "sqlite:$tmp/$name.db" >"$tmp/$name.csv" &&
	"$BOUNCEFILTER" suppress stats --db "sqlite:$tmp/$name.db" >"$tmp/$name.stats" ||
		{ echo "FAIL: export of $name"; exit 1; }
done
if ! cmp -s "$tmp/clean.csv" "$tmp/killed.csv"; then
	echo "FAIL: lists differ after the rerun"; diff "$tmp/clean.csv" "$tmp/killed.csv" | head -10; fail=1
fi
if ! cmp -s "$tmp/clean.stats" "$tmp/killed.stats"; then
	echo "FAIL: counts differ after the rerun"; diff "$tmp/clean.stats" "$tmp/killed.stats"; fail=1
fi
[ $fail = 0 ] && echo "PASS: killed at ${half} ms with ${half_events:-?} events stored; rerun matches a clean run"
exit $fail
