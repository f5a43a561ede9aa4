# issue 20 finding 13: a run killed while it wrote FILE left FILE.cvbib-XXXXXX;
# the next run that writes FILE removes such a file, but only one no running
# cvbib holds (its lock), of this user, older than a minute.  A file locked by
# a running writer, a recent one, and names that are not cvbib's stay.
t=$(mktemp -d "${TMPDIR:-/tmp}/cvbib-stale.XXXXXX")
trap 'rm -rf "$t"' EXIT
printf '@book{a,\n  title = {A},\n  year = {2020}\n}\n' >"$t/in.bib"
cd "$t" || exit 1
: >out.bib.cvbib-Old001; touch -d '5 minutes ago' out.bib.cvbib-Old001
: >out.bib.cvbib-Busy01; touch -d '5 minutes ago' out.bib.cvbib-Busy01
: >out.bib.cvbib-New001
: >out.bib.cvbib-toolong; touch -d '5 minutes ago' out.bib.cvbib-toolong
: >other.bib.cvbib-Old002; touch -d '5 minutes ago' other.bib.cvbib-Old002
# a running writer holds its file's lock
flock out.bib.cvbib-Busy01 sleep 5 &
holder=$!
sleep 0.5
$CVBIB -t bibtex -o out.bib in.bib 2>err
echo "exit $?"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
sort err >&2; rm err
ls | sort
