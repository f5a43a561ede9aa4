/*
 * xmlquiet.c - libxml2 prints nothing while the library uses it.
 *
 * libxml2 reports an error that has no parser context (most of all an
 * allocation that failed: "Memory allocation failed : ...", from its tree,
 * dictionary and buffer code) through its global error functions, which
 * print to stderr by default; the parser options NOERROR and NOWARNING do not
 * reach those.  The library never prints (issue 20), so every use of libxml2
 * runs between cvb_xml_quiet_begin() and cvb_xml_quiet_end(): the global
 * handlers are replaced by ones that print nothing and count an allocation
 * failure as cvbib's own (cvb_nomem(): the call then fails with "out of
 * memory"), and the caller's handlers are put back after.  A parser's own
 * handler (ctxt->sax->serror, which the XML readers set to keep their first
 * error, and which counts any allocation failure as cvbib's too) still comes
 * first for the errors of its parse.  At the end, libxml2's last error (a
 * message and a file name it keeps) is freed.
 */
#include <libxml/HTMLparser.h>
#include <libxml/xmlerror.h>
#include <libxml/globals.h>
#include "cvb_int.h"

static void
quiet_structured(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	if (e != NULL && e->code == XML_ERR_NO_MEMORY)
		cvb_nomem();
}

static void
quiet_generic(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

void
cvb_xml_quiet_begin(struct cvb_xml_quiet *q)
{
	q->serr = (void (*)(void))xmlStructuredError;
	q->sctx = xmlStructuredErrorContext;
	q->gerr = (void (*)(void))xmlGenericError;
	q->gctx = xmlGenericErrorContext;
	xmlSetStructuredErrorFunc(NULL, quiet_structured);
	xmlSetGenericErrorFunc(NULL, quiet_generic);
}

void
cvb_xml_quiet_end(const struct cvb_xml_quiet *q)
{
	/* libxml2 keeps its last error (message, file name) until the next
	 * one: freed here, so that nothing of a call outlives it */
	if (xmlGetLastError() != NULL && xmlGetLastError()->code == XML_ERR_NO_MEMORY)
		cvb_nomem();
	xmlResetLastError();
	xmlSetStructuredErrorFunc(q->sctx, (xmlStructuredErrorFunc)q->serr);
	xmlSetGenericErrorFunc(q->gctx, (xmlGenericErrorFunc)q->gerr);
}

/*
 * htmlReadMemory() in steps, so that a context that libxml2 could not set up
 * whole (an allocation failed) is never parsed: libxml2 2.9.14 goes on with
 * it and crashes in htmlParseDocument().  The input is valid UTF-8 already
 * (the readers decode it first): the context is told so, which the parser
 * reads as it is, with no encoder, and no encoder is set up for a <meta
 * charset> (HTML_PARSE_IGNORE_ENC); htmlReadMemory(..., "UTF-8", ...) set
 * up one, which converts the input in chunks while it parses, and libxml2
 * crashes when a chunk's buffer cannot grow.
 */
htmlDocPtr
cvb_html_parse(const char *data, size_t len, int options)
{
	htmlParserCtxtPtr ctxt;
	htmlDocPtr doc;

	if (len > (size_t)0x7fffffff)
		len = 0x7fffffff;
	ctxt = htmlCreateMemoryParserCtxt(data, (int)len);
	if (ctxt == NULL)
		return NULL;
	if (ctxt->input == NULL || ctxt->input->cur == NULL || ctxt->input->buf == NULL ||
	    (xmlGetLastError() != NULL && xmlGetLastError()->code == XML_ERR_NO_MEMORY)) {
		htmlFreeParserCtxt(ctxt);
		return NULL;
	}
	ctxt->charset = XML_CHAR_ENCODING_UTF8;	/* not guessed as Latin-1 */
	htmlCtxtUseOptions(ctxt, options | HTML_PARSE_IGNORE_ENC);
	htmlParseDocument(ctxt);
	doc = ctxt->myDoc;
	ctxt->myDoc = NULL;
	if (doc != NULL && ctxt->dictNames && doc->dict == ctxt->dict)
		ctxt->dict = NULL;
	htmlFreeParserCtxt(ctxt);
	return doc;
}
