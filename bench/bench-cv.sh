#!/bin/sh
# bench/bench-cv.sh - a CV publication list: cvbib's CV layer (duplicates
# merged, owner highlighted, grouped by type, count-down prefixed numbers,
# notes and links, HTML) against pandoc's citeproc formatting the same items
# as a plain bibliography (pandoc has no CV features; it is the nearest thing
# users run).  Same items, same APA style.  Prints a table with the ratios.
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cvbib-bench-cv.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
cvbib="$top/cvbib"
[ -x "$cvbib" ] || { echo "build cvbib first (make)"; exit 0; }

# measure CMD...: "seconds maxKB" of one run
measure() {
	/usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >/dev/null 2>&1
	cat "$tmp/time"
}

printf '%-8s %-34s %9s %9s\n' items tool seconds "max MB"
for n in 1000 5000; do
	python3 "$top/tests/helper/gen-items.py" "$n" "$top/tests/cases/cv/pubs.json" >"$tmp/items.json" 2>/dev/null ||
		{ echo "tests/helper/gen-items.py failed"; exit 0; }
	set -- $(measure "$cvbib" -t html --group-by type --countdown --group-prefix \
	    --highlight "Altan Haan" --config none "$tmp/items.json")
	ct=$1; cm=$2
	printf '%-8s %-34s %9s %9.1f\n' "$n" "cvbib CV list (html)" "$ct" "$(awk "BEGIN{print $cm/1024}")"
	if command -v pandoc >/dev/null 2>&1; then
		printf -- '---\nnocite: "@*"\n---\n' >"$tmp/doc.md"
		set -- $(measure pandoc "$tmp/doc.md" -t html --citeproc --bibliography "$tmp/items.json" \
		    --csl "$top/styles/apa.csl")
		pt=$1; pm=$2
		printf '%-8s %-34s %9s %9.1f\n' "$n" "pandoc --citeproc (plain list)" "$pt" "$(awk "BEGIN{print $pm/1024}")"
		printf '%-8s %-34s %9.1fx %8.1fx\n' "$n" "ratio pandoc / cvbib" \
		    "$(awk "BEGIN{print $pt/($ct+0.001)}")" "$(awk "BEGIN{print $pm/$cm}")"
	else
		echo "pandoc is not installed: no comparison"
	fi
done
