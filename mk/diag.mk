# mk/diag.mk - the public enum cvbib_diag_code in src/cvbib.h, generated from
# the catalogue src/core/diag.in (the list sits between the "@diag-codes"
# markers; the header is kept in the repository, so commit what this rewrites).
.DEFAULT_GOAL := all

src/cvbib.h: src/core/diag.in mk/gen-diag.awk
	LC_ALL=C awk -f mk/gen-diag.awk src/core/diag.in $@ >$@.tmp && \
	  { cmp -s $@.tmp $@ && { rm -f $@.tmp; touch $@; } || mv $@.tmp $@; }
