#!/bin/sh
# tests/pipeline.sh - bouncefilter inside a mail pipeline: --filter keeps the
# message byte for byte under its added headers, --quarantine keeps what is
# not a bounce, hooks see the right environment and arguments and their
# failure defers the mail, an unavailable store defers it, a VERP signature
# decides whether a bounce may touch the suppression list, and a bad
# configuration file defers (pipe) or refuses (interactive).
set -u
top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
bin=${BOUNCEFILTER:-$top/src/bouncefilter}
samples=${SAMPLES_DIR:-$top/samples}
pass=0 fail=0
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
bounce=$samples/rfc3464/postfix-userunknown.eml	# alice@example.net, 5.1.1
notbounce=$samples/not/plain-reply.eml
XDG_CONFIG_HOME=$tmp/xdg; export XDG_CONFIG_HOME	# no personal configuration
unset ORIGINAL_RECIPIENT RECIPIENT LOCAL_PART LOCAL_PART_PREFIX LOCAL_PART_SUFFIX DOMAIN

ok () { pass=$((pass + 1)); echo "ok   $1"; }
ko () { fail=$((fail + 1)); echo "FAIL $1"; }
expect () {	# label want-exit got-exit
	if [ "$2" = "$3" ]; then ok "$1"; else ko "$1: exit $3, want $2"; fi
}
check () {	# label command...
	label=$1; shift
	if "$@"; then ok "$label"; else ko "$label"; fi
}
no_status_first () { ! head -c 16 "$1" | grep -Eq '^[245]\.[0-9]'; }
count_new () { ls "$1/new" 2>/dev/null | wc -l; }
suppressed () {	# db address: true when suppressed
	"$bin" suppress check --db "sqlite:$1" "$2" > /dev/null 2>&1
	[ $? -eq 1 ]
}

# ---- filter mode ----
"$bin" --no-config --filter < "$bounce" > "$tmp/f.out"; expect "filter: bounce" 0 $?
size=$(wc -c < "$bounce")
check "filter: original follows byte for byte" sh -c "tail -c $size '$tmp/f.out' | cmp -s - '$bounce'"
head -c $(($(wc -c < "$tmp/f.out") - size)) "$tmp/f.out" > "$tmp/f.head"
check "filter: added block holds only X-Bounce- headers" sh -c "! grep -v '^X-Bounce-[A-Za-z]*: ' '$tmp/f.head'"
check "filter: kind" grep -qx 'X-Bounce-Kind: bounce' "$tmp/f.head"
check "filter: recipient" grep -qx 'X-Bounce-Recipient: alice@example.net' "$tmp/f.head"
check "filter: status" grep -qx 'X-Bounce-Status: 5.1.1' "$tmp/f.head"
check "filter: reason" grep -qx 'X-Bounce-Reason: userunknown' "$tmp/f.head"
check "filter: hard" grep -qx 'X-Bounce-Hard: yes' "$tmp/f.head"
check "filter: no JSON on stdout" sh -c "! grep -q '^{' '$tmp/f.out'"

"$bin" --no-config --filter --output "$tmp/f.jsonl" < "$bounce" > /dev/null; expect "filter: --output" 0 $?
check "filter: JSON went to --output" grep -q '"recipient":"alice@example.net"' "$tmp/f.jsonl"

sed 's/$/\r/' "$bounce" > "$tmp/crlf.eml"
"$bin" --no-config --filter < "$tmp/crlf.eml" > "$tmp/f2.out"; expect "filter: CRLF message" 0 $?
size=$(wc -c < "$tmp/crlf.eml")
check "filter: CRLF original kept" sh -c "tail -c $size '$tmp/f2.out' | cmp -s - '$tmp/crlf.eml'"
check "filter: CRLF headers end in CRLF" sh -c "head -1 '$tmp/f2.out' | grep -q \"\$(printf '\\r')\$\""

