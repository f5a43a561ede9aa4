#!/bin/sh
# mk/seq-embed.sh FILE... - print a C file holding each model blob as an
# aligned byte array: data/refparse.crf -> cvb_seq_blob_refparse[],
# cvb_seq_blob_refparse_len.  Uses od and awk only.
echo '/* generated from the data/ model blobs (.crf) by mk/seq-embed.sh; do not edit */'
echo '#include <stddef.h>'
for f in "$@"; do
	n=$(basename "$f" .crf | tr -c 'a-zA-Z0-9\n' '_')
	echo "_Alignas(8) const unsigned char cvb_seq_blob_$n[] = {"
	od -An -v -tu1 "$f" | awk '{ s = ""; for (i = 1; i <= NF; i++) s = s $i ","; print s }'
	echo '};'
	echo "const size_t cvb_seq_blob_${n}_len = sizeof(cvb_seq_blob_$n);"
done
