#!/bin/sh
# bench/bench-csl.sh - formatting a bibliography: cvbib against pandoc
# --citeproc and citeproc-js (node), on the same varied items and styles.
#
#   1. 5,000 varied items (tests/helper/gen-items.py) in APA and in IEEE (the
#      official styles in ../shared/csl-styles, so every tool gets the same
#      file), with each tool: wall time, CPU time (user+sys, to the
#      millisecond through rusage.py below, else /usr/bin/time) and peak
#      memory.  Ratios use CPU time, which a busy machine disturbs less than
#      wall time.  Each tool's fastest run counts: of 11 runs of cvbib, of 3
#      of pandoc, and 1 run of citeproc-js (10 s a run).  Times include the
#      'timeout' and 'sh' each run goes through (about 1 ms).
#   2. cvbib alone at 1,000 / 5,000 / 50,000 items in APA: time per item, to
#      show that time grows linearly.
# Targets (issue #4): at least 50x faster than pandoc, at most a fifth of its
# peak memory.  Prints a table with the ratios.  Not a test: never fails.
#
# Measured 2026-11-21 in one run (load average 0.9):
#   APA   cvbib 0.057 s 16 MB, pandoc 3.23 s 337 MB (57x, 21x), citeproc-js 11.3 s
#   IEEE  cvbib 0.027 s 15 MB, pandoc 1.64 s 248 MB (61x, 17x), citeproc-js 2.91 s
#   APA scaling: 15 / 10 / 12 us per item at 1,000 / 5,000 / 50,000 items.
# (Earlier that day cvbib took 0.080 s and 0.047 s: 38-43x.)
#
# cvbib runs as './cvbib --style FILE --format text ITEMS' when the CLI can
# format, else through build/helper/csl-format (the public API).  pandoc and
# /usr/bin/time are installed from Debian when missing (as root); citeproc-js
# comes from tests/deps/styles.npm.  BENCH_CSL_TIMEOUT (seconds, default 900)
# stops a run that takes longer.
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
shared=../shared
work=build/bench-csl
mkdir -p "$work"

need=""
command -v pandoc >/dev/null || need="$need pandoc"
[ -x /usr/bin/time ] || need="$need time"
if [ -n "$need" ] && [ "$(id -u)" = 0 ]; then
	echo "bench-csl: installing$need"
	lock=""; command -v flock >/dev/null && lock="flock /tmp/cvbib-apt.lock"
	$lock apt-get update -qq >/dev/null 2>&1
	DEBIAN_FRONTEND=noninteractive $lock apt-get install -y -qq --no-install-recommends $need >/dev/null 2>&1
fi
[ -d build/npm/node_modules/citeproc ] || sh tests/deps.sh >/dev/null 2>&1
[ -x build/helper/csl-format ] || make -s build/helper/csl-format >/dev/null 2>&1
if [ ! -x /usr/bin/time ]; then
	echo "bench-csl: /usr/bin/time is missing; nothing measured"; exit 0
fi

for n in 1000 5000 50000; do
	[ -s "$work/items-$n.json" ] || python3 tests/helper/gen-items.py $n >"$work/items-$n.json"
done
printf -- '---\nnocite: "@*"\n---\n' >"$work/nocite.md"

# How cvbib is run: the CLI if it can format, else the API driver.
cli_ok=0
if ./cvbib --style "$shared/csl-styles/apa.csl" --format text tests/data/items-varied.json >"$work/probe.txt" 2>/dev/null &&
	[ -s "$work/probe.txt" ]; then cli_ok=1; fi

