#!/bin/sh
# bench/bench-yaml.sh - CSL-YAML reading and writing: cvbib against pandoc
# (pandoc reads a references block with '-f markdown -t csljson' and writes one
# with '-f csljson -t markdown -s').  The data: every INPUT item of the CSL
# test suite's humans fixtures, with fresh ids, repeated to N items.
top=$(cd "$(dirname "$0")/.." && pwd)
cvbib="$top/cvbib"
n=${BENCH_YAML_ITEMS:-20000}
dir="$top/../shared/csl-test-suite/processor-tests/humans"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cvbib-bench-yaml.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
[ -x "$cvbib" ] || { echo "build cvbib first"; exit 1; }
command -v python3 >/dev/null || { echo "python3 is needed to build the data"; exit 0; }
python3 - "$dir" "$n" >"$tmp/in.json" <<'PY'
import json, os, re, sys
d, n = sys.argv[1], int(sys.argv[2])
items = []
for f in sorted(os.listdir(d)):
    if not f.endswith('.txt'):
        continue
    m = re.search(r'>>=+ *INPUT *=+>>(.*?)<<=+ *INPUT *=+<<', open(os.path.join(d, f), encoding='utf-8').read(), re.S)
    try:
        v = json.loads(m.group(1)) if m else []
    except ValueError:
        continue
    items += [x for x in (v if isinstance(v, list) else [v]) if isinstance(x, dict)]
out = [dict(items[i % len(items)], id='it%d' % i) for i in range(n)]
json.dump(out, sys.stdout, indent=1)
PY
"$cvbib" -q -t csl-yaml "$tmp/in.json" >"$tmp/in.yaml" 2>/dev/null
# time and peak memory of one command, as "seconds kilobytes"
measure() {
	/usr/bin/time -f '%e %M' -o "$tmp/t" "$@" >/dev/null 2>&1
	cat "$tmp/t"
}
row() {
	label=$1; shift; c=$(measure "$@")
	printf '%s\n' "$label $c"
}
echo "CSL-YAML, $n items ($(wc -c <"$tmp/in.yaml") bytes)"
printf '%-34s %10s %10s %10s %10s %8s\n' task "cvbib s" "pandoc s" "cvbib MB" "pandoc MB" "speedup"
for task in read write; do
	if [ $task = read ]; then
		c=$(measure "$cvbib" -q -f csl-yaml -t csljson "$tmp/in.yaml")
		cp "$tmp/in.yaml" "$tmp/in.md"
		if command -v pandoc >/dev/null; then p=$(measure pandoc -f markdown -t csljson "$tmp/in.md"); else p="- -"; fi
		label="read CSL-YAML, write CSL-JSON"
	else
		c=$(measure "$cvbib" -q -f csljson -t csl-yaml "$tmp/in.json")
		if command -v pandoc >/dev/null; then p=$(measure pandoc -f csljson -t markdown -s "$tmp/in.json"); else p="- -"; fi
		label="read CSL-JSON, write CSL-YAML"
	fi
	set -- $c $p
	awk -v l="$label" -v cs="$1" -v cm="$2" -v ps="$3" -v pm="$4" 'BEGIN {
		r = (ps == "-" || cs == 0) ? "-" : sprintf("%.1fx", ps / (cs > 0 ? cs : 0.01));
		printf "%-34s %10s %10s %10.1f %10s %8s\n", l, cs, ps, cm / 1024, (pm == "-" ? "-" : sprintf("%.1f", pm / 1024)), r }'
done
