#!/usr/bin/env python3
"""The CV segmenter's training data (make train, make realcv).

  segment-data.py SEGDUMP OUT [--realcv DIR] [--exclude CV] [--synthetic N] [--seed S]
                  [--refs DEV.jsonl] [--workdir DIR]

Writes OUT in the trainer's format (seqtrain): one sequence per CV, each line of
the CV's document model (from `SEGDUMP dump FILE`, i.e. the library's own
features) labelled H (heading), S (first line of an entry), C (next line of an
entry), A (annotation under an entry), O (other).

Labels of a real CV come from aligning its gold `raw` entries (realcv/gold.jsonl)
to its lines: folded text (letters and digits, lower case, no accents) of the
entry is found in the folded text of the document, from a start anchor to an
end anchor.  --exclude leaves one CV out (leave-one-CV-out evaluation).

Synthetic CVs: references of ../shared/refparse/dev.jsonl from the anystyle and
grobid sets only (their licences allow shipping what is learned from them; the
parscit set is for evaluation only) embedded in varied CV layouts: Markdown
lists, numbered lists, HTML lists and cards, wrapped plain text as from a PDF,
year headings, and distracting sections (talks, teaching, awards, news,
experience) whose lines look like citations too.  Deterministic for a seed.
"""
import argparse, json, os, random, re, subprocess, sys, tempfile, unicodedata


def fold_chars(s):
    s = unicodedata.normalize("NFKD", s).replace("\u00ad", "")
    return "".join(c.lower() for c in s if c.isalnum() and not unicodedata.combining(c))


def dump(segdump, path):
    r = subprocess.run([segdump, "dump", path], capture_output=True)
    if r.returncode != 0:
        sys.exit("segment-data: segdump failed on %s: %s" % (path, r.stderr.decode(errors="replace")))
    out = r.stdout.decode("utf-8", errors="replace")
    meta, feats = out.split("\x1e\n", 1)
    meta = [l.split("\t") for l in meta.split("\n") if l]
    rows = [l for l in feats.split("\n") if l]
    assert len(meta) == len(rows), (path, len(meta), len(rows))
    # meta: lineno, indent, list, heading, text
    return meta, [r.split("\t", 1)[1] if "\t" in r else "" for r in rows]


def find_anchor(D, G, cursor, from_end):
    """Position in D of G's start (or end) found by an anchor of G, or None."""
    for size in (30, 20, 12):
        if len(G) < size:
            continue
        offs = range(0, min(len(G) - size, 60) + 1, 3)
        for k in offs:
            a = G[len(G) - size - k:len(G) - k] if from_end else G[k:k + size]
            for c in (cursor, 0):
                p = D.find(a, c)
                if p < 0:
                    continue
                if from_end:
                    return p + size + k
                # the skipped prefix (a list number, a marker) may be missing from D
                return p - k if p >= k and D[p - k:p] == G[:k] else p
    return None


def label_real(meta, golds):
    n = len(meta)
    lab = ["O"] * n
    D, owner = [], []
    for i, m in enumerate(meta):
        f = fold_chars(m[4])
        D.append(f)
        owner += [i] * len(f)
    D = "".join(D)
    cursor, missed = 0, 0
    spans = []
    for g in golds:
        G = fold_chars(g["raw"])
        if not G:
            continue
        s = find_anchor(D, G, cursor, False)
        if s is None:
            missed += 1
            continue
        e = find_anchor(D, G, s, True)
        if e is None or e <= s or e - s > 1.3 * len(G) + 20:
            e = min(s + len(G), len(D))
        first, last = owner[min(s, len(owner) - 1)], owner[min(e - 1, len(owner) - 1)]
        spans.append((first, last))
        cursor = e
    for first, last in spans:
        if lab[first] == "S":
            continue
        lab[first] = "S"	# a later entry's start wins over an earlier one's end
        for i in range(first + 1, last + 1):
            if meta[i][3] == "0" and lab[i] == "O":
                lab[i] = "C"
    for i, m in enumerate(meta):
        if m[3] != "0":
            lab[i] = "H"
    # annotations: lines right after an entry, nested deeper than its first line
    start_indent = None
    for i in range(n):
        if lab[i] == "S":
            start_indent = (int(meta[i][1]), int(meta[i][2]))
        elif lab[i] == "O" and start_indent is not None and i > 0 and lab[i - 1] in ("S", "C", "A"):
            ind, lst = int(meta[i][1]), int(meta[i][2])
            if ind > start_indent[0] + 1:
                lab[i] = "A"
            else:
                start_indent = None
        elif lab[i] in ("H", "O"):
            start_indent = None
    return lab, missed


