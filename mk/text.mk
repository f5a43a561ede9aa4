# mk/text.mk - the free-text CV reader's tables (data/text-*.tsv), compiled in.
#   data/text-venues.tsv: ACRONYM<TAB>full name<TAB>type  ->  build/gen_text_venues.c
#   data/text-places.txt: a place of publication a line  ->  build/gen_text_places.c (sorted)
GEN_SRC += build/gen_text_venues.c build/gen_text_places.c
# this file is included before 'all:'; keep 'all' the default goal
.DEFAULT_GOAL := all

build/gen_text_venues.c: data/text-venues.tsv mk/text.mk | build/.dir
	@{ echo '/* generated from data/text-venues.tsv by mk/text.mk; do not edit */'; \
	  echo '#include <stddef.h>'; \
	  echo 'const char *const cvb_text_venues[][3] = {'; \
	  awk -F'\t' '!/^#/ && NF >= 3 { gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); \
	    printf "\t{ \"%s\", \"%s\", \"%s\" },\n", $$1, $$2, $$3 }' data/text-venues.tsv; \
	  echo '	{ NULL, NULL, NULL }'; \
	  echo '};'; } > $@.tmp && mv $@.tmp $@

build/gen_text_places.c: data/text-places.txt mk/text.mk | build/.dir
	@{ echo '/* generated from data/text-places.txt by mk/text.mk; do not edit */'; \
	  echo '#include <stddef.h>'; \
	  echo 'const char *const cvb_text_places[] = {'; \
	  grep -v '^#' data/text-places.txt | grep -v '^$$' | LC_ALL=C sort -u | \
	    sed 's/\\/\\\\/g; s/"/\\"/g; s/.*/\t"&",/'; \
	  echo '	NULL'; \
	  echo '};'; } > $@.tmp && mv $@.tmp $@
