/*
 * hayagriva.c - hayagriva YAML, Typst's bibliography format, read and written
 * (the format: typst/hayagriva docs/file-format.md; doc/typst.md lists the
 * mapping).
 *
 * A hayagriva file is a mapping of keys to entries; an entry has a type and
 * fields, and is published in its parents ("parent": one entry or a list),
 * which may have parents of their own.  The model is flat CSL, so:
 *  - writing, the CSL type picks the entry type and the parent type, and the
 *    container's fields (container-title, volume, issue, publisher, editors,
 *    ISSN/ISBN) move to the parent; the event of a conference paper becomes
 *    the parent's parent (a conference), a series (collection-title) a book
 *    parent above the container;
 *  - reading, the parent chain is flattened back: the first parent gives the
 *    container, a conference anywhere in it the event, a further book the
 *    series; the entry type and the first parent's type give the CSL type.
 * The tables below are the one place where the two formats meet.  What
 * hayagriva cannot hold is reported once per field and file; hayagriva
 * fields the model has no place for are kept as extra fields.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <jansson.h>
#include "cvb_int.h"

/* ------------------------------------------------------------------ tables */

/* CSL type <-> hayagriva entry type and the type of its parent (NULL: none). */
static const struct htype {
	const char	*csl, *haya, *parent;
} htypes[] = {
	/* the first row of a hayagriva pair is the one read back */
	{ "article-journal", "article", "periodical" },
	{ "paper-conference", "article", "proceedings" },
	{ "article-newspaper", "article", "newspaper" },
	{ "post-weblog", "article", "blog" },
	{ "article-magazine", "article", "periodical" },
	{ "review", "article", "periodical" },
	{ "article", "article", "repository" },	/* a preprint on arXiv */
	{ "article", "article", NULL },
	{ "chapter", "chapter", "book" },
	{ "chapter", "anthos", "anthology" },
	{ "entry-encyclopedia", "entry", "reference" },
	{ "entry-dictionary", "entry", "reference" },
	{ "entry", "entry", NULL },
	{ "book", "book", NULL },
	{ "classic", "book", NULL },
	{ "report", "report", NULL },
	{ "standard", "report", NULL },
	{ "thesis", "thesis", NULL },
	{ "webpage", "web", "web" },		/* a page of a site */
	{ "webpage", "web", NULL },
	{ "software", "repository", NULL },
	{ "dataset", "repository", NULL },
	{ "manuscript", "manuscript", NULL },
	{ "patent", "patent", NULL },
	{ "legal_case", "case", NULL },
	{ "legislation", "legislation", NULL },
	{ "bill", "legislation", NULL },
	{ "graphic", "artwork", NULL },
	{ "broadcast", "video", "video" },	/* an episode of a series */
	{ "motion_picture", "video", NULL },
	{ "broadcast", "video", NULL },
	{ "song", "audio", "audio" },		/* an episode of a podcast */
	{ "song", "audio", NULL },
	{ "speech", "misc", "conference" },
	{ "speech", "conference", NULL },
	{ "periodical", "periodical", NULL },
	{ "collection", "anthology", NULL },
	{ "book", "proceedings", NULL },
	{ "event", "exhibition", NULL },
	{ "event", "conference", NULL },
	{ "post", "post", NULL },
	{ "post", "thread", NULL },
	{ "post", "tweet", NULL },
	{ "article-newspaper", "newspaper", NULL },
	{ "webpage", "blog", NULL },
	{ "book", "reference", NULL },
	{ "motion_picture", "scene", NULL },
	{ "performance", "performance", NULL },
	{ "document", "original", NULL },
	{ "document", "misc", NULL },
};

/* Plain fields: hayagriva name, CSL variable, and where a contained item
 * (one written with a parent) keeps it: 0 on the entry, 1 on the parent. */
static const struct hfield {
	const char	*haya, *csl;
	int		 parent;
} hfields[] = {
	{ "title", "title", 0 },
	{ "abstract", "abstract", 0 },
	{ "genre", "genre", 0 },
	{ "language", "language", 0 },
	{ "note", "note", 0 },
	{ "call-number", "call-number", 0 },
	{ "page-range", "page", 0 },
	{ "page-total", "number-of-pages", 0 },
	{ "archive", "archive", 0 },
	{ "archive-location", "archive_location", 0 },
	{ "edition", "edition", 1 },
	{ "volume", "volume", 1 },
	{ "volume-total", "number-of-volumes", 1 },
	{ "issue", "issue", 1 },
	{ "publisher", "publisher", 1 },
};

/* affiliated roles <-> CSL name variables */
static const struct hrole {
	const char	*role;
	enum cvb_nvar	 nv;
} hroles[] = {
	{ "translator", CVB_NV_TRANSLATOR }, { "compiler", CVB_NV_COMPILER },
	{ "composer", CVB_NV_COMPOSER }, { "director", CVB_NV_DIRECTOR },
	{ "executive-producer", CVB_NV_EXECUTIVE_PRODUCER },
	{ "illustrator", CVB_NV_ILLUSTRATOR }, { "narrator", CVB_NV_NARRATOR },
	{ "organizer", CVB_NV_ORGANIZER }, { "cast-member", CVB_NV_PERFORMER },
	{ "producer", CVB_NV_PRODUCER }, { "writer", CVB_NV_SCRIPT_WRITER },
	{ "collaborator", CVB_NV_CONTRIBUTOR },
	/* read only: hayagriva roles the model has no own variable for */
	{ "holder", CVB_NV__COUNT }, { "afterword", CVB_NV__COUNT },
	{ "foreword", CVB_NV__COUNT }, { "introduction", CVB_NV__COUNT },
	{ "annotator", CVB_NV__COUNT }, { "commentator", CVB_NV__COUNT },
	{ "founder", CVB_NV__COUNT }, { "cinematography", CVB_NV__COUNT },
};

static const struct htype conf_paper = { "paper-conference", "article", "conference" };

static bool
is_contained(const struct htype *t)
{
	return t->parent != NULL && strcmp(t->parent, "conference") != 0;
}

static enum cvb_type csl_type(const char *ty, const char *pty);

/* ------------------------------------------------------------------ writing */

struct hw {
	cvbib_biblio		*b;
	struct cvbib_diags	*d;
	json_t			*lost;		/* fields reported already */
	const struct cvb_item	*it;
};

static void
lost(struct hw *w, const char *field)
{
	if (json_object_get(w->lost, field) != NULL)
		return;
	json_object_set_new(w->lost, field, json_true());
	cvb_diag(w->d, CVB_D_HAYA_LOST, w->it->loc.file, w->it->loc.line, w->it->loc.column,
	    "%s (first in '%s')", field, w->it->key ? w->it->key : w->it->id ? w->it->id : "?");
}

/* Rich text as a hayagriva string: a nocase span is written in braces
 * (hayagriva keeps their case), math as $...$; hayagriva has no italics,
 * bold, small caps or super/subscript: their text stays, the look is lost. */
