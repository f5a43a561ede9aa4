# --in-place without lookups rewrites a file whole, as cvbib writes it; a
# pandoc Markdown document whose front matter holds the CSL items would lose
# its text, so it is refused (exit 2) and left as it is.  With --refresh only
# the items a lookup changed are rewritten (enrich-net/issue20-keep-bytes-md).
t=$(mktemp -d "${TMPDIR:-/tmp}/cvbib-fm.XXXXXX")
trap 'rm -rf "$t"' EXIT
printf -- '---\ntitle: Publications\nreferences:\n- id: k\n  type: book\n  title: Kept\n---\n\n# Body\n\nText [@k].\n' >"$t/doc.md"
cp "$t/doc.md" "$t/orig.md"
$CVBIB --in-place "$t/doc.md" 2>"$t/err"
echo "exit $?"
sed "s|$t/||g" "$t/err"
cmp -s "$t/orig.md" "$t/doc.md" && [ ! -e "$t/doc.md.bak" ] && echo "unchanged, no backup"
