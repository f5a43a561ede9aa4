#!/bin/sh
# tests/suites/format-roundtrip.sh - every reader with every data writer and
# back, over real files (../shared: BibTeX from other parsers' test suites and
# exports, CV data formats, real Markdown CVs).  For each file F read by its
# own reader, A is the CSL-JSON of the model; for each writer W,
#   B = CSL-JSON of read_W(write_W(read(F)))
# and:
#   csljson, csl-yaml    B = A byte for byte: both hold the whole model;
#   bibtex, biblatex     B = A (but for the key BibTeX needs and JSON's
#                        numbers), unless the writer reported what BibTeX
#                        cannot hold (a key used twice, a list or object in
#                        "custom"): then B = the next round;
#   rendercv             RenderCV holds titles, authors, dates, venues, DOIs
#                        and URLs: every variable of A is in B or was
#                        reported by the writer, and the authors' family
#                        names are the same (tests/helper/rendercv_lost.py);
#   ris, hayagriva       each variable of A, and each member of its
#                        "custom", comes back with the same value (numbers
#                        as strings, page ranges and keyword lists in one
#                        form; RIS without markup) or was reported by the
#                        writer, once per field and file ("not written:
#                        FIELD (why)"); a key used twice and renamed is
#                        paired by what the writer said
#                        (tests/helper/lossy_lost.py);
#   academicpages,       one page per entry (-o DIR/), each holding the
#   hugoblox             entry's CSL-JSON: the pages read back give A's
#                        items (in the order of their file names);
#   X -> W -> CV list    the formatted CV list (text) of B is that of A, for
#                        csljson and csl-yaml (CV metadata in "custom").
# Pairs that still lose something are listed as LOST; the number that must
# pass is in tests/suites/format-roundtrip.floor (all of them now), so that a
# pair that worked and breaks fails the suite.
# White space is compared as it is: BibTeX reads a run of white space as one
# space (as BibTeX and LaTeX do), which is what the text means there, not a
# loss (doc/bibtex.md); the files here have no such runs after their reader.
top=$(cd "$(dirname "$0")/../.." && pwd)
sh="$top/../shared"
cvbib="$top/cvbib"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cvbib-frt.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0; fail=0; lost=0
floor=$(cat "$top/tests/suites/format-roundtrip.floor")
if [ ! -d "$sh/bibtex-corpus" ]; then
	echo "FAIL format-roundtrip: $sh not found"
	echo "0 passed, 1 failed"; exit 1
fi

ok() { pass=$((pass + 1)); echo "PASS $1"; }
bad() { lost=$((lost + 1)); echo "LOST $1"; }

