#!/bin/sh
# tests/suites/csl-compare.sh - cvbib's CSL engine against citeproc-js, the
# reference implementation, for every official style in ../shared/csl-styles
# on tests/data/items-varied.json, entry by entry, as text and as HTML, and one
# citation per item (our own styles too, reported apart).  Fails when a count
# of equal entries drops below tests/csl-compare.floor ("TEXT HTML CITATIONS";
# raise it as the engine improves).
# With --doc, also regenerates doc/csl-differences.md.
# Needs node and the npm package citeproc (tests/deps/styles.npm).
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
if [ ! -d build/npm/node_modules/citeproc ]; then
	echo "FAIL csl-compare: citeproc-js is not installed (sh tests/deps.sh)"
	echo "0 passed, 1 failed"; exit 1
fi
[ -x build/helper/csl-format ] || make -s build/helper/csl-format >/dev/null 2>&1
doc=""
[ "$1" = --doc ] && doc="--doc doc/csl-differences.md"
exec python3 tests/helper/csl-compare.py $doc
