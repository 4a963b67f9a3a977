/*
 * Printing rows as read.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "catout.h"
#include "csvout.h"
#include "reader.h"
#include "row.h"

/* Append n in decimal, without the two vsnprintf() of buf_addf(). */
static void
add_long(struct buf *b, long n)
{
	char s[24], *p;
	unsigned long u;

	p = s + sizeof(s);
	u = n < 0 ? -(unsigned long)n : (unsigned long)n;
	do {
		*--p = (char)('0' + u % 10);
	} while ((u /= 10) != 0);
	if (n < 0)
		*--p = '-';
	buf_add(b, p, (size_t)(s + sizeof(s) - p));
}

static void
json_row(struct buf *b, const struct row *r)
{
	size_t i, n;

	buf_adds(b, "{\"file\":");
	buf_add_json(b, r->file, strlen(r->file));
	if (r->sheet != NULL) {
		buf_adds(b, ",\"sheet\":");
		buf_add_json(b, r->sheet, strlen(r->sheet));
	}
	buf_adds(b, ",\"row\":");
	add_long(b, r->line);
	if (r->header)
		buf_adds(b, ",\"header\":true");
	buf_adds(b, ",\"cells\":[");
	/*
	 * A text record has as many fields as it says, empty ones too.  A
	 * sheet's row has no width of its own (styled empty cells, covered
	 * merge cells): drop its trailing nulls.
	 */
	n = r->ncells;
	while (r->sheet != NULL && n > 0 &&
	    (r->cells[n - 1].type == CELL_EMPTY ||
	    (r->cells[n - 1].flags & CF_MERGED)))
		n--;
	for (i = 0; i < n; i++) {
		const struct cell *c = &r->cells[i];
		const char *t = cell_text(r, c);

		if (i)
			buf_addc(b, ',');
		if (c->type == CELL_EMPTY || (c->flags & CF_MERGED))
			buf_adds(b, "null");
		else if (c->type == CELL_NUMBER && !(c->flags & CF_LOSSY))
			buf_add(b, t, c->len);
		else if (c->type == CELL_BOOL)
			buf_adds(b, strcmp(t, "TRUE") == 0 ? "true" : "false");
		else if (c->type == CELL_ERROR) {
			buf_adds(b, "{\"error\":");
			buf_add_json(b, t, c->len);
			buf_addc(b, '}');
		} else
			buf_add_json(b, t, c->len);
	}
	buf_adds(b, "]}\n");
}

static void
csv_row(struct buf *b, const struct row *r)
{
	size_t i;

	for (i = 0; i < r->ncells; i++) {
		if (i)
			buf_addc(b, ',');
		if (!(r->cells[i].flags & CF_MERGED))
			csv_field(b, row_text(r, i), r->cells[i].len, 0);
	}
	buf_addc(b, '\n');
}

int
cat_rows(struct reader *rd, FILE *fp, int csv)
{
	struct buf b = {0};
	struct row r;
	int rc;

	row_init(&r);
	while ((rc = reader_next(rd, &r)) == 1) {
		buf_reset(&b);
		if (csv)
			csv_row(&b, &r);
		else
			json_row(&b, &r);
		fwrite(b.s, 1, b.len, fp);
	}
	row_free(&r);
	buf_free(&b);
	return rc < 0 ? -1 : 0;
}
