# Math survives BibTeX -> CSL-JSON -> BibTeX as math (a TeX logo as its
# protected name: CSL-JSON cannot tell {\LaTeX} from {LaTeX}), and a list made
# from the CSL-JSON is the list made from the BibTeX, in every output format
# (issue 16)
$CVBIB -t csljson mathout.bib >rt.json
$CVBIB -f csljson -t bibtex rt.json | grep title
for f in latex html markdown text typst; do
	$CVBIB -t $f mathout.bib >a.out
	$CVBIB -f csljson -t $f rt.json >b.out
	cmp -s a.out b.out && echo "$f: same list" || diff a.out b.out
done
# Typst: math as Typst math, what Typst math cannot say as its text
$CVBIB -t typst mathout.bib | grep '^#cvbib-entry' | sed 's/^[^[]*\[/[/'
rm -f rt.json a.out b.out
