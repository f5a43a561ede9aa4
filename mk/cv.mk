# mk/cv.mk - the CV area: the biblatex test driver used by tests/suites/cv-latex.sh.
# (Rules in mk/*.mk come before the Makefile's own: keep 'all' the default goal.)
.DEFAULT_GOAL := all

build/helper/cv-biblatex: tests/helper/cv-biblatex.c build/libcvbib.a
	@mkdir -p build/helper
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< build/libcvbib.a $(LIBS)

check: build/helper/cv-biblatex