{ echo "From MAILER-DAEMON  Tue Nov  3 09:14:02 2026"; cat "$bounce"; } > "$tmp/fromline.eml"
"$bin" --no-config --filter < "$tmp/fromline.eml" > "$tmp/f3.out"; expect "filter: mbox From line" 0 $?
check "filter: From line stays first" sh -c "head -1 '$tmp/f3.out' | grep -q '^From MAILER-DAEMON'"
check "filter: headers after the From line" sh -c "sed -n 2p '$tmp/f3.out' | grep -q '^X-Bounce-Kind: bounce'"

"$bin" --no-config --filter < "$notbounce" > "$tmp/f4.out"; expect "filter: not a bounce" 0 $?
check "filter: not a bounce is kind none" sh -c "head -1 '$tmp/f4.out' | grep -qx 'X-Bounce-Kind: none'"
size=$(wc -c < "$notbounce")
check "filter: non-bounce kept byte for byte" sh -c "tail -c $size '$tmp/f4.out' | cmp -s - '$notbounce'"

# a recipient with a CR LF inside must not start a header of its own
printf 'From: MAILER-DAEMON@example.org\nTo: b@example.org\nSubject: Undelivered Mail Returned to Sender\nX-Failed-Recipients: x@example.net\n\nThis is the mail system.\n\n<x@example.net>: host mx.example.net said: 550 5.1.1 user unknown\r\nX-Injected: yes\n' > "$tmp/inject.eml"
"$bin" --no-config --filter < "$tmp/inject.eml" > "$tmp/f5.out"; expect "filter: hostile message" 0 $?
size=$(wc -c < "$tmp/inject.eml")
head -c $(($(wc -c < "$tmp/f5.out") - size)) "$tmp/f5.out" > "$tmp/f5.head"
check "filter: no header injection" sh -c "! grep -v '^X-Bounce-[A-Za-z]*: ' '$tmp/f5.head'"
check "filter: no stray CR in added headers" sh -c "! grep -q \"\$(printf '\\r')\" '$tmp/f5.head'"

"$bin" --no-config --filter "$bounce" > /dev/null 2>&1; expect "filter with a FILE is a usage error" 64 $?

# ---- quarantine ----
q=$tmp/quarantine
head -c 4096 /dev/urandom > "$tmp/garbage"
"$bin" --no-config --quarantine "$q" < "$tmp/garbage" > "$tmp/out" 2>/dev/null; expect "quarantine: garbage" 0 $?
check "quarantine: Maildir made, 0700" sh -c "[ \"\$(stat -c %a '$q/new' '$q/cur' '$q/tmp' | sort -u)\" = 700 ]"
check "quarantine: garbage kept" test "$(count_new "$q")" -eq 1
check "quarantine: garbage kept whole" sh -c "cmp -s '$q'/new/* '$tmp/garbage'"
"$bin" --no-config --quarantine "$q" < "$notbounce" > "$tmp/out"; expect "quarantine: not a bounce" 0 $?
check "quarantine: non-bounce kept" test "$(count_new "$q")" -eq 2
"$bin" --no-config --quarantine "$q" < "$bounce" > "$tmp/out"; expect "quarantine: bounce" 0 $?
check "quarantine: bounce not kept" test "$(count_new "$q")" -eq 2
check "quarantine: bounce reported" grep -q '"recipient":"alice@example.net"' "$tmp/out"
check "quarantine: tmp/ left empty" test -z "$(ls "$q/tmp")"
: > "$tmp/plainfile"
"$bin" --no-config --quarantine "$tmp/plainfile/q" < "$notbounce" > "$tmp/out" 2>/dev/null
expect "quarantine: cannot deliver from a pipe" 75 $?
check "quarantine failure: stdout not a status code" no_status_first "$tmp/out"
mkdir "$tmp/batch"; cp "$bounce" "$notbounce" "$tmp/batch/"
"$bin" --no-config --quarantine "$tmp/q2" "$tmp/batch" > /dev/null; expect "quarantine: batch" 0 $?
check "quarantine: batch keeps the non-bounce" test "$(count_new "$tmp/q2")" -eq 1

