# The marks read from the names of name-marks.bib come back the same through
# every data writer (BibTeX position fields, biblatex's author+an, CSL-JSON
# and CSL-YAML custom, RenderCV's marks after the name), and the CV list
# shows them as written with its legend.
$CVBIB -t csljson name-marks.bib | grep -v citation-key >a.json
for via in bibtex biblatex csljson csl-yaml; do
	$CVBIB -t $via name-marks.bib | $CVBIB -f $via -t csljson - | grep -v citation-key >b.json
	if cmp -s a.json b.json; then echo "same through $via"; else diff a.json b.json; fi
done
# RenderCV holds the names and their marks (not every other field)
$CVBIB -q -t rendercv name-marks.bib | $CVBIB -f rendercv -t csljson - >b.json
python3 -c 'import json, sys
def marks(f):
    return [(e.get("author"), {k: v for k, v in e.get("custom", {}).items()
             if k in ("equal-contribution", "corresponding-author")})
            for e in json.load(open(f))]
print("names and marks same through rendercv" if marks("a.json") == marks("b.json")
      else "rendercv: %s" % marks("b.json"))'
$CVBIB -t biblatex name-marks.bib | grep 'author'
$CVBIB -t plain --sort none --group-by none name-marks.bib
rm -f a.json b.json
