#!/usr/bin/env python3
"""bench/scale-gen.py - one input of N entries for one of cvbib's readers.

    python3 bench/scale-gen.py CVBIB READER N OUT-PREFIX [SHAPE]

Writes OUT-PREFIX.EXT (the extension the reader is detected by) and prints its
path.  Entry k differs from every other (title, names, year, pages, DOI), so
no reader or writer merges two.  CSL-YAML, RenderCV, hayagriva and the
text, Markdown and HTML CVs are made by cvbib (their writer) from N CSL-JSON items of six types (SCALE_RICH=1: the varied
items of tests/helper/gen-items.py, slower to make); the others from a
template per record.  SHAPE (default "entries") makes other inputs that grow
with N: "names" (one entry with N authors), "field" (one entry with a title of
N words), "links" (a Markdown CV of one line with N links), "nesting" (a
BibTeX title nested N braces deep).

Used by bench/bench-scale.sh (make bench) and tests/suites/reader-scale.sh
(make check), which time each reader at several N.
"""
import json
import os
import subprocess
import sys

FAM = ["Smith", "Nakamura", "Okafor", "Larsen", "Rossi", "Kowalski", "Haddad",
       "Fernández", "Ivanova", "Chen", "Dubois", "Müller", "Singh", "O'Neill"]
GIV = ["Anna", "Bo", "Carlos", "Dana", "Élodie", "Femi", "Gustav", "Hana", "Ian",
       "Jun", "Kateřina", "Luis", "Mira", "Nils"]
WORDS = ["adaptive", "analysis", "networks", "robust", "model", "dynamic", "systems",
         "evidence", "learning", "inference", "spatial", "patterns", "temporal",
         "sparse", "observations", "theory", "methods", "graphs", "parsing"]
JOURNALS = ["Journal of Imaginary Results", "Annals of Things", "Review of Sets",
            "Letters in Parsing"]

# reader -> (extension, how: "cvbib:FORMAT" or "tpl")
READERS = {
    "bibtex": ("bib", "tpl"),
    "csljson": ("json", "cvbib:csljson"),
    "csl-yaml": ("yaml", "cvbib:csl-yaml"),
    "rendercv": ("yaml", "cvbib:rendercv"),
    "hayagriva": ("yml", "cvbib:hayagriva"),
    "ris": ("ris", "tpl"),
    "text": ("txt", "cvbib:plain"),
    "markdown": ("md", "cvbib:markdown"),
    "html": ("html", "cvbib:html"),
    "medline": ("nbib", "tpl"),
    "endnote": ("xml", "tpl"),
    "enw": ("enw", "tpl"),
    "orcid": ("json", "tpl"),
    "dblp": ("xml", "tpl"),
    "openalex": ("json", "tpl"),
    "scholar-csv": ("csv", "tpl"),
    "cff": ("cff", "tpl"),
    "jsonresume": ("json", "tpl"),
}


def title(k):
    w = [WORDS[(k * 7 + j * 3) % len(WORDS)] for j in range(5)]
    return "Study %d of %s %s in %s %s and %s" % (k, w[0], w[1], w[2], w[3], w[4])


def authors(k, n=3):
    return [(FAM[(k + j * 5) % len(FAM)], GIV[(k * 3 + j) % len(GIV)]) for j in range(n)]


def year(k):
    return 1980 + k % 44


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def csl_items(n):
    types = ["article-journal", "paper-conference", "chapter", "book", "report", "thesis"]
    out = []
    for k in range(n):
        t = types[k % len(types)]
        it = {"id": "s%d" % k, "type": t, "title": title(k),
              "author": [{"family": f, "given": g} for f, g in authors(k, 1 + k % 4)],
              "issued": {"date-parts": [[year(k), k % 12 + 1]]},
              "DOI": "10.5555/scale.%d" % k}
        if t in ("article-journal", "paper-conference", "chapter"):
            it["container-title"] = (JOURNALS[k % 4] if t == "article-journal" else
                                     "Proceedings of %s %d" % (WORDS[k % len(WORDS)], year(k)))
            it["volume"] = str(k % 90 + 1)
            it["page"] = "%d-%d" % (k % 500 + 1, k % 500 + 9)
        else:
            it["publisher"] = "Example Press"
        out.append(it)
    return out


