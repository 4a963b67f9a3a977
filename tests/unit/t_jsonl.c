/*
 * The JSON-lines reader's flat-line path against jansson: random lines
 * read as they are, and again with one key spelled with an escape (which
 * only jansson reads), must give the same rows; invalid lines must still
 * be refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "reader.h"
#include "row.h"
#include "tap.h"

static char dir[64];
static unsigned long rnd = 88172645UL;

static unsigned long
next_rand(void)
{
	rnd ^= rnd << 13;
	rnd ^= rnd >> 7;
	rnd ^= rnd << 17;
	return rnd & 0xffffffffUL;
}

static const char *const values[] = {
	"\"plain\"", "\"\xe4\xb8\xad\xe6\x96\x87 text\"", "\"\"", "\" \"",
	"\"a\\\"b\"", "\"\\u4e2d\"", "\"tab\\t\"", "\"\xef\xbc\x91\"", "0",
	"-0", "12", "7", "-123456789012345678", "123456789012345678",
	"1234567890123456789", "9223372036854775807", "1.5", "-0.0",
	"1e3", "2E-2", "true", "false", "null", "[1,2]", "{\"a\":1}",
	"\"13900000082\"", "13900000082",
};
static const char *const spaces[] = {"", " ", "\t", "  "};

#define NVAL (sizeof(values) / sizeof(values[0]))
#define SP() spaces[next_rand() % 4]

/*
 * One line of keys k0..k5 (sometimes another) in any order; escaped: the
 * first key's 'k' written as \u006b.
 */
static void
line(struct buf *b, int first, int escaped)
{
	int used[8] = {0}, i, n, k;

	buf_addf(b, "%s{", SP());
	n = first ? 6 : 1 + (int)(next_rand() % 6);
	for (i = 0; i < n; i++) {
		if (first)
			k = i;
		else if (next_rand() % 50 == 0)
			k = 6 + (int)(next_rand() % 2);	/* a new key */
		else
			do
				k = (int)(next_rand() % 6);
			while (used[k]);
		used[k] = 1;
		buf_addf(b, "%s%s\"%s%d\"%s:%s%s%s", i ? "," : "", SP(),
		    escaped && i == 0 ? "\\u006b" : "k", k, SP(), SP(),
		    first ? "\"v\"" : values[next_rand() % NVAL], SP());
	}
	buf_addf(b, "}%s\n", SP());
}

struct rows {
	struct row	*v;
	int		 n, cap, failed;
};

static void
load(const char *path, struct rows *t)
{
	struct reader_opts o;
	struct reader *r;
	int rc = 0;

	memset(&o, 0, sizeof(o));
	memset(t, 0, sizeof(*t));
	if ((r = reader_open(path, FMT_JSONL, &o)) == NULL) {
		t->failed = 1;
		return;
	}
	for (;;) {
		if (t->n == t->cap) {
			t->cap = t->cap ? t->cap * 2 : 256;
			t->v = realloc(t->v, (size_t)t->cap * sizeof(*t->v));
			if (t->v == NULL)
				exit(1);
		}
		row_init(&t->v[t->n]);
		if ((rc = reader_next(r, &t->v[t->n])) != 1)
			break;
		t->n++;
	}
	row_free(&t->v[t->n]);
	t->failed = rc < 0;
	reader_close(r);
}

static void
rows_free(struct rows *t)
{
	int i;

	for (i = 0; i < t->n; i++)
		row_free(&t->v[i]);
	free(t->v);
}

/* 0 when rows a and b are the same, else 1 (and says where). */
static int
differ(const struct row *a, const struct row *b)
{
	const struct cell *x, *y;
	size_t i;

	if (a->header != b->header || a->line != b->line ||
	    a->ncells != b->ncells || a->nfields != b->nfields) {
		printf("# line %ld: header %d/%d, %zu/%zu cells\n", a->line,
		    a->header, b->header, a->ncells, b->ncells);
		return 1;
	}
	for (i = 0; i < a->ncells; i++) {
		x = &a->cells[i];
		y = &b->cells[i];
		if (x->type != y->type || x->flags != y->flags ||
		    x->num != y->num || strcmp(cell_text(a, x),
		    cell_text(b, y)) != 0) {
			printf("# line %ld col %zu: '%s' (%d) vs '%s' (%d)\n",
			    a->line, i, cell_text(a, x), (int)x->type,
			    cell_text(b, y), (int)y->type);
			return 1;
		}
	}
	return 0;
}

static void
test_same_rows(void)
{
	struct buf plain = {0}, esc = {0};
	struct rows a, b;
	char pa[96], pb[96];
	unsigned long seed;
	FILE *fp;
	long bad;
	int i;

	snprintf(pa, sizeof(pa), "%s/plain.jsonl", dir);
	snprintf(pb, sizeof(pb), "%s/escaped.jsonl", dir);
	for (i = 0; i < 4000; i++) {
		seed = rnd;
		line(&plain, i == 0, 0);
		rnd = seed;	/* the same line again, one key escaped */
		line(&esc, i == 0, 1);
	}
	if ((fp = fopen(pa, "w")) != NULL) {
		fputs(buf_str(&plain), fp);
		fclose(fp);
	}
	if ((fp = fopen(pb, "w")) != NULL) {
		fputs(buf_str(&esc), fp);
		fclose(fp);
	}
	load(pa, &a);
	load(pb, &b);
	ok(!a.failed && !b.failed, "random lines read");
	is_int(a.n, b.n, "as many rows either way");
	bad = 0;
	for (i = 0; i < a.n && i < b.n; i++)
		if (differ(&a.v[i], &b.v[i]) && bad++ > 5)
			break;
	is_int(bad, 0, "flat lines read as jansson reads them");
	ok(a.n > 4000, "new keys brought header rows");
	rows_free(&a);
	rows_free(&b);
	buf_free(&plain);
	buf_free(&esc);
	unlink(pa);
	unlink(pb);
}

/* Lines that look flat but are not JSON: still refused. */
static void
test_refused(void)
{
	static const char *const bad[] = {
		"{\"k0\":01}", "{\"k0\":\"a\"} x", "{\"k0\":truex}",
		"{\"k0\":\"\x01\"}", "{\"k0\":\"\xff\"}", "{\"k0\" \"a\"}",
		"{\"k0\":\"a\",}", "{\"k0\":-}", "{\"k0\":\"a\"", "{\"k0\":nul}",
		"{\"k0\":\"\xed\xa0\x80\"}", "{\"k0\":1,\"k0\":\"a\" x}",
		"{'k0':1}", "{\"k0\":+1}",
	};
	char path[96], name[160];
	struct rows t;
	size_t i;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/bad.jsonl", dir);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if ((fp = fopen(path, "w")) == NULL)
			return;
		fprintf(fp, "{\"k0\":\"first\"}\n{\"k0\":\"second\"}\n%s\n",
		    bad[i]);
		fclose(fp);
		load(path, &t);
		snprintf(name, sizeof(name), "refused: %s", bad[i]);
		/* Invalid UTF-8 is refused on reading, before any row. */
		ok(t.failed && t.n <= 3, name);
		rows_free(&t);
	}
	unlink(path);
}

int
main(void)
{
	FILE *msgs;

	if ((msgs = tmpfile()) == NULL)
		return 1;
	diag_init("t_jsonl", msgs);
	snprintf(dir, sizeof(dir), "%s/t_jsonl.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL)
		return 1;
	test_same_rows();
	test_refused();
	rmdir(dir);
	fclose(msgs);
	diag_init("t_jsonl", stderr);
	return tap_done();
}
