#!/bin/sh
# tests/suites/enrich.sh - DOI enrichment against the loopback fake server
# (tests/server/fake-crossref.py serving ../shared/crossref-fixtures).
#
# Checks the requests cvbib sends (headers, pacing, concurrency), that no entry
# is lost or corrupted in any fault case, the search acceptance bar, the merge
# rules, dry runs, in-place rewriting, the cache and the refusal of
# non-loopback addresses.  Also runs the data-driven cases in
# tests/cases/enrich-net/: one file NAME.case each (the server's replies, the
# faults, the input, the command, and the expected requests, output and
# diagnostics), in the manner of curl's tests/data/testNNN; the format is
# described in tests/server/enrich-case.py.
# Nothing here reaches the internet: CVBIB_NO_NETWORK=1 is always set, and
# every base URL points at the fake server.
top=$(cd "$(dirname "$0")/../.." && pwd)
cvbib="$top/cvbib"
fx="$top/../shared/crossref-fixtures"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cvbib-enrich.XXXXXX")
pass=0; fail=0
srvpid=""

cleanup() {
	[ -n "$srvpid" ] && kill "$srvpid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

ok() {	# ok NAME CONDITION-EXIT-STATUS
	if [ "$2" -eq 0 ]; then pass=$((pass + 1)); echo "PASS $1"
	else fail=$((fail + 1)); echo "FAIL $1"
		[ -s "$tmp/pyerr" ] && sed 's/^/    /' "$tmp/pyerr" | tail -4
		[ -f "$tmp/err" ] && sed 's/^/    /' "$tmp/err" | head -20; fi
	rm -f "$tmp/pyerr"
}

if ! command -v python3 >/dev/null 2>&1 || [ ! -d "$fx" ]; then
	echo "FAIL enrich: python3 or $fx missing"
	echo "0 passed, 1 failed"; exit 1
fi

# start_server [server options]: (re)start the fake server, set $port, $hole
start_server() {
	stop_server
	rm -f "$tmp/port"
	: >"$tmp/log"
	python3 "$top/tests/server/fake-crossref.py" --root "$fx" --extra "$top/tests/server/fixtures" \
		--port-file "$tmp/port" --log "$tmp/log" --idle 300 "$@" &
	srvpid=$!
	i=0
	while [ ! -s "$tmp/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	read -r port hole <"$tmp/port" || { echo "FAIL server did not start"; exit 1; }
	base="http://127.0.0.1:$port"
}
stop_server() {
	if [ -n "$srvpid" ]; then kill "$srvpid" 2>/dev/null; wait "$srvpid" 2>/dev/null; srvpid=""; fi
}
ctl() { python3 -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=10).read()" "$base/_control/$1"; }
fault() { ctl "fault?path=$1&actions=$2"; }
reset() { ctl reset; }

# cvb ARGS...: run cvbib against the fake server; stdout in $tmp/out,
# stderr in $tmp/err, exit status in $rc.  No contact warning noise unless asked.
cvb() {
	env CVBIB_NO_NETWORK=1 XDG_CACHE_HOME="$tmp/cache" XDG_CONFIG_HOME="$tmp/config" \
		CVBIB_CROSSREF_URL="$base" CVBIB_DATACITE_URL="$base" CVBIB_DOI_URL="$base" \
		CVBIB_BACKOFF=0.05 CVBIB_MAILTO="${MAILTO-test@example.org}" \
		timeout 60 "$cvbib" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}
# py EXPR-SCRIPT: run python with out = parsed stdout JSON, log = request records
py() {
	python3 - "$tmp/out" "$tmp/log" <<EOF
import json, sys
try:
    out = json.load(open(sys.argv[1]))
except Exception:
    out = None
log = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
reqs = [r for r in log if 'violation' not in r]
def item(i):
    x = dict([x for x in out if x['id'] == i][0])
    if x.get('type') == 'document':
        del x['type']       # what the CSL-JSON writer adds to untyped entries
    return x
$1
EOF
}

cat >"$tmp/basic.json" <<'EOF'
[
  {"id": "plos", "type": "article-journal", "DOI": "doi:10.1371/JOURNAL.PONE.0033693",
   "title": "My own {PLOS} title", "note": "my note", "custom": {"mine": "keep"}},
  {"id": "arxiv", "DOI": "https://doi.org/10.48550/arXiv.2311.16162"},
  {"id": "zenodo", "URL": "https://doi.org/10.5281/zenodo.48440"},
  {"id": "nodoi", "title": "Something with no DOI at all"},
  {"id": "mathml", "DOI": "10.1103/physrevc.91.057301"},
  {"id": "sub", "DOI": "10.1088/1361-648x/abd573"},
  {"id": "jats", "DOI": "10.1136/jclinpath-2020-206745"},
  {"id": "scp", "DOI": "10.1101/2020.12.01.406702"},
  {"id": "notfound", "DOI": "10.1371/notarealdoi", "title": "Untouched"},
  {"id": "alias", "note": "see doi: 10.26434/chemrxiv.5406907"},
  {"id": "jalc", "DOI": "10.18942/apg.201812"}
]
EOF

start_server

# ---- lookups by DOI
cvb --refresh "$tmp/basic.json"
ok "refresh: exit 0" $([ $rc -eq 0 ]; echo $?)
py '
assert len(out) == 11, len(out)
p = item("plos")
assert p["title"] == "My own {PLOS} title", p["title"]          # not overwritten
assert p["note"] == "my note"                                    # never touched
assert p["custom"] == {"mine": "keep"}, p.get("custom")          # unknown fields kept
assert p["volume"] == "7" and p["page"] == "e33693" and p["container-title"] == "PLoS ONE"
assert p["author"][0]["family"] == "Sadasivan"
assert p["DOI"] == "10.1371/journal.pone.0033693"                # normalised
assert item("nodoi") == {"id": "nodoi", "title": "Something with no DOI at all"}
assert item("notfound") == {"id": "notfound", "DOI": "10.1371/notarealdoi", "title": "Untouched"}
' 2>"$tmp/pyerr"; ok "refresh: existing DOI used, user fields kept, missing filled" $?
py '
paths = [r["path"] for r in reqs]
assert "/works/10.1371/JOURNAL.PONE.0033693" in paths, paths
assert any(p.startswith("/dois/10.48550/") for p in paths), paths
assert any(p.startswith("/dois/10.5281/zenodo.48440") for p in paths), paths
assert not any(p.startswith("/works/10.48550") or p.startswith("/works/10.5281") for p in paths), paths
a = item("arxiv"); z = item("zenodo")
assert a["type"] == "article" and a["publisher"] == "arXiv" and a["author"][0]["family"] == "Yin", a
assert z["DOI"] == "10.5281/zenodo.48440" and z["type"] == "software", z
' 2>"$tmp/pyerr"; ok "refresh: arXiv (10.48550) and Zenodo DOIs go to DataCite" $?
py '
import re
allowed = re.compile(r"</?(i|b|sup|sub)>|<span style=\"font-variant:small-caps;\">|<span class=\"nocase\">|</span>")
for k in ("mathml", "sub", "jats", "scp", "jalc"):
    t = item(k)["title"]
    rest = allowed.sub("", t)
    assert "<" not in rest and ">" not in rest and "&amp;" not in rest and "\n" not in rest, (k, t)
assert item("mathml")["title"].startswith("Persistence of collective behavior at high spin in the N=88 nucleus"), item("mathml")["title"]
assert "Co<sub>1+x</sub>Mn<sub>2" in item("sub")["title"], item("sub")["title"]
' 2>"$tmp/pyerr"; ok "refresh: no HTML, JATS or MathML left in titles" $?
py '
j = item("jalc")
assert j["container-title"] == "Acta phytotaxonomica et geobotanica", j
paths = [(r["path"], r["headers"].get("accept")) for r in reqs]
assert ("/ra/10.18942", "application/json") in paths, paths
assert ("/10.18942/apg.201812", "application/vnd.citationstyles.csl+json") in paths, paths
al = item("alias")
assert al["DOI"] == "10.26434/chemrxiv.5406907.v5" and al["note"] == "see doi: 10.26434/chemrxiv.5406907", al
' 2>"$tmp/pyerr"; ok "refresh: agency lookup, content negotiation, 301 alias keeps the returned DOI" $?
py '
for r in reqs:
    h = r["headers"]
    assert h["user-agent"].startswith("cvbib/") and "mailto:test@example.org" in h["user-agent"], h
    assert "gzip" in h.get("accept-encoding", ""), h
' 2>"$tmp/pyerr"; ok "requests: User-Agent with version and mailto, gzip accepted" $?
grep -q "warning: DOI not found: notfound: 10.1371/notarealdoi" "$tmp/err"; ok "refresh: not-found DOI reported" $?
grep -q "cvbib: enrich: 10 looked up" "$tmp/err" && ! grep -q "no contact" "$tmp/err"
ok "refresh: closing summary, no contact warning with a mailto" $?

reset
MAILTO= cvb --refresh --no-cache "$tmp/basic.json"
grep -q "no contact e-mail set" "$tmp/err"; ok "no mailto: warning" $?
py 'assert all("mailto" not in r["headers"]["user-agent"] for r in reqs)' 2>"$tmp/pyerr"
ok "no mailto: none sent" $?

# ---- -q: nothing but errors
reset
cvb --refresh -q --no-cache "$tmp/basic.json"
[ $rc -eq 0 ] && [ ! -s "$tmp/err" ]; ok "-q: no progress, notes or warnings" $?

# ---- the cache: a second run makes no request; --offline works from it
reset
cvb --refresh "$tmp/basic.json"
cp "$tmp/out" "$tmp/first.json"
py 'assert len(reqs) == 0, [r["path"] for r in reqs]' 2>"$tmp/pyerr"; ok "cache: warm run makes no request" $?
stop_server
cvb --refresh --offline "$tmp/basic.json"
cmp -s "$tmp/out" "$tmp/first.json"; ok "cache: --offline gives the same result without a server" $?
start_server
cvb --refresh --no-cache --cache-dir "$tmp/nocache" "$tmp/basic.json"
[ ! -e "$tmp/nocache" ] && py 'assert len(reqs) >= 11' 2>"$tmp/pyerr"; ok "cache: --no-cache neither reads nor writes" $?
printf 'this is not a database, just garbage\n%.0s' $(seq 1 200) >"$tmp/corrupt.sqlite"
mkdir -p "$tmp/cc" && cp "$tmp/corrupt.sqlite" "$tmp/cc/cache.sqlite"
cvb --refresh --cache-dir "$tmp/cc" "$tmp/basic.json"
[ $rc -eq 0 ] && grep -q "damaged" "$tmp/err" && cmp -s "$tmp/out" "$tmp/first.json" && [ -f "$tmp/cc/cache.sqlite.corrupt" ]
ok "cache: a corrupt file is moved aside and rebuilt" $?
reset
cvb --refresh --cache-dir "$tmp/cc" "$tmp/basic.json"
py 'assert len(reqs) == 0' 2>"$tmp/pyerr"; ok "cache: the rebuilt cache is used" $?
# not-found answers expire sooner (1 day) than found ones (30 days)
python3 - "$tmp/cache/cvbib/cache.sqlite" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE answers SET stored = stored - 2 * 86400")
db.commit()
PY
reset
cvb --refresh "$tmp/basic.json"
py '
paths = [r["path"] for r in reqs]
# the two 404s from /works; the agency answers (found) are still fresh
assert sorted(paths) == ["/works/10.1371/notarealdoi", "/works/10.18942/apg.201812"], paths
' 2>"$tmp/pyerr"; ok "cache: after two days only the not-found answers are asked again" $?
# the contact address from the config file
mkdir -p "$tmp/config/cvbib"
printf '# cvbib settings\nmailto = config@example.org\n' >"$tmp/config/cvbib/config"
reset
MAILTO= cvb --refresh --no-cache "$tmp/basic.json"
py 'assert all("mailto:config@example.org" in r["headers"]["user-agent"] for r in reqs), reqs[0]' 2>"$tmp/pyerr" &&
	! grep -q "no contact" "$tmp/err"
ok "config file: mailto is read from \$XDG_CONFIG_HOME/cvbib/config" $?
rm -f "$tmp/config/cvbib/config"
# several processes on one cache at once
reset
pids=""
for n in 1 2 3 4; do
	(env CVBIB_NO_NETWORK=1 CVBIB_CROSSREF_URL="$base" CVBIB_DATACITE_URL="$base" CVBIB_DOI_URL="$base" \
		CVBIB_MAILTO=t@example.org timeout 60 "$cvbib" --refresh --cache-dir "$tmp/shared" "$tmp/basic.json" \
		>"$tmp/par$n.out" 2>"$tmp/par$n.err"; echo $? >"$tmp/par$n.rc") &
	pids="$pids $!"
done
for p in $pids; do wait "$p"; done
okp=0
for n in 1 2 3 4; do
	[ "$(cat "$tmp/par$n.rc")" = 0 ] && cmp -s "$tmp/par$n.out" "$tmp/first.json" && ! grep -qi "locked\|cache:" "$tmp/par$n.err" || okp=1
done
ok "cache: four processes share one cache" $okp

# entries that share a DOI are looked up once
cat >"$tmp/dup.json" <<'EOF'
[{"id": "a", "DOI": "10.1038/srep16696"}, {"id": "b", "DOI": "doi:10.1038/SREP16696"},
 {"id": "c", "DOI": "10.1038/srep16696"}]
EOF
reset
cvb --refresh --cache-dir "$tmp/dupcache" "$tmp/dup.json"
py '
assert [r["path"] for r in reqs] == ["/works/10.1038/srep16696"], [r["path"] for r in reqs]
assert all(item(k)["container-title"] == "Scientific Reports" for k in "abc")
' 2>"$tmp/pyerr"; ok "duplicates: one request for entries sharing a DOI" $?

# ---- merging: --overwrite, --dry-run, --in-place
cat >"$tmp/ow.json" <<'EOF'
[{"id": "k", "type": "article-journal", "DOI": "10.1371/journal.pone.0033693", "title": "Mine",
  "page": "1-2", "note": "keep", "volume": "7"}]
EOF
cvb --refresh --overwrite=page "$tmp/ow.json"
py 'k = item("k"); assert k["page"] == "e33693" and k["title"] == "Mine" and k["note"] == "keep", k' 2>"$tmp/pyerr"
ok "--overwrite=page replaces only page" $?
grep -q "note: replaced: k: page = 'e33693', was '1-2' (Crossref)" "$tmp/err"; ok "--overwrite: the change is reported" $?
cvb --refresh --overwrite "$tmp/ow.json"
py 'k = item("k"); assert k["title"].startswith("Methylphenidate") and k["note"] == "keep" and k["id"] == "k", k' 2>"$tmp/pyerr"
ok "--overwrite replaces all known fields, never key or note" $?
cvb --refresh --overwrite=bogus "$tmp/ow.json"
[ $rc -eq 4 ] && grep -q "unknown field in --overwrite: 'bogus'" "$tmp/err"; ok "--overwrite with an unknown field: usage error" $?
cp "$tmp/ow.json" "$tmp/dry.json"
cvb --refresh --dry-run --in-place "$tmp/dry.json"
cmp -s "$tmp/ow.json" "$tmp/dry.json" && [ ! -e "$tmp/dry.json.bak" ] && grep -q '^--- k (' "$tmp/out" &&
	grep -q '^+container-title: PLoS ONE$' "$tmp/out" && ! grep -q '^+title' "$tmp/out"
ok "--dry-run: per-entry diff, nothing written" $?
cat >"$tmp/ip.json" <<'EOF'
[
  {"id": "a", "DOI": "10.1371/journal.pone.0033693", "custom": {"x-mine": "1"}, "note": "n"},
  {"id": "b", "title": "No DOI", "keyword": "k1"},
  {"id": "c", "DOI": "10.1371/notarealdoi", "page": "5"}
]
EOF
cp "$tmp/ip.json" "$tmp/ip.orig"
cvb --refresh --in-place "$tmp/ip.json"
[ $rc -eq 0 ] && [ ! -s "$tmp/out" ] && cmp -s "$tmp/ip.orig" "$tmp/ip.json.bak" && cp "$tmp/ip.json" "$tmp/out" && py '
assert [x["id"] for x in out] == ["a", "b", "c"]
a = item("a"); assert a["custom"] == {"x-mine": "1"} and a["note"] == "n" and a["volume"] == "7", a
assert item("b") == {"id": "b", "title": "No DOI", "keyword": "k1"}
assert item("c") == {"id": "c", "DOI": "10.1371/notarealdoi", "page": "5"}
' 2>"$tmp/pyerr"
ok "--in-place on CSL-JSON: rewritten with a backup, every entry and field kept" $?
printf 'references:\n  - id: a\n    DOI: 10.1371/journal.pone.0033693\n    note: mine\n  - id: b\n    title: No DOI\n' >"$tmp/ip.yaml"
cp "$tmp/ip.yaml" "$tmp/ip.yaml.orig"
cvb --refresh --in-place "$tmp/ip.yaml"
[ $rc -eq 0 ] && cmp -s "$tmp/ip.yaml.bak" "$tmp/ip.yaml.orig" && grep -q "container-title: PLoS ONE" "$tmp/ip.yaml" &&
	grep -q "note: mine" "$tmp/ip.yaml" && grep -q "id: b" "$tmp/ip.yaml"
ok "--in-place on CSL-YAML: rewritten with a backup" $?
printf '[{"id": "a", "DOI": "10.1371/journal.pone.0033693"}, 42]\n' >"$tmp/ipbad.json"
cp "$tmp/ipbad.json" "$tmp/ipbad.orig"
cvb --refresh --in-place "$tmp/ipbad.json"
[ $rc -eq 1 ] && cmp -s "$tmp/ipbad.json" "$tmp/ipbad.orig" && [ ! -e "$tmp/ipbad.json.bak" ] && grep -q "not rewritten in place" "$tmp/err"
ok "--in-place: a file with an unreadable entry is not rewritten" $?
cvb --refresh --in-place "$tmp/ip.json" "$tmp/ow.json"
[ $rc -eq 4 ]; ok "--in-place wants one file" $?
# issue 20, finding 13: what an in-place rewrite keeps
printf '[{"id": "z", "DOI": "10.1371/notarealdoi", "title":   "Spacing  kept"}]\n' >"$tmp/nochange.json"
cp "$tmp/nochange.json" "$tmp/nochange.orig"
cvb --refresh --in-place "$tmp/nochange.json"
cmp -s "$tmp/nochange.json" "$tmp/nochange.orig" && [ ! -e "$tmp/nochange.json.bak" ] &&
	grep -q "nochange.json: not rewritten: no entry changed" "$tmp/err"
ok "--in-place: when no lookup changes an entry, the file stays byte for byte" $?
cp "$tmp/ip.orig" "$tmp/target.json"
ln -sf target.json "$tmp/link.json"
cvb --refresh --in-place "$tmp/link.json"
[ $rc -eq 0 ] && [ -L "$tmp/link.json" ] && grep -q "PLoS ONE" "$tmp/target.json" &&
	cmp -s "$tmp/target.json.bak" "$tmp/ip.orig" && [ ! -e "$tmp/link.json.bak" ]
ok "--in-place through a symbolic link: the target is rewritten, the link kept" $?
cp "$tmp/ip.orig" "$tmp/gen.json"
cvb --refresh --in-place "$tmp/gen.json"
cp "$tmp/ip.orig" "$tmp/gen.json"
cvb --refresh --in-place "$tmp/gen.json"
cmp -s "$tmp/gen.json.bak" "$tmp/ip.orig" && cmp -s "$tmp/gen.json.bak.1" "$tmp/ip.orig"
ok "--in-place: a second run keeps the first backup and adds .bak.1" $?
cp "$tmp/ip.orig" "$tmp/mode.json"
chmod 640 "$tmp/mode.json"
cvb --refresh --in-place "$tmp/mode.json"
[ "$(stat -c %a "$tmp/mode.json")" = 640 ]; ok "--in-place keeps the file's mode" $?
if [ "$(id -u)" != 0 ]; then
	cp "$tmp/ip.orig" "$tmp/ro.json"
	chmod 444 "$tmp/ro.json"
	cvb --refresh --in-place "$tmp/ro.json"
	[ $rc -ne 0 ] && cmp -s "$tmp/ro.json" "$tmp/ip.orig" && grep -q "not replaced: you may not write it" "$tmp/err"
	ok "--in-place: a read-only file is not replaced" $?
fi
(umask 027; cvb --format csljson -o "$tmp/new-out.json" "$tmp/ip.orig")
[ "$(stat -c %a "$tmp/new-out.json")" = 640 ]; ok "-o: a new file gets 0666 less the umask" $?

# ---- finding DOIs: the acceptance bar
cat >"$tmp/find.json" <<'EOF'
[
  {"id": "good", "type": "article-journal", "title": "Methylphenidate exposure induces dopamine neuron loss and activation of microglia in the basal ganglia of mice",
   "author": [{"family": "Sadasivan", "given": "S."}], "issued": {"date-parts": [[2012]]}},
  {"id": "nearmiss", "type": "article-journal", "title": "Methylphenidate Exposure Induces Dopamine Neuron Loss and Activation of Microglia in the Basal Ganglia of Mice",
   "author": [{"family": "Other", "given": "A."}], "issued": {"date-parts": [[2019]]}},
  {"id": "tie", "type": "article-journal", "title": "A study of ties in bibliographic search",
   "author": [{"family": "Tester", "given": "T."}], "issued": {"date-parts": [[2020]]}},
  {"id": "retracted", "type": "article-journal", "title": "Reproducible widgets in practice",
   "author": [{"family": "Widget", "given": "W."}], "issued": {"date-parts": [[2021]]}},
  {"id": "offyear", "type": "article-journal", "title": "Fish Ontology framework for taxonomy-based fish recognition",
   "author": [{"family": "Ali", "given": "Najib M."}], "issued": {"date-parts": [[2012]]}},
  {"id": "typed", "type": "book", "title": "Fish Ontology framework for taxonomy-based fish recognition",
   "author": [{"family": "Ali", "given": "Najib M."}], "issued": {"date-parts": [[2017]]}},
  {"id": "hasdoi", "DOI": "10.1371/journal.pone.0020476", "title": "x"}
]
EOF
reset
cvb --find-dois --no-cache "$tmp/find.json"
py '
g = item("good")
assert g.get("DOI") == "10.1371/journal.pone.0033693" and g["volume"] == "7", g
assert g["title"].startswith("Methylphenidate exposure induces")           # the user title kept
orig = {x["id"]: x for x in json.load(open(sys.argv[1].replace("out", "find.json")))}
for k in ("nearmiss", "tie", "retracted", "offyear", "typed", "hasdoi"):
    assert item(k) == orig[k], (k, item(k))
paths = [r["path"] for r in reqs]
assert all(p.startswith("/works?query.bibliographic=") and "rows=5" in p for p in paths), paths
assert len(paths) == 6, paths                                              # hasdoi is not searched
' 2>"$tmp/pyerr"; ok "--find-dois: a strong match is taken; near-miss, tie, notice, year and type misses are not" $?
grep -q "nearmiss: best candidate 10.1371/journal.pone.0033693 .*first author 'Other'.*year 2012 is not within one of 2019" "$tmp/err"
ok "--find-dois: the near-miss (same title, other year and authors) is rejected and its best candidate reported" $?
grep -q "tie: two candidates tie" "$tmp/err"; ok "--find-dois: a tie is rejected" $?
grep -q "retracted: .*correction or retraction notice" "$tmp/err"; ok "--find-dois: a retraction notice is rejected" $?
grep -q "note: DOI found by search: good: 10.1371/journal.pone.0033693" "$tmp/err"; ok "--find-dois: the found DOI is reported" $?

# ---- faults: every entry survives, retried where it should be
cat >"$tmp/f.json" <<'EOF'
[
  {"id": "one", "DOI": "10.1038/srep16696", "title": "Keep me", "custom": {"z": "1"}},
  {"id": "two", "title": "No DOI here", "page": "3"}
]
EOF
# fault_case NAME ACTIONS EXPECT(ok|fail) NREQ [cvbib options]
fault_case() {
	name=$1 acts=$2 want=$3 nreq=$4; shift 4
	reset
	fault /works/10.1038/srep16696 "$acts"
	cvb --refresh --no-cache --retries 3 "$@" "$tmp/f.json"
	py "
assert [x['id'] for x in out] == ['one', 'two'], out
one = item('one')
assert one['title'] == 'Keep me' and one['custom'] == {'z': '1'} and one['DOI'] == '10.1038/srep16696', one
assert item('two') == {'id': 'two', 'title': 'No DOI here', 'page': '3'}
if '$want' == 'ok':
    assert one.get('container-title') == 'Scientific Reports', one
else:
    assert set(one) == {'id', 'title', 'custom', 'DOI'}, one
n = len([r for r in reqs if r['path'].startswith('/works/10.1038/srep16696')])
assert '$nreq' == '-' or n == int('$nreq'), n
" 2>"$tmp/pyerr"
	r1=$?
	if [ "$want" = ok ]; then [ $rc -eq 0 ]; else [ $rc -eq 3 ]; fi
	r2=$?
	ok "fault $name: entries intact, $want, exit $rc" $((r1 + r2))
}
fault_case "429 without Retry-After, then ok" 429,ok ok 2
grep -q "note: lookup retried: one: 1 time (HTTP 429)" "$tmp/err"; ok "fault 429: the retry is reported" $?
fault_case "429 with Retry-After: 1, then ok" 429ra1,ok ok 2
py '
t = [r["t"] for r in reqs if r["path"].startswith("/works/10.1038")]
assert t[1] - t[0] >= 0.95, t
' 2>"$tmp/pyerr"; ok "fault 429: Retry-After honoured (waited >= 1 s)" $?
fault_case "429 with an HTTP-date Retry-After, then ok" 429date,ok ok 2
py '
t = [r["t"] for r in reqs if r["path"].startswith("/works/10.1038")]
assert t[1] - t[0] >= 0.9, t
' 2>"$tmp/pyerr"; ok "fault 429: an HTTP-date Retry-After is honoured" $?
fault_case "500 then ok" 500,ok ok 2
fault_case "503, 504 then ok" 503,504,ok ok 3
fault_case "500 forever (gives up after retries)" 500 fail 4
grep -q "lookup failed, entry left as it is: one: .*HTTP 500 (after 4 attempts)" "$tmp/err"; ok "fault 500: failure reported" $?
fault_case "503 forever with --retries 0" 503 fail 1 --retries 0
fault_case "400 is not retried" 400 fail 1
fault_case "read timeout, then ok" hang3,ok ok 2 --timeout 1
fault_case "slow body within the time limit" slow1 ok 1 --timeout 10
fault_case "slow body past the time limit" slow4 fail 2 --timeout 1 --retries 1
fault_case "truncated body, then ok" trunc,ok ok 2
fault_case "truncated body forever" trunc fail 4
fault_case "connection closed, then ok" close,ok ok 2
fault_case "invalid JSON" badjson fail 1
grep -q "unusable answer, entry left as it is: one: the Crossref answer for 10.1038/srep16696 is not JSON" "$tmp/err"
ok "fault invalid JSON: reported" $?
fault_case "oversized body" huge fail 1
grep -q "larger than" "$tmp/err"; ok "fault oversized: reported" $?
fault_case "redirect, then served" "redirect:/works/10.1038/srep16696,ok" ok 2
fault_case "redirect to a non-loopback host is refused" "redirect:https://api.crossref.org/works/10.1038/srep16696" fail 1
grep -q "refused: one: redirect to 'https://api.crossref.org/works/10.1038/srep16696' refused" "$tmp/err"
ok "fault redirect: refusal reported" $?
# connect timeout (a port whose accept queue is full) and refused connections
start=$(date +%s)
base0=$base; base="http://127.0.0.1:$hole"
cvb --refresh --no-cache --timeout 1 --retries 1 "$tmp/f.json"
base=$base0
end=$(date +%s)
py 'assert item("one") == {"id": "one", "DOI": "10.1038/srep16696", "title": "Keep me", "custom": {"z": "1"}}, out' 2>"$tmp/pyerr"
r1=$?
[ $r1 -eq 0 ] && [ $rc -eq 3 ] && [ $((end - start)) -le 10 ] && grep -qi "timed out\|timeout" "$tmp/err"
ok "fault connect timeout: bounded, entries intact, exit 3" $?
base0=$base; base="http://127.0.0.1:1"
cvb --refresh --no-cache --retries 1 "$tmp/f.json"
base=$base0
[ $rc -eq 3 ] && grep -q '"title": "Keep me"' "$tmp/out"; ok "fault connection refused: entries intact, exit 3" $?

# ---- never the internet
env -u CVBIB_CROSSREF_URL -u CVBIB_DATACITE_URL -u CVBIB_DOI_URL CVBIB_NO_NETWORK=1 XDG_CONFIG_HOME="$tmp/config" \
	timeout 20 "$cvbib" --refresh --no-cache "$tmp/f.json" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 3 ] && grep -q "refused: one: 'https://api.crossref.org/works/10.1038/srep16696' is not a loopback address" "$tmp/err"
ok "CVBIB_NO_NETWORK: the real hosts are refused" $?

# ---- pacing and concurrency: the server limits to 10/s with 2 in flight
start_server --rate 10 --conc 2 --delay 0.25
python3 -c '
import json
print(json.dumps([{"id": "b%d" % i, "DOI": "10.5555/bench.%d" % i} for i in range(24)]))' >"$tmp/pace.json"
t0=$(date +%s.%N)
cvb --refresh --no-cache "$tmp/pace.json"
t1=$(date +%s.%N)
py '
assert not [r for r in log if "violation" in r], [r["violation"] for r in log if "violation" in r]
assert len(reqs) == 24, len(reqs)
assert max(r["inflight"] for r in reqs) == 2, [r["inflight"] for r in reqs]
t = sorted(r["t"] for r in reqs)
assert all(t[i + 10] - t[i] >= 0.98 for i in range(len(t) - 10)), t
assert all(x.get("volume") == "7" for x in out)
' 2>"$tmp/pyerr"; ok "pacing: x-rate-limit and x-concurrency-limit obeyed, 2 in flight used, no violation" $?
py "
t = sorted(r['t'] for r in reqs)
assert t[-1] - t[0] >= 2.2, t[-1] - t[0]          # 23 gaps of >= 0.1 s
assert $t1 - $t0 < 30, $t1 - $t0
" 2>"$tmp/pyerr"; ok "pacing: 24 requests at 10/s are spread over at least 2.3 s" $?
# a server that answers 429 when its limit is exceeded: the client slows down
start_server --rate 3 --conc 1
cvb --refresh --no-cache "$tmp/pace.json"
py '
assert all(x.get("volume") == "7" for x in out), out
assert not [r for r in log if "violation" in r], [r["violation"] for r in log if "violation" in r]
t = sorted(r["t"] for r in reqs)
assert all(t[i + 3] - t[i] >= 0.98 for i in range(len(t) - 3)), t
' 2>"$tmp/pyerr"; ok "pacing: a stricter server (3/s) is obeyed once its headers are read" $?

# ---- data-driven cases: one file each (tests/server/enrich-case.py says how)
start_server
for case in "$top"/tests/cases/enrich-net/*.case; do
	[ -f "$case" ] || continue
	name=$(basename "$case" .case); d="$tmp/case-$name"
	rm -rf "$d"; mkdir -p "$d"
	if ! python3 "$top/tests/server/enrich-case.py" split "$case" "$d" 2>"$tmp/pyerr"; then
		ok "case $name" 1; continue
	fi
	reset
	while read -r rpath rstatus rtype rfile; do
		ctl "reply?path=$rpath&status=$rstatus&type=$rtype&file=$rfile"
	done <"$d/replies"
	if [ -f "$d/faults" ]; then
		while read -r fpath facts; do fault "$fpath" "$facts"; done <"$d/faults"
	fi
	(cd "$d/files" && eval "set -- $(cat "$d/command")" && \
		env CVBIB_NO_NETWORK=1 XDG_CACHE_HOME="$tmp/cache-$name" XDG_CONFIG_HOME="$tmp/config" \
		CVBIB_CROSSREF_URL="$base" CVBIB_DATACITE_URL="$base" CVBIB_DOI_URL="$base" \
		CVBIB_BACKOFF=0.05 timeout 60 "$cvbib" "$@" >"$d/actual.stdout" 2>"$d/err"; \
		echo "exit $?" >>"$d/err")
	sed "s/127\.0\.0\.1:$port/127.0.0.1:PORT/g" "$d/err" >"$d/actual.stderr"
	# retries make the order in which entries finish depend on timing
	if [ -f "$d/faults" ]; then
		sed "s/^cvbib: enrich: \\[[0-9]*\\/[0-9]*\\] /cvbib: enrich: /" "$d/actual.stderr" |
			LC_ALL=C sort >"$d/err.t"
		mv "$d/err.t" "$d/actual.stderr"
	fi
	python3 "$top/tests/server/enrich-case.py" requests "$tmp/log" >"$d/actual.requests"
	[ -n "$UPDATE" ] && python3 "$top/tests/server/enrich-case.py" update "$case" "$d"
	r=0; : >"$tmp/diff"
	for k in requests stdout stderr; do
		[ -f "$d/expect.$k" ] || continue
		diff -u "$d/expect.$k" "$d/actual.$k" >>"$tmp/diff" || r=1
	done
	[ $r -ne 0 ] && head -40 "$tmp/diff"
	ok "case $name" $r
done
# ---- scripts of several runs sharing one cache (NAME.netsh, NAME.out, NAME.err)
for args in "$top"/tests/cases/enrich-net/*.netsh; do
	[ -f "$args" ] || continue
	dir=$(dirname "$args"); name=$(basename "$args"); name=${name%.*}
	reset
	if [ -f "$dir/$name.faults" ]; then
		while read -r fpath facts; do fault "$fpath" "$facts"; done <"$dir/$name.faults"
	fi
	case $args in
	*.netsh)
		# a script of several runs sharing one cache: $CVBIB, $WORK (a scratch
		# directory), and fault PATH ACTIONS / reset to arm the server between runs
		rm -rf "$tmp/work"; mkdir -p "$tmp/work"
		(cd "$dir" && env CVBIB_NO_NETWORK=1 XDG_CACHE_HOME="$tmp/cache-$name" XDG_CONFIG_HOME="$tmp/config" \
			CVBIB_CROSSREF_URL="$base" CVBIB_DATACITE_URL="$base" CVBIB_DOI_URL="$base" \
			CVBIB_BACKOFF=0.05 CVBIB="timeout 60 $cvbib" WORK="$tmp/work" CONTROL="$base/_control" \
			sh "$name.netsh" >"$tmp/out" 2>"$tmp/err"; echo "exit $?" >>"$tmp/err") ;;
	*)
	(cd "$dir" && eval "set -- $(cat "$name.netargs")" && \
		env CVBIB_NO_NETWORK=1 XDG_CACHE_HOME="$tmp/cache-$name" XDG_CONFIG_HOME="$tmp/config" \
		CVBIB_CROSSREF_URL="$base" CVBIB_DATACITE_URL="$base" CVBIB_DOI_URL="$base" \
		CVBIB_BACKOFF=0.05 timeout 60 "$cvbib" "$@" >"$tmp/out" 2>"$tmp/err"; \
		echo "exit $?" >>"$tmp/err") ;;
	esac
	sed "s/127\.0\.0\.1:$port/127.0.0.1:PORT/g" "$tmp/err" >"$tmp/err.s"
	# retries make the order in which entries finish depend on timing
	if [ -f "$dir/$name.faults" ]; then
		sed "s/^cvbib: enrich: \\[[0-9]*\\/[0-9]*\\] /cvbib: enrich: /" "$tmp/err.s" | LC_ALL=C sort >"$tmp/err.t"
		mv "$tmp/err.t" "$tmp/err.s"
	fi
	if [ -n "$UPDATE" ]; then cp "$tmp/out" "$dir/$name.out"; cp "$tmp/err.s" "$dir/$name.err"; fi
	r=0
	{ [ ! -f "$dir/$name.out" ] || diff -u "$dir/$name.out" "$tmp/out"; } >"$tmp/diff" || r=1
	{ [ ! -f "$dir/$name.err" ] || diff -u "$dir/$name.err" "$tmp/err.s"; } >>"$tmp/diff" || r=1
	[ $r -ne 0 ] && head -40 "$tmp/diff"
	ok "case $name" $r
done
stop_server

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
