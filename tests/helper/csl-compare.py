#!/usr/bin/env python3
"""tests/helper/csl-compare.py - cvbib's CSL engine against citeproc-js.

Also runs our own styles (styles/*.csl, with our locale data/) as "cvbib:NAME";
those are reported but not counted against the floor.

    python3 tests/helper/csl-compare.py [--items FILE] [--styles DIR]
        [--floor FILE] [--doc FILE] [--format text|html] [STYLE.csl ...]

For every style (default: every .csl in ../shared/csl-styles) the items
(default: tests/data/items-varied.json) are formatted as a bibliography by
citeproc-js (tests/helper/citeproc-run.js) and by cvbib's engine
(build/helper/csl-format, the public API), both with the official locales in
../shared/csl-locales (CVBIB_LOCALES_DIR), and compared entry by entry after
collapsing white space.  An entry counts as equal when cvbib printed exactly
the same entry (each cvbib entry matches once); the order is checked too.

Prints PASS/FAIL lines and "N passed, N failed":
  PASS citeproc-js STYLE     the reference ran and printed every item
  INFO cvbib STYLE: E/N equal (details)
  PASS/FAIL equal text/HTML/citations E >= floor F   (--floor: "TEXT HTML CITATIONS")
Citations: one cluster per item, each citing that item alone, in the file's
order (citeproc-run.js --citations, csl-format -c), compared cluster by cluster.
With --doc FILE, writes the remaining differences as Markdown, one line per
entry with a reason: from tests/csl-compare.reasons ("STYLE ID reason" lines)
when the difference is explained there, otherwise a classification made here.
"""
import difflib
import json
import os
import re
import subprocess
import sys
import unicodedata

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHARED = os.path.join(TOP, "..", "shared")


def norm(s):
    return re.sub(r"\s+", " ", s).strip()


def norm_html(s):
    """An HTML entry without its csl-entry div, with no white space between tags."""
    s = norm(s)
    m = re.match(r'<div class="csl-entry"[^>]*>(.*)</div>$', s)
    if m:
        s = m.group(1).strip()
    s = re.sub(r"(<div[^>]*>)\s+", r"\1", s)
    s = re.sub(r"\s+(</div>)", r"\1", s)
    return re.sub(r"(</div>)\s+(<div)", r"\1\2", s)


def run(cmd, env=None, timeout=300):
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=timeout, env=env)
    except (OSError, subprocess.TimeoutExpired) as e:
        return 127, "", str(e)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def citeproc(style, items, fmt, locales):
    rc, out, err = run(["node", os.path.join(TOP, "tests", "helper", "citeproc-run.js"),
                        "--style", style, "--locales", locales,
                        "--format", fmt, "--json", items])
    if rc != 0:
        return None, err.strip().splitlines()[-1:] or ["exit %d" % rc]
    n = norm_html if fmt == "html" else norm
    return [(e["id"], n(e["entry"])) for e in json.loads(out)], None


def cite_lines(cmd, env=None):
    rc, out, err = run(cmd, env=env)
    if rc != 0:
        return None
    return [norm(l) for l in out.splitlines()]


def citations(style, items, locales):
    """(equal clusters, clusters): one cluster per item, compared in order."""
    ref = cite_lines(["node", os.path.join(TOP, "tests", "helper", "citeproc-run.js"), "--citations",
                      "--style", style, "--locales", locales, items])
    env = dict(os.environ)
    env["CVBIB_LOCALES_DIR"] = locales
    got = cite_lines([os.path.join(TOP, "build", "helper", "csl-format"), "-c", "-s", style, items], env=env)
    if ref is None:
        return 0, 0
    if got is None:
        return 0, len(ref)
    return sum(1 for a, b in zip(ref, got) if a == b), len(ref)


def html_entries(out):
    # one <div class="csl-entry">...</div> per entry
    return [norm_html(m) for m in re.findall(r'<div class="csl-entry"[^>]*>(.*?)</div>\s*(?=<div class="csl-entry"|</div>\s*$)',
                                        out, flags=re.S)]