# ---------------------------------------------------------------- synthetic

HEADINGS_PUB = ["Publications", "Selected Publications", "Journal Articles", "Peer-Reviewed Publications",
                "Refereed Journal Papers", "Conference Papers", "Conference Proceedings", "Preprints",
                "Papers", "Working Papers", "Book Chapters", "Articles", "Research", "Publications and Preprints",
                "Workshop Papers", "Refereed Conference Publications", "Manuscripts under Review",
                "Publicaciones", "Artículos en revistas", "Veröffentlichungen", "Zeitschriftenartikel",
                "Publications scientifiques", "Articles de revues", "论文", "发表论文", "Pubblicazioni",
                "Publicações", "Publicaties", "Публикации"]
HEADINGS_OTHER = ["Talks", "Invited Talks", "Presentations", "Teaching", "Teaching Experience", "Awards",
                  "Honors and Awards", "News", "Experience", "Work Experience", "Education", "Service",
                  "Professional Service", "Skills", "Grants", "Students", "Mentoring", "Contact",
                  "Projects", "Software", "Outreach", "Media", "Posters", "Conference Presentations",
                  "Docencia", "Experiencia", "Lehre", "Vorträge", "Enseignement", "Expérience", "教育背景",
                  "获奖", "Other", "Hobbies", "Links", "Miscellaneous"]
PLACES = ["Boston, MA", "Berlin, Germany", "Kyoto, Japan", "Madrid, Spain", "Toronto, Canada", "Paris, France"]
UNIS = ["University of Somewhere", "Institute of Technology", "State University", "National Laboratory"]
WORDS = ("model data learning analysis climate system network graph protein quantum theory method "
         "inference dynamics ocean language robust efficient neural study effects evidence").split()


FUNC = "the of and to in we a for that with on is this by are from our as".split()


def prose(r, n=None):
    out = []
    for _ in range(n or r.randint(1, 4)):
        w = [r.choice(WORDS + FUNC + FUNC) for _ in range(r.randint(8, 22))]
        out.append(" ".join(w).capitalize() + ".")
    return " ".join(out)


def bold_owner(r, raw):
    """Markdown bold around the first name-like chunk (the CV owner's name)."""
    m = re.match(r"^([^,;.]{3,30}[,;.])", raw)
    if m and r.random() < 0.5:
        return "**" + m.group(1)[:-1] + "**" + raw[len(m.group(1)) - 1:]
    return raw


def rand_title(r):
    return " ".join(r.choice(WORDS) for _ in range(r.randint(3, 8))).capitalize()


def distractor_lines(r, kind, refs=None):
    y = r.randint(1995, 2025)
    if refs and kind in ("Talks", "Invited Talks", "Presentations", "Conference Presentations", "Posters",
                         "Vorträge", "Conference Sessions and Papers", "Poster Sessions") and r.random() < 0.6:
        g = r.choice(refs)["gold"]
        t = g.get("title") or rand_title(r)
        return r.choice(['"%s," %s, %s %d-%d, %d, %s.', '%s. %s, %s %d-%d, %d, %s.']) % (
            t, r.choice(["Annual Meeting of the Society", "Invited talk, " + r.choice(UNIS),
                         "Poster at the International Conference", "Colloquium"]),
            r.choice(["June", "October", "March"]), r.randint(1, 14), r.randint(15, 28), y, r.choice(PLACES))
    if kind in ("Talks", "Invited Talks", "Presentations", "Conference Presentations", "Posters", "Vorträge"):
        return "%s. %s, %s, %s %d." % (rand_title(r), r.choice(["Invited talk", "Seminar", "Poster",
                                                               "Contributed talk"]), r.choice(UNIS),
                                      r.choice(PLACES), y)
    if kind.startswith(("Teaching", "Docencia", "Lehre", "Enseignement")):
        return "%s (%s), %s, %d-%d" % (rand_title(r), r.choice(["TA", "Instructor", "Lecturer"]),
                                       r.choice(UNIS), y, y + 1)
    if kind.startswith(("Awards", "Honors", "获奖")):
        return "%s, %s, %d" % (r.choice(["Best Paper Award", "Fellowship", "Outstanding Reviewer",
                                          "Dean's List", "Travel Grant"]), r.choice(UNIS), y)
    if r.random() < 0.3:
        return "%d%s %s, %s" % (y, r.choice([":", ".%02d:" % r.randint(1, 12), " -"]),
                                 r.choice(["Best Student Paper Award", "Invited Talk at", "Reviewer for",
                                           "Program Committee,", "Journal: TPAMI, TNNLS,",
                                           "Research Seminar at"]), r.choice(UNIS + PLACES))
    if kind in ("News",):
        return "%s %d: Our paper on %s was accepted at %s!" % (r.choice(["Jan", "May", "Oct"]), y,
                                                                rand_title(r).lower(), r.choice(["NeurIPS", "ICML", "CVPR"]))
    if kind.startswith(("Experience", "Work", "Experiencia", "Expérience", "Education", "教育")):
        return "%s, %s, %s, %d-%s" % (r.choice(["Postdoctoral Researcher", "PhD", "Research Intern",
                                                 "B.Sc. in Physics", "Software Engineer"]), r.choice(UNIS),
                                      r.choice(PLACES), y, r.choice(["present", str(y + 3)]))
    return "%s: %s" % (rand_title(r), r.choice(["https://github.com/x/y", "a side project", "since %d" % y]))