/* Is the nocase span whose content starts at p one math span and nothing else? */
static bool
only_math(const char *p)
{
	static const char open[] = "<span class=\"nocase\">$";
	const char *q;

	if (strncmp(p, open, sizeof(open) - 1) != 0 ||
	    (q = strstr(p + sizeof(open) - 1, "$</span>")) == NULL)
		return false;
	return strncmp(q + 8, "</span>", 7) == 0;
}

static json_t *
hstr(struct hw *w, const char *rich)
{
	struct cvb_buf o = CVB_BUF_INIT;
	struct cvb_rich r;
	bool brace[16];
	int depth = 0;
	json_t *s;

	cvb_rich_init(&r, rich);
	while (cvb_rich_next(&r) != CVB_RT_END) {
		size_t i;

		if (r.tok == CVB_RT_TEXT) {
			/* hayagriva's escapes; math is kept as it is */
			bool inmath = depth > 0 && depth <= 16 && !brace[depth - 1];

			for (i = 0; i < r.len; i++) {
				if (!inmath && strchr("{}$\\", r.text[i]) != NULL)
					cvb_buf_addch(&o, '\\');
				cvb_buf_addch(&o, r.text[i]);
			}
			continue;
		}
		if (r.tag == CVB_R_NOCASE && r.tok == CVB_RT_OPEN) {
			/* math, or a nocase span around math only: no braces, which
			 * would be read back as text around the math */
			bool math = *r.p == '$' || only_math(r.p);

			if (depth < 16)
				brace[depth] = !math;
			depth++;
			if (!math)
				cvb_buf_addch(&o, '{');
		} else if (r.tag == CVB_R_NOCASE && depth > 0) {
			depth--;
			if (depth >= 16 || brace[depth])
				cvb_buf_addch(&o, '}');
		} else if (r.tag != CVB_R_NODECOR && r.tok == CVB_RT_OPEN)
			lost(w, "formatting (italics, bold, small caps, super/subscript)");
	}
	s = json_string(o.buf ? o.buf : "");
	cvbib_buf_release(&o);
	return s;
}

/* Does every word of s start in lower case (as hayagriva splits a prefix off)? */
static bool
lower_words(const char *s)
{
	const char *p;

	for (p = s; *p != '\0'; p++)
		if ((p == s || p[-1] == ' ') && *p != ' ' && !islower((unsigned char)*p))
			return false;
	return true;
}

static json_t *
person(const struct cvb_name *n)
{
	struct cvb_buf s = CVB_BUF_INIT;
	const char *pre = n->non_dropping_particle ? n->non_dropping_particle : n->dropping_particle;
	json_t *v;

	if (n->literal != NULL && strchr(n->literal, ',') == NULL)
		return json_string(n->literal);
	if (n->literal != NULL)
		return json_pack("{s:s}", "name", n->literal);
	if (n->family == NULL)
		return json_pack("{s:s}", "name", n->given ? n->given : "");
	if (n->given == NULL && pre == NULL && n->suffix == NULL)
		return (n->flags & CVB_NF_INSTITUTION) && strchr(n->family, ',') == NULL ?
		    json_string(n->family) :	/* an organisation: a literal */
		    json_pack("{s:s}", "name", n->family);	/* a string would be a literal */
	/* "prefix Family, Given, Suffix" reads back only when the parts have no
	 * commas and the prefix is lower case (hayagriva splits it off by case) */
	if (strchr(n->family, ',') == NULL && (n->given == NULL || strchr(n->given, ',') == NULL) &&
	    (n->suffix == NULL || strchr(n->suffix, ',') == NULL) &&
	    (pre == NULL || (lower_words(pre) && strchr(pre, ',') == NULL)) &&
	    (n->given != NULL || pre == NULL) &&
	    (pre != NULL || !islower((unsigned char)*n->family))) {	/* else it would split */
		if (pre != NULL)
			cvb_buf_addf(&s, "%s ", pre);
		cvb_buf_adds(&s, n->family);
		if (n->given != NULL)
			cvb_buf_addf(&s, ", %s", n->given);
		if (n->suffix != NULL)
			cvb_buf_addf(&s, ", %s", n->suffix);
		if (n->given == NULL && strchr(n->family, ' ') != NULL) {
			v = json_pack("{s:s}", "name", n->family);	/* not a literal */
			cvbib_buf_release(&s);
			return v;
		}
		v = json_string(s.buf);
		cvbib_buf_release(&s);
		return v;
	}
	v = json_pack("{s:s}", "name", n->family);
	if (n->given != NULL)
		json_object_set_new(v, "given-name", json_string(n->given));
	if (pre != NULL)
		json_object_set_new(v, "prefix", json_string(pre));
	if (n->suffix != NULL)
		json_object_set_new(v, "suffix", json_string(n->suffix));
	return v;
}

/* What a name list loses, reported under the list's CSL name ("author (...)"). */
static void
lost_in(struct hw *w, enum cvb_nvar nv, const char *what)
{
	char s[160];

	snprintf(s, sizeof(s), "%s (%s)", cvb_nvar_name(nv), what);
	lost(w, s);
}

static json_t *
persons(struct hw *w, const struct cvb_name *n, enum cvb_nvar nv)
{
	json_t *a = json_array();

	for (; n != NULL; n = n->next)
		if (!(n->flags & CVB_NF_OTHERS)) {
			json_array_append_new(a, person(n));
			if (n->dropping_particle != NULL && n->non_dropping_particle == NULL)
				lost_in(w, nv, "a dropping particle: hayagriva's prefix is a "
				    "non-dropping one");
			if (n->flags & (CVB_NF_COMMA_SUFFIX | CVB_NF_STATIC_ORDER | CVB_NF_PARSE_NAMES |
			    CVB_NF_NO_PARSE))
				lost_in(w, nv, "name flags: comma-suffix, static-ordering, parse-names");
			if ((n->literal != NULL && strchr(n->literal, ',') != NULL) ||
			    ((n->flags & CVB_NF_INSTITUTION) && n->given == NULL &&
			    n->family != NULL && strchr(n->family, ',') != NULL))
				lost_in(w, nv, "a name in one piece with a comma reads back as a "
				    "family name");
		}
		else
			lost_in(w, nv, "\"and others\": hayagriva has no et al.");
	return a;
}

/* A date hayagriva can hold: YYYY, YYYY-MM or YYYY-MM-DD, no range. */
static json_t *
hdate(struct hw *w, const struct cvb_date *d, const char *field)
{
	char s[32];

	if (d == NULL)
		return NULL;
	if (d->nparts[0] == 0 || d->range || d->season || d->literal != NULL) {
		lost(w, field);
		if (d->nparts[0] == 0)
			return NULL;
	}
	/* "~": approximate (hayagriva's date pattern allows it) */
	if (d->nparts[0] >= 3)
		snprintf(s, sizeof(s), "%s%04d-%02d-%02d", d->circa ? "~" : "", d->parts[0][0],
		    d->parts[0][1], d->parts[0][2]);
	else if (d->nparts[0] == 2)
		snprintf(s, sizeof(s), "%s%04d-%02d", d->circa ? "~" : "", d->parts[0][0], d->parts[0][1]);
	else if (!d->circa && d->parts[0][0] >= 0)
		return json_integer(d->parts[0][0]);
	else
		snprintf(s, sizeof(s), "%s%04d", d->circa ? "~" : "", d->parts[0][0]);
	return json_string(s);
}

