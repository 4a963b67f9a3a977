/*
 * Progress of a long import on a terminal: rows, megabytes and rate,
 * refreshed at most PROGRESS_HZ times a second and erased at the end.
 * Nothing is shown unless the caller says stderr is a terminal.
 */
#ifndef PROGRESS_H
#define PROGRESS_H

#include <stddef.h>

#define PROGRESS_HZ	4

struct progress {
	int		 on;
	const char	*name;
	double		 start;		/* seconds, monotonic */
	double		 last;		/* when the line was last drawn */
	long		 calls;
};

/* Start showing the progress of name when on is set. */
void	progress_start(struct progress *, const char *name, int on);
/* Called per row: draws when a refresh is due.  Cheap otherwise. */
void	progress_tick(struct progress *, long rows, long long bytes);
/* Erase the line. */
void	progress_end(struct progress *);
/*
 * The text of a progress line into out (size n):
 *	"orders.csv: 1,234,567 rows  56.7 MB  412,345 rows/s"
 * bytes 0 leaves the size out; secs 0 leaves the rate out.  A long
 * name is cut to its last 32 bytes, on a character boundary.
 */
void	progress_format(char *out, size_t n, const char *name, long rows,
	    long long bytes, double secs);

#endif
