# RenderCV output reports what it cannot hold, once per field and file; every
# other variable of every item comes back when the output is read (issue 16).
# The inputs hold every kind of field the model has (bibmap.bib: series,
# numbers, languages, date ranges; cvmeta.bib: the CV metadata; mathout.bib).
$CVBIB -t csljson bibmap.bib cvmeta.bib mathout.bib >a.json 2>/dev/null
$CVBIB -t rendercv bibmap.bib cvmeta.bib mathout.bib >rcv.yaml 2>werr
sed 's/^[^ ]* //' werr
$CVBIB -f rendercv -t csljson rcv.yaml >b.json
python3 ../../helper/rendercv_lost.py a.json b.json werr
rm -f a.json b.json rcv.yaml werr
