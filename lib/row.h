/*
 * The record every reader yields: a row of cells, each with a type and
 * its text, knowing where it came from.  Readers know formats, not
 * sales; mapping (map.c) turns rows into typed records.
 *
 * Cell texts live in the row's arena and stay valid until the next
 * row_clear() or row_free() of that row.
 */
#ifndef ROW_H
#define ROW_H

#include <stddef.h>

#include "buf.h"

enum cell_type {
	CELL_EMPTY = 0,
	CELL_TEXT,	/* text as written (CSV cells are always text) */
	CELL_NUMBER,	/* text: shortest round-trip decimal of num */
	CELL_BOOL,	/* text: "TRUE" or "FALSE" */
	CELL_DATE,	/* text: "YYYY-MM-DD"; num: the serial, if any */
	CELL_DATETIME,	/* text: "YYYY-MM-DD HH:MM:SS" */
	CELL_TIME,	/* text: "HH:MM:SS", a time of day */
	CELL_DURATION,	/* text: "255:10:10", elapsed time */
	CELL_ERROR	/* text: "#N/A", "#DIV/0!" ... */
};

/* Hints from the cell's number format and origin. */
#define CF_PERCENT	0x01	/* shown as a percentage */
#define CF_CURRENCY	0x02	/* shown with a currency sign */
#define CF_TEXTFMT	0x04	/* the cell is formatted as text (@) */
#define CF_FORMULA	0x08	/* value is a formula's cached result */
#define CF_NOCACHE	0x10	/* formula with no cached value (EMPTY) */
#define CF_MERGED	0x20	/* value copied from a merged range's anchor */
#define CF_LOSSY	0x40	/* the source held fewer digits than shown */
#define CF_TRUNC	0x80	/* 16+ digits of which the file kept 15 */
/* Bits 8-15: the currency the format's sign names (numfmt_code()). */
#define CF_CUR(flags)	(((flags) >> 8) & 0xff)
#define CF_CUR_SET(i)	((unsigned)(i) << 8)

struct cell {
	enum cell_type	type;
	unsigned	flags;
	size_t		off;	/* text offset in the row's arena */
	size_t		len;	/* text length in bytes */
	double		num;	/* numeric value or date serial */
};

struct row {
	const char	*file;	/* name for messages, owned by the reader */
	const char	*sheet;	/* sheet name or NULL, owned by the reader */
	long		 line;	/* CSV: line where the record starts; sheet row */
	int		 header; /* 1: the format names the columns (JSONL keys) */
	int		 nfields; /* fields the source record really had */
	struct cell	*cells;
	size_t		 ncells;
	size_t		 cap;
	struct buf	 arena;
};

void	 row_init(struct row *);
/* Forget the cells, keep the memory. */
void	 row_clear(struct row *);
void	 row_free(struct row *);
/*
 * Set cell col (0-based) to a copy of text, growing the row with empty
 * cells as needed.  Returns the cell, valid until the next row_set().
 */
struct cell *row_set(struct row *, size_t col, enum cell_type,
	    const char *text, size_t len);
/* The text of cell i, "" when absent or empty. */
const char *row_text(const struct row *, size_t i);
const char *cell_text(const struct row *, const struct cell *);
/* 1 when no cell holds a non-empty text. */
int	 row_is_blank(const struct row *);
/* Drop trailing empty cells. */
void	 row_trim(struct row *);
/* dst becomes a deep copy of src (dst must be initialised). */
void	 row_copy(struct row *dst, const struct row *src);
const char *cell_type_name(enum cell_type);

#endif
