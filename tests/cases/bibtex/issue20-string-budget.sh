# issue 20: @string macros may bring at most 64 MiB into one input in all;
# past that each entry that uses one is reported and skipped, the rest read.
# s19 is exactly 1 MiB (the limit for one value); 70 entries use it.
{
	echo '@string{s0 = "ab"}'
	i=0; while [ $i -lt 19 ]; do echo "@string{s$((i + 1)) = s$i # s$i}"; i=$((i + 1)); done
	i=0; while [ $i -lt 70 ]; do echo "@misc{big$i, title = s19}"; echo "@misc{small$i, title = {T$i}}"; i=$((i + 1)); done
} >"${TMPDIR:-/tmp}/issue20-budget.$$.bib"
t=${TMPDIR:-/tmp}/issue20-budget.$$
$CVBIB --format csljson "$t.bib" >"$t.out" 2>"$t.err"
echo "cvbib exit $?"
grep -c '"id"' "$t.out"
sed 's/^.*: error/error/' "$t.err" | sort | uniq -c
rm -f "$t.bib" "$t.out" "$t.err"
