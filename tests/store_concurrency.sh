#!/bin/sh
# tests/store_concurrency.sh - 50 processes pipe bounces into one SQLite list at once
#
# Each process pipes one DSN (a hard bounce for its own address) into
# "bouncefilter --db sqlite:FILE", as an MTA would; then all 50 do it again
# (duplicates).  Every process must exit 0, and the list must hold exactly
# 50 events and 50 suppressed addresses.  SKIP (77) while the command has
# no --db option.
BOUNCEFILTER=${BOUNCEFILTER:-src/bouncefilter}
N=50

if ! "$BOUNCEFILTER" --help 2>&1 | grep -q -- '--db'; then
	echo "SKIP: $BOUNCEFILTER has no --db option"
	exit 77
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
db="sqlite:$tmp/list.db"

i=1
while [ $i -le $N ]; do
	cat >"$tmp/msg$i.eml" <<MSG
From: MAILER-DAEMON@mx.example.net
To: sender@example.org
Subject: Undelivered Mail Returned to Sender
Date: Mon, 01 Jan 2024 10:00:00 +0000
Message-ID: <concurrency-$i@mx.example.net>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b$i"

--b$i
Content-Type: text/plain

This is the mail system at host mx.example.net.
Your message could not be delivered to <user$i@example.com>.

--b$i
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; user$i@example.com
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <user$i@example.com>: Recipient address rejected: User unknown

--b$i
Content-Type: text/rfc822-headers

From: sender@example.org
To: user$i@example.com
Subject: hello
Message-ID: <orig-$i@example.org>

--b$i--
MSG
	i=$((i + 1))
done

for wave in 1 2; do
	i=1
	while [ $i -le $N ]; do
		( "$BOUNCEFILTER" --db "$db" <"$tmp/msg$i.eml" >"$tmp/out$wave.$i" 2>&1
		  echo $? >"$tmp/rc$wave.$i" ) &
		i=$((i + 1))
	done
	wait
done

fail=0
for f in "$tmp"/rc*; do
	rc=$(cat "$f")
	if [ "$rc" != 0 ]; then
		n=${f##*/rc}
		echo "FAIL: process $n exited $rc: $(head -c 300 "$tmp/out$n")"
		fail=1
	fi
done
"$BOUNCEFILTER" suppress stats --db "$db" >"$tmp/stats" || { echo "FAIL: stats"; exit 1; }
events=$(awk -F'\t' '$1 == "events" { print $2 }' "$tmp/stats")
suppressed=$(awk -F'\t' '$1 == "suppressed" { print $2 }' "$tmp/stats")
if [ "$events" != $N ] || [ "$suppressed" != $N ]; then
	echo "FAIL: want $N events and $N suppressed, got:"
	cat "$tmp/stats"
	fail=1
fi
[ $fail = 0 ] && echo "PASS: $N concurrent writers, $events events, $suppressed suppressed"
exit $fail
