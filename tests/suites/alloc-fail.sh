#!/bin/sh
# tests/suites/alloc-fail.sh - every reader and writer with allocation k
# failing, for every k (issue 20, finding 8): no crash, no leak, and an error
# (or the same result as the run that succeeded).  build/alloc-fail is
# tests/alloc/alloc-fail.c; each case is a PASS or FAIL line with its figures.
# Under the sanitizer build (make SANITIZE=address,undefined check) ASan
# watches every run and LeakSanitizer checks again at exit.
#
# A second pass fails libxml2's own allocations too (ALLOC_XML=1): the XML
# and HTML readers at every k, the CSL cases (styles and locales are XML) at
# every 7th (11,000 allocations a run).  Leaks that libxml2 2.9.14 makes on
# its own failure paths are told apart and reported, not counted as ours.
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
if [ ! -x build/alloc-fail ]; then
	echo "FAIL build/alloc-fail is not built (make build/alloc-fail)"
	echo "0 passed, 1 failed"
	exit 1
fi
pass=0; fail=0
# one run of build/alloc-fail (arguments and environment given): its lines,
# and its summary added to the counts
one() {
	out=$("$@" 2>&1)
	rc=$?
	echo "$out" | grep -v '^[0-9]* passed, [0-9]* failed$'
	# a crash ends the program before its summary; a leak LeakSanitizer
	# finds at exit comes after it, with a non-zero status
	sum=$(echo "$out" | grep '^[0-9]* passed, [0-9]* failed$' | tail -1)
	if [ -z "$sum" ]; then
		echo "FAIL alloc-fail ($*) ended with status $rc before its summary (a crash?)"
		fail=$((fail + 1))
		return
	fi
	p=${sum%% passed*}; f=${sum#* passed, }; f=${f%% failed}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL alloc-fail ($*): exit $rc after a clean summary (LeakSanitizer?)"
		f=1
	fi
	pass=$((pass + p)); fail=$((fail + f))
}
one build/alloc-fail
for c in read-endnote-xml read-dblp read-html; do
	one env ALLOC_XML=1 build/alloc-fail $c
done
for c in write-text csl-bibliography csl-citations; do
	one env ALLOC_XML=1 ALLOC_STRIDE=7 build/alloc-fail $c
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
