# mk/styles.mk - the styles area: the CSL test/bench driver tests/helper/csl-format.
# (Rules in mk/*.mk come before the Makefile's own: keep 'all' the default goal.)
.DEFAULT_GOAL := all

build/helper/csl-format: tests/helper/csl-format.c build/libcvbib.a
	@mkdir -p build/helper
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< build/libcvbib.a $(LIBS)

check: build/helper/csl-format
bench: build/helper/csl-format
