/*
 * XLSX specifics beyond struct reader: the workbook's list of sheets,
 * for commands that show it (sales-ingest cat --sheets) or pick one.
 */
#ifndef XLSX_H
#define XLSX_H

struct reader;

#define XLSX_HIDDEN	0x01	/* state="hidden" */
#define XLSX_VERYHIDDEN	0x02	/* state="veryHidden": only VBA shows it */
#define XLSX_NOCELLS	0x04	/* a chart or dialog sheet: no cells */

/*
 * The sheets of an open XLSX reader in workbook order, hidden ones and
 * chart sheets included.  Sets *names and *flags (XLSX_* bits) to
 * arrays owned by the reader, valid until reader_close(), and returns
 * their length; returns -1 when r is not an XLSX reader.
 */
int	xlsx_sheet_names(struct reader *r, const char *const **names,
	    const unsigned **flags);

/*
 * The workbook's date system (*date1904: 1 for the 1904 epoch) and the
 * merged ranges declared by the sheets opened so far (*merged; one
 * sheet's count once its rows have been read).  Returns -1 when r is
 * not an XLSX reader.
 */
int	xlsx_info(struct reader *r, int *date1904, long *merged);

#endif
