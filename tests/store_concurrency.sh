#!/bin/sh
# tests/store_concurrency.sh - 50 processes pipe bounces into one list at once
#
# Each process pipes one DSN (a hard bounce for its own address) into
# "bouncefilter --db URI", as an MTA would; then all 50 do it again
# (duplicates).  Every process must exit 0, and every address must end up
# suppressed; on SQLite the list must hold exactly 50 events.  The same runs
# against PostgreSQL when BOUNCE_TEST_PG names a server (addresses carry a
# run id there, since the database outlives the test).  A store that cannot
# be reached makes the pipe exit 75 (the MTA keeps the message).  SKIP (77)
# while the command has no --db option.
BOUNCEFILTER=${BOUNCEFILTER:-src/bouncefilter}
N=50

if ! "$BOUNCEFILTER" --help 2>&1 | grep -q -- '--db'; then
	echo "SKIP: $BOUNCEFILTER has no --db option"
	exit 77
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
run=$$

i=1
while [ $i -le $N ]; do
	cat >"$tmp/msg$i.eml" <<MSG
From: MAILER-DAEMON@mx.example.net
To: sender@example.org
Subject: Undelivered Mail Returned to Sender
Date: Mon, 01 Jan 2024 10:00:00 +0000
Message-ID: <concurrency-$i.$run@mx.example.net>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b$i"

--b$i
Content-Type: text/plain

This is the mail system at host mx.example.net.
Your message could not be delivered to <user$i.$run@example.com>.

--b$i
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; user$i.$run@example.com
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <user$i.$run@example.com>: Recipient address rejected: User unknown

--b$i
Content-Type: text/rfc822-headers

From: sender@example.org
To: user$i.$run@example.com
Subject: hello
Message-ID: <orig-$i.$run@example.org>

--b$i--
MSG
	i=$((i + 1))
done

fail=0

# every process of two waves (the second one all duplicates) against DB
concurrent () {	# label uri
	label=$1 db=$2
	rm -f "$tmp"/rc* "$tmp"/out*
	for wave in 1 2; do
		i=1
		while [ $i -le $N ]; do
			( "$BOUNCEFILTER" --db "$db" <"$tmp/msg$i.eml" >"$tmp/out$wave.$i" 2>&1
			  echo $? >"$tmp/rc$wave.$i" ) &
			i=$((i + 1))
		done
		wait
	done
	for f in "$tmp"/rc*; do
		rc=$(cat "$f")
		if [ "$rc" != 0 ]; then
			n=${f##*/rc}
			echo "FAIL: $label: process $n exited $rc: $(head -c 300 "$tmp/out$n")"
			fail=1
		fi
	done
	missing=0
	i=1
	while [ $i -le $N ]; do
		"$BOUNCEFILTER" suppress check --db "$db" "user$i.$run@example.com" >/dev/null 2>&1
		[ $? = 1 ] || missing=$((missing + 1))
		i=$((i + 1))
	done
	if [ $missing != 0 ]; then
		echo "FAIL: $label: $missing of $N addresses not suppressed"
		fail=1
	else
		echo "PASS: $label: $N concurrent writers twice, every address suppressed"
	fi
}

concurrent sqlite "sqlite:$tmp/list.db"
"$BOUNCEFILTER" suppress stats --db "sqlite:$tmp/list.db" >"$tmp/stats" || { echo "FAIL: stats"; exit 1; }
events=$(awk -F'\t' '$1 == "events" { print $2 }' "$tmp/stats")
suppressed=$(awk -F'\t' '$1 == "suppressed" { print $2 }' "$tmp/stats")
if [ "$events" != $N ] || [ "$suppressed" != $N ]; then
	echo "FAIL: sqlite: want $N events and $N suppressed, got:"
	cat "$tmp/stats"
	fail=1
fi

if [ -n "${BOUNCE_TEST_PG:-}" ]; then
	concurrent postgresql "$BOUNCE_TEST_PG"
	# a server that is not there: the pipe asks the MTA to try again later
	"$BOUNCEFILTER" --db "host=127.0.0.1 port=1 dbname=none connect_timeout=2" <"$tmp/msg1.eml" >"$tmp/down" 2>&1
	rc=$?
	if [ $rc = 75 ]; then echo "PASS: postgresql down: exit 75"
	else echo "FAIL: postgresql down: exit $rc, want 75"; fail=1; fi
else
	echo "postgresql: not tested here (BOUNCE_TEST_PG unset)"
fi
exit $fail
