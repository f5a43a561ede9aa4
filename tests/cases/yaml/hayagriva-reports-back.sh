# hayagriva-reports.bib through hayagriva and back: both entries of key "a"
# (the second as "a-2"), the titles with their math as math.
$CVBIB -t hayagriva hayagriva-reports.bib 2>/dev/null | $CVBIB -f hayagriva -t csljson - |
	grep '"id"\|"title"'