/* A number field: an integer when it is one, else its text. */
static json_t *
num_or_str(struct hw *w, const char *s)
{
	char *end;
	long v;

	if (*s != '0' && isdigit((unsigned char)*s)) {
		v = strtol(s, &end, 10);
		if (*end == '\0')
			return json_integer(v);
	}
	return hstr(w, s);
}

/* Add p to e's parents (a list once there are two). */
static void
add_parent(json_t *e, json_t *p)
{
	json_t *old = json_object_get(e, "parent");

	if (old == NULL)
		json_object_set_new(e, "parent", p);
	else if (json_is_array(old))
		json_array_append_new(old, p);
	else
		json_object_set_new(e, "parent", json_pack("[O,o]", old, p));
}

/* One entry being written: the item, its entry type, the entry and its
 * container parent, and which variables went somewhere. */
struct we {
	struct hw		*w;
	const struct cvb_item	*it;
	const struct htype	*t;
	json_t			*e, *par;
	bool			 used[CVB_V__COUNT], nused[CVB_NV__COUNT];
};

/* The object that holds the container's fields: the parent, for an item in a
 * container. */
static json_t *
holder(struct we *x)
{
	return x->par != NULL && is_contained(x->t) ? x->par : x->e;
}

static const struct htype *
pick_type(struct hw *w, const struct cvb_item *it)
{
	const char *tn = cvb_type_name(it->type);
	const struct htype *t = NULL;
	size_t i;

	/* a conference paper with no proceedings title: in the conference */
	if (tn != NULL && strcmp(tn, "paper-conference") == 0 &&
	    it->str[CVB_V_CONTAINER_TITLE] == NULL && it->str[CVB_V_EVENT_TITLE] != NULL)
		return &conf_paper;
	/* the first row of the type whose parent the item can fill */
	for (i = 0; i < CVB_ARRAY_SIZE(htypes) && t == NULL; i++)
		if (tn != NULL && strcmp(htypes[i].csl, tn) == 0 && (htypes[i].parent == NULL ||
		    it->str[CVB_V_CONTAINER_TITLE] != NULL ||
		    (strcmp(htypes[i].parent, "conference") == 0 && it->str[CVB_V_EVENT_TITLE] != NULL)))
			t = &htypes[i];
	for (i = 0; i < CVB_ARRAY_SIZE(htypes) && t == NULL; i++)
		if (tn != NULL && strcmp(htypes[i].csl, tn) == 0)
			t = &htypes[i];		/* its parent will have a type only */
	if (t == NULL)
		t = &htypes[CVB_ARRAY_SIZE(htypes) - 1];	/* misc */
	if (csl_type(t->haya, t->parent) != it->type && it->type != CVB_T_NONE) {
		char what[64];

		snprintf(what, sizeof(what), "type (%s)", tn ? tn : "?");
		lost(w, what);
	}
	if (it->type_raw != NULL)
		lost(w, "type (a type no CSL type stands for, kept as written)");
	return t;
}

static void
w_names(struct we *x)
{
	const struct cvb_item *it = x->it;
	json_t *aff = json_array();
	size_t i;

	if (it->names[CVB_NV_AUTHOR] != NULL)
		json_object_set_new(x->e, "author",
		    persons(x->w, it->names[CVB_NV_AUTHOR], CVB_NV_AUTHOR));
	if (it->names[CVB_NV_EDITOR] != NULL)
		json_object_set_new(holder(x), "editor",
		    persons(x->w, it->names[CVB_NV_EDITOR], CVB_NV_EDITOR));
	x->nused[CVB_NV_AUTHOR] = x->nused[CVB_NV_EDITOR] = true;
	if (x->par != NULL && it->names[CVB_NV_CONTAINER_AUTHOR] != NULL) {
		json_object_set_new(x->par, "author", persons(x->w,
		    it->names[CVB_NV_CONTAINER_AUTHOR], CVB_NV_CONTAINER_AUTHOR));
		x->nused[CVB_NV_CONTAINER_AUTHOR] = true;
	}
	for (i = 0; i < CVB_ARRAY_SIZE(hroles); i++)
		if (hroles[i].nv != CVB_NV__COUNT && it->names[hroles[i].nv] != NULL) {
			json_array_append_new(aff, json_pack("{s:s,s:o}", "role", hroles[i].role,
			    "names", persons(x->w, it->names[hroles[i].nv], hroles[i].nv)));
			x->nused[hroles[i].nv] = true;
		}
	if (json_array_size(aff) > 0)
		json_object_set_new(x->e, "affiliated", aff);
	else
		json_decref(aff);
}

/* The plain fields of hfields[], a runtime, a short title, the publisher's place. */
static void
w_fields(struct we *x)
{
	const struct cvb_item *it = x->it;
	struct hw *w = x->w;
	size_t i;

	for (i = 0; i < CVB_ARRAY_SIZE(hfields); i++) {
		struct cvb_varref r = cvb_var_lookup(hfields[i].csl);
		const char *v = r.kind == CVB_VK_STR || r.kind == CVB_VK_NUM ? it->str[r.idx] : NULL;
		const char *h = hfields[i].haya;

		if (v == NULL)
			continue;
		x->used[r.idx] = true;
		json_object_set_new(hfields[i].parent ? holder(x) : x->e, h,
		    strcmp(h, "volume") == 0 || strcmp(h, "issue") == 0 || strcmp(h, "edition") == 0 ||
		    strcmp(h, "page-total") == 0 || strcmp(h, "volume-total") == 0 ?
		    num_or_str(w, v) : hstr(w, v));
	}
	/* the awards and remarks, as CSL-JSON has them: a note (custom.award is lost) */
	{
		struct cvb_buf a = CVB_BUF_INIT;

		if (cvb_item_remark_note(it, &a) != NULL)
			json_object_set_new(x->e, "note", hstr(w, a.buf));
		cvbib_buf_release(&a);
	}
	/* a runtime or time range ("01:42:21", "17:05-17:48") read from hayagriva */
	if (it->str[CVB_V_DIMENSIONS] != NULL) {
		const char *s = it->str[CVB_V_DIMENSIONS];

		if (s[strspn(s, "0123456789:,-")] == '\0' && strchr(s, ':') != NULL) {
			json_object_set_new(x->e, strchr(s, '-') ? "time-range" : "runtime", json_string(s));
			x->used[CVB_V_DIMENSIONS] = true;
		}
	}
	/* a short title: title: {value, short} */
	if (it->str[CVB_V_TITLE_SHORT] != NULL && json_object_get(x->e, "title") != NULL) {
		json_object_set_new(x->e, "title", json_pack("{s:O,s:o}", "value",
		    json_object_get(x->e, "title"), "short", hstr(w, it->str[CVB_V_TITLE_SHORT])));
		x->used[CVB_V_TITLE_SHORT] = true;
	}
	/* where the publisher is: publisher: {name, location} */
	if (it->str[CVB_V_PUBLISHER_PLACE] != NULL) {
		json_t *pt = holder(x), *pub = json_object_get(pt, "publisher");

		if (json_is_string(pub))
			json_object_set_new(pt, "publisher", json_pack("{s:O,s:o}", "name", pub,
			    "location", hstr(w, it->str[CVB_V_PUBLISHER_PLACE])));
		else if (pub == NULL)
			json_object_set_new(pt, "location", hstr(w, it->str[CVB_V_PUBLISHER_PLACE]));
		x->used[CVB_V_PUBLISHER_PLACE] = true;
	}
}

