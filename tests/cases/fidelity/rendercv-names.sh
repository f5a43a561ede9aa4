# RenderCV keeps authors as text.  cvbib writes them so that the reader gives
# back the same parts: a family name of several words and a name in one
# piece have their words held by no-break spaces (shown as spaces), a star
# of the name itself is markdown's \*, so that it is no marker; what cannot
# come back (an unknown suffix, a capitalised particle, a comma in a name in
# one piece) is reported.
$CVBIB -f csljson -t rendercv rendercv-names.json 2>err.txt | sed -n '/authors:/,/date:/p' | sed 's/\xc2\xa0/<nbsp>/g'
sed 's/^cvbib: //' err.txt | grep 'name parts'
$CVBIB -f csljson -t rendercv rendercv-names.json 2>/dev/null | $CVBIB -f rendercv -t csljson - |
	python3 -c 'import json, sys
for x in json.load(sys.stdin):
    for n in x["author"]:
        print(" | ".join("%s=%s" % kv for kv in sorted(n.items())))'
rm -f err.txt
