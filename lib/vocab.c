/*
 * Header synonyms and enumerations, matched by text_key() so that case,
 * width, spaces and the usual separators never matter.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "field.h"
#include "hmap.h"
#include "norm.h"
#include "rules.h"
#include "text.h"
#include "vocab.h"
#include "xalloc.h"

struct mapent {
	enum field	 f;		/* F_NONE: ignore the column */
	long		 scale;		/* 0: from the header's brackets */
	char		 cur[4];	/* the unit's currency, or "" */
	char		*where;		/* "map.csv:3" */
};

struct enumdef {
	char		*name;
	struct buf	 values;	/* "won, lost, ..." */
	struct buf	 shown;		/* "won (赢单), lost (输单), ..." */
};

struct vocab {
	struct hmap	*headers;	/* key -> enum field */
	struct hmap	*enums;		/* "name\x1fkey" -> index in strs */
	char		**strs;		/* canonical values, owned */
	size_t		 nstrs;
	struct enumdef	*defs;
	size_t		 ndefs;
	struct hmap	*map;		/* --map: key -> index in maps */
	struct mapent	*maps;
	size_t		 nmaps;
};

static const struct {
	const char	*word;
	long		 scale;
} units[] = {
	{"元", 1}, {"rmb", 1}, {"cny", 1}, {"¥", 1}, {"人民币", 1},
	{"人民币元", 1}, {"yuan", 1},
	{"万", 10000}, {"万元", 10000}, {"w", 10000}, {"万人民币", 10000},
	{"千", 1000}, {"千元", 1000}, {"k", 1000},
	{"百万", 1000000}, {"百万元", 1000000}, {"million", 1000000},
	{"m", 1000000}, {"mn", 1000000},
	{"亿", 100000000}, {"亿元", 100000000},
};

long
unit_scale(const char *word, size_t n)
{
	struct buf k = {0};
	size_t i;
	long s;

	text_key(&k, word, n);
	s = 0;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(buf_str(&k), units[i].word) == 0) {
			s = units[i].scale;
			break;
		}
	buf_free(&k);
	return s;
}

/*
 * A unit as a header or a map file writes it: a word of units[] (元,
 * 万元, million), else a magnitude and a currency (万美元, USD).  1 with
 * *scale and cur ("" when it names no currency other than yuan), 0 when
 * it is no unit.
 */
static int
unit_parse(const char *word, size_t n, long *scale, char *cur)
{
	struct buf k = {0};
	long u;

	*scale = 1;
	*cur = '\0';
	if (norm_unit(word, n, scale, cur))
		return 1;
	*scale = 1;
	if ((u = unit_scale(word, n)) <= 0)
		return 0;
	*scale = u;
	/* million, m, mn say no currency; yuan and 人民币元 do. */
	text_key(&k, word, n);
	if (strstr(buf_str(&k), "元") != NULL ||
	    strstr(buf_str(&k), "人民币") != NULL ||
	    strcmp(buf_str(&k), "yuan") == 0)
		memcpy(cur, "CNY", 4);
	buf_free(&k);
	return 1;
}

static void
split_synonyms(const char *s, void (*fn)(const char *, size_t, void *),
    void *arg)
{
	const char *bar;

	while (*s != '\0') {
		bar = strchr(s, '|');
		if (bar == NULL)
			bar = s + strlen(s);
		if (bar > s)
			fn(s, (size_t)(bar - s), arg);
		s = *bar == '|' ? bar + 1 : bar;
	}
}

struct hdr_arg {
	struct vocab		*v;
	enum field		 f;
};

static void
add_header(const char *s, size_t n, void *arg)
{
	struct hdr_arg *a = arg;
	struct buf k = {0};

	text_key(&k, s, n);
	if (k.len > 0)
		hmap_put(a->v->headers, k.s, k.len, (intptr_t)a->f);
	buf_free(&k);
}

