#!/usr/bin/env python3
"""tests/helper/csl-pick.py - the independent styles of a CSL styles directory
that tests/suites/csl-compare.sh compares with citeproc-js, by a fixed rule.

    python3 tests/helper/csl-pick.py [--count N] [DIR]

DIR defaults to Debian's /usr/share/citation-style-language/styles.  The rule:
the independent styles (DIR/*.csl, not DIR/dependent/) sorted by file name;
first, for every <category field="..."> in alphabetical order, the first style
(by name) of that field not yet picked, so that every field is covered; then
the remaining places filled with styles at evenly spaced positions of the
sorted list (position k * n / rest, or the next one not yet picked).
Prints one path per line, in the order picked.
"""
import os
import re
import sys


def main(argv):
    count = 100
    d = "/usr/share/citation-style-language/styles"
    a = argv[1:]
    while a:
        o = a.pop(0)
        if o == "--count":
            count = int(a.pop(0))
        else:
            d = o
    names = sorted(f for f in os.listdir(d) if f.endswith(".csl"))
    fields = {}
    for f in names:
        with open(os.path.join(d, f), encoding="utf-8", errors="replace") as fh:
            head = fh.read(16384)
        for fld in re.findall(r'<category\s+field="([^"]+)"', head):
            fields.setdefault(fld, []).append(f)
    picked = []
    for fld in sorted(fields):
        for f in fields[fld]:
            if f not in picked:
                picked.append(f)
                break
    rest = count - len(picked)
    n = len(names)
    for k in range(max(rest, 0)):
        i = k * n // rest
        while names[i % n] in picked:
            i += 1
        picked.append(names[i % n])
    for f in picked[:count]:
        print(os.path.join(d, f))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
