/*
 * Table writers.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "csvout.h"
#include "table.h"
#include "text.h"
#include "xalloc.h"

enum outfmt
outfmt_parse(const char *s)
{
	if (strcasecmp(s, "text") == 0 || strcasecmp(s, "txt") == 0)
		return OUT_TEXT;
	if (strcasecmp(s, "md") == 0 || strcasecmp(s, "markdown") == 0)
		return OUT_MD;
	if (strcasecmp(s, "csv") == 0)
		return OUT_CSV;
	if (strcasecmp(s, "jsonl") == 0 || strcasecmp(s, "json") == 0)
		return OUT_JSONL;
	if (strcasecmp(s, "html") == 0 || strcasecmp(s, "htm") == 0)
		return OUT_HTML;
	if (strcasecmp(s, "pdf") == 0)
		return OUT_PDF;
	return OUT_NONE;
}

struct table *
table_new(const char *title)
{
	struct table *t;

	t = xcalloc(1, sizeof(*t));
	t->title = xstrdup(title != NULL ? title : "");
	t->total_from = -1;
	return t;
}

void
table_free(struct table *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i].s);
	for (i = 0; i < t->ncols; i++) {
		free(t->cols[i].key);
		free(t->cols[i].label);
	}
	free(t->cells);
	free(t->cols);
	free(t->title);
	free(t);
}

void
table_col(struct table *t, const char *key, const char *label, int right)
{
	t->cols = xrealloc(t->cols, (t->ncols + 1) * sizeof(*t->cols));
	t->cols[t->ncols].key = xstrdup(key);
	t->cols[t->ncols].label = xstrdup(label);
	t->cols[t->ncols].right = right;
	t->cols[t->ncols].money = 0;
	t->ncols++;
}

void
table_money_col(struct table *t, const char *key, const char *label)
{
	table_col(t, key, label, 1);
	t->cols[t->ncols - 1].money = 1;
}

size_t
table_row(struct table *t)
{
	size_t old;

	old = t->caprows;
	t->cells = xgrow(t->cells, &t->caprows, t->nrows + 1,
	    t->ncols * sizeof(*t->cells));
	if (t->caprows > old)
		memset(t->cells + old * t->ncols, 0,
		    (t->caprows - old) * t->ncols * sizeof(*t->cells));
	return t->nrows++;
}

static struct tcell *
cell(struct table *t, size_t r, size_t c)
{
	struct tcell *x = &t->cells[r * t->ncols + c];

	free(x->s);
	x->s = NULL;
	return x;
}

void
table_text(struct table *t, size_t r, size_t c, const char *s)
{
	struct tcell *x = cell(t, r, c);

	x->type = s != NULL ? TC_TEXT : TC_NULL;
	x->s = s != NULL ? xstrdup(s) : NULL;
}

void
table_int(struct table *t, size_t r, size_t c, int64_t v)
{
	struct tcell *x = cell(t, r, c);

	x->type = TC_INT;
	x->i = v;
}

void
table_money(struct table *t, size_t r, size_t c, int64_t v)
{
	struct tcell *x = cell(t, r, c);

	x->type = TC_MONEY;
	x->i = v;
}

void
table_totals(struct table *t)
{
	t->total_from = (int)t->nrows;
}

void
money_format(char *out, size_t sz, int64_t fen, int separators)
{
	char digits[32], *p;
	uint64_t a, yuan;
	size_t n, i, o;

	a = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
	yuan = a / 100;
	snprintf(digits, sizeof(digits), "%" PRIu64, yuan);
	n = strlen(digits);
	p = out;
	o = 0;
	if (fen < 0 && o + 1 < sz)
		p[o++] = '-';
	for (i = 0; i < n && o + 2 < sz; i++) {
		if (separators && i > 0 && (n - i) % 3 == 0)
			p[o++] = ',';
		p[o++] = digits[i];
	}
	snprintf(p + o, sz - o, ".%02u", (unsigned)(a % 100));
}

/*
 * The cell as text for people (fmt text/md) or machines (csv).  Text
 * is the cell's own string, never cut to fit out: a long name must not
 * lose its end, nor half a character.
 */