static int
load_headers(struct vocab *v, const char *dir)
{
	struct rtable *t;
	struct hdr_arg a;
	size_t i;
	int cf, cs, rc;
	enum field f;

	if ((t = rules_load(dir, "headers.csv")) == NULL)
		return -1;
	rc = 0;
	if ((cf = rtable_need(t, "field")) < 0 ||
	    (cs = rtable_need(t, "synonyms")) < 0) {
		rtable_free(t);
		return -1;
	}
	a.v = v;
	for (i = 0; i < t->nrows; i++) {
		if ((f = field_by_name(rtable_get(t, i, cf))) == F_NONE) {
			rtable_error(t, i, cf, "unknown field '%s'",
			    diag_val(rtable_get(t, i, cf)));
			rc = -1;
			continue;
		}
		a.f = f;
		/* The field's own name is always a synonym. */
		add_header(field_info[f].name, strlen(field_info[f].name), &a);
		split_synonyms(rtable_get(t, i, cs), add_header, &a);
	}
	rtable_free(t);
	return rc;
}

struct enum_arg {
	struct vocab	*v;
	const char	*name;
	intptr_t	 idx;
};

static void
add_enum(const char *s, size_t n, void *arg)
{
	struct enum_arg *a = arg;
	struct buf k = {0};

	buf_adds(&k, a->name);
	buf_addc(&k, '\x1f');
	text_key(&k, s, n);
	hmap_put(a->v->enums, k.s, k.len, a->idx);
	buf_free(&k);
}

static struct enumdef *
enum_def(struct vocab *v, const char *name)
{
	size_t i;

	for (i = 0; i < v->ndefs; i++)
		if (strcmp(v->defs[i].name, name) == 0)
			return &v->defs[i];
	v->defs = xrealloc(v->defs, (v->ndefs + 1) * sizeof(*v->defs));
	memset(&v->defs[v->ndefs], 0, sizeof(v->defs[0]));
	v->defs[v->ndefs].name = xstrdup(name);
	return &v->defs[v->ndefs++];
}

static int
load_enums(struct vocab *v, const char *dir)
{
	struct rtable *t;
	struct enum_arg a;
	struct enumdef *d;
	const char *syn;
	size_t i, n;
	int ce, cv, cs;

	if ((t = rules_load(dir, "enums.csv")) == NULL)
		return -1;
	if ((ce = rtable_need(t, "enum")) < 0 ||
	    (cv = rtable_need(t, "value")) < 0 ||
	    (cs = rtable_need(t, "synonyms")) < 0) {
		rtable_free(t);
		return -1;
	}
	for (i = 0; i < t->nrows; i++) {
		if (*rtable_get(t, i, ce) == '\0' ||
		    *rtable_get(t, i, cv) == '\0') {
			rtable_error(t, i, *rtable_get(t, i, ce) ? cv : ce,
			    "empty cell");
			continue;
		}
		v->strs = xrealloc(v->strs, (v->nstrs + 1) * sizeof(char *));
		v->strs[v->nstrs] = xstrdup(rtable_get(t, i, cv));
		a.v = v;
		a.name = rtable_get(t, i, ce);
		a.idx = (intptr_t)v->nstrs++;
		add_enum(rtable_get(t, i, cv), strlen(rtable_get(t, i, cv)),
		    &a);
		split_synonyms(rtable_get(t, i, cs), add_enum, &a);
		d = enum_def(v, a.name);
		if (d->values.len)
			buf_adds(&d->values, ", ");
		buf_adds(&d->values, rtable_get(t, i, cv));
		/* "contact (初步接触)": the value and the spelling people
		 * type first, for the message that lists the known ones. */
		if (d->shown.len)
			buf_adds(&d->shown, ", ");
		buf_adds(&d->shown, rtable_get(t, i, cv));
		syn = rtable_get(t, i, cs);
		if ((n = strcspn(syn, "|")) > 0 &&
		    strncmp(syn, rtable_get(t, i, cv), n) != 0)
			buf_addf(&d->shown, " (%.*s)", (int)n, syn);
	}
	rtable_free(t);
	return 0;
}

struct vocab *
vocab_load(const char *dir)
{
	struct vocab *v;
	unsigned long before;

	before = diag_nerrors();
	v = xcalloc(1, sizeof(*v));
	v->headers = hmap_new();
	v->enums = hmap_new();
	if (load_headers(v, dir) < 0 || load_enums(v, dir) < 0 ||
	    diag_nerrors() != before) {
		vocab_free(v);
		return NULL;
	}
	return v;
}

