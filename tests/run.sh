#!/bin/sh
# tests/run.sh - the data-driven case runner.
#
# The usual case is an input and its expected output, the suffix naming the
# output format (mandoc's regress style):
#   NAME.bib (or .json, .yaml, .md, ...: the one file NAME.* that is not an
#               expected output)  and  NAME.out_FMT: stdout of
#               `cvbib -t FMT [options in NAME.args] NAME.bib`; several
#               NAME.out_FMT beside one input are several runs
#   NAME.err    expected standard error followed by a line "exit N", for every
#               output (or NAME.err_FMT for one); absent: no stderr, exit 0
#   NAME.args   only when more options are needed (--style apa, --no-inherit)
# Adding a case is adding NAME.bib and NAME.out_csljson.
#
# A case whose command is more than that is NAME.args without any NAME.out_*:
# one line of cvbib arguments (input files included), run from the case's
# directory.  Beside it:
#   NAME.out    expected standard output (absent: not compared)
#   NAME.err    expected standard error, followed by a line "exit N"
#   NAME.stdin  optional standard input (for both kinds)
# A case may instead be NAME.sh: a shell script run from its directory with
# $CVBIB set to the binary (for checks one command line cannot express); its
# standard output and error are compared in the same way.
#
#   sh tests/run.sh [AREA|CASE.args|CASE.out_FMT ...]   run all cases, or some
#   UPDATE=1    rewrite the expected files from the actual output (review the diff!)
#   VALGRIND=1  run every case under valgrind (a memory error fails the case)
#
# Prints PASS/FAIL per case and ends with "N passed, N failed".
top=$(cd "$(dirname "$0")/.." && pwd)
cvbib="$top/cvbib"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cvbib-cases.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0; fail=0

if [ $# -eq 0 ]; then set -- "$top"/tests/cases; fi
cases_in() {
	find "$1" -name '*.args' -o -name '*.sh' -o -name '*.out_*'
}
list=$(for a in "$@"; do
	case $a in
	*.args|*.sh|*.out_*)
		if [ -f "$top/tests/cases/$a" ]; then echo "$top/tests/cases/$a"
		else case $a in /*) echo "$a" ;; *) echo "$(pwd)/$a" ;; esac; fi ;;
	/*) cases_in "$a" ;;
	*) if [ -d "$top/tests/cases/$a" ]; then cases_in "$top/tests/cases/$a"
	   else cases_in "$(cd "$a" && pwd)"; fi ;;
	esac
done | sort)

# the input of a NAME.out_FMT case: the one NAME.* that is not an expectation
case_input() {
	set -- $(cd "$1" && for f in "$2".*; do
		case ${f#"$2".} in
		out|out_*|err|err_*|args|stdin|sh) ;;
		*) [ -f "$f" ] && echo "$f" ;;
		esac
	done)
	[ $# -eq 1 ] && echo "$1"
}

# a developer's own configuration must not change expected outputs
XDG_CONFIG_HOME=$tmp/config; export XDG_CONFIG_HOME
XDG_CACHE_HOME=$tmp/cache; export XDG_CACHE_HOME
# nor the styles and locales installed on the machine: a case that needs a
# system CSL directory sets CVBIB_CSL_DIR itself (tests/cases/csl/sys)
XDG_DATA_HOME=/nonexistent/xdg-data; export XDG_DATA_HOME
CVBIB_CSL_DIR=""; export CVBIB_CSL_DIR
unset CVBIB_STYLES CVBIB_LOCALES_DIR
vg=""
if [ -n "$VALGRIND" ]; then
	vg="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"
fi

for args in $list; do
	dir=$(dirname "$args")
	case $args in
	*.sh) name=$(basename "$args" .sh) ;;
	*.args) name=$(basename "$args" .args)
		# options of NAME.out_FMT cases, run with those
		ls "$dir/$name".out_* >/dev/null 2>&1 && continue ;;
	*) name=$(basename "$args"); name=${name%.out_*} ;;
	esac
	rel=${args#"$top"/tests/cases/}; rel=${rel%.*}
	in=/dev/null; [ -f "$dir/$name.stdin" ] && in="$dir/$name.stdin"
	out="$dir/$name.out"; err="$dir/$name.err"
	case $args in
	*.sh)
		(cd "$dir" && CVBIB="$vg $cvbib" CVBIB_NO_NETWORK=1 sh "$name.sh" <"$in" >"$tmp/out" 2>"$tmp/err"; \
			echo "exit $?" >>"$tmp/err") ;;
	*.args)
		(cd "$dir" && eval "set -- $(cat "$name.args")" && \
			CVBIB_NO_NETWORK=1 $vg "$cvbib" "$@" <"$in" >"$tmp/out" 2>"$tmp/err"; \
			echo "exit $?" >>"$tmp/err") ;;
	*)
		fmt=${args##*.out_}; rel=${args#"$top"/tests/cases/}; out=$args
		[ -f "$dir/$name.err_$fmt" ] && err="$dir/$name.err_$fmt"
		[ -f "$err" ] || { err="$tmp/noerr"; echo "exit 0" >"$err"; }
		input=$(case_input "$dir" "$name")
		if [ -z "$input" ]; then
			fail=$((fail + 1)); echo "FAIL $rel: not one input file $name.* beside it"; continue
		fi
		opts=""; [ -f "$dir/$name.args" ] && opts=$(cat "$dir/$name.args")
		(cd "$dir" && eval "set -- -t \"\$fmt\" $opts \"\$input\"" && \
			CVBIB_NO_NETWORK=1 $vg "$cvbib" "$@" <"$in" >"$tmp/out" 2>"$tmp/err"; \
			echo "exit $?" >>"$tmp/err") ;;
	esac
	ok=1
	if [ -n "$UPDATE" ]; then
		cp "$tmp/out" "$out"
		case $err in "$tmp"/*) cmp -s "$tmp/err" "$err" || cp "$tmp/err" "$dir/$name.err" ;; *) cp "$tmp/err" "$err" ;; esac
	fi
	if [ -f "$out" ] && ! diff -u "$out" "$tmp/out" >"$tmp/diff"; then
		ok=0; echo "FAIL $rel (stdout)"; head -40 "$tmp/diff"
	fi
	if [ -f "$err" ]; then
		if ! diff -u "$err" "$tmp/err" >"$tmp/diff"; then
			ok=0; echo "FAIL $rel (stderr)"; head -40 "$tmp/diff"
		fi
	elif grep -q 'exit 99' "$tmp/err"; then
		ok=0; echo "FAIL $rel (valgrind)"; cat "$tmp/err"
	fi
	if [ $ok = 1 ]; then pass=$((pass + 1)); echo "PASS $rel"; else fail=$((fail + 1)); fi
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
