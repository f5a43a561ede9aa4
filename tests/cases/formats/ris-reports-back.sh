# The RIS of ris-reports.bib read back: the entry without a title comes back
# by its ID; what was reported is what differs.  A page range whose end is
# shorter than its start is written out only when that makes a range
# ("1204-22" is 1204-1222; "2025-07", a date in the pages, stays as it is).
$CVBIB -t ris ris-reports.bib 2>/dev/null | $CVBIB -f ris -t csljson - | grep '"id"\|"page"\|"type"'
printf 'TY  - JOUR\nTI  - A\nSP  - 1204\nEP  - 22\nER  - \n\nTY  - JOUR\nTI  - B\nSP  - 2025\nEP  - 07\nER  - \n' |
	$CVBIB -f ris -t csljson - | grep '"page"'
