# mk/gen-options.awk - the command line's one option table (src/cli/options.in)
# into what needs it:
#   awk -v mode=c   -f mk/gen-options.awk src/cli/options.in   getopt_long's table,
#                                                             the short options and
#                                                             the options part of --help
#   awk -v mode=man -f mk/gen-options.awk src/cli/options.in   the man page's OPTIONS section
#
# The format of options.in is described at its top.
function cstr(s) {
	gsub(/\\/, "\\\\", s)
	gsub(/"/, "\\\"", s)
	return s
}
function ident(name,   s) {
	s = toupper(name)
	gsub(/-/, "_", s)
	return "OPT_" s
}
function rest(   s) {
	s = $0
	sub(/^[a-z]+ ?/, "", s)
	return s
}
# the left column of an option's --help entry
function left(i,   s) {
	if (o_helpleft[i] != "")
		return o_helpleft[i]
	s = o_short[i] != "-" ? "  -" o_short[i] ", --" o_name[i] : "      --" o_name[i]
	if (o_arg[i] == "required")
		s = s " " o_meta[i]
	else if (o_arg[i] == "optional")
		s = s "[=" o_meta[i] "]"
	return s
}
function flush_help(i,   l, k, pad) {
	if (o_nohelp[i])
		return
	l = left(i)
	if (o_nhelp[i] == 0) {
		help[nh++] = l
		return
	}
	k = 0
	if (length(l) <= 22) {
		pad = l
		while (length(pad) < 24)
			pad = pad " "
		help[nh++] = pad o_help[i, k++]
	} else
		help[nh++] = l	# too long: the text starts below
	for (; k < o_nhelp[i]; k++)
		help[nh++] = "                        " o_help[i, k]
}
BEGIN { cur = -1; na = 0; no = 0; nh = 0; nm = 0 }
/^#/ || /^[ \t]*$/ { next }
$1 == "section" {
	man[nm++] = ".SS " rest()
	next
}
$1 == "helpsection" {
	if (cur >= 0)
		flush_help(cur)
	cur = -1
	if (nh > 0)
		help[nh++] = ""
	help[nh++] = rest()
	next
}
$1 == "option" {
	if (cur >= 0)
		flush_help(cur)
	n = no++
	o_name[n] = $2; o_short[n] = $3; o_arg[n] = $4; o_meta[n] = $5
	if (o_arg[n] !~ /^(no|required|optional)$/) {
		print "options.in:" NR ": argument must be no, required or optional" > "/dev/stderr"
		exit 1
	}
	cur = n
	next
}
$1 == "alias" { alias_of[na] = cur; alias_name[na++] = $2; next }
$1 == "help" { o_help[cur, o_nhelp[cur]++] = rest(); next }
$1 == "helpleft" { s = $0; sub(/^helpleft /, "", s); o_helpleft[cur] = s; next }
$1 == "nohelp" { o_nohelp[cur] = 1; next }
$1 == "notag" { next }
$1 == "tag" { man[nm++] = ".TP"; man[nm++] = rest(); next }
$1 == "man" { man[nm++] = rest(); next }
{
	print "options.in:" NR ": unknown line: " $0 > "/dev/stderr"
	exit 1
}
END {
	if (cur >= 0)
		flush_help(cur)
	if (mode == "man") {
		print ".SH OPTIONS"
		for (i = 0; i < nm; i++)
			print man[i]
		exit 0
	}
	print "/* generated from src/cli/options.in by mk/gen-options.awk; do not edit */"
	print "enum cli_option {"
	long = 256
	for (i = 0; i < no; i++)
		printf "\t%s = %s,\n", ident(o_name[i]), o_short[i] != "-" ? "'" o_short[i] "'" : long++
	print "};"
	print ""
	print "static const struct option cli_longopts[] = {"
	for (i = 0; i < no; i++) {
		printf "\t{ \"%s\", %s_argument, NULL, %s },\n", o_name[i], o_arg[i], ident(o_name[i])
		for (k = 0; k < na; k++)
			if (alias_of[k] == i)
				printf "\t{ \"%s\", %s_argument, NULL, %s },\n", alias_name[k], o_arg[i], ident(o_name[i])
	}
	print "\t{ NULL, 0, NULL, 0 }"
	print "};"
	print ""
	s = ":"
	for (i = 0; i < no; i++)
		if (o_short[i] != "-")
			s = s o_short[i] (o_arg[i] == "required" ? ":" : o_arg[i] == "optional" ? "::" : "")
	print "static const char cli_shortopts[] = \"" s "\";"
	print ""
	print "static const char cli_help[] ="
	for (i = 0; i < nh; i++)
		printf "\"%s\\n\"\n", cstr(help[i])
	print ";"
}
