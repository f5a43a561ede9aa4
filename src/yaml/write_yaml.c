/*
 * write_yaml.c - the CSL-YAML and RenderCV writers (libyaml's emitter).
 *
 * CSL-YAML is the CSL-JSON of write_csljson.c (cvb_item_to_json, same keys in
 * the same order) emitted as a pandoc metadata block:
 *
 *	---
 *	references:
 *	- id: ...
 *	...
 *
 * Its strings are pandoc markdown, as pandoc reads them (yaml_md.c: <i>x</i>
 * is *x*).  Strings that a YAML reader would take for something else
 * (numbers, dates, booleans, null, "yes"/"no" of YAML 1.1, the empty string)
 * are quoted, so that reading the output back gives the same JSON values:
 * CSL-JSON to CSL-YAML to CSL-JSON gives the same bytes.
 *
 * RenderCV: a "cv.sections" mapping whose sections (the items' CV groups, or
 * "publications") hold PublicationEntry mappings: title, authors (the CV
 * owner in **bold**), date, journal, doi, url, summary.
 *
 * Output is deterministic: UTF-8, no line folding, two-space indentation.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <jansson.h>
#include <yaml.h>
#include "cvb_int.h"

struct yout {
	yaml_emitter_t	 em;
	int		 failed;
};

static int
out_handler(void *data, unsigned char *buf, size_t size)
{
	struct cvb_buf *out = data;

	cvb_buf_add(out, buf, size);
	return out->err ? 0 : 1;
}

static void
emit(struct yout *y, yaml_event_t *e, int ok)
{
	if (y->failed) {
		if (ok)
			yaml_event_delete(e);	/* made, but not handed over */
		return;
	}
	if (!ok || !yaml_emitter_emit(&y->em, e))
		y->failed = 1;		/* the emitter deleted e */
}

/* Would a plain scalar s be read as something other than this string? */
static bool
needs_quotes(const char *s)
{
	static const char *const words[] = { "y", "Y", "yes", "Yes", "YES", "n", "N", "no",
	    "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON",
	    "off", "Off", "OFF", "null", "Null", "NULL", "~", ".inf", ".Inf", ".INF",
	    "-.inf", "-.Inf", "-.INF", "+.inf", ".nan", ".NaN", ".NAN", "<<", "=", NULL };
	size_t i;

	if (*s == '\0')
		return true;
	for (i = 0; words[i] != NULL; i++)
		if (strcmp(s, words[i]) == 0)
			return true;
	/* anything that starts like a number (ints, floats, dates, times) */
	if (isdigit((unsigned char)s[0]))
		return true;
	if ((s[0] == '-' || s[0] == '+' || s[0] == '.') && isdigit((unsigned char)s[1]))
		return true;
	if ((s[0] == '-' || s[0] == '+') && s[1] == '.' && isdigit((unsigned char)s[2]))
		return true;
	return false;
}

static void emit_str(struct yout *, const char *, size_t);

/* s with each invalid UTF-8 byte replaced by U+FFFD (the model should hold none). */
static void
emit_fixed_str(struct yout *y, const char *s, size_t n)
{
	struct cvb_buf o = CVB_BUF_INIT;
	size_t i = 0;

	while (i < n) {
		uint32_t cp;
		int k = cvb_utf8_decode(s + i, n - i, &cp);

		if (k <= 0)
			k = 1;
		cvb_buf_addcp(&o, cp);
		i += (size_t)k;
	}
	if (o.err)
		y->failed = 1;
	else
		emit_str(y, o.buf, o.len);
	cvbib_buf_release(&o);
}

static void
emit_str(struct yout *y, const char *s, size_t n)
{
	yaml_event_t e;

	if (!cvb_utf8_valid(s, n)) {
		emit_fixed_str(y, s, n);
		return;
	}

	yaml_scalar_style_t style = YAML_ANY_SCALAR_STYLE;

	if (memchr(s, '\n', n) != NULL)
		style = YAML_LITERAL_SCALAR_STYLE;	/* libyaml quotes it when it must */
	else if (needs_quotes(s))
		style = YAML_SINGLE_QUOTED_SCALAR_STYLE;
	emit(y, &e, yaml_scalar_event_initialize(&e, NULL, NULL, (yaml_char_t *)s, (int)n, 1, 1,
	    style));
}

