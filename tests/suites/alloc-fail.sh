#!/bin/sh
# tests/suites/alloc-fail.sh - every reader and writer with allocation k
# failing, for every k (issue 20, finding 8): no crash, no leak, and an error
# (or the same result as the run that succeeded).  build/alloc-fail is
# tests/alloc/alloc-fail.c; each case is a PASS or FAIL line with its figures.
# Under the sanitizer build (make SANITIZE=address,undefined check) ASan
# watches every run and LeakSanitizer checks again at exit.
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
if [ ! -x build/alloc-fail ]; then
	echo "FAIL build/alloc-fail is not built (make build/alloc-fail)"
	echo "0 passed, 1 failed"
	exit 1
fi
out=$(build/alloc-fail 2>&1)
rc=$?
echo "$out"
# a crash ends the program before its summary; a leak LeakSanitizer finds at
# exit comes after it, with a non-zero status
sum=$(echo "$out" | grep '^[0-9]* passed, [0-9]* failed$' | tail -1)
if [ -z "$sum" ]; then
	echo "FAIL alloc-fail ended with status $rc before its summary (a crash?)"
	echo "0 passed, 1 failed"
	exit 1
fi
if [ "$rc" -ne 0 ] && [ "${sum% 0 failed}" != "$sum" ]; then
	echo "FAIL alloc-fail: exit $rc after a clean summary (LeakSanitizer?)"
	echo "${sum% 0 failed} 1 failed"
	exit 1
fi
[ "$rc" -eq 0 ]
