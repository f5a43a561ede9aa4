#!/bin/sh
# tests/helper/realcv.sh - make realcv: cvbib on the real CVs of ../shared/realcv.
#   1. the score table of the shipped model (score_cv.py ./cvbib), text and PDF;
#   2. leave-one-CV-out: for each of the 25 CVs, a segmenter trained on the other
#      24 (and the synthetic CVs) reads the CV it never saw; the table is scored
#      over these 25 held-out runs.  These are the figures to trust.
# REALCV_JSON=DIR keeps the figures (shipped.json, loco.json, shipped-pdf.json) there.
# LOCO_ONLY=1 leaves out part 1, SHIPPED_ONLY=1 part 2; ONE_TRAINING=1 (with
# SHIPPED_ONLY) trains one model briefly instead of the 25.  SEG_SEED=N draws
# the synthetic CVs of the trainings from seed N (default 1, as make train):
# the leave-one-CV-out figures move with the draw, so report several.
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
realcv=../shared/realcv
score=$realcv/score_cv.py
out=${REALCV_JSON:-build/realcv}
synth=${SEG_SYNTH:-150}
opts=${SEG_TRAIN_OPTS:---c2 1.0 --iter 200 -q}
mkdir -p "$out" build/loco
if [ -z "$LOCO_ONLY" ]; then
echo "== shipped model: python3 $score ./cvbib"
python3 "$score" ./cvbib --json "$out/shipped.json" | grep -v '^  ' | tail -22
echo "== shipped model, PDF files read by cvbib: python3 $score ./cvbib --pdf"
python3 "$score" ./cvbib --pdf --json "$out/shipped-pdf.json" | tail -1
fi
[ -n "$SHIPPED_ONLY" ] && [ -z "$ONE_TRAINING" ] && exit 0
python3 tests/helper/segment-data.py build/segdump build/loco/all.txt --synthetic "$synth" \
  --seed "${SEG_SEED:-1}" --workdir build/loco/synth --split build/loco/seq 2>/dev/null || exit 1
if [ -n "$ONE_TRAINING" ]; then
	# one short training on all the data, and one CV read with its model:
	# the trainer and the reader run, no figures (the sanitizer pass)
	echo "== one training (20 iterations)"
	build/seqtrain --c2 1.0 --iter 20 -q -o build/loco/one.crf build/loco/all.txt || exit 1
	f=$(ls "$realcv"/cvs/*.md | head -1)
	build/segdump run build/loco/one.crf "$f" >/dev/null || exit 1
	echo "one training: $(basename "$f") read with it"
	exit 0
fi
echo "== leave-one-CV-out (25 trainings)"
for f in build/loco/seq/*.seq; do
	cv=$(basename "$f" .seq)
	[ "$cv" = synth ] && continue
	ls build/loco/seq/*.seq | grep -v "/$cv.seq\$" | xargs cat > "build/loco/train-$cv.txt"
	# shellcheck disable=SC2086
	build/seqtrain $opts -o "build/loco/$cv.crf" "build/loco/train-$cv.txt" || exit 1
	rm -f "build/loco/train-$cv.txt"
done
# a cvbib stand-in that reads each CV with the model that never saw it
cat > build/loco/cvbib-loco <<'SH'
#!/bin/sh
# build/loco/cvbib-loco --format csl-json FILE: FILE read with the model trained without it
for a; do f=$a; done
cv=$(basename "$f"); cv=${cv%%.*}
exec "$(dirname "$0")/../segdump" run "$(dirname "$0")/$cv.crf" "$f"
SH
chmod +x build/loco/cvbib-loco
python3 "$score" build/loco/cvbib-loco --json "$out/loco.json" | grep -v '^  ' | tail -22
echo "== leave-one-CV-out, PDF files"
python3 "$score" build/loco/cvbib-loco --pdf --json "$out/loco-pdf.json" | tail -1