/* The conference (event) and the series (collection) as parents. */
static void
w_event_series(struct we *x)
{
	const struct cvb_item *it = x->it;
	struct hw *w = x->w;

	if (x->par != NULL && strcmp(x->t->parent, "proceedings") == 0 &&
	    (it->str[CVB_V_EVENT_TITLE] != NULL || it->str[CVB_V_EVENT_PLACE] != NULL)) {
		/* the conference of a proceedings paper: the parent's parent */
		json_t *conf = json_pack("{s:s}", "type", "conference");

		if (it->str[CVB_V_EVENT_TITLE] != NULL)
			json_object_set_new(conf, "title", hstr(w, it->str[CVB_V_EVENT_TITLE]));
		if (it->str[CVB_V_EVENT_PLACE] != NULL)
			json_object_set_new(conf, "location", hstr(w, it->str[CVB_V_EVENT_PLACE]));
		json_object_set_new(x->par, "parent", conf);
		x->used[CVB_V_EVENT_TITLE] = x->used[CVB_V_EVENT_PLACE] = true;
	} else if (x->par != NULL && strcmp(x->t->parent, "conference") == 0 &&
	    it->str[CVB_V_EVENT_PLACE] != NULL) {
		json_object_set_new(x->par, "location", hstr(w, it->str[CVB_V_EVENT_PLACE]));
		x->used[CVB_V_EVENT_PLACE] = true;
	}
	/* a series: a book above the container (or above the item) */
	if (it->str[CVB_V_COLLECTION_TITLE] != NULL) {
		json_t *ser = json_pack("{s:s,s:o}", "type", "book", "title",
		    hstr(w, it->str[CVB_V_COLLECTION_TITLE]));

		if (it->str[CVB_V_COLLECTION_NUMBER] != NULL) {
			json_object_set_new(ser, "volume", num_or_str(w, it->str[CVB_V_COLLECTION_NUMBER]));
			x->used[CVB_V_COLLECTION_NUMBER] = true;
		}
		if (it->names[CVB_NV_COLLECTION_EDITOR] != NULL) {
			json_object_set_new(ser, "editor", persons(w,
			    it->names[CVB_NV_COLLECTION_EDITOR], CVB_NV_COLLECTION_EDITOR));
			x->nused[CVB_NV_COLLECTION_EDITOR] = true;
		}
		add_parent(holder(x), ser);
		x->used[CVB_V_COLLECTION_TITLE] = true;
	}
}

/* Dates and the URL with its access date. */
static void
w_dates(struct we *x)
{
	const struct cvb_item *it = x->it;

	if (it->date[CVB_DV_ISSUED] != NULL) {
		json_t *dv = hdate(x->w, it->date[CVB_DV_ISSUED], "issued");

		if (dv != NULL)
			json_object_set_new(x->e, "date", dv);
	}
	if (it->str[CVB_V_URL] != NULL) {
		json_t *ad = it->date[CVB_DV_ACCESSED] ? hdate(x->w, it->date[CVB_DV_ACCESSED],
		    "accessed") : NULL;

		json_object_set_new(x->e, "url", ad != NULL ? json_pack("{s:s,s:o}", "value",
		    it->str[CVB_V_URL], "date", ad) : json_string(it->str[CVB_V_URL]));
		x->used[CVB_V_URL] = true;
	} else if (it->date[CVB_DV_ACCESSED] != NULL)
		lost(x->w, "accessed");
}

/* serial-number: the entry's (DOI, number, PMID, PMCID, arXiv), and the
 * container's ISBN/ISSN on the parent. */
static void
w_serial(struct we *x)
{
	static const struct { int var; const char *key; } ids[] = {
		{ CVB_V_DOI, "doi" }, { CVB_V_ISBN, "isbn" }, { CVB_V_ISSN, "issn" },
		{ CVB_V_NUMBER, "serial" }, { CVB_V_PMID, "pmid" }, { CVB_V_PMCID, "pmcid" },
	};
	const struct cvb_item *it = x->it;
	json_t *serial = json_object(), *sn;
	struct cvb_buf k = CVB_BUF_INIT;
	size_t i;

	for (i = 0; i < CVB_ARRAY_SIZE(ids); i++) {
		const char *v = it->str[ids[i].var];
		bool parent = ids[i].var == CVB_V_ISBN || ids[i].var == CVB_V_ISSN;

		if (v == NULL)
			continue;
		x->used[ids[i].var] = true;
		if (!parent || holder(x) == x->e) {
			json_object_set_new(serial, ids[i].key, json_string(v));
			continue;
		}
		if ((sn = json_object_get(x->par, "serial-number")) == NULL) {
			sn = json_object();
			json_object_set_new(x->par, "serial-number", sn);
		}
		json_object_set_new(sn, ids[i].key, json_string(v));
	}
	/* the arXiv id the entry prints: its serial, as CSL-JSON's number */
	if (cvb_item_arxiv_number(it, &k) != NULL)
		json_object_set_new(serial, "serial", json_string(k.buf));
	cvb_buf_setlen(&k, 0);
	if (cvb_cv_arxiv_key(it, &k))
		json_object_set_new(serial, "arxiv", json_string(k.buf));
	cvbib_buf_release(&k);
	if (json_object_size(serial) == 1 && json_object_get(serial, "serial") != NULL)
		json_object_set(x->e, "serial-number", json_object_get(serial, "serial"));
	else if (json_object_size(serial) > 0)
		json_object_set(x->e, "serial-number", serial);
	json_decref(serial);
}

/* What is left is lost: reported once per field and file. */
static void
w_lost(struct we *x)
{
	const struct cvb_item *it = x->it;
	const struct cvb_field *f;
	const char *cvm[8];
	size_t i, n;

	x->used[CVB_V_CITATION_KEY] = x->used[CVB_V_CITATION_NUMBER] = true;
	for (i = 0; i < CVB_V__COUNT; i++)
		if (it->str[i] != NULL && !x->used[i])
			lost(x->w, cvb_var_name((enum cvb_var)i));
	for (i = 0; i < CVB_NV__COUNT; i++)
		if (it->names[i] != NULL && !x->nused[i])
			lost(x->w, cvb_nvar_name((enum cvb_nvar)i));
	for (i = 0; i < CVB_DV__COUNT; i++)
		if (it->date[i] != NULL && i != CVB_DV_ISSUED && i != CVB_DV_ACCESSED)
			lost(x->w, cvb_dvar_name((enum cvb_dvar)i));
	if (it->categories != NULL && it->categories[0] != NULL)
		lost(x->w, "categories");
	if (it->key != NULL && it->id != NULL && strcmp(it->key, it->id) != 0)
		lost(x->w, "id (hayagriva has one key: the citation key is written)");
	for (f = it->extra; f != NULL; f = f->next)
		if (strcasecmp(f->name, "arxiv") != 0 && strcasecmp(f->name, "eprint") != 0)
			lost(x->w, f->name);
	/* the CV metadata (notes, marks, selected, the CV section), by the
	 * names CSL-JSON's custom gives it */
	for (i = 0, n = cvb_item_cv_members(it, cvm); i < n; i++)
		lost(x->w, cvm[i]);
}

