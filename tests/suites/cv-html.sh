#!/bin/sh
# tests/suites/cv-html.sh - the --standalone HTML page in a real browser.
#
# The page cvbib writes is loaded in headless Chromium (Debian's chromium):
#  - it loads with no console message (a control page with a script error
#    shows that console messages are caught);
#  - the DOM Chromium built holds every entry, group and highlighted name;
#  - printed to PDF, the text shows the entries in order with their numbers,
#    and the owner's name is what makes the PDF use a bold font (headings
#    and awards are set normal for that check; a control page with the
#    highlight set normal too has no bold font).
# Prints PASS/FAIL lines and "N passed, N failed".
top=$(cd "$(dirname "$0")/../.." && pwd)
cvbib="$top/cvbib"
cases="$top/tests/cases/cv"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cvbib-cv-html.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
# no CV config file of the user's (~/.config/cvbib/config) changes the lists
XDG_CONFIG_HOME="$tmp/no-config"; export XDG_CONFIG_HOME
pass=0; fail=0

ok() { pass=$((pass + 1)); echo "PASS $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -z "$2" ] || printf '%s\n' "$2" | head -20; }

chrome=""
for c in chromium chromium-browser google-chrome; do
	command -v $c >/dev/null 2>&1 && { chrome=$c; break; }
done
if [ -z "$chrome" ]; then
	bad "chromium is installed (tests/deps/cv.debian)"
	echo "$pass passed, $fail failed"; exit 1
fi

# browser OUT ERR ARGS...: run headless Chromium with a fresh profile, no network
browser() {
	out=$1; err=$2; shift 2
	prof=$(mktemp -d "$tmp/profile.XXXXXX")
	timeout 120 "$chrome" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	    --disable-background-networking --disable-component-update --disable-sync \
	    --disable-extensions --user-data-dir="$prof" "$@" >"$out" 2>"$err"
}

(cd "$cases" && "$cvbib" -t html --standalone --group-by type --countdown \
    --highlight "Altan Haan" pubs.json scholar.json) >"$tmp/page.html" 2>"$tmp/cvbib.err"
if [ ! -s "$tmp/page.html" ]; then
	bad "cvbib -t html --standalone" "$(cat "$tmp/cvbib.err")"
	echo "$pass passed, $fail failed"; exit 1
fi
ok "cvbib writes the standalone page"

# console messages: first prove that they are caught at all
cat >"$tmp/control.html" <<'EOF'
<!DOCTYPE html><html><head><meta charset="utf-8"><title>control</title></head>
<body><p>control</p><script>console.error("cvbib-control"); cvbibUndefined();</script></body></html>
EOF
browser "$tmp/control.dom" "$tmp/control.log" --enable-logging=stderr --v=0 --dump-dom "file://$tmp/control.html"
if grep -q 'CONSOLE.*cvbib-control' "$tmp/control.log" && grep -q 'CONSOLE.*cvbibUndefined' "$tmp/control.log"; then
	ok "console messages of a page are caught (control page)"
else
	bad "console messages are not caught; the check below would prove nothing" "$(grep -v dbus "$tmp/control.log")"
fi

browser "$tmp/page.dom" "$tmp/page.log" --enable-logging=stderr --v=0 --dump-dom "file://$tmp/page.html"
if [ ! -s "$tmp/page.dom" ]; then
	bad "chromium loads the page" "$(grep -v dbus "$tmp/page.log")"
else
	ok "chromium loads the page"
fi
if grep -q 'CONSOLE' "$tmp/page.log"; then
	bad "the page loads without console messages" "$(grep CONSOLE "$tmp/page.log")"
else
	ok "the page loads without console messages"
fi

count() { grep -o "$1" "$2" | wc -l; }
n=$(count 'class="cvbib-entry' "$tmp/page.dom")
[ "$n" -eq 7 ] && ok "the DOM holds 7 entries (10 read, 3 duplicates merged)" || bad "entries in the DOM: $n, want 7"
n=$(count '<h2 class="cvbib-heading">' "$tmp/page.dom")
[ "$n" -eq 5 ] && ok "the DOM holds 5 group headings" || bad "group headings in the DOM: $n, want 5"
hl=$(grep -o '<strong class="cvbib-highlight">[^<]*</strong>' "$tmp/page.dom" | sed 's/<[^>]*>//g' | sort | uniq -c | sed 's/^ *//' | tr '\n' ';')
[ "$hl" = "6 Haan, A.;1 Haan, A. T.;" ] && ok "exactly the owner's names are highlighted" ||
	bad "highlighted names" "got: $hl"
n=$(count 'class="cvbib-link cvbib-link-' "$tmp/page.dom")
[ "$n" -ge 7 ] && ok "the links are there ($n)" || bad "links in the DOM: $n"
grep -q 'class="cvbib-legend">\* Equal contribution. † Corresponding author.</p>' "$tmp/page.dom" &&
	ok "the legend is there" || bad "the legend is missing"
python3 - "$tmp/page.html" <<'EOF' && ok "the page is well-formed (every element closed, properly nested)" || bad "the page is not well-formed"
import sys
from html.parser import HTMLParser
void = {"meta", "link", "br", "img", "hr", "input"}
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.stack = []; self.bad = []
    def handle_starttag(self, t, a):
        if t not in void: self.stack.append(t)
    def handle_endtag(self, t):
        if not self.stack or self.stack[-1] != t: self.bad.append(t)
        else: self.stack.pop()
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
sys.exit(1 if p.bad or p.stack else 0)
EOF

# metadata cannot inject markup: <script> in a keyword heading and an award
(cd "$cases" && "$cvbib" -t html --standalone --group-by keyword inject.json) >"$tmp/inject.html" 2>/dev/null
browser "$tmp/inject.dom" "$tmp/inject.log" --enable-logging=stderr --v=0 --dump-dom "file://$tmp/inject.html"
if [ -s "$tmp/inject.dom" ] && ! grep -qi '<script' "$tmp/inject.dom" && ! grep -q 'CONSOLE' "$tmp/inject.log" &&
    grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$tmp/inject.dom"; then
	ok "markup in metadata stays text (no script element, no console message)"
else
	bad "markup in metadata" "$(grep -i script "$tmp/inject.dom"; grep CONSOLE "$tmp/inject.log")"
fi

# rendered: print to PDF and read the text back
browser "$tmp/print.out" "$tmp/print.log" --no-pdf-header-footer --print-to-pdf="$tmp/page.pdf" "file://$tmp/page.html"
if [ ! -s "$tmp/page.pdf" ]; then
	bad "chromium prints the page to PDF" "$(grep -v dbus "$tmp/print.log")"
else
	pdftotext -enc UTF-8 "$tmp/page.pdf" "$tmp/page.txt"
	got=$(grep -o '^\[[0-9]*\]' "$tmp/page.txt" | tr '\n' ' ' | sed 's/ $//')
	[ "$got" = "[7] [6] [5] [4] [3] [2] [1]" ] && ok "rendered numbers count down 7..1" ||
		bad "rendered numbers" "got: $got"
	words="Tile-Based Loop Kernels Scheduling Intermediate Autotuning Irregular"
	if tr '\n' ' ' <"$tmp/page.txt" | awk -v words="$words" '{ n = split(words, w, " "); pos = 0
	    for (i = 1; i <= n; i++) { k = index(substr($0, pos + 1), w[i]); if (k == 0) exit 1; pos += k }
	}'; then ok "rendered entries in order"; else bad "rendered entries out of order" "$(cat "$tmp/page.txt")"; fi