static void
emit_plain(struct yout *y, const char *s)
{
	yaml_event_t e;

	emit(y, &e, yaml_scalar_event_initialize(&e, NULL, NULL, (yaml_char_t *)s, (int)strlen(s),
	    1, 1, YAML_PLAIN_SCALAR_STYLE));
}

static void
emit_map_start(struct yout *y)
{
	yaml_event_t e;

	emit(y, &e, yaml_mapping_start_event_initialize(&e, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE));
}

static void
emit_map_end(struct yout *y)
{
	yaml_event_t e;

	emit(y, &e, yaml_mapping_end_event_initialize(&e));
}

static void
emit_seq_start(struct yout *y, bool flow)
{
	yaml_event_t e;

	emit(y, &e, yaml_sequence_start_event_initialize(&e, NULL, NULL, 1,
	    flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE));
}

static void
emit_seq_end(struct yout *y)
{
	yaml_event_t e;

	emit(y, &e, yaml_sequence_end_event_initialize(&e));
}

static void
emit_key(struct yout *y, const char *k)
{
	emit_str(y, k, strlen(k));
}

/* Is v a list of numbers (a date-parts row: written in flow style, [2020, 3])? */
static bool
number_row(const json_t *v)
{
	size_t i;

	for (i = 0; i < json_array_size(v); i++) {
		const json_t *x = json_array_get(v, i);
		const char *s = json_string_value(x);

		if (json_is_number(x))
			continue;
		if (s == NULL || *s == '\0' || strspn(s, "-0123456789") != strlen(s))
			return false;
	}
	return json_array_size(v) > 0;
}

/* Strings of a CSL item as pandoc markdown, but for cvbib's "custom" fields. */
static json_t *
md_json(json_t *v, bool top)
{
	json_t *r, *x;
	const char *k;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_STRING: {
		struct cvb_buf o = CVB_BUF_INIT;

		cvb_md_from_rich(&o, json_string_value(v));
		r = o.err ? NULL : json_stringn_nocheck(o.buf, o.len);
		cvbib_buf_release(&o);
		return r;
	}
	case JSON_ARRAY:
		if ((r = json_array()) == NULL)
			return NULL;
		for (i = 0; i < json_array_size(v); i++)
			if (json_array_append_new(r, md_json(json_array_get(v, i), false)) != 0) {
				json_decref(r);
				return NULL;
			}
		return r;
	case JSON_OBJECT:
		if ((r = json_object()) == NULL)
			return NULL;
		json_object_foreach(v, k, x)
			if (json_object_set_new(r, k, top && strcmp(k, "custom") == 0 ?
			    json_incref(x) : md_json(x, false)) != 0) {
				json_decref(r);
				return NULL;
			}
		return r;
	default:
		return json_incref(v);
	}
}

static void
emit_json(struct yout *y, const json_t *v)
{
	const char *k;
	json_t *x;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		emit_map_start(y);
		json_object_foreach((json_t *)v, k, x) {
			emit_key(y, k);
			emit_json(y, x);
		}
		emit_map_end(y);
		break;
	case JSON_ARRAY:
		emit_seq_start(y, number_row(v));
		for (i = 0; i < json_array_size(v); i++)
			emit_json(y, json_array_get(v, i));
		emit_seq_end(y);
		break;
	case JSON_STRING:
		emit_str(y, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
	case JSON_REAL: {
		char *s = json_dumps(v, JSON_ENCODE_ANY);

		if (s == NULL) {
			y->failed = 1;
			break;
		}
		emit_plain(y, s);
		free(s);
		break;
	}
	case JSON_TRUE:
		emit_plain(y, "true");
		break;
	case JSON_FALSE:
		emit_plain(y, "false");
		break;
	case JSON_NULL:
		emit_plain(y, "null");
		break;
	}
}

static void
doc_start(struct yout *y, struct cvb_buf *out)
{
	yaml_event_t e;

	memset(y, 0, sizeof(*y));
	if (!yaml_emitter_initialize(&y->em)) {
		y->failed = 1;
		return;
	}
	yaml_emitter_set_output(&y->em, out_handler, out);
	yaml_emitter_set_unicode(&y->em, 1);
	yaml_emitter_set_width(&y->em, -1);
	yaml_emitter_set_indent(&y->em, 2);
	emit(y, &e, yaml_stream_start_event_initialize(&e, YAML_UTF8_ENCODING));
	emit(y, &e, yaml_document_start_event_initialize(&e, NULL, NULL, NULL, 0));
}

