/*
 * refpred.c - one reference string per line in (--from reflines), and the
 * prediction JSONL of ../shared/refparse/score.py out (--format refpred).
 *
 * A reflines line is one of
 *   - a JSON object with "raw" (and "id"): the lines of dev.jsonl itself;
 *   - "ID<TAB>reference string";
 *   - a bare reference string (its id is then its line number).
 * so that  cvbib --from reflines --format refpred < dev.jsonl > pred.jsonl
 * and      score.py dev.jsonl pred.jsonl  agree on the ids.
 *
 * refpred writes one {"id", "pred": {...}} object per item, with the fields
 * score.py reads (author, editor, title, container-title, publisher,
 * location, volume, issue, page, year, doi, url, note, type, status), and
 * beside "pred" what a CV reader found out about the item: "group", "loc",
 * "raw" (for an entry that could not be parsed) and the name markers.  It
 * works for items of any reader.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <jansson.h>
#include "cvb_int.h"

int
cvb_read_reflines(cvbib_biblio *b, const char *data, size_t len, const char *file,
    const struct cvbib_options *o, struct cvbib_diags *d)
{
	size_t pos = 0;
	unsigned line = 0;
	struct cvb_buf tmp = CVB_BUF_INIT;
	struct cvb_refctx ctx;

	memset(&ctx, 0, sizeof(ctx));
	ctx.explain = o != NULL && o->explain;
	while (pos < len) {
		const char *s = data + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		const char *id = NULL, *raw = s;
		size_t rawlen = n;
		struct cvb_item *it;
		json_t *j = NULL;
		int rc;

		pos += n + (nl != NULL);
		line++;
		while (rawlen > 0 && (raw[rawlen - 1] == '\r' || raw[rawlen - 1] == ' '))
			rawlen--;
		if (rawlen == 0)
			continue;
		if (raw[0] == '{') {
			json_error_t err;
			json_t *jr, *ji;

			j = json_loadb(raw, rawlen, 0, &err);
			if (j == NULL || !json_is_object(j) ||
			    !json_is_string(jr = json_object_get(j, "raw"))) {
				cvb_diag(d, CVB_D_REF_BADLINE, file, line, 1, "%s",
				    j == NULL ? err.text : "no \"raw\" string");
				json_decref(j);
				continue;
			}
			ji = json_object_get(j, "id");
			cvb_buf_reset(&tmp);
			if (json_is_string(ji))
				cvb_buf_adds(&tmp, json_string_value(ji));
			else if (json_is_integer(ji))
				cvb_buf_addf(&tmp, "%lld", (long long)json_integer_value(ji));
			else
				cvb_buf_addf(&tmp, "%u", line);
			id = cvb_arena_strdup(&b->arena, tmp.buf);
			raw = json_string_value(jr);
			rawlen = json_string_length(jr);
		} else {
			const char *tab = memchr(raw, '\t', rawlen);

			if (tab != NULL) {
				id = cvb_arena_strndup(&b->arena, raw, (size_t)(tab - raw));
				rawlen -= (size_t)(tab + 1 - raw);
				raw = tab + 1;
			} else
				id = cvb_arena_printf(&b->arena, "%u", line);
		}
		it = cvb_item_new(b, file, line, 1);
		if (it == NULL || id == NULL) {
			json_decref(j);
			cvbib_buf_release(&tmp);
			cvb_diag(d, CVB_D_NOMEM, file, line, 1, NULL);
			return -CVBIB_ENOMEM;
		}
		it->id = id;
		rc = cvb_refparse(b, it, raw, rawlen, &ctx);
		if (rc < 0) {
			json_decref(j);
			cvbib_buf_release(&tmp);
			return rc;
		}
		if (rc == 0) {
			it->flags |= CVB_IF_RAW;
			cvb_item_add_field(b, it, "raw", cvb_arena_strndup(&b->arena, raw, rawlen), 0);
		}
		json_decref(j);
	}
	cvbib_buf_release(&tmp);
	return 0;
}

/*
 * The output is written directly, byte for byte as json_dumps() of the
 * object with JSON_COMPACT | JSON_PRESERVE_ORDER would write it (a tree per
 * line cost a tenth of the parse): members in the order set, and a member
 * whose string is not UTF-8 left out, as json_object_set_new() leaves out a
 * NULL value.  An object is written between obj_open() and obj_close(); n
 * counts its members.
 */
