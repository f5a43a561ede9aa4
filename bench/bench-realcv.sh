#!/bin/sh
# bench/bench-realcv.sh - a whole CV of 40 publication entries (Markdown, with
# headings, talks and teaching around them; made from the anystyle references of
# ../shared/refparse/dev.jsonl) read into CSL-JSON, start-up included: the time
# of one run of cvbib, the median of 21, wall clock and CPU (user + system).
# Also the real CVs of ../shared/realcv, one run each, as a total.
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
dev=../shared/refparse/dev.jsonl
[ -f "$dev" ] || { echo "bench-realcv: $dev not found"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cvbib-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
python3 - "$dev" "$tmp/cv40.md" <<'PY'
import json, sys
refs = [json.loads(l)["raw"] for l in open(sys.argv[1]) if l.startswith('{"id": "anystyle')][:40]
out = ["# Jane Doe", "", "Researcher.", "", "## Publications", ""]
out += ["%d. %s" % (i + 1, r) for i, r in enumerate(refs)]
out += ["", "## Talks", "", "- Invited talk, Example University, 2021.", "", "## Teaching", "", "- Programming, Fall 2020"]
open(sys.argv[2], "w").write("\n".join(out) + "\n")
PY
python3 - "$tmp/cv40.md" <<'PY'
import resource, subprocess, sys, time
walls, cpus = [], []
for _ in range(21):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(["./cvbib", "--format", "csl-json", sys.argv[1]], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    walls.append(time.perf_counter() - t0)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpus.append(r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime)
n = p.stdout.count(b'"id"')
walls.sort(); cpus.sort()
print("%-34s %8s %8s" % ("", "wall ms", "CPU ms"))
print("%-34s %8.1f %8.1f" % ("40-entry Markdown CV (%d items)" % n, walls[10] * 1000, cpus[10] * 1000))
PY
if [ -d ../shared/realcv/cvs ]; then
	python3 - <<'PY'
import glob, resource, subprocess, time
fs = sorted(f for f in glob.glob("../shared/realcv/cvs/*") if not f.endswith(".pdf"))
pdfs = sorted(glob.glob("../shared/realcv/cvs/*.pdf"))
for label, files in (("25 real CVs (text, HTML, Markdown)", fs), ("8 real CVs as PDF files", pdfs)):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN); t0 = time.perf_counter()
    for f in files:
        subprocess.run(["./cvbib", "--format", "csl-json", f], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    w = time.perf_counter() - t0; r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    print("%-34s %8.1f %8.1f" % (label, w * 1000, (r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime) * 1000))
PY
fi
