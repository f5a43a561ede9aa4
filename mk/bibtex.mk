# mk/bibtex.mk - the BibTeX module's tables, generated into C from data/ so that
# the binary works uninstalled.
BIBTEX_DATA = data/latex-accent-marks.tsv data/latex-accents.tsv data/latex-symbols.tsv \
	      data/months.tsv data/name-particles.txt data/key-stopwords.txt data/bibtex-fields.tsv data/bibtex-types.tsv
GEN_SRC += build/gen_bibtex.c
# the Makefile includes fragments before its first rule: keep "all" the default
.DEFAULT_GOAL := all

build/gen_bibtex.c: $(BIBTEX_DATA) mk/gen-bibtex.awk | build/.dir
	LC_ALL=C awk -f mk/gen-bibtex.awk $(BIBTEX_DATA) >$@.tmp && mv $@.tmp $@
