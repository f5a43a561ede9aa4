/* t-unicode.c - the one case map and ASCII folding (src/text/unicode.c). */
#include <string.h>
#include "cvb_int.h"
#include "check.h"

int
main(void)
{
	uint32_t cp;

	/* Latin Extended-A: the odd code points are capitals in U+0139-0148 and
	 * U+0179-017E, the even ones elsewhere (issue 13: Łukasz, Żaneta) */
	CHECK(cvb_uc_isupper(0x141) && cvb_uc_lower(0x141) == 0x142, "Ł is a capital of ł");
	CHECK(cvb_uc_islower(0x142) && cvb_uc_upper(0x142) == 0x141, "ł is a small ł");
	CHECK(cvb_uc_isupper(0x17B) && cvb_uc_lower(0x17B) == 0x17C, "Ż is a capital");
	CHECK(cvb_uc_islower(0x17C) && !cvb_uc_isupper(0x17C), "ż is small");
	CHECK(cvb_uc_isupper(0x100) && cvb_uc_lower(0x100) == 0x101, "Ā");
	CHECK(cvb_uc_isupper(0x139) && cvb_uc_isupper(0x147) && cvb_uc_islower(0x148), "Ĺ Ň ň");
	CHECK(!cvb_uc_isupper(0x138) && !cvb_uc_islower(0x138), "ĸ has no case");
	CHECK(cvb_uc_upper(0xFF) == 0x178 && cvb_uc_lower(0x178) == 0xFF, "ÿ Ÿ");
	CHECK(cvb_uc_upper(0x131) == 'I' && cvb_uc_lower(0x130) == 'i', "dotless and dotted i");
	CHECK(cvb_uc_upper(0xDF) == 0xDF && cvb_uc_upper(0xF7) == 0xF7, "ß ÷ unchanged");
	/* Greek, Cyrillic, and a title case that differs from the upper */
	CHECK(cvb_uc_upper(0x3B1) == 0x391 && cvb_uc_lower(0x3A3) == 0x3C3, "α Σ");
	CHECK(cvb_uc_upper(0x3C2) == 0x3A3, "final sigma");
	CHECK(cvb_uc_upper(0x3AC) == 0x386, "ά");
	CHECK(cvb_uc_upper(0x436) == 0x416 && cvb_uc_lower(0x401) == 0x451, "ж Ё");
	CHECK(cvb_uc_upper(0x1C6) == 0x1C4 && cvb_uc_title(0x1C6) == 0x1C5, "ǆ: DŽ and Dž");
	CHECK(cvb_uc_upper('q') == 'Q' && cvb_uc_lower('Q') == 'q' && cvb_uc_upper('1') == '1', "ASCII");
	CHECK(cvb_uc_upper(0x1F600) == 0x1F600 && cvb_uc_upper(0x10FFFF + 5) == 0x10FFFF + 5, "no case");
	CHECK(cvb_uc_upper(0x10428) == 0x10400, "Deseret, outside the BMP");

	/* ASCII folding, case kept */
	CHECK_STR(cvb_uc_fold_ascii(0xE9), "e");
	CHECK_STR(cvb_uc_fold_ascii(0xC6), "AE");
	CHECK_STR(cvb_uc_fold_ascii(0x141), "L");
	CHECK_STR(cvb_uc_fold_ascii(0x17C), "z");
	CHECK_STR(cvb_uc_fold_ascii(0xDF), "ss");
	CHECK_STR(cvb_uc_fold_ascii(0xFE), "th");
	CHECK_STR(cvb_uc_fold_ascii(0x133), "ij");
	CHECK_STR(cvb_uc_fold_ascii(0x153), "oe");
	CHECK_STR(cvb_uc_fold_ascii(0xF8), "o");
	CHECK_STR(cvb_uc_fold_ascii(0x111), "d");
	CHECK_STR(cvb_uc_fold_ascii(0x1EC7), "e");	/* ệ */
	CHECK_STR(cvb_uc_fold_ascii(0x1A0), "O");	/* Ơ */
	CHECK_STR(cvb_uc_fold_ascii(0x301), "");	/* combining acute: dropped */
	CHECK(cvb_uc_fold_ascii('a') == NULL && cvb_uc_fold_ascii(0x3B1) == NULL &&
	    cvb_uc_fold_ascii(0xD7) == NULL && cvb_uc_fold_ascii(0x2019) == NULL, "no folding");

	/* Latin-1, Latin Extended-A, Greek and Cyrillic: each small letter's
	 * capital lowercases back to it */
	for (cp = 0xE0; cp < 0x460; cp++)
		if (cvb_uc_islower(cp) && cp != 0x131 && cp != 0x17F && cp != 0x345 &&
		    cp != 0x3C2 && !(cp >= 0x180 && cp < 0x3B1) && !(cp >= 0x3CA && cp < 0x430))
			CHECK(cvb_uc_lower(cvb_uc_upper(cp)) == cp, "U+%04X round trip", (unsigned)cp);
	return check_report();
}
