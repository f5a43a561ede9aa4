/*
 * csl-fixture.c - runs fixtures of the CSL test suite
 * (../shared/csl-test-suite/processor-tests/humans/NAME.txt) through the engine.
 *
 *   csl-fixture [-v] [-p] [-L LOCALES_DIR] FIXTURE...
 *
 * Prints "PASS name" or "FAIL name" per fixture (each in its own process, so
 * a crash fails only that fixture) and a closing "N passed, N failed".
 * -v shows expected and actual output of failures; -p prints the output only.
 * Modes: citation (CITATION-ITEMS, CITATIONS or all items as one cluster)
 * and bibliography (BIBENTRIES, BIBSECTION), as the citeproc-js runner does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <jansson.h>
#include "csl/csl.h"

static int verbose, printonly;
static const char *locales_dir = "../shared/csl-test-suite/locales";

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b = NULL;
	size_t n = 0, cap = 0, r;

	if (!f) return NULL;
	do {
		if (cap - n < 4096) { cap = cap ? cap * 2 : 65536; b = realloc(b, cap + 1); if (!b) exit(2); }
		r = fread(b + n, 1, cap - n, f);
		n += r;
	} while (r > 0);
	fclose(f);
	b[n] = 0;
	if (len) *len = n;
	return b;
}

/* Find a marker ">>=* NAME =*>>" (or "<<" for closers) from p; its start and end. */
static const char *
marker(const char *p, const char *name, const char *ang, const char **end)
{
	size_t nl = strlen(name);

	while ((p = strstr(p, ang)) != NULL) {
		const char *q = p + 2;
		while (*q == '=') q++;
		if (*q == ' ') q++;
		if (strncmp(q, name, nl) == 0 && (q[nl] == ' ' || q[nl] == '=')) {
			q += nl;
			while (*q == ' ' || *q == '=') q++;
			if (strncmp(q, ang, 2) == 0) { *end = q + 2; return p; }
		}
		p += 2;
	}
	return NULL;
}

/* The text of section NAME, or NULL. */
static char *
section(const char *data, const char *name)
{
	const char *a, *b, *e;

	a = marker(data, name, ">>", &e);
	if (!a) return NULL;
	a = e;
	if (*a == '\n') a++;
	b = marker(a, name, "<<", &e);
	if (!b) return NULL;
	return strndup(a, (size_t)(b - a));
}

static void
trim(char *s)
{
	size_t n = strlen(s);
	char *p = s;

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\r' || s[n - 1] == '\t')) s[--n] = 0;
	while (*p == '\n') p++;
	memmove(s, p, strlen(p) + 1);
}

static const char *
jstr(json_t *o, const char *k, char *buf, size_t bl)
{
	json_t *v = json_object_get(o, k);

	if (json_is_string(v)) return json_string_value(v);
	if (json_is_integer(v)) { snprintf(buf, bl, "%lld", (long long)json_integer_value(v)); return buf; }
	return NULL;
}

/* Fill a cite from a JSON cite object; strings are strdup'd (leaked per process). */
static void
cite_from(struct cvbib_cite *c, json_t *o)
{
	char buf[64];
	const char *s;

	memset(c, 0, sizeof(*c));
	s = jstr(o, "id", buf, sizeof(buf)); c->id = s ? strdup(s) : NULL;
	s = jstr(o, "locator", buf, sizeof(buf)); c->locator = s ? strdup(s) : NULL;
	s = jstr(o, "label", buf, sizeof(buf)); c->label = s ? strdup(s) : NULL;
	s = jstr(o, "prefix", buf, sizeof(buf)); c->prefix = s ? strdup(s) : NULL;
	s = jstr(o, "suffix", buf, sizeof(buf)); c->suffix = s ? strdup(s) : NULL;
	c->suppress_author = json_is_true(json_object_get(o, "suppress-author"));
	/* a position forced by the fixture (citeproc-js numbers: 0 first ... 3 ibid-with-locator) */
	if (json_is_integer(json_object_get(o, "position")))
		c->position = (int)json_integer_value(json_object_get(o, "position")) + 1;
	c->author_only = json_is_true(json_object_get(o, "author-only"));
}

