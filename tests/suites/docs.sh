#!/bin/sh
# Every long option the command accepts is described by --help, by the man
# page (doc/cvbib.1) and by nothing that does not exist: options named in
# --help must be accepted.
top=$(cd "$(dirname "$0")/../.." && pwd)
pass=0; fail=0
opts=$(sed -n 's/^[[:space:]]*{ "\([a-z][a-z0-9-]*\)", [a-z_]*_argument,.*/\1/p' "$top/build/gen_options.h" | sort -u)
# the man page's OPTIONS section is the one generated from src/cli/options.in
# (mk/cli.mk makes doc/cvbib.1 the same way)
tmpd=$(mktemp -d); trap 'rm -rf "$tmpd"' EXIT
LC_ALL=C awk -v mode=man -f "$top/mk/gen-options.awk" "$top/src/cli/options.in" >"$tmpd/opts"
awk -v opts="$tmpd/opts" '$0 == "@OPTIONS@" { while ((getline l < opts) > 0) print l; next } { print }' \
    "$top/doc/cvbib.1.in" >"$tmpd/cvbib.1"
if cmp -s "$tmpd/cvbib.1" "$top/doc/cvbib.1"; then
	pass=$((pass + 1))
else
	fail=$((fail + 1)); echo "FAIL doc/cvbib.1 is not what src/cli/options.in and doc/cvbib.1.in make (run make)"
fi
help=$("$top/cvbib" --help)
man=$(sed 's/\\-/-/g; s/\\f[BIRP]//g' "$top/doc/cvbib.1")
for o in $opts; do
	if echo "$help" | grep -q -- "--$o\b"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL --$o is not in --help"; fi
	if echo "$man" | grep -q -- "--$o\b"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL --$o is not in doc/cvbib.1"; fi
done
for o in $(echo "$help" | grep -o -- '--[a-z][a-z0-9-]*' | sort -u); do
	if echo "$opts" | grep -qx -- "${o#--}"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL --help names $o, which cvbib does not accept"; fi
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
