#!/bin/sh
# tests/suites/bibtex-roundtrip.sh - reading cvbib's own BibTeX and biblatex
# output gives back the same model.  For every file of ../shared/bibtex-corpus:
#   A = CSL-JSON of read(x)
#   B = CSL-JSON of read(write(read(x))), for --format bibtex and biblatex
# and A must equal B byte for byte (the CSL-JSON writer is deterministic and
# shows every variable, name part, date part and extra field of the model).
top=$(cd "$(dirname "$0")/../.." && pwd)
corpus="$top/../shared/bibtex-corpus"
cvbib="$top/cvbib"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cvbib-rt.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0; fail=0
if [ ! -d "$corpus" ]; then
	echo "FAIL bibtex-roundtrip: $corpus not found"
	echo "0 passed, 1 failed"; exit 1
fi
for f in "$corpus"/tricky/*.bib "$corpus"/large/*.bib; do
	n=$(basename "$f" .bib)
	"$cvbib" -q -f bibtex -t csljson "$f" >"$tmp/a.json" 2>/dev/null
	for fmt in bibtex biblatex; do
		"$cvbib" -q -f bibtex -t $fmt "$f" >"$tmp/x.bib" 2>/dev/null
		"$cvbib" -q -f bibtex -t csljson "$tmp/x.bib" >"$tmp/b.json" 2>"$tmp/err"
		if cmp -s "$tmp/a.json" "$tmp/b.json" && ! grep -q error "$tmp/err"; then
			pass=$((pass + 1)); echo "PASS $n ($fmt)"
		else
			fail=$((fail + 1)); echo "FAIL $n ($fmt)"
			diff -u "$tmp/a.json" "$tmp/b.json" | head -30
			head -5 "$tmp/err"
		fi
	done
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
