/*
 * Tables of typed cells and their writers: aligned text (CJK double
 * width aware), Markdown, CSV (formula-injection safe) and JSON lines.
 * Reports build tables; the writers decide how they look.
 */
#ifndef TABLE_H
#define TABLE_H

#include <stdint.h>
#include <stdio.h>

enum outfmt {
	OUT_NONE = 0,
	OUT_TEXT,
	OUT_MD,
	OUT_CSV,
	OUT_JSONL,
	OUT_HTML,
	OUT_PDF
};

enum tcell_type {
	TC_NULL = 0,
	TC_TEXT,
	TC_INT,
	TC_MONEY	/* integer fen, shown as yuan */
};

struct tcell {
	enum tcell_type	 type;
	char		*s;
	int64_t		 i;
};

struct tcol {
	char		*key;	/* JSON key and CSV header */
	char		*label;	/* header for people */
	int		 right;	/* right-aligned */
	int		 money;	/* JSON key gets "_fen": values are fen */
};

struct table {
	char		*title;
	struct tcol	*cols;
	size_t		 ncols;
	struct tcell	*cells;	/* nrows * ncols */
	size_t		 nrows, caprows;
	int		 total_from;	/* rows from here are totals, or -1 */
};

enum outfmt	 outfmt_parse(const char *);
struct table	*table_new(const char *title);
void		 table_free(struct table *);
/* Add a column of text (left) or counts (right). */
void		 table_col(struct table *, const char *key, const char *label,
		    int right);
/* Add a money column: yuan for people, "key_fen" integers in JSON. */
void		 table_money_col(struct table *, const char *key,
		    const char *label);
/* Start a row; cells default to null. */
size_t		 table_row(struct table *);
void		 table_text(struct table *, size_t row, size_t col,
		    const char *);
void		 table_int(struct table *, size_t row, size_t col, int64_t);
void		 table_money(struct table *, size_t row, size_t col, int64_t);
/* Mark the rows from here on as totals (a rule above them in text). */
void		 table_totals(struct table *);
/*
 * Write a table.  extra is a JSON fragment ("\"level\":\"rep\"") put
 * first in every JSON line, or NULL.  CSV writes the header only when
 * header is set, so several tables can share one CSV.
 */
void		 table_write(FILE *, const struct table *, enum outfmt,
		    int header);
/*
 * A cell as people read it ("-" for null, money as 12,345.67) when
 * people is set, else as CSV holds it.  Text comes back whole, as the
 * cell holds it; numbers are formatted into out.  The string is valid
 * as long as the cell and out.
 */
const char	*table_cell_str(char *out, size_t, const struct tcell *,
		    int people);
struct buf;
/*
 * Append s with its control characters (C0, DEL and C1) shown as \x1b
 * or \u009b, never sent to a terminal.
 */
void		 table_safe_text(struct buf *, const char *s);
/* 1234567 fen as "12,345.67" (with separators) or "12345.67". */
void		 money_format(char *out, size_t, int64_t fen, int separators);

#endif
