# Preprints in 'journal' (arXiv with its id, CoRR abs/, bioRxiv) are CSL
# preprints (article); an @article without a journal or DOI is a manuscript
$CVBIB -t csljson preprint.bib | grep '"type"\|"archive\|"number"\|"publisher"\|"container-title"'
$CVBIB -t plain --style apa preprint.bib
$CVBIB -t biblatex preprint.bib
# and they stay what they are through BibTeX and biblatex
for via in bibtex biblatex; do
	$CVBIB -t $via preprint.bib | $CVBIB -f $via -t csljson - | grep '"type"' | tr -d ' \n'; echo
done
