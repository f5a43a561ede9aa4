#!/bin/sh
# tests/run-fuzz-replay.sh - replay every fuzz corpus and crasher input through
# the plain (non-libFuzzer) build of each fuzz target.  One input is one test;
# an input that takes longer than FUZZ_REPLAY_TIMEOUT seconds (default 60) is a
# failure (a hang: issue 20).
top=$(cd "$(dirname "$0")/.." && pwd)
pass=0; fail=0
to=""
command -v timeout >/dev/null 2>&1 && to="timeout ${FUZZ_REPLAY_TIMEOUT:-60}"
for t in "$@"; do
	n=$(basename "$t")
	for dir in "$top/tests/fuzz/corpus/$n" "$top/tests/fuzz/crashers/$n"; do
		[ -d "$dir" ] || continue
		for f in "$dir"/*; do
			[ -f "$f" ] || continue
			if $to "$t" "$f" >/dev/null 2>&1; then pass=$((pass + 1))
			else fail=$((fail + 1)); echo "FAIL $n ${f#"$top"/}"; fi
		done
	done
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
