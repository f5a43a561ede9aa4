# CSL-JSON "custom" values in BibTeX and biblatex without their JSON quoting
# (a URL verbatim, lists comma-separated, objects left as JSON text), and back
$CVBIB -t bibtex custom.json
$CVBIB -t biblatex custom.json
$CVBIB -t bibtex custom.json | $CVBIB -f bibtex -t csljson - | sed -n '/"custom"/,/^    }/p'
$CVBIB -t bibtex custom.json | $CVBIB -f bibtex -t plain --group-by none -
