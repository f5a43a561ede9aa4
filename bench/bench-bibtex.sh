#!/bin/sh
# bench/bench-bibtex.sh - BibTeX parsing and conversion to CSL-JSON:
# cvbib against pandoc (-f bibtex -t csljson) on the large corpus files.
# Prints wall time, MB/s, peak RSS (/usr/bin/time -v) and the ratios, then
# the reader alone (bench/parse-bibtex.c: CPU time of one core, best of 5).
# Targets (issue 3): >= 50x faster than pandoc, >= 100 MB/s parsing,
# peak memory < 10x the input size.
top=$(cd "$(dirname "$0")/.." && pwd)
corpus="$top/../shared/bibtex-corpus/large"
cd "$top" || exit 1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cvbib-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
[ -x ./cvbib ] || { echo "build cvbib first"; exit 1; }
have_pandoc=1; command -v pandoc >/dev/null || have_pandoc=0
[ -x /usr/bin/time ] || { echo "bench-bibtex: /usr/bin/time is missing (Debian package 'time')"; exit 0; }

# run CMD...: prints "wall-seconds peakKB cpu-seconds"
measure() {
	/usr/bin/time -v "$@" >/dev/null 2>"$tmp/tv"
	s=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tmp/tv" |
	    awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
	k=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/tv")
	u=$(sed -n 's/.*User time (seconds): //p' "$tmp/tv")
	y=$(sed -n 's/.*System time (seconds): //p' "$tmp/tv")
	echo "$s $k $(awk -v u="$u" -v y="$y" 'BEGIN { print u + y }')"
}

echo "BibTeX -> CSL-JSON, whole command: wall and CPU (user+sys) seconds, peak RSS"
printf '%-26s %5s | %6s %6s %6s %5s | %6s %6s %6s | %6s %6s\n' file MB wall cpu RSS_MB RSSx wall cpu RSS_MB x_wall x_cpu
printf '%-26s %5s | %-26s | %-20s |\n' "" "" "cvbib" "pandoc"
tc=0; tp=0; tcc=0; tpc=0; tb=0
for f in "$corpus"/*.bib; do
	b=$(wc -c <"$f")
	set -- $(measure ./cvbib -q -t bibtex -f csljson "$f"); cs=$1; ck=$2; cc=$3
	if [ $have_pandoc = 1 ]; then
		set -- $(measure pandoc -f bibtex -t csljson "$f"); ps=$1; pk=$2; pc=$3
	else ps=0; pk=0; pc=0; fi
	awk -v n="$(basename "$f" .bib)" -v b="$b" -v cs="$cs" -v ck="$ck" -v cc="$cc" -v ps="$ps" -v pk="$pk" -v pc="$pc" 'BEGIN {
		if (cs <= 0) cs = 0.001; if (cc <= 0) cc = 0.001
		printf "%-26s %5.2f | %6.2f %6.2f %6.1f %5.1f | %6.2f %6.2f %6.1f | %5.0fx %5.0fx\n",
		    substr(n, 1, 26), b / 1e6, cs, cc, ck / 1024, ck * 1024 / b, ps, pc, pk / 1024, ps / cs, pc / cc }'
	tc=$(awk -v a="$tc" -v c="$cs" 'BEGIN { print a + c }')
	tp=$(awk -v a="$tp" -v c="$ps" 'BEGIN { print a + c }')
	tcc=$(awk -v a="$tcc" -v c="$cc" 'BEGIN { print a + c }')
	tpc=$(awk -v a="$tpc" -v c="$pc" 'BEGIN { print a + c }')
	tb=$((tb + b))
done
awk -v b="$tb" -v cs="$tc" -v ps="$tp" -v cc="$tcc" -v pc="$tpc" 'BEGIN { if (cc <= 0) cc = 0.001
	printf "%-26s %5.2f | %6.2f %6.2f %6s %5s | %6.2f %6.2f %6s | %5.0fx %5.0fx\n", "total", b / 1e6, cs, cc, "", "", ps, pc, "", ps / cs, pc / cc }'
echo
echo "peak RSS of reading alone (cvbib -f bibtex, no JSON tree):"
for f in "$corpus"/*.bib; do
	b=$(wc -c <"$f")
	set -- $(measure ./cvbib -q -t bibtex -f bibtex "$f")
	awk -v n="$(basename "$f" .bib)" -v b="$b" -v k="$2" 'BEGIN {
		printf "  %-32s %6.1f MB  %4.1fx the input\n", n, k / 1024, k * 1024 / b }'
done
[ $have_pandoc = 1 ] || echo "(pandoc is not installed: no comparison)"

echo
echo "reader alone (CPU time, one core, best of 5):"
if cc -O2 -Isrc -o "$tmp/parse" bench/parse-bibtex.c build/libcvbib.a \
    $(pkg-config --libs yaml-0.1 jansson libcurl libxml-2.0 sqlite3) -lm 2>/dev/null; then
	"$tmp/parse" "$corpus"/*.bib | awk -F'\t' '{ n = $1; sub(".*/", "", n); sub(".bib$", "", n)
		printf "  %-32s %6.2f MB %6d entries %8.4f s %7.1f MB/s\n", n, $2 / 1e6, $3, $4, $5 }'
else
	echo "  (could not build bench/parse-bibtex.c)"
fi
