# issue 20 finding 14: generated keys never run out or repeat.  800 keyless
# entries with the same author, year and title (the suffixes go past zz: 702);
# the keys of the BibTeX written are all distinct, and the file reads back.
t=${TMPDIR:-/tmp}/issue20-keyless.$$
i=0; while [ $i -lt 800 ]; do echo '@article{, title = {Same}, author = {Doe, J}, year = 2001}'; i=$((i + 1)); done >"$t.bib"
$CVBIB --format bibtex "$t.bib" >"$t.out" 2>/dev/null; echo "exit $?"
grep -c '^@article{' "$t.out"
grep '^@article{' "$t.out" | sort -u | wc -l | tr -d ' '
grep '^@article{' "$t.out" | sed -n '1p;27p;703p;800p'
$CVBIB --from bibtex --format csljson "$t.out" 2>&1 | grep -c 'duplicate citation key'
rm -f "$t.bib" "$t.out"