static json_t *
write_entry(struct hw *w, const struct cvb_item *it)
{
	struct we x;

	memset(&x, 0, sizeof(x));
	x.w = w;
	x.it = w->it = it;
	x.t = pick_type(w, it);
	x.e = json_pack("{s:s}", "type", x.t->haya);
	if (x.t->parent != NULL) {
		/* the container: its title (a conference's is the event's) */
		enum cvb_var tv = strcmp(x.t->parent, "conference") == 0 &&
		    it->str[CVB_V_EVENT_TITLE] != NULL ? CVB_V_EVENT_TITLE : CVB_V_CONTAINER_TITLE;

		x.par = json_pack("{s:s}", "type", x.t->parent);
		if (it->str[tv] != NULL) {
			json_object_set_new(x.par, "title", hstr(w, it->str[tv]));
			x.used[tv] = true;
		}
	}
	w_names(&x);
	w_fields(&x);
	w_event_series(&x);
	w_dates(&x);
	w_serial(&x);
	if (x.par != NULL)
		add_parent(x.e, x.par);
	w_lost(&x);
	return x.e;
}

int
cvb_write_hayagriva(cvbib_biblio *b, const struct cvbib_options *opts,
    struct cvb_buf *out, struct cvbib_diags *d)
{
	struct hw w = { b, d, json_object(), NULL };
	json_t *root = json_object(), *all;
	size_t i;
	int rc;

	(void)opts;
	if (root == NULL || w.lost == NULL) {
		json_decref(root);
		json_decref(w.lost);
		return -CVBIB_ENOMEM;
	}
	/* every key of the input, so that a key made for a duplicate is new */
	if ((all = json_object()) == NULL) {
		json_decref(root);
		json_decref(w.lost);
		return -CVBIB_ENOMEM;
	}
	for (i = 0; i < b->n; i++) {
		const char *key = b->items[i]->key ? b->items[i]->key : b->items[i]->id;

		if (key != NULL && *key != '\0')
			json_object_set_new(all, key, json_true());
	}
	for (i = 0; i < b->n; i++) {
		const struct cvb_item *it = b->items[i];
		const char *key = it->key ? it->key : it->id;
		char made[160];
		size_t n;

		if (key == NULL || *key == '\0') {
			/* no key: item1, item2 ... (not reported: there is none to lose) */
			for (n = i + 1; snprintf(made, sizeof(made), "item%zu", n),
			    json_object_get(all, made) != NULL; n += b->n)
				;
			key = made;
		} else if (json_object_get(root, key) != NULL) {
			/* a key used twice: YAML keys are unique, the second is renamed */
			for (n = 2; snprintf(made, sizeof(made), "%.140s-%zu", key, n),
			    json_object_get(all, made) != NULL; n++)
				;
			cvb_diag(d, CVB_D_BIB_KEY_RENAMED, it->loc.file, it->loc.line,
			    it->loc.column, "'%s' is the key of another entry; written as '%s'",
			    key, made);
			key = made;
		}
		json_object_set_new(all, key, json_true());
		if (json_object_set_new(root, key, write_entry(&w, it)) != 0)
			cvb_nomem();	/* an entry left out: the write fails */
	}
	rc = cvb_yaml_write_json(root, out, d);
	json_decref(root);
	json_decref(all);
	json_decref(w.lost);
	return rc;
}

/* ------------------------------------------------------------------ reading */

struct hr {
	cvbib_biblio		*b;
	struct cvbib_diags	*d;
	const char		*file;
	const struct cvb_ytree	*t;
	struct cvb_item		*it;
};

#define HWARN(r, obj, key, code, ...) do {				\
	unsigned l_, c_;						\
	cvb_ytree_pos((r)->t, (obj), (key), 0, &l_, &c_);		\
	cvb_diag((r)->d, (code), (r)->file, l_, c_, __VA_ARGS__);	\
} while (0)

/* The text of a scalar or of a formattable string's "value". */
static const char *
text_of(struct hr *r, const json_t *v, const json_t *obj, const char *key)
{
	static char num[32];

	if (json_is_object(v))
		v = json_object_get(v, "value");
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return num;
	}
	if (json_is_real(v)) {
		snprintf(num, sizeof(num), "%g", json_real_value(v));
		return num;
	}
	HWARN(r, obj, key, CVB_D_YAML_BAD_VALUE, "'%s' wants text", key);
	return NULL;
}

/* Append hayagriva text s..e as rich text: escapes, $math$ and, at the top
 * (top), {braces}, whose text is read the same way. */
static void
rich_of(struct cvb_buf *o, const char *s, const char *e, bool top)
{
	const char *q;

	for (; s < e; s++) {
		if (*s == '\\' && s + 1 < e && strchr("{}$\\", s[1]) != NULL)
			cvb_buf_addch(o, *++s);	/* an escaped character */
		else if (*s == '$' && (q = memchr(s + 1, '$', (size_t)(e - s - 1))) != NULL &&
		    q > s + 1) {
			cvb_buf_adds(o, cvb_rich_open_text(CVB_R_NOCASE));
			cvb_buf_add(o, s, (size_t)(q - s + 1));
			cvb_buf_adds(o, cvb_rich_close_text(CVB_R_NOCASE));
			s = q;
		} else if (top && *s == '{' && (q = memchr(s + 1, '}', (size_t)(e - s - 1))) != NULL &&
		    memchr(s + 1, '{', (size_t)(q - s - 1)) == NULL) {
			cvb_buf_adds(o, cvb_rich_open_text(CVB_R_NOCASE));
			rich_of(o, s + 1, q, false);
			cvb_buf_adds(o, cvb_rich_close_text(CVB_R_NOCASE));
			s = q;
		} else
			cvb_buf_addch(o, *s);
	}
}

/* A hayagriva string as rich text: {braces} keep their case (a nocase span),
 * $math$ is kept with its dollars in one, as the BibTeX reader keeps it (in
 * braces too). */
static void
set_str(struct hr *r, enum cvb_var v, const char *s)
{
	struct cvb_buf o = CVB_BUF_INIT;

	if (s == NULL || r->it->str[v] != NULL)
		return;
	if (v == CVB_V_URL || v == CVB_V_DOI || strpbrk(s, "{$\\") == NULL) {
		cvb_item_set(r->b, r->it, v, s);
		return;
	}
	rich_of(&o, s, s + strlen(s), true);
	cvb_item_set(r->b, r->it, v, o.buf ? o.buf : "");
	cvbib_buf_release(&o);
}

