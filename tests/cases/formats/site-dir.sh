# academicpages and Hugo Blox collections written into directories (-o DIR/)
# read back through cvbib's own front-matter reader to the same CSL-JSON
t=$(mktemp -d "${TMPDIR:-/tmp}/cvbib-site.XXXXXX")
in="../../../../shared/formats/google_scholar/gs_scholar_vaienti.bib ../../../../shared/cv-formats/dblp/person-123-4567.xml ../../../../shared/cv-formats/orcid/work-123456789.json"
$CVBIB -q -t csljson $in >"$t/a.json" 2>/dev/null
$CVBIB -t academicpages -o "$t/site/_publications/" $in || echo "academicpages failed"
$CVBIB -t hugoblox -o "$t/site/content/publication" $in || echo "hugoblox failed"
ls "$t/site/_publications" | sort
(cd "$t/site/content/publication" && ls -d */ | sort)
for kind in "_publications/*.md" "content/publication/*/index.md"; do
	# shellcheck disable=SC2086
	$CVBIB -q -t csljson $t/site/$kind >"$t/b.json" 2>/dev/null
	python3 -c '
import json, sys
a = {x["id"]: x for x in json.load(open(sys.argv[1]))}
b = {x["id"]: x for x in json.load(open(sys.argv[2]))}
print(sys.argv[3], "read back:", "the same" if a == b else "DIFFERENT %s" % sorted(k for k in a if a[k] != b.get(k)))
' "$t/a.json" "$t/b.json" "$kind"
done
# a file where the directory should be: reported, exit 5
: >"$t/blocked"
$CVBIB -t academicpages -o "$t/blocked/pubs/" ../../../../shared/cv-formats/orcid/work-123456789.json 2>"$t/err"
echo "blocked: exit $?"
sed "s|$t|TMP|" "$t/err" >&2
rm -rf "$t"
