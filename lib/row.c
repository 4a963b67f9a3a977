/*
 * Rows of typed text cells, with one arena per row for the texts.
 */
#include <stdlib.h>
#include <string.h>

#include "row.h"
#include "xalloc.h"

void
row_init(struct row *r)
{
	memset(r, 0, sizeof(*r));
}

void
row_clear(struct row *r)
{
	r->ncells = 0;
	r->nfields = 0;
	r->header = 0;
	r->line = 0;
	buf_reset(&r->arena);
}

void
row_free(struct row *r)
{
	free(r->cells);
	buf_free(&r->arena);
	memset(r, 0, sizeof(*r));
}

struct cell *
row_set(struct row *r, size_t col, enum cell_type type, const char *text,
    size_t len)
{
	struct cell *c;

	if (col >= r->cap)
		r->cells = xgrow(r->cells, &r->cap, col + 1,
		    sizeof(*r->cells));
	/* The cell after the last, as readers fill rows, is all set below. */
	if (col == r->ncells)
		r->ncells++;
	while (r->ncells <= col) {
		c = &r->cells[r->ncells++];
		memset(c, 0, sizeof(*c));
	}
	c = &r->cells[col];
	c->type = len == 0 && type == CELL_TEXT ? CELL_EMPTY : type;
	c->flags = 0;
	c->num = 0;
	c->off = r->arena.len;
	c->len = len;
	/* A reader sets every cell of every row: no call when it fits. */
	if (r->arena.cap - r->arena.len > len + 1 && text != NULL) {
		memcpy(r->arena.s + r->arena.len, text, len);
		r->arena.len += len;
		r->arena.s[r->arena.len++] = '\0';
		r->arena.s[r->arena.len] = '\0';
		return c;
	}
	buf_addz(&r->arena, text != NULL ? text : "", len);
	return c;
}

const char *
cell_text(const struct row *r, const struct cell *c)
{
	if (c == NULL || r->arena.s == NULL)
		return "";
	return r->arena.s + c->off;
}

const char *
row_text(const struct row *r, size_t i)
{
	if (i >= r->ncells)
		return "";
	return cell_text(r, &r->cells[i]);
}

int
row_is_blank(const struct row *r)
{
	size_t i;

	for (i = 0; i < r->ncells; i++)
		if (r->cells[i].type != CELL_EMPTY && r->cells[i].len > 0)
			return 0;
	return 1;
}

void
row_trim(struct row *r)
{
	while (r->ncells > 0 && r->cells[r->ncells - 1].type == CELL_EMPTY)
		r->ncells--;
}

void
row_copy(struct row *dst, const struct row *src)
{
	row_clear(dst);
	dst->file = src->file;
	dst->sheet = src->sheet;
	dst->line = src->line;
	dst->header = src->header;
	dst->nfields = src->nfields;
	dst->cells = xgrow(dst->cells, &dst->cap, src->ncells + 1,
	    sizeof(*dst->cells));
	if (src->ncells)
		memcpy(dst->cells, src->cells, src->ncells * sizeof(*src->cells));
	dst->ncells = src->ncells;
	buf_add(&dst->arena, src->arena.s != NULL ? src->arena.s : "",
	    src->arena.len);
}

const char *
cell_type_name(enum cell_type t)
{
	static const char *const names[] = {
		"empty", "text", "number", "bool", "date", "datetime",
		"time", "duration", "error",
	};

	return (size_t)t < sizeof(names) / sizeof(names[0]) ? names[t] : "?";
}
