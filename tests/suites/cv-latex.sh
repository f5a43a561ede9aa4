#!/bin/sh
# tests/suites/cv-latex.sh - the LaTeX side of CV lists, compiled for real.
#
# --format latex fragments (itemize, enumerate, thebibliography) are \input
# into three documents (article, moderncv, a hand-made CV) and compiled with
# pdflatex; the biblatex set-up (--latex-preamble, through the test driver
# build/helper/cv-biblatex) is compiled with pdflatex + biber.  pdftotext then
# checks the order of the entries and their numbers, and a second compile
# with \textbf redefined to print [[...]] checks that exactly the CV owner's
# names are bold (pdffonts checks that the normal PDF has a bold font).
# Prints PASS/FAIL lines and "N passed, N failed".
top=$(cd "$(dirname "$0")/../.." && pwd)
cvbib="$top/cvbib"
drv="$top/build/helper/cv-biblatex"
cases="$top/tests/cases/cv"
docs="$top/tests/suites/cv-latex"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cvbib-cv-latex.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
# no CV config file of the user's (~/.config/cvbib/config) changes the lists
XDG_CONFIG_HOME="$tmp/no-config"; export XDG_CONFIG_HOME
pass=0; fail=0

ok() { pass=$((pass + 1)); echo "PASS $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -z "$2" ] || printf '%s\n' "$2" | head -20; }

for tool in pdflatex biber pdftotext pdffonts; do
	command -v $tool >/dev/null 2>&1 || { bad "tool $tool is installed (tests/deps/cv.debian)"; }
done

# words of the titles, in the order of pubs.json newest first
ALL_NEWEST="Autotuning Tile-Based Kernels Intermediate Scheduling Loop Irregular"
BY_TYPE="Tile-Based Loop Kernels Scheduling Intermediate Autotuning Irregular"

# in_order FILE WORD...: each word occurs in FILE, in this order
in_order() {
	f=$1; shift
	tr '\n' ' ' <"$f" | awk -v words="$*" '{
		n = split(words, w, " "); pos = 0
		for (i = 1; i <= n; i++) {
			rest = substr($0, pos + 1); k = index(rest, w[i])
			if (k == 0) { print "missing or out of order: " w[i]; exit 1 }
			pos += k + length(w[i]) - 1
		}
	}'
}

# labels FILE: the [X] labels in reading order, one line
labels() {
	grep -o '\[[A-Z]*[0-9][0-9]*\]' "$1" | tr '\n' ' ' | sed 's/ $//'
}

# compile DIR DOC [marker]: pdflatex (twice, for thebibliography); 0 on success
compile() {
	(cd "$1" && for i in 1 2; do
		if [ -n "$3" ]; then
			pdflatex -interaction=nonstopmode -halt-on-error -jobname=mark \
			    "\\def\\cvbibmarkbold{1}\\input{$2}" >latex.log 2>&1 || exit 1
		else
			pdflatex -interaction=nonstopmode -halt-on-error "$2" >latex.log 2>&1 || exit 1
		fi
	done)
}

# --- --format latex fragments in three document classes
run_fragment() {	# NAME EXPECTED_WORDS EXPECTED_LABELS ARGS...
	name=$1; words=$2; want=$3; shift 3
	d="$tmp/$name"; mkdir -p "$d"
	(cd "$cases" && "$cvbib" -t latex "$@" pubs.json) >"$d/fragment.tex" 2>"$d/err" ||
		{ bad "$name: cvbib -t latex $*" "$(cat "$d/err")"; return; }
	for doc in article moderncv plaincv; do
		cp "$docs/$doc.tex" "$d/"
		if ! compile "$d" "$doc.tex"; then
			bad "$name/$doc: pdflatex" "$(grep -A3 '^!' "$d/latex.log")"
			continue
		fi
		ok "$name/$doc: compiles with pdflatex"
		pdftotext -enc UTF-8 "$d/$doc.pdf" "$d/$doc.txt"
		if msg=$(in_order "$d/$doc.txt" $words); then ok "$name/$doc: order"
		else bad "$name/$doc: order" "$msg"; fi
		if [ -n "$want" ]; then
			got=$(labels "$d/$doc.txt")
			if [ "$got" = "$want" ]; then ok "$name/$doc: numbers $want"
			else bad "$name/$doc: numbers" "want: $want
got:  $got"; fi
		fi
		if pdffonts "$d/$doc.pdf" | grep -Eiq 'bx|bold'; then ok "$name/$doc: a bold font is used"
		else bad "$name/$doc: no bold font in the PDF" "$(pdffonts "$d/$doc.pdf")"; fi
		# bold marks: \textbf{X} prints [[X]]
		if ! compile "$d" "$doc.tex" mark; then
			bad "$name/$doc: pdflatex (marked)" "$(grep -A3 '^!' "$d/latex.log")"
			continue
		fi
		pdftotext -enc UTF-8 "$d/mark.pdf" - | tr '\n' ' ' | sed 's/  */ /g' >"$d/mark.txt"
		# the owner: "Haan, A." (APA) or "A. Haan" (IEEE), with "A. T." once
		owner_re='^\[\[(Haan, A\.( T\.)?|A\.( T\.)? Haan)\]\]$'
		owner=$(grep -o '\[\[[^]]*\]\]' "$d/mark.txt" | grep -Ec "$owner_re")
		other=$(grep -o '\[\[[^]]*\]\]' "$d/mark.txt" | grep -Evc "$owner_re")
		if [ "$owner" -eq 7 ] && [ "$other" -eq 0 ]; then
			ok "$name/$doc: the owner is bold in all 7 entries, nobody else"
		else
			bad "$name/$doc: bold names" "owner bold $owner times (want 7), other bold $other times (want 0):
$(grep -o '\[\[[^]]*\]\]' "$d/mark.txt")"
		fi
	done
}

