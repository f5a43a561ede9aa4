# mk/seq.mk - the sequence models (src/seq): the trainer and the shipped weights.
#   make train     build build/seqtrain and retrain data/refparse.crf from
#                  ../shared/refparse (bit for bit the same file every time)
#   data/*.crf     model blobs (seq.h), compiled in as build/gen_seq_models.c
GEN_SRC += build/gen_seq_models.c
.DEFAULT_GOAL := all

SEQ_MODELS := $(sort $(wildcard data/*.crf))

# each blob becomes a byte array cvb_seq_blob_NAME[] and its length
build/gen_seq_models.c: $(SEQ_MODELS) mk/seq.mk mk/seq-embed.sh | build/.dir
	@sh mk/seq-embed.sh $(SEQ_MODELS) > $@.tmp && mv $@.tmp $@

build/seqtrain: src/seq/train/seqtrain.c src/seq/seq.h build/libcvbib.a
	@sh tests/deps.sh train
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< build/libcvbib.a -llbfgs $(LIBS)

.PHONY: train refparse-cv
train: build/seqtrain cvbib
	@sh tests/helper/refparse-train.sh