def cvbib(style, items, fmt, locales):
    exe = os.path.join(TOP, "build", "helper", "csl-format")
    if not os.path.exists(exe):
        return None, "build/helper/csl-format is not built"
    env = dict(os.environ)
    env["CVBIB_LOCALES_DIR"] = locales
    rc, out, err = run([exe, "-s", style, "-f", fmt, items], env=env)
    if rc != 0:
        first = [l for l in err.splitlines() if l.strip()]
        return None, (first[0] if first else "exit %d" % rc)
    if fmt == "html":
        return html_entries(out), None
    return [norm(l) for l in out.splitlines() if l.strip()], None


def strip_punct(s):
    return "".join(c for c in s if not unicodedata.category(c).startswith("P") and not c.isspace())


def classify(ref, got):
    """A short reason for a difference, made from the two strings."""
    if got is None:
        return "missing from cvbib's output"
    m = re.match(r"(\[\d+\]|\(\d+\)|\d+\.)(?=\S)", got)
    if m and ref == got[:m.end()] + " " + got[m.end():]:
        return ("second-field-align: cvbib's text output joins the number and the entry with no "
                "space; citeproc-js puts one")
    if m:
        return "no space after the number (second-field-align) and: " + classify(ref, got[:m.end()] + " " + got[m.end():])
    if re.sub(r"\s", "", ref) == re.sub(r"\s", "", got):
        return "white space differs (a space dropped or added around affixes/delimiters)"
    if ref.lower() == got.lower():
        return "letter case differs (text-case)"
    if strip_punct(ref) == strip_punct(got):
        return "punctuation differs (affixes, delimiters or quotes)"
    sm = difflib.SequenceMatcher(None, ref, got)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag != "equal":
            a = ref[max(0, i1 - 12):i2 + 12]
            b = got[max(0, j1 - 12):j2 + 12]
            return "differs at: citeproc-js \u2018%s\u2019, cvbib \u2018%s\u2019" % (a, b)
    return "differs"


def compare(ref, got):
    """(equal count, in order?, [(id, ref, got-or-None)])"""
    pool = list(got)
    equal = 0
    rest = []
    for rid, r in ref:
        if r in pool:
            pool.remove(r)
            equal += 1
        else:
            rest.append((rid, r))
    diffs = []
    for rid, r in rest:
        best, score = None, 0.0
        for g in pool:
            sc = difflib.SequenceMatcher(None, r, g).quick_ratio()
            if sc > score:
                best, score = g, sc
        if best is not None and score > 0.5:
            pool.remove(best)
            diffs.append((rid, r, best))
        else:
            diffs.append((rid, r, None))
    # the order: each reference entry's counterpart (equal or paired) must
    # come in the same sequence in cvbib's output
    partner = {}
    for rid, r, g in diffs:
        partner[rid] = g
    positions = []
    used = set()
    for rid, r in ref:
        g = partner.get(rid, r)
        if g is None:
            continue
        for i, x in enumerate(got):
            if x == g and i not in used:
                used.add(i)
                positions.append(i)
                break
    in_order = positions == sorted(positions)
    return equal, in_order, diffs


def load_reasons(path):
    reasons = {}
    if os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split(None, 2)
            if len(parts) == 3:
                reasons[(parts[0], parts[1])] = parts[2]
    return reasons