/* "prefix Family, Given, Suffix", or a mapping with name, given-name, ... */
static struct cvb_name *
read_person(struct hr *r, const json_t *v, const json_t *obj, const char *key)
{
	struct cvb_name *n = cvb_name_new(r->b);
	struct cvb_arena *a = &r->b->arena;

	if (n == NULL)
		return NULL;
	if (json_is_object(v)) {
		const char *nm = json_string_value(json_object_get(v, "name"));

		if (nm == NULL) {
			HWARN(r, obj, key, CVB_D_YAML_BAD_VALUE, "a person in '%s' has no name", key);
			return NULL;
		}
		n->family = cvb_arena_strdup(a, nm);
		if (json_is_string(json_object_get(v, "given-name")))
			n->given = cvb_arena_strdup(a, json_string_value(json_object_get(v, "given-name")));
		if (json_is_string(json_object_get(v, "prefix")))
			n->non_dropping_particle = cvb_arena_strdup(a, json_string_value(json_object_get(v, "prefix")));
		if (json_is_string(json_object_get(v, "suffix")))
			n->suffix = cvb_arena_strdup(a, json_string_value(json_object_get(v, "suffix")));
		return n;
	}
	if (!json_is_string(v)) {
		HWARN(r, obj, key, CVB_D_YAML_BAD_VALUE, "a person in '%s' is not text", key);
		return NULL;
	}
	{
		const char *s = json_string_value(v), *c1 = strchr(s, ','), *c2, *fam = s, *p;

		if (c1 == NULL) {
			n->literal = cvb_arena_strdup(a, s);
			return n;
		}
		/* leading lower-case words are the prefix (as BibTeX's "von") */
		for (p = s; islower((unsigned char)*p); ) {
			const char *sp = strchr(p, ' ');

			if (sp == NULL || sp > c1)
				break;
			fam = sp + 1;
			p = fam;
		}
		if (fam > s)
			n->non_dropping_particle = cvb_arena_strndup(a, s, (size_t)(fam - s - 1));
		n->family = cvb_arena_strndup(a, fam, (size_t)(c1 - fam));
		c1++;
		while (*c1 == ' ')
			c1++;
		c2 = strchr(c1, ',');
		n->given = cvb_arena_strndup(a, c1, c2 ? (size_t)(c2 - c1) : strlen(c1));
		if (c2 != NULL) {
			c2++;
			while (*c2 == ' ')
				c2++;
			n->suffix = cvb_arena_strdup(a, c2);
		}
		if (*n->given == '\0')
			n->given = NULL;
	}
	return n;
}

static void
read_persons(struct hr *r, enum cvb_nvar nv, const json_t *v, const json_t *obj, const char *key)
{
	size_t i;

	if (r->it->names[nv] != NULL)
		return;
	if (!json_is_array(v)) {
		struct cvb_name *n = read_person(r, v, obj, key);

		if (n != NULL)
			cvb_item_add_name(r->it, nv, n);
		return;
	}
	for (i = 0; i < json_array_size(v); i++) {
		struct cvb_name *n = read_person(r, json_array_get(v, i), obj, key);

		if (n != NULL)
			cvb_item_add_name(r->it, nv, n);
	}
}

static void
read_affiliated(struct hr *r, const json_t *v, const json_t *obj)
{
	size_t i, j;

	if (json_is_object(v))
		v = json_pack("[O]", v);
	else
		json_incref((json_t *)v);
	for (i = 0; i < json_array_size(v); i++) {
		const json_t *x = json_array_get(v, i);
		const char *role = json_string_value(json_object_get(x, "role"));
		char low[40];

		if (role == NULL || json_object_get(x, "names") == NULL) {
			HWARN(r, obj, "affiliated", CVB_D_YAML_BAD_VALUE,
			    "'affiliated' wants a role and names");
			continue;
		}
		/* "CastMember", "cast-member" and "cast member" are one role */
		for (j = 0; *role != '\0' && j + 2 < sizeof(low); role++) {
			if (isupper((unsigned char)*role) && j > 0)
				low[j++] = '-';
			low[j++] = *role == ' ' || *role == '_' ? '-' : (char)tolower((unsigned char)*role);
		}
		low[j] = '\0';
		for (j = 0; j < CVB_ARRAY_SIZE(hroles); j++)
			if (strcmp(hroles[j].role, low) == 0)
				break;
		if (j == CVB_ARRAY_SIZE(hroles) || hroles[j].nv == CVB_NV__COUNT) {
			char *s = json_dumps(x, JSON_ENCODE_ANY | JSON_COMPACT);

			HWARN(r, obj, "affiliated", CVB_D_HAYA_UNK_FIELD, "affiliated role '%s'", low);
			if (s != NULL)
				cvb_item_add_field(r->b, r->it, "affiliated", s, CVB_FF_JSON);
			free(s);
			continue;
		}
		read_persons(r, hroles[j].nv, json_object_get(x, "names"), x, "names");
	}
	json_decref((json_t *)v);
}

static void
read_serial(struct hr *r, const json_t *v, const json_t *obj)
{
	static const struct { const char *k; int var; } keys[] = {
		{ "doi", CVB_V_DOI }, { "isbn", CVB_V_ISBN }, { "issn", CVB_V_ISSN },
		{ "pmid", CVB_V_PMID }, { "pmcid", CVB_V_PMCID }, { "serial", CVB_V_NUMBER },
	};
	const char *k, *ax = NULL, *n;
	json_t *x;
	size_t i;

	if (!json_is_object(v)) {
		set_str(r, CVB_V_NUMBER, text_of(r, v, obj, "serial-number"));
		return;
	}
	json_object_foreach((json_t *)v, k, x) {
		const char *s = text_of(r, x, v, k);

		if (s == NULL)
			continue;
		for (i = 0; i < CVB_ARRAY_SIZE(keys); i++)
			if (strcasecmp(keys[i].k, k) == 0)
				break;
		if (i < CVB_ARRAY_SIZE(keys))
			set_str(r, (enum cvb_var)keys[i].var, s);
		else if (strcasecmp(k, "arxiv") == 0) {
			struct cvb_buf kk = CVB_BUF_INIT;

			ax = s;
			if (!cvb_cv_arxiv_key(r->it, &kk))
				cvb_item_add_field(r->b, r->it, "arxiv", s, 0);
			cvbib_buf_release(&kk);
		} else
			cvb_item_add_field(r->b, r->it, k, s, 0);
	}
	/* serial "arXiv:ID" beside arxiv ID on an entry that is no preprint: the
	 * printed arXiv id (w_serial), the eprint as the CSL-JSON reader has it */
	n = r->it->str[CVB_V_NUMBER];
	if (ax != NULL && n != NULL && r->it->type != CVB_T_ARTICLE && strncmp(n, "arXiv:", 6) == 0 &&
	    strcmp(n + 6, ax) == 0) {
		r->it->str[CVB_V_NUMBER] = NULL;
		r->it->flags |= CVB_IF_ARXIV_NUMBER;
		if (cvb_item_extra(r->it, "arxiv") == NULL)
			cvb_item_add_field(r->b, r->it, "arxiv", ax, 0);
	}
}

