#!/usr/bin/env python3
"""enrich-case.py - one enrichment test case in one file, in the manner of
curl's tests/data/testNNN.  tests/suites/enrich.sh runs every
tests/cases/enrich-net/NAME.case against tests/server/fake-crossref.py.

A case file is made of sections, each a line "<name attr="value" ...>", its
lines, and a line "</name>":

  <info>                 what the case checks (free text)
  <reply path="/works/10.5555/x" [status="200"] [type="application/json"]>
                         the fake server's answer to that path (any query),
                         before its fixtures; several <reply> sections allowed
  <faults>               lines "PATH ACTIONS", armed before the run (actions
                         as in fake-crossref.py: 503,ok  badjson  hang5 ...)
  <file name="in.json">  a file written beside the command (its input)
  <command>              cvbib's arguments (one line, shell words); the server's
                         URLs come from the environment
  <verify>               holds the expectations:
    <requests>           every request "GET /path?query", sorted (optional)
    <stdout>             standard output
    <stderr>             standard error, 127.0.0.1:PORT for the server, then
                         "exit N"; sorted when the case has <faults> (retries
                         make the order in which entries finish vary)

  enrich-case.py split CASE DIR     write DIR/files/*, DIR/command, DIR/faults,
                                    DIR/replies (path status type bodyfile),
                                    DIR/expect.{requests,stdout,stderr}
  enrich-case.py requests LOG       the requests of a server log, sorted
  enrich-case.py update CASE DIR    rewrite the case's expectations from
                                    DIR/actual.{requests,stdout,stderr}
"""
import json
import os
import re
import shlex
import sys

OPEN = re.compile(r"^<([a-z]+)((?:\s+[a-z]+=\"[^\"]*\")*)\s*>$")
ATTR = re.compile(r"([a-z]+)=\"([^\"]*)\"")


def parse(path):
    """The sections of a case: a list of (name, attrs, lines, children)."""
    lines = open(path, encoding="utf-8").read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    out, stack = [], []
    for n, line in enumerate(lines, 1):
        m = OPEN.match(line)
        if m and (not stack or stack[-1][0] == "verify"):
            sec = (m.group(1), dict(ATTR.findall(m.group(2))), [], [])
            (stack[-1][3] if stack else out).append(sec)
            stack.append(sec)
        elif stack and line == "</%s>" % stack[-1][0]:
            stack.pop()
        elif stack:
            stack[-1][2].append(line)
        elif line.strip():
            sys.exit("%s:%d: text outside a section" % (path, n))
    if stack:
        sys.exit("%s: <%s> not closed" % (path, stack[-1][0]))
    return out


def text(lines):
    return "".join(l + "\n" for l in lines)


def split(case, d):
    os.makedirs(os.path.join(d, "files"), exist_ok=True)
    replies = []
    for i, (name, attrs, lines, kids) in enumerate(parse(case)):
        if name == "reply":
            body = os.path.join(d, "reply%d" % i)
            open(body, "w", encoding="utf-8").write(text(lines))
            replies.append("%s %s %s %s\n" % (attrs["path"], attrs.get("status", "200"),
                                            attrs.get("type", "application/json"), body))
        elif name == "file":
            open(os.path.join(d, "files", attrs["name"]), "w", encoding="utf-8").write(text(lines))
        elif name in ("faults", "command"):
            open(os.path.join(d, name), "w", encoding="utf-8").write(text(lines))
        elif name == "verify":
            for kname, _, klines, _ in kids:
                open(os.path.join(d, "expect." + kname), "w", encoding="utf-8").write(text(klines))
        elif name != "info":
            sys.exit("%s: unknown section <%s>" % (case, name))
    open(os.path.join(d, "replies"), "w").write("".join(replies))
    shlex.split(open(os.path.join(d, "command")).read())    # fails loudly when unbalanced


def requests(log):
    reqs = []
    for line in open(log, encoding="utf-8"):
        if line.strip():
            r = json.loads(line)
            reqs.append("%s %s" % (r["method"], r["path"]))
    return sorted(reqs)


def update(case, d):
    src = open(case, encoding="utf-8").read().split("\n")
    out, skip = [], None
    for line in src:
        m = OPEN.match(line)
        if skip:
            if line == "</%s>" % skip:
                out.append(line)
                skip = None
            continue
        out.append(line)
        if m and m.group(1) in ("requests", "stdout", "stderr"):
            skip = m.group(1)
            actual = os.path.join(d, "actual." + skip)
            out.extend(open(actual, encoding="utf-8").read().split("\n")[:-1])
    open(case, "w", encoding="utf-8").write("\n".join(out))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "split":
        split(sys.argv[2], sys.argv[3])
    elif cmd == "requests":
        sys.stdout.write("".join(r + "\n" for r in requests(sys.argv[2])))
    elif cmd == "update":
        update(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
