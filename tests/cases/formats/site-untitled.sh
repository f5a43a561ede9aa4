# An entry without a title gets a page too (academicpages, Hugo Blox), and
# the page reads back by the CSL-JSON it holds under "cvbib".
t=$(mktemp -d "${TMPDIR:-/tmp}/cvbib-site.XXXXXX")
trap 'rm -rf "$t"' EXIT
printf '@misc{untitled, author = {Duchamp, Philippe}, note = {No title}}\n' >"$t/u.bib"
$CVBIB -q -t academicpages -o "$t/ap/" "$t/u.bib"
$CVBIB -t csljson "$t"/ap/*.md 2>&1 | grep '"id"\|error'
$CVBIB -q -t hugoblox -o "$t/hb/" "$t/u.bib"
$CVBIB -t csljson "$t"/hb/*/index.md 2>&1 | grep '"id"\|error'
