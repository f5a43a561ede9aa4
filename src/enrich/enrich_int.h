/*
 * enrich_int.h - what the parts of DOI enrichment share (enrich.c: DOIs, folding,
 * orchestration; enrich_map.c: answers to the model; enrich_merge.c: merging and
 * search acceptance).  Internal to src/enrich/.
 */
#ifndef CVB_ENRICH_INT_H
#define CVB_ENRICH_INT_H

#include <jansson.h>
#include "cvb_int.h"

/* enrich_map.c */
const char *cvb_enrich_jstr(json_t *o, const char *k);
const char *cvb_enrich_jfirst(json_t *o, const char *k);
struct cvb_date *cvb_enrich_date_from_parts(cvbib_biblio *b, json_t *dp);
bool cvb_enrich_same_date(const struct cvb_date *a, const struct cvb_date *b);
struct cvb_item *cvb_enrich_map_crossref(cvbib_biblio *b, json_t *m);
struct cvb_item *cvb_enrich_map_datacite(cvbib_biblio *b, json_t *data);
struct cvb_item *cvb_enrich_map_csl(cvbib_biblio *b, json_t *o);
json_t *cvb_enrich_parse_body(const char *body, size_t len);

/* enrich_merge.c: the search bar (doc/enrich.md) */
#define ACCEPT_TITLE	0.90	/* folded title similarity */
#define TIE_RATIO	0.95	/* second score >= this x first: a tie */
const char *cvb_enrich_name_key(const struct cvb_name *n);
bool cvb_enrich_judge(cvbib_biblio *b, const struct cvb_item *it, json_t *c, struct cvb_buf *why);

#endif
