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
 * Each line is written by the streaming JSON writer (cvb_jw, compact), byte
 * for byte as json_dumps() of the object with JSON_COMPACT |
 * JSON_PRESERVE_ORDER would write it (a tree per line cost a tenth of the
 * parse): members in the order set, and a member whose string is not UTF-8
 * left out, as json_object_set_new() leaves out a NULL value.
 */
static void
names_json(struct cvb_jw *w, const struct cvb_name *n, int cv)
{
	cvb_jw_open(w, '[');
	for (; n != NULL; n = n->next) {
		size_t mark;

		if (n->flags & CVB_NF_OTHERS)
			continue;
		mark = cvb_jw_member(w, NULL);
		cvb_jw_open(w, '{');
		if (n->flags & CVB_NF_INSTITUTION)
			cvb_jw_str_member(w, "literal", n->family ? n->family : "");
		else {
			if (n->literal)
				cvb_jw_str_member(w, "literal", n->literal);
			if (n->family) {
				struct cvb_buf full = CVB_BUF_INIT;

				if (n->non_dropping_particle) {
					cvb_buf_adds(&full, n->non_dropping_particle);
					cvb_buf_addch(&full, ' ');
				}
				cvb_buf_adds(&full, n->family);
				if (!full.err)
					cvb_jw_str_member(w, "family", full.buf);
				cvbib_buf_release(&full);
			}
			if (n->given)
				cvb_jw_str_member(w, "given", n->given);
			if (n->suffix)
				cvb_jw_str_member(w, "suffix", n->suffix);
		}
		if (cv && n->marker)
			cvb_jw_str_member(w, "marker", n->marker);
		if (cv && (n->flags & CVB_NF_EQUAL))
			cvb_jw_lit_member(w, "equal", "true");
		if (cv && (n->flags & CVB_NF_CORRESP))
			cvb_jw_lit_member(w, "corresponding", "true");
		cvb_jw_close(w, '}');
		cvb_jw_done(w, mark, true);
	}
	cvb_jw_close(w, ']');
}

static void
put_str(struct cvb_jw *w, const char *key, const char *v)
{
	struct cvb_buf b = CVB_BUF_INIT;

	if (v == NULL || *v == '\0')
		return;
	cvb_rich_plain(&b, v);
	if (b.len && !b.err)
		cvb_jw_str_member(w, key, b.buf);
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
		struct cvb_jw w = { .out = out, .compact = 1 };
		char num[64];
		size_t mark;

		cvb_jw_open(&w, '{');
		cvb_jw_str_member(&w, "id", it->id ? it->id : it->key ? it->key : "");
		mark = cvb_jw_member(&w, "pred");
		cvb_jw_open(&w, '{');
		if (it->names[CVB_NV_AUTHOR]) {
			size_t m2 = cvb_jw_member(&w, "author");

			names_json(&w, it->names[CVB_NV_AUTHOR], cv);
			cvb_jw_done(&w, m2, true);
		}
		if (it->names[CVB_NV_EDITOR]) {
			size_t m2 = cvb_jw_member(&w, "editor");

			names_json(&w, it->names[CVB_NV_EDITOR], cv);
			cvb_jw_done(&w, m2, true);
		}
		/* a CV entry kept raw has its whole text as the title; a reference line keeps its parse */
		if (!(it->flags & CVB_IF_RAW) || !cv)
			put_str(&w, "title", it->str[CVB_V_TITLE]);
		put_str(&w, "container-title", it->str[CVB_V_CONTAINER_TITLE]);
		put_str(&w, "publisher", it->str[CVB_V_PUBLISHER]);
		put_str(&w, "location", it->str[CVB_V_PUBLISHER_PLACE]);
		put_str(&w, "volume", it->str[CVB_V_VOLUME]);
		put_str(&w, "issue", it->str[CVB_V_ISSUE]);
		put_str(&w, "page", it->str[CVB_V_PAGE]);
		{
			/* a printed arXiv id, as CSL-JSON has it */
			struct cvb_buf a = CVB_BUF_INIT;
			const char *an = cvb_item_arxiv_number(it, &a);

			put_str(&w, "number", an != NULL ? an : it->str[CVB_V_NUMBER]);
			cvbib_buf_release(&a);
		}
		if (cvb_item_year(it) != 0) {
			snprintf(num, sizeof(num), "%d", cvb_item_year(it));
			cvb_jw_str_member(&w, "year", num);
		}
		/* a reference line's "doi" is a DOI written as one, as the dev set
		 * labels it: one given only as a doi.org link is that link, its "url" */
		if (cv || !doi_in_link(it->str[CVB_V_DOI], it->str[CVB_V_URL]))
			put_str(&w, "doi", it->str[CVB_V_DOI]);
		put_str(&w, "url", it->str[CVB_V_URL]);
		put_str(&w, "status", it->str[CVB_V_STATUS]);
		for (nt = it->notes; nt != NULL; nt = nt->next) {
			if (nt->kind == CVB_NOTE_STATUS && !cv)
				continue;
			if (notes.len)
				cvb_buf_adds(&notes, "; ");
			cvb_buf_adds(&notes, nt->text);
		}
		if (notes.len && !notes.err)
			cvb_jw_str_member(&w, "note", notes.buf);
		cvbib_buf_release(&notes);
		if (it->type != CVB_T_NONE)
			cvb_jw_str_member(&w, "type", cvb_type_name(it->type));
		cvb_jw_close(&w, '}');
		cvb_jw_done(&w, mark, true);
		/* a key set twice keeps its first place and its last value */
		for (last = NULL, f = it->extra; f != NULL; f = f->next)
			if (strcmp(f->name, "explain") == 0)
				last = f;
		if (last != NULL)
			cvb_jw_str_member(&w, "explain", last->value);
		if (cv) {
			if (it->group)
				cvb_jw_str_member(&w, "group", it->group);
			for (last = NULL, f = it->extra; f != NULL; f = f->next)
				if (strcmp(f->name, "raw") == 0)
					last = f;
			if (last != NULL)
				cvb_jw_str_member(&w, "raw", last->value);
			if (it->loc.file) {
				struct cvb_buf l = CVB_BUF_INIT;

				cvb_buf_addf(&l, "%s:%u:%u", it->loc.file, it->loc.line, it->loc.column);
				if (!l.err)
					cvb_jw_str_member(&w, "loc", l.buf);
				cvbib_buf_release(&l);
			}
		}
		cvb_jw_close(&w, '}');
		cvb_buf_addch(out, '\n');
	}
	return out->err ? -CVBIB_ENOMEM : 0;
}
