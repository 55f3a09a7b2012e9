#!/bin/sh
# tests/postfix_e2e.sh - a real Postfix writes a real DSN and pipes it into
# bouncefilter.
#
# The test builds a private Postfix instance under a temporary directory (its
# own config_directory, queue_directory and data_directory), listening only on
# 127.0.0.1 at a free high port.  It sends a message with smtp-source from a
# signed VERP return path in the domain bounces.test to a user that does not
# exist in the instance's own domain.  local_recipient_maps is empty, so
# smtpd accepts the recipient and local(8) bounces it: Postfix's bounce daemon
# writes its DSN to the return path, and transport_maps sends bounces.test to
# a pipe(8) transport that runs bouncefilter (as nobody) with --recipient
# ${recipient}, a VERP key, --require-signature and an SQLite store.  The test
# waits (at most 60 s) for the pipe's exit status, then checks that it was 0
# and that the unknown user is on the suppression list.  Postfix is stopped
# on every way out.  Exit 77 (skip) without Postfix or without root.
set -u
top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
bin=${BOUNCEFILTER:-$top/src/bouncefilter}
postfix=/usr/sbin/postfix
source_cmd=/usr/sbin/smtp-source

if [ ! -x "$postfix" ] || [ ! -x "$source_cmd" ]; then
	echo "SKIP: no Postfix (apt-get install postfix)"; exit 77
fi
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: Postfix needs root to start"; exit 77
fi
if ! id postfix > /dev/null 2>&1 || ! id nobody > /dev/null 2>&1; then
	echo "SKIP: no postfix or nobody user"; exit 77
fi

tmp=$(mktemp -d /tmp/bouncefilter-e2e.XXXXXX) || exit 99
chmod 755 "$tmp"
cfg=$tmp/etc
started=no
cleanup () {
	if [ "$started" = yes ]; then
		"$postfix" -c "$cfg" stop > /dev/null 2>&1 || true
		# the master may take a moment to go; never leave it running
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			"$postfix" -c "$cfg" status > /dev/null 2>&1 || break
			sleep 1
		done
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
[ -n "${E2E_KEEP:-}" ] && trap - EXIT
trap 'exit 1' INT TERM

# a free high port on 127.0.0.1
port=
for p in $(seq 20025 20125); do
	if ! (ss -ltn 2>/dev/null || netstat -ltn 2>/dev/null) | grep -q "[:.]$p "; then
		port=$p; break
	fi
done
[ -n "$port" ] || { echo "SKIP: no free port"; exit 77; }

mkdir -p "$cfg" "$tmp/queue" "$tmp/data" "$tmp/run" "$tmp/bin"
chown postfix "$tmp/data"
# the pipe runs as nobody: give it its own copy of the program and a store
cp "$bin" "$tmp/bin/bouncefilter"
chmod 755 "$tmp/bin" "$tmp/bin/bouncefilter"
chown nobody "$tmp/run"
printf 'postfix-e2e-test-secret-key-0123\n' > "$tmp/run/verp.key"
chown nobody "$tmp/run/verp.key"; chmod 600 "$tmp/run/verp.key"

# what pipe(8) runs: bouncefilter, with its exit status and stderr kept
# pipe(8) clears the environment: keep the sanitizer settings of a sanitizer run
cat > "$tmp/bin/deliver.sh" <<EOF
#!/bin/sh
export ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}"
"$tmp/bin/bouncefilter" --no-config --quiet --db "sqlite:$tmp/run/list.db" \\
	--verp-key "$tmp/run/verp.key" --require-signature --recipient "\$1" \\
	> "$tmp/run/out.\$\$" 2> "$tmp/run/err.\$\$"
rc=\$?
echo \$rc > "$tmp/run/status.\$\$"
exit \$rc
EOF
chmod 755 "$tmp/bin/deliver.sh"

