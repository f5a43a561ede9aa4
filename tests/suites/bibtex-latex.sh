#!/bin/sh
# tests/suites/bibtex-latex.sh - real clients read cvbib's BibTeX output.
#
# For every file of ../shared/bibtex-corpus (tricky/ and large/):
#   - bibtex (plain.bst) runs on the input and on cvbib --format bibtex
#     output; the output may not add BibTeX error messages or warnings;
#   - pandoc -f bibtex / -f biblatex reads cvbib's bibtex / biblatex output;
# and, to keep the run time to a few minutes, in one document per group
# (tricky, large) holding all its files:
#   - pdflatex typesets all the .bbl files BibTeX made: no more '!' errors
#     for the output than for the input;
#   - pdflatex + biber + pdflatex with biblatex on all the input files and on
#     all cvbib --format biblatex outputs: no more biber errors or warnings,
#     no more '!' errors.
# Plus: a title holding \input{/etc/passwd} and \write18 comes out as text.
# Needs texlive-latex-base, texlive-latex-recommended, texlive-bibtex-extra,
# biber and pandoc (tests/deps/bibtex.debian).
top=$(cd "$(dirname "$0")/../.." && pwd)
corpus="$top/../shared/bibtex-corpus"
cvbib="$top/cvbib"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cvbib-latex.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0; fail=0
ok() { pass=$((pass + 1)); echo "PASS $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $1"; }
for t in pdflatex bibtex biber pandoc; do
	command -v $t >/dev/null || { echo "FAIL $t is not installed"; echo "0 passed, 1 failed"; exit 1; }
done
T="timeout 600"
PDFLATEX="$T pdflatex -no-shell-escape -interaction=nonstopmode"

# bibtex on $1/$2.bib: prints "errors warnings"
run_bibtex() {
	( cd "$1" && printf '\\relax\n\\citation{*}\n\\bibstyle{plain}\n\\bibdata{%s}\n' "$2" >"$2.aux" &&
	  $T bibtex -terse "$2" >/dev/null 2>&1 )
	e=$(sed -n 's/^(There w[a-z]* \([0-9]*\) error message.*/\1/p' "$1/$2.blg"); e=${e:-0}
	w=$(sed -n 's/^(There w[a-z]* \([0-9]*\) warning.*/\1/p' "$1/$2.blg"); w=${w:-0}
	echo "$e $w"
}

# pdflatex on all .bbl files of $1: prints the number of '!' errors
typeset_bbls() {
	( cd "$1" && {
		printf '\\documentclass{article}\\usepackage[utf8]{inputenc}\\usepackage[T1]{fontenc}\\usepackage{url}\n\\begin{document}\n'
		for b in *.bbl; do printf '\\input{%s}\n' "$b"; done
		printf '\\end{document}\n'; } >all.tex &&
	  $PDFLATEX all >/dev/null 2>&1 )
	grep -c '^! ' "$1/all.log"
}

# biblatex + biber on all .bib files of $1: prints "errors warnings texerrors"
run_biber() {
	( cd "$1" && {
		printf '\\documentclass{article}\\usepackage[utf8]{inputenc}\\usepackage[T1]{fontenc}\\usepackage[backend=biber]{biblatex}\n'
		for b in *.bib; do printf '\\addbibresource{%s}\n' "$b"; done
		printf '\\begin{document}\\nocite{*}\\printbibliography\\end{document}\n'; } >bl.tex &&
	  $PDFLATEX bl >/dev/null 2>&1; $T biber --quiet bl >/dev/null 2>&1; $PDFLATEX bl >/dev/null 2>&1 )
	e=$(grep -c 'ERROR - ' "$1/bl.blg"); w=$(grep -c 'WARN - ' "$1/bl.blg"); x=$(grep -c '^! ' "$1/bl.log")
	echo "$e $w $x"
}

# are all numbers of $2 at most those of $1?
no_worse() {
	a=$1; b=$2
	set -- $a
	for y in $b; do [ "$y" -le "$1" ] || return 1; shift; done
	return 0
}

