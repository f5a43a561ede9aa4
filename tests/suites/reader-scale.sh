#!/bin/sh
# tests/suites/reader-scale.sh - every reader stays near-linear (issue 20,
# finding 3): for each reader, and for inputs that grow inside one entry (one
# entry of many authors, a long field, deep braces, a line of many links),
# the CPU time of reading 10x entries over that of 1x must stay under 25
# (linear time gives about 10, quadratic 100).  CPU time of the cvbib process,
# best of a few runs, 1x sized to take at least 0.1 s: see bench/scale-run.py.
# make bench prints the 1x/10x/100x table (bench/bench-scale.sh).
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
if ! command -v python3 >/dev/null 2>&1; then
	echo "FAIL reader-scale: python3 missing"
	echo "0 passed, 1 failed"
	exit 1
fi
exec python3 bench/scale-run.py check "$top/cvbib"
