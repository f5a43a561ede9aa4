# -o writes through a temporary file: a failed run leaves the old file intact,
# a good one replaces it, and no temporary file is left behind.
d=$(mktemp -d)
echo "old content" > "$d/out.json"
$CVBIB -o "$d/out.json" nothing-here.json 2>/dev/null
echo "after a failed read: exit $?"
$CVBIB -o "$d/out.json" --format bogus pubs.json 2>/dev/null
echo "after a usage error: exit $?, $(cat "$d/out.json")"
$CVBIB -o "$d/out.json" pubs.json
echo "after success: exit $?, $(grep -c '"id"' "$d/out.json") items"
ls "$d" | grep -c cvbib- || true
rm -rf "$d"
