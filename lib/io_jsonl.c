/*
 * JSON-lines reader (jansson, and a fast path for the flat lines most
 * files are made of).  Each line is one object; its keys name the
 * columns.  The first object, and any later one that brings a new key,
 * is preceded by a header row (row.header = 1) naming all columns.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "diag.h"
#include "hmap.h"
#include "num.h"
#include "reader.h"
#include "row.h"
#include "text.h"
#include "textin.h"
#include "xalloc.h"

#define LINE_MAX_BYTES	(64L << 20)
#define FAST_KEYS_MAX	64		/* more, and jansson reads the line */
#define CHUNK		(1 << 16)
#define KEYS_MAX	16384		/* columns: as many as XLSX has */

struct jsonl_rd {
	struct reader	 base;
	struct textin	*in;
	char		*chunk;
	size_t		 clen, cpos;
	int		 eof;
	struct buf	 line;
	long		 lineno;
	char		**keys;		/* column names in order of appearance */
	size_t		 nkeys, capkeys;
	struct hmap	*keyidx;	/* key -> its index in keys */
	json_t		*pending;	/* object waiting behind a header row */
	long		 pending_line;
	/*
	 * The keys of the last line read by fast_line(), in its order,
	 * and their columns: most lines repeat them, and a key that does
	 * is not hashed again.
	 */
	struct buf	 lastkeys;
	size_t		 lastoff[FAST_KEYS_MAX], lastlen[FAST_KEYS_MAX];
	size_t		 lastcol[FAST_KEYS_MAX];
	size_t		 nlast;
};

static const struct reader_ops jsonl_ops;

/* Next physical line into j->line; 1, 0 at end, -1 on error. */
static int
read_line(struct jsonl_rd *j)
{
	struct pos pos;
	const char *nl;
	ssize_t n;
	size_t len;

	buf_reset(&j->line);
	for (;;) {
		if (j->cpos >= j->clen) {
			if (j->eof)
				return j->line.len > 0;
			n = textin_read(j->in, j->chunk, CHUNK);
			if (n < 0)
				return -1;
			if (n == 0) {
				j->eof = 1;
				return j->line.len > 0;
			}
			j->clen = (size_t)n;
			j->cpos = 0;
			j->base.nbytes += n;
		}
		len = j->clen - j->cpos;
		nl = memchr(j->chunk + j->cpos, '\n', len);
		if (nl != NULL)
			len = (size_t)(nl - (j->chunk + j->cpos));
		if (j->line.len + len > (size_t)LINE_MAX_BYTES) {
			memset(&pos, 0, sizeof(pos));
			pos.file = j->base.name;
			pos.line = j->lineno + 1;
			diag_error(SX_DATA, &pos, "line longer than %ld MiB",
			    LINE_MAX_BYTES >> 20);
			return -1;
		}
		buf_add(&j->line, j->chunk + j->cpos, len);
		j->cpos += len;
		if (nl != NULL) {
			j->cpos++;
			return 1;
		}
	}
}

/*
 * The column of key, added when new.  A hash map, since a hostile line
 * may bring thousands of keys; past KEYS_MAX they all share the last
 * column, and too_many_keys() refuses the line before it is used.
 */
static size_t
key_index(struct jsonl_rd *j, const char *key, int *added)
{
	intptr_t i;

	if (hmap_get(j->keyidx, key, strlen(key), &i))
		return (size_t)i;
	if (j->nkeys >= KEYS_MAX)
		return KEYS_MAX - 1;
	j->keys = xgrow(j->keys, &j->capkeys, j->nkeys + 1, sizeof(char *));
	j->keys[j->nkeys] = xstrdup(key);
	hmap_put(j->keyidx, key, strlen(key), (intptr_t)j->nkeys);
	*added = 1;
	return j->nkeys++;
}

/* 1 after reporting when obj would take the file past KEYS_MAX columns. */
static int
too_many_keys(struct jsonl_rd *j, json_t *obj, const struct pos *pos)
{
	const char *key;
	json_t *v;
	size_t fresh = 0;
	intptr_t i;

	if (json_object_size(obj) > KEYS_MAX)
		fresh = json_object_size(obj);
	else
		json_object_foreach(obj, key, v)
			fresh += !hmap_get(j->keyidx, key, strlen(key), &i);
	if (j->nkeys + fresh <= KEYS_MAX)
		return 0;
	diag_error(SX_DATA, pos, "more than %d distinct keys (hostile "
	    "file?)", KEYS_MAX);
	return 1;
}

