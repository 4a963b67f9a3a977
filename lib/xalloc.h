/*
 * Allocation that cannot fail: on out-of-memory these report through
 * diag and exit with SX_SYS, as mandoc_aux.c does.  Everything else in
 * lib/ returns errors to its caller.
 */
#ifndef XALLOC_H
#define XALLOC_H

#include <stdarg.h>
#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
/* Grow *p to hold at least want elements of size sz; *cap is updated. */
void	*xgrow(void *p, size_t *cap, size_t want, size_t sz);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
char	*xvasprintf(const char *, va_list)
	    __attribute__((__format__(__printf__, 1, 0)));

#endif