# CPU times to the millisecond: /usr/bin/time prints hundredths, too coarse
# for a cvbib run of a few hundredths of a second.  rusage.py runs a command
# and writes what /usr/bin/time -f '%e %U %S %M' would, with more digits.
cat >"$work/rusage.py" <<'PY'
import os, subprocess, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
t0 = time.monotonic()
p = subprocess.Popen(cmd)
_, status, ru = os.wait4(p.pid, 0)
with open(out, "w") as f:
    f.write("%.3f %.4f %.4f %d\n" % (time.monotonic() - t0, ru.ru_utime, ru.ru_stime, ru.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status >> 8)
PY
use_py=0
python3 -c 'import os; os.wait4' 2>/dev/null && use_py=1
# timed FILE CMD...: runs CMD, its times into FILE
timed() {
	if [ $use_py = 1 ]; then python3 "$work/rusage.py" "$@"
	else /usr/bin/time -f '%e %U %S %M' -o "$@"; fi
}

# measure NAME RUNS CMD: runs CMD RUNS times and keeps the fastest run; sets
# secs (wall), cpu (user+sys: what the ratios use, since the machine may be
# shared), mb (peak resident set) and ok (1 when it ran and printed entries)
measure() {
	out="$work/out-$1.txt"; best=""
	i=0
	while [ $i -lt "$2" ]; do
		timed "$work/time" timeout "$limit" sh -c "$3" >"$out" 2>"$work/err" </dev/null
		rc=$?
		[ $rc -eq 124 ] && echo "timed out after $limit s" >"$work/err"
		set -- "$1" "$2" "$3" $(tail -1 "$work/time")
		c=$(awk -v u="$5" -v s="$6" 'BEGIN{printf "%.3f", u+s}')
		if [ -z "$best" ] || awk -v a="$c" -v b="$cpu" 'BEGIN{exit !(a<b)}'; then
			best=1; secs=$4; cpu=$c; mb=$(awk -v k="$7" 'BEGIN{printf "%.1f", k/1024}')
		fi
		i=$((i + 1))
	done
	entries=$(grep -c . "$out")
	ok=1
	[ $rc -eq 0 ] && [ "$entries" -gt 0 ] || ok=0
}
# a run that takes longer than this is stopped and reported as failed
limit=${BENCH_CSL_TIMEOUT:-900}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b+0 > 0) printf "%.1fx", a/b; else print "-" }'; }

if [ "$cli_ok" = 1 ]; then
	CV="./cvbib --format text --style"
else
	CV="env CVBIB_LOCALES_DIR=$shared/csl-locales build/helper/csl-format -f text -s"
fi

row() { printf '%-12s %-5s %6s %8s %8s %9s %8s %11s %10s\n' "$@"; }
row tool style items wall-s cpu-s "peak MB" entries "cpu/cvbib" "mem/cvbib"
for style in apa ieee; do
	csl=$shared/csl-styles/$style.csl
	items=$work/items-5000.json
	measure "cvbib-$style" 11 "$CV $csl $items"
	c_s=$cpu; c_m=$mb; c_ok=$ok
	if [ $c_ok = 1 ]; then
		row cvbib $style 5000 "$secs" "$cpu" "$mb" "$entries" 1.0x 1.0x
	else
		row cvbib $style 5000 - - - 0 "failed:" "$(head -c 60 "$work/err" | tr '\n' ' ')"
	fi
	if command -v pandoc >/dev/null; then
		measure "pandoc-$style" 3 "pandoc --citeproc --csl $csl --bibliography $items -t plain --wrap=none $work/nocite.md"
		if [ $c_ok = 1 ]; then tr=$(ratio "$cpu" "$c_s"); mr=$(ratio "$mb" "$c_m"); else tr=-; mr=-; fi
		row pandoc $style 5000 "$secs" "$cpu" "$mb" "$entries" "$tr" "$mr"
	else
		echo "pandoc       $style  (pandoc is not installed)"
	fi
	if command -v node >/dev/null && [ -d build/npm/node_modules/citeproc ]; then
		measure "citeprocjs-$style" 1 "node tests/helper/citeproc-run.js --style $csl --locales $shared/csl-locales $items"
		if [ $c_ok = 1 ]; then tr=$(ratio "$cpu" "$c_s"); mr=$(ratio "$mb" "$c_m"); else tr=-; mr=-; fi
		row citeproc-js $style 5000 "$secs" "$cpu" "$mb" "$entries" "$tr" "$mr"
	else
		echo "citeproc-js  $style  (node or the citeproc package is missing)"
	fi
done

echo
echo "cvbib scaling (APA; fastest of 3 runs, 1 at 50,000):"
printf '%-8s %8s %8s %9s %12s\n' items wall-s cpu-s "peak MB" "cpu us/item"
for n in 1000 5000 50000; do
	runs=3; [ $n -ge 50000 ] && runs=1
	measure "cvbib-scale-$n" $runs "$CV $shared/csl-styles/apa.csl $work/items-$n.json"
	if [ $ok = 1 ]; then
		per=$(awk -v s="$cpu" -v n=$n 'BEGIN{printf "%.1f", s*1e6/n}')
		printf '%-8s %8s %8s %9s %12s\n' $n "$secs" "$cpu" "$mb" "$per"
	else
		printf '%-8s %8s %8s %9s %12s\n' $n - - - "($(head -c 40 "$work/err"))"
	fi
done
echo "load average while measuring: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
echo "targets: pandoc cpu/cvbib >= 50x; pandoc mem/cvbib >= 5x (cvbib at most a fifth of pandoc's peak memory)"
exit 0