run_fragment itemize "$BY_TYPE" "" --group-by type --highlight "Altan Haan"
run_fragment enumerate "$ALL_NEWEST" "" --latex-list enumerate --countdown --highlight "Altan Haan"
run_fragment thebibliography "$BY_TYPE" "[J2] [J1] [C2] [C1] [BC1] [P1] [T1]" \
    --latex-list thebibliography --group-by type --group-prefix --countdown --highlight "Altan Haan"

run_fragment ieee-thebibliography "$ALL_NEWEST" "[7] [6] [5] [4] [3] [2] [1]" \
    --style ieee --latex-list thebibliography --countdown --highlight "Altan Haan"

# metadata cannot inject LaTeX: headings and notes with \write18, \input, %, #, $
d="$tmp/inject"; mkdir -p "$d"
(cd "$cases" && "$cvbib" -t latex --group-by keyword inject.json) >"$d/fragment.tex" 2>/dev/null
cp "$docs/article.tex" "$d/"
if compile "$d" article.tex; then
	pdftotext -enc UTF-8 "$d/article.pdf" - | tr '\n' ' ' >"$d/article.txt"
	if grep -q 'write18{rm -rf' "$d/article.txt" && grep -q 'input{/etc/passwd}' "$d/article.txt" &&
	    grep -q '# 100% \$x' "$d/article.txt"; then
		ok "inject/article: LaTeX in metadata comes out as text"
	else
		bad "inject/article: text" "$(cat "$d/article.txt")"
	fi
else
	bad "inject/article: pdflatex" "$(grep -A3 '^!' "$d/latex.log")"
fi

# math in titles is typeset as math, TeX logos as logos; unsafe math is text
# (tests/cases/fidelity/mathout.bib, issue 16)
d="$tmp/math"; mkdir -p "$d"
"$cvbib" -t latex "$top/tests/cases/fidelity/mathout.bib" >"$d/fragment.tex" 2>/dev/null
# the math is written as it is, so the document loads what it uses (\mathbb)
sed 's/^\\begin{document}/\\usepackage{amssymb}\n&/' "$docs/article.tex" >"$d/article.tex"
if compile "$d" article.tex; then
	pdftotext -enc UTF-8 "$d/article.pdf" - | tr '\n' ' ' >"$d/article.txt"
	# pdftotext shows math as its glyphs: O(n log n), α, \LaTeX as LATEX
	if grep -q 'Sorting in O(n log n) time' "$d/article.txt" && grep -q 'The α-stable' "$d/article.txt" &&
	    grep -q 'L *A *TEX' "$d/article.txt" && ! grep -q 'n \\log n\|\\alpha\|\$O' "$d/article.txt" &&
	    grep -q 'input{/etc/passwd}' "$d/article.txt"; then
		ok "math/article: math and logos typeset, unsafe math printed"
	else
		bad "math/article: text" "$(cat "$d/article.txt")"
	fi
else
	bad "math/article: pdflatex" "$(grep -A3 '^!' "$d/latex.log")"
fi

# enumerate labels are "7." .. "1.": check them at the starts of the items
d="$tmp/enumerate"
if [ -f "$d/article.txt" ]; then
	got=$(grep -o '^[0-9]\.' "$d/article.txt" | tr '\n' ' ' | sed 's/ $//')
	if [ "$got" = "7. 6. 5. 4. 3. 2. 1." ]; then ok "enumerate/article: count-down numbers 7..1"
	else bad "enumerate/article: count-down numbers" "got: $got"; fi