static void
put_value(struct row *r, size_t col, json_t *v)
{
	char num[NUM_TEXT_MAX];
	struct cell *c;
	char *dump;

	switch (json_typeof(v)) {
	case JSON_STRING:
		row_set(r, col, CELL_TEXT, json_string_value(v),
		    json_string_length(v));
		break;
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		c = row_set(r, col, CELL_NUMBER, num, strlen(num));
		c->num = (double)json_integer_value(v);
		break;
	case JSON_REAL:
		num_shortest(num, json_real_value(v));
		c = row_set(r, col, CELL_NUMBER, num, strlen(num));
		c->num = json_real_value(v);
		/*
		 * A float of 16 or more digits (1.10101199001011e+17) does
		 * not hold an identifier exactly; JSON integers do.
		 */
		if (fabs(c->num) >= 1e15)
			c->flags |= CF_TRUNC;
		break;
	case JSON_TRUE:
		row_set(r, col, CELL_BOOL, "TRUE", 4);
		break;
	case JSON_FALSE:
		row_set(r, col, CELL_BOOL, "FALSE", 5);
		break;
	case JSON_NULL:
		row_set(r, col, CELL_EMPTY, "", 0);
		break;
	default:
		dump = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		row_set(r, col, CELL_TEXT, dump != NULL ? dump : "",
		    dump != NULL ? strlen(dump) : 0);
		free(dump);
		break;
	}
}

/* A value of a flat line, as fast_line() found it. */
struct span {
	const char	*key, *val;
	size_t		 klen, vlen;
	size_t		 col;
	int		 type;		/* a json_type */
	json_int_t	 num;
};

#define FAST_KEYS FAST_KEYS_MAX

