# mk/gen-diag.awk - the public enum cvbib_diag_code in src/cvbib.h from the
# catalogue src/core/diag.in (DIAG(ID, LEVEL, "text") lines): rewrites the
# lines between "@diag-codes begin" and "@diag-codes end" of the header given
# after the catalogue.
#   awk -f mk/gen-diag.awk src/core/diag.in src/cvbib.h >src/cvbib.h.tmp
FNR == NR {
	if ($0 ~ /^DIAG\(/) {
		line = $0
		sub(/^DIAG\(/, "", line)
		id = line; sub(/,.*/, "", id)
		lvl = line; sub(/^[^,]*,[ \t]*/, "", lvl); sub(/,.*/, "", lvl)
		text = line; sub(/^[^"]*"/, "", text); sub(/"\)[ \t]*$/, "", text)
		gsub(/\*\//, "* /", text)
		if (length(text) > 44)
			text = substr(text, 1, 41) "..."
		sub(/^CVBIB_/, "", lvl)
		codes = codes sprintf("\tCVBIB_D_%s,\t/* %s%s */\n", id, lvl,
		    text == "" ? "" : ": " text)
	} else if ($0 ~ /^\/\* [^*]* \*\/$/ && FNR > 1)
		codes = codes "\t" $0 "\n"
	next
}
/@diag-codes begin/ { print; printf "%s", codes; skip = 1; next }
/@diag-codes end/ { skip = 0 }
!skip { print }
