/*
 * write_csljson.c - the CSL-JSON writer (jansson).
 *
 * Output is deterministic: items in model order; in each item "id",
 * "citation-key" and "type" first, then every variable in alphabetical order,
 * then "custom" holding the fields no mapping knows, in input order.
 * Two-space indentation, UTF-8, a final newline.  The output validates
 * against csl-data.json: fields outside the schema only ever go in "custom".
 */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cvb_int.h"

struct outkey {
	const char	*name;
	int		 kind;		/* enum cvb_varkind */
	int		 idx;
};

static int
outkey_cmp(const void *a, const void *b)
{
	return strcmp(((const struct outkey *)a)->name, ((const struct outkey *)b)->name);
}

static struct outkey keyorder[CVB_V__COUNT + CVB_DV__COUNT + CVB_NV__COUNT];
static size_t nkeyorder;

static void
keyorder_build(void)
{
	size_t n = 0;
	int i;

	for (i = 0; i < CVB_V__COUNT; i++)
		keyorder[n++] = (struct outkey){ cvb_var_name((enum cvb_var)i), CVB_VK_STR, i };
	for (i = 0; i < CVB_DV__COUNT; i++)
		keyorder[n++] = (struct outkey){ cvb_dvar_name((enum cvb_dvar)i), CVB_VK_DATE, i };
	for (i = 0; i < CVB_NV__COUNT; i++)
		keyorder[n++] = (struct outkey){ cvb_nvar_name((enum cvb_nvar)i), CVB_VK_NAME, i };
	qsort(keyorder, n, sizeof(keyorder[0]), outkey_cmp);
	nkeyorder = n;
}

/* A number variable that was a JSON number and still reads as one. */
static json_t *
number_value(const char *s)
{
	char *end;
	long long v = strtoll(s, &end, 10);

	if (*s != '\0' && *end == '\0')
		return json_integer(v);
	{
		double x = strtod(s, &end);

		if (*s != '\0' && *end == '\0')
			return json_real(x);
	}
	return json_string(s);
}

static json_t *
name_json(const struct cvb_name *n)
{
	json_t *o = json_object();

	if (n->family != NULL && (n->flags & CVB_NF_INSTITUTION) && n->given == NULL &&
	    n->literal == NULL && n->non_dropping_particle == NULL &&
	    n->dropping_particle == NULL) {
		/* an organisation: CSL-JSON has no flag for it, a literal name is one */
		json_object_set_new(o, "literal", json_string(n->family));
		return o;
	}
	if (n->family)
		json_object_set_new(o, "family", json_string(n->family));
	if (n->given)
		json_object_set_new(o, "given", json_string(n->given));
	if (n->dropping_particle)
		json_object_set_new(o, "dropping-particle", json_string(n->dropping_particle));
	if (n->non_dropping_particle)
		json_object_set_new(o, "non-dropping-particle", json_string(n->non_dropping_particle));
	if (n->suffix)
		json_object_set_new(o, "suffix", json_string(n->suffix));
	if (n->flags & CVB_NF_COMMA_SUFFIX)
		json_object_set_new(o, "comma-suffix", json_true());
	if (n->flags & CVB_NF_STATIC_ORDER)
		json_object_set_new(o, "static-ordering", json_true());
	if (n->literal)
		json_object_set_new(o, "literal", json_string(n->literal));
	if (n->flags & CVB_NF_PARSE_NAMES)
		json_object_set_new(o, "parse-names", json_true());
	else if (n->flags & CVB_NF_NO_PARSE)
		json_object_set_new(o, "parse-names", json_false());
	return o;
}

static json_t *
date_part_json(const struct cvb_date *d, int r, int i)
{
	if (d->strparts & (1u << (r * 3 + i)))
		return json_sprintf("%d", d->parts[r][i]);
	return json_integer(d->parts[r][i]);
}

static json_t *
date_json(const struct cvb_date *d)
{
	json_t *o = json_object();
	int r, i;

	if (d->nparts[0] > 0) {
		json_t *dp = json_array();

		for (r = 0; r < (d->range && d->nparts[1] > 0 ? 2 : 1); r++) {
			json_t *row = json_array();

			for (i = 0; i < d->nparts[r]; i++)
				json_array_append_new(row, date_part_json(d, r, i));
			json_array_append_new(dp, row);
		}
		json_object_set_new(o, "date-parts", dp);
	}
	if (d->season) {
		if (d->strparts & (1u << 6))
			json_object_set_new(o, "season", json_sprintf("%d", d->season));
		else
			json_object_set_new(o, "season", json_integer(d->season));
	} else if (d->season_str)
		json_object_set_new(o, "season", json_string(d->season_str));
	if (d->circa)
		json_object_set_new(o, "circa", json_true());
	if (d->literal)
		json_object_set_new(o, "literal", json_string(d->literal));
	if (d->raw)
		json_object_set_new(o, "raw", json_string(d->raw));
	else if (d->open_end && d->nparts[0] > 0)
		json_object_set_new(o, "raw", json_sprintf("%d/..", d->parts[0][0]));
	return o;
}