void
vocab_free(struct vocab *v)
{
	size_t i;

	if (v == NULL)
		return;
	hmap_free(v->headers);
	hmap_free(v->enums);
	for (i = 0; i < v->nstrs; i++)
		free(v->strs[i]);
	free(v->strs);
	for (i = 0; i < v->ndefs; i++) {
		free(v->defs[i].name);
		buf_free(&v->defs[i].values);
		buf_free(&v->defs[i].shown);
	}
	free(v->defs);
	if (v->map != NULL)
		hmap_free(v->map);
	for (i = 0; i < v->nmaps; i++)
		free(v->maps[i].where);
	free(v->maps);
	free(v);
}

/* Split "合同金额(万元)" into the name and the unit in brackets. */
static int
split_unit(const char *s, size_t n, size_t *namelen, const char **unit,
    size_t *unitlen)
{
	static const char *const open[] = {"(", "（", "[", "【"};
	static const char *const close[] = {")", "）", "]", "】"};
	size_t i, ol, cl;
	const char *o;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	for (i = 0; i < sizeof(open) / sizeof(open[0]); i++) {
		cl = strlen(close[i]);
		ol = strlen(open[i]);
		if (n < cl + ol || memcmp(s + n - cl, close[i], cl) != 0)
			continue;
		for (o = s + n - cl - ol; o >= s; o--)
			if (memcmp(o, open[i], ol) == 0)
				break;
		if (o < s)
			continue;
		*namelen = (size_t)(o - s);
		*unit = o + ol;
		*unitlen = (size_t)(s + n - cl - *unit);
		return 1;
	}
	return 0;
}

static enum field
lookup(const struct vocab *v, const char *s, size_t n)
{
	struct buf k = {0};
	intptr_t f;

	text_key(&k, s, n);
	if (k.len == 0 || !hmap_get(v->headers, k.s, k.len, &f))
		f = F_NONE;
	buf_free(&k);
	return (enum field)f;
}

int
vocab_load_map(struct vocab *v, const char *path)
{
	const char *fs, *us;
	struct rtable *t;
	struct buf k = {0};
	intptr_t idx;
	int ch, cf, cu, bad = 0;
	size_t i;

	if ((t = rules_load_file(path)) == NULL)
		return -1;
	ch = rtable_need(t, "header");
	cf = rtable_need(t, "field");
	cu = rtable_col(t, "unit");
	if (ch < 0 || cf < 0) {
		rtable_free(t);
		diag_raise(SX_USAGE);
		return -1;
	}
	if (v->map == NULL)
		v->map = hmap_new();
	for (i = 0; i < t->nrows; i++) {
		struct mapent e = {F_NONE, 0, "", NULL};
		const char *h = rtable_get(t, i, ch);

		fs = rtable_get(t, i, cf);
		us = cu >= 0 ? rtable_get(t, i, cu) : "";
		if (*fs != '\0' && strcmp(fs, "-") != 0 &&
		    (e.f = field_by_name(fs)) == F_NONE) {
			rtable_error(t, i, cf, "unknown field '%s' (the fields "
			    "are listed in sales-rules(5), headers.csv)",
			    diag_val(fs));
			bad = 1;
			continue;
		}
		if (*us != '\0' && !unit_parse(us, strlen(us), &e.scale,
		    e.cur)) {
			rtable_error(t, i, cu, "unknown unit '%s' (元, 千元, "
			    "万元, 百万元, 亿元, 万美元, USD)", diag_val(us));
			bad = 1;
			continue;
		}
		buf_reset(&k);
		text_key(&k, h, strlen(h));
		if (k.len == 0) {
			rtable_error(t, i, ch, "empty header");
			bad = 1;
			continue;
		}
		if (hmap_get(v->map, k.s, k.len, &idx)) {
			rtable_error(t, i, ch, "header '%s' is mapped twice "
			    "(first in the %s)", diag_val(h),
			    v->maps[idx].where);
			bad = 1;
			continue;
		}
		e.where = xasprintf("map file %s:%ld", path,
		    t->rows[i].line);
		v->maps = xrealloc(v->maps, (v->nmaps + 1) * sizeof(*v->maps));
		v->maps[v->nmaps] = e;
		hmap_put(v->map, k.s, k.len, (intptr_t)v->nmaps);
		v->nmaps++;
	}
	buf_free(&k);
	rtable_free(t);
	if (bad) {
		diag_raise(SX_USAGE);
		return -1;
	}
	return 0;
}