static void
read_date(struct hr *r, enum cvb_dvar dv, const json_t *v, const json_t *obj, const char *key)
{
	const char *s = text_of(r, v, obj, key);
	struct cvb_date *d;

	if (s == NULL || r->it->date[dv] != NULL)
		return;
	d = cvb_date_parse_edtf(r->b, *s == '~' ? s + 1 : s);
	if (d != NULL && *s == '~')
		d->circa = true;
	if (d == NULL) {
		HWARN(r, obj, key, CVB_D_YAML_BAD_VALUE, "'%s' is not a date (YYYY-MM-DD): %s", key, s);
		return;
	}
	r->it->date[dv] = d;
}

static const char *
etype(const json_t *e)
{
	const char *t = json_string_value(json_object_get(e, "type"));

	return t;
}

/* One entry's fields into r->it; depth 0 is the entry, 1 its parent ... */
static void
read_fields(struct hr *r, const json_t *e, int depth, const char *ptype)
{
	const char *k, *ty = etype(e);
	json_t *v;
	size_t i;
	bool conf = ty != NULL && strcasecmp(ty, "conference") == 0 && depth > 0;
	bool series = depth > 0 && ptype != NULL && strcasecmp(ptype, "series") == 0;

	json_object_foreach((json_t *)e, k, v) {
		if (strcmp(k, "type") == 0 || strcmp(k, "parent") == 0)
			continue;
		if (strcmp(k, "title") == 0) {
			const char *s = text_of(r, v, e, k);

			if (depth == 0) {
				set_str(r, CVB_V_TITLE, s);
				if (json_is_object(v) && json_is_string(json_object_get(v, "short")))
					set_str(r, CVB_V_TITLE_SHORT, json_string_value(json_object_get(v, "short")));
				if (json_is_object(v) && json_is_string(json_object_get(v, "shorthand")))
					set_str(r, CVB_V_TITLE_SHORT, json_string_value(json_object_get(v, "shorthand")));
			} else if (conf)
				set_str(r, CVB_V_EVENT_TITLE, s);
			else if (series || r->it->str[CVB_V_CONTAINER_TITLE] != NULL)
				set_str(r, CVB_V_COLLECTION_TITLE, s);
			else
				set_str(r, CVB_V_CONTAINER_TITLE, s);
			continue;
		}
		if (strcmp(k, "author") == 0) {
			read_persons(r, depth == 0 ? CVB_NV_AUTHOR : CVB_NV_CONTAINER_AUTHOR, v, e, k);
			continue;
		}
		if (strcmp(k, "editor") == 0) {
			read_persons(r, series ? CVB_NV_COLLECTION_EDITOR : CVB_NV_EDITOR, v, e, k);
			continue;
		}
		if (strcmp(k, "affiliated") == 0) {
			read_affiliated(r, v, e);
			continue;
		}
		if (strcmp(k, "date") == 0) {
			read_date(r, conf ? CVB_DV_EVENT_DATE : CVB_DV_ISSUED, v, e, k);
			continue;
		}
		if (strcmp(k, "url") == 0) {
			set_str(r, CVB_V_URL, text_of(r, v, e, k));
			if (json_is_object(v) && json_object_get(v, "date") != NULL)
				read_date(r, CVB_DV_ACCESSED, json_object_get(v, "date"), v, "date");
			continue;
		}
		if (strcmp(k, "serial-number") == 0) {
			read_serial(r, v, e);
			continue;
		}
		if (strcmp(k, "publisher") == 0 && json_is_object(v) &&
		    json_object_get(v, "name") != NULL) {
			set_str(r, CVB_V_PUBLISHER, text_of(r, json_object_get(v, "name"), v, "name"));
			if (json_object_get(v, "location") != NULL)
				set_str(r, CVB_V_PUBLISHER_PLACE,
				    text_of(r, json_object_get(v, "location"), v, "location"));
			continue;
		}
		if (strcmp(k, "location") == 0 && !conf) {
			/* the publisher's place in older files; where it took place now */
			set_str(r, CVB_V_PUBLISHER_PLACE, text_of(r, v, e, k));
			continue;
		}
		if (strcmp(k, "doi") == 0 || strcmp(k, "isbn") == 0 || strcmp(k, "issn") == 0) {
			/* older files: top-level serial numbers */
			set_str(r, k[1] == 'o' ? CVB_V_DOI : k[2] == 'b' ? CVB_V_ISBN : CVB_V_ISSN,
			    text_of(r, v, e, k));
			continue;
		}
		if (strcmp(k, "organization") == 0 && depth == 0) {
			/* the institution of a report or thesis: CSL's publisher */
			set_str(r, CVB_V_PUBLISHER, text_of(r, v, e, k));
			continue;
		}
		if (strcmp(k, "location") == 0 && conf) {
			set_str(r, CVB_V_EVENT_PLACE, text_of(r, v, e, k));
			continue;
		}
		if (strcmp(k, "volume") == 0 && series) {
			set_str(r, CVB_V_COLLECTION_NUMBER, text_of(r, v, e, k));
			continue;
		}
		if (strcmp(k, "time-range") == 0 || strcmp(k, "runtime") == 0) {
			set_str(r, CVB_V_DIMENSIONS, text_of(r, v, e, k));
			continue;
		}
		for (i = 0; i < CVB_ARRAY_SIZE(hfields); i++)
			if (strcmp(hfields[i].haya, k) == 0)
				break;
		if (i < CVB_ARRAY_SIZE(hfields)) {
			struct cvb_varref vr = cvb_var_lookup(hfields[i].csl);

			set_str(r, (enum cvb_var)vr.idx, text_of(r, v, e, k));
			continue;
		}
		/* a field the model has no place for: kept */
		{
			char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);

			HWARN(r, e, k, CVB_D_HAYA_UNK_FIELD, "'%s'", k);
			if (s != NULL)
				cvb_item_add_field(r->b, r->it, k, s, CVB_FF_JSON);
			free(s);
		}
	}
}

/* hayagriva's default parent types: a parent without a type has this one */
static const char *
default_parent(const char *ty)
{
	static const char *const v[][2] = {
		{ "article", "periodical" }, { "chapter", "book" }, { "entry", "reference" },
		{ "anthos", "anthology" }, { "web", "web" }, { "scene", "video" },
		{ "artwork", "exhibition" }, { "legislation", "anthology" }, { "tweet", "tweet" },
		{ "video", "video" }, { "audio", "audio" },
	};
	size_t i;

	for (i = 0; ty != NULL && i < CVB_ARRAY_SIZE(v); i++)
		if (strcasecmp(ty, v[i][0]) == 0)
			return v[i][1];
	return NULL;
}

