#!/bin/sh
# bench/bench-enrich.sh - DOI refresh throughput against the loopback fake
# server limited to 10 requests/s with 3 in flight (as Crossref's polite pool
# was in 2026): 1,000 DOIs cold (the limit allows no less than 100 s; the
# target is within 10% of that) and again with a warm cache (target < 0.5 s).
# There is no competing tool to run side by side offline; the yardstick is
# the time the server's limit allows.  Takes about 100 s.
top=$(cd "$(dirname "$0")/.." && pwd)
cvbib="$top/cvbib"
fx="$top/../shared/crossref-fixtures"
n=${BENCH_ENRICH_N:-1000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cvbib-bench-enrich.XXXXXX")
srvpid=""
trap '[ -n "$srvpid" ] && kill $srvpid 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM

python3 -c "
import json, sys
n = int(sys.argv[1])
print(json.dumps([{'id': 'b%d' % i, 'type': 'article-journal', 'DOI': '10.5555/bench.%d' % i}
                  for i in range(n)]))" "$n" >"$tmp/in.json"
python3 "$top/tests/server/fake-crossref.py" --root "$fx" --port-file "$tmp/port" \
	--log "$tmp/log" --rate 10 --conc 3 --idle 600 &
srvpid=$!
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
read -r port hole <"$tmp/port"
base="http://127.0.0.1:$port"

run() {
	s=$(date +%s.%N)
	env CVBIB_NO_NETWORK=1 CVBIB_CROSSREF_URL="$base" CVBIB_DATACITE_URL="$base" CVBIB_DOI_URL="$base" \
		"$cvbib" -q --refresh --mailto bench@example.org --cache-dir "$tmp/cache" "$tmp/in.json" \
		>"$tmp/out.json" 2>"$tmp/err"
	echo $? >>"$tmp/rc"
	e=$(date +%s.%N)
	python3 -c "import sys; print('%.3f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$s" "$e"
}
cold=$(run)
warm=$(run)
cold_rc=$(sed -n 1p "$tmp/rc"); warm_rc=$(sed -n 2p "$tmp/rc")
python3 - "$tmp/log" "$tmp/out.json" "$n" "$cold" "$warm" "$cold_rc" "$warm_rc" <<'PY'
import json, sys
log = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
out = json.load(open(sys.argv[2]))
n, cold, warm = int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
viol = [r for r in log if "violation" in r]
reqs = [r for r in log if "violation" not in r]
filled = sum(1 for x in out if x.get("volume") == "7")
limit = n / 10.0
print("%-34s %12s %12s %8s" % ("case", "limit allows", "cvbib", "ratio"))
print("%-34s %11.1fs %11.2fs %8.3f" % ("%d DOIs, 10/s, 3 in flight, cold" % n, limit, cold, cold / limit))
print("%-34s %12s %11.3fs %8s" % ("same, warm cache", "< 0.5s", warm, "ok" if warm < 0.5 else "SLOW"))
print("requests %d, limit violations %d, max in flight %d, entries filled %d/%d, exit %s/%s"
      % (len(reqs), len(viol), max([r["inflight"] for r in reqs] or [0]), filled, n, sys.argv[6], sys.argv[7]))
print("cold within 10%% of the limit: %s" % ("yes" if cold <= limit * 1.10 else "NO"))
PY