def main(argv):
    items = os.path.join(TOP, "tests", "data", "items-varied.json")
    styles_dir = os.path.join(SHARED, "csl-styles")
    floor_file = os.path.join(TOP, "tests", "csl-compare.floor")
    doc = None
    fmt = "text"
    styles = []
    a = argv[1:]
    while a:
        o = a.pop(0)
        if o == "--items": items = a.pop(0)
        elif o == "--styles": styles_dir = a.pop(0)
        elif o == "--floor": floor_file = a.pop(0)
        elif o == "--doc": doc = a.pop(0)
        elif o == "--format": fmt = a.pop(0)
        elif o == "--debian": return main_debian(a, doc)
        else: styles.append(o)
    # (label, style file, locales directory): the official styles with the
    # official locales, then our own styles with our own locale
    runs = []
    if not styles:
        for f in sorted(os.listdir(styles_dir)):
            if f.endswith(".csl"):
                runs.append((f[:-4], os.path.join(styles_dir, f), os.path.join(SHARED, "csl-locales")))
        own = os.path.join(TOP, "styles")
        for f in sorted(os.listdir(own)):
            if f.endswith(".csl"):
                runs.append(("cvbib:" + f[:-4], os.path.join(own, f), os.path.join(TOP, "data")))
    else:
        runs = [(os.path.basename(f)[:-4], f, os.path.join(SHARED, "csl-locales")) for f in styles]
    floor = hfloor = cfloor = 0
    if os.path.exists(floor_file):
        nums = [int(x) for x in open(floor_file).read().split() if x.isdigit()]
        floor = nums[0] if nums else 0
        hfloor = nums[1] if len(nums) > 1 else 0
        cfloor = nums[2] if len(nums) > 2 else 0
    reasons = load_reasons(os.path.join(TOP, "tests", "csl-compare.reasons"))

    npass = nfail = 0
    total_equal = total_entries = own_equal = own_entries = total_html = 0
    total_cite = total_cites = 0
    report = []
    for name, st, locales in runs:
        ref, err = citeproc(st, items, fmt, locales)
        if ref is None:
            print("FAIL citeproc-js %s: %s" % (name, err))
            nfail += 1
            continue
        print("PASS citeproc-js %s (%d entries)" % (name, len(ref)))
        npass += 1
        if not name.startswith("cvbib:"):
            total_entries += len(ref)
        got, err = cvbib(st, items, fmt, locales)
        if got is None:
            print("INFO cvbib %s: 0/%d equal (%s)" % (name, len(ref), err))
            report.append((name, 0, len(ref), False, [(rid, r, None) for rid, r in ref], err, 0, 0, 0))
            continue
        equal, in_order, diffs = compare(ref, got)
        # the same in HTML: markup (italics, bold, escaping) must agree too
        href, _ = citeproc(st, items, "html", locales)
        hgot, _ = cvbib(st, items, "html", locales)
        hequal = compare(href, hgot)[0] if href and hgot else 0
        cequal, cn = citations(st, items, locales)
        if not name.startswith("cvbib:"):
            total_html += hequal
            total_cite += cequal
            total_cites += cn
        if not name.startswith("cvbib:"):
            total_equal += equal
        else:
            own_equal += equal
            own_entries += len(ref)
        extra = "" if len(got) == len(ref) else ", %d entries printed" % len(got)
        print("INFO cvbib %s: %d/%d equal as text, %d as HTML; citations %d/%d%s%s" % (
              name, equal, len(ref), hequal, cequal, cn, "" if in_order else ", order differs", extra))
        report.append((name, equal, len(ref), in_order, diffs, None, hequal, cequal, cn))

    print("INFO total (official styles): %d/%d entries equal to citeproc-js" % (total_equal, total_entries))
    print("INFO our own styles (not counted in the floor): %d/%d entries equal" % (own_equal, own_entries))
    print("INFO total as HTML (official styles): %d/%d" % (total_html, total_entries))
    print("INFO citations (official styles): %d/%d clusters equal" % (total_cite, total_cites))
    for what, got_n, fl in (("text", total_equal, floor), ("HTML", total_html, hfloor),
                            ("citations", total_cite, cfloor)):
        if got_n >= fl:
            print("PASS equal %s %d >= floor %d" % (what, got_n, fl))
            npass += 1
        else:
            print("FAIL equal %s %d < floor %d (tests/csl-compare.floor)" % (what, got_n, fl))
            nfail += 1

    if doc:
        write_doc(doc, report, reasons, total_equal, total_entries, items, fmt, own_equal, own_entries, total_html,
                  total_cite, total_cites)
    print("%d passed, %d failed" % (npass, nfail))
    return 1 if nfail else 0


