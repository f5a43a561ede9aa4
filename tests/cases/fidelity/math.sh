# Math and TeX logos in titles stay what they are in BibTeX and biblatex
# output ({\LaTeX}, $O(n \log n)$, also with a subtitle joined); math that
# could run a command is not written as LaTeX
$CVBIB -t bibtex math.bib
$CVBIB -t biblatex math.bib | grep title
$CVBIB -t biblatex math.bib | $CVBIB -f biblatex -t biblatex - | grep title