static void
citation_from(struct cvbib_citation *ct, json_t *items, int note)
{
	size_t i;

	memset(ct, 0, sizeof(*ct));
	ct->ncites = json_array_size(items);
	ct->cites = calloc(ct->ncites + 1, sizeof(*ct->cites));
	for (i = 0; i < ct->ncites; i++) cite_from(&ct->cites[i], json_array_get(items, i));
	ct->note_index = note;
}

static bool
field_match(struct cvb_item *it, const char *field, const char *value)
{
	struct cvb_varref v;

	if (strcmp(field, "type") == 0) return strcmp(cvb_type_name(it->type), value) == 0;
	if (strcmp(field, "categories") == 0) {
		const char **c;
		if (!it->categories) return !*value;
		for (c = it->categories; *c; c++) if (strcmp(*c, value) == 0) return true;
		return false;
	}
	v = cvb_var_lookup(field);
	switch (v.kind) {
	case CVB_VK_STR: case CVB_VK_NUM:
		if (!*value) return it->str[v.idx] == NULL;
		return it->str[v.idx] && strcmp(it->str[v.idx], value) == 0;
	case CVB_VK_DATE:
		return *value ? it->date[v.idx] != NULL : it->date[v.idx] == NULL;
	case CVB_VK_NAME:
		return *value ? it->names[v.idx] != NULL : it->names[v.idx] == NULL;
	default:
		return false;
	}
}

static bool
spec_all(struct cvb_item *it, json_t *arr, bool all)
{
	size_t i;

	for (i = 0; i < json_array_size(arr); i++) {
		json_t *o = json_array_get(arr, i);
		const char *f = json_string_value(json_object_get(o, "field"));
		const char *v = json_string_value(json_object_get(o, "value"));
		bool m = f && v && field_match(it, f, v);
		if (all && !m) return false;
		if (!all && m) return true;
	}
	return all;
}

