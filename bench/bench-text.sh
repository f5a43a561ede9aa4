#!/bin/sh
# bench/bench-text.sh - reference strings parsed per second, on one core, over
# the raw strings of ../shared/refparse/dev.jsonl (cvbib --from reflines).
# The competing parsers (GROBID, AnyStyle, ParsCit) are not installed on a
# fresh Debian machine; when 'anystyle' is on PATH it is measured too.
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
dev=../shared/refparse/dev.jsonl
[ -f "$dev" ] || { echo "bench-text: $dev not found"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cvbib-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
python3 -c "
import json,sys
with open(sys.argv[1]) as f, open(sys.argv[2],'w') as o:
    for l in f:
        r=json.loads(l); o.write(r['raw'].replace('\n',' ')+'\n')
" "$dev" "$tmp/raw.txt"
# repeat the set so that one run takes long enough to time
for i in 1 2 3 4 5 6 7 8 9 10; do cat "$tmp/raw.txt"; done >"$tmp/raw10.txt"
n=$(wc -l <"$tmp/raw10.txt")
# CPU time (user + system) of the child: "on one core", and fair on a busy machine
cputime() {
	python3 -c '
import resource, subprocess, sys
with open(sys.argv[1]) as i:
    subprocess.run(sys.argv[2:], stdin=i, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(u.ru_utime + u.ru_stime)' "$@"
}
t=$(cputime "$tmp/raw10.txt" ./cvbib --from reflines --format refpred)
rate=$(python3 -c "import sys; print('%.0f' % (int(sys.argv[1]) / float(sys.argv[2])))" "$n" "$t")
printf '%-28s %10s %14s %8s\n' tool strings strings/s ratio
printf '%-28s %10s %14s %8s\n' "cvbib (reflines->refpred)" "$n" "$rate" "1.00"
if command -v anystyle >/dev/null 2>&1; then
	head -2000 "$tmp/raw.txt" >"$tmp/raw2k.txt"
	at=$(cputime /dev/null anystyle parse "$tmp/raw2k.txt")
	arate=$(python3 -c "import sys; print('%.0f' % (2000 / float(sys.argv[1])))" "$at")
	printf '%-28s %10s %14s %8s\n' anystyle 2000 "$arate" \
	    "$(python3 -c "import sys; print('%.2f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$arate" "$rate")"
else
	printf '%-28s %10s %14s %8s\n' "anystyle (not installed)" - - -
fi