static const char *
cell_string(char *out, size_t sz, const struct tcell *x, int people)
{
	switch (x->type) {
	case TC_NULL:
		snprintf(out, sz, "%s", people ? "-" : "");
		break;
	case TC_TEXT:
		return x->s;
	case TC_INT:
		snprintf(out, sz, "%" PRId64, x->i);
		break;
	case TC_MONEY:
		money_format(out, sz, x->i, people);
		break;
	}
	return out;
}

const char *
table_cell_str(char *out, size_t sz, const struct tcell *x, int people)
{
	return cell_string(out, sz, x, people);
}

static void
pad(struct buf *b, int n)
{
	while (n-- > 0)
		buf_addc(b, ' ');
}

/*
 * A C1 control character (U+0080 to U+009F, UTF-8 C2 80 to C2 9F): the
 * terminal may take U+009B as ESC [ and U+009D as ESC ].
 */
static int
is_c1(const char *s)
{
	return (unsigned char)s[0] == 0xc2 && (unsigned char)s[1] >= 0x80 &&
	    (unsigned char)s[1] <= 0x9f;
}

/* Terminal-safe text: control characters shown as \x1b, never sent. */
void
table_safe_text(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			buf_addf(b, "\\x%02x", (unsigned char)*s);
		else if (is_c1(s))
			buf_addf(b, "\\u%04x", (unsigned char)*++s);
		else
			buf_addc(b, *s);
	}
}

static void
write_text(FILE *fp, const struct table *t)
{
	struct buf b = {0}, s = {0};
	char tmp[512];
	int *w, cw;
	size_t r, c;

	w = xcalloc(t->ncols, sizeof(int));
	for (c = 0; c < t->ncols; c++)
		w[c] = text_width(t->cols[c].label);
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			buf_reset(&s);
			table_safe_text(&s, cell_string(tmp, sizeof(tmp),
			    &t->cells[r * t->ncols + c], 1));
			if ((cw = text_width(buf_str(&s))) > w[c])
				w[c] = cw;
		}
	if (*t->title) {
		table_safe_text(&b, t->title);
		buf_addc(&b, '\n');
	}
	for (r = 0; r <= t->nrows; r++) {
		if (r > 0 && (int)r - 1 == t->total_from) {
			/* A rule above the totals. */
			for (c = 0; c < t->ncols; c++) {
				for (cw = 0; cw < w[c]; cw++)
					buf_addc(&b, '-');
				if (c + 1 < t->ncols)
					buf_adds(&b, "  ");
			}
			buf_addc(&b, '\n');
		}
		for (c = 0; c < t->ncols; c++) {
			const char *v;

			if (r == 0)
				v = t->cols[c].label;
			else {
				v = cell_string(tmp, sizeof(tmp),
				    &t->cells[(r - 1) * t->ncols + c], 1);
			}
			buf_reset(&s);
			table_safe_text(&s, v);
			cw = text_width(buf_str(&s));
			if (t->cols[c].right)
				pad(&b, w[c] - cw);
			buf_adds(&b, buf_str(&s));
			if (c + 1 < t->ncols) {
				if (!t->cols[c].right)
					pad(&b, w[c] - cw);
				buf_adds(&b, "  ");
			}
		}
		buf_addc(&b, '\n');
	}
	fputs(buf_str(&b), fp);
	free(w);
	buf_free(&b);
	buf_free(&s);
}

/*
 * A Markdown cell: what a renderer would read as markup (an inline HTML
 * tag such as <script>, an entity, bold, code, a link) is escaped
 * with a backslash, so the cell shows the data as it is.
 */