struct jobj {
	struct cvb_buf	*out;
	int		 n;
};

static void
obj_open(struct jobj *o, struct cvb_buf *out)
{
	o->out = out;
	o->n = 0;
	cvb_buf_addch(out, '{');
}

static void
obj_close(struct jobj *o)
{
	cvb_buf_addch(o->out, '}');
}

/* "key": and the mark to go back to when its value fails */
static size_t
obj_key(struct jobj *o, const char *key)
{
	size_t mark = o->out->len;

	if (o->n > 0)
		cvb_buf_addch(o->out, ',');
	cvb_json_put_string(o->out, key);
	cvb_buf_addch(o->out, ':');
	return mark;
}

static void
obj_str(struct jobj *o, const char *key, const char *v)
{
	size_t mark = obj_key(o, key);

	if (v == NULL || !cvb_json_put_string(o->out, v))
		cvb_buf_setlen(o->out, mark);
	else
		o->n++;
}

static void
obj_true(struct jobj *o, const char *key)
{
	obj_key(o, key);
	cvb_buf_adds(o->out, "true");
	o->n++;
}

static void
names_json(struct cvb_buf *out, const struct cvb_name *n, int cv)
{
	int k = 0;

	cvb_buf_addch(out, '[');
	for (; n != NULL; n = n->next) {
		struct jobj o;

		if (n->flags & CVB_NF_OTHERS)
			continue;
		if (k++ > 0)
			cvb_buf_addch(out, ',');
		obj_open(&o, out);
		if (n->flags & CVB_NF_INSTITUTION)
			obj_str(&o, "literal", n->family ? n->family : "");
		else {
			if (n->literal)
				obj_str(&o, "literal", n->literal);
			if (n->family) {
				if (n->non_dropping_particle) {
					struct cvb_buf full = CVB_BUF_INIT;

					cvb_buf_adds(&full, n->non_dropping_particle);
					cvb_buf_addch(&full, ' ');
					cvb_buf_adds(&full, n->family);
					obj_str(&o, "family", full.err ? NULL : full.buf);
					cvbib_buf_release(&full);
				} else
					obj_str(&o, "family", n->family);
			}
			if (n->given)
				obj_str(&o, "given", n->given);
			if (n->suffix)
				obj_str(&o, "suffix", n->suffix);
		}
		if (cv && n->marker)
			obj_str(&o, "marker", n->marker);
		if (cv && (n->flags & CVB_NF_EQUAL))
			obj_true(&o, "equal");
		if (cv && (n->flags & CVB_NF_CORRESP))
			obj_true(&o, "corresponding");
		obj_close(&o);
	}
	cvb_buf_addch(out, ']');
}

static void
put_str(struct jobj *o, const char *key, const char *v)
{
	struct cvb_buf b = CVB_BUF_INIT;

	if (v == NULL || *v == '\0')
		return;
	cvb_rich_plain(&b, v);
	if (b.len && !b.err)
		obj_str(o, key, b.buf);
	cvbib_buf_release(&b);
}

/* Is the DOI d the end of the doi.org link u? */
static int
doi_in_link(const char *d, const char *u)
{
	size_t dl, ul;

	if (d == NULL || u == NULL || strstr(u, "doi.org/") == NULL)
		return 0;
	dl = strlen(d);
	ul = strlen(u);
	return ul > dl && strcasecmp(u + ul - dl, d) == 0 && u[ul - dl - 1] == '/';
}

int
cvb_write_refpred(cvbib_biblio *b, const struct cvbib_options *o, struct cvb_buf *out,
    struct cvbib_diags *d)
{
	size_t i;

