# mk/gen-unicode.awk - the one Unicode case map and ASCII folding.
#
#   awk -v mode=tsv -f mk/gen-unicode.awk UnicodeData.txt >data/unicode.tsv
#       (make unicode: Debian's unicode-data package has the file)
#   awk -v mode=c -f mk/gen-unicode.awk data/unicode.tsv >build/gen_unicode.c
#       (every build)
#
# data/unicode.tsv holds one line per code point that has a simple case
# mapping or an ASCII folding: code point, uppercase, lowercase, titlecase
# (hex, "-" when the code point maps to itself) and the ASCII folding ("-"
# none, "" a combining mark to drop).
#
# The folding of a letter is its decomposition (canonical, or compatibility
# for letters: U+0132 is "IJ", U+017F "s") with combining marks dropped, when
# that leaves ASCII letters; else, for "LATIN ... LETTER X WITH STROKE" and
# the like, the letter X its name gives; else one of the few letters named in
# fold_word[] below (AE, ETH, THORN, SHARP S, ...).

function hex(s) {
	return strtonum_hex(s)
}
function strtonum_hex(s,    i, c, v) {
	v = 0
	s = toupper(s)
	for (i = 1; i <= length(s); i++) {
		c = index("0123456789ABCDEF", substr(s, i, 1))
		v = v * 16 + c - 1
	}
	return v
}
function is_mark(cp) {
	return (cp >= 768 && cp <= 879) || (cp >= 6832 && cp <= 6911) ||
	    (cp >= 7616 && cp <= 7679) || (cp >= 8400 && cp <= 8447) ||
	    (cp >= 65056 && cp <= 65071)
}
# the ASCII letters of cp's decomposition; "?" when it has others
function expand(cp, top,    d, n, parts, i, out, r, c) {
	if (cp < 128)
		return sprintf("%c", cp)
	if (is_mark(cp))
		return ""
	d = decomp[cp]
	if (d == "")
		return "?"
	if (d ~ /^</) {
		if (!top || d !~ /^<compat> /)
			return "?"
		sub(/^<[a-z]*> /, "", d)
	}
	n = split(d, parts, " ")
	out = ""
	for (i = 1; i <= n; i++) {
		c = hex(parts[i])
		r = expand(c, 0)
		if (r == "?")
			return "?"
		out = out r
	}
	return out
}
function fold_of(cp, name, gc,    f, w, cap) {
	if (is_mark(cp))
		return ""
	if (gc !~ /^L/)
		return "-"
	f = expand(cp, 1)
	if (f != "?" && f != "" && f ~ /^[A-Za-z0-9]+$/)
		return f
	if (name !~ /^LATIN (CAPITAL|SMALL) (LETTER|LIGATURE) /)
		return "-"
	cap = name ~ /^LATIN CAPITAL/
	w = name
	sub(/^LATIN (CAPITAL|SMALL) (LETTER|LIGATURE) /, "", w)
	if (w ~ /^[A-Z]( |$)/)
		f = substr(w, 1, 1)
	else if (w in fold_word)
		f = fold_word[w]
	else
		return "-"
	return cap ? toupper(f) : tolower(f)
}

BEGIN {
	FS = ";"
	fold_word["AE"] = "ae"; fold_word["OE"] = "oe"; fold_word["ETH"] = "d"
	fold_word["THORN"] = "th"; fold_word["SHARP S"] = "ss"
	fold_word["DOTLESS I"] = "i"; fold_word["DOTLESS J"] = "j"
	fold_word["KRA"] = "k"; fold_word["ENG"] = "n"
	fold_word["ESH"] = "sh"; fold_word["AFRICAN D"] = "d"
	if (mode == "c")
		FS = "\t"
}

mode == "tsv" {
	cp = hex($1)
	name[cp] = $2; gc[cp] = $3; decomp[cp] = $6
	up[cp] = $13; lo[cp] = $14; ti[cp] = $15
	order[++ncp] = cp
	next
}

mode == "c" && !/^#/ {
	cp = hex($1)
	rec = ($2 == "-" ? 0 : hex($2) - cp) "," ($3 == "-" ? 0 : hex($3) - cp) "," \
	    ($4 == "-" ? 0 : hex($4) - cp)
	if ($5 != "-")
		rec = rec ",\"" $5 "\""
	else
		rec = rec ",NULL"
	if (!(rec in recno)) {
		recno[rec] = nrec++
		recs[nrec - 1] = rec
	}
	at[cp] = recno[rec]
	blk[int(cp / 128)] = 1
	next
}

END {
	if (mode == "tsv") {
		print "# generated from UnicodeData.txt by mk/gen-unicode.awk (make unicode); do not edit"
		print "# code point\tupper\tlower\ttitle\tASCII folding"
		for (i = 1; i <= ncp; i++) {
			cp = order[i]
			u = up[cp]; l = lo[cp]; t = ti[cp]
			if (t == "")
				t = u
			f = cp < 128 ? "-" : fold_of(cp, name[cp], gc[cp])
			if (u == "" && l == "" && t == "" && f == "-")
				continue
			printf "%04X\t%s\t%s\t%s\t%s\n", cp, u == "" ? "-" : u, l == "" ? "-" : l,
			    t == "" ? "-" : t, f
		}
		exit
	}
	print "/* generated from data/unicode.tsv by mk/gen-unicode.awk; do not edit */"
	print "#include <stddef.h>"
	print "#include <stdint.h>"
	print "#include \"text/unicode.h\""
	print ""
	print "const struct cvb_uc_rec cvb_uc_recs[] = {"
	print "\t{ 0, 0, 0, NULL },"
	for (i = 0; i < nrec; i++)
		printf "\t{ %s },\n", recs[i]
	print "};"
	print ""
	# 128-code-point blocks: block 0 is all zero
	nb = 1
	for (b = 0; b < 8704; b++)
		if (b in blk)
			bno[b] = nb++
	printf "const uint8_t cvb_uc_stage1[%d] = {\n", 8704
	line = ""
	for (b = 0; b < 8704; b++) {
		line = line ((b in bno) ? bno[b] : 0) ","
		if (b % 32 == 31) {
			print "\t" line
			line = ""
		}
	}
	print "};"
	print ""
	printf "const uint16_t cvb_uc_stage2[%d][128] = {\n", nb
	print "\t{ 0 },"
	for (b = 0; b < 8704; b++) {
		if (!(b in bno))
			continue
		printf "\t{"
		for (i = 0; i < 128; i++) {
			cp = b * 128 + i
			printf "%s%d,", (i % 32 == 0 ? "\n\t  " : ""), (cp in at) ? at[cp] + 1 : 0
		}
		print "\n\t},"
	}
	print "};"
}