def tpl(reader, n):
    out = []
    if reader == "bibtex":
        for k, it in enumerate(csl_items(n)):
            t = {"article-journal": "article", "paper-conference": "inproceedings",
                 "chapter": "incollection", "book": "book", "report": "techreport",
                 "thesis": "phdthesis"}[it["type"]]
            out.append("@%s{s%d,\n  author = {%s},\n  title = {%s},\n  year = %d,\n"
                       "  month = %s,\n  doi = {%s},\n" % (
                           t, k, " and ".join("%s, %s" % (a["family"], a["given"])
                                              for a in it["author"]),
                           it["title"], year(k), ["jan", "feb", "mar", "apr", "may", "jun",
                                                  "jul", "aug", "sep", "oct", "nov",
                                                  "dec"][k % 12], it["DOI"]))
            if "container-title" in it:
                out.append("  %s = {%s},\n  volume = {%s},\n  pages = {%s},\n" % (
                    "journal" if t == "article" else "booktitle", it["container-title"],
                    it["volume"], it["page"].replace("-", "--")))
            else:
                out.append("  %s = {Example Press},\n" % (
                    "institution" if t == "techreport" else "school" if t == "phdthesis"
                    else "publisher"))
            out.append("}\n\n")
        return "".join(out)
    if reader == "ris":
        for k, it in enumerate(csl_items(n)):
            out.append("TY  - %s\nTI  - %s\n" % ("JOUR" if it["type"] == "article-journal"
                                                   else "BOOK" if it["type"] == "book"
                                                   else "GEN", it["title"]))
            for a in it["author"]:
                out.append("AU  - %s, %s\n" % (a["family"], a["given"]))
            out.append("PY  - %d\nDO  - %s\n" % (year(k), it["DOI"]))
            if "container-title" in it:
                out.append("T2  - %s\nVL  - %s\nSP  - %d\nEP  - %d\n" % (
                    it["container-title"], it["volume"], k % 500 + 1, k % 500 + 9))
            out.append("ER  - \n\n")
        return "".join(out)
    if reader == "medline":
        for k in range(n):
            out.append("PMID- %d\nOWN - NLM\nTI  - %s.\n" % (10000000 + k, title(k)))
            for f, g in authors(k):
                out.append("FAU - %s, %s\nAU  - %s %s\n" % (f, g, f, g[0]))
            out.append("JT  - %s\nVI  - %d\nIP  - %d\nPG  - %d-%d\nDP  - %d Mar\n"
                       "LID - 10.5555/scale.%d [doi]\n\n" % (JOURNALS[k % 4], k % 90 + 1,
                                                            k % 12 + 1, k % 500 + 1, k % 500 + 9,
                                                            year(k), k))
        return "".join(out)
    if reader == "endnote":
        out.append('<?xml version="1.0" encoding="UTF-8"?>\n<xml><records>\n')
        for k in range(n):
            au = "".join("<author>%s, %s</author>" % (f, g) for f, g in authors(k))
            out.append('<record><ref-type name="Journal Article">17</ref-type>'
                       "<contributors><authors>%s</authors></contributors>"
                       "<titles><title>%s</title><secondary-title>%s</secondary-title></titles>"
                       "<pages>%d-%d</pages><volume>%d</volume><dates><year>%d</year></dates>"
                       "<electronic-resource-num>10.5555/scale.%d</electronic-resource-num>"
                       "</record>\n" % (au, esc(title(k)), JOURNALS[k % 4], k % 500 + 1,
                                        k % 500 + 9, k % 90 + 1, year(k), k))
        out.append("</records></xml>\n")
        return "".join(out)
    if reader == "enw":
        for k in range(n):
            out.append("%%0 Journal Article\n%%T %s\n" % title(k))
            for f, g in authors(k):
                out.append("%%A %s, %s\n" % (f, g))
            out.append("%%J %s\n%%V %d\n%%P %d-%d\n%%D %d\n%%R 10.5555/scale.%d\n\n"
                       % (JOURNALS[k % 4], k % 90 + 1, k % 500 + 1, k % 500 + 9, year(k), k))
        return "".join(out)
    if reader == "orcid":
        groups = []
        for k in range(n):
            doi = "10.5555/scale.%d" % k
            eid = {"external-id": [{"external-id-type": "doi", "external-id-value": doi,
                                    "external-id-relationship": "self"}]}
            groups.append({"external-ids": eid, "work-summary": [{
                "put-code": 1000 + k, "source": {"source-name": {"value": "Crossref"}},
                "title": {"title": {"value": title(k)}}, "external-ids": eid,
                "type": "journal-article", "publication-date": {"year": {"value": str(year(k))}},
                "journal-title": {"value": JOURNALS[k % 4]}, "display-index": "0"}]})
        return json.dumps({"path": "/0000-0002-1825-0097/works", "group": groups}, indent=1)
    if reader == "dblp":
        out.append('<?xml version="1.0" encoding="US-ASCII"?>\n'
                   '<dblpperson name="Anna Smith" pid="12/3456" n="%d">\n' % n)
        for k in range(n):
            au = "".join("<author>%s %s</author>" % (g.encode("ascii", "xmlcharrefreplace")
                                                    .decode(), f.encode("ascii", "xmlcharrefreplace")
                                                    .decode()) for f, g in authors(k))
            out.append('<r><article key="journals/x/S%d" mdate="2024-01-02">%s<title>%s.</title>'
                       "<pages>%d-%d</pages><year>%d</year><volume>%d</volume><journal>%s</journal>"
                       '<ee>https://doi.org/10.5555/scale.%d</ee></article></r>\n'
                       % (k, au, esc(title(k)), k % 500 + 1, k % 500 + 9, year(k), k % 90 + 1,
                          JOURNALS[k % 4], k))
        out.append("</dblpperson>\n")
        return "".join(out)
    if reader == "openalex":
        res = []
        for k in range(n):
            res.append({"id": "https://openalex.org/W%d" % k,
                        "doi": "https://doi.org/10.5555/scale.%d" % k,
                        "title": title(k), "publication_year": year(k), "type": "article",
                        "type_crossref": "journal-article",
                        "primary_location": {"source": {"display_name": JOURNALS[k % 4],
                                                        "type": "journal"}},
                        "authorships": [{"author_position": "middle",
                                         "author": {"display_name": "%s %s" % (g, f)}}
                                        for f, g in authors(k)],
                        "biblio": {"volume": str(k % 90 + 1), "first_page": str(k % 500 + 1),
                                   "last_page": str(k % 500 + 9)}})
        return json.dumps({"meta": {"count": n}, "results": res}, indent=1)
    if reader == "scholar-csv":
        out.append("Authors,Title,Publication,Volume,Number,Pages,Year,Publisher\n")
        for k in range(n):
            au = "; ".join("%s, %s" % (f, g) for f, g in authors(k))
            out.append('"%s",%s,%s,%d,%d,%d-%d,%d,Example Press\n'
                       % (au, title(k), JOURNALS[k % 4], k % 90 + 1, k % 12 + 1, k % 500 + 1,
                          k % 500 + 9, year(k)))
        return "".join(out)
    if reader == "cff":
        # one piece of software; what grows is its author list
        out.append("cff-version: 1.2.0\nmessage: Cite it as below.\ntitle: scale-test\n"
                   "type: software\nversion: 1.0.0\ndate-released: 2024-05-01\nauthors:\n")
        for k in range(n):
            f, g = authors(k, 1)[0]
            out.append("  - family-names: %s%d\n    given-names: %s\n" % (f, k, g))
        return "".join(out)
    if reader == "jsonresume":
        pubs = [{"name": title(k), "publisher": JOURNALS[k % 4],
                 "releaseDate": "%d-%02d-01" % (year(k), k % 12 + 1),
                 "url": "https://example.org/p/%d" % k} for k in range(n)]
        return json.dumps({"basics": {"name": "Anna Smith"}, "publications": pubs}, indent=1)
    raise SystemExit("scale-gen: no template for " + reader)