# ---- hooks ----
cat > "$tmp/hook.sh" <<EOF
#!/bin/sh
{ echo "argc=\$#"; for a in "\$@"; do echo "arg=\$a"; done; env | grep '^BOUNCE_' | sort; } >> "$tmp/hook.log"
echo "hook output goes to stderr"
exit \${HOOK_EXIT:-0}
EOF
chmod +x "$tmp/hook.sh"
"$bin" --no-config --exec "$tmp/hook.sh 'a b;c' \$HOME" --exec-on=event < "$bounce" > "$tmp/out"
expect "hook: event" 0 $?
check "hook: ran once" test "$(grep -c '^argc=' "$tmp/hook.log")" -eq 1
check "hook: quoted word kept, no shell" grep -qx 'arg=a b;c' "$tmp/hook.log"
check "hook: no variable expansion" grep -qx 'arg=$HOME' "$tmp/hook.log"
check "hook: recipient is the last argument" sh -c "grep '^arg=' '$tmp/hook.log' | tail -1 | grep -qx 'arg=alice@example.net'"
check "hook: BOUNCE_RECIPIENT" grep -qx 'BOUNCE_RECIPIENT=alice@example.net' "$tmp/hook.log"
check "hook: BOUNCE_STATUS" grep -qx 'BOUNCE_STATUS=5.1.1' "$tmp/hook.log"
check "hook: BOUNCE_REASON" grep -qx 'BOUNCE_REASON=userunknown' "$tmp/hook.log"
check "hook: BOUNCE_HARD" grep -qx 'BOUNCE_HARD=true' "$tmp/hook.log"
check "hook: BOUNCE_KIND" grep -qx 'BOUNCE_KIND=bounce' "$tmp/hook.log"
check "hook: BOUNCE_ACTION" grep -qx 'BOUNCE_ACTION=failed' "$tmp/hook.log"
check "hook: BOUNCE_MESSAGE_ID" grep -q '^BOUNCE_MESSAGE_ID=newsletter-2026-11.alice@lists.example.org' "$tmp/hook.log"
check "hook: BOUNCE_LIST_ID" grep -q '^BOUNCE_LIST_ID=.*news.lists.example.org' "$tmp/hook.log"
check "hook: its stdout is not ours" sh -c "! grep -q 'hook output' '$tmp/out'"

rm -f "$tmp/hook.log"
db=$tmp/hook.db
"$bin" --no-config --db "sqlite:$db" --exec "$tmp/hook.sh" < "$bounce" > /dev/null; expect "hook: on suppress" 0 $?
check "hook: ran for the new suppression" grep -qx 'BOUNCE_EVENT=suppress' "$tmp/hook.log"
rm -f "$tmp/hook.log"
"$bin" --no-config --db "sqlite:$db" --exec "$tmp/hook.sh" < "$bounce" > /dev/null; expect "hook: same bounce again" 0 $?
check "hook: not run for an address already suppressed" test ! -e "$tmp/hook.log"

db=$tmp/hookfail.db
HOOK_EXIT=3 "$bin" --no-config --db "sqlite:$db" --exec "$tmp/hook.sh" < "$bounce" > "$tmp/out" 2>/dev/null
expect "hook failure from a pipe" 75 $?
check "hook failure: stdout not a status code" no_status_first "$tmp/out"
if suppressed "$db" alice@example.net; then ko "hook failure: rolled back"; else ok "hook failure: rolled back"; fi
"$bin" --no-config --db "sqlite:$db" --exec "$tmp/hook.sh" < "$bounce" > /dev/null; expect "hook: the retry" 0 $?
if suppressed "$db" alice@example.net; then ok "hook: the retry suppresses"; else ko "hook: the retry suppresses"; fi

printf '#!/bin/sh\nsleep 30\n' > "$tmp/slow.sh"; chmod +x "$tmp/slow.sh"
start=$(date +%s)
"$bin" --no-config --exec "$tmp/slow.sh" --exec-on=event --exec-timeout 1 < "$bounce" > /dev/null 2>&1
expect "hook timeout from a pipe" 75 $?
check "hook timeout: stopped quickly" test $(($(date +%s) - start)) -lt 10

