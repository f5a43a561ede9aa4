#!/bin/sh
# Every diagnostic in src/diag.in must be shown by some data-driven case:
# its catalogue text (up to a ':') must appear in an expected .err file
# (or an enrichment case's expected stderr).
# Codes with an empty text (their words come from the call site) and NOMEM
# (needs an allocation failure) are exempt.
top=$(cd "$(dirname "$0")/../.." && pwd)
pass=0; fail=0
# .err, .err_FMT, and the <stderr> of enrichment cases (NAME.case)
errs=$(find "$top/tests/cases" -name '*.err' -o -name '*.err_*' -o -name '*.case')
sed -n 's/^DIAG(\([A-Z0-9_]*\),[^"]*"\(.*\)")$/\1	\2/p' "$top/src/core/diag.in" | {
while IFS='	' read -r id text; do
	[ -z "$text" ] && continue
	[ "$id" = NOMEM ] && continue
	key=${text%%:*}
	if [ -n "$errs" ] && grep -qF -- "$key" $errs; then
		pass=$((pass + 1)); echo "PASS $id"
	else
		fail=$((fail + 1)); echo "FAIL $id: no expected .err shows \"$key\""
	fi
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
}