static int
doc_end(struct yout *y, struct cvb_buf *out, struct cvbib_diags *d)
{
	yaml_event_t e;
	int rc = 0;

	emit(y, &e, yaml_document_end_event_initialize(&e, 0));
	emit(y, &e, yaml_stream_end_event_initialize(&e));
	if (!y->failed && !yaml_emitter_flush(&y->em))
		y->failed = 1;
	if (out->err || y->failed) {
		/* strings are valid UTF-8 (emit_str), so only memory can run out */
		cvb_diag(d, CVB_D_NOMEM, NULL, 0, 0, NULL);
		rc = -CVBIB_ENOMEM;
	}
	yaml_emitter_delete(&y->em);
	return rc;
}

/* The item as the CSL-YAML writers emit it (a new reference; NULL: no memory). */
static json_t *
item_md(const struct cvb_item *it)
{
	json_t *o = cvb_item_to_json(it), *m;

	m = o != NULL ? md_json(o, true) : NULL;
	json_decref(o);
	return m;
}

/* The CSL-YAML of item it as a list of one item ("- id: ...") in out. */
static int
item_yaml(const struct cvb_item *it, struct cvb_buf *out, struct cvbib_diags *d)
{
	struct yout y;
	yaml_event_t e;
	json_t *m = item_md(it);

	memset(&y, 0, sizeof(y));
	if (!yaml_emitter_initialize(&y.em)) {
		json_decref(m);
		cvb_diag(d, CVB_D_NOMEM, NULL, 0, 0, NULL);
		return -CVBIB_ENOMEM;
	}
	yaml_emitter_set_output(&y.em, out_handler, out);
	yaml_emitter_set_unicode(&y.em, 1);
	yaml_emitter_set_width(&y.em, -1);
	yaml_emitter_set_indent(&y.em, 2);
	emit(&y, &e, yaml_stream_start_event_initialize(&e, YAML_UTF8_ENCODING));
	/* implicit: no "---" and no "..." around it */
	emit(&y, &e, yaml_document_start_event_initialize(&e, NULL, NULL, NULL, 1));
	emit_seq_start(&y, false);
	if (m == NULL)
		y.failed = 1;
	else
		emit_json(&y, m);
	json_decref(m);
	emit_seq_end(&y);
	emit(&y, &e, yaml_document_end_event_initialize(&e, 1));
	emit(&y, &e, yaml_stream_end_event_initialize(&e));
	if (!y.failed && !yaml_emitter_flush(&y.em))
		y.failed = 1;
	yaml_emitter_delete(&y.em);
	if (out->err || y.failed) {
		cvb_diag(d, CVB_D_NOMEM, NULL, 0, 0, NULL);
		return -CVBIB_ENOMEM;
	}
	return 0;
}

/* One item as a YAML flow mapping on one line (JSON's syntax), appended to out. */
static int
item_flow(const struct cvb_item *it, struct cvb_buf *out, struct cvbib_diags *d)
{
	json_t *m = item_md(it);
	char *s;

	s = m != NULL ? json_dumps(m, JSON_PRESERVE_ORDER) : NULL;
	json_decref(m);
	if (s == NULL) {
		cvb_diag(d, CVB_D_NOMEM, NULL, 0, 0, NULL);
		return -CVBIB_ENOMEM;
	}
	cvb_buf_adds(out, s);
	free(s);
	return 0;
}

/*
 * An in-place rewrite after enrichment (keep_unchanged): the items
 * enrichment did not change, and the text around them (comments, blank
 * lines, other keys, a markdown body after front matter), are copied from
 * the input; a changed item is written anew where it was, indented as it
 * was (read_yaml.c's item_span() says where each item lies).
 */
