#!/bin/sh
# tests/suites/csl-suite.sh - the CSL test suite (../shared/csl-test-suite):
# every fixture in processor-tests/humans, PASS/FAIL each, through
# build/csl-fixture.  Fails when fewer pass than tests/csl-suite.floor says.
# tests/csl-suite-failures.txt lists the fixtures that fail, with reasons.
#   -v   show expected and actual output of failures
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
dir="$top/../shared/csl-test-suite/processor-tests/humans"
if [ ! -d "$dir" ]; then
	echo "csl-suite: $dir missing"
	echo "0 passed, 1 failed"
	exit 1
fi
[ -x build/csl-fixture ] || make --no-print-directory build/csl-fixture >/dev/null || exit 1
out=$(mktemp "${TMPDIR:-/tmp}/csl-suite.XXXXXX")
trap 'rm -f "$out"' EXIT INT TERM
build/csl-fixture ${1:+"$1"} -L "$top/../shared/csl-test-suite/locales" \
	$(find "$dir" -name '*.txt' | sort) >"$out"
if [ -n "$1" ]; then
	grep -v '^[0-9]* passed' "$out"
else
	# fixtures failing that tests/csl-suite-failures.txt does not list
	grep '^FAIL ' "$out" | while read -r _ f _; do
		grep -q "^$f " tests/csl-suite-failures.txt 2>/dev/null || echo "new failure: $f"
	done
fi
pass=$(grep -c '^PASS ' "$out"); fail=$(grep -c '^FAIL ' "$out")
floor=$(cat tests/csl-suite.floor 2>/dev/null || echo 0)
bibpass=0
for f in $(grep '^PASS ' "$out" | cut -d' ' -f2); do
	p=$(find "$dir" -name "$f" | head -1)
	if awk '/MODE =+>>/{getline; print; exit}' "$p" | grep -q bibliography; then bibpass=$((bibpass + 1)); fi
done
echo "csl-suite: $pass of $((pass + fail)) fixtures pass ($bibpass in bibliography mode); floor $floor"
if [ "$pass" -lt "$floor" ]; then
	echo "FAIL csl-suite: $pass passed, below the floor of $floor"
	echo "$pass passed, 1 failed"
	exit 1
fi
echo "$pass passed, 0 failed"
