# cvbib - plain GNU make.  See README.md for the targets.
#
#   make                      build cvbib and libcvbib.a
#   make check                install test dependencies (Debian) and run every test
#   make SANITIZE=address,undefined check
#   make VALGRIND=1 check     run the data-driven cases under valgrind
#   make DEVELOPER=1          add -Werror
#   make bench                benchmarks against pandoc and citeproc-js, and per-reader scaling
#   make train                retrain data/refparse.crf (mk/seq.mk; needs liblbfgs)
#   make refparse-cv          cross-validate the reference parser's model
#   make install PREFIX=/usr/local

PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
DATADIR  ?= $(PREFIX)/share/cvbib
CC       ?= cc
PKG_CONFIG ?= pkg-config
PKGS      = yaml-0.1 jansson libcurl libxml-2.0 sqlite3 poppler-glib

CFLAGS   ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter \
             -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Isrc -Ibuild \
             $(shell $(PKG_CONFIG) --cflags $(PKGS)) $(CFLAGS)
# libcurl is not linked: src/crossref.c loads it with dlopen() when a run
# enriches, by the file name (SONAME) of the library compiled against
CURL_SONAME := $(shell objdump -p "$$($(PKG_CONFIG) --variable=libdir libcurl)/libcurl.so" 2>/dev/null | \
                 awk '$$1 == "SONAME" { print $$2 }')
ALL_CFLAGS += -DCVB_CURL_SONAME='"$(or $(CURL_SONAME),libcurl.so.4)"'
# poppler-glib likewise (src/freetext/pdf.c), the first time a PDF is read
POPPLER_SONAME := $(shell objdump -p "$$($(PKG_CONFIG) --variable=libdir poppler-glib)/libpoppler-glib.so" 2>/dev/null | \
                 awk '$$1 == "SONAME" { print $$2 }')
ALL_CFLAGS += -DCVB_POPPLER_SONAME='"$(or $(POPPLER_SONAME),libpoppler-glib.so.8)"'
LIBS      = $(shell $(PKG_CONFIG) --libs $(filter-out libcurl poppler-glib,$(PKGS))) -ldl -lm
# DEVELOPER=1, and CI=true (what CI services set), make warnings errors
ifneq ($(DEVELOPER)$(filter true,$(CI)),)
ALL_CFLAGS += -Werror
endif
ifdef SANITIZE
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS  += -fsanitize=$(SANITIZE)
endif

