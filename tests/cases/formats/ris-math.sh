# The RIS writer leaves LaTeX math as it is (RIS has no markup); the RIS
# reader reads $...$ back as math, so LaTeX output typesets it; dollars that
# are no math (prices) stay text.
$CVBIB -t ris ris-math.bib | tee back.ris | grep '^TI\|^AB'
$CVBIB -f ris -t csljson back.ris | grep '"title"\|"abstract"'
$CVBIB -f ris -t latex back.ris | grep item
rm -f back.ris
# academicpages' citation is HTML: math as its text, as cvbib's HTML output has it
rm -rf site
$CVBIB -t academicpages -o site ris-math.bib 2>/dev/null
grep -h '^citation' site/*.md
rm -rf site
