# mk/cli.mk - the command's one option table, src/cli/options.in, into
# getopt_long's table and --help (build/gen_options.h) and into the man page's
# OPTIONS section (doc/cvbib.1 from doc/cvbib.1.in; the result is kept in the
# repository so that `man -l doc/cvbib.1` works in a fresh clone).
.DEFAULT_GOAL := all

build/gen_options.h: src/cli/options.in mk/gen-options.awk | build/.dir
	LC_ALL=C awk -v mode=c -f mk/gen-options.awk src/cli/options.in >$@.tmp && mv $@.tmp $@

build/cli/main.o: build/gen_options.h

doc/cvbib.1: doc/cvbib.1.in src/cli/options.in mk/gen-options.awk
	LC_ALL=C awk -v mode=man -f mk/gen-options.awk src/cli/options.in >$@.opts && \
	  awk -v opts=$@.opts '$$0 == "@OPTIONS@" { while ((getline l < opts) > 0) print l; next } { print }' \
	    doc/cvbib.1.in >$@.tmp && rm -f $@.opts && mv $@.tmp $@

all: doc/cvbib.1