printf 'bounces.test\tbouncefilter:\n' > "$cfg/transport"
cat > "$cfg/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $tmp/queue
data_directory = $tmp/data
daemon_directory = $(postconf -dh daemon_directory)
shlib_directory = $(postconf -dh shlib_directory)
command_directory = $(postconf -dh command_directory)
meta_directory = $(postconf -dh meta_directory)
mail_owner = postfix
default_privs = nobody
setgid_group = postdrop
myhostname = mx.e2e.test
mydomain = e2e.test
myorigin = \$myhostname
mydestination = \$myhostname
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
local_recipient_maps =
alias_maps =
alias_database =
transport_maps = texthash:$cfg/transport
bouncefilter_destination_recipient_limit = 1
relayhost =
smtp_dns_support_level = disabled
disable_dns_lookups = yes
maillog_file_prefixes = $tmp
maillog_file = $tmp/maillog
biff = no
EOF
cat > "$cfg/master.cf" <<EOF
127.0.0.1:$port inet n - n - - smtpd
pickup     unix  n - n 60   1 pickup
cleanup    unix  n - n -    0 cleanup
qmgr       unix  n - n 300  1 qmgr
rewrite    unix  - - n -    - trivial-rewrite
bounce     unix  - - n -    0 bounce
defer      unix  - - n -    0 bounce
trace      unix  - - n -    0 bounce
verify     unix  - - n -    1 verify
flush      unix  n - n 1000? 0 flush
proxymap   unix  - - n -    - proxymap
proxywrite unix  - - n -    1 proxymap
smtp       unix  - - n -    - smtp
relay      unix  - - n -    - smtp
showq      unix  n - n -    - showq
error      unix  - - n -    - error
retry      unix  - - n -    - error
discard    unix  - - n -    - discard
local      unix  - n n -    - local
anvil      unix  - - n -    1 anvil
scache     unix  - - n -    1 scache
postlog    unix-dgram n - n - 1 postlogd
bouncefilter unix - n n - - pipe
  flags=Rq user=nobody argv=$tmp/bin/deliver.sh \${recipient}
EOF

if ! "$postfix" -c "$cfg" check > "$tmp/check.log" 2>&1; then
	cat "$tmp/check.log" "$tmp/maillog" 2>/dev/null; echo "SKIP: this Postfix refuses the test configuration"; exit 77
fi
if ! "$postfix" -c "$cfg" start > "$tmp/start.log" 2>&1; then
	cat "$tmp/start.log"; echo "SKIP: Postfix does not start here"; exit 77
fi
started=yes

# the listener may take a moment
for _ in $(seq 1 20); do
	(ss -ltn 2>/dev/null || netstat -ltn 2>/dev/null) | grep -q "127.0.0.1:$port " && break
	sleep 0.5
done

sender=$("$bin" verp sign --no-config --key-file "$tmp/run/verp.key" \
	--return-path list-bounces@bounces.test nosuchuser@mx.e2e.test) || { echo "FAIL: verp sign"; exit 1; }
echo "return path: $sender"
if ! "$source_cmd" -f "$sender" -t nosuchuser@mx.e2e.test -m 1 -c "127.0.0.1:$port" > "$tmp/source.log" 2>&1; then
	cat "$tmp/source.log"; echo "FAIL: smtp-source could not send"; exit 1
fi

status=
for _ in $(seq 1 120); do
	f=$(ls "$tmp/run"/status.* 2>/dev/null | head -1)
	if [ -n "$f" ]; then status=$(cat "$f"); break; fi
	sleep 0.5
done

pass=0 fail=0
ok () { pass=$((pass + 1)); echo "ok   $1"; }
ko () { fail=$((fail + 1)); echo "FAIL $1"; }

if [ -z "$status" ]; then
	ko "the DSN reached the pipe within 60 s"
	echo "--- maillog"; cat "$tmp/maillog" 2>/dev/null | tail -40
else
	ok "the DSN reached the pipe"
	if [ "$status" = 0 ]; then ok "pipe exit status 0"; else ko "pipe exit status $status, want 0"; fi
	cat "$tmp/run"/err.* 2>/dev/null
	if grep -q '"recipient":"nosuchuser@mx.e2e.test"' "$tmp/run"/out.* 2>/dev/null; then
		ok "the bounce names the unknown user"
	else
		ko "the bounce names the unknown user"; cat "$tmp/run"/out.* 2>/dev/null
	fi
	if grep -q '"authenticated":true' "$tmp/run"/out.* 2>/dev/null; then
		ok "the VERP signature held through Postfix"
	else
		ko "the VERP signature held through Postfix"
	fi
	"$bin" suppress check --db "sqlite:$tmp/run/list.db" nosuchuser@mx.e2e.test > /dev/null 2>&1
	rc=$?
	if [ $rc = 1 ]; then ok "suppressed (suppress check exits 1)"; else ko "suppress check exit $rc, want 1"; fi
	# Postfix recorded a successful pipe delivery of the DSN
	for _ in $(seq 1 10); do
		grep -q 'relay=bouncefilter.*status=sent' "$tmp/maillog" 2>/dev/null && break
		sleep 0.5
	done
	if grep -q 'relay=bouncefilter.*status=sent' "$tmp/maillog" 2>/dev/null; then
		ok "Postfix logged the pipe delivery as sent"
	else
		ko "Postfix logged the pipe delivery as sent"; tail -20 "$tmp/maillog" 2>/dev/null
	fi
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
