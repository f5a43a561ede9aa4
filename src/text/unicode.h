/*
 * unicode.h - the generated tables behind text/unicode.c (build/gen_unicode.c,
 * made from data/unicode.tsv by mk/gen-unicode.awk).  Only unicode.c and the
 * generated file include this; everyone else calls cvb_uc_*() (cvb_int.h).
 */
#ifndef CVB_TEXT_UNICODE_H
#define CVB_TEXT_UNICODE_H

#include <stdint.h>

/* One distinct mapping: deltas to the upper, lower and title case code
 * points, and the ASCII folding (NULL: none). */
struct cvb_uc_rec {
	int32_t		 up, lo, ti;
	const char	*fold;
};

#define CVB_UC_LIMIT	0x110000u	/* 8704 blocks of 128 code points */
extern const struct cvb_uc_rec cvb_uc_recs[];
extern const uint8_t cvb_uc_stage1[8704];
extern const uint16_t cvb_uc_stage2[][128];

#endif
