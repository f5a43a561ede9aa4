# BibTeX -> CSL: number of a proceedings paper or book is its number in the
# series (collection-number); series kept; subtitle and titleaddon joined to
# the title; langid/language names -> BCP 47; "2005/06" is 2005-2006;
# biblatex's astronomical -2010 is 2011 BC (CSL -2011) and back
$CVBIB -t csljson bibmap.bib
$CVBIB -t plain --style apa bibmap.bib
$CVBIB -t biblatex bibmap.bib
$CVBIB -t bibtex bibmap.bib