static const char *
skip_ws(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* The bytes that end a plain string: the quote, an escape, a control. */
static const unsigned char string_end[256] = {
	[0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1,
	[0x05] = 1, [0x06] = 1, [0x07] = 1, [0x08] = 1, [0x09] = 1,
	[0x0a] = 1, [0x0b] = 1, [0x0c] = 1, [0x0d] = 1, [0x0e] = 1,
	[0x0f] = 1, [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1,
	[0x14] = 1, [0x15] = 1, [0x16] = 1, [0x17] = 1, [0x18] = 1,
	[0x19] = 1, [0x1a] = 1, [0x1b] = 1, [0x1c] = 1, [0x1d] = 1,
	[0x1e] = 1, [0x1f] = 1, ['"'] = 1, ['\\'] = 1,
};

/*
 * A string of plain characters at p (after its '"'); NULL if not.  The
 * line is valid UTF-8, as textin_read() hands out nothing else, and a
 * string cut at its quotes is too.
 */
static const char *
plain_string(const char *p, const char *e, size_t *len)
{
	const char *q;

	for (q = p; q < e && !string_end[(unsigned char)*q]; q++)
		;
	if (q == e || *q != '"')
		return NULL;
	*len = (size_t)(q - p);
	return q + 1;
}

static int
ends_token(const char *p, const char *e)
{
	return p == e || *p == ',' || *p == '}' || *p == ' ' || *p == '\t' ||
	    *p == '\n' || *p == '\r';
}

/*
 * The common line read without jansson: one flat object whose keys are
 * all known columns, each once, with values that are strings free of
 * escapes and control characters, integers of at most 18 digits, true,
 * false or null.  jansson would read exactly the same values from it.
 * Returns 1 with r filled, or 0, leaving r alone, for any other line
 * (a new key, a real number, an escape, an error): jansson reads that.
 */
static int
fast_line(struct jsonl_rd *j, struct row *r)
{
	struct span sp[FAST_KEYS];
	const char *p, *e, *q;
	char num[NUM_TEXT_MAX];
	struct cell *c;
	intptr_t col;
	size_t n, i, k, nd;
	int neg, same;

	same = 1;
	p = j->line.s;
	e = p + j->line.len;
	p = skip_ws(p, e);
	if (p == e || *p++ != '{')
		return 0;
	for (n = 0;; n++) {
		if (n == FAST_KEYS)
			return 0;
		p = skip_ws(p, e);
		if (p == e || *p++ != '"')
			return 0;
		sp[n].key = p;
		if ((p = plain_string(p, e, &sp[n].klen)) == NULL)
			return 0;
		if (n < j->nlast && sp[n].klen == j->lastlen[n] &&
		    memcmp(sp[n].key, j->lastkeys.s + j->lastoff[n],
		    sp[n].klen) == 0)
			col = (intptr_t)j->lastcol[n];
		else if (!hmap_get(j->keyidx, sp[n].key, sp[n].klen, &col))
			return 0;
		else
			same = 0;
		sp[n].col = (size_t)col;
		for (i = 0; i < n; i++)
			if (sp[i].col == sp[n].col)
				return 0;
		p = skip_ws(p, e);
		if (p == e || *p++ != ':')
			return 0;
		p = skip_ws(p, e);
		if (p == e)
			return 0;
		if (*p == '"') {
			sp[n].type = JSON_STRING;
			sp[n].val = p + 1;
			if ((p = plain_string(p + 1, e, &sp[n].vlen)) == NULL)
				return 0;
		} else if (*p == '-' || (*p >= '0' && *p <= '9')) {
			neg = *p == '-';
			q = p + neg;
			for (nd = 0; q + nd < e && q[nd] >= '0' && q[nd] <= '9';)
				nd++;
			/* No leading zeros, and 18 digits fit an int64. */
			if (nd == 0 || nd > 18 || (q[0] == '0' && nd > 1) ||
			    !ends_token(q + nd, e))
				return 0;
			sp[n].num = 0;
			for (k = 0; k < nd; k++)
				sp[n].num = sp[n].num * 10 + (q[k] - '0');
			if (neg)
				sp[n].num = -sp[n].num;
			sp[n].type = JSON_INTEGER;
			p = q + nd;
		} else if (e - p >= 4 && memcmp(p, "null", 4) == 0 &&
		    ends_token(p + 4, e)) {
			sp[n].type = JSON_NULL;
			p += 4;
		} else if (e - p >= 4 && memcmp(p, "true", 4) == 0 &&
		    ends_token(p + 4, e)) {
			sp[n].type = JSON_TRUE;
			p += 4;
		} else if (e - p >= 5 && memcmp(p, "false", 5) == 0 &&
		    ends_token(p + 5, e)) {
			sp[n].type = JSON_FALSE;
			p += 5;
		} else
			return 0;
		p = skip_ws(p, e);
		if (p == e)
			return 0;
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p++ != '}')
			return 0;
		n++;
		break;
	}
	if (skip_ws(p, e) != e)
		return 0;
	if (!same || n != j->nlast) {
		buf_reset(&j->lastkeys);
		for (i = 0; i < n; i++) {
			j->lastoff[i] = j->lastkeys.len;
			j->lastlen[i] = sp[i].klen;
			j->lastcol[i] = sp[i].col;
			buf_add(&j->lastkeys, sp[i].key, sp[i].klen);
		}
		j->nlast = n;
	}

	r->line = j->lineno;
	for (i = 0; i < n; i++)
		switch (sp[i].type) {
		case JSON_STRING:
			row_set(r, sp[i].col, CELL_TEXT, sp[i].val, sp[i].vlen);
			break;
		case JSON_INTEGER:
			snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
			    sp[i].num);
			c = row_set(r, sp[i].col, CELL_NUMBER, num, strlen(num));
			c->num = (double)sp[i].num;
			break;
		case JSON_TRUE:
			row_set(r, sp[i].col, CELL_BOOL, "TRUE", 4);
			break;
		case JSON_FALSE:
			row_set(r, sp[i].col, CELL_BOOL, "FALSE", 5);
			break;
		default:
			row_set(r, sp[i].col, CELL_EMPTY, "", 0);
			break;
		}
	r->nfields = (int)r->ncells;
	return 1;
}

static int
jsonl_next(struct reader *rd, struct row *r)
{
	struct jsonl_rd *j = (struct jsonl_rd *)rd;
	json_error_t err;
	struct pos pos;
	const char *key;
	json_t *obj, *v;
	size_t i, col;
	int rc, added;

	if ((obj = j->pending) != NULL) {
		j->pending = NULL;
		r->line = j->pending_line;
		json_object_foreach(obj, key, v) {
			added = 0;
			col = key_index(j, key, &added);
			put_value(r, col, v);
		}
		r->nfields = (int)r->ncells;
		json_decref(obj);
		return 1;
	}
	for (;;) {
		if ((rc = read_line(j)) <= 0)
			return rc;
		j->lineno++;
		/* Blank lines and a stray CR are not records. */
		while (j->line.len > 0 && (j->line.s[j->line.len - 1] == '\r' ||
		    j->line.s[j->line.len - 1] == ' '))
			buf_truncate(&j->line, j->line.len - 1);
		if (j->line.len > 0)
			break;
	}
	/* After the header row, most lines need no jansson. */
	if (j->base.nrows > 0 && fast_line(j, r))
		return 1;
	memset(&pos, 0, sizeof(pos));
	pos.file = j->base.name;
	pos.line = j->lineno;
	obj = json_loadb(j->line.s, j->line.len, 0,
	    &err);
	if (obj == NULL) {
		pos.col = err.column > 0 ? err.column : 0;
		/* jansson's own words for these name its API, not the data. */
		if (json_error_code(&err) == json_error_stack_overflow)
			diag_error(SX_DATA, &pos, "nested deeper than %d "
			    "levels (hostile file?)", JSON_PARSER_MAX_DEPTH);
		else if (json_error_code(&err) == json_error_null_character)
			diag_error(SX_DATA, &pos, "NUL character (\\u0000) "
			    "in a string");
		else
			diag_error(SX_DATA, &pos, "%s", err.text);
		return -1;
	}
	if (!json_is_object(obj)) {
		diag_error(SX_DATA, &pos, "expected a JSON object, found %s",
		    json_is_array(obj) ? "an array" : "a scalar");
		json_decref(obj);
		return -1;
	}
	if (too_many_keys(j, obj, &pos)) {
		json_decref(obj);
		return -1;
	}
	/* New keys: emit the header row first, the record next time. */
	added = 0;
	json_object_foreach(obj, key, v)
		key_index(j, key, &added);
	if (added || j->base.nrows == 0) {
		r->header = 1;
		r->line = j->lineno;
		for (i = 0; i < j->nkeys; i++)
			row_set(r, i, CELL_TEXT, j->keys[i], strlen(j->keys[i]));
		r->nfields = (int)r->ncells;
		j->pending = obj;
		j->pending_line = j->lineno;
		return 1;
	}
	r->line = j->lineno;
	json_object_foreach(obj, key, v) {
		col = key_index(j, key, &added);
		put_value(r, col, v);
	}
	r->nfields = (int)r->ncells;
	json_decref(obj);
	return 1;
}

static void
jsonl_close(struct reader *rd)
{
	struct jsonl_rd *j = (struct jsonl_rd *)rd;
	size_t i;

	for (i = 0; i < j->nkeys; i++)
		free(j->keys[i]);
	free(j->keys);
	hmap_free(j->keyidx);
	json_decref(j->pending);
	buf_free(&j->line);
	buf_free(&j->lastkeys);
	free(j->chunk);
	textin_close(j->in);
	free(j);
}

struct reader *
jsonl_open(const char *path, const char *name, const struct reader_opts *o)
{
	struct jsonl_rd *j;

	j = xcalloc(1, sizeof(*j));
	j->base.ops = &jsonl_ops;
	j->base.name = name;
	/* JSON is UTF-8 by definition; a BOM is tolerated. */
	if ((j->in = textin_open(path, name, o->encoding != NULL ?
	    o->encoding : "UTF-8")) == NULL) {
		free(j);
		return NULL;
	}
	snprintf(j->base.encoding, sizeof(j->base.encoding), "%s",
	    textin_encoding(j->in));
	j->chunk = xmalloc(CHUNK);
	j->keyidx = hmap_new();
	return &j->base;
}

static const struct reader_ops jsonl_ops = {
	jsonl_next,
	jsonl_close,
};
