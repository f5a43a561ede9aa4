#!/usr/bin/env python3
"""tests/helper/csl-fixture-new.py - write a fixture of tests/csl/ in the CSL
test-suite format, with citeproc-js's output as the expected RESULT.

    python3 tests/helper/csl-fixture-new.py NAME.txt STYLE.csl ITEMS.json

Bibliography mode; the RESULT is citeproc-js's HTML bibliography
(tests/helper/citeproc-run.js --format html, with the suite's locales).
Review the result before committing: it is what cvbib must print.
"""
import os
import subprocess
import sys

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def main(argv):
    out, style, items = argv[1:4]
    locales = os.path.join(TOP, "..", "shared", "csl-test-suite", "locales")
    res = subprocess.run(["node", os.path.join(TOP, "tests", "helper", "citeproc-run.js"), "--style", style,
                          "--locales", locales, "--format", "html", items], capture_output=True, text=True, check=True)
    csl = open(style, encoding="utf-8").read().strip()
    inp = open(items, encoding="utf-8").read().strip()
    with open(out, "w", encoding="utf-8") as f:
        f.write(">>===== MODE =====>>\nbibliography\n<<===== MODE =====<<\n\n")
        f.write(">>===== RESULT =====>>\n%s\n<<===== RESULT =====<<\n\n" % res.stdout.strip())
        f.write(">>===== CSL =====>>\n%s\n<<===== CSL =====<<\n\n" % csl)
        f.write(">>===== INPUT =====>>\n%s\n<<===== INPUT =====<<\n\n" % inp)
        f.write(">>===== VERSION =====>>\n1.0\n<<===== VERSION =====<<\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
