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

static json_t *
names_json(const struct cvb_name *n, int cv)
{
	json_t *a = json_array();

	for (; n != NULL; n = n->next) {
		json_t *o;

		if (n->flags & CVB_NF_OTHERS)
			continue;
		o = json_object();
		if (n->flags & CVB_NF_INSTITUTION)
			json_object_set_new(o, "literal", json_string(n->family ? n->family : ""));
		else {
			if (n->literal)
				json_object_set_new(o, "literal", json_string(n->literal));
			if (n->family) {
				const char *f = n->family;
				char *full = NULL;

				if (n->non_dropping_particle) {
					size_t l = strlen(n->non_dropping_particle) + strlen(f) + 2;

					full = malloc(l);
					if (full != NULL) {
						snprintf(full, l, "%s %s", n->non_dropping_particle, f);
						f = full;
					} else
						cvb_nomem();
				}
				json_object_set_new(o, "family", json_string(f));
				free(full);
			}
			if (n->given)
				json_object_set_new(o, "given", json_string(n->given));
			if (n->suffix)
				json_object_set_new(o, "suffix", json_string(n->suffix));
		}
		if (cv && n->marker)
			json_object_set_new(o, "marker", json_string(n->marker));
		if (cv && (n->flags & CVB_NF_EQUAL))
			json_object_set_new(o, "equal", json_true());
		if (cv && (n->flags & CVB_NF_CORRESP))
			json_object_set_new(o, "corresponding", json_true());
		json_array_append_new(a, o);
	}
	return a;
}

static void
put_str(json_t *o, const char *key, const char *v)
{
	struct cvb_buf b = CVB_BUF_INIT;

	if (v == NULL || *v == '\0')
		return;
	cvb_rich_plain(&b, v);
	if (b.len)
		json_object_set_new(o, key, json_stringn(b.buf, b.len));
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
		json_t *top = json_object(), *p = json_object();
		const struct cvb_note *nt;
		struct cvb_buf notes = CVB_BUF_INIT;
		int cv = b->input_format != CVBIB_FMT_REFLINES;
		char *s;

		json_object_set_new(top, "id", json_string(it->id ? it->id :
		    it->key ? it->key : ""));
		if (it->names[CVB_NV_AUTHOR])
			json_object_set_new(p, "author", names_json(it->names[CVB_NV_AUTHOR], cv));
		if (it->names[CVB_NV_EDITOR])
			json_object_set_new(p, "editor", names_json(it->names[CVB_NV_EDITOR], cv));
		/* a CV entry kept raw has its whole text as the title; a reference line keeps its parse */
		if (!(it->flags & CVB_IF_RAW) || !cv)
			put_str(p, "title", it->str[CVB_V_TITLE]);
		put_str(p, "container-title", it->str[CVB_V_CONTAINER_TITLE]);
		put_str(p, "publisher", it->str[CVB_V_PUBLISHER]);
		put_str(p, "location", it->str[CVB_V_PUBLISHER_PLACE]);
		put_str(p, "volume", it->str[CVB_V_VOLUME]);
		put_str(p, "issue", it->str[CVB_V_ISSUE]);
		put_str(p, "page", it->str[CVB_V_PAGE]);
		{
			/* a printed arXiv id, as CSL-JSON has it */
			struct cvb_buf a = CVB_BUF_INIT;
			const char *an = cvb_item_arxiv_number(it, &a);

			put_str(p, "number", an != NULL ? an : it->str[CVB_V_NUMBER]);
			cvbib_buf_release(&a);
		}
		if (cvb_item_year(it) != 0)
			json_object_set_new(p, "year", json_sprintf("%d", cvb_item_year(it)));
		/* a reference line's "doi" is a DOI written as one, as the dev set
		 * labels it: one given only as a doi.org link is that link, its "url" */
		if (cv || !doi_in_link(it->str[CVB_V_DOI], it->str[CVB_V_URL]))
			put_str(p, "doi", it->str[CVB_V_DOI]);
		put_str(p, "url", it->str[CVB_V_URL]);
		put_str(p, "status", it->str[CVB_V_STATUS]);
		for (nt = it->notes; nt != NULL; nt = nt->next) {
			if (nt->kind == CVB_NOTE_STATUS && !cv)
				continue;
			if (notes.len)
				cvb_buf_adds(&notes, "; ");
			cvb_buf_adds(&notes, nt->text);
		}
		if (notes.len)
			json_object_set_new(p, "note", json_stringn(notes.buf, notes.len));
		cvbib_buf_release(&notes);
		if (it->type != CVB_T_NONE)
			json_object_set_new(p, "type", json_string(cvb_type_name(it->type)));
		json_object_set_new(top, "pred", p);
		{
			const struct cvb_field *f;

			for (f = it->extra; f != NULL; f = f->next)
				if (strcmp(f->name, "explain") == 0)
					json_object_set_new(top, "explain", json_string(f->value));
		}
		if (cv) {
			const struct cvb_field *f;

			if (it->group)
				json_object_set_new(top, "group", json_string(it->group));
			for (f = it->extra; f != NULL; f = f->next)
				if (strcmp(f->name, "raw") == 0)
					json_object_set_new(top, "raw", json_string(f->value));
			if (it->loc.file)
				json_object_set_new(top, "loc", json_sprintf("%s:%u:%u",
				    it->loc.file, it->loc.line, it->loc.column));
		}
		s = json_dumps(top, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII * 0);
		json_decref(top);
		if (s == NULL)
			return -CVBIB_ENOMEM;
		cvb_buf_adds(out, s);
		cvb_buf_addch(out, '\n');
		free(s);
	}
	return out->err ? -CVBIB_ENOMEM : 0;
}
