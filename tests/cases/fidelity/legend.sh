# A free-text CV's own legend of its equal-contribution marker (a line of
# its own, or inside the entry it explains) ends its CV list as the CV wrote
# it, only the legend's words (not the whole entry), and goes through every
# data format with the first entry it explains (cv-legend), so that the CV
# list of X -> FORMAT is the CV list of X.
cv="-t plain --group-by none --sort none"
for f in legend-inline.md legend-line.md; do
	echo "== $f"
	$CVBIB $cv $f >direct.txt
	cat direct.txt
	for via in csljson csl-yaml bibtex biblatex; do
		$CVBIB -t $via $f | $CVBIB -f $via $cv - >via.txt
		if cmp -s direct.txt via.txt; then echo "same through $via"; else diff direct.txt via.txt; fi
	done
done
rm -f direct.txt via.txt
