#!/bin/sh
# tests/bench.sh - the speed and memory figures (make bench); never part of make check
#   batch rate side by side with the peer parsers (../shared/bench/compare when
#   present, else the same measurement on an mbox built from samples/), the GMime
#   parse-only floor and --jobs 1 against it, peak RSS on a 50 MB and a 500 MB
#   mbox (medians of 5), --jobs 1 vs --jobs 2 output identity, pipe-mode latency (mean of 200
#   runs, without and with a SQLite update), SQLite batch update rate.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
bin=$top/src/bouncefilter
work=${BENCH_DIR:-/tmp/bouncefilter-bench}
runs=${BENCH_RUNS:-3}
mkdir -p "$work"
cd "$top" || exit 1

compare=$top/../shared/bench/compare
mbox=$work/corpus-50MB.mbox
if [ -x "$compare" ]; then
	echo "== batch, side by side ($compare)"
	python3 "$compare" --bin "$bin" --args "--format=jsonl --quiet" --runs "$runs" --workdir "$work"
else
	echo "== batch (no peer comparison here: ../shared/bench/compare not found)"
	mbox=$work/samples-50MB.mbox	# not the corpus mbox's name: never taken for it
	python3 - "$top/samples" "$mbox" <<'PY'
import os, sys
msgs = []
for base, _d, names in os.walk(sys.argv[1]):
    for n in sorted(names):
        if n.endswith(".eml") and "broken" not in base:
            raw = open(os.path.join(base, n), "rb").read().replace(b"\r\n", b"\n").replace(b"\r", b"\n")
            body = b"\n".join(b">" + l if l.startswith(b"From ") else l for l in raw.split(b"\n"))
            msgs.append(b"From MAILER-DAEMON Thu Jan  1 00:00:00 2026\n" + body.rstrip(b"\n") + b"\n\n")
with open(sys.argv[2], "wb") as out:
    size = 0
    while size < 50 * 1024 * 1024:
        for m in msgs:
            out.write(m); size += len(m)
PY
fi
[ -f "$mbox" ] || { echo "bench: no mbox at $mbox"; exit 1; }
count=$(grep -c '^From ' "$mbox")
mb=$(du -m "$mbox" | cut -f1)

timed () {	# prints "seconds peak-RSS-KB" of a command, output discarded
	/usr/bin/time -f "%e %M" -o "$work/time" "$@" > /dev/null 2>&1
	cat "$work/time"
}
best () {	# best wall time of $runs runs: prints "seconds rss"
	b=""; for i in $(seq "$runs"); do r=$(timed "$@"); s=${r% *}
		if [ -z "$b" ] || [ "$(echo "$s < ${b% *}" | bc)" = 1 ]; then b=$r; fi; done
	echo "$b"
}
rate () { echo "scale=0; $count / $1" | bc; }

echo "== GMime parse-only floor and --jobs 1 ($count messages, $mb MB)"
# the floor is the best of $runs runs, as --jobs 1 is
floor=0
for i in $(seq "$runs"); do
	line=$("$top/tests/bench_parse" "$mbox")
	f=$(echo "$line" | sed -n 's/.*: \([0-9]*\) msgs\/s.*/\1/p')
	if [ "$f" -gt "$floor" ]; then floor=$f; best_line=$line; fi
done
echo "$best_line (best of $runs)"
for j in 1 2; do
	r=$(best "$bin" --quiet --jobs $j "$mbox")
	echo "bouncefilter --jobs $j: ${r% *} s, $(rate "${r% *}") msgs/s, peak RSS $(( ${r#* } / 1024 )) MB"
	[ $j = 1 ] && echo "  --jobs 1 / parse-only: $(echo "scale=0; 100 * $(rate "${r% *}") / $floor" | bc)%"
done
"$bin" --quiet --jobs 1 "$mbox" > "$work/j1.out"; "$bin" --quiet --jobs 2 "$mbox" > "$work/j2.out"
if cmp -s "$work/j1.out" "$work/j2.out"; then echo "--jobs 1 and --jobs 2 output: identical ($(wc -l < "$work/j1.out") lines)"
else echo "--jobs 1 and --jobs 2 output: DIFFERENT"; fi

echo "== memory: 50 MB vs 500 MB mbox"
big=${mbox%-50MB.mbox}-500MB.mbox	# ten times the 50 MB one
[ -f "$big" ] || for i in 1 2 3 4 5 6 7 8 9 10; do cat "$mbox"; done > "$big"
# peak RSS moves by a MB or so from run to run (allocator pages, batches in
# flight): the median of 5 runs of each, every run shown
rss_runs=5
median_rss () {	# command...: prints "median-KB (all KB values)"
	all=""; for i in $(seq "$rss_runs"); do r=$(timed "$@"); all="$all ${r#* }"; done
	m=$(echo $all | tr ' ' '\n' | sort -n | sed -n "$(( (rss_runs + 1) / 2 ))p")
	echo "$m ($all )"
}
m50=$(median_rss "$bin" --quiet "$mbox"); m500=$(median_rss "$bin" --quiet "$big")
echo "peak RSS, median of $rss_runs: 50 MB mbox $(( ${m50%% *} / 1024 )) MB, 500 MB mbox $(( ${m500%% *} / 1024 )) MB" \
	"($(( 100 * ${m500%% *} / ${m50%% *} - 100 ))% apart)"
echo "  KB per run: 50 MB mbox${m50#* }, 500 MB mbox${m500#* }"

echo "== pipe mode: one message from stdin to JSON, mean of 200 runs"
msg=$top/samples/rfc3464/postfix-userunknown.eml
db=$work/bench.db
rm -f "$db"*
for mode in plain sqlite; do
	start=$(date +%s.%N)
	i=0; while [ $i -lt 200 ]; do
		if [ $mode = plain ]; then "$bin" < "$msg" > /dev/null; else "$bin" --db "sqlite:$db" < "$msg" > /dev/null; fi
		i=$((i + 1)); done
	end=$(date +%s.%N)
	echo "pipe mode ($mode): $(echo "scale=2; ($end - $start) * 1000 / 200" | bc) ms per message"
done

echo "== SQLite batch update rate"
"$top/tests/bench_store"
