# LaTeX math in a CV note (award, addendum) is written as the title's is:
# math in LaTeX, Markdown and Typst, its text in HTML and plain text, never
# escaped into \$\textbackslash{}...
for t in plain html latex markdown typst; do
	$CVBIB -t $t --group-by none mathnotes.bib | grep -i 'best'
done
