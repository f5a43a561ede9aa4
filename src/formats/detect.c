/*
 * detect.c - exported records told by their content (cvb_formats_detect),
 * and the formats recognised but not read, refused with their name.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include "formats/fmt.h"

/* Does a line of data[0..len) start with s? */
static bool
line_starts(const char *data, size_t len, const char *s)
{
	size_t k = strlen(s), i;

	for (i = 0; i + k <= len; i++)
		if ((i == 0 || data[i - 1] == '\n' || (i == 3 &&
		    memcmp(data, "\xEF\xBB\xBF", 3) == 0)) && memcmp(data + i, s, k) == 0)
			return true;
	return false;
}

static bool
has(const char *data, size_t len, const char *s)
{
	return memmem(data, len, s, strlen(s)) != NULL;
}

/* A RIS type line: "TY  - " (or "TY - ") at the start of a line. */
static bool
looks_ris(const char *d, size_t n)
{
	return line_starts(d, n, "TY  - ") || line_starts(d, n, "TY - ") ||
	    line_starts(d, n, "TY  -\r") || line_starts(d, n, "TY  -\n");
}

enum cvbib_format
cvb_formats_detect(const char *data, size_t len, const char **refused)
{
	const char *p = data, *end;
	size_t n = len < (1u << 16) ? len : (1u << 16);	/* the head is enough */

	*refused = NULL;
	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	end = data + n;
	while (p < end && isspace((unsigned char)*p))
		p++;
	if (p == end)
		return CVBIB_FMT_AUTO;
	if (*p == '{' || *p == '[') {
		if (has(data, n, "\"work-summary\"") || has(data, n, "\"put-code\"") ||
		    has(data, n, "\"orcid-identifier\"") || has(data, n, "\"journal-title\"") ||
		    (has(data, n, "\"group\"") && has(data, n, "/works\"")) ||
		    (has(data, n, "\"external-ids\"") && has(data, n, "\"external-id\"")))
			return CVBIB_FMT_ORCID;
		if (has(data, n, "\"authorships\"") || (has(data, n, "\"https://openalex.org/W") &&
		    has(data, n, "\"publication_year\"")))
			return CVBIB_FMT_OPENALEX;
		if (has(data, n, "\"message-type\"") && has(data, n, "\"message\""))
			*refused = "a Crossref REST API answer";
		else if (has(data, n, "\"paperId\"") || has(data, n, "\"corpusId\"") ||
		    has(data, n, "\"CorpusId\""))
			*refused = "a Semantic Scholar API answer";
		return CVBIB_FMT_AUTO;
	}
	if (*p == '<') {
		if (has(data, n, "<dblpperson"))
			return CVBIB_FMT_DBLP;
		if (has(data, n, "<records>") && has(data, n, "<record>") &&
		    (has(data, n, "<ref-type") || has(data, n, "<xml>")))
			return CVBIB_FMT_ENDNOTE_XML;
		if (has(data, n, "http://www.orcid.org/ns/"))
			*refused = "ORCID XML (cvbib reads ORCID's JSON: ask the API for application/json)";
		else if (has(data, n, "<dblp>") || has(data, n, "<dblp "))
			*refused = "the whole DBLP XML dump";
		return CVBIB_FMT_AUTO;
	}
	if (looks_ris(data, n))
		return CVBIB_FMT_RIS;
	if ((line_starts(data, n, "PMID- ") || line_starts(data, n, "OWN - ")) &&
	    (line_starts(data, n, "TI  - ") || line_starts(data, n, "AU  - ") ||
	    line_starts(data, n, "FAU - ")))
		return CVBIB_FMT_MEDLINE;
	if (line_starts(data, n, "cff-version:"))
		return CVBIB_FMT_CFF;
	if (!(line_starts(data, n, "FN ") && line_starts(data, n, "PT ")) &&
	    (line_starts(data, n, "PMID-") || line_starts(data, n, "PMC -") ||
	    line_starts(data, n, "FAU -")) && fmt_medline_lines(p, (size_t)(end - p)))
		return CVBIB_FMT_MEDLINE;
	if (fmt_scholar_header(p, (size_t)(data + len - p)))
		return CVBIB_FMT_SCHOLAR_CSV;
	if (line_starts(data, n, "FN ") && line_starts(data, n, "PT ") && line_starts(data, n, "ER"))
		*refused = "Web of Science plain text (ISI tagged); export RIS from Web of Science instead";
	else if ((line_starts(data, n, "%0 ") || line_starts(data, n, "%T ")) &&
	    (line_starts(data, n, "%A ") || line_starts(data, n, "%D ") || line_starts(data, n, "%J ") ||
	    line_starts(data, n, "%I ")))
		return CVBIB_FMT_ENW;
	else if ((end - p >= 9 && memcmp(p, "pub_date\t", 9) == 0) || (has(data, n, "\tpaper_url") && has(data, n, "url_slug")))
		*refused = "an academicpages publications TSV";
	return CVBIB_FMT_AUTO;
}
