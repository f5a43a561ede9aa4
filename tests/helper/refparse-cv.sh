#!/bin/sh
# tests/helper/refparse-cv.sh - cross-validation of the reference model (make refparse-cv).
#
#   5-fold: record n of ../shared/refparse/dev.jsonl is in fold n % 5; each fold
#           is parsed by a model trained on the other four (all sources).
#   leave-one-source-out: each source parsed by a model trained on the others
#           (REFPARSE_LOSO=0 skips it).
# Prints score.py's tables; the 5-fold pooled table last but one, LOSO per
# source last.  Deterministic: the same figures every run.  Runs two trainings
# at a time.  Work files in build/refparse-cv/.
dev=../shared/refparse/dev.jsonl
score=../shared/refparse/score.py
tool=build/refparse-tool
train=build/seqtrain
opts=${SEQTRAIN_OPTS:-"--c1 0.1 --c2 0.01 --iter 100 -q"}
tmp=build/refparse-cv
mkdir -p "$tmp"
[ -f "$dev" ] || { echo "refparse-cv: $dev is missing" >&2; exit 1; }

# one model: $1 name, then the selection to train on; predictions separate
model() {
	name=$1; shift
	$tool dump "$@" "$dev" > "$tmp/$name.train" &&
	$train $opts -o "$tmp/$name.crf" "$tmp/$name.train" &&
	rm -f "$tmp/$name.train"
}

i=0
while [ $i -lt 5 ]; do
	j=$((i + 1))
	model f$i --fold $i/5 --out &
	model f$j --fold $j/5 --out &
	wait
	i=$((i + 2))
	[ $i -eq 4 ] && { model f4 --fold 4/5 --out; i=5; }
done
: > "$tmp/cv.pred"
for i in 0 1 2 3 4; do
	$tool predict --fold $i/5 --in -m "$tmp/f$i.crf" "$dev" >> "$tmp/cv.pred"
done
echo "== 5-fold cross-validation on $dev (all sources)"
python3 $score "$dev" "$tmp/cv.pred" --by-source --json "$tmp/cv.json"

[ "${REFPARSE_LOSO:-1}" = 0 ] && exit 0
sources=$(python3 -c "import json,sys
s=[]
for l in open(sys.argv[1]):
    v=json.loads(l)['source']
    if v not in s: s.append(v)
print(' '.join(s))" "$dev")
set -- $sources
while [ $# -gt 0 ]; do
	a=$1; b=$2
	model loso-$a --except $a &
	[ -n "$b" ] && model loso-$b --except $b &
	wait
	shift; [ $# -gt 0 ] && shift
done
: > "$tmp/loso.pred"
for s in $sources; do
	$tool predict --sources $s -m "$tmp/loso-$s.crf" "$dev" >> "$tmp/loso.pred"
done
echo "== leave-one-source-out (each source parsed by a model trained on the others)"
python3 $score "$dev" "$tmp/loso.pred" --by-source --json "$tmp/loso.json"
