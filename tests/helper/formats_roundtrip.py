#!/usr/bin/env python3
"""formats_roundtrip.py CVBIB SHARED - every reader of src/formats/ over the
real exported files: what it reads goes out as CSL-JSON, BibTeX and RIS and
comes back in; nothing the target can hold may be lost or changed.

  CSL-JSON: the whole item, byte for byte.
  BibTeX:   type family, title, names, year and month, container, volume,
            issue, pages, DOI, URL, publisher, ISBN, ISSN.
  RIS:      the same, and keywords and abstract.

One line per file and target; ends with "N passed, N failed"."""
import json, os, re, subprocess, sys, unicodedata

cvbib, shared = sys.argv[1], sys.argv[2]
FILES = {
    "ris": ["formats/ris/" + f for f in sorted(os.listdir(os.path.join(shared, "formats/ris")))
            if f.endswith(".ris")] + ["formats/google_scholar/gs_refman.ris"],
    "orcid": ["formats/orcid/" + f for f in sorted(os.listdir(os.path.join(shared, "formats/orcid")))
              if f.endswith(".json")] + ["cv-formats/orcid/works.json", "cv-formats/orcid/work-123456789.json"],
    "dblp": ["formats/dblp/dblpperson_dixu_2019.xml", "cv-formats/dblp/person-123-4567.xml"],
    "openalex": ["formats/openalex/" + f for f in sorted(os.listdir(os.path.join(shared, "formats/openalex")))],
    "scholar-csv": ["formats/google_scholar/gs_citations_mccomb.csv", "cv-formats/google-scholar/citations.csv"],
    "endnote-xml": ["formats/endnote_xml/" + f for f in sorted(os.listdir(os.path.join(shared, "formats/endnote_xml")))],
    "enw": ["formats/enw/" + f for f in sorted(os.listdir(os.path.join(shared, "formats/enw")))] +
           ["formats/google_scholar/" + f for f in sorted(os.listdir(os.path.join(shared, "formats/google_scholar")))
            if f.endswith(".enw")],
    "medline": ["formats/medline/" + f for f in sorted(os.listdir(os.path.join(shared, "formats/medline")))],
    "cff": ["formats/cff/" + f for f in sorted(os.listdir(os.path.join(shared, "formats/cff")))],
}
FIELDS = ["title", "container-title", "volume", "issue", "page", "DOI", "URL", "publisher", "ISBN", "ISSN"]
# CSL types that come back as another type of the same BibTeX entry type
FAMILY = {"article-journal": "article", "article-magazine": "article", "article-newspaper": "article",
          "book": "book", "chapter": "chapter", "paper-conference": "paper", "thesis": "thesis",
          "report": "report"}


def run(args, data=None):
    p = subprocess.run([cvbib, "-q"] + args, input=data, capture_output=True,
                       env=dict(os.environ, CVBIB_NO_NETWORK="1", XDG_CONFIG_HOME="/nonexistent"))
    return p.stdout


def nfc(v):
    if isinstance(v, str):
        return unicodedata.normalize("NFC", v)
    if isinstance(v, list):
        return [nfc(x) for x in v]
    if isinstance(v, tuple):
        return tuple(nfc(x) for x in v)
    return v


def plain(v):
    """RIS holds no markup"""
    return re.sub(" +", " ", re.sub(r"</?(i|b|sup|sub|span[^>]*)>", "", v)) if isinstance(v, str) else v


def names(it, var, ris=False):
    # RIS cannot tell a one-word name from an organisation's
    return [((n.get("family") or n.get("literal")), n.get("given"), None) if ris else
            (n.get("family"), n.get("given"), n.get("literal")) for n in it.get(var, [])]


def ym(it):
    dp = (it.get("issued") or {}).get("date-parts") or [[]]
    return tuple(dp[0][:2])


def compare(a, b, extra, ris):
    bad = []
    for k in FIELDS + extra:
        x, y = nfc(a.get(k)), nfc(b.get(k))
        if ris:
            x = plain(x)
        # known gap (issue 16): a preprint's arXiv number written to BibTeX
        # 'number' reads back as 'issue'
        if k == "issue" and x is None and isinstance(y, str) and y.startswith("arXiv:") and \
                b.get("type") in ("article", "article-journal", "manuscript", "preprint"):
            continue
        if x != y:
            bad.append("%s %r -> %r" % (k, x, y))
    for v in ("author", "editor"):
        if nfc(names(a, v, ris)) != nfc(names(b, v, ris)):
            bad.append("%s %r -> %r" % (v, names(a, v, ris), names(b, v, ris)))
    if ym(a) != ym(b):
        bad.append("issued %r -> %r" % (ym(a), ym(b)))
    # BibTeX cannot say "a journal article whose journal is unknown": an
    # @article without journal, DOI or eprint reads back as a manuscript
    unknown_journal = a.get("type") == "article-journal" and b.get("type") == "manuscript" and \
        not a.get("container-title") and not a.get("DOI")
    if FAMILY.get(a.get("type"), a.get("type")) != FAMILY.get(b.get("type"), b.get("type")) and \
            a.get("type") in FAMILY and not unknown_journal:
        bad.append("type %s -> %s" % (a.get("type"), b.get("type")))
    return bad


passed = failed = 0
for fmt, files in FILES.items():
    for rel in files:
        path = os.path.join(shared, rel)
        a_text = run(["-f", fmt, "-t", "csljson", path])
        try:
            a = json.loads(a_text or b"[]")
        except ValueError:
            print("FAIL %s: no CSL-JSON" % rel); failed += 1; continue
        # CSL-JSON: read back, the same text
        again = run(["-f", "csljson", "-t", "csljson"], a_text)
        if again == a_text:
            passed += 1; print("PASS %s csljson (%d items)" % (rel, len(a)))
        else:
            failed += 1; print("FAIL %s csljson: not the same after a round trip" % rel)
        for target, extra in (("bibtex", []), ("ris", ["keyword", "abstract"])):
            out = run(["-f", fmt, "-t", target, path])
            back = json.loads(run(["-f", target, "-t", "csljson"], out) or b"[]")
            problems = []
            if len(back) != len(a):
                problems.append("%d items -> %d" % (len(a), len(back)))
            for x, y in zip(a, back):
                for p in compare(x, y, extra, target == "ris"):
                    problems.append("%s: %s" % (x.get("id"), p))
            if problems:
                failed += 1
                print("FAIL %s %s: %s" % (rel, target, "; ".join(problems[:3])))
            else:
                passed += 1; print("PASS %s %s" % (rel, target))
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
