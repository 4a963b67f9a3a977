/*
 * sales-ingest cat: rows exactly as a reader sees them, no mapping and
 * no store.  JSON lines
 *	{"file":"a.xlsx","sheet":"Sheet1","row":2,"cells":["苹果",332.5,null]}
 * where a cell is null (empty, or covered by a merge), a string (text,
 * and dates as the reader resolved them), a number, true/false, or
 * {"error":"#N/A"}; or CSV of the cell texts.
 */
#ifndef CATOUT_H
#define CATOUT_H

#include <stdio.h>

struct reader;

/* Print every row; returns 0, or -1 after a reader error. */
int	cat_rows(struct reader *, FILE *, int csv);

#endif