fi

# bold: with headings and awards set normal, only the highlight can be bold
norm='h1, h2, .cvbib-award { font-weight: normal !important; }'
sed "s#</style>#$norm\n</style>#" "$tmp/page.html" >"$tmp/bold.html"
sed "s#</style>#$norm .cvbib-highlight { font-weight: normal !important; }\n</style>#" "$tmp/page.html" >"$tmp/nobold.html"
browser "$tmp/b.out" "$tmp/b.log" --no-pdf-header-footer --print-to-pdf="$tmp/bold.pdf" "file://$tmp/bold.html"
browser "$tmp/n.out" "$tmp/n.log" --no-pdf-header-footer --print-to-pdf="$tmp/nobold.pdf" "file://$tmp/nobold.html"
if [ -s "$tmp/bold.pdf" ] && [ -s "$tmp/nobold.pdf" ]; then
	b=$(pdffonts "$tmp/bold.pdf" | grep -ci bold); nb=$(pdffonts "$tmp/nobold.pdf" | grep -ci bold)
	if [ "$b" -ge 1 ] && [ "$nb" -eq 0 ]; then ok "the highlighted names are rendered bold"
	else bad "bold rendering" "bold fonts: $b with the highlight, $nb without"; fi
else
	bad "chromium prints the bold check pages"
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
