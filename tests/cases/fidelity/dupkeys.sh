# Keys are unique in every BibTeX output: entries of several inputs with the
# same key are merged when they are the same publication, else renamed; both
# reported.  biblatex's output reads back without a duplicate key.
$CVBIB -t biblatex dup-pubs.json dup-scholar.bib
$CVBIB -t bibtex dup-pubs.json dup-scholar.bib 2>/dev/null | grep '^@'
$CVBIB -t biblatex dup-pubs.json dup-scholar.bib 2>/dev/null | $CVBIB -f biblatex -t csljson - >/dev/null
