/*
 * Documents and their plain writers: text, Markdown, CSV, JSON lines;
 * HTML and PDF are in docw_html.c and docw_pdf.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "chartdraw.h"
#include "diag.h"
#include "doc.h"
#include "docw.h"
#include "xalloc.h"

struct doc *
doc_new(const char *title)
{
	struct doc *d;

	d = xcalloc(1, sizeof(*d));
	d->title = xstrdup(title != NULL ? title : "");
	return d;
}

void
doc_free(struct doc *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->nblocks; i++) {
		free(d->blocks[i].text);
		table_free(d->blocks[i].table);
		chart_free(d->blocks[i].chart);
	}
	free(d->blocks);
	free(d->title);
	free(d);
}

static struct block *
add(struct doc *d, enum block_kind kind, int flags)
{
	struct block *b;

	d->blocks = xgrow(d->blocks, &d->capblocks, d->nblocks + 1,
	    sizeof(*d->blocks));
	b = &d->blocks[d->nblocks++];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	b->flags = flags;
	return b;
}

void
doc_heading(struct doc *d, const char *s)
{
	add(d, BLK_HEADING, DOC_HUMAN)->text = xstrdup(s);
}

void
doc_para(struct doc *d, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	add(d, BLK_PARA, DOC_HUMAN)->text = s;
}

void
doc_table(struct doc *d, struct table *t, int flags)
{
	add(d, BLK_TABLE, flags)->table = t;
}

void
doc_chart(struct doc *d, struct chart *c)
{
	add(d, BLK_CHART, DOC_HUMAN)->chart = c;
}

/*
 * pre, s and end, the control characters of s shown as \xNN like those
 * of table cells: a region's name from the store, in a paragraph, must
 * not reach the terminal raw either.
 */
static void
put_safe(FILE *fp, const char *pre, const char *s, const char *end)
{
	struct buf b = {0};

	table_safe_text(&b, s);
	fputs(pre, fp);
	fputs(buf_str(&b), fp);
	fputs(end, fp);
	buf_free(&b);
}

/* Text and Markdown: title, then the human blocks; charts are left out. */
static void
write_prose(FILE *fp, const struct doc *d, enum outfmt f)
{
	const struct block *b;
	size_t i;
	int first = 1;

	if (*d->title)
		put_safe(fp, f == OUT_MD ? "## " : "", d->title, "\n\n");
	for (i = 0; i < d->nblocks; i++) {
		b = &d->blocks[i];
		if (!(b->flags & DOC_HUMAN) || b->kind == BLK_CHART)
			continue;
		if (!first && f == OUT_TEXT)
			fputc('\n', fp);
		first = 0;
		switch (b->kind) {
		case BLK_HEADING:
			put_safe(fp, f == OUT_MD ? "### " : "", b->text,
			    f == OUT_MD ? "\n\n" : "\n");
			break;
		case BLK_PARA:
			put_safe(fp, "", b->text, f == OUT_MD ? "\n\n" : "\n");
			break;
		case BLK_TABLE:
			table_write(fp, b->table, f, 1);
			break;
		case BLK_CHART:
			break;
		}
	}
}

static void
write_machine(FILE *fp, const struct doc *d, enum outfmt f)
{
	const struct block *b;
	size_t i;
	int n = 0;

	for (i = 0; i < d->nblocks; i++) {
		b = &d->blocks[i];
		if (b->kind != BLK_TABLE || !(b->flags & DOC_MACHINE))
			continue;
		if (n++ > 0 && f == OUT_CSV)
			fputc('\n', fp);
		table_write(fp, b->table, f, 1);
	}
}

int
doc_write(FILE *fp, const struct doc *d, enum outfmt f)
{
	int rc;

	switch (f) {
	case OUT_CSV:
	case OUT_JSONL:
		write_machine(fp, d, f);
		return 0;
	case OUT_TEXT:
	case OUT_MD:
		write_prose(fp, d, f);
		return 0;
	case OUT_HTML:
		rc = docw_html(fp, d);
		draw_release();
		return rc;
	case OUT_PDF:
		rc = docw_pdf(fp, d);
		draw_release();
		return rc;
	default:
		diag_error(SX_USAGE, NULL, "this report has no such format");
		return -1;
	}
}
