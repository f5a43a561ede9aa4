#!/usr/bin/env python3
"""rendercv_lost.py A.json B.json WERR: what a RenderCV round trip lost unreported.

A is the CSL-JSON of the model, B the CSL-JSON read back from cvbib's RenderCV
output of it, WERR the writer's messages.  Items are paired by their title as
plain text, in order (RenderCV changes no case, so case protection is not
written, and the writer groups items by CV section).  Every variable of an item of A must
be in its item of B, unless the writer reported it ("not written: FIELD") or
RenderCV holds it another way: the id a reader makes, the type the journal
implies, the venue's variable, the CV metadata it carries as bold names,
sections and notes in the journal.  The family names of the authors must be
the same, unless the writer reported that their parts do not come back.  Prints one line per loss and a summary; exit 1 on a loss.
"""
import json
import re
import sys

a = json.load(open(sys.argv[1]))
b = json.load(open(sys.argv[2]))
rep = set()
for line in open(sys.argv[3], encoding="utf-8", errors="replace"):
    if "not written: " in line:
        rep.add(re.sub(r" \(.*", "", line.split("not written: ", 1)[1].strip()))
moved = {"id", "citation-key", "type", "event-title", "publisher", "custom", "status"}


def plain(t):
    return re.sub(r"<[^>]*>", "", t or "")


def families(x):
    return [n.get("family", n.get("literal")) for n in x.get("author", [])]


# items of one title keep their order (the writer keeps it within a section)
byt = {}
for y in b:
    byt.setdefault(plain(y.get("title")), []).append(y)
lost = 0
for x in a:
    ys = byt.get(plain(x.get("title")))
    y = ys.pop(0) if ys else None
    if y is None:
        print("item lost:", x.get("id"), repr(plain(x.get("title")))[:80])
        lost += 1
        continue
    for k in x:
        if k not in y and k not in rep and k not in moved:
            print("unreported loss:", x.get("id"), k)
            lost += 1
    if "author" not in rep and "author name parts" not in rep and families(x) != families(y):
        print("authors changed:", x.get("id"), families(x), families(y))
        lost += 1
print(len(a), "items written,", len(b), "read back,", lost, "unreported losses")
sys.exit(1 if lost else 0)
