#!/bin/sh
# tests/helper/refparse-cv.sh - cross-validation of the reference model (make refparse-cv).
#
#   5-fold: record n of ../shared/refparse/dev.jsonl (counting from 1) is in
#           fold (n - 1) % 5; each fold is parsed by a model trained on the
#           other four folds (all sources), with the options of make train
#           (tests/refparse.train-opts).
#   REFPARSE_LOSO=1 adds leave-source-out: each anystyle and grobid source
#           parsed by a model trained on every other source, and the ParsCit
#           sources by one trained on none of them (the recipe of make train).
# Prints score.py's tables.  Deterministic: the same figures every run.
# Work files in build/refparse-cv/.
dev=../shared/refparse/dev.jsonl
score=../shared/refparse/score.py
tmp=build/refparse-cv
opts=${SEQTRAIN_OPTS:-$(cat tests/refparse.train-opts)}
[ -f "$dev" ] || { echo "refparse-cv: $dev is missing" >&2; exit 1; }
mkdir -p "$tmp"
# private copies: a rebuild during the run does not mix two feature sets
cp build/refparse-tool "$tmp/tool" && cp build/seqtrain "$tmp/seqtrain" || exit 1

# model NAME SELECTION...: train $tmp/NAME.crf on the selected records
model() {
	name=$1; shift
	"$tmp/tool" dump "$@" "$dev" > "$tmp/$name.train" &&
	"$tmp/seqtrain" $opts -q -o "$tmp/$name.crf" "$tmp/$name.train" &&
	rm -f "$tmp/$name.train"
}

: > "$tmp/cv.pred"
for i in 0 1 2 3 4; do
	model f$i --fold $i/5 --out || exit 1
	"$tmp/tool" predict --fold $i/5 --in -m "$tmp/f$i.crf" "$dev" >> "$tmp/cv.pred"
done
echo "== 5-fold cross-validation on $dev (all sources; options: $opts)"
python3 $score "$dev" "$tmp/cv.pred" --by-source --json "$tmp/cv.json"

[ "${REFPARSE_LOSO:-0}" = 1 ] || exit 0
: > "$tmp/loso.pred"
for s in anystyle-gold anystyle-core grobid-eval grobid-corpus; do
	model loso-$s --except $s || exit 1
	"$tmp/tool" predict --sources $s -m "$tmp/loso-$s.crf" "$dev" >> "$tmp/loso.pred"
done
model loso-parscit --sources anystyle,grobid || exit 1
"$tmp/tool" predict --sources parscit -m "$tmp/loso-parscit.crf" "$dev" >> "$tmp/loso.pred"
echo "== leave-source-out (each source parsed by a model that never saw it)"
python3 $score "$dev" "$tmp/loso.pred" --by-source --json "$tmp/loso.json"
