/*
 * Sheet selection for workbooks (sheets.h): one rule for XLSX and XLS.
 */
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "diag.h"
#include "num.h"
#include "sheets.h"

void
sheets_list(struct buf *b, char *const *names, const unsigned *flags, size_t n)
{
	size_t i;

	if (n == 0) {
		buf_adds(b, "no sheets");
		return;
	}
	for (i = 0; i < n; i++) {
		buf_addf(b, "%s'%s'", i ? ", " : "", names[i]);
		if (flags[i] & SHEET_NOCELLS)
			buf_adds(b, " (chart)");
		else if (flags[i] & SHEET_HIDDEN)
			buf_adds(b, " (hidden)");
		else if (flags[i] & SHEET_VERYHIDDEN)
			buf_adds(b, " (very hidden)");
	}
}

size_t
sheets_pick(char *const *names, const unsigned *flags, size_t n,
    const char *want, int all, size_t *order, struct buf *why)
{
	const char *errstr;
	long long num;
	size_t i, norder;
	long idx;

	norder = 0;
	if (want == NULL) {
		for (i = 0; i < n; i++) {
			if (flags[i] &
			    (SHEET_HIDDEN | SHEET_VERYHIDDEN | SHEET_NOCELLS))
				continue;
			order[norder++] = i;
			if (!all)
				break;
		}
		if (norder == 0) {
			buf_adds(why,
			    "no visible worksheet in this workbook; "
			    "it has ");
			sheets_list(why, names, flags, n);
		}
		return norder;
	}
	/* A name first, then a name in any case, then a number. */
	idx = -1;
	for (i = 0; i < n && idx < 0; i++)
		if (strcmp(names[i], want) == 0)
			idx = (long)i;
	for (i = 0; i < n && idx < 0; i++)
		if (strcasecmp(names[i], want) == 0)
			idx = (long)i;
	if (idx < 0) {
		num = parse_int(want, 1, (long long)n, &errstr);
		if (errstr == NULL)
			idx = (long)num - 1;
	}
	if (idx < 0) {
		buf_addf(why, "no sheet '%s' in this workbook; it has ",
		    diag_val(want));
		sheets_list(why, names, flags, n);
		return 0;
	}
	order[0] = (size_t)idx;
	return 1;
}
