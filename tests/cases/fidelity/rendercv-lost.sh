# RenderCV output reports what it cannot hold, once per field and file; every
# other variable of every item comes back when the output is read (issue 16).
# The inputs hold every kind of field the model has (bibmap.bib: series,
# numbers, languages, date ranges; cvmeta.bib: the CV metadata; mathout.bib).
$CVBIB -t csljson bibmap.bib cvmeta.bib mathout.bib >a.json 2>/dev/null
$CVBIB -t rendercv bibmap.bib cvmeta.bib mathout.bib >rcv.yaml 2>werr
sed 's/^[^ ]* //' werr
$CVBIB -f rendercv -t csljson rcv.yaml >b.json
python3 - <<'PY'
import json, re
a = json.load(open("a.json")); b = json.load(open("b.json"))
rep = set(re.sub(r" \(.*", "", l.split("not written: ", 1)[1].strip())
          for l in open("werr") if "not written: " in l)
# what RenderCV changes without losing it: the id a reader makes, the type
# the journal implies, the venue's variable, the CV metadata it carries as
# bold names, sections and notes in the journal
moved = {"id", "citation-key", "type", "event-title", "publisher", "custom", "status"}
# the writer groups the items by CV section: pair them by title (RenderCV
# changes no case, so case protection is not written)
plain = lambda t: re.sub(r"<[^>]*>", "", t or "")
byt = {plain(y.get("title")): y for y in b}
lost = 0
for x in a:
    y = byt.get(plain(x.get("title")), {})
    for k in x:
        if k not in y and k not in rep and k not in moved:
            print("unreported loss:", x.get("id"), k); lost += 1
print(len(a), "items written,", len(b), "read back,", lost, "unreported losses")
PY
rm -f a.json b.json rcv.yaml werr
