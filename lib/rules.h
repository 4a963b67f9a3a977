/*
 * Rule tables: the CSV files of share/rules that sales teams edit in
 * Excel or WPS.  A header line, then one rule per line; lines whose
 * first cell starts with # are comments.  Any encoding the CSV reader
 * detects is fine (WPS saves GBK).  A bad table is reported as
 * file:line with the offending cell and exit status 2.
 */
#ifndef RULES_H
#define RULES_H

#include <stddef.h>

struct rrow {
	long	  line;		/* line in the file, for messages */
	char	**cells;	/* ncols strings, "" when absent */
};

struct rtable {
	char		*path;
	char		**cols;
	size_t		 ncols;
	struct rrow	*rows;
	size_t		 nrows;
};

/*
 * The rules directory: opt (--rules), else $SALES_RULES, else the
 * share/rules beside the running binary (a build tree or an installed
 * prefix), else the compiled-in install path.  Never NULL.
 */
const char	*rules_dir(const char *opt);
/* Load dir/name; NULL after reporting (SX_USAGE). */
struct rtable	*rules_load(const char *dir, const char *name);
/* Load a table given by its path (--map, --calendar). */
struct rtable	*rules_load_file(const char *path);
/* Column index of name (exact header), or -1. */
int		 rtable_col(const struct rtable *, const char *name);
/* Same, but a missing column is reported (SX_USAGE) and gives -1. */
int		 rtable_need(const struct rtable *, const char *name);
const char	*rtable_get(const struct rtable *, size_t row, int col);
void		 rtable_free(struct rtable *);
/* Report a bad cell of a rule table (SX_USAGE). */
void		 rtable_error(const struct rtable *, size_t row, int col,
		    const char *fmt, ...)
		    __attribute__((__format__(__printf__, 4, 5)));

#endif