json_t *
cvb_item_to_json(const struct cvb_item *it)
{
	json_t *o = json_object(), *custom = NULL;
	const struct cvb_field *f;
	size_t k;

	if (o == NULL)
		return NULL;
	if (nkeyorder == 0)
		keyorder_build();
	if (it->id != NULL) {
		if (it->flags & CVB_IF_ID_NUMBER)
			json_object_set_new(o, "id", number_value(it->id));
		else
			json_object_set_new(o, "id", json_string(it->id));
	}
	if (it->key != NULL)
		json_object_set_new(o, "citation-key", json_string(it->key));
	if (it->type != CVB_T_NONE)
		json_object_set_new(o, "type", json_string(cvb_type_name(it->type)));
	else
		json_object_set_new(o, "type", json_string("document"));
	if (it->categories != NULL) {
		json_t *a = json_array();

		for (k = 0; it->categories[k] != NULL; k++)
			json_array_append_new(a, json_string(it->categories[k]));
		json_object_set_new(o, "categories", a);
	}
	for (k = 0; k < nkeyorder; k++) {
		const struct outkey *ok = &keyorder[k];

		switch (ok->kind) {
		case CVB_VK_STR: {
			const char *s = it->str[ok->idx];

			if (s == NULL)
				break;
			if (it->numeric[ok->idx / 64] & ((uint64_t)1 << (ok->idx % 64)))
				json_object_set_new(o, ok->name, number_value(s));
			else
				json_object_set_new(o, ok->name, json_string(s));
			break;
		}
		case CVB_VK_DATE:
			if (it->date[ok->idx] != NULL)
				json_object_set_new(o, ok->name, date_json(it->date[ok->idx]));
			break;
		case CVB_VK_NAME:
			if (it->names[ok->idx] != NULL) {
				json_t *a = json_array();
				const struct cvb_name *n;

				for (n = it->names[ok->idx]; n != NULL; n = n->next)
					json_array_append_new(a, name_json(n));
				json_object_set_new(o, ok->name, a);
			}
			break;
		}
	}
	if (it->type == CVB_T_NONE && it->type_raw != NULL) {
		custom = json_object();
		json_object_set_new(custom, "type", json_string(it->type_raw));
	}
	for (f = it->extra; f != NULL; f = f->next) {
		json_t *v = NULL;

		if (custom == NULL)
			custom = json_object();
		if (f->flags & CVB_FF_JSON)
			v = json_loads(f->value, JSON_DECODE_ANY, NULL);
		if (v == NULL)
			v = json_string(f->value);
		json_object_set_new(custom, f->name, v);
	}
	if (custom != NULL)
		json_object_set_new(o, "custom", custom);
	return o;
}

/* jansson's dump callback: append, indenting every line by two spaces (JSON
 * strings hold no raw newline, so every '\n' is a line break). */
static int
dump_indented(const char *chunk, size_t n, void *data)
{
	struct cvb_buf *out = data;
	const char *p = chunk, *end = chunk + n, *nl;

	while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		cvb_buf_add(out, p, (size_t)(nl - p) + 1);
		cvb_buf_add(out, "  ", 2);
		p = nl + 1;
	}
	cvb_buf_add(out, p, (size_t)(end - p));
	return out->err ? -1 : 0;
}

/*
 * Items are built and printed one at a time, so that only one item's JSON
 * tree exists at once; the bytes are those of printing the whole array.
 */
int
cvb_write_csljson(cvbib_biblio *b, const struct cvbib_options *opts,
    struct cvb_buf *out, struct cvbib_diags *d)
{
	size_t i;

	(void)opts;
	if (b->n == 0) {
		cvb_buf_adds(out, "[]\n");
		return out->err ? -CVBIB_ENOMEM : 0;
	}
	cvb_buf_adds(out, "[\n  ");
	for (i = 0; i < b->n; i++) {
		json_t *o = cvb_item_to_json(b->items[i]);
		int rc;

		if (o == NULL)
			goto nomem;
		if (i > 0)
			cvb_buf_adds(out, ",\n  ");
		rc = json_dump_callback(o, dump_indented, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		json_decref(o);
		if (rc != 0)
			goto nomem;
	}
	cvb_buf_adds(out, "\n]\n");
	if (out->err)
		goto nomem;
	return 0;
nomem:
	cvb_diag(d, CVB_D_NOMEM, NULL, 0, 0, NULL);
	return -CVBIB_ENOMEM;
}
