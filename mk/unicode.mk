# mk/unicode.mk - the one Unicode case map and ASCII folding (src/text/unicode.c).
#   data/unicode.tsv  ->  build/gen_unicode.c            (every build)
#   make unicode: refresh data/unicode.tsv from the Unicode Character Database
#   (UNICODE_DATA, Debian's unicode-data package); review the diff and commit it.
GEN_SRC += build/gen_unicode.c
UNICODE_DATA ?= /usr/share/unicode/UnicodeData.txt
# the Makefile includes fragments before its first rule: keep "all" the default
.DEFAULT_GOAL := all

build/gen_unicode.c: data/unicode.tsv mk/gen-unicode.awk | build/.dir
	LC_ALL=C awk -v mode=c -f mk/gen-unicode.awk data/unicode.tsv >$@.tmp && mv $@.tmp $@

.PHONY: unicode
unicode:
	LC_ALL=C awk -v mode=tsv -f mk/gen-unicode.awk $(UNICODE_DATA) >data/unicode.tsv.tmp && \
	  mv data/unicode.tsv.tmp data/unicode.tsv
