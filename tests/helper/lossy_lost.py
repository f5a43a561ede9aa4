#!/usr/bin/env python3
"""lossy_lost.py WRITER A.json B.json WERR: what a round trip through a writer
whose format holds less than the model (ris, hayagriva) lost unreported.

A is the CSL-JSON of the model, B the CSL-JSON read back from cvbib's WRITER
output of it, WERR the writer's messages.  Items are paired by id (both
formats keep it: RIS's ID tag, hayagriva's entry key).  Every variable of an
item of A, and every member of its "custom", must come back with the same
value, unless the writer reported it ("not written: NAME", once per field and
file) or the format holds it in another form listed below.  Prints one line
per loss and a summary; exit 1 on a loss.
"""
import json
import re
import sys
import unicodedata

writer = sys.argv[1]
a = json.load(open(sys.argv[2]))
try:
    b = json.load(open(sys.argv[3]))
except ValueError:
    b = []
rep = set()
renamed = {}     # a duplicate key the writer renamed (and said so): new -> old
for line in open(sys.argv[4], encoding="utf-8", errors="replace"):
    if "not written: " in line:
        rep.add(re.sub(r" \(.*", "", line.split("not written: ", 1)[1].strip()))
    m = re.search(r"'(.*)' is the key of another entry; written as '(.*)'", line)
    if m:
        renamed[m.group(2)] = m.group(1)

# what the format keeps in another form: the citation key is the id
moved = {"citation-key"}
# markup that is not written (RIS is plain text; hayagriva reports its loss
# of formatting once): strings compare as their text
plain_text = writer == "ris" or any(r.startswith("formatting") for r in rep)


def arxiv_of(y):
    """The arXiv id an item holds another way (as the CV layer finds it)."""
    for v in (y.get("number"), y.get("archive_location"), y.get("URL")):
        m = re.search(r"(?:arXiv:|arxiv\.org/abs/|^)(\d{4}\.\d{4,5}(?:v\d+)?)", str(v or ""))
        if m:
            return m.group(1)
    return None


NOCASE = '<span class="nocase">'


def math_once(t):
    """A nocase span around math only is the math span itself."""
    return re.sub(re.escape(NOCASE * 2) + r'(\$[^<]*\$)</span></span>', NOCASE + r'\1</span>', t)


def page_norm(v):
    """A page range as one form: its dash however written ("12--20",
    "12 – 20"), an abbreviated end written out ("1204-22" is 1204-1222), a
    range of one page that page."""
    v = re.sub(r" *[-–]+ *", "-", v)
    m = re.fullmatch(r"(\d+)-(\d+)", v)
    if m and len(m.group(2)) < len(m.group(1)):
        end = m.group(1)[:len(m.group(1)) - len(m.group(2))] + m.group(2)
        if end > m.group(1):
            v = "%s-%s" % (m.group(1), end)
    m = re.fullmatch(r"(\d+)-(\d+)", v)
    return m.group(1) if m and m.group(1) == m.group(2) else v


def plain(t):
    t = re.sub(r"<[^>]*>", "", t)
    return unicodedata.normalize("NFC", t)


def norm(v, markup_lost):
    # a number and the same number as a string are one value (BibTeX, RIS and
    # YAML have no JSON numbers)
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        v = str(v)
    if isinstance(v, str):
        return plain(v) if markup_lost else unicodedata.normalize("NFC", math_once(v))
    if isinstance(v, list):
        return [norm(x, markup_lost) for x in v]
    if isinstance(v, dict):
        return {k: norm(x, markup_lost) for k, x in v.items()}
    return v


# items are paired by id; a key used twice is paired in order (the formats
# keep the order of the items)
byid = {}
for y in b:
    byid.setdefault(renamed.get(str(y.get("id")), str(y.get("id"))), []).append(y)
ids = [str(x.get("id")) for x in a]
twice = {i for i in ids if ids.count(i) > 1}
lost = 0
for n, x in enumerate(a):
    ys = byid.get(str(x.get("id")))
    y = ys.pop(0) if ys else None
    if y is None and str(x.get("id")) in twice and len(a) == len(b):
        # an id used twice reads back renamed (the reader's "a", "aa"):
        # the items keep their order
        y = b[n]
    if y is None:
        print("item lost:", x.get("id"))
        lost += 1
        continue
    for k in x:
        if k in rep or k in moved:
            continue
        if k == "id" and (renamed.get(str(y.get("id"))) == str(x["id"]) or str(x["id"]) in twice):
            continue
        if k == "custom":
            for m in x[k]:
                if m in rep:
                    continue
                if m == "arxiv" and arxiv_of(y) == x[k][m]:
                    continue
                if m not in y.get("custom", {}) or \
                        norm(x[k][m], False) != norm(y["custom"][m], False):
                    print("unreported loss:", x.get("id"), "custom." + m,
                          json.dumps(x[k][m], ensure_ascii=False)[:60], "->",
                          json.dumps(y.get("custom", {}).get(m), ensure_ascii=False)[:60])
                    lost += 1
            continue
        ml = plain_text or ("markup" in rep and k in ("title", "container-title"))
        xv, yv = norm(x[k], ml), norm(y.get(k), ml)
        if k == "page" and isinstance(xv, str) and isinstance(yv, str):
            xv, yv = page_norm(xv), page_norm(yv)
        if k == "keyword" and isinstance(xv, str) and isinstance(yv, str):
            # a list of keywords, whatever separates them
            xv, yv = [re.split(r" *[,;] *", v.strip()) for v in (xv, yv)]
        if k == "DOI" and isinstance(xv, str) and isinstance(yv, str):
            # the DOI itself, not the link it was written as
            xv, yv = [re.sub(r"^https?://(dx\.)?doi\.org/", "", v) for v in (xv, yv)]
        if k not in y or xv != yv:
            print("unreported loss:", x.get("id"), k,
                  json.dumps(x[k], ensure_ascii=False)[:70], "->",
                  json.dumps(y.get(k), ensure_ascii=False)[:70])
            lost += 1
print(len(a), "items written,", len(b), "read back,", lost, "unreported losses")
sys.exit(1 if lost else 0)
