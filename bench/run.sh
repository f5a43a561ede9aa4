#!/bin/sh
# bench/run.sh - 'make bench': every bench/bench-*.sh in turn.  Each measures
# cvbib side by side with the tool users would pick instead, in one run, and
# prints a table with the ratios.  Benchmarks are not tests: they never fail
# the build, and their figures go into README.md by hand.
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
for b in bench/bench-*.sh; do
	[ -f "$b" ] || continue
	echo "== $(basename "$b" .sh)"
	sh "$b"
done