static int
write_spliced(cvbib_biblio *b, struct cvb_buf *out, struct cvbib_diags *d)
{
	struct cvb_buf one = CVB_BUF_INIT, tmp = CVB_BUF_INIT;
	size_t i, at = 0, start = out->len;
	int rc = 0;

	for (i = 0; i < b->n && rc == 0; i++) {
		const struct cvb_item *it = b->items[i];
		const char *src = b->src + it->src_off;
		size_t n = it->src_end - it->src_off, ind = strspn(src, " "), k, from;

		cvb_buf_add(out, b->src + at, it->src_off - at);
		at = it->src_end;
		if (!(it->flags & CVB_IF_CHANGED)) {
			cvb_buf_add(out, src, n);
			continue;
		}
		if (n > 0 && src[0] == '{') {
			/* an item of a flow list: a flow mapping again, on one line
			 * (JSON's syntax, which YAML's flow style reads) */
			if ((rc = item_flow(it, out, d)) != 0)
				break;
			continue;
		}
		cvb_buf_reset(&one);
		if ((rc = item_yaml(it, &one, d)) != 0)
			break;
		from = out->len;
		for (k = 0; k < one.len; k++) {
			/* every line that has text, indented as the item was */
			if ((k == 0 || one.buf[k - 1] == '\n') && one.buf[k] != '\n')
				cvb_buf_addf(out, "%*s", (int)ind, "");
			cvb_buf_addch(out, one.buf[k]);
		}
		/* the item was the last text, without a line end */
		if (n > 0 && src[n - 1] != '\n' && out->len > from && out->buf[out->len - 1] == '\n')
			cvb_buf_setlen(out, out->len - 1);
		cvb_src_line_ends(out, from, src, n, &tmp);
	}
	if (rc == 0)
		cvb_buf_add(out, b->src + at, b->src_len - at);
	cvbib_buf_release(&one);
	cvbib_buf_release(&tmp);
	if (rc == 0 && out->err) {
		cvb_diag(d, CVB_D_NOMEM, NULL, 0, 0, NULL);
		rc = -CVBIB_ENOMEM;
	}
	if (rc != 0)
		cvb_buf_setlen(out, start);
	return rc;
}

int
cvb_write_cslyaml(cvbib_biblio *b, const struct cvbib_options *opts,
    struct cvb_buf *out, struct cvbib_diags *d)
{
	struct yout y;
	size_t i, start = out->len;
	int rc;

	if (cvb_src_splice_ok(b, opts))
		return write_spliced(b, out, d);
	if (opts != NULL && opts->keep_unchanged && b->src_doc) {
		/* CSL-YAML alone over a Markdown document would lose its body */
		cvb_diag(d, CVB_D_YAML_DOC_WHOLE, b->n > 0 ? b->items[0]->loc.file : NULL, 0, 0, NULL);
		return -CVBIB_EUNSUPP;
	}
	doc_start(&y, out);
	emit_map_start(&y);
	emit_key(&y, "references");
	emit_seq_start(&y, false);
	for (i = 0; i < b->n && !y.failed; i++) {
		json_t *m = item_md(b->items[i]);

		if (m == NULL) {
			y.failed = 1;
			break;
		}
		emit_json(&y, m);
		json_decref(m);
	}
	emit_seq_end(&y);
	emit_map_end(&y);
	rc = doc_end(&y, out, d);
	if (rc != 0)
		cvb_buf_setlen(out, start);
	return rc;
}

/* ---- RenderCV ---------------------------------------------------------------- */

/* CSL rich text as RenderCV's markdown: <i> *x*, <b> **x**, other tags dropped. */
static void
rich_md(struct cvb_buf *o, const char *s)
{
	struct cvb_rich r;

	cvb_rich_init(&r, s);
	while (cvb_rich_next(&r) != CVB_RT_END) {
		if (r.tok == CVB_RT_TEXT)
			cvb_buf_add(o, r.text, r.len);
		else if (r.tag == CVB_R_I)
			cvb_buf_addch(o, '*');
		else if (r.tag == CVB_R_B)
			cvb_buf_adds(o, "**");
	}
}

/* What a RenderCV output cannot hold: reported once per field and file. */
struct rlost {
	struct cvbib_diags	*d;
	json_t			*seen;		/* fields reported already */
	const struct cvb_item	*it;
	bool			 used[CVB_V__COUNT];
};

static void
lost(struct rlost *l, const char *field, const char *what)
{
	const struct cvb_item *it = l->it;

	if (l->seen == NULL || json_object_get(l->seen, field) != NULL)
		return;
	json_object_set_new(l->seen, field, json_true());
	cvb_diag(l->d, CVB_D_RCV_LOST, it->loc.file, it->loc.line, it->loc.column,
	    "%s%s (first in '%s')", field, what ? what : "",
	    it->key ? it->key : it->id ? it->id : "?");
}

/* Formatting rich_md() cannot write (small caps, super/subscript). */
static bool
lost_markup(const char *s)
{
	struct cvb_rich r;

	cvb_rich_init(&r, s);
	while (cvb_rich_next(&r) != CVB_RT_END)
		if (r.tok == CVB_RT_OPEN && (r.tag == CVB_R_SC || r.tag == CVB_R_SUP || r.tag == CVB_R_SUB))
			return true;
	return false;
}

