#!/bin/sh
# tests/run.sh - the data-driven case runner.
#
# A case is tests/cases/AREA/NAME.args: one line of cvbib arguments, run from
# the case's directory.  Beside it:
#   NAME.out    expected standard output (absent: not compared)
#   NAME.err    expected standard error, followed by a line "exit N"
#   NAME.stdin  optional standard input
# Input files are whatever the arguments name, usually NAME.bib/.json/... .
# A case may instead be NAME.sh: a shell script run from its directory with
# $CVBIB set to the binary (for checks one command line cannot express); its
# standard output and error are compared in the same way.
#
#   sh tests/run.sh [AREA|CASE.args ...]   run all cases, or some
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
list=$(for a in "$@"; do
	case $a in
	*.args|*.sh) echo "$a" ;;
	/*) find "$a" -name '*.args' -o -name '*.sh' ;;
	*) if [ -d "$top/tests/cases/$a" ]; then find "$top/tests/cases/$a" -name '*.args' -o -name '*.sh'
	   else find "$a" -name '*.args' -o -name '*.sh'; fi ;;
	esac
done | sort)

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
	case $args in *.sh) name=$(basename "$args" .sh) ;; *) name=$(basename "$args" .args) ;; esac
	rel=${args#"$top"/tests/cases/}; rel=${rel%.*}
	in=/dev/null; [ -f "$dir/$name.stdin" ] && in="$dir/$name.stdin"
	case $args in
	*.sh)
		(cd "$dir" && CVBIB="$vg $cvbib" CVBIB_NO_NETWORK=1 sh "$name.sh" <"$in" >"$tmp/out" 2>"$tmp/err"; \
			echo "exit $?" >>"$tmp/err") ;;
	*)
		(cd "$dir" && eval "set -- $(cat "$name.args")" && \
			CVBIB_NO_NETWORK=1 $vg "$cvbib" "$@" <"$in" >"$tmp/out" 2>"$tmp/err"; \
			echo "exit $?" >>"$tmp/err") ;;
	esac
	ok=1
	if [ -n "$UPDATE" ]; then
		cp "$tmp/out" "$dir/$name.out"; cp "$tmp/err" "$dir/$name.err"
	fi
	if [ -f "$dir/$name.out" ] && ! diff -u "$dir/$name.out" "$tmp/out" >"$tmp/diff"; then
		ok=0; echo "FAIL $rel (stdout)"; head -40 "$tmp/diff"
	fi
	if [ -f "$dir/$name.err" ]; then
		if ! diff -u "$dir/$name.err" "$tmp/err" >"$tmp/diff"; then
			ok=0; echo "FAIL $rel (stderr)"; head -40 "$tmp/diff"
		fi
	elif grep -q 'exit 99' "$tmp/err"; then
		ok=0; echo "FAIL $rel (valgrind)"; cat "$tmp/err"
	fi
	if [ $ok = 1 ]; then pass=$((pass + 1)); echo "PASS $rel"; else fail=$((fail + 1)); fi
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
