/*
 * Which sheets of a workbook to read: the rule of --sheet and
 * --all-sheets, shared by the XLSX and XLS readers, and the sheet list
 * their messages show.
 */
#ifndef SHEETS_H
#define SHEETS_H

#include <stddef.h>

struct buf;

/* Sheet states; XLSX_* and BIFF_* use the same values. */
#define SHEET_HIDDEN	0x01
#define SHEET_VERYHIDDEN 0x02
#define SHEET_NOCELLS	0x04	/* a chart, dialog or macro sheet */

/* Append "'a', 'b' (hidden), 'c' (chart)", or "no sheets", to b. */
void	sheets_list(struct buf *b, char *const *names, const unsigned *flags,
	    size_t n);
/*
 * Choose the sheets to read into order (room for n): the one want
 * names (exact name, name in any case, then 1-based number), else the
 * first visible sheet, or every visible one with all.  Returns the
 * number chosen, or 0 with the reason in why.
 */
size_t	sheets_pick(char *const *names, const unsigned *flags, size_t n,
	    const char *want, int all, size_t *order, struct buf *why);

#endif
