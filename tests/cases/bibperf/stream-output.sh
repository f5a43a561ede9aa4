# The CSL-JSON output is streamed (64 KiB pieces) into the temporary file
# beside -o FILE, or to standard output.  Streaming changes no byte: -o, -o -
# and standard output agree on an input whose output is many pieces long,
# FILE keeps its permissions, --in-place keeps a backup, and no temporary
# file is left behind.
d=$(mktemp -d)
i=0
while [ $i -lt 600 ]; do
	printf '@article{k%d,\n  author = {M{\\"u}ller, J{\\"o}rg and van der Berg, Anna and others},\n  title = {On the {Theory} of Item %d: \\emph{a} study -- with "quotes" and a\ttab},\n  journal = {Journal of Tests},\n  year = %d, month = mar, volume = %d, pages = {%d--%d},\n  doi = {10.1234/item.%d}, keywords = {a, b}, file = {x.pdf}\n}\n' \
	    $i $i $((1900 + i % 120)) $i $i $((i + 9)) $i
	i=$((i + 1))
done >"$d/big.bib"
$CVBIB -t csljson "$d/big.bib" >"$d/stdout.json"
echo "stdout: exit $?, $(wc -c <"$d/stdout.json" | tr -d ' ') bytes, $(grep -c '"citation-key"' "$d/stdout.json") items"
$CVBIB -t csljson -o - "$d/big.bib" | cmp -s - "$d/stdout.json" && echo "-o -: same bytes"
echo "old" >"$d/out.json"
chmod 640 "$d/out.json"
$CVBIB -t csljson -o "$d/out.json" "$d/big.bib"
echo "-o FILE: exit $?"
cmp -s "$d/out.json" "$d/stdout.json" && echo "-o FILE: same bytes"
ls -l "$d/out.json" | cut -c1-10
head -c 200 "$d/out.json"; echo
tail -c 120 "$d/out.json"
# --in-place streams too, and keeps the old file as FILE.bak
cp "$d/stdout.json" "$d/refs.json"
$CVBIB "$d/refs.json" >"$d/expect.json"
$CVBIB --in-place "$d/refs.json"
echo "--in-place: exit $?"
cmp -s "$d/refs.json" "$d/expect.json" && echo "--in-place: same bytes as standard output"
cmp -s "$d/refs.json.bak" "$d/stdout.json" && echo "--in-place: the old file kept as .bak"
ls "$d" | grep -c cvbib- || true
rm -rf "$d"
