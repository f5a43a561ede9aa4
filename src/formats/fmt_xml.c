/*
 * fmt_xml.c - XML input for the readers of src/formats/ (DBLP, EndNote):
 * libxml2 with recovery, the first error reported at its line:column,
 * HTML's named entities (DBLP's DTD declares them) turned into character
 * references by libxml2's own table, and element text as rich text.
 */
#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/HTMLparser.h>
#include "formats/fmt_xml.h"

struct first_err {
	int	 set, line, col;
	char	 msg[256];
};

static void
first_error(void *ctx, xmlErrorPtr e)
{
	xmlParserCtxtPtr c = ctx;
	struct first_err *f = c ? c->_private : NULL;

	/* any allocation that failed, not only a first one: libxml2 stops the
	 * parse there and may report more after it, keeping what it read */
	if (e != NULL && e->code == XML_ERR_NO_MEMORY)
		cvb_nomem();
	if (f == NULL || f->set || e == NULL || e->level < XML_ERR_ERROR)
		return;
	f->set = 1;
	f->line = e->line;
	f->col = e->int2;
	snprintf(f->msg, sizeof(f->msg), "%s", e->message ? e->message : "cannot parse");
}

/* &uuml; and the like (not declared without the DTD) as &#252; */
static char *
named_entities(const char *data, size_t len, size_t *outlen)
{
	struct cvb_buf o = CVB_BUF_INIT;
	size_t i;

	for (i = 0; i < len; i++) {
		if (data[i] == '&' && i + 1 < len && isalpha((unsigned char)data[i + 1])) {
			size_t j = i + 1;
			char name[32];

			while (j < len && j - i < 31 && isalnum((unsigned char)data[j]))
				j++;
			if (j < len && data[j] == ';') {
				const htmlEntityDesc *e;

				memcpy(name, data + i + 1, j - i - 1);
				name[j - i - 1] = '\0';
				if (strcmp(name, "amp") != 0 && strcmp(name, "lt") != 0 &&
				    strcmp(name, "gt") != 0 && strcmp(name, "quot") != 0 &&
				    strcmp(name, "apos") != 0 &&
				    (e = htmlEntityLookup((const xmlChar *)name)) != NULL) {
					cvb_buf_addf(&o, "&#%u;", e->value);
					i = j;
					continue;
				}
			}
		}
		cvb_buf_addch(&o, data[i]);
	}
	*outlen = o.len;
	if (o.err) {
		cvbib_buf_release(&o);
		return NULL;
	}
	return cvbib_buf_detach(&o, NULL);
}

xmlDocPtr
fmt_xml_read(struct fmt *f, const char *data, size_t len)
{
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	xmlDocPtr doc;
	struct first_err fe;
	char *text;
	size_t tlen;

	if (ctxt == NULL) {
		cvb_nomem();
		return NULL;
	}
	if ((text = named_entities(data, len, &tlen)) == NULL) {
		xmlFreeParserCtxt(ctxt);
		return NULL;
	}
	memset(&fe, 0, sizeof(fe));
	ctxt->_private = &fe;
	if (ctxt->sax)
		ctxt->sax->serror = first_error;
	if (tlen > INT32_MAX)
		tlen = INT32_MAX;
	doc = xmlCtxtReadMemory(ctxt, text, (int)tlen, f->file, NULL, XML_PARSE_NONET |
	    XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA | XML_PARSE_RECOVER |
	    XML_PARSE_HUGE);
	if (ctxt->errNo == XML_ERR_NO_MEMORY)
		cvb_nomem();	/* not the file's fault: the read fails */
	if (doc == NULL || ctxt->wellFormed == 0) {
		size_t ml = strlen(fe.msg);

		while (ml > 0 && (fe.msg[ml - 1] == '\n' || fe.msg[ml - 1] == ' '))
			ml--;
		cvb_diag(f->d, doc ? CVB_D_FMT_BAD_ENTRY : CVB_D_FMT_NOT_READ, f->file,
		    fe.line > 0 ? (unsigned)fe.line : 0, fe.col > 0 ? (unsigned)fe.col : 0,
		    "XML is not well-formed (%.*s)%s", (int)ml, fe.set ? fe.msg : "cannot parse",
		    doc ? "; what could be read is kept" : "");
	}
	xmlFreeParserCtxt(ctxt);
	free(text);
	return doc;
}

bool
fmt_xml_is(const xmlNode *n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

xmlNodePtr
fmt_xml_child(const xmlNode *n, const char *name)
{
	xmlNodePtr c;

	for (c = n ? n->children : NULL; c != NULL; c = c->next)
		if (fmt_xml_is(c, name))
			return c;
	return NULL;
}

const char *
fmt_xml_text(struct fmt *f, const xmlNode *n)
{
	xmlChar *s;
	const char *r;

	if (n == NULL)
		return NULL;
	s = xmlNodeGetContent(n);
	if (s == NULL)
		return NULL;
	r = fmt_str(f, (const char *)s);
	xmlFree(s);
	return r;
}

const char *
fmt_xml_attr(struct fmt *f, const xmlNode *n, const char *name)
{
	xmlChar *s;
	const char *r;

	if (n == NULL || (s = xmlGetProp(n, (const xmlChar *)name)) == NULL)
		return NULL;
	r = fmt_str(f, (const char *)s);
	xmlFree(s);
	return r;
}

static void
rich_of(struct cvb_buf *o, const xmlNode *n)
{
	const xmlNode *c;

	for (c = n->children; c != NULL; c = c->next) {
		const char *tag = NULL;

		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			if (c->content != NULL)
				cvb_buf_adds(o, (const char *)c->content);
			continue;
		}
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (fmt_xml_is(c, "i") || fmt_xml_is(c, "em"))
			tag = "i";
		else if (fmt_xml_is(c, "b") || fmt_xml_is(c, "strong"))
			tag = "b";
		else if (fmt_xml_is(c, "sub"))
			tag = "sub";
		else if (fmt_xml_is(c, "sup"))
			tag = "sup";
		if (tag != NULL)
			cvb_buf_addf(o, "<%s>", tag);
		rich_of(o, c);
		if (tag != NULL)
			cvb_buf_addf(o, "</%s>", tag);
	}
}

const char *
fmt_xml_rich(struct fmt *f, const xmlNode *n)
{
	struct cvb_buf o = CVB_BUF_INIT;
	const char *r = NULL;

	if (n == NULL)
		return NULL;
	rich_of(&o, n);
	if (!o.err)
		r = fmt_strn(f, o.buf, o.len);
	cvbib_buf_release(&o);
	return r;
}

unsigned
fmt_xml_line(const xmlNode *n)
{
	long l = n ? xmlGetLineNo(n) : 0;

	return l > 0 ? (unsigned)l : 0;
}
