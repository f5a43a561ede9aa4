# RIS written by cvbib reads back to the same CSL-JSON
for f in ris-malformed.ris ../../../../shared/formats/ris/jabref_scopus.ris \
    ../../../../shared/formats/ris/mendeley_export.ris ../../../../shared/formats/ris/zotero_k10plus_book.ris \
    ../../../../shared/formats/ris/zotero_endnote_alltypes.ris; do
	$CVBIB -q -t csljson "$f" >/tmp/ris-rt-a.$$ 2>/dev/null
	$CVBIB -q -t ris "$f" 2>/dev/null | $CVBIB -q -f ris -t csljson >/tmp/ris-rt-b.$$ 2>/dev/null
	if cmp -s /tmp/ris-rt-a.$$ /tmp/ris-rt-b.$$; then echo "same: $(basename "$f")"
	else echo "DIFFERENT: $(basename "$f")"; diff /tmp/ris-rt-a.$$ /tmp/ris-rt-b.$$ | head -20; fi
done
rm -f /tmp/ris-rt-a.$$ /tmp/ris-rt-b.$$
