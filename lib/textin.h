/*
 * Decoded text input: a file read as UTF-8 whatever it was written in.
 * The encoding is found in the order byte-order mark, strict UTF-8,
 * GB18030 (a superset of GBK and GB2312), unless the caller names one.
 * Undecodable bytes are an error, never replaced.
 */
#ifndef TEXTIN_H
#define TEXTIN_H

#include <stddef.h>
#include <sys/types.h>

struct textin;

/* NULL after reporting why.  encoding NULL means detect. */
struct textin	*textin_open(const char *path, const char *name,
		    const char *encoding);
/*
 * Read up to cap bytes of UTF-8 into out.  Returns the count, 0 at the
 * end, or -1 after reporting an undecodable sequence with its line.
 */
ssize_t		 textin_read(struct textin *, char *out, size_t cap);
/* "UTF-8", "UTF-8-BOM", "GB18030", "UTF-16LE", ... */
const char	*textin_encoding(const struct textin *);
/* Bytes of the file consumed so far and the file's size. */
long long	 textin_consumed(const struct textin *);
long long	 textin_size(const struct textin *);
void		 textin_close(struct textin *);

#endif
