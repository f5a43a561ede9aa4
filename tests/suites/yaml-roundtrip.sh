#!/bin/sh
# tests/suites/yaml-roundtrip.sh - CSL-JSON -> CSL-YAML -> CSL-JSON gives the
# same bytes as CSL-JSON -> CSL-JSON, for the INPUT section of every fixture
# in ../shared/csl-test-suite/processor-tests/humans.  The number of fixtures
# that must pass is in tests/suites/yaml-roundtrip.floor.
top=$(cd "$(dirname "$0")/../.." && pwd)
cvbib="$top/cvbib"
dir="$top/../shared/csl-test-suite/processor-tests/humans"
floor=$(cat "$top/tests/suites/yaml-roundtrip.floor")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cvbib-yrt.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0; fail=0; skip=0
if [ ! -d "$dir" ]; then
	echo "FAIL yaml-roundtrip: $dir is missing"
	echo "0 passed, 1 failed"
	exit 1
fi
# CHECK_QUICK (the sanitizer pass of .ci/run): every fourth fixture, no floor
k=0
for f in "$dir"/*.txt; do
	name=$(basename "$f" .txt)
	k=$((k + 1))
	[ -n "$CHECK_QUICK" ] && [ $((k % 4)) -ne 1 ] && continue
	awk '/^>>=+ *INPUT *=+>>/{on=1; next} /^<<=+ *INPUT *=+<</{on=0} on' "$f" >"$tmp/in.json"
	if [ ! -s "$tmp/in.json" ]; then skip=$((skip + 1)); continue; fi
	if ! "$cvbib" -q -f csljson -t csljson "$tmp/in.json" >"$tmp/a.json" 2>/dev/null; then
		# not readable as CSL-JSON at all: nothing to compare
		skip=$((skip + 1)); continue
	fi
	"$cvbib" -q -f csljson -t csl-yaml "$tmp/in.json" >"$tmp/y.yaml" 2>"$tmp/err1"
	"$cvbib" -q -f csl-yaml -t csljson "$tmp/y.yaml" >"$tmp/b.json" 2>"$tmp/err2"
	if cmp -s "$tmp/a.json" "$tmp/b.json"; then
		pass=$((pass + 1)); echo "PASS $name"
	else
		fail=$((fail + 1)); echo "FAIL $name"
		diff -u "$tmp/a.json" "$tmp/b.json" | head -20
		cat "$tmp/err1" "$tmp/err2" | head -5
	fi
done
echo "yaml-roundtrip: $pass passed, $fail failed, $skip without a readable INPUT (floor $floor)"
if [ -z "$CHECK_QUICK" ] && [ $pass -lt "$floor" ]; then
	echo "FAIL yaml-roundtrip: $pass passed is below the floor of $floor"
	fail=$((fail + 1))
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
