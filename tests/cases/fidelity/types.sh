# A CSL type that BibTeX and biblatex give by one entry type with others
# (@article for a review of a book, @misc for an article or a web page) goes
# into entrysubtype, biblatex's 'magazine' and 'newspaper' for an @article,
# and comes back when read; a type the entry type and fields give back
# (a journal article with its journal, an arXiv preprint) gets none.
for via in bibtex biblatex; do
	echo "== $via"
	$CVBIB -f csljson -t $via types.json | grep '^@\|entrysubtype'
	$CVBIB -f csljson -t $via types.json | $CVBIB -f $via -t csljson - >back.json
	$CVBIB -f csljson -t csljson types.json | grep '"type"' >a.txt
	grep '"type"' back.json >b.txt
	if cmp -s a.txt b.txt; then echo "every type back through $via"; else diff a.txt b.txt; fi
done
# an entrysubtype of the user's own (not the one cvbib writes for that entry type) stays a field
printf '@misc{k, title = {T}, entrysubtype = {review-book}}\n@article{m, title = {T}, journal = {J}, entrysubtype = {classic}}\n' |
	$CVBIB -f bibtex -t csljson - | grep '"type"\|entrysubtype'
rm -f back.json a.txt b.txt
