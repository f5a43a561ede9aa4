# The marks of authors (equal contribution, corresponding author, the CV
# owner) that a BibTeX file holds as position lists or biblatex's author+an
# become the names' marks when read, so that CSL-JSON holds them as lists of
# positions and every writer gives them back in its own form; a list naming
# no author stays the field it was (and the CV list reports it).
$CVBIB -t csljson marks.bib | sed -n '/"custom"/,/^    }/p'
for via in bibtex biblatex csljson; do
	$CVBIB -t $via marks.bib | grep 'equal\|highlight\|corresponding\|+an'
	$CVBIB -t $via marks.bib | $CVBIB -f $via -t csljson - | grep -v citation-key >b.json
	$CVBIB -t csljson marks.bib | grep -v citation-key >a.json
	if cmp -s a.json b.json; then echo "same through $via"; else diff a.json b.json; fi
done
$CVBIB -t plain --sort none --group-by none marks.bib
rm -f a.json b.json