fi

# --- biblatex: the --latex-preamble set-up with pdflatex + biber
run_biblatex() {	# NAME EXPECTED_WORDS EXPECTED_LABELS OPTIONS...
	name=$1; words=$2; want=$3; shift 3
	d="$tmp/biblatex-$name"; mkdir -p "$d"
	cp "$docs/biblatex.tex" "$d/"
	# the set-up: cvbib -t latex --latex-preamble (the same as -t biblatex)
	if ! (cd "$cases" && "$cvbib" -t latex --latex-preamble --highlight "Altan Haan" "$@" pubs.json) \
	    >"$d/preamble.tex" 2>"$d/err"; then
		bad "biblatex-$name: cvbib --latex-preamble" "$(cat "$d/err")"
		return
	fi
	if [ "$via" = cli ]; then
		# the .bib with its annotations from cvbib's BibTeX writer
		if ! (cd "$cases" && "$cvbib" -t biblatex --highlight "Altan Haan" pubs.json) >"$d/pubs.bib" 2>"$d/err" ||
		    ! (cd "$cases" && "$cvbib" -t biblatex --latex-preamble --highlight "Altan Haan" "$@" pubs.json) |
		    cmp -s - "$d/preamble.tex"; then
			bad "biblatex-$name: cvbib -t biblatex" "$(cat "$d/err")"
			return
		fi
	elif ! "$drv" annotate --highlight "Altan Haan" "$docs/pubs.bib" "$cases/pubs.json" >"$d/pubs.bib" 2>"$d/err"; then
		bad "biblatex-$name: driver" "$(cat "$d/err")"
		return
	fi
	for job in biblatex mark; do
		if [ $job = mark ]; then src="\\def\\cvbibmarkbold{1}\\input{biblatex.tex}"; else src=biblatex.tex; fi
		if ! (cd "$d" && pdflatex -interaction=nonstopmode -halt-on-error -jobname=$job "$src" >latex.log 2>&1 &&
		    biber $job >biber.log 2>&1 &&
		    pdflatex -interaction=nonstopmode -halt-on-error -jobname=$job "$src" >latex.log 2>&1); then
			bad "biblatex-$name: pdflatex + biber ($job)" "$(grep -A3 '^!' "$d/latex.log"; grep -i error "$d/biber.log")"
			return
		fi
	done
	ok "biblatex-$name: compiles with pdflatex + biber ($via)"
	pdftotext -enc UTF-8 "$d/biblatex.pdf" "$d/out.txt"
	if msg=$(in_order "$d/out.txt" $words); then ok "biblatex-$name: order"
	else bad "biblatex-$name: order" "$msg"; fi
	got=$(labels "$d/out.txt")
	if [ "$got" = "$want" ]; then ok "biblatex-$name: numbers $want"
	else bad "biblatex-$name: numbers" "want: $want
got:  $got"; fi
	pdftotext -enc UTF-8 "$d/mark.pdf" - | tr '\n' ' ' | sed 's/  */ /g' >"$d/mark.txt"
	owner=$(grep -o '\[\[[^]]*\]\]' "$d/mark.txt" | grep -c 'Haan\]\]')
	other=$(grep -o '\[\[[^]]*\]\]' "$d/mark.txt" | grep -Ec 'Bert|B\. Haan|Lee|Okafor|Kim')
	if [ "$owner" -eq 7 ] && [ "$other" -eq 0 ]; then
		ok "biblatex-$name: the owner is bold in all 7 entries, nobody else"
	else
		bad "biblatex-$name: bold names" "owner $owner (want 7), others $other (want 0): $(grep -o '\[\[[^]]*\]\]' "$d/mark.txt")"
	fi
}

# The .bib: from cvbib -t biblatex when its biblatex output goes through the
# CV layer (src/cvbib.c: cvb_cv_biblatex_annotate(), --latex-preamble); else
# the annotations are added by the test driver (build/helper/cv-biblatex) to
# the BibTeX writer's output or, without a writer, to a hand-written .bib.
via=driver
if (cd "$cases" && "$cvbib" -t biblatex --highlight "Altan Haan" pubs.json 2>/dev/null) | grep -q 'author+an'; then
	via=cli
fi
echo "(biblatex through the $via)"
run_biblatex prefix-countdown "$BY_TYPE" "[J2] [J1] [C2] [C1] [BC1] [P1] [T1]" --group-by type --group-prefix --countdown
run_biblatex countdown "$BY_TYPE" "[7] [6] [5] [4] [3] [2] [1]" --group-by type --countdown
run_biblatex ascending "$ALL_NEWEST" "[1] [2] [3] [4] [5] [6] [7]"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
