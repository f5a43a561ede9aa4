#!/bin/sh
# tests/suites/text-scale.sh - the free-text reader stays near-linear on big
# inputs (issue 20): an 8 MB Markdown line full of emphasis marks, 100,000
# HTML <li> entries, and 16,000 entries that share one id base (each must get
# its own id: past "z" the suffixes go on as -26, -27, ...); and one CSL-JSON
# entry of 200,000 authors (appending a name walked the list: 35 s).
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
pass=0; fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cvbib-scale.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
python3 - "$tmp" <<'PY'
import sys
d = sys.argv[1]
line = "- A Smith " + ("*ab* cd, " * 900000)
open(d + "/big.md", "w").write("# Publications\n\n" + line[:8000000] + "\n")
li = "".join("<li>J. Smith. A study of thing number %d. Journal of Things, 2020.</li>\n" % i for i in range(100000))
open(d + "/li.html", "w").write("<html><body><h2>Publications</h2><ul>\n" + li + "</ul></body></html>")
t = "".join("- J. Smith. A study of thing number %d. Journal of Things, 2020.\n" % i for i in range(16000))
open(d + "/ids.md", "w").write("# Publications\n\n" + t)
import json
json.dump([{"id": "a", "type": "book", "title": "T",
            "author": [{"family": "F%d" % i, "given": "G"} for i in range(200000)]}], open(d + "/authors.json", "w"))
PY
# run NAME SECONDS FILE N: cvbib reads FILE within SECONDS and gives N items, each with its own id
run() {
	name=$1; limit=$2; file=$3; want=$4
	start=$(date +%s.%N)
	./cvbib --format csl-json "$tmp/$file" >"$tmp/out.json" 2>/dev/null
	rc=$?
	end=$(date +%s.%N)
	res=$(python3 -c "
import json, sys
d = json.load(open(sys.argv[1])); ids = [x.get('id') for x in d]
t = float(sys.argv[3]) - float(sys.argv[2])
ok = t < float(sys.argv[4]) and (int(sys.argv[5]) < 0 or (len(d) == int(sys.argv[5]) and all(ids) and len(set(ids)) == len(ids)))
print(('ok' if ok else 'bad') + ' %.2fs, %d items, %d without id, %d distinct ids' % (t, len(d), sum(1 for i in ids if not i), len(set(ids))))
" "$tmp/out.json" "$start" "$end" "$limit" "$want" 2>&1)
	case $res in
	ok*) pass=$((pass + 1)); echo "PASS text-scale: $name ($res)" ;;
	*) fail=$((fail + 1)); echo "FAIL text-scale: $name (exit $rc; $res; limit ${limit}s)" ;;
	esac
}
run "8 MB Markdown line of emphasis" 20 big.md -1
run "100,000 <li> entries" 60 li.html 100000
run "16,000 entries with one id base" 20 ids.md 16000
run "one entry with 200,000 authors (CSL-JSON)" 20 authors.json 1
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