/* Everything of the item that emit_entry() did not write. */
static void
lost_rest(struct rlost *l)
{
	const struct cvb_item *it = l->it;
	const char *key = it->key;	/* an id alone may be one a reader made up */
	const struct cvb_note *nt;
	size_t i;

	l->used[CVB_V_CITATION_KEY] = l->used[CVB_V_CITATION_NUMBER] = true;
	for (nt = it->notes; nt != NULL && it->str[CVB_V_STATUS] != NULL; nt = nt->next)
		if (nt->kind == CVB_NOTE_STATUS && nt->text != NULL &&
		    strcmp(nt->text, it->str[CVB_V_STATUS]) == 0)
			l->used[CVB_V_STATUS] = true;	/* in the journal, as a note */
	for (i = 0; i < CVB_V__COUNT; i++)
		if (it->str[i] != NULL && !l->used[i])
			lost(l, cvb_var_name((enum cvb_var)i), NULL);
	for (i = 0; i < CVB_NV__COUNT; i++)
		if (it->names[i] != NULL && i != CVB_NV_AUTHOR)
			lost(l, cvb_nvar_name((enum cvb_nvar)i), NULL);
	for (i = 0; i < CVB_DV__COUNT; i++)
		if (it->date[i] != NULL && i != CVB_DV_ISSUED)
			lost(l, cvb_dvar_name((enum cvb_dvar)i), NULL);
	if (it->categories != NULL && it->categories[0] != NULL)
		lost(l, "categories", NULL);
	if (it->flags & CVB_IF_SELECTED)
		lost(l, "selected", NULL);
	/* the reader takes a journal article when there is a journal */
	if (it->type != CVB_T_ARTICLE_JOURNAL && it->type != CVB_T_ARTICLE)
		lost(l, "type", " (RenderCV has no entry types)");
	if (key != NULL && (key[0] != '\0'))
		lost(l, "citation key", " (RenderCV entries have none)");
}

static void
emit_field(struct yout *y, const char *key, const char *rich)
{
	struct cvb_buf t = CVB_BUF_INIT;

	if (rich == NULL)
		return;
	rich_md(&t, rich);
	if (t.err) {
		y->failed = 1;
	} else if (t.len > 0) {
		emit_key(y, key);
		emit_str(y, t.buf, t.len);
	}
	cvbib_buf_release(&t);
}

/*
 * Part p of a name as RenderCV text (markdown): a star is "\*", so that it
 * is not read as emphasis or an equal-contribution marker; with together
 * set, its words are held together by no-break spaces, so that a family
 * name of several words or a name in one piece reads back whole (the text
 * shows the same).
 */
static void
name_part(struct cvb_buf *o, const char *p, bool together)
{
	struct cvb_buf t = CVB_BUF_INIT;
	size_t i;

	cvb_rich_plain(&t, p);
	for (i = 0; i < t.len; i++)
		if (t.buf[i] == '*')
			cvb_buf_adds(o, "\\*");
		else if (t.buf[i] == ' ' && together)
			cvb_buf_adds(o, "\xC2\xA0");
		else
			cvb_buf_addch(o, t.buf[i]);
	if (t.err)
		o->err = 1;
	cvbib_buf_release(&t);
}

/* Are the words of s (rich text) particles the reader takes for one? */
static bool
particles(const char *s)
{
	const char *p = s, *e;

	while (*p != '\0') {
		e = p + strcspn(p, " ");
		if (!islower((unsigned char)*p) || !cvb_bibtex_is_particle(p, (size_t)(e - p)))
			return false;
		p = *e ? e + 1 : e;
	}
	return true;
}

/*
 * A name as RenderCV text, "Given [particle] Family [Jr.]", which the reader
 * (read_yaml.c) splits back into the same parts; false when a part would not
 * come back (a suffix other than Jr., Sr., II, III, a dropping particle or
 * one the reader does not know, a name in one piece with a comma).  A name
 * without a given name reads back as a name in one piece (literal), which
 * CSL prints the same.
 */
