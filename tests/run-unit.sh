#!/bin/sh
# tests/run-unit.sh - run the C unit tests; each prints "N passed, N failed".
pass=0; fail=0
for t in "$@"; do
	out=$("$t" 2>&1); rc=$?
	echo "$out" | grep -v '^[0-9]* passed, [0-9]* failed$'
	line=$(echo "$out" | grep '^[0-9]* passed, [0-9]* failed$' | tail -1)
	p=$(echo "$line" | sed 's/ passed.*//'); f=$(echo "$line" | sed 's/.*passed, //; s/ failed//')
	[ -z "$p" ] && { p=0; f=1; echo "FAIL $t: no summary (exit $rc)"; }
	[ $rc -ne 0 ] && [ "$f" -eq 0 ] && { f=1; echo "FAIL $t: exit $rc"; }
	echo "unit $(basename "$t"): $p passed, $f failed"
	pass=$((pass + p)); fail=$((fail + f))
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
