#!/bin/sh
# tests/suites/styles-valid.sh - every style in styles/ and every locale in
# data/ is a valid CSL 1.0.2 file: checked against the official RELAX NG
# schema (../shared/csl-schema) with xmllint, and each style is independent
# (no <link rel="independent-parent">) and carries our own rights line.  The
# locale defines every term; cvbib's engine loads and runs every shipped
# style; the varied item set and its generator give valid CSL-JSON.
# Prints PASS/FAIL per file and "N passed, N failed".
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
rng=../shared/csl-schema/schemas/styles-rng/csl.rng
pass=0; fail=0
ok() { pass=$((pass + 1)); echo "PASS $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $1: $2"; }

if [ ! -f "$rng" ] || ! command -v xmllint >/dev/null; then
	echo "FAIL styles-valid: needs $rng and xmllint (libxml2-utils)"
	echo "0 passed, 1 failed"; exit 1
fi

# the shipped styles: exactly these seven, each from its own style guide
for name in ieee apa acm chicago-author-date mla vancouver nature; do
	[ -f "styles/$name.csl" ] || ko "styles/$name.csl" "missing"
done

for f in styles/*.csl data/locales-*.xml; do
	[ -f "$f" ] || continue
	if err=$(xmllint --noout --relaxng "$rng" "$f" 2>&1); then
		ok "$f valid"
	else
		ko "$f" "$(echo "$err" | head -3)"
	fi
	case $f in
	*.csl)
		if grep -q 'rel="independent-parent"' "$f"; then ko "$f" "is a dependent style"; else ok "$f independent"; fi
		if grep -q '<rights>Part of cvbib' "$f"; then ok "$f rights"; else ko "$f" "no cvbib rights line"; fi
		# our styles must not be copies of the official ones: no CSL-project ids or contributors
		if grep -q 'www.zotero.org/styles\|citationstyles.org/styles' "$f"; then ko "$f" "carries an official style id"; else ok "$f own id"; fi
		# every style names a citation format and has both layouts
		if grep -q '<category citation-format=' "$f" && grep -q '<citation' "$f" && grep -q '<bibliography' "$f"; then
			ok "$f layouts"; else ko "$f" "no citation-format, citation or bibliography"; fi
		;;
	esac
done

# the locale defines every term the schema lists (besides gendered ordinal-NN)
loc=data/locales-en-US.xml
missing=$(sed -n 's/.*<value>\([^<]*\)<\/value>.*/\1/p' ../shared/csl-schema/schemas/styles-rng/csl-terms.rng |
	while read -r t; do grep -q "<term name=\"$t\"" "$loc" || echo "$t"; done)
# names of item types and contributor roles are terms too
for t in $(sed -n 's/.*<value>\([^<]*\)<\/value>.*/\1/p' ../shared/csl-schema/schemas/styles-rng/csl-types.rng); do
	grep -q "<term name=\"$t\"" "$loc" || missing="$missing $t"
done
# contributor roles: a noun (long and short) and a verb form each
for t in $(awk '/<define name="variables.names">/,/<\/define>/' ../shared/csl-schema/schemas/styles-rng/csl-variables.rng |
		sed -n 's/.*<value>\([^<]*\)<\/value>.*/\1/p'); do
	forms="'' ' form=\"short\"' ' form=\"verb\"' ' form=\"verb-short\"'"
	# "author" takes no label: verb forms only
	[ "$t" = author ] && forms="' form=\"verb\"' ' form=\"verb-short\"'"
	eval "set -- $forms"
	for form in "$@"; do
		grep -q "<term name=\"$t\"$form>" "$loc" || missing="$missing $t${form:+($form)}"
	done
done
if [ -z "$(echo $missing)" ]; then ok "$loc has every term"; else ko "$loc" "missing terms:$(echo " "$missing)"; fi
for form in text numeric; do
	if grep -q "<date form=\"$form\">" "$loc"; then ok "$loc date form $form"; else ko "$loc" "no $form date"; fi
done

# the engine: each shipped style loads by name from the binary with no
# diagnostic (cvbib --check-style on the file, csl-format -s NAME on the
# embedded copy) and formats every item of the varied set, as text and HTML
[ -x build/helper/csl-format ] || make -s build/helper/csl-format >/dev/null 2>&1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cvbib-styles.XXXXXX")
nitems=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' tests/data/items-varied.json)
for name in ieee apa acm chicago-author-date mla vancouver nature; do
	if ./cvbib --check-style "styles/$name.csl" >"$tmp/out" 2>&1 && [ ! -s "$tmp/out" ]; then
		ok "cvbib --check-style styles/$name.csl"
	else
		ko "cvbib --check-style styles/$name.csl" "$(head -3 "$tmp/out")"
	fi
	build/helper/csl-format -s "$name" tests/data/items-varied.json >"$tmp/text" 2>"$tmp/err"
	rc=$?; n=$(grep -c . "$tmp/text")
	if [ $rc -eq 0 ] && [ ! -s "$tmp/err" ] && [ "$n" -eq "$nitems" ]; then
		ok "engine: $name formats $n entries"
	else
		ko "engine: $name" "exit $rc, $n of $nitems entries; $(head -2 "$tmp/err")"
	fi
	build/helper/csl-format -s "$name" -f html tests/data/items-varied.json >"$tmp/html" 2>"$tmp/err"
	n=$(grep -c '<div class="csl-entry"' "$tmp/html")
	if [ "$n" -eq "$nitems" ] && grep -q '<div class="csl-bib-body"' "$tmp/html"; then
		ok "engine: $name as HTML"
	else
		ko "engine: $name as HTML" "$n of $nitems csl-entry divs"
	fi
done
rm -rf "$tmp"

# the varied item set and the generator's output are valid CSL-JSON, and the
# generator is deterministic
schema=../shared/csl-schema/schemas/input/csl-data.json
gen=$(mktemp "${TMPDIR:-/tmp}/cvbib-gen.XXXXXX")
python3 tests/helper/gen-items.py 300 >"$gen" 2>&1
for f in tests/data/items-varied.json "$gen"; do
	label=$f; [ "$f" = "$gen" ] && label="gen-items.py 300"
	if err=$(python3 -c '
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
items = json.load(open(sys.argv[2]))
errs = list(jsonschema.Draft7Validator(schema).iter_errors(items))
for e in errs[:3]:
    print(list(e.path), e.message[:120])
sys.exit(1 if errs else 0)' "$schema" "$f" 2>&1); then ok "$label is valid CSL-JSON"; else ko "$label" "$err"; fi
done
if [ "$(python3 tests/helper/gen-items.py 300 | cksum)" = "$(cksum <"$gen")" ] &&
	[ "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$gen")" = 300 ]; then
	ok "gen-items.py is deterministic and gives N items"
else
	ko "gen-items.py" "not deterministic, or not 300 items"
fi
rm -f "$gen"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
