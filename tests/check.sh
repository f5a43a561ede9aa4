#!/bin/sh
# tests/check.sh - what 'make check' runs: unit tests, data-driven cases, fuzz
# replays, and every suite in tests/suites/*.sh.  Each part ends with a line
# "N passed, N failed"; this script adds them up and ends with the total.
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
total_p=0; total_f=0
log=$(mktemp "${TMPDIR:-/tmp}/cvbib-check.XXXXXX")
trap 'rm -f "$log"' EXIT INT TERM

part() {
	label=$1; shift
	echo "== $label"
	t0=$(date +%s)
	"$@" >"$log" 2>&1
	rc=$?
	echo "   ($label took $(( $(date +%s) - t0 )) s)"
	grep -v '^PASS ' "$log"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
	if [ -z "$line" ]; then
		echo "FAIL $label: no summary line (exit $rc)"
		total_f=$((total_f + 1)); return
	fi
	p=${line%% passed*}; f=${line#*passed, }; f=${f%% failed*}
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "FAIL $label: exit $rc"; fi
	total_p=$((total_p + p)); total_f=$((total_f + f))
}

part unit sh tests/run-unit.sh build/tests/t-*
part cases sh tests/run.sh
part fuzz-replay sh tests/run-fuzz-replay.sh build/fuzz/fuzz-*
# CHECK_QUICK=1 (the sanitizer pass of .ci/run) leaves out the suites that
# only run other programs on cvbib's output (LaTeX, biber, pandoc, Chromium,
# citeproc-js): they test compatibility, which the plain pass covers.
quick_skip="bibtex-latex cv-latex cv-html yaml-pandoc csl-compare"
for s in tests/suites/*.sh; do
	[ -f "$s" ] || continue
	if [ -n "$CHECK_QUICK" ]; then
		case " $quick_skip " in *" $(basename "$s" .sh) "*) echo "== $(basename "$s" .sh): left out (CHECK_QUICK)"; continue ;; esac
	fi
	part "$(basename "$s" .sh)" sh "$s"
done
echo "$total_p passed, $total_f failed"
[ $total_f -eq 0 ]
