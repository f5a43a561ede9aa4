#!/usr/bin/env python3
"""tests/helper/realcv-markup.py CVBIB [DIR]: markup of the input left in the data.

Reads every Markdown and web-page CV of DIR (../shared/realcv/cvs) with
`CVBIB --format csl-json` and prints each string of the output (any field,
custom ones included; links and raw text aside) that still holds Markdown,
HTML or LaTeX markup: `**`, `__`, `](`, a backtick, a tag, an entity, a
backslash command, a brace, an emphasis star or underscore around a word.
The last line is "N fields with markup"; the exit status is 1 if N > 0.
"""
import json, os, re, subprocess, sys

MARKUP = re.compile(r"\*\*|__|\]\(|`|</?[a-zA-Z][a-zA-Z0-9]*[ >/]|&[a-zA-Z]+;|&#\d+;|\\[a-zA-Z]+|[{}]"
                    r"|(?<!\w)\*\w[^*]*\w\*(?!\w)|(?<!\w)_\w[^_]*\w_(?!\w)")
SKIP = ("URL", "DOI", "raw", "link", "pdf", "url", "code", "slides", "video", "website", "blog")


def strings(v, path):
    if isinstance(v, str):
        yield path, v
    elif isinstance(v, dict):
        for k, x in v.items():
            if k not in SKIP:
                yield from strings(x, path + "." + k)
    elif isinstance(v, list):
        for x in v:
            yield from strings(x, path)


def main():
    cvbib = sys.argv[1]
    d = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "../../../shared/realcv/cvs")
    bad = 0
    for f in sorted(os.listdir(d)):
        if not f.endswith((".md", ".html", ".htm")):
            continue
        r = subprocess.run([cvbib, "--format", "csl-json", os.path.join(d, f)], capture_output=True, timeout=120)
        try:
            items = json.loads(r.stdout.decode("utf-8") or "[]")
        except ValueError:
            print(f"{f}: no valid JSON (exit {r.returncode})")
            bad += 1
            continue
        for it in items:
            for path, s in strings(it, it.get("id", "?")):
                if not s.startswith(("http://", "https://")) and MARKUP.search(s):
                    print(f"{f}: {path}: {s[:100]!r}")
                    bad += 1
    print(f"{bad} fields with markup")
    sys.exit(1 if bad else 0)


main()
