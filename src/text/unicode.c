/*
 * unicode.c - the one Unicode case map and the one ASCII folding of cvbib.
 * Every module that upper- or lowercases a code point or folds text to ASCII
 * (name particles, citation keys, sort keys, duplicate detection, title case)
 * asks here; the facts come from the Unicode Character Database through
 * data/unicode.tsv (`make unicode` refreshes it), compiled into a two-stage
 * table: stage 1 maps a block of 128 code points to a row of stage 2, which
 * holds an index into the distinct mappings.  Pure functions, no state.
 */
#include <stdbool.h>
#include <stddef.h>
#include "cvb_int.h"
#include "text/unicode.h"

static const struct cvb_uc_rec *
rec(uint32_t cp)
{
	if (cp >= CVB_UC_LIMIT)
		return &cvb_uc_recs[0];
	return &cvb_uc_recs[cvb_uc_stage2[cvb_uc_stage1[cp >> 7]][cp & 127]];
}

uint32_t
cvb_uc_upper(uint32_t cp)
{
	if (cp < 0x80)
		return cp >= 'a' && cp <= 'z' ? cp - 32 : cp;
	return (uint32_t)((int32_t)cp + rec(cp)->up);
}

uint32_t
cvb_uc_lower(uint32_t cp)
{
	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
	return (uint32_t)((int32_t)cp + rec(cp)->lo);
}

uint32_t
cvb_uc_title(uint32_t cp)
{
	if (cp < 0x80)
		return cp >= 'a' && cp <= 'z' ? cp - 32 : cp;
	return (uint32_t)((int32_t)cp + rec(cp)->ti);
}

/* cvb_uc_isupper() and cvb_uc_islower() (cvb_int.h) past ASCII */
bool
cvb_uc_isupper_tab(uint32_t cp)
{
	return rec(cp)->lo != 0;
}

bool
cvb_uc_islower_tab(uint32_t cp)
{
	return rec(cp)->up != 0;
}

const char *
cvb_uc_fold_ascii(uint32_t cp)
{
	if (cp < 0x80)
		return NULL;
	return rec(cp)->fold;
}
