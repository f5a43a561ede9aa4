#!/bin/sh
# tests/suites/csl-compare.sh - cvbib's CSL engine against citeproc-js, the
# reference implementation, entry by entry on tests/data/items-varied.json:
#  1. every official style in ../shared/csl-styles, as text and as HTML, and
#     one citation per item (our own styles too, reported apart); fails when
#     a count of equal entries drops below tests/csl-compare.floor
#     ("TEXT HTML CITATIONS"; raise it as the engine improves);
#  2. the 100 independent styles that tests/helper/csl-pick.py picks from
#     Debian's citation-style-language-styles (every category field), each in
#     its default locale with Debian's locales; fails when the share of equal
#     entries drops below tests/csl-compare-debian.floor (a percentage).
# With --doc, also regenerates doc/csl-differences.md (both parts).
# Needs node and the npm package citeproc (tests/deps/styles.npm), and
# Debian's citation-style-language-styles and -locales (tests/deps/styles.debian).
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
if [ ! -d build/npm/node_modules/citeproc ]; then
	echo "FAIL csl-compare: citeproc-js is not installed (sh tests/deps.sh)"
	echo "0 passed, 1 failed"; exit 1
fi
# (the helper links the library statically: make it current)
make -s build/helper/csl-format >/dev/null 2>&1
out=$(mktemp "${TMPDIR:-/tmp}/csl-compare.XXXXXX")
trap 'rm -f "$out"' EXIT INT TERM
doc=""
[ "$1" = --doc ] && doc="--doc doc/csl-differences.md"
python3 tests/helper/csl-compare.py $doc >"$out" 2>&1
grep -v '^[0-9]* passed' "$out"
p1=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$out" | tail -1)
f1=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$out" | tail -1)
python3 tests/helper/csl-compare.py --debian $doc >"$out" 2>&1
grep -v '^[0-9]* passed' "$out"
p2=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$out" | tail -1)
f2=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$out" | tail -1)
echo "$((${p1:-0} + ${p2:-0})) passed, $((${f1:-1} + ${f2:-1})) failed"
[ "${f1:-1}" -eq 0 ] && [ "${f2:-1}" -eq 0 ]
