# macros hold in the files read after their own, not before (BibTeX reads
# the files in order): papers.bib before abbrev.bib leaves them undefined
$CVBIB -t plain papers.bib abbrev.bib