HOOK_EXIT=1 "$bin" --no-config --exec "$tmp/hook.sh" --exec-on=event "$bounce" "$bounce" > "$tmp/out" 2>/dev/null
expect "hook failure in a batch: worst code" 75 $?
check "hook failure in a batch: goes on" test "$(wc -l < "$tmp/out")" -eq 2
"$bin" --no-config --exec "/nonexistent/hook" --exec-on=event < "$bounce" > /dev/null 2>&1
expect "hook that cannot start" 75 $?
# pipe(8) reads stdout and stderr together: a hook's words must not come first bare
printf '#!/bin/sh\necho "5.0.0 hook speaking"\n' > "$tmp/loud.sh"; chmod +x "$tmp/loud.sh"
"$bin" --no-config --format=none --exec "$tmp/loud.sh" --exec-on=event < "$bounce" > "$tmp/out" 2>&1
expect "hook that prints a status code" 0 $?
check "hook output never first as a status code" no_status_first "$tmp/out"
check "hook output relayed with a prefix" grep -q '^bouncefilter: hook loud.sh: 5.0.0 hook speaking' "$tmp/out"

# ---- the store ----
"$bin" --no-config --db sqlite:/proc/nonexistent/x.db < "$bounce" > "$tmp/out" 2>/dev/null
expect "unwritable store from a pipe" 75 $?
check "unwritable store: stdout not a status code" no_status_first "$tmp/out"
"$bin" --no-config --filter --db sqlite:/proc/nonexistent/x.db < "$bounce" > "$tmp/out" 2>/dev/null
expect "unwritable store in filter mode" 75 $?

# ---- VERP ----
printf 'a-long-enough-secret-for-tests\n' > "$tmp/verp.key"
printf 'another-long-enough-secret-key\n' > "$tmp/other.key"
base=list-bounces@lists.example.org
rp=$("$bin" verp sign --no-config --key-file "$tmp/verp.key" --return-path "$base" alice@example.net)
expect "verp sign" 0 $?
check "verp sign: shape" sh -c "echo '$rp' | grep -Eq '^list-bounces\\+alice=example\\.net\\.[0-9]+\\.[0-9a-f]{16}@lists\\.example\\.org\$'"
check "verp verify: good" sh -c "[ \"\$('$bin' verp verify --no-config --key-file '$tmp/verp.key' '$rp')\" = alice@example.net ]"
"$bin" verp verify --no-config --key-file "$tmp/other.key" "$rp" > /dev/null 2>&1; expect "verp verify: wrong key" 1 $?
tampered=$(echo "$rp" | sed 's/alice=/alicf=/')
"$bin" verp verify --no-config --key-file "$tmp/verp.key" "$tampered" > /dev/null 2>&1; expect "verp verify: tampered" 1 $?
check "verp decode" sh -c "[ \"\$('$bin' verp decode --no-config 'b+x=example.com@example.org')\" = x@example.com ]"
old=$("$bin" verp sign --no-config --key-file "$tmp/verp.key" --return-path "$base" --days 1000 alice@example.net)

