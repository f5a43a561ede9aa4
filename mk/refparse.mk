# mk/refparse.mk - the reference parser's word classes (data/refparse-words.tsv), compiled in.
#   WORD<TAB>classes  ->  build/gen_refparse_words.c (sorted by bytes, for a binary search)
GEN_SRC += build/gen_refparse_words.c
.DEFAULT_GOAL := all

build/gen_refparse_words.c: data/refparse-words.tsv mk/refparse.mk | build/.dir
	@{ echo '/* generated from data/refparse-words.tsv by mk/refparse.mk; do not edit */'; \
	  echo '#include <stddef.h>'; \
	  echo 'const char *const cvb_ref_words[][2] = {'; \
	  awk -F'\t' '!/^#/ && NF >= 2 { gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); \
	    printf "%s\t%s\n", $$1, $$2 }' data/refparse-words.tsv | LC_ALL=C sort | \
	  awk -F'\t' '{ printf "\t{ \"%s\", \"%s\" },\n", $$1, $$2 }'; \
	  echo '	{ NULL, NULL }'; \
	  echo '};'; } > $@.tmp && mv $@.tmp $@
