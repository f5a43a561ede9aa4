# mk/csl.mk - the CSL engine: styles and locales compiled into the binary,
# the fixture runner and 'make csl-suite'.
.DEFAULT_GOAL := all
CSL_STYLES  := $(sort $(wildcard styles/*.csl))
CSL_LOCALES := $(sort $(wildcard data/locales-*.xml))
GEN_SRC += build/gen_csl_data.c

build/gen_csl_data.c: $(CSL_STYLES) $(CSL_LOCALES) mk/csl-embed.sh mk/csl.mk | build/.dir
	sh mk/csl-embed.sh $(CSL_STYLES) -- $(CSL_LOCALES) >$@.tmp && mv $@.tmp $@

build/csl-fixture: tests/helper/csl-fixture.c build/libcvbib.a | build/.dir
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< build/libcvbib.a $(LIBS)

all: build/csl-fixture
check: build/csl-fixture

# make csl-suite: every fixture of the CSL test suite, PASS/FAIL each
csl-suite: build/csl-fixture
	@build/csl-fixture -L ../shared/csl-test-suite/locales $$(find ../shared/csl-test-suite/processor-tests/humans -name "*.txt" | sort)