def shape(kind, n):
    """Inputs that grow inside one entry or line: (extension, text)."""
    if kind == "names":
        au = " and ".join("%s%d, %s" % (FAM[k % len(FAM)], k, GIV[k % len(GIV)])
                          for k in range(n))
        return "bib", "@article{big,\n  author = {%s},\n  title = {T},\n  year = 2020\n}\n" % au
    if kind == "field":
        return "bib", "@article{big,\n  title = {%s},\n  year = 2020\n}\n" % " ".join(
            WORDS[k % len(WORDS)] for k in range(n))
    if kind == "nesting":
        return "bib", "@article{big,\n  title = {%s},\n  year = 2020\n}\n" % (
            "{" * n + "x" + "}" * n)
    if kind == "links":
        links = " ".join("[link %d](https://example.org/%d)" % (k, k) for k in range(n))
        return "md", ("# Publications\n\n- A. Smith. A study of links. Journal of Things, "
                      "2020. %s\n" % links)
    raise SystemExit("scale-gen: unknown shape " + kind)


def main(argv):
    if len(argv) < 5:
        raise SystemExit(__doc__)
    cvbib, reader, n, prefix = argv[1], argv[2], int(argv[3]), argv[4]
    kind = argv[5] if len(argv) > 5 else "entries"
    if kind != "entries":
        ext, text = shape(kind, n)
        path = "%s.%s" % (prefix, ext)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        print(path)
        return 0
    ext, how = READERS[reader]
    path = "%s.%s" % (prefix, ext)
    if how == "tpl":
        with open(path, "w", encoding="utf-8") as f:
            f.write(tpl(reader, n))
    else:
        if os.environ.get("SCALE_RICH"):
            # the varied items of the CSL benchmarks (slower to make)
            top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
            items = subprocess.run([sys.executable, os.path.join(top, "tests/helper/gen-items.py"),
                                    str(n)], check=True, capture_output=True).stdout
        else:
            items = json.dumps(csl_items(n), ensure_ascii=False).encode("utf-8")
        fmt = how.split(":", 1)[1]
        with open(path, "wb") as f:
            if fmt == "csljson":
                f.write(items)
            else:
                subprocess.run([cvbib, "-q", "-f", "csljson", "-t", fmt, "-"], input=items,
                               stdout=f, check=True)
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
