/*
 * What freexl does not show of a BIFF8 workbook, read from its records:
 * the number format of every cell, the raw numbers, formula results,
 * booleans and error codes, merged ranges and sheet visibility.
 * libgsf opens the OLE container; the records are walked here.
 */
#ifndef XLSBIFF_H
#define XLSBIFF_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum biff_kind {
	BC_NUM,		/* num: the number (NUMBER, RK, MULRK, FORMULA) */
	BC_BOOL,	/* num: 0 or 1 */
	BC_ERR,		/* num: the error code */
	BC_STR,		/* a formula's string result: text[str, str + len) */
	BC_LABEL	/* a text cell: only its format is known here */
};

struct biff_cell {
	uint32_t	 row;		/* 0-based */
	uint16_t	 col;		/* 0-based */
	uint8_t		 kind;		/* enum biff_kind */
	uint8_t		 formula;	/* a formula's cached result */
	uint32_t	 xf;		/* index into xfcls */
	double		 num;
	uint32_t	 str, len;
	uint32_t	 seq;		/* record order, for duplicates */
};

struct biff_merge {
	uint32_t	 r1, r2;	/* rows, 0-based, inclusive */
	uint16_t	 c1, c2;	/* columns, 0-based, inclusive */
};

#define BIFF_HIDDEN	0x01	/* hsState 1 */
#define BIFF_VERYHIDDEN	0x02	/* hsState 2 */
#define BIFF_NOCELLS	0x04	/* a chart, macro or module sheet */

struct biff_sheet {
	char		*name;		/* UTF-8 */
	unsigned	 flags;		/* BIFF_* */
	uint32_t	 pos;		/* offset of its BOF in the stream */
};

struct biff_book {
	unsigned char	*data;		/* the Workbook stream */
	size_t		 size;
	unsigned	*xfcls;		/* numfmt class of each XF record */
	size_t		 nxf, capxf;
	struct biff_sheet *sheets;
	size_t		 nsheets, capsheets;
	/* The sheet loaded by biff_load_sheet(), cells by row and col. */
	struct biff_cell *cells;
	size_t		 ncells, capcells;
	struct biff_merge *mg;
	size_t		 nmg, capmg;
	struct buf	 text;
	uint32_t	 maxrow;	/* one past the last row with a cell */
	uint32_t	 maxcol;
};

/*
 * Read the globals of the BIFF8 workbook at path into *b (zeroed by
 * the caller).  Returns 0; 1 when the file is not BIFF8 (BIFF5 and
 * older: nothing to add); -1 with why in err.
 */
int	biff_open(struct biff_book *b, const char *path, char *err,
	    size_t errlen);
/* Load the cells and merges of sheet i; -1 when it has none to read. */
int	biff_load_sheet(struct biff_book *b, size_t i);
/* The cell at row, col of the loaded sheet, or NULL. */
const struct biff_cell *biff_cell(const struct biff_book *b, uint32_t row,
	    uint32_t col);
/* The numfmt class of a cell's XF. */
unsigned biff_class(const struct biff_book *b, const struct biff_cell *c);
/*
 * Write the workbook stream alone into a new OLE file at path, named
 * "Workbook", with every XF's format set to General: the container
 * freexl is given.  Returns 0 or -1.
 */
int	biff_write_ole(const struct biff_book *b, const char *path);
void	biff_close(struct biff_book *b);

#endif
