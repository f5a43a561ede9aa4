#!/bin/sh
# tests/helper/refparse-train.sh - make train: rebuild data/refparse.crf, the
# reference parser's model, from ../shared/refparse/dev.jsonl.  Only the
# sources whose licence allows shipping what is learnt from them are used:
# anystyle-* (BSD-2-Clause) and grobid-* (CC-BY-4.0).  ParsCit's sets
# (parscit-*) are for evaluation only.  The same data gives the same file,
# bit for bit (seqtrain is deterministic).
dev=../shared/refparse/dev.jsonl
opts=$(cat tests/refparse.train-opts)
[ -f "$dev" ] || { echo "make train: $dev is missing" >&2; exit 1; }
mkdir -p build
build/refparse-tool dump --sources anystyle,grobid "$dev" > build/refparse.train || exit 1
build/seqtrain $opts -o build/refparse.crf.tmp build/refparse.train || exit 1
mv build/refparse.crf.tmp data/refparse.crf
rm -f build/refparse.train
echo "make train: data/refparse.crf: $(wc -c < data/refparse.crf) bytes, sha256 $(sha256sum data/refparse.crf | cut -c1-16)"
