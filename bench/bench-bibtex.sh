#!/bin/sh
# bench/bench-bibtex.sh - BibTeX parsing and conversion to CSL-JSON:
# cvbib against pandoc (-f bibtex -t csljson) on the large corpus files.
#
# Prints, per file and in total: CPU time (user+sys) and wall time, peak RSS
# (/usr/bin/time -v) and the ratios; then the peak RSS of reading alone
# (BibTeX output) and the reader's speed (bench/parse-bibtex.c: CPU time of
# one core, best of 10).
#  - cvbib's times are per run, from the best of BENCH_RUNS (default 3)
#    batches of 10 runs (one run takes a few hundredths of a second, finer
#    than /usr/bin/time measures); pandoc's are the best of BENCH_RUNS runs.
#  - "floor" is the peak RSS of cvbib converting an empty file: the pages of
#    the shared libraries it links (libxml2 with ICU and libstdc++ ~2.5 MB;
#    libcurl is loaded only by runs that enrich).  Memory
#    is given as peak / input and as (peak - floor) / input.
# Targets (issue 3): >= 50x faster than pandoc, >= 100 MB/s parsing,
# peak memory < 10x the input size.
# Measured (2026-11-21, quiet 2-core machine; README.md has the table): CPU
# 0.025-0.044 s per file against pandoc's 1.9-4.1 s, 69-98x; peak RSS
# 16.3-21.3 MB = 6.3-9.8x the input, 4.3-6.7x above the 5.2 MB floor;
# reader 120-190 MB/s.
top=$(cd "$(dirname "$0")/.." && pwd)
corpus="$top/../shared/bibtex-corpus/large"
runs=${BENCH_RUNS:-3}
cd "$top" || exit 1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cvbib-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
[ -x ./cvbib ] || { echo "build cvbib first"; exit 1; }
have_pandoc=1; command -v pandoc >/dev/null || have_pandoc=0
[ -x /usr/bin/time ] || { echo "bench-bibtex: /usr/bin/time is missing (Debian package 'time')"; exit 0; }

# measure N CMD...: run CMD N times in one shell under /usr/bin/time; prints
# "wall-seconds cpu-seconds peakKB" per run (peak: of the largest process)
measure() {
	n=$1; shift
	/usr/bin/time -v sh -c 'n=$1; shift; i=0; while [ $i -lt $n ]; do "$@" >/dev/null || exit 1; i=$((i + 1)); done' \
	    sh "$n" "$@" 2>"$tmp/tv"
	awk -v n="$n" -F': ' '
	/Elapsed \(wall clock\)/ { k = split($2, t, ":"); s = (k == 3) ? t[1] * 3600 + t[2] * 60 + t[3] : t[1] * 60 + t[2] }
	/Maximum resident set size/ { m = $2 }
	/User time/ { u = $2 } /System time/ { y = $2 }
	END { printf "%.4f %.4f %d\n", s / n, (u + y) / n, m }' "$tmp/tv"
}

# best N CMD...: the best of BENCH_RUNS measurements (by CPU time)
best() {
	n=$1; shift
	r=0; while [ $r -lt "$runs" ]; do measure "$n" "$@"; r=$((r + 1)); done |
	    sort -k2 -g | head -1
}

: >"$tmp/empty.bib"
set -- $(best 10 ./cvbib -q -f bibtex -t csljson "$tmp/empty.bib"); floor=$3

echo "BibTeX -> CSL-JSON, whole command: CPU (user+sys) and wall seconds, peak RSS"
echo "(cvbib: best of $runs batches of 10 runs; pandoc: best of $runs runs; floor: peak RSS"
echo " of converting an empty file, $(awk -v k="$floor" 'BEGIN { printf "%.1f MB", k / 1024 }'): the shared libraries)"
printf '%-26s %5s | %6s %6s %6s %5s %5s | %6s %6s %6s | %5s %5s\n' file MB cpu wall RSS_MB RSSx -flr cpu wall RSS_MB x_cpu x_wall
printf '%-26s %5s | %-34s | %-20s |\n' "" "" "cvbib" "pandoc"
tc=0; tp=0; tcc=0; tpc=0; tb=0
for f in "$corpus"/*.bib; do
	b=$(wc -c <"$f")
	set -- $(best 10 ./cvbib -q -f bibtex -t csljson "$f"); cs=$1; cc=$2; ck=$3
	if [ $have_pandoc = 1 ]; then
		set -- $(best 1 pandoc -f bibtex -t csljson "$f"); ps=$1; pc=$2; pk=$3
	else ps=0; pk=0; pc=0; fi
	awk -v n="$(basename "$f" .bib)" -v b="$b" -v cs="$cs" -v ck="$ck" -v cc="$cc" -v ps="$ps" \
	    -v pk="$pk" -v pc="$pc" -v fl="$floor" 'BEGIN {
		if (cs <= 0) cs = 0.0001; if (cc <= 0) cc = 0.0001
		printf "%-26s %5.2f | %6.3f %6.3f %6.1f %5.1f %5.1f | %6.2f %6.2f %6.1f | %4.0fx %4.0fx\n",
		    substr(n, 1, 26), b / 1e6, cc, cs, ck / 1024, ck * 1024 / b, (ck - fl) * 1024 / b,
		    pc, ps, pk / 1024, pc / cc, ps / cs }'
	tc=$(awk -v a="$tc" -v c="$cs" 'BEGIN { print a + c }')
	tp=$(awk -v a="$tp" -v c="$ps" 'BEGIN { print a + c }')
	tcc=$(awk -v a="$tcc" -v c="$cc" 'BEGIN { print a + c }')
	tpc=$(awk -v a="$tpc" -v c="$pc" 'BEGIN { print a + c }')
	tb=$((tb + b))
done
awk -v b="$tb" -v cs="$tc" -v ps="$tp" -v cc="$tcc" -v pc="$tpc" 'BEGIN {
	if (cc <= 0) cc = 0.0001; if (cs <= 0) cs = 0.0001
	printf "%-26s %5.2f | %6.3f %6.3f %6s %5s %5s | %6.2f %6.2f %6s | %4.0fx %4.0fx\n",
	    "total", b / 1e6, cc, cs, "", "", "", pc, ps, "", pc / cc, ps / cs }'
[ $have_pandoc = 1 ] || echo "(pandoc is not installed: no comparison)"

echo
echo "peak RSS of reading alone (cvbib -t bibtex: BibTeX output, built whole in memory):"
for f in "$corpus"/*.bib; do
	b=$(wc -c <"$f")
	set -- $(measure 1 ./cvbib -q -f bibtex -t bibtex "$f")
	awk -v n="$(basename "$f" .bib)" -v b="$b" -v k="$3" -v fl="$floor" 'BEGIN {
		printf "  %-32s %6.1f MB  %4.1fx the input, %4.1fx above the floor\n", n, k / 1024,
		    k * 1024 / b, (k - fl) * 1024 / b }'
done

echo
echo "reader alone (CPU time, one core, best of 10):"
if cc -O2 -Isrc -o "$tmp/parse" bench/parse-bibtex.c build/libcvbib.a \
    $(pkg-config --libs yaml-0.1 jansson libcurl libxml-2.0 sqlite3) -lm 2>/dev/null; then
	"$tmp/parse" "$corpus"/*.bib | awk -F'\t' '{ n = $1; sub(".*/", "", n); sub(".bib$", "", n)
		printf "  %-32s %6.2f MB %6d entries %8.4f s %7.1f MB/s\n", n, $2 / 1e6, $3, $4, $5 }'
else
	echo "  (could not build bench/parse-bibtex.c)"
fi
