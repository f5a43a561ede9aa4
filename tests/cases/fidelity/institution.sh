# CSL-JSON isInstitution with an empty given name: an organisation in every
# output, and still one after a round trip through CSL-YAML and BibTeX
$CVBIB -t csljson institution.json
$CVBIB -t csl-yaml institution.json | $CVBIB -f csl-yaml -t csljson - | grep -A2 '"author"'
$CVBIB -t biblatex institution.json | $CVBIB -f biblatex -t csljson - | grep -A2 '"author"'
