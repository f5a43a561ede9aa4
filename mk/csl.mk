# mk/csl.mk - the CSL engine: styles and locales compiled into the binary,
# the fixture runner and 'make csl-suite'.
.DEFAULT_GOAL := all
CSL_STYLES  := $(sort $(wildcard styles/*.csl))
CSL_LOCALES := $(sort $(wildcard data/locales-*.xml))
GEN_SRC += build/gen_csl_data.c

# the list of embedded files, rewritten only when it changes (so that a
# removed style also regenerates the table)
.PHONY: csl-embed-list
build/csl-embed.list: csl-embed-list | build/.dir
	@echo '$(CSL_STYLES) -- $(CSL_LOCALES)' | cmp -s - $@ || echo '$(CSL_STYLES) -- $(CSL_LOCALES)' >$@

build/gen_csl_data.c: $(CSL_STYLES) $(CSL_LOCALES) build/csl-embed.list mk/csl-embed.sh mk/csl.mk | build/.dir
	sh mk/csl-embed.sh $(CSL_STYLES) -- $(CSL_LOCALES) >$@.tmp && mv $@.tmp $@

build/csl-fixture: tests/helper/csl-fixture.c build/libcvbib.a | build/.dir
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< build/libcvbib.a $(LIBS)

all: build/csl-fixture
check: build/csl-fixture

# make csl-suite: every fixture of the CSL test suite, PASS/FAIL each
csl-suite: build/csl-fixture
	@build/csl-fixture -L ../shared/csl-test-suite/locales $$(find ../shared/csl-test-suite/processor-tests/humans -name "*.txt" | sort)
