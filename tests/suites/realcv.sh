#!/bin/sh
# tests/suites/realcv.sh - whole real CVs (../shared/realcv): make realcv's
# figures against the floors in tests/realcv.floor, the leave-one-CV-out ones
# (25 trainings of the segmenter) first among them.
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
pass=0; fail=0
if [ ! -f ../shared/realcv/score_cv.py ]; then
	echo "FAIL realcv: ../shared/realcv is missing"; echo "0 passed, 1 failed"; exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cvbib-realcv.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
if ! make --no-print-directory build/seqtrain build/segdump >"$tmp/build" 2>&1; then
	echo "FAIL realcv: cannot build the trainer"; tail -5 "$tmp/build"; echo "0 passed, 1 failed"; exit 1
fi
# CHECK_QUICK=1 (the sanitizer pass of .ci/run) scores the shipped model and
# runs one short training instead of the 25 (under the sanitizers they would
# take most of CI's half hour); the plain pass checks the figures.
[ -n "$CHECK_QUICK" ] && export SHIPPED_ONLY=1 ONE_TRAINING=1
REALCV_JSON=$tmp sh tests/helper/realcv.sh >"$tmp/out" 2>&1 || { echo "FAIL realcv: make realcv failed"; tail -5 "$tmp/out"; }
grep -E '^== |^real CVs|^one training' "$tmp/out"
floor() { sed -n "s/^$1[[:space:]]*//p" tests/realcv.floor; }
get() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$tmp/$1.json" "$2" 2>/dev/null; }
check() {	# name value floor direction(ge|le)
	if python3 -c "import sys; v,f=float(sys.argv[1]),float(sys.argv[2]); sys.exit(0 if (v>=f if sys.argv[3]=='ge' else v<=f) else 1)" "$2" "$3" "$4" 2>/dev/null; then
		pass=$((pass + 1)); echo "PASS realcv: $1 $2 (floor $3)"
	else
		fail=$((fail + 1)); echo "FAIL realcv: $1 $2 (floor $3)"
	fi
}
if [ -z "$SHIPPED_ONLY" ]; then
	check loco-found "$(get loco found)" "$(floor loco-found)" ge
	check loco-spurious "$(get loco spurious)" "$(floor loco-spurious-max)" le
	check loco-e2e-f1 "$(get loco field_micro_f1_end_to_end)" "$(floor loco-e2e-f1)" ge
	check loco-exactly-right "$(get loco exactly_right)" "$(floor loco-exactly-right)" ge
elif grep -q '^one training: ' "$tmp/out"; then
	pass=$((pass + 1)); echo "PASS realcv: one training, one CV read with its model (CHECK_QUICK)"
else
	fail=$((fail + 1)); echo "FAIL realcv: the short training failed"; tail -5 "$tmp/out"
fi
check shipped-found "$(get shipped found)" "$(floor shipped-found)" ge
check shipped-spurious "$(get shipped spurious)" "$(floor shipped-spurious-max)" le
check shipped-e2e-f1 "$(get shipped field_micro_f1_end_to_end)" "$(floor shipped-e2e-f1)" ge
check shipped-pdf-found "$(get shipped-pdf found)" "$(floor shipped-pdf-found)" ge
check shipped-pdf-e2e-f1 "$(get shipped-pdf field_micro_f1_end_to_end)" "$(floor shipped-pdf-e2e-f1)" ge
# markup of the input (Markdown, HTML, LaTeX) is structure, never data
if python3 tests/helper/realcv-markup.py ./cvbib ../shared/realcv/cvs >"$tmp/markup" 2>&1; then
	pass=$((pass + 1)); echo "PASS realcv: no field holds the input's markup"
else
	fail=$((fail + 1)); echo "FAIL realcv: fields hold the input's markup"; tail -5 "$tmp/markup"
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