static bool
name_text(struct cvb_buf *o, const struct cvb_name *n)
{
	static const char *const suffixes[] = { "Jr.", "Sr.", "Jr", "II", "III" };
	size_t start = o->len, i;
	bool whole = true;

	if (n->literal != NULL || (n->flags & CVB_NF_INSTITUTION && n->family && !n->given)) {
		const char *l = n->literal != NULL ? n->literal : n->family;

		name_part(o, l, true);
		return strchr(l, ',') == NULL;
	}
#define PART(p, tog) if (p != NULL) { if (o->len > start) cvb_buf_addch(o, ' '); name_part(o, p, tog); }
	PART(n->given, false);
	PART(n->dropping_particle, false);
	PART(n->non_dropping_particle, false);
	PART(n->family, true);
#undef PART
	if (n->dropping_particle != NULL || (n->non_dropping_particle != NULL &&
	    !particles(n->non_dropping_particle)) ||
	    (n->family != NULL && strchr(n->family, ',') != NULL))
		whole = false;
	if (n->suffix != NULL) {
		cvb_buf_adds(o, n->flags & CVB_NF_COMMA_SUFFIX ? ", " : " ");
		cvb_rich_plain(o, n->suffix);
		for (i = 0; i < CVB_ARRAY_SIZE(suffixes); i++)
			if (strcmp(n->suffix, suffixes[i]) == 0)
				break;
		if (i == CVB_ARRAY_SIZE(suffixes) || (n->flags & CVB_NF_COMMA_SUFFIX))
			whole = false;
	}
	return whole;
}

/* Does the name match one of --highlight's names (as "Given Family" or family)? */
static bool
highlighted(const struct cvb_name *n, const char *text, const struct cvbib_options *opts)
{
	size_t i;

	if (n->flags & CVB_NF_HIGHLIGHT)
		return true;
	for (i = 0; opts != NULL && opts->highlight != NULL && opts->highlight[i] != NULL; i++)
		if (strcasecmp(opts->highlight[i], text) == 0)
			return true;
	return false;
}

/*
 * Does the reader (cv_name_split() in read_yaml.c) give n its marks back from
 * its marker?  It reads *, ‡ (equal contribution) and † (corresponding)
 * after a name; other markers ("1", "§") are written as those symbols.
 */
static bool
marker_reads_back(const struct cvb_name *n)
{
	const char *m = n->marker;
	unsigned f = 0;

	while (*m != '\0') {
		if (*m == '*')
			f |= CVB_NF_EQUAL, m++;
		else if (strncmp(m, "\xE2\x80\xA1", 3) == 0)
			f |= CVB_NF_EQUAL, m += 3;
		else if (strncmp(m, "\xE2\x80\xA0", 3) == 0)
			f |= CVB_NF_CORRESP, m += 3;
		else
			return false;
	}
	return f == (n->flags & (CVB_NF_EQUAL | CVB_NF_CORRESP));
}

static void
emit_authors(struct yout *y, const struct cvb_item *it, const struct cvbib_options *opts,
    struct rlost *l)
{
	const struct cvb_name *n;
	struct cvb_buf t = CVB_BUF_INIT, full = CVB_BUF_INIT;

	emit_key(y, "authors");
	emit_seq_start(y, false);
	for (n = it->names[CVB_NV_AUTHOR]; n != NULL; n = n->next) {
		cvb_buf_reset(&t);
		cvb_buf_reset(&full);
		if (n->flags & CVB_NF_OTHERS) {
			emit_plain(y, "et al.");
			continue;
		}
		/* RenderCV's names are text: what reads back other parts is reported */
		if (!name_text(&t, n))
			lost(l, "author name parts", " (a suffix other than Jr., Sr., II or "
			    "III, a particle the reader does not know as one, or a comma in a "
			    "family name or a name in one piece reads back as other parts)");
		if (highlighted(n, t.buf, opts)) {
			cvb_buf_adds(&full, "**");
			cvb_buf_add(&full, t.buf, t.len);
			cvb_buf_adds(&full, "**");
		} else
			cvb_buf_add(&full, t.buf, t.len);
		if (n->marker != NULL && marker_reads_back(n))
			cvb_buf_adds(&full, n->marker);
		else {
			if (n->flags & CVB_NF_EQUAL)
				cvb_buf_addch(&full, '*');
			if (n->flags & CVB_NF_CORRESP)
				cvb_buf_adds(&full, "\xE2\x80\xA0");
		}
		if (full.err)
			y->failed = 1;
		else
			emit_str(y, full.buf, full.len);
	}
	emit_seq_end(y);
	cvbib_buf_release(&t);
	cvbib_buf_release(&full);
}

