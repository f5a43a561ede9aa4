# the highlighted owner never disappears behind "et al." (show, the
# default); all names; or as the style cuts the list
$CVBIB -t text --style ieee --highlight 'Haan, A.' owner-in-etal.json
$CVBIB -t text --style ieee --highlight 'Haan, A.' --owner-in-etal all owner-in-etal.json
$CVBIB -t text --style ieee --highlight 'Haan, A.' --owner-in-etal style owner-in-etal.json
$CVBIB -t latex --latex-preamble --highlight 'Haan, A.' owner-in-etal.json | grep bibnames
$CVBIB -t latex --latex-preamble --highlight 'Haan, A.' --owner-in-etal all owner-in-etal.json | grep bibnames
$CVBIB -t text --style ieee --highlight 'Haan, A.' --owner-in-etal some owner-in-etal.json
