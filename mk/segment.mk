# mk/segment.mk - the CV segmenter (src/freetext/segment.c): its training and evaluation.
#   make train      also retrains data/segment.crf from ../shared/realcv and synthetic
#                   CVs made from the anystyle/grobid references of ../shared/refparse
#                   (bit for bit the same file every time)
#   make realcv     the real-CV score table of the shipped model, and the
#                   leave-one-CV-out figures (25 trainings, each scoring the CV it left out)
.PHONY: train-segment realcv
train: train-segment

SEG_SYNTH ?= 150
SEG_TRAIN_OPTS ?= --c2 1.0 --iter 200 -q

build/segdump: tests/helper/segdump.c build/libcvbib.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< build/libcvbib.a $(LIBS)

train-segment: build/seqtrain build/segdump
	@mkdir -p build/segment
	python3 tests/helper/segment-data.py build/segdump build/segment/train.txt \
	  --synthetic $(SEG_SYNTH) --workdir build/segment/synth
	build/seqtrain $(SEG_TRAIN_OPTS) -o data/segment.crf build/segment/train.txt
	@$(MAKE) --no-print-directory cvbib

realcv: cvbib build/seqtrain build/segdump
	@sh tests/helper/realcv.sh