verp () {	# db recipient-or-empty [env...]: one bounce through a signing-required pipe
	db=$1 rcpt=$2; shift 2
	if [ -n "$rcpt" ]; then set -- "$@" --recipient "$rcpt"; fi
	"$bin" --no-config --db "sqlite:$db" --verp-key "$tmp/verp.key" --require-signature "$@" \
		< "$bounce" > "$tmp/out" 2>/dev/null
}
verp "$tmp/v1.db" "list-bounces+alice=example.net@lists.example.org"; expect "forged (unsigned) bounce" 0 $?
check "forged: authenticated false" grep -q '"authenticated":false' "$tmp/out"
if suppressed "$tmp/v1.db" alice@example.net; then ko "forged: list unchanged"; else ok "forged: list unchanged"; fi
verp "$tmp/v2.db" ""; expect "bounce without VERP" 0 $?
if suppressed "$tmp/v2.db" alice@example.net; then ko "missing VERP: list unchanged"; else ok "missing VERP: list unchanged"; fi
verp "$tmp/v3.db" "$tampered"; expect "tampered signature" 0 $?
if suppressed "$tmp/v3.db" alice@example.net; then ko "tampered: list unchanged"; else ok "tampered: list unchanged"; fi
verp "$tmp/v4.db" "$old"; expect "expired signature" 0 $?
if suppressed "$tmp/v4.db" alice@example.net; then ko "expired: list unchanged"; else ok "expired: list unchanged"; fi
rm -f "$tmp/hook.log"
verp "$tmp/v1.db" "list-bounces+alice=example.net@lists.example.org" --exec "$tmp/hook.sh" --exec-on=event
check "forged: no hook" test ! -e "$tmp/hook.log"
verp "$tmp/v5.db" "$rp"; expect "genuine signed bounce" 0 $?
check "genuine: authenticated true" grep -q '"authenticated":true' "$tmp/out"
check "genuine: verp_recipient" grep -q '"verp_recipient":"alice@example.net"' "$tmp/out"
if suppressed "$tmp/v5.db" alice@example.net; then ok "genuine: suppressed"; else ko "genuine: suppressed"; fi
RECIPIENT=$rp verp "$tmp/v6.db" ""; expect "genuine, recipient from the environment" 0 $?
if suppressed "$tmp/v6.db" alice@example.net; then ok "environment: suppressed"; else ko "environment: suppressed"; fi
lp=${rp%%@*}
LOCAL_PART=${lp%%+*} LOCAL_PART_SUFFIX=+${lp#*+} DOMAIN=lists.example.org verp "$tmp/v7.db" ""
expect "genuine, Exim environment" 0 $?
if suppressed "$tmp/v7.db" alice@example.net; then ok "Exim environment: suppressed"; else ko "Exim environment: suppressed"; fi
{ echo "Delivered-To: $rp"; cat "$bounce"; } > "$tmp/delivered.eml"
"$bin" --no-config --db "sqlite:$tmp/v8.db" --verp-key "$tmp/verp.key" --require-signature \
	< "$tmp/delivered.eml" > "$tmp/out" 2>/dev/null; expect "genuine, Delivered-To header" 0 $?
if suppressed "$tmp/v8.db" alice@example.net; then ok "Delivered-To: suppressed"; else ko "Delivered-To: suppressed"; fi
"$bin" --no-config < "$bounce" > "$tmp/out"
check "no key: no authenticated field" sh -c "! grep -q authenticated '$tmp/out'"

# ---- configuration ----
printf '[verp]\nkey_file=%s\nrequire_signature=true\n[store]\nuri=sqlite:%s\n' \
	"$tmp/verp.key" "$tmp/c1.db" > "$tmp/good.conf"
"$bin" --config "$tmp/good.conf" --recipient "list-bounces+alice=example.net@lists.example.org" \
	< "$bounce" > "$tmp/out" 2>/dev/null; expect "config: signing required from the file" 0 $?
check "config: forged bounce not authenticated" grep -q '"authenticated":false' "$tmp/out"
if suppressed "$tmp/c1.db" alice@example.net; then ko "config: list unchanged"; else ok "config: list unchanged"; fi
mkdir -p "$XDG_CONFIG_HOME/bouncefilter"
printf '[output]\nterse=true\n' > "$XDG_CONFIG_HOME/bouncefilter/config"
"$bin" < "$bounce" > "$tmp/out"; expect "config: XDG file" 0 $?
check "config: XDG file read" sh -c "! grep -q '\"advice\"' '$tmp/out'"
"$bin" --no-config < "$bounce" > "$tmp/out"
check "config: --no-config" grep -q '"advice"' "$tmp/out"
rm -f "$XDG_CONFIG_HOME/bouncefilter/config"
printf '[store]\nurl=typo\n' > "$tmp/bad.conf"
"$bin" --config "$tmp/bad.conf" < "$bounce" > "$tmp/out" 2>"$tmp/err"; expect "bad config from a pipe" 75 $?
check "bad config: says which key" grep -q 'url' "$tmp/err"
check "bad config: stdout not a status code" no_status_first "$tmp/out"
"$bin" --config "$tmp/bad.conf" "$bounce" > /dev/null 2>&1; expect "bad config, interactive" 64 $?
"$bin" --config "$tmp/missing.conf" < "$bounce" > /dev/null 2>&1; expect "missing --config file from a pipe" 75 $?
"$bin" --no-config --require-signature < "$bounce" > /dev/null 2>&1; expect "signature required without a key (pipe)" 75 $?

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