static void
emit_date(struct yout *y, const struct cvb_date *d)
{
	char buf[64];

	if (d == NULL)
		return;
	if (d->nparts[0] > 0) {
		if (d->nparts[0] >= 3)
			snprintf(buf, sizeof(buf), "%04d-%02d-%02d", d->parts[0][0], d->parts[0][1],
			    d->parts[0][2]);
		else if (d->nparts[0] == 2)
			snprintf(buf, sizeof(buf), "%04d-%02d", d->parts[0][0], d->parts[0][1]);
		else
			snprintf(buf, sizeof(buf), "%d", d->parts[0][0]);
		emit_key(y, "date");
		emit_str(y, buf, strlen(buf));
	} else if (d->literal != NULL || d->raw != NULL) {
		const char *s = d->literal ? d->literal : d->raw;

		emit_key(y, "date");
		emit_str(y, s, strlen(s));
	}
}

static bool
string_list(const json_t *v)
{
	size_t i;

	if (!json_is_array(v))
		return false;
	for (i = 0; i < json_array_size(v); i++)
		if (!json_is_string(json_array_get(v, i)))
			return false;
	return true;
}

static void
emit_entry(struct yout *y, const struct cvb_item *it, const struct cvbib_options *opts,
    struct cvbib_diags *d, struct rlost *l)
{
	/*
	 * Keys written from the model, and the keys by which RenderCV tells the
	 * other entry kinds (its first match wins, so an extra field named so
	 * would make the section something else).
	 */
	static const char *const own[] = { "title", "authors", "date", "journal", "doi",
	    "url", "summary", "label", "details", "name", "company", "position",
	    "institution", "area", "degree", "bullet", "number", "reversed_number", NULL };
	const struct cvb_field *f;
	const char *doi = it->str[CVB_V_DOI], *url = it->str[CVB_V_URL];
	size_t i;

	memset(l->used, 0, sizeof(l->used));
	l->it = it;
	l->used[CVB_V_TITLE] = l->used[CVB_V_ABSTRACT] = true;
	if (it->str[CVB_V_TITLE] != NULL && lost_markup(it->str[CVB_V_TITLE]))
		lost(l, "formatting", " (small caps, super/subscript)");
	emit_map_start(y);
	emit_key(y, "title");
	if (it->str[CVB_V_TITLE] != NULL) {
		struct cvb_buf t = CVB_BUF_INIT;

		rich_md(&t, it->str[CVB_V_TITLE]);
		emit_str(y, t.buf, t.len);
		cvbib_buf_release(&t);
	} else {
		cvb_diag(d, CVB_D_YAML_BAD_VALUE, it->loc.file, it->loc.line, it->loc.column,
		    "'%s' has no title, which RenderCV needs; written as ''", it->id ? it->id : "?");
		emit_str(y, "", 0);
	}
	emit_authors(y, it, opts, l);
	emit_date(y, it->date[CVB_DV_ISSUED]);
	if (it->date[CVB_DV_ISSUED] != NULL) {
		const struct cvb_date *dt = it->date[CVB_DV_ISSUED];

		if (dt->nparts[0] > 0 && (dt->nparts[1] > 0 || dt->open_end))
			lost(l, "issued", " (the end of a date range)");
		else if (dt->nparts[0] > 0 && (dt->circa || dt->season || dt->season_str))
			lost(l, "issued", " (circa or season)");
	}
	/*
	 * RenderCV's journal is "the journal, conference, or venue"; awards,
	 * presentations and status follow it, as RenderCV's own examples write
	 * them ("ICLR 2021, Best Paper Award").
	 */
	{
		const char *venue = it->str[CVB_V_CONTAINER_TITLE] ? it->str[CVB_V_CONTAINER_TITLE] :
		    it->str[CVB_V_EVENT_TITLE] ? it->str[CVB_V_EVENT_TITLE] : it->str[CVB_V_PUBLISHER];
		struct cvb_buf j = CVB_BUF_INIT;
		const struct cvb_note *nt;

		if (venue != NULL)
			cvb_buf_adds(&j, venue);
		l->used[venue == it->str[CVB_V_CONTAINER_TITLE] ? CVB_V_CONTAINER_TITLE :
		    venue == it->str[CVB_V_EVENT_TITLE] ? CVB_V_EVENT_TITLE : CVB_V_PUBLISHER] = true;
		for (nt = it->notes; nt != NULL; nt = nt->next) {
			if (nt->kind == CVB_NOTE_OTHER && nt->text != NULL)
				lost(l, "note", NULL);
			if (nt->kind == CVB_NOTE_OTHER || nt->text == NULL)
				continue;
			if (j.len > 0)
				cvb_buf_adds(&j, ", ");
			cvb_buf_adds(&j, nt->text);
		}
		if (j.err)
			y->failed = 1;
		else if (j.len > 0)
			emit_field(y, "journal", j.buf);
		cvbib_buf_release(&j);
	}
	/* RenderCV takes a DOI starting "10." and an http(s) URL only */
	if (doi != NULL && strncasecmp(doi, "https://doi.org/", 16) == 0)
		doi += 16;
	if (doi != NULL && strncmp(doi, "10.", 3) == 0)
		emit_field(y, "doi", doi);
	else if (doi != NULL)
		lost(l, "DOI", " (RenderCV takes one that starts with 10.)");
	if (url != NULL && (strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0))
		emit_field(y, "url", url);
	else if (url != NULL)
		lost(l, "URL", " (RenderCV takes http and https URLs only)");
	l->used[CVB_V_DOI] = l->used[CVB_V_URL] = true;
	emit_field(y, "summary", it->str[CVB_V_ABSTRACT]);
	/* extra fields: RenderCV keeps keys it does not know */
	for (f = it->extra; f != NULL; f = f->next) {
		json_t *v = NULL;
		bool clash = false;

		for (i = 0; own[i] != NULL; i++)
			if (strcmp(f->name, own[i]) == 0)
				clash = true;
		if (clash)
			lost(l, f->name, " (an extra field by a name RenderCV uses)");
		if (clash || f->name[0] == '\0')
			continue;
		if (f->flags & CVB_FF_JSON)
			v = json_loads(f->value, JSON_DECODE_ANY, NULL);
		if (v == NULL)
			v = json_string(f->value);
		if (v == NULL) {
			y->failed = 1;
			break;
		}
		if (strcmp(f->name, "tags") == 0 && !string_list(v)) {
			json_decref(v);		/* RenderCV's tags are a list of strings */
			lost(l, "tags", " (not a list of strings)");
			continue;
		}
		emit_key(y, f->name);
		emit_json(y, v);
		json_decref(v);
	}
	emit_map_end(y);
	lost_rest(l);
}

