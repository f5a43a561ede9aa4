# Every input goes through the same checks: binary files refused (exit 2,
# named), an empty input is the same warning in every format, a text CV or
# YAML file that is not UTF-8 is decoded (never copied into the output as
# invalid UTF-8), and a format named with -f that does not fit is answered
# with the format the input looks like.
t=$(mktemp -d "${TMPDIR:-/tmp}/cvbib-input.XXXXXX")
printf '\211PNG\r\n\032\n\0\0\0\rIHDR' >"$t/photo.png"
printf '%%PDF-1.5\n%%\342\343\n' >"$t/cv.pdf"
printf 'PK\003\004\024\0' >"$t/cv.docx"
printf '\0\0\0\0binary' >"$t/blob.bib"
for f in photo.png cv.pdf cv.docx blob.bib; do
	(cd "$t" && $CVBIB -t csljson "$f"); echo "exit $?"
done
for e in bib json yaml md txt html; do
	printf '\n  \n' >"$t/empty.$e"
	(cd "$t" && $CVBIB -t csljson "empty.$e"); echo "exit $?"
done
printf '# Publications\n\n- M\374ller, J. and Smith, A. (2020). Caf\351 tables for everyone. Journal of Tables, 3(2), 1-10.\n' >"$t/latin1.md"
printf -- '- id: a\n  type: book\n  title: Caf\351 \223quoted\224\n  issued: 2020\n' >"$t/latin1.yaml"
printf '<html><head><meta charset="iso-8859-15"></head><body><h2>Publications</h2><ol><li>M\374ller, J. (2020). Caf\351 tables \244 for everyone. Journal of Tables, 3(2), 1-10.</li></ol></body></html>\n' >"$t/latin9.html"
for f in latin1.md latin1.yaml latin9.html; do
	(cd "$t" && $CVBIB -t plain "$f" >"$t/out.txt"); echo "exit $?"
	cat "$t/out.txt"
	if iconv -f UTF-8 -t UTF-8 "$t/out.txt" >/dev/null 2>&1; then echo "valid UTF-8"; else echo "INVALID UTF-8"; fi
done
# -f that does not fit
$CVBIB -f csljson -t bibtex bibmap.bib; echo "exit $?"
$CVBIB -f bibtex -t csljson custom.json; echo "exit $?"
$CVBIB -f csl-yaml -t csljson custom.json >/dev/null; echo "exit $?"
rm -rf "$t"