static char *
run(const char *path, char **expected)
{
	char *data = slurp(path, NULL), *mode, *csl, *input, *result, *citems, *cits, *bibentries, *bibsection;
	cvbib_biblio *b;
	cvbib_style *s = NULL;
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	struct cvbib_options o;
	struct cvb_buf out = CVB_BUF_INIT;
	json_error_t je;

	if (!data) return NULL;
	mode = section(data, "MODE");
	csl = section(data, "CSL");
	input = section(data, "INPUT");
	result = section(data, "RESULT");
	citems = section(data, "CITATION-ITEMS");
	cits = section(data, "CITATIONS");
	bibentries = section(data, "BIBENTRIES");
	bibsection = section(data, "BIBSECTION");
	if (!mode || !csl || !input || !result) return NULL;
	trim(mode); trim(result);
	*expected = result;
	cvbib_options_init(&o);
	o.locales_dir = locales_dir;
	b = cvbib_biblio_new();
	cvbib_read(b, input, strlen(input), "input.json", CVBIB_FMT_CSLJSON, &o, &d);
	/* citeproc-js reads "name: value" lines of the note field as variables */
	{
		size_t i;
		for (i = 0; i < b->n; i++) {
			struct cvb_item *it = b->items[i];
			const char *nt = it->str[CVB_V_NOTE], *p;
			if (!nt) continue;
			for (p = nt; p && *p; ) {
				const char *eol = strchr(p, '\n'), *colon = strstr(p, ": ");
				size_t ll = eol ? (size_t)(eol - p) : strlen(p);
				if (colon && colon < p + ll) {
					char key[64], *val;
					size_t kl = (size_t)(colon - p);
					struct cvb_varref v;
					if (kl < sizeof(key)) {
						memcpy(key, p, kl); key[kl] = 0;
						v = cvb_var_lookup(key);
						val = strndup(colon + 2, ll - kl - 2);
						if (v.kind == CVB_VK_DATE && !it->date[v.idx])
							it->date[v.idx] = cvb_date_parse_edtf(b, val);
						else if ((v.kind == CVB_VK_STR || v.kind == CVB_VK_NUM) && !it->str[v.idx])
							cvb_item_set(b, it, v.idx, val);
						else if (strcmp(key, "type") == 0 && cvb_type_lookup(val))
							it->type = cvb_type_lookup(val);
						else if (v.kind == CVB_VK_NAME && !it->names[v.idx]) {
							/* "Hall || W.C.": family || given */
							struct cvb_name *nm = cvb_name_new(b);
							char *bar = strstr(val, " || ");
							if (nm) {
								memset(nm, 0, sizeof(*nm));
								if (bar) {
									*bar = 0;
									nm->given = cvb_arena_strdup(&b->arena, bar + 4);
									nm->family = cvb_arena_strdup(&b->arena, val);
								} else
									nm->literal = cvb_arena_strdup(&b->arena, val);
								cvb_item_add_name(it, v.idx, nm);
							}
						}
						free(val);
					}
				}
				p = eol ? eol + 1 : NULL;
			}
		}
	}
	if (cvbib_style_load_mem(&s, csl, strlen(csl), "fixture.csl", NULL, &o, &d) != 0) {
		size_t i;
		for (i = 0; i < d.n; i++) {
			char *m = cvbib_diag_format(&d.v[i]);
			cvb_buf_adds(&out, m); cvb_buf_addch(&out, '\n');
			free(m);
		}
		return cvbib_buf_detach(&out, NULL);
	}
	if (strcmp(mode, "bibliography") == 0 || strcmp(mode, "bibliography-nosort") == 0) {
		struct cvb_item **items = calloc(b->n + 1, sizeof(*items));
		size_t n = 0, i, j;
		struct cvbib_citation *cl = NULL;
		size_t ncl = 0;
		if (bibentries) {
			json_t *j0 = json_loads(bibentries, 0, &je);
			json_t *last = json_array_get(j0, json_array_size(j0) - 1);
			for (i = 0; i < json_array_size(last); i++) {
				const char *id = json_string_value(json_array_get(last, i));
				char buf[32];
				if (!id && json_is_integer(json_array_get(last, i))) {
					snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(json_array_get(last, i)));
					id = buf;
				}
				for (j = 0; id && j < b->n; j++)
					if (b->items[j]->id && strcmp(b->items[j]->id, id) == 0) { items[n++] = b->items[j]; break; }
			}
		} else if (citems || cits) {
			json_t *j0 = json_loads(citems ? citems : cits, 0, &je);
			ncl = json_array_size(j0);
			cl = calloc(ncl + 1, sizeof(*cl));
			for (i = 0; i < ncl; i++) {
				json_t *e = json_array_get(j0, i);
				if (cits) {
					json_t *c0 = json_array_get(e, 0);
					const char *cid = json_string_value(json_object_get(c0, "citationID"));
					size_t q;
					/* a citation sent again replaces the earlier one */
					for (q = i + 1; cid && q < ncl; q++) {
						const char *c2 = json_string_value(json_object_get(json_array_get(json_array_get(j0, q), 0), "citationID"));
						if (c2 && strcmp(c2, cid) == 0) break;
					}
					if (cid && q < ncl) { memset(&cl[i], 0, sizeof(cl[i])); continue; }
					citation_from(&cl[i], json_object_get(c0, "citationItems"),
					    (int)json_integer_value(json_object_get(json_object_get(c0, "properties"), "noteIndex")));
				} else
					citation_from(&cl[i], e, (int)i + 1);
			}
			for (i = 0; i < ncl; i++)
				for (j = 0; j < cl[i].ncites; j++) {
					size_t k, m;
					for (k = 0; k < b->n; k++)
						if (b->items[k]->id && cl[i].cites[j].id && strcmp(b->items[k]->id, cl[i].cites[j].id) == 0) {
							for (m = 0; m < n; m++) if (items[m] == b->items[k]) break;
							if (m == n) items[n++] = b->items[k];
							break;
						}
				}
		} else {
			for (i = 0; i < b->n; i++) items[n++] = b->items[i];
		}
		if (bibsection) {
			json_t *bs = json_loads(bibsection, 0, &je);
			size_t k = 0;
			for (i = 0; i < n; i++) {
				bool keep = true;
				json_t *x;
				if ((x = json_object_get(bs, "select"))) keep = spec_all(items[i], x, true);
				else if ((x = json_object_get(bs, "include"))) keep = spec_all(items[i], x, false);
				else if ((x = json_object_get(bs, "exclude"))) keep = !spec_all(items[i], x, false);
				if ((x = json_object_get(bs, "quash")) && spec_all(items[i], x, true)) keep = false;
				if (keep) items[k++] = items[i];
			}
			n = k;
		}
		cvb_csl_bibliography_items(s, b, items, n, cl, ncl, CVBIB_OUT_HTML, &out, &d);
	} else if (cits) {
		json_t *j0 = json_loads(cits, 0, &je);
		size_t nc = json_array_size(j0), i, k;
		struct cvbib_citation *all = calloc(nc + 1, sizeof(*all));
		const char **ids = calloc(nc + 1, sizeof(*ids));
		size_t *order = calloc(nc + 1, sizeof(*order)), norder = 0;
		size_t *prevorder = calloc(nc + 1, sizeof(*prevorder)), nprev = 0;
		int *prevnote = calloc(nc + 1, sizeof(*prevnote));

		for (i = 0; i < nc; i++) {
			json_t *e = json_array_get(j0, i);
			json_t *c0 = json_array_get(e, 0), *pre = json_array_get(e, 1), *post = json_array_get(e, 2);
			size_t x;
			citation_from(&all[i], json_object_get(c0, "citationItems"),
			    (int)json_integer_value(json_object_get(json_object_get(c0, "properties"), "noteIndex")));
			ids[i] = json_string_value(json_object_get(c0, "citationID"));
			/* the document order after this call */
			memcpy(prevorder, order, norder * sizeof(*order));
			nprev = norder;
			/* note numbers as they were before this call */
			for (x = 0; x < i; x++) prevnote[x] = all[x].note_index;
			norder = 0;
			for (x = 0; x < json_array_size(pre); x++) {
				const char *cid = json_string_value(json_array_get(json_array_get(pre, x), 0));
				for (k = 0; k < i; k++) if (ids[k] && cid && strcmp(ids[k], cid) == 0) {
					order[norder++] = k;
					all[k].note_index = (int)json_integer_value(json_array_get(json_array_get(pre, x), 1));
					break;
				}
			}
			order[norder++] = i;
			for (x = 0; x < json_array_size(post); x++) {
				const char *cid = json_string_value(json_array_get(json_array_get(post, x), 0));
				for (k = 0; k < i; k++) if (ids[k] && cid && strcmp(ids[k], cid) == 0) {
					order[norder++] = k;
					all[k].note_index = (int)json_integer_value(json_array_get(json_array_get(post, x), 1));
					break;
				}
			}
		}
		/* the state before the last call and after it: the engine
		 * renders the latter and says which citations changed */
		{
			struct cvbib_citation *seq = calloc(nc + 1, sizeof(*seq)), *pseq = calloc(nc + 1, sizeof(*pseq));
			char **outs = calloc(nc + 1, sizeof(*outs));
			bool *changed = calloc(nc + 1, sizeof(*changed));
			for (k = 0; k < nc; k++) {
				size_t q;
				all[k].id = ids[k];
				/* processCitationCluster computes every position */
				for (q = 0; q < all[k].ncites; q++) all[k].cites[q].position = 0;
			}
			for (k = 0; k < nprev; k++) { pseq[k] = all[prevorder[k]]; pseq[k].note_index = prevnote[prevorder[k]]; }
			for (k = 0; k < norder; k++) seq[k] = all[order[k]];
			cvb_csl_citations_update(s, b, pseq, nprev, seq, norder, CVBIB_OUT_HTML, outs, changed, &d);
			for (k = 0; k < norder; k++)
				cvb_buf_addf(&out, "%s[%zu] %s\n", changed[k] ? ">>" : "..", k, outs[k] ? outs[k] : "");
		}
	} else {
		struct cvbib_citation *cl;
		size_t ncl, i;
		if (citems) {
			json_t *j0 = json_loads(citems, 0, &je);
			ncl = json_array_size(j0);
			cl = calloc(ncl + 1, sizeof(*cl));
			for (i = 0; i < ncl; i++) citation_from(&cl[i], json_array_get(j0, i), (int)i + 1);
		} else {
			ncl = 1;
			cl = calloc(2, sizeof(*cl));
			struct cvb_csl_entry *ents = NULL;
			size_t nents = 0;
			cl[0].cites = calloc(b->n + 1, sizeof(*cl[0].cites));
			/* the suite's convention: the items are cited in the
			 * bibliography's order (citeproc-js's runner registers
			 * them, then cites the sorted ids), each id once */
			if (cvb_csl_bibliography_entries(s, b, CVBIB_OUT_TEXT, 1, &ents, &nents, &d) != 0 || nents != b->n) {
				cvb_csl_entries_free(ents, nents);
				ents = NULL;
			}
			for (i = 0; i < b->n; i++) {
				const char *id = ents ? ents[i].item->id : b->items[i]->id;
				size_t q;
				for (q = 0; q < cl[0].ncites; q++)
					if (id && cl[0].cites[q].id && strcmp(cl[0].cites[q].id, id) == 0) break;
				if (q == cl[0].ncites) cl[0].cites[cl[0].ncites++].id = id;
			}
			cvb_csl_entries_free(ents, nents);
			cl[0].note_index = 1;
		}
		cvbib_format_citations(s, b, cl, ncl, CVBIB_OUT_HTML, &out, &d);
	}
	{
		char *r = cvbib_buf_detach(&out, NULL);
		trim(r);
		return r;
	}
}

