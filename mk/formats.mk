# mk/formats.mk - the tables of the exported-record readers (src/formats/), compiled in.
#   data/dblp-venues.tsv: ABBREVIATION<TAB>full name  ->  build/gen_dblp_venues.c
GEN_SRC += build/gen_dblp_venues.c
.DEFAULT_GOAL := all

build/gen_dblp_venues.c: data/dblp-venues.tsv mk/formats.mk | build/.dir
	@{ echo '/* generated from data/dblp-venues.tsv by mk/formats.mk; do not edit */'; \
	  echo '#include <stddef.h>'; \
	  echo 'const char *const cvb_dblp_venues[][2] = {'; \
	  awk -F'\t' '!/^#/ && NF >= 2 { gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); \
	    printf "\t{ \"%s\", \"%s\" },\n", $$1, $$2 }' data/dblp-venues.tsv; \
	  echo '	{ NULL, NULL }'; \
	  echo '};'; } > $@.tmp && mv $@.tmp $@