/* Entry types that are no part of a container (their book parent is a series). */
static bool
standalone(const char *ty)
{
	static const char *const v[] = { "book", "anthology", "proceedings", "reference",
	    "report", "thesis", "periodical", NULL };
	size_t i;

	for (i = 0; ty != NULL && v[i] != NULL; i++)
		if (strcasecmp(ty, v[i]) == 0)
			return true;
	return false;
}

/* The parents of e, depth first: the first parent is the container. */
static void
read_parents(struct hr *r, const json_t *e, int depth, const char **first)
{
	const json_t *p = json_object_get(e, "parent");
	size_t i, n;

	if (p == NULL || depth > 8)
		return;
	n = json_is_array(p) ? json_array_size(p) : 1;
	for (i = 0; i < n; i++) {
		const json_t *x = json_is_array(p) ? json_array_get(p, i) : p;
		const char *ty = etype(x) ? etype(x) : default_parent(etype(e));

		if (!json_is_object(x)) {
			HWARN(r, e, "parent", CVB_D_YAML_BAD_VALUE, "'parent' wants an entry (a mapping)");
			continue;
		}
		/* a book above a container, or above a book, is its series */
		bool ser = ty != NULL && (strcasecmp(ty, "book") == 0 ||
		    strcasecmp(ty, "anthology") == 0) && (depth > 0 || standalone(etype(e)));

		if (depth == 0 && i == 0 && first != NULL && !ser)
			*first = ty;
		read_fields(r, x, depth + 1, ser ? "series" : ty);
		read_parents(r, x, depth + 1, NULL);
	}
}

static enum cvb_type
csl_type(const char *ty, const char *pty)
{
	size_t i;

	if (ty == NULL)
		ty = "misc";
	/* the entry type with this parent type (or with none) */
	for (i = 0; i < CVB_ARRAY_SIZE(htypes); i++)
		if (strcasecmp(htypes[i].haya, ty) == 0 && (htypes[i].parent == NULL ? pty == NULL :
		    pty != NULL && strcasecmp(htypes[i].parent, pty) == 0))
			return cvb_type_lookup(htypes[i].csl);
	if (pty != NULL && strcasecmp(pty, "conference") == 0)
		return CVB_T_PAPER_CONFERENCE;
	for (i = 0; i < CVB_ARRAY_SIZE(htypes); i++)
		if (strcasecmp(htypes[i].haya, ty) == 0)
			return cvb_type_lookup(htypes[i].csl);
	return CVB_T__COUNT;
}

static void
read_entry(struct hr *r, const json_t *root, const char *key, const json_t *e)
{
	unsigned line, col;
	const char *pty = NULL, *ty;
	enum cvb_type t;

	cvb_ytree_pos(r->t, root, key, 0, &line, &col);
	if (!json_is_object(e)) {
		cvb_diag(r->d, CVB_D_YAML_NOT_ENTRY, r->file, line, col,
		    "'%s' is not an entry (a mapping of fields)", key);
		return;
	}
	r->it = cvb_item_new(r->b, r->file, line, col);
	if (r->it == NULL)
		return;
	r->it->id = cvb_arena_strdup(&r->b->arena, key);
	read_fields(r, e, 0, NULL);
	read_parents(r, e, 0, &pty);
	ty = etype(e);
	/* an article with no parent but a default one (hayagriva's default
	 * parents: article in a periodical, chapter in a book ...) */
	t = csl_type(ty, pty != NULL ? pty : r->it->str[CVB_V_CONTAINER_TITLE] != NULL &&
	    ty != NULL && strcasecmp(ty, "article") == 0 ? "periodical" : NULL);
	if (t == CVB_T__COUNT) {
		HWARN(r, e, "type", CVB_D_HAYA_UNK_TYPE, "'%s'", ty ? ty : "?");
		t = CVB_T_DOCUMENT;
	}
	r->it->type = t;
}

int
cvb_read_hayagriva(cvbib_biblio *b, const char *data, size_t len, const char *file,
    const struct cvbib_options *opts, struct cvbib_diags *d)
{
	struct cvb_ytree *t = NULL;
	struct hr r = { b, d, file, NULL, NULL };
	size_t before = b->n;
	const char *k;
	json_t *root, *v;
	int rc, errs = d->nerrors;

	(void)opts;
	rc = cvb_ytree_load(&t, data, len, file, d);
	if (t == NULL)
		return rc ? rc : -CVBIB_EINPUT;
	r.t = t;
	root = cvb_ytree_ndocs(t) > 0 ? cvb_ytree_doc(t, 0) : NULL;
	if (root != NULL && !json_is_object(root)) {
		cvb_diag(d, CVB_D_YAML_UNKNOWN_DOC, file, 1, 1,
		    "a hayagriva file is a mapping of keys to entries");
		rc = -CVBIB_EINPUT;
	} else if (root != NULL)
		json_object_foreach(root, k, v)
			read_entry(&r, root, k, v);
	cvb_ytree_free(t);
	if (b->n == before && rc == 0 && d->nerrors == errs)
		cvb_diag(d, CVB_D_YAML_NO_ITEMS, file, 0, 0, NULL);
	if (b->arena.err) {
		cvb_diag(d, CVB_D_NOMEM, file, 0, 0, NULL);
		return -CVBIB_ENOMEM;
	}
	return rc;
}

/* A mapping of keys whose first entry has hayagriva fields. */
bool
cvb_looks_hayagriva(const char *data, size_t len)
{
	static const char *const fields[] = { "type:", "title:", "author:", "date:", "parent:",
	    "url:", "doi:", "editor:", "publisher:", "page-range:", "serial-number:",
	    "volume:", "issue:", "organization:", "location:", "isbn:", "affiliated:", NULL };
	const char *p = data, *e = data + (len < 65536 ? len : 65536);
	int state = 0;	/* 0: want a key line, 1: want an indented field */

	while (p < e) {
		const char *eol = memchr(p, '\n', (size_t)(e - p)), *q = p, *c;
		size_t i;

		if (eol == NULL)
			eol = e;
		while (q < eol && (*q == ' ' || *q == '\t'))
			q++;
		if (q == eol || *q == '#' || (q == p && eol - p >= 3 && strncmp(p, "---", 3) == 0)) {
			p = eol + 1;
			continue;
		}
		if (state == 0) {
			if (q != p || *q == '-' || *q == '[' || *q == '{')
				return false;
			c = memchr(q, ':', (size_t)(eol - q));
			if (c == NULL)
				return false;
			for (c++; c < eol && (*c == ' ' || *c == '\t' || *c == '\r'); c++)
				;
			if (c < eol && *c != '#')
				return false;	/* "key: value" at the top: not an entry */
			if (strncmp(q, "references:", 11) == 0 || strncmp(q, "cv:", 3) == 0 ||
			    strncmp(q, "publications:", 13) == 0 || strncmp(q, "basics:", 7) == 0)
				return false;
			state = 1;
		} else {
			if (q == p)
				return false;
			for (i = 0; fields[i] != NULL; i++)
				if ((size_t)(eol - q) >= strlen(fields[i]) &&
				    strncasecmp(q, fields[i], strlen(fields[i])) == 0)
					return true;
			return false;
		}
		p = eol + 1;
	}
	return false;
}
