# The CV metadata of the model (selected, award, status, presentation,
# addendum, equal-contribution, highlight, "and others") survives CSL-JSON,
# CSL-YAML and biblatex: X -> FORMAT -> CV list is X -> CV list.
cv="-t plain --group-by none --sort newest"
$CVBIB $cv cvmeta.bib >direct.txt
cat direct.txt
for via in csljson csl-yaml biblatex bibtex; do
	$CVBIB -t $via cvmeta.bib | $CVBIB -f $via $cv - >via.txt
	if cmp -s direct.txt via.txt; then echo "same through $via"; else echo "DIFFERENT through $via"; diff direct.txt via.txt; fi
done
# what CSL-JSON holds of it
$CVBIB -t csljson cvmeta.bib | sed -n '/"custom"/,/^    }/p'
rm -f direct.txt via.txt
# real CVs and CV data: the same list after CSL-JSON and CSL-YAML
for f in ../../../../shared/realcv/cvs/md*.md ../../../../shared/cv-formats/rendercv.yaml \
    ../../../../shared/cv-formats/jsonresume.json ../../../../shared/cv-formats/biblatex-cv.bib; do
	$CVBIB -t plain "$f" 2>/dev/null >direct.txt
	for via in csljson csl-yaml; do
		$CVBIB -t $via "$f" 2>/dev/null | $CVBIB -f $via -t plain --group-by none --sort none - 2>/dev/null >via.txt
		$CVBIB -t plain --group-by none --sort none "$f" 2>/dev/null >direct.txt
		if cmp -s direct.txt via.txt; then echo "same through $via: ${f##*/}"; else echo "DIFFERENT through $via: ${f##*/}"; fi
	done
done
rm -f direct.txt via.txt