for group in tricky large; do
	pt=20; [ $group = large ] && pt=600	# pandoc time limit per file
	for k in bin bout lin lout; do mkdir -p "$tmp/$group/$k"; done
	for f in "$corpus/$group"/*.bib; do
		n=$(basename "$f" .bib)
		# the baseline of a file that is not UTF-8 is the file in UTF-8
		# (what TeX makes of Latin-9 or GBK bytes is no fair comparison)
		u="$f"
		if ! iconv -f UTF-8 -t UTF-8 "$f" >/dev/null 2>&1; then
			u="$tmp/utf8.bib"
			if grep -qi 'latin-\?9' "$f"; then iconv -f ISO-8859-15 -t UTF-8 "$f" >"$u"
			elif iconv -f GBK -t UTF-8 "$f" >"$u" 2>/dev/null; then :
			else iconv -f ISO-8859-1 -t UTF-8 "$f" >"$u"; fi
		fi
		cp "$u" "$tmp/$group/bin/$n.bib"
		"$cvbib" -q -f bibtex -t bibtex "$f" >"$tmp/$group/bout/$n.bib" 2>/dev/null
		if [ $group = large ]; then
			# biber needs minutes per MB here: its check uses the first
			# 300 entries of each large file (bibtex and pandoc read all)
			awk '/^@/ { n++ } n > 300 { exit } { print }' "$f" >"$tmp/$group/lin/$n.bib"
			"$cvbib" -q -f bibtex -t biblatex "$tmp/$group/lin/$n.bib" >"$tmp/$group/lout/$n.bib" 2>/dev/null
			"$cvbib" -q -f bibtex -t biblatex "$f" >"$tmp/$group/$n.biblatex" 2>/dev/null
		else
			cp "$u" "$tmp/$group/lin/$n.bib"
			"$cvbib" -q -f bibtex -t biblatex "$f" >"$tmp/$group/lout/$n.bib" 2>/dev/null
		fi
		a=$(run_bibtex "$tmp/$group/bin" "$n"); b=$(run_bibtex "$tmp/$group/bout" "$n")
		# when BibTeX skipped entries of the input for errors, their
		# warnings cannot be compared: then only errors count
		set -- $a; [ "$1" -gt 0 ] && { a=$1; set -- $b; b=$1; }
		if no_worse "$a" "$b"; then ok "$n bibtex (errors warnings: input $a, cvbib $b)"
		else ko "$n bibtex (errors warnings: input $a, cvbib $b)"
			grep -i -B1 -A2 'warning\|error' "$tmp/$group/bout/$n.blg" | head -12
		fi
		for fmt in bibtex biblatex; do
			o="$tmp/$group/bout/$n.bib"
			[ $fmt = biblatex ] && o="$tmp/$group/lout/$n.bib"
			[ $fmt = biblatex ] && [ $group = large ] && o="$tmp/$group/$n.biblatex"
			if timeout $pt pandoc -f $fmt -t csljson "$o" >/dev/null 2>"$tmp/pandoc.err"
			then ok "$n pandoc -f $fmt"
			elif ! timeout $pt pandoc -f $fmt -t csljson "$f" >/dev/null 2>&1; then
				# pandoc loops on crossref cycles and stops on some inputs
				ok "$n pandoc -f $fmt (fails on the input too)"
			else ko "$n pandoc -f $fmt"; head -5 "$tmp/pandoc.err"; fi
		done
	done
	if [ $group = large ]; then
		# typeset the first 300 entries of each large .bbl
		for d in bin bout; do for b in "$tmp/$group/$d"/*.bbl; do
			awk '/^\\bibitem/ { n++ } n > 300 { exit } { print }' "$b" >"$b.cut"
			printf '\\end{thebibliography}\n' >>"$b.cut"; mv "$b.cut" "$b"
		done; done
	fi
	a=$(typeset_bbls "$tmp/$group/bin"); b=$(typeset_bbls "$tmp/$group/bout")
	if no_worse "$a" "$b"; then ok "$group: pdflatex on the .bbl files (errors: input $a, cvbib $b)"
	else ko "$group: pdflatex on the .bbl files (errors: input $a, cvbib $b)"
		grep -A2 '^! ' "$tmp/$group/bout/all.log" | head -20
	fi
	a=$(run_biber "$tmp/$group/lin"); b=$(run_biber "$tmp/$group/lout")
	if no_worse "$a" "$b"; then ok "$group: pdflatex + biber (errors warnings texerrors: input $a, cvbib $b)"
	else ko "$group: pdflatex + biber (errors warnings texerrors: input $a, cvbib $b)"
		grep 'WARN\|ERROR' "$tmp/$group/lout/bl.blg" | sed 's/^.*\] //' | sort >"$tmp/o"
		grep 'WARN\|ERROR' "$tmp/$group/lin/bl.blg" | sed 's/^.*\] //' | sort >"$tmp/i"
		sed -i 's|/tmp/biber_tmp[^,]*,|FILE,|' "$tmp/i" "$tmp/o"
		diff "$tmp/i" "$tmp/o" | grep '^[<>]' | head -20
		grep -A2 '^! ' "$tmp/$group/lout/bl.log" | head -12
	fi
done

# xampl.bib oracle: real BibTeX + plain.bst on cvbib's output gives the names
# (and, for entries without names, the first line) of the expected .bbl.
# Known differences: \cite in a note is escaped (no LaTeX runs from
# metadata), \mbox{} is dropped, organization is written as publisher.
mkdir -p "$tmp/ox"
"$cvbib" -q -t bibtex "$corpus/tricky/pybtex__xampl.bib" >"$tmp/ox/x.bib" 2>/dev/null
run_bibtex "$tmp/ox" x >/dev/null
firstlines() {
	awk '/^\\bibitem/ { k = $0; getline; print k " " $0 }' "$1" |
	    sed 's/{\\\([^a-zA-Z{]\){\([A-Za-z]\)}}/{\\\1\2}/g' |
	    grep -v 'bibitem{random-note-crossref}\|bibitem{whole-journal}\|bibitem{whole-proceedings}' | sort
}
firstlines "$corpus/tricky/pybtex__xampl_plain.bibtex.bbl" >"$tmp/ox/want"
firstlines "$tmp/ox/x.bbl" >"$tmp/ox/got"
if [ -s "$tmp/ox/want" ] && diff "$tmp/ox/want" "$tmp/ox/got" >"$tmp/ox/diff"; then
	ok "xampl: names and crossrefs as in the plain.bst oracle ($(wc -l <"$tmp/ox/got") entries)"
else
	ko "xampl: names and crossrefs as in the plain.bst oracle"; head -20 "$tmp/ox/diff"
fi

# no injection: the LaTeX in the metadata is printed, never run
mkdir -p "$tmp/inj"
"$cvbib" -q -t bibtex "$top/tests/cases/bibtex/inject.bib" >"$tmp/inj/inject.bib" 2>/dev/null
run_bibtex "$tmp/inj" inject >/dev/null
x=$(typeset_bbls "$tmp/inj")
if grep -q 'textbackslash{}input' "$tmp/inj/inject.bbl" && ! grep -q '(/etc/passwd' "$tmp/inj/all.log" &&
    [ -f "$tmp/inj/all.pdf" ] && [ "$x" = 0 ]; then
	ok "injection: \\input and \\write18 come out as text"
else
	ko "injection: \\input and \\write18 come out as text ($x errors)"
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