int
cvb_write_rendercv(cvbib_biblio *b, const struct cvbib_options *opts,
    struct cvb_buf *out, struct cvbib_diags *d)
{
	struct yout y;
	struct rlost l;
	size_t i, j, start = out->len;
	int rc;

	memset(&l, 0, sizeof(l));
	l.d = d;
	l.seen = json_object();
	doc_start(&y, out);
	emit_map_start(&y);
	emit_key(&y, "cv");
	emit_map_start(&y);
	emit_key(&y, "sections");
	emit_map_start(&y);
	/* one section per CV group, in order of first appearance */
	for (i = 0; i < b->n && !y.failed; i++) {
		const char *g = b->items[i]->group;
		bool seen = false;

		for (j = 0; j < i && !seen; j++) {
			const char *h = b->items[j]->group;

			seen = (g == NULL && h == NULL) || (g != NULL && h != NULL && strcmp(g, h) == 0);
		}
		if (seen)
			continue;
		emit_key(&y, g != NULL ? g : "publications");
		emit_seq_start(&y, false);
		for (j = i; j < b->n; j++) {
			const char *h = b->items[j]->group;

			if ((g == NULL && h == NULL) || (g != NULL && h != NULL && strcmp(g, h) == 0))
				emit_entry(&y, b->items[j], opts, d, &l);
		}
		emit_seq_end(&y);
	}
	if (b->n == 0) {
		emit_key(&y, "publications");
		emit_seq_start(&y, false);
		emit_seq_end(&y);
	}
	emit_map_end(&y);
	emit_map_end(&y);
	emit_map_end(&y);
	rc = doc_end(&y, out, d);
	json_decref(l.seen);
	if (rc != 0)
		cvb_buf_setlen(out, start);
	return rc;
}

/* A JSON tree as one YAML document, strings as they are (hayagriva). */
int
cvb_yaml_write_json(const json_t *root, struct cvb_buf *out, struct cvbib_diags *d)
{
	struct yout y;

	doc_start(&y, out);
	emit_json(&y, root);
	return doc_end(&y, out, d);
}