def write_doc(path, report, reasons, total_equal, total_entries, items, fmt, own_equal, own_entries, total_html,
              total_cite, total_cites):
    rel_items = os.path.relpath(items, TOP)
    L = []
    L.append("# cvbib's CSL output against citeproc-js")
    L.append("")
    L.append("Generated by `sh tests/suites/csl-compare.sh --doc` (tests/helper/csl-compare.py); do not edit")
    L.append("by hand: explain a difference in `tests/csl-compare.reasons` and regenerate.")
    L.append("")
    L.append("Items: `%s`; output format: %s; reference: citeproc-js (npm `citeproc`).  The official" % (rel_items, fmt))
    L.append("styles (`../shared/csl-styles`) run with the official locales (`../shared/csl-locales`) in both")
    L.append("processors; our own styles (`styles/`, rows `cvbib:NAME`) with our locale (`data/`).  Entries are")
    L.append("compared after collapsing white space; each cvbib entry can match one reference entry.  The HTML column compares")
    L.append("the same entries as HTML (inside each `csl-entry` div), so markup and escaping count too.")
    L.append("")
    L.append("**Official styles: %d of %d entries equal** (as HTML: %d).  Our own styles: %d of %d." % (total_equal, total_entries, total_html, own_equal, own_entries))
    L.append("Citations (one cluster per item, each citing it alone, in the file's order): %d of %d equal." % (total_cite, total_cites))
    L.append("")
    L.append("| style | equal (text) | equal (HTML) | entries | order | citations equal |")
    L.append("|---|---:|---:|---:|---|---:|")
    for name, eq, n, in_order, diffs, err, heq, ceq, cn in report:
        L.append("| %s | %d | %d | %d | %s | %d/%d |" % (name, eq, heq, n, "same" if in_order else ("not formatted" if err else "differs"), ceq, cn))
    L.append("")
    L.append("The differences below are those of the text output.")
    L.append("")
    for name, eq, n, in_order, diffs, err, heq, ceq, cn in report:
        if not diffs:
            continue
        L.append("## %s" % name)
        L.append("")
        if err:
            L.append("Not formatted by cvbib: %s." % err)
            L.append("")
            continue
        for rid, r, g in diffs:
            auto = classify(r, g)
            known = reasons.get((name, rid)) or reasons.get((name, "*")) or reasons.get(("*", rid))
            why = "%s (detected: %s)" % (known, auto) if known else auto
            L.append("- `%s`: %s" % (rid, why))
            L.append("  - citeproc-js: %s" % r)
            L.append("  - cvbib: %s" % (g if g is not None else "(no matching entry)"))
        L.append("")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(L))


DEBIAN = "/usr/share/citation-style-language"


