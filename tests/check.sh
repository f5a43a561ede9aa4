#!/bin/sh
# tests/check.sh - what 'make check' runs: unit tests, data-driven cases, fuzz
# replays, and every suite in tests/suites/*.sh.  Each part ends with a line
# "N passed, N failed"; this script adds them up and ends with the total.
#
# The parts run in two lanes at once when the machine has two cores or more
# (CHECK_JOBS=1: one after the other): the suites that run other programs on
# cvbib's output (LaTeX, biber, pandoc, citeproc-js, Chromium) in one, the
# rest in the other; with CHECK_QUICK, the long round trips in one.  A line says when each part
# is done; the parts' outputs are printed in the usual order when all are.
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
dir=$(mktemp -d "${TMPDIR:-/tmp}/cvbib-check.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM

# python3 may be a shim (pyenv's takes 0.4 s to start, and the suites start
# python3 thousands of times): run the interpreter it stands for directly.
py=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)
if [ -n "$py" ] && [ -x "$py" ]; then
	mkdir "$dir/bin" && ln -s "$py" "$dir/bin/python3" && PATH="$dir/bin:$PATH" && export PATH
fi

# CHECK_QUICK=1 (the sanitizer pass of .ci/run) leaves out the suites that
# only run other programs on cvbib's output (LaTeX, biber, pandoc, Chromium,
# citeproc-js): they test compatibility, which the plain pass covers; and the
# two that time cvbib (reader-scale, text-scale): the sanitizers' overhead
# is no measure of time, and the plain pass guards it.
quick_skip="bibtex-latex cv-latex cv-html yaml-pandoc csl-compare reader-scale text-scale"
# the second lane (about half of the time on two cores: measured by .ci/run)
lane2="bibtex-latex csl-compare cv-latex cv-html yaml-pandoc"
[ -n "$CHECK_QUICK" ] && lane2="format-roundtrip csl-suite fuzz-replay typst yaml-roundtrip cases"

# the parts, in the order they are printed: NAME COMMAND...
n=0
add() {
	n=$((n + 1))
	echo "$*" >"$dir/cmd.$n"
}
add unit sh tests/run-unit.sh build/tests/t-*
add cases sh tests/run.sh
add fuzz-replay sh tests/run-fuzz-replay.sh build/fuzz/fuzz-*
for s in tests/suites/*.sh; do
	[ -f "$s" ] || continue
	name=$(basename "$s" .sh)
	if [ -n "$CHECK_QUICK" ]; then
		case " $quick_skip " in *" $name "*) echo "$name" >"$dir/skip.$((n + 1))"; n=$((n + 1)); continue ;; esac
	fi
	add "$name" sh "$s"
done

# run part I: its output into out.I, "SECONDS EXIT" into rc.I
run_part() {
	k=$1
	set -- $(cat "$dir/cmd.$k") && label=$1 && shift
	t0=$(date +%s)
	"$@" >"$dir/out.$k" 2>&1
	rc=$?
	secs=$(( $(date +%s) - t0 ))
	echo "$secs $rc" >"$dir/rc.$k"
	echo "-- $label done ($secs s)"
}
in_lane2() {
	case " $lane2 " in *" $1 "*) return 0 ;; esac
	return 1
}
run_lane() {	# run_lane 1|2
	i=1
	while [ $i -le $n ]; do
		if [ -f "$dir/cmd.$i" ]; then
			l=$(head -c 200 "$dir/cmd.$i" | cut -d' ' -f1)
			if [ "$jobs" -lt 2 ] || { [ "$1" = 2 ] && in_lane2 "$l"; } ||
			    { [ "$1" = 1 ] && ! in_lane2 "$l"; }; then
				run_part "$i"
			fi
		fi
		i=$((i + 1))
	done
}

jobs=${CHECK_JOBS:-$(nproc 2>/dev/null || echo 1)}
if [ "$jobs" -ge 2 ]; then
	run_lane 2 &
	lane2_pid=$!
	run_lane 1
	wait "$lane2_pid"
else
	run_lane 1
fi

total_p=0; total_f=0
i=1
while [ $i -le $n ]; do
	if [ -f "$dir/skip.$i" ]; then
		echo "== $(cat "$dir/skip.$i"): left out (CHECK_QUICK)"
		i=$((i + 1))
		continue
	fi
	label=$(cut -d' ' -f1 "$dir/cmd.$i")
	echo "== $label"
	read -r secs rc <"$dir/rc.$i" || { secs=0; rc=1; }
	grep -v '^PASS ' "$dir/out.$i"
	echo "   ($label took $secs s)"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$dir/out.$i" | tail -1)
	if [ -z "$line" ]; then
		echo "FAIL $label: no summary line (exit $rc)"
		total_f=$((total_f + 1))
	else
		p=${line%% passed*}; f=${line#*passed, }; f=${f%% failed*}
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "FAIL $label: exit $rc"; fi
		total_p=$((total_p + p)); total_f=$((total_f + f))
	fi
	i=$((i + 1))
done
echo "$total_p passed, $total_f failed"
[ $total_f -eq 0 ]