	(void)o;
	(void)d;
	for (i = 0; i < b->n; i++) {
		const struct cvb_item *it = b->items[i];
		const struct cvb_note *nt;
		const struct cvb_field *f, *last;
		struct cvb_buf notes = CVB_BUF_INIT;
		int cv = b->input_format != CVBIB_FMT_REFLINES;
		struct jobj top, p;
		char num[64];

		obj_open(&top, out);
		obj_str(&top, "id", it->id ? it->id : it->key ? it->key : "");
		obj_key(&top, "pred");
		top.n++;
		obj_open(&p, out);
		if (it->names[CVB_NV_AUTHOR]) {
			obj_key(&p, "author");
			names_json(out, it->names[CVB_NV_AUTHOR], cv);
			p.n++;
		}
		if (it->names[CVB_NV_EDITOR]) {
			obj_key(&p, "editor");
			names_json(out, it->names[CVB_NV_EDITOR], cv);
			p.n++;
		}
		/* a CV entry kept raw has its whole text as the title; a reference line keeps its parse */
		if (!(it->flags & CVB_IF_RAW) || !cv)
			put_str(&p, "title", it->str[CVB_V_TITLE]);
		put_str(&p, "container-title", it->str[CVB_V_CONTAINER_TITLE]);
		put_str(&p, "publisher", it->str[CVB_V_PUBLISHER]);
		put_str(&p, "location", it->str[CVB_V_PUBLISHER_PLACE]);
		put_str(&p, "volume", it->str[CVB_V_VOLUME]);
		put_str(&p, "issue", it->str[CVB_V_ISSUE]);
		put_str(&p, "page", it->str[CVB_V_PAGE]);
		{
			/* a printed arXiv id, as CSL-JSON has it */
			struct cvb_buf a = CVB_BUF_INIT;
			const char *an = cvb_item_arxiv_number(it, &a);

			put_str(&p, "number", an != NULL ? an : it->str[CVB_V_NUMBER]);
			cvbib_buf_release(&a);
		}
		if (cvb_item_year(it) != 0) {
			snprintf(num, sizeof(num), "%d", cvb_item_year(it));
			obj_str(&p, "year", num);
		}
		/* a reference line's "doi" is a DOI written as one, as the dev set
		 * labels it: one given only as a doi.org link is that link, its "url" */
		if (cv || !doi_in_link(it->str[CVB_V_DOI], it->str[CVB_V_URL]))
			put_str(&p, "doi", it->str[CVB_V_DOI]);
		put_str(&p, "url", it->str[CVB_V_URL]);
		put_str(&p, "status", it->str[CVB_V_STATUS]);
		for (nt = it->notes; nt != NULL; nt = nt->next) {
			if (nt->kind == CVB_NOTE_STATUS && !cv)
				continue;
			if (notes.len)
				cvb_buf_adds(&notes, "; ");
			cvb_buf_adds(&notes, nt->text);
		}
		if (notes.len && !notes.err)
			obj_str(&p, "note", notes.buf);
		cvbib_buf_release(&notes);
		if (it->type != CVB_T_NONE)
			obj_str(&p, "type", cvb_type_name(it->type));
		obj_close(&p);
		/* a key set twice keeps its first place and its last value */
		for (last = NULL, f = it->extra; f != NULL; f = f->next)
			if (strcmp(f->name, "explain") == 0)
				last = f;
		if (last != NULL)
			obj_str(&top, "explain", last->value);
		if (cv) {
			if (it->group)
				obj_str(&top, "group", it->group);
			for (last = NULL, f = it->extra; f != NULL; f = f->next)
				if (strcmp(f->name, "raw") == 0)
					last = f;
			if (last != NULL)
				obj_str(&top, "raw", last->value);
			if (it->loc.file) {
				struct cvb_buf l = CVB_BUF_INIT;

				cvb_buf_addf(&l, "%s:%u:%u", it->loc.file, it->loc.line, it->loc.column);
				if (!l.err)
					obj_str(&top, "loc", l.buf);
				cvbib_buf_release(&l);
			}
		}
		obj_close(&top);
		cvb_buf_addch(out, '\n');
	}
	return out->err ? -CVBIB_ENOMEM : 0;
}