def main_debian(a, doc):
    """--debian [--count N] [--floor FILE] [--items FILE]: the styles picked
    by tests/helper/csl-pick.py from Debian's citation-style-language-styles,
    each in its default locale with Debian's locales in both processors,
    bibliography as text.  The floor is a percentage of equal entries
    (tests/csl-compare-debian.floor).  With --doc FILE, appends the
    differences to FILE."""
    from concurrent.futures import ThreadPoolExecutor
    count, items = 100, os.path.join(TOP, "tests", "data", "items-varied.json")
    floor_file = os.path.join(TOP, "tests", "csl-compare-debian.floor")
    while a:
        o = a.pop(0)
        if o == "--count": count = int(a.pop(0))
        elif o == "--floor": floor_file = a.pop(0)
        elif o == "--items": items = a.pop(0)
        elif o == "--doc": doc = a.pop(0)
    if not os.path.isdir(os.path.join(DEBIAN, "styles")) or not os.path.isdir(os.path.join(DEBIAN, "locales")):
        print("FAIL debian styles: %s is missing (Debian's citation-style-language-styles and -locales; sh tests/deps.sh)" % DEBIAN)
        print("0 passed, 1 failed")
        return 1
    rc, out, err = run([sys.executable, os.path.join(TOP, "tests", "helper", "csl-pick.py"), "--count", str(count),
                        os.path.join(DEBIAN, "styles")])
    styles = out.split()
    locales = os.path.join(DEBIAN, "locales")
    reasons = load_reasons(os.path.join(TOP, "tests", "csl-compare.reasons"))

    def one(st):
        ref, err = citeproc(st, items, "text", locales)
        if ref is None:
            if "no bibliography" in " ".join(err or []):
                # a style of notes without a bibliography: its citations
                return st, None, err, citations(st, items, locales)
            return st, None, err, None
        got, gerr = cvbib(st, items, "text", locales)
        return st, ref, gerr, got

    with ThreadPoolExecutor(max_workers=2) as ex:
        results = list(ex.map(one, styles))
    npass = nfail = 0
    total_equal = total = 0
    report = []
    for st, ref, err, got in results:
        name = os.path.basename(st)[:-4]
        if ref is None and got is not None:
            ceq, cn = got
            total += cn
            total_equal += ceq
            print("INFO cvbib %s: no bibliography; citations %d/%d equal" % (name, ceq, cn))
            report.append((name, ceq, cn, True, [], "citations compared (no bibliography)", 0, 0, 0))
            continue
        if ref is None:
            # citeproc-js cannot format it either: not counted
            print("INFO citeproc-js %s: not formatted (%s)" % (name, err))
            report.append((name, 0, 0, True, [], "citeproc-js fails on it: %s" % " ".join(err or []), 0, 0, 0))
            continue
        total += len(ref)
        if got is None:
            print("INFO cvbib %s: 0/%d equal (%s)" % (name, len(ref), err))
            report.append((name, 0, len(ref), False, [(rid, r, None) for rid, r in ref], err, 0, 0, 0))
            continue
        equal, in_order, diffs = compare(ref, got)
        total_equal += equal
        print("INFO cvbib %s: %d/%d equal%s" % (name, equal, len(ref), "" if in_order else ", order differs"))
        report.append((name, equal, len(ref), in_order, diffs, None, 0, 0, 0))
    floor = 0.0
    if os.path.exists(floor_file):
        nums = [float(x) for x in open(floor_file).read().split() if re.match(r"^[0-9.]+$", x)]
        floor = nums[0] if nums else 0.0
    pct = 100.0 * total_equal / total if total else 0.0
    print("INFO total (%d Debian styles): %d/%d entries equal to citeproc-js (%.2f%%)" % (len(styles), total_equal, total, pct))
    if pct >= floor:
        print("PASS equal entries %.2f%% >= floor %.2f%%" % (pct, floor))
        npass += 1
    else:
        print("FAIL equal entries %.2f%% < floor %.2f%% (tests/csl-compare-debian.floor)" % (pct, floor))
        nfail += 1
    if doc:
        write_debian_doc(doc, report, reasons, total_equal, total, len(styles), items)
    print("%d passed, %d failed" % (npass, nfail))
    return 1 if nfail else 0


def write_debian_doc(path, report, reasons, total_equal, total, nstyles, items):
    L = ["", "# Official styles from Debian's package, against citeproc-js", ""]
    L.append("Generated by `sh tests/suites/csl-compare.sh --doc` (`csl-compare.py --debian`).  The %d" % nstyles)
    L.append("independent styles that `tests/helper/csl-pick.py` picks from `%s/styles` (every" % DEBIAN)
    L.append("`<category field>` first, then evenly spaced names), each in its default locale, with Debian's")
    L.append("locales in both processors; items `%s`; bibliography as text." % os.path.relpath(items, TOP))
    L.append("")
    L.append("**%d of %d entries equal (%.2f%%).**" % (total_equal, total, 100.0 * total_equal / total if total else 0))
    L.append("")
    L.append("| style | equal | entries | order |")
    L.append("|---|---:|---:|---|")
    for name, eq, n, in_order, diffs, err, _, _, _ in report:
        note = err if err else ("same" if in_order else "differs")
        L.append("| %s | %d | %d | %s |" % (name, eq, n, note))
    L.append("")
    for name, eq, n, in_order, diffs, err, _, _, _ in report:
        if not diffs:
            continue
        L.append("## %s" % name)
        L.append("")
        if err and not diffs:
            continue
        if err:
            L.append("Not formatted by cvbib: %s." % err)
            L.append("")
            continue
        for rid, r, g in diffs:
            auto = classify(r, g)
            known = reasons.get((name, rid)) or reasons.get((name, "*")) or reasons.get(("*", rid))
            why = "%s (detected: %s)" % (known, auto) if known else auto
            L.append("- `%s`: %s" % (rid, why))
            L.append("  - citeproc-js: %s" % r)
            L.append("  - cvbib: %s" % (g if g is not None else "(no matching entry)"))
        L.append("")
    with open(path, "a", encoding="utf-8") as f:
        f.write("\n".join(L))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