static void
md_cell(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (strchr("|\\`*<>[]&", *s) != NULL) {
			buf_addc(b, '\\');
			buf_addc(b, *s);
		} else if (*s == '\n' || *s == '\r')
			buf_addc(b, ' ');
		else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			continue;
		else if (is_c1(s))
			s++;
		else
			buf_addc(b, *s);
	}
}

static void
write_md(FILE *fp, const struct table *t)
{
	struct buf b = {0};
	char tmp[64];
	const char *v;
	size_t r, c;

	if (*t->title) {
		buf_adds(&b, "### ");
		table_safe_text(&b, t->title);
		buf_adds(&b, "\n\n");
	}
	buf_addc(&b, '|');
	for (c = 0; c < t->ncols; c++) {
		buf_addc(&b, ' ');
		md_cell(&b, t->cols[c].label);
		buf_adds(&b, " |");
	}
	buf_adds(&b, "\n|");
	for (c = 0; c < t->ncols; c++)
		buf_adds(&b, t->cols[c].right ? " ---: |" : " --- |");
	buf_addc(&b, '\n');
	for (r = 0; r < t->nrows; r++) {
		buf_addc(&b, '|');
		for (c = 0; c < t->ncols; c++) {
			v = cell_string(tmp, sizeof(tmp),
			    &t->cells[r * t->ncols + c], 1);
			buf_addc(&b, ' ');
			if ((int)r >= t->total_from && t->total_from >= 0)
				buf_adds(&b, "**");
			md_cell(&b, v);
			if ((int)r >= t->total_from && t->total_from >= 0)
				buf_adds(&b, "**");
			buf_adds(&b, " |");
		}
		buf_addc(&b, '\n');
	}
	buf_addc(&b, '\n');
	fputs(buf_str(&b), fp);
	buf_free(&b);
}

static void
write_csv(FILE *fp, const struct table *t, int header)
{
	struct buf b = {0};
	char tmp[64];
	const char *v;
	size_t r, c;

	if (header) {
		for (c = 0; c < t->ncols; c++) {
			if (c)
				buf_addc(&b, ',');
			csv_field(&b, t->cols[c].key, strlen(t->cols[c].key),
			    1);
		}
		buf_addc(&b, '\n');
	}
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			if (c)
				buf_addc(&b, ',');
			v = cell_string(tmp, sizeof(tmp),
			    &t->cells[r * t->ncols + c], 0);
			csv_field(&b, v, strlen(v), 1);
		}
		buf_addc(&b, '\n');
	}
	fputs(buf_str(&b), fp);
	buf_free(&b);
}

static void
write_jsonl(FILE *fp, const struct table *t)
{
	struct buf b = {0};
	size_t r, c;

	for (r = 0; r < t->nrows; r++) {
		buf_reset(&b);
		buf_addc(&b, '{');
		for (c = 0; c < t->ncols; c++) {
			const struct tcell *x = &t->cells[r * t->ncols + c];

			if (c)
				buf_addc(&b, ',');
			buf_addc(&b, '"');
			buf_add(&b, t->cols[c].key, strlen(t->cols[c].key));
			if (t->cols[c].money)
				buf_adds(&b, "_fen");
			buf_adds(&b, "\":");
			switch (x->type) {
			case TC_NULL:
				buf_adds(&b, "null");
				break;
			case TC_TEXT:
				buf_add_json(&b, x->s, strlen(x->s));
				break;
			case TC_INT:
			case TC_MONEY:
				buf_addf(&b, "%" PRId64, x->i);
				break;
			}
		}
		buf_adds(&b, "}\n");
		fputs(b.s, fp);
	}
	buf_free(&b);
}

void
table_write(FILE *fp, const struct table *t, enum outfmt f, int header)
{
	switch (f) {
	case OUT_MD:
		write_md(fp, t);
		break;
	case OUT_CSV:
		write_csv(fp, t, header);
		break;
	case OUT_JSONL:
		write_jsonl(fp, t);
		break;
	default:
		write_text(fp, t);
		break;
	}
}
