/*
 * Diagnostics: the only code that writes to stderr.  Every message
 * names where (file, line or sheet cell), then what, then the value:
 *
 *	sales-ingest: q3.xlsx:Sheet1!D17: error: column 'amount': ...
 *
 * Each error raises the run-wide exit status; the worst one wins and
 * main() returns diag_finish().
 */
#ifndef DIAG_H
#define DIAG_H

#include <stdio.h>

struct buf;

/* Exit statuses, documented in every man page (STYLE.md 2.5). */
enum sx_status {
	SX_OK = 0,	/* every input accepted */
	SX_DATA = 1,	/* input rejected, a rule refused, findings */
	SX_USAGE = 2,	/* bad invocation or bad rule table */
	SX_BUSY = 3,	/* database busy past the timeout */
	SX_SYS = 4	/* I/O, memory, unusable database */
};

/* Where a message points.  Any field may be zero or NULL. */
struct pos {
	const char	*file;	/* as typed; "<stdin>" for standard input */
	const char	*sheet;	/* sheet name for workbooks, else NULL */
	long		 line;	/* record's first line, or sheet row */
	int		 col;	/* 1-based column */
};

void	diag_init(const char *argv0, FILE *);
void	diag_set_quiet(int);
int	diag_quiet(void);
const char *diag_progname(void);

void	diag_warn(const struct pos *, const char *, ...)
	    __attribute__((__format__(__printf__, 2, 3)));
void	diag_error(int status, const struct pos *, const char *, ...)
	    __attribute__((__format__(__printf__, 3, 4)));
/* Like diag_error() with ": strerror(errno)" appended. */
void	diag_syserr(const struct pos *, const char *, ...)
	    __attribute__((__format__(__printf__, 2, 3)));
/* A plain note (no level word), shown unless quiet. */
/*
 * fn(arg) runs before each warning or error is counted and said, so
 * that work a caller holds back (rows queued for a bulk insert) can say
 * its own first; NULL stops it.  What fn says is not preceded again.
 */
void	diag_set_before(void (*fn)(void *), void *arg);
void	diag_note(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
/*
 * Hold the messages that follow (up to 1 MiB of them) instead of
 * printing them; diag_release() prints them, or with discard forgets
 * them and the status and counts they raised, for work that is done
 * again (a file read a second time).
 */
void	diag_hold(void);
void	diag_release(int discard);
/*
 * Show line as the progress line of a terminal (carriage return, then
 * the text, then erase to the end); NULL erases it.  Messages erase it
 * first.  Callers decide whether stderr is a terminal.
 */
void	diag_progress(const char *line);
void	diag_fatal(int status, const char *, ...)
	    __attribute__((__format__(__printf__, 2, 3), __noreturn__));

void	diag_raise(int status);
int	diag_status(void);
unsigned long diag_nwarnings(void);
unsigned long diag_nerrors(void);

/*
 * Flush stdout and report a write error on it (SX_SYS); return the
 * worst status seen.  sbase's fshut(), mandoc's exit status.
 */
int	diag_finish(void);
/*
 * Note the errno of a write to standard output that failed, for
 * diag_finish() to name; only the first one counts.
 */
void	diag_write_error(int);

/* Append pos as "file:line:col" or "file:sheet!A17" (no colon after). */
void	pos_format(struct buf *, const struct pos *);
/* "A" for 1, "AB" for 28; buf must hold 8 bytes. */
void	col_letters(char *buf, int col);

/*
 * The value quoted for a message: control bytes escaped (\t, \r, \x01),
 * cut at 60 bytes on a character boundary with "...".  Returns one of
 * four rotating static buffers, so up to four fit in one message.
 */
const char *diag_val(const char *);

#endif
