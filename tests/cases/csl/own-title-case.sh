# cvbib's own Chicago and MLA title-case titles as the official styles do
# (English items only: the Spanish one stays); APA prints them as given
for s in chicago-author-date mla apa; do $CVBIB -t text --style $s own-title-case.json; done
