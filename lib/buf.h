/*
 * A growable byte string, always NUL-terminated.  A zeroed struct buf
 * is an empty buffer; buf_free() releases it and leaves it empty.
 */
#ifndef BUF_H
#define BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char	*s;
	size_t	 len;
	size_t	 cap;
};

void	 buf_add(struct buf *, const char *, size_t);
/* Append s and a NUL that stays part of the contents: an arena's string. */
void	 buf_addz(struct buf *, const char *s, size_t n);
void	 buf_adds(struct buf *, const char *);
void	 buf_addc(struct buf *, int);
void	 buf_addf(struct buf *, const char *, ...)
	    __attribute__((__format__(__printf__, 2, 3)));
void	 buf_vaddf(struct buf *, const char *, va_list)
	    __attribute__((__format__(__printf__, 2, 0)));
/* Append s as a JSON string literal, quotes included. */
void	 buf_add_json(struct buf *, const char *s, size_t len);
void	 buf_reset(struct buf *);
void	 buf_truncate(struct buf *, size_t);
/* The contents, "" when empty; valid until the next change. */
const char *buf_str(const struct buf *);
/* Hand the string to the caller (who frees it) and empty the buffer. */
char	*buf_take(struct buf *);
void	 buf_free(struct buf *);

#endif