int
vocab_mapped(const struct vocab *v, const char *s, size_t n, enum field *f,
    long *scale, char *cur, const char **where)
{
	struct buf k = {0};
	const char *unit;
	size_t namelen, unitlen;
	intptr_t idx;
	int found;

	if (v->map == NULL)
		return 0;
	text_key(&k, s, n);
	found = k.len > 0 && hmap_get(v->map, k.s, k.len, &idx);
	buf_free(&k);
	if (!found)
		return 0;
	*f = v->maps[idx].f;
	*where = v->maps[idx].where;
	*scale = v->maps[idx].scale;
	memcpy(cur, v->maps[idx].cur, 4);
	if (*scale == 0) {
		*scale = 1;
		if (split_unit(s, n, &namelen, &unit, &unitlen))
			(void)unit_parse(unit, unitlen, scale, cur);
	}
	return 1;
}

int
vocab_unit_cell(const char *s, size_t n, const char **unit, size_t *unitlen)
{
	long scale;
	size_t namelen, i;
	char cur[4];

	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	if (split_unit(s, n, &namelen, unit, unitlen) && namelen == 0)
		return unit_parse(*unit, *unitlen, &scale, cur);
	/* A bare word: 万元, USD. */
	for (i = n; i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t'); i--)
		continue;
	*unit = s;
	*unitlen = i;
	return i > 0 && unit_parse(s, i, &scale, cur);
}

enum field
vocab_header(const struct vocab *v, const char *s, size_t n, long *scale,
    char *cur)
{
	const char *unit;
	size_t namelen, unitlen;
	enum field f;

	*scale = 1;
	*cur = '\0';
	if ((f = lookup(v, s, n)) != F_NONE)
		return f;
	if (!split_unit(s, n, &namelen, &unit, &unitlen))
		return F_NONE;
	if ((f = lookup(v, s, namelen)) == F_NONE)
		return F_NONE;
	(void)unit_parse(unit, unitlen, scale, cur);
	return f;
}

const char *
vocab_enum(const struct vocab *v, const char *name, const char *s, size_t n)
{
	struct buf k = {0};
	intptr_t idx;
	const char *r;

	buf_adds(&k, name);
	buf_addc(&k, '\x1f');
	text_key(&k, s, n);
	r = hmap_get(v->enums, k.s, k.len, &idx) ? v->strs[idx] : NULL;
	buf_free(&k);
	return r;
}

const char *
vocab_enum_values(const struct vocab *v, const char *name)
{
	size_t i;

	for (i = 0; i < v->ndefs; i++)
		if (strcmp(v->defs[i].name, name) == 0)
			return buf_str(&v->defs[i].values);
	return "";
}

const char *
vocab_enum_shown(const struct vocab *v, const char *name)
{
	size_t i;

	for (i = 0; i < v->ndefs; i++)
		if (strcmp(v->defs[i].name, name) == 0)
			return buf_str(&v->defs[i].shown);
	return "";
}

int
vocab_rule_enum(const struct vocab *v, const struct rtable *t, size_t row,
    int col, const char *name, const char *text)
{
	const char *e;

	e = vocab_enum(v, name, text, strlen(text));
	if (e != NULL && strcmp(e, text) == 0)
		return 0;
	if (e != NULL)
		rtable_error(t, row, col, "%s '%s': rule tables write the "
		    "stored value '%s' of enums.csv", name, diag_val(text), e);
	else
		rtable_error(t, row, col, "%s '%s' is not a value of the %s "
		    "enumeration of enums.csv (%s)", name, diag_val(text), name,
		    vocab_enum_values(v, name));
	return -1;
}