# every src/MODULE/*.c but the CLI (src/cli/) goes into the library, and the C
# files that the fragments in mk/*.mk generate from data/ and styles/
# (GEN_SRC += build/gen_x.c).  src/README.md maps the modules.
GEN_SRC  :=
-include mk/*.mk
MODULES  := $(filter-out cli,$(notdir $(patsubst %/,%,$(wildcard src/*/))))
LIB_SRC  := $(foreach m,$(MODULES),$(wildcard src/$(m)/*.c))
CLI_SRC  := $(wildcard src/cli/*.c)
LIB_OBJ  := $(patsubst src/%.c,build/%.o,$(LIB_SRC)) $(patsubst build/%.c,build/%.o,$(GEN_SRC))
CLI_OBJ  := $(patsubst src/%.c,build/%.o,$(CLI_SRC))
# the command's parts that tests/fuzz/ feeds (the config file's parser)
CLI_PARTS := $(filter-out build/cli/main.o,$(CLI_OBJ))
UNIT_SRC := $(wildcard tests/unit/t-*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,build/tests/%,$(UNIT_SRC))
FUZZ_SRC := $(wildcard tests/fuzz/fuzz-*.c)
FUZZ_BIN := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(FUZZ_SRC))

# passed on to the test scripts: make check VALGRIND=1, UPDATE=1
export VALGRIND UPDATE CHECK_QUICK

.PHONY: all deps example check test-deps unit cases fuzz-replay fuzz bench install clean csl-suite

all: cvbib

-include build/*.d build/*/*.d

build/%.o: src/%.c | build/.dir
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

build/gen_%.o: build/gen_%.c | build/.dir
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

build/.dir:
	mkdir -p build/tests build/fuzz && touch $@

build/libcvbib.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

cvbib: $(CLI_OBJ) build/libcvbib.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

build/tests/%: tests/unit/%.c tests/unit/check.h build/libcvbib.a
	$(CC) $(ALL_CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< build/libcvbib.a $(LIBS)

# tests/alloc/: the failing-allocation test (issue 20).  Its hook is the
# linker's --wrap: every allocation call in libcvbib.a (and in libyaml, linked
# statically here for that when libyaml.a is installed) goes through it; the
# library itself has no hook.
ALLOC_WRAP = -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free,--wrap=strdup,--wrap=strndup,--wrap=regcomp,--wrap=iconv_open
LIBYAML_A := $(wildcard $(shell $(PKG_CONFIG) --variable=libdir yaml-0.1)/libyaml.a)
build/alloc-fail: tests/alloc/alloc-fail.c build/libcvbib.a
	$(CC) $(ALL_CFLAGS) $(if $(LIBYAML_A),-DALLOC_STATIC_YAML) $(LDFLAGS) $(ALLOC_WRAP) -o $@ $< build/libcvbib.a $(LIBYAML_A) $(LIBS)

# The fuzz targets built as plain programs that replay their corpus and crashers.
build/fuzz/%: tests/fuzz/%.c tests/fuzz/replay.c $(CLI_PARTS) build/libcvbib.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< tests/fuzz/replay.c $(CLI_PARTS) build/libcvbib.a $(LIBS)

# make fuzz: coverage-guided fuzzing with clang's libFuzzer (FUZZ_SECONDS each), under
# ASan and UBSan; an input that takes over 10 s or 2 GB is a failure (a hang or a
# memory bomb: issue 20)
FUZZ_SECONDS ?= 60
# FUZZ_SEED=N: libFuzzer's random seed (unset: a new one each run)
FUZZ_SEED ?=
fuzz:
	@$(MAKE) --no-print-directory clean-lib
	@$(MAKE) --no-print-directory CC=clang CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" build/libcvbib.a $(CLI_PARTS)
	@for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
	  clang -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all $(ALL_CFLAGS) -o build/fuzz/$$n-lf $$f $(CLI_PARTS) build/libcvbib.a $(LIBS) || exit 1; \
	  mkdir -p tests/fuzz/corpus/$$n tests/fuzz/crashers/$$n; \
	  build/fuzz/$$n-lf -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -artifact_prefix=tests/fuzz/crashers/$$n/ $(if $(FUZZ_SEED),-seed=$(FUZZ_SEED)) \
	    $$( [ -f tests/fuzz/$$n.dict ] && echo -dict=tests/fuzz/$$n.dict ) tests/fuzz/corpus/$$n || exit 1; \
	done
	@$(MAKE) --no-print-directory clean-lib

clean-lib:
	rm -f build/*.o build/*/*.o build/libcvbib.a cvbib build/tests/t-* build/fuzz/fuzz-* build/alloc-fail

test-deps:
	@sh tests/deps.sh

deps:
	@sh tests/deps.sh build

# The README's first Quick start command: install build dependencies, build,
# and run the main job on the example that ships in contrib/examples/.
EXAMPLE_CMD ?= ./cvbib --format bibtex contrib/examples/cv.md
example:
	@sh tests/deps.sh build
	@$(MAKE) --no-print-directory cvbib
	$(EXAMPLE_CMD)

unit: $(UNIT_BIN)
	@sh tests/run-unit.sh $(UNIT_BIN)

cases: cvbib
	@sh tests/run.sh

fuzz-replay: $(FUZZ_BIN)
	@sh tests/run-fuzz-replay.sh $(FUZZ_BIN)

# make check: everything; the summary line is the last thing printed
# (the helpers the suites use are built first: the suites run two at a time)
check: test-deps cvbib $(UNIT_BIN) $(FUZZ_BIN) build/csl-fixture build/helper/csl-format \
	build/seqtrain build/segdump build/alloc-fail
	@sh tests/check.sh

bench: cvbib
	@sh bench/run.sh

install: cvbib
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR)/styles $(DESTDIR)$(DATADIR)/data
	install -m 755 cvbib $(DESTDIR)$(BINDIR)/cvbib
	install -m 644 doc/cvbib.1 $(DESTDIR)$(MANDIR)/man1/cvbib.1
	for f in styles/*.csl; do [ -e "$$f" ] && install -m 644 "$$f" $(DESTDIR)$(DATADIR)/styles/ || true; done
	for f in data/*; do [ -f "$$f" ] && install -m 644 "$$f" $(DESTDIR)$(DATADIR)/data/ || true; done

clean:
	rm -rf build cvbib
