#!/bin/sh
# Every diagnostic in src/diag.in must be shown by some data-driven case:
# its catalogue text (up to a ':') must appear in an expected .err file (or a .case file).
# Codes with an empty text (their words come from the call site), NOMEM
# (needs an allocation failure) and BIB_WRITE_CHECK (needs a BibTeX writer
# bug; tests/unit/t-bibtex.c plants one) are exempt.
top=$(cd "$(dirname "$0")/../.." && pwd)
pass=0; fail=0
# .err, .err_FMT, and the <stderr> of enrichment cases (NAME.case)
errs=$(find "$top/tests/cases" -name '*.err' -o -name '*.err_*' -o -name '*.case')
sed -n 's/^DIAG(\([A-Z0-9_]*\),[^"]*"\(.*\)")$/\1	\2/p' "$top/src/core/diag.in" | {
while IFS='	' read -r id text; do
	[ -z "$text" ] && continue
	[ "$id" = NOMEM ] && continue
	[ "$id" = BIB_WRITE_CHECK ] && continue
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
