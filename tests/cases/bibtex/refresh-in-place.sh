# --in-place rewrites a .bib: comments, free text, @string, @preamble,
# @comment and harmless LaTeX stay where they were.  A --refresh that changes
# no entry (offline, nothing in the cache) leaves the file byte for byte.
t=$(mktemp -d "${TMPDIR:-/tmp}/cvbib-ip.XXXXXX")
trap 'rm -rf "$t"' EXIT
cp refresh-in-place.bib "$t/refs.bib"
$CVBIB --refresh --in-place --offline --no-cache "$t/refs.bib" 2>"$t/err"
echo "exit $?"
sed "s|$t/||g" "$t/err"
cmp -s refresh-in-place.bib "$t/refs.bib" && [ ! -e "$t/refs.bib.bak" ] && echo "unchanged, no backup"
$CVBIB --in-place "$t/refs.bib" 2>"$t/err"
echo "exit $?"
sed "s|$t/||g" "$t/err"
diff -u refresh-in-place.bib "$t/refs.bib" | sed "s|$t/||g; 1,2s/\t.*//"
cmp -s refresh-in-place.bib "$t/refs.bib.bak" && echo "backup kept"
# a second rewrite changes nothing
cp "$t/refs.bib" "$t/once.bib"
$CVBIB --in-place "$t/refs.bib" >/dev/null 2>&1
cmp "$t/once.bib" "$t/refs.bib" && echo "stable"