files=$(ls "$sh"/bibtex-corpus/tricky/*.bib "$sh"/formats/google_scholar/*.bib \
    "$sh"/formats/dblp/*.bib "$sh"/cv-formats/al-folio/_bibliography/*.bib \
    "$sh"/cv-formats/biblatex-cv.bib "$sh"/cv-formats/csl.json \
    "$sh"/cv-formats/rendercv.yaml "$sh"/cv-formats/jsonresume.json \
    "$sh"/cv-formats/pandoc-csl-references.md "$sh"/cv-formats/freetext-cv.md \
    "$sh"/realcv/cvs/md*.md 2>/dev/null)
for f in $files; do
	n=$(basename "$f")
	"$cvbib" -q -t csljson "$f" >"$tmp/a.json" 2>/dev/null || true
	for w in csljson csl-yaml bibtex biblatex rendercv ris hayagriva academicpages hugoblox; do
		case $w in
		academicpages|hugoblox)
			# the site collections: a directory of pages
			rm -rf "$tmp/site"
			"$cvbib" -q -t $w -o "$tmp/site/" "$f" 2>/dev/null
			if [ $w = academicpages ]; then set -- "$tmp"/site/*.md
			else set -- "$tmp"/site/*/index.md; fi
			if [ -f "$1" ]; then "$cvbib" -q -t csljson "$@" >"$tmp/b.json" 2>"$tmp/err"
			else echo '[]' >"$tmp/b.json"; fi
			for j in a b; do
				python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
d.sort(key=lambda x: (str(x.get("id")), json.dumps(x, sort_keys=True)))
print(json.dumps(d, indent=2, sort_keys=True, ensure_ascii=False))' "$tmp/$j.json" >"$tmp/$j.sorted"
			done
			if cmp -s "$tmp/a.sorted" "$tmp/b.sorted" && ! grep -q error "$tmp/err"; then
				ok "$n ($w)"
			else
				bad "$n ($w)"; diff -u "$tmp/a.sorted" "$tmp/b.sorted" | head -20
			fi
			continue ;;
		esac
		"$cvbib" -t $w "$f" >"$tmp/x" 2>"$tmp/werr"
		"$cvbib" -q -f $w -t csljson "$tmp/x" >"$tmp/b.json" 2>"$tmp/err"
		case $w in
		ris|hayagriva)
			# every variable comes back or was reported (tests/helper)
			if python3 "$top/tests/helper/lossy_lost.py" $w "$tmp/a.json" "$tmp/b.json" \
			    "$tmp/werr" >"$tmp/rl"; then ok "$n ($w)"; else
				bad "$n ($w)"; head -10 "$tmp/rl"; fi
			continue ;;
		rendercv)
			# every variable comes back or was reported (tests/helper)
			if python3 "$top/tests/helper/rendercv_lost.py" "$tmp/a.json" "$tmp/b.json" \
			    "$tmp/werr" >"$tmp/rl"; then ok "$n ($w)"; else
				bad "$n ($w)"; head -10 "$tmp/rl"; fi
			continue ;;
		bibtex|biblatex)
			if grep -q 'duplicate citation key renamed\|duplicate entry:\|cannot hold' "$tmp/werr"; then
				"$cvbib" -q -f $w -t $w "$tmp/x" 2>/dev/null |
					"$cvbib" -q -f $w -t csljson - 2>/dev/null |
					grep -v '^    "citation-key": ' >"$tmp/ref.json"
			else
				cp "$tmp/a.json" "$tmp/ref.json"
			fi ;;
		*)	cp "$tmp/a.json" "$tmp/ref.json" ;;
		esac
		case $w in bibtex|biblatex)
			# BibTeX needs a key, has no JSON numbers (a string such as
			# "00" is no JSON number and stays a string), and writes a page
			# range with '--' (read back as '-')
			for j in ref b; do
				grep -v '^    "citation-key": ' "$tmp/$j.json" |
					sed -e 's/^\( *"[^"]*": \)"\(-*[1-9][0-9]*\|0\)"\(,*\)$/\1\2\3/' \
					    -e '/^    "page": /s/–/-/g' >"$tmp/$j.norm"
				mv "$tmp/$j.norm" "$tmp/$j.json"
			done ;;
		esac
		# the members of a JSON object have no order: compare them sorted
		for j in ref b; do
			python3 -c 'import json, sys
try:
    d = json.load(open(sys.argv[1]))
except ValueError:
    sys.exit(0)
open(sys.argv[1], "w").write(json.dumps(d, indent=2, sort_keys=True, ensure_ascii=False) + "\n")' "$tmp/$j.json"
		done
		if cmp -s "$tmp/ref.json" "$tmp/b.json" && ! grep -q error "$tmp/err"; then
			ok "$n ($w)"
		else
			bad "$n ($w)"
			diff -u "$tmp/ref.json" "$tmp/b.json" | head -20
			head -3 "$tmp/err"
		fi
	done
	# the CV list through CSL-JSON and CSL-YAML
	"$cvbib" -q -t plain --group-by none --sort none "$f" >"$tmp/cv-a" 2>/dev/null
	for w in csljson csl-yaml; do
		"$cvbib" -q -t $w "$f" 2>/dev/null |
			"$cvbib" -q -f $w -t plain --group-by none --sort none - >"$tmp/cv-b" 2>/dev/null
		if cmp -s "$tmp/cv-a" "$tmp/cv-b"; then ok "$n (CV list via $w)"; else
			bad "$n (CV list via $w)"; diff "$tmp/cv-a" "$tmp/cv-b" | head -10; fi
	done
done
echo "format-roundtrip: $pass passed, $lost still lose data (floor $floor)"
if [ $pass -lt "$floor" ]; then
	echo "FAIL format-roundtrip: $pass passed is below the floor of $floor"
	fail=$((fail + 1))
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