int
main(int argc, char **argv)
{
	int i, pass = 0, fail = 0, c;

	while ((c = getopt(argc, argv, "vpL:")) != -1) {
		switch (c) {
		case 'v': verbose = 1; break;
		case 'p': printonly = 1; break;
		case 'L': locales_dir = optarg; break;
		default: fprintf(stderr, "usage: csl-fixture [-v] [-p] [-L dir] FIXTURE...\n"); return 2;
		}
	}
	for (i = optind; i < argc; i++) {
		const char *name = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
		int fds[2], status = 0;
		pid_t pid;
		char buf[4096];
		ssize_t r;
		char res = 'F';

		fflush(stdout);
		if (printonly) {
			char *exp = NULL, *got = run(argv[i], &exp);
			printf("%s\n", got ? got : "(no output)");
			if (verbose && exp) printf("--- expected:\n%s\n", exp);
			continue;
		}
		if (pipe(fds) != 0) return 2;
		pid = fork();
		if (pid == 0) {
			char *exp = NULL, *got;
			close(fds[0]);
			alarm(60);	/* wall time: generous, so a loaded machine never fails a fixture */
			got = run(argv[i], &exp);
			if (got && exp && strcmp(got, exp) == 0) {
				if (write(fds[1], "P", 1) < 0) _exit(1);
			} else {
				if (write(fds[1], "F", 1) < 0) _exit(1);
				if (verbose) {
					FILE *f = fdopen(fds[1], "w");
					fprintf(f, "--- expected:\n%s\n--- got:\n%s\n", exp ? exp : "(bad fixture)", got ? got : "(null)");
					fclose(f);
				}
			}
			_exit(0);
		}
		close(fds[1]);
		{
			struct cvb_buf msg = CVB_BUF_INIT;
			while ((r = read(fds[0], buf, sizeof(buf))) > 0) cvb_buf_add(&msg, buf, (size_t)r);
			close(fds[0]);
			waitpid(pid, &status, 0);
			if (msg.len > 0) res = msg.buf[0];
			if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) res = 'C';
			if (res == 'P') { pass++; printf("PASS %s\n", name); }
			else {
				fail++;
				printf("FAIL %s%s\n", name, res == 'C' ? " (crashed)" : "");
				if (verbose && msg.len > 1) printf("%s", msg.buf + 1);
			}
			cvbib_buf_release(&msg);
		}
	}
	if (!printonly) printf("%d passed, %d failed\n", pass, fail);
	return 0;
}
