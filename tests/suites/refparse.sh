#!/bin/sh
# tests/suites/refparse.sh - the reference parser against the labelled dev set
# (../shared/refparse/dev.jsonl) with its own scorer.  The shipped model
# (data/refparse.crf) is trained on the anystyle and grobid sources only, so
# the guard scores it on the ParsCit sources (parscit-*), which it never saw:
# fails when their field-level micro-F1 or author-list exact drops below the
# floors in tests/refparse.floor.  The cross-validated figures over all the
# sources come from make refparse-cv (too slow for make check).
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
dev=../shared/refparse/dev.jsonl
score=../shared/refparse/score.py
pass=0; fail=0
if [ ! -f "$dev" ] || [ ! -f "$score" ]; then
	echo "FAIL refparse: $dev or $score is missing"
	echo "0 passed, 1 failed"
	exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cvbib-refparse.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
grep '"source": "parscit-' "$dev" >"$tmp/heldout.jsonl"
dev=$tmp/heldout.jsonl
if ./cvbib --from reflines --format refpred <"$dev" >"$tmp/pred.jsonl" 2>"$tmp/err"; then
	pass=$((pass + 1)); echo "PASS refparse: cvbib --from reflines --format refpred"
else
	fail=$((fail + 1)); echo "FAIL refparse: cvbib exited $?"; head -5 "$tmp/err"
fi
python3 "$score" "$dev" "$tmp/pred.jsonl" --json "$tmp/score.json" >"$tmp/score.txt" || {
	echo "FAIL refparse: score.py failed"; echo "$pass passed, $((fail + 1)) failed"; exit 1; }
read_floor() { sed -n "s/^$1[[:space:]]*//p" tests/refparse.floor; }
got() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print('%.4f' % eval(sys.argv[2]))" "$tmp/score.json" "$1"; }
check() {
	name=$1; value=$2; floor=$(read_floor "$name")
	if python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) >= float(sys.argv[2]) else 1)" "$value" "$floor"; then
		pass=$((pass + 1)); echo "PASS refparse: $name $value >= $floor"
	else
		fail=$((fail + 1)); echo "FAIL refparse: $name $value < floor $floor"
	fi
}
check micro-f1 "$(got "d['micro']['f1']")"
check author-list "$(got "d['fields']['author-list']['f1']")"
check missing-max "$(got "-d['missing']")"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