def wrap(text, width, r):
    out, cur = [], ""
    for w in text.split(" "):
        if cur and len(cur) + 1 + len(w) > width:
            out.append(cur)
            cur = w
        else:
            cur = w if not cur else cur + " " + w
    if cur:
        out.append(cur)
    return out


def synth_cv(r, refs, idx):
    """(file name, content, [(raw of each entry in order)])"""
    style = r.choice(["md", "md", "mdnum", "mdyear", "txt", "txtwrap", "txtcard", "html", "htmlcard"])
    nsec = r.randint(1, 3)
    sections = []
    pubs = r.sample(refs, r.randint(3, 14))
    pos = 0
    for k in range(nsec):
        take = pubs[pos:] if k == nsec - 1 else pubs[pos:pos + max(1, len(pubs) // nsec)]
        pos += len(take)
        sections.append(("pub", r.choice(HEADINGS_PUB), take))
    for _ in range(r.randint(0, 3)):
        h = r.choice(HEADINGS_OTHER)
        items = [distractor_lines(r, h, refs) for _ in range(r.randint(1, 5))]
        if r.random() < 0.3:
            # "Presentations" with sub-sections
            sections.insert(r.randint(0, len(sections)), ("other", h, []))
            h = r.choice(["Conference Sessions and Papers", "Poster Sessions", "Seminars", "Colloquia"])
            items = [distractor_lines(r, "Talks", refs) for _ in range(r.randint(1, 5))]
        sections.insert(r.randint(0, len(sections)), ("other", h, items))
    if r.random() < 0.1:
        sections = [s for s in sections if s[0] == "other"] or sections
    entries = []
    lines = []
    annot = r.random() < 0.3
    if style.startswith("md"):
        lines.append("# " + r.choice(["Curriculum Vitae", "CV", "Jane Doe", "About me"]))
        lines.append("")
        if r.random() < 0.5:
            lines += ["I am a researcher working on %s. %s" % (rand_title(r).lower(), prose(r)), ""]
        abstracts = r.random() < 0.25
        bold = r.random() < 0.5
        for kind, h, items in sections:
            lines.append(("###" if not items or kind == "pub" and len(sections) > 2 and r.random() < 0.3 else
                          "#" * r.choice([2, 2, 3])) + " " + h if items else "## " + h)
            lines.append("")
            if r.random() < 0.2:
                lines += [prose(r, 2), ""]
            if kind == "pub" and bold:
                items = [dict(it, raw=bold_owner(r, it["raw"])) for it in items]
            if kind == "pub" and style == "mdyear":
                years = sorted({it.get("year") or "2020" for it in items}, reverse=True)
                byy = {}
                for it in items:
                    byy.setdefault(it.get("year") or "2020", []).append(it)
                for y in years:
                    lines += ["### " + y, ""]
                    for n, it in enumerate(byy[y]):
                        lines.append("- " + it["raw"])
                        entries.append(it["raw"])
                    lines.append("")
                continue
            for n, it in enumerate(items):
                raw = it["raw"] if kind == "pub" else it
                mark = "%d. " % (n + 1) if style == "mdnum" else r.choice(["- ", "* "])
                if kind == "pub" and r.random() < 0.15:
                    a, b = raw[:len(raw) // 2].rsplit(" ", 1)[0], None
                    b = raw[len(a) + 1:]
                    lines += [mark + a, "  " + b]
                else:
                    lines.append(mark + raw)
                if kind == "pub":
                    entries.append(raw)
                    if abstracts:
                        if r.random() < 0.5:
                            lines += ["", "<details>", "  <summary>%s</summary>" % r.choice(["Abstract", "Summary", "Details"]),
                                      prose(r, r.randint(3, 6)), "</details>", ""]
                        else:
                            lines += ["", r.choice(["Abstract", "**Abstract:**"]), "", prose(r, r.randint(3, 6)), ""]
                    elif annot and r.random() < 0.5:
                        lines.append("    - " + r.choice(["Best Paper Award", "Oral presentation",
                                                          "Code: https://github.com/a/b",
                                                          "We study %s." % rand_title(r).lower()]))
            lines.append("")
        if r.random() < 0.3:
            lines += ["", "This page was generated on %d-01-02." % r.randint(2015, 2025)]
        return "syn%03d.md" % idx, "\n".join(lines) + "\n", entries
    if style == "txtcard":
        # PDF text of a two-column CV: a date in the margin, then the fields on lines of their own
        lines += [r.choice(["JANE DOE", "Curriculum Vitae"]), r.choice(UNIS), ""]
        order = r.choice([("A", "V", "T"), ("T", "A", "V"), ("A", "T", "V")])
        for kind, h, items in sections:
            lines += [h, ""]
            for it in items:
                if kind != "pub":
                    lines += ["%d" % r.randint(2000, 2024)] + wrap(it, r.randint(60, 90), r) + [""]
                    continue
                g = it["gold"]
                names = "; ".join(("%s, %s" % (a.get("family", ""), a.get("given", ""))).strip(", ")
                                  for a in g.get("author", []) if isinstance(a, dict) and a.get("family"))
                title = g.get("title", "")
                venue = ", ".join(x for x in [g.get("container-title", ""), "Volume %s" % g["volume"] if g.get("volume") else "",
                                              g.get("page", "")] if x)
                if not names or not title or not venue:
                    continue
                y = it.get("year") or "2020"
                date = r.choice([y, "%02d/%s" % (r.randint(1, 12), y[2:]), "%s %s" % (r.choice(["Jan", "Jun", "Oct"]), y)])
                parts = {"A": wrap(names, 75, r), "T": wrap(title, 75, r), "V": [venue]}
                block = [date] if r.random() < 0.8 else []
                for o in order:
                    block += parts[o]
                lines += block + [""]
                entries.append(" ".join(block))
            lines.append("")
        return "syn%03d.txt" % idx, "\n".join(lines) + "\n", entries
    if style.startswith("txt"):
        lines += [r.choice(["JANE DOE", "Curriculum Vitae"]), r.choice(UNIS), ""]
        for kind, h, items in sections:
            lines += [r.choice([h, h.upper()]), ""]
            for n, it in enumerate(items):
                raw = it["raw"] if kind == "pub" else it
                pre = r.choice(["", "%d. " % (n + 1), "[%d] " % (n + 1), "• "])
                text = pre + raw
                if style == "txtwrap":
                    w = wrap(text, r.randint(70, 100), r)
                    lines += [w[0]] + ["   " + x if pre else x for x in w[1:]]
                else:
                    lines.append(text)
                if kind == "pub":
                    entries.append(raw)
                if r.random() < 0.5 or style != "txtwrap":
                    lines.append("")
            lines.append("")
        if r.random() < 0.4:
            lines += ["Page %d of %d" % (1, 2)]
        return "syn%03d.txt" % idx, "\n".join(lines) + "\n", entries
    # html
    esc = lambda s: s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    body = ["<html><body>", "<nav><a href='/'>Home</a></nav>", "<h1>%s</h1>" % r.choice(["Jane Doe", "Publications"])]
    for kind, h, items in sections:
        body.append("<h2>%s</h2>" % esc(h))
        if style == "htmlcard" and kind == "pub":
            for it in items:
                g = it["gold"]
                names = ", ".join(((a.get("given", "") + " " + a.get("family", "")).strip() or a.get("literal", ""))
                                  for a in g.get("author", []) if isinstance(a, dict))
                title = g.get("title", "")
                rest = it["raw"]
                if not title or not names:
                    body.append("<p>%s</p>" % esc(rest))
                    entries.append(rest)
                    continue
                venue = " ".join(x for x in [g.get("container-title", ""), str(g.get("year", ""))] if x)
                body.append("<div class='pub'><p><b>%s</b></p><p>%s</p><p><i>%s</i></p></div>" % (esc(title), esc(names), esc(venue)))
                entries.append(" ".join([title, names, venue]))
            continue
        body.append("<ul>")
        for it in items:
            raw = it["raw"] if kind == "pub" else it
            body.append("<li>%s</li>" % esc(raw))
            if kind == "pub":
                entries.append(raw)
        body.append("</ul>")
    if r.random() < 0.4:
        body.append("<footer>© %d Jane Doe. Built with Jekyll.</footer>" % r.randint(2015, 2025))
    body.append("</body></html>")
    return "syn%03d.html" % idx, "\n".join(body) + "\n", entries


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("segdump")
    ap.add_argument("out")
    ap.add_argument("--realcv", default="../shared/realcv")
    ap.add_argument("--exclude", default="")
    ap.add_argument("--synthetic", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--refs", default="../shared/refparse/dev.jsonl")
    ap.add_argument("--workdir")
    ap.add_argument("--split", help="also write each real CV's sequence to SPLIT/CV.seq and the synthetic ones to SPLIT/synth.seq")
    a = ap.parse_args()
    seqs, report = [], []
    # real CVs
    gold = [json.loads(l) for l in open(os.path.join(a.realcv, "gold.jsonl"), encoding="utf-8")]
    rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(a.realcv, "SOURCES.tsv"), encoding="utf-8")][1:]
    files = sorted(os.listdir(os.path.join(a.realcv, "cvs")))
    by_cv = {}
    for g in gold:
        by_cv.setdefault(g["id"].rsplit("-", 1)[0], []).append(g)
    for row in rows:
        cid = row[0]
        if cid in a.exclude.split(","):
            continue
        golds = by_cv.get(cid, [])
        name = golds[0]["source"] if golds else [f for f in files if f.split(".")[0] == cid and not f.endswith(".pdf")][0]
        meta, feats = dump(a.segdump, os.path.join(a.realcv, "cvs", name))
        lab, missed = label_real(meta, golds)
        if missed:
            report.append("%s: %d of %d entries not aligned" % (cid, missed, len(golds)))
        seqs.append((lab, feats, cid))
    # synthetic CVs
    if a.synthetic:
        r = random.Random(a.seed)
        refs = [json.loads(l) for l in open(a.refs, encoding="utf-8")]
        refs = [x for x in refs if x["id"].startswith(("anystyle", "grobid"))]
        for x in refs:
            m = re.search(r"\b(19|20)\d\d\b", x["raw"])
            x["year"] = m.group(0) if m else None
        wd = a.workdir or tempfile.mkdtemp()
        os.makedirs(wd, exist_ok=True)
        for i in range(a.synthetic):
            name, text, entries = synth_cv(r, refs, i)
            p = os.path.join(wd, name)
            open(p, "w", encoding="utf-8").write(text)
            meta, feats = dump(a.segdump, p)
            lab, missed = label_real(meta, [{"raw": e} for e in entries])
            seqs.append((lab, feats, "synth"))

    def put(f, lab, feats):
        for l, ft in zip(lab, feats):
            f.write(l + "\t" + ft + "\n")
        f.write("\n")

    with open(a.out, "w", encoding="utf-8") as f:
        for lab, feats, _ in seqs:
            put(f, lab, feats)
    if a.split:
        os.makedirs(a.split, exist_ok=True)
        files = {}
        for lab, feats, name in seqs:
            if name not in files:
                files[name] = open(os.path.join(a.split, name + ".seq"), "w", encoding="utf-8")
            put(files[name], lab, feats)
        for f in files.values():
            f.close()
    for l in report:
        print("segment-data: " + l, file=sys.stderr)


if __name__ == "__main__":
    main()
