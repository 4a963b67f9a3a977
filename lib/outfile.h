/*
 * Output to a file that appears only when complete: written to a
 * temporary file beside it and renamed on success (OpenBSD sort -o), so
 * a failed cron run never leaves half a report.  NULL path is stdout.
 */
#ifndef OUTFILE_H
#define OUTFILE_H

#include <stdio.h>

#include "table.h"

struct outfile;

struct outfile	*outfile_open(const char *path);
FILE		*outfile_fp(struct outfile *);
/* Rename into place when ok, else remove; 0, or -1 after reporting. */
int		 outfile_close(struct outfile *, int ok);
/*
 * The format a file name asks for (.md, .csv, .jsonl, .txt, .html,
 * .pdf); text without a suffix, OUT_NONE for one it does not know.
 */
enum outfmt	 outfmt_from_name(const char *path);
/* Whether path names the same existing file as other. */
int		 same_file(const char *path, const char *other);

#endif
